package com.example.centroid;

import java.util.List;
import java.util.TreeMap;

import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyFit;
import io.chimera.strategy.StrategyMaster;
import io.chimera.strategy.StrategyModel;

/**
 * A strategy written outside chimera, with its public API only: every worker sums its rows' features per class,
 * the master turns the sums into one centroid per class, and the model predicts the nearest centroid. One round.
 */
public final class NearestCentroidMaster extends StrategyMaster {

    static final String NAME = "nearest-centroid";

    public NearestCentroidMaster() {
        super(NAME);
    }

    @Override
    protected StrategyModel fit(StrategyFit fit) {
        final List<StrategyFit.Reply> replies = fit.callAll("class-sums", Payload.empty());
        final List<String> columns = replies.get(0).payload().texts("columns");
        final int d = columns.size();
        final TreeMap<Double, double[]> sums = new TreeMap<>();
        final TreeMap<Double, Double> counts = new TreeMap<>();
        for (StrategyFit.Reply r : replies) {
            final double[] classes = r.payload().vector("classes");
            final double[] s = r.payload().vector("sums");
            final double[] n = r.payload().vector("counts");
            for (int c = 0; c < classes.length; c++) {
                final double[] total = sums.computeIfAbsent(classes[c], k -> new double[d]);
                for (int j = 0; j < d; j++) {
                    total[j] += s[c * d + j];
                }
                counts.merge(classes[c], n[c], Double::sum);
            }
        }
        final double[] classes = sums.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        final double[] centroids = new double[classes.length * d];
        for (int c = 0; c < classes.length; c++) {
            final double[] total = sums.get(classes[c]);
            for (int j = 0; j < d; j++) {
                centroids[c * d + j] = total[j] / counts.get(classes[c]);
            }
        }
        fit.round(1, 1, Double.NaN);
        return new NearestCentroidModel(columns, classes, centroids);
    }

    @Override
    protected long plannedRounds(int workers) {
        return 1;
    }
}

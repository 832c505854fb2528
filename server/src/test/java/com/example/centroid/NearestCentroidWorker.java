package com.example.centroid;

import java.util.TreeMap;

import io.chimera.core.data.Dataset;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyWorker;

/** The worker of {@link NearestCentroidMaster}: one step, its rows' feature sums and counts per class. */
public final class NearestCentroidWorker extends StrategyWorker {

    public NearestCentroidWorker() {
        super(NearestCentroidMaster.NAME);
    }

    @Override
    protected void steps(Steps steps) {
        steps.on("class-sums", in -> classSums());
    }

    private Payload classSums() {
        final Dataset data = data();
        final int d = data.cols();
        final TreeMap<Double, double[]> sums = new TreeMap<>();
        final TreeMap<Double, Double> counts = new TreeMap<>();
        for (int r = 0; r < data.rows(); r++) {
            final double[] s = sums.computeIfAbsent(data.label(r), k -> new double[d]);
            for (int j = 0; j < d; j++) {
                s[j] += data.feature(r, j);
            }
            counts.merge(data.label(r), 1.0, Double::sum);
        }
        final double[] classes = sums.keySet().stream().mapToDouble(Double::doubleValue).toArray();
        final double[] flat = new double[classes.length * d];
        final double[] n = new double[classes.length];
        for (int c = 0; c < classes.length; c++) {
            System.arraycopy(sums.get(classes[c]), 0, flat, c * d, d);
            n[c] = counts.get(classes[c]);
        }
        return Payload.builder().texts("columns", data.featureNames()).vector("classes", classes)
                      .tensor("sums", flat, classes.length, d).vector("counts", n).build();
    }
}

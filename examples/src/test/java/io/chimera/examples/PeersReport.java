package io.chimera.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's peer section ({@link PeersBenchmark}): the targets of issue 18 as ratios of one run, the tables of
 * every system, and two plots drawn with XChart: time to accuracy per system, and training loss against wall time.
 */
final class PeersReport {

    static final String TIME_TO_ACCURACY_PNG = "benchmark-peers-time-to-accuracy.png";
    static final String LOSS_PNG = "benchmark-peers-loss.png";
    static final String AUC_PNG = "benchmark-peers-auc.png";

    /** One target: its name, the bound on our time over the peer's, and the two lines it compares. */
    private record Target(String name, double bound, PeersBenchmark.Line ours, PeersBenchmark.Line peer,
                          String extra) {}

    static void write(StringBuilder md, PeersBenchmark.Result r, Path images) throws IOException {
        md.append("## Against the peers, side by side in one run (diabetes-like)\n\n");
        md.append(String.format(Locale.ROOT, "Every system below ran in this one run, on this machine, on the same "
                + "files: the %,d training rows of `%s` (chimera's systems on %d contiguous shards of them, the "
                + "others on all of them) and its %,d holdout rows. Load average (1, 5, 15 min) before: %s; "
                + "after: %s. %s %s\n\n",
                r.trainRows(), PeersBenchmark.DATASET, PeersBenchmark.WORKERS, r.testRows(), r.loadBefore(),
                r.loadAfter(),
                r.sklearnSkipped() == null ? "scikit-learn: " + r.sklearnVersion() + ", `n_jobs=" + r.nJobs()
                                             + "` (the machine's cores) where the estimator has it."
                                           : "**scikit-learn was skipped**: " + r.sklearnSkipped() + ".",
                r.sparkSkipped() == null ? "Spark MLlib: " + r.sparkVersion() + ", in its own JVM (`-Xmx4g`)."
                                         : "**Spark MLlib was skipped**: " + r.sparkSkipped() + "."));
        md.append(String.format(Locale.ROOT, "**Time to accuracy** is the time until the holdout ROC AUC is within "
                + "%.3f of the best single-machine result, here %.4f from %s: AUC ≥ %.4f. For chimera's SGD the "
                + "iteration that first reaches it comes from the same iterates computed in one JVM; the "
                + "%d-worker fit is then run again with exactly that `maxIter`, timed, and its own AUC is in the "
                + "table. L-BFGS and scikit-learn's fits run to their own convergence, so their time to accuracy is "
                + "their whole fit.\n\n", PeersBenchmark.WITHIN, r.target(), r.targetFrom(),
                r.target() - PeersBenchmark.WITHIN, PeersBenchmark.WORKERS));
        targets(md, r);
        md.append("| system | fit or time to accuracy | iterations | holdout ROC AUC | accuracy "
                  + "| reaches the target |\n"
                  + "|---|---|---|---|---|---|\n");
        for (PeersBenchmark.Line l : lines(r)) {
            md.append(String.format(Locale.ROOT, "| %s | %s s | %s | %.4f | %s | %s |\n", l.system(),
                                    l.seconds().format(1, 3), l.iterations() > 0 ? l.iterations() : "—", l.auc(),
                                    Double.isNaN(l.accuracy()) ? "—"
                                            : String.format(Locale.ROOT, "%.4f", l.accuracy()),
                                    l.system().contains("Bagging") || l.system().contains("Forest")
                                    || l.system().contains("bagging") ? "—"
                                            : l.auc() >= r.target() - PeersBenchmark.WITHIN ? "yes" : "no"));
        }
        md.append("\n- chimera-examples' published figures are in the tables below, measured on another machine.\n");
        Files.createDirectories(images);
        timeToAccuracyPlot(r, images.resolve(TIME_TO_ACCURACY_PNG));
        lossPlot(r, images.resolve(LOSS_PNG));
        aucPlot(r, images.resolve(AUC_PNG));
        md.append("\n![").append(TIME_TO_ACCURACY_PNG).append("](img/").append(TIME_TO_ACCURACY_PNG).append(")\n\n");
        md.append("![").append(LOSS_PNG).append("](img/").append(LOSS_PNG).append(")\n\n");
        md.append("![").append(AUC_PNG).append("](img/").append(AUC_PNG).append(")\n\n");
    }

    private static List<PeersBenchmark.Line> lines(PeersBenchmark.Result r) {
        final List<PeersBenchmark.Line> all = new ArrayList<>(r.sklearn());
        all.addAll(r.spark());
        for (PeersBenchmark.Line l : new PeersBenchmark.Line[] { r.sgdToTarget(), r.sgd200(), r.lbfgs(),
                                                                  r.oneJvmToTarget(), r.oneJvm200(), r.bagging() }) {
            if (l != null) {
                all.add(l);
            }
        }
        return all;
    }

    private static void targets(StringBuilder md, PeersBenchmark.Result r) {
        final List<Target> targets = new ArrayList<>();
        final PeersBenchmark.Line lbfgs = r.peer("scikit-learn LogisticRegression");
        final PeersBenchmark.Line bagging = r.peer("scikit-learn BaggingClassifier");
        final PeersBenchmark.Line forest = r.peer("scikit-learn RandomForestClassifier");
        PeersBenchmark.Line sparkLr = r.peer("Spark MLlib LogisticRegression, local[" + r.nJobs()
                                             + "], to the target");
        if (sparkLr == null) {
            sparkLr = r.peer("Spark MLlib LogisticRegression");
        }
        final PeersBenchmark.Line sparkForest = r.peer("Spark MLlib RandomForestClassifier");
        targets.add(new Target("SGD logistic, " + PeersBenchmark.WORKERS + " workers, time to accuracy, over "
                               + "scikit-learn's lbfgs", 1.5, r.sgdToTarget(), lbfgs, null));
        targets.add(new Target("SGD logistic, " + PeersBenchmark.WORKERS + " workers, time to accuracy, over "
                               + "Spark MLlib's logistic regression (its fewest iterations that reach the target)",
                               0.5, r.sgdToTarget(), sparkLr, null));
        targets.add(new Target("L-BFGS logistic, " + PeersBenchmark.WORKERS + " workers, to convergence, over "
                               + "scikit-learn's lbfgs (no target in the issue; for scale)", Double.NaN, r.lbfgs(),
                               lbfgs, null));
        targets.add(new Target("bagging 4 trees, " + PeersBenchmark.WORKERS + " workers, over scikit-learn's "
                               + "BaggingClassifier; AUC within 0.005", 1.0, r.bagging(), bagging, "auc"));
        targets.add(new Target("the same, over scikit-learn's RandomForestClassifier(4) (no target; for scale)",
                               Double.NaN, r.bagging(), forest, null));
        targets.add(new Target("the same, over Spark MLlib's random forest of 4 trees; AUC within 0.005", 0.5,
                               r.bagging(), sparkForest, "auc"));
        targets.add(new Target("overhead of distribution: " + PeersBenchmark.WORKERS + "-worker synchronous fit, "
                               + SgdBenchmark.ITERATIONS + " iterations, over chimera's code in one JVM", 1.3,
                               r.sgd200(), r.oneJvm200(), null));
        md.append("| ratio (ours / peer, medians) | goal | ours | peer | ratio | verdict |\n"
                  + "|---|---|---|---|---|---|\n");
        for (Target t : targets) {
            if (t.ours() == null || t.peer() == null) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | — | not measured |\n", t.name(),
                                        goal(t.bound()), t.ours() == null ? "target not reached" : "—",
                                        t.peer() == null ? "not run" : "—"));
                continue;
            }
            final double ratio = t.ours().seconds().median() / t.peer().seconds().median();
            String verdict = Double.isNaN(t.bound()) ? "—" : ratio <= t.bound() ? "met"
                    : String.format(Locale.ROOT, "**missed** (%.2f× the goal)", ratio / t.bound());
            if ("auc".equals(t.extra()) && Math.abs(t.ours().auc() - t.peer().auc()) > 0.005) {
                final double diff = t.ours().auc() - t.peer().auc();
                verdict += String.format(Locale.ROOT, "; AUC %+.4f (%s)", diff, diff > 0 ? "ours higher" : "missed");
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %.3f s, AUC %.4f | %.3f s, AUC %.4f | %.2f× | %s |\n",
                                    t.name(), goal(t.bound()), t.ours().seconds().median(), t.ours().auc(),
                                    t.peer().seconds().median(), t.peer().auc(), ratio, verdict));
        }
        md.append('\n');
    }

    private static String goal(double bound) {
        return Double.isNaN(bound) ? "—" : String.format(Locale.ROOT, "≤ %.1f×", bound);
    }

    private static void timeToAccuracyPlot(PeersBenchmark.Result r, Path file) throws IOException {
        final List<String> names = new ArrayList<>();
        final List<Double> seconds = new ArrayList<>();
        for (PeersBenchmark.Line l : lines(r)) {
            final boolean trees = l.system().contains("Bagging") || l.system().contains("Forest")
                                  || l.system().contains("bagging");
            if (!trees && !l.system().contains(SgdBenchmark.ITERATIONS + " iterations")
                && l.auc() >= r.target() - PeersBenchmark.WITHIN) {
                names.add(shortName(l.system()));
                seconds.add(Math.round(l.seconds().median() * 1000) / 1000.0);
            }
        }
        final CategoryChart chart = new CategoryChartBuilder().width(900).height(460)
                .title(String.format(Locale.ROOT, "Time to holdout AUC ≥ %.4f, diabetes-like",
                                     r.target() - PeersBenchmark.WITHIN))
                .xAxisTitle("system").yAxisTitle("seconds (median)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        if (names.isEmpty()) {
            names.add("(no system reached the target)");
            seconds.add(0.0);
        }
        chart.addSeries("time to accuracy", names, seconds);
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** A bar's label: the table's system name, short enough to read under a bar. */
    private static String shortName(String system) {
        if (system.startsWith("scikit-learn LogisticRegression")) {
            return "scikit-learn lbfgs";
        }
        if (system.startsWith("scikit-learn SGDClassifier")) {
            return "scikit-learn SGD";
        }
        if (system.startsWith("Spark MLlib LogisticRegression")) {
            return system.endsWith("to the target") ? "Spark LR, fewest iterations" : "Spark LR, converged";
        }
        if (system.startsWith("chimera's code, one JVM")) {
            return "chimera SGD, one JVM";
        }
        return system.replace(", to the target", "").replace(", to convergence", "");
    }

    private static void lossPlot(PeersBenchmark.Result r, Path file) throws IOException {
        final XYChart chart = new XYChartBuilder().width(900).height(460)
                .title("Training loss (log loss + L2) against wall time, diabetes-like")
                .xAxisTitle("seconds since the fit started").yAxisTitle("training loss").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        for (PeersBenchmark.Curve c : r.lossCurves()) {
            if (c.seconds().length == 0) {
                continue;
            }
            chart.addSeries(c.label(), c.seconds(), c.values()).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /**
     * Holdout AUC against wall time for SGD: the distributed fit's iteration times from its history, with the AUC of
     * the same iterate computed in one JVM (the parameter server does not score each iterate); the target as a line.
     */
    private static void aucPlot(PeersBenchmark.Result r, Path file) throws IOException {
        final XYChart chart = new XYChartBuilder().width(900).height(460)
                .title("Holdout ROC AUC against wall time, SGD, diabetes-like")
                .xAxisTitle("seconds since the fit started").yAxisTitle("holdout ROC AUC").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        double first = Double.POSITIVE_INFINITY;
        double last = 0;
        for (PeersBenchmark.Curve c : r.aucCurves()) {
            if (c.seconds().length == 0) {
                continue;
            }
            chart.addSeries(c.label(), c.seconds(), c.values()).setMarker(SeriesMarkers.NONE);
            first = Math.min(first, c.seconds()[0]);
            last = Math.max(last, c.seconds()[c.seconds().length - 1]);
        }
        if (last > 0) {
            final double goal = r.target() - PeersBenchmark.WITHIN;
            chart.addSeries(String.format(Locale.ROOT, "target %.4f", goal), new double[] { first, last },
                            new double[] { goal, goal }).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    private PeersReport() {}
}

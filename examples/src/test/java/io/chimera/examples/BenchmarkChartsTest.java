package io.chimera.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark report's charts (XChart) and the peer section's ratios and verdicts, on made-up figures. */
class BenchmarkChartsTest {

    @TempDir
    Path dir;

    @Test
    void workerPlot_drawsEachSeriesInItsColour() throws Exception {
        final Path png = dir.resolve("img/plot.png");
        new BenchmarkPlot("seconds against workers")
                .add(BenchmarkPlot.Series.measured("ours", new int[] { 1, 2, 4 },
                                                   new Samples[] { Samples.of(0.5, 0.6, 0.7), Samples.of(0.3, 0.4),
                                                                   Samples.of(0.2, 0.25) }))
                .add(BenchmarkPlot.Series.published("published", new int[] { 1, 4 }, new double[] { 19.0, 8.0 }))
                .write(png);
        final BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(720);
        assertThat(image.getHeight()).isEqualTo(420);
        // The markers are filled with the series' colours, exactly.
        assertThat(count(image, 0x1f77b4)).as("pixels of the first series").isGreaterThan(20);
        assertThat(count(image, 0xd62728)).as("pixels of the second series").isGreaterThan(20);
    }

    @Test
    void peerSection_givesEachRatioItsVerdict_andDrawsItsPlots() throws Exception {
        final PeersBenchmark.Line sklearnLr = line("scikit-learn LogisticRegression(lbfgs), standardised", 0.25,
                                                   0.8011);
        final PeersBenchmark.Line sklearnBag = line("scikit-learn BaggingClassifier(4 trees), n_jobs=2", 0.50, 0.7675);
        final PeersBenchmark.Line sparkLr = line("Spark MLlib LogisticRegression, local[2], to the target", 2.0,
                                                 0.8009);
        final PeersBenchmark.Line sparkForest = line("Spark MLlib RandomForestClassifier(4 trees, depth 5), local[2]",
                                                     3.0, 0.7332);
        final PeersBenchmark.Curve curve = new PeersBenchmark.Curve("ours", new double[] { 0.01, 0.02, 0.03 },
                                                                    new double[] { 0.69, 0.4, 0.33 });
        final PeersBenchmark.Result r = new PeersBenchmark.Result(
                202_944, 50_736, "0.10, 0.20, 0.30", "1.00, 0.50, 0.40", "scikit-learn 1.2.1", null, 2, 0.8011,
                "scikit-learn's LogisticRegression(lbfgs)", List.of(sklearnLr, sklearnBag),
                line("chimera's code, one JVM, 200 iterations", 0.4, 0.8011),
                line("chimera's code, one JVM, to the target", 0.03, 0.8005),
                line("chimera SGD, 4 workers, 200 iterations", 1.2, 0.8011),
                line("chimera SGD, 4 workers, to the target", 0.2, 0.8005), 13,
                line("chimera L-BFGS, 4 workers, to convergence", 0.3, 0.8011),
                line("chimera bagging, 4 workers, 4 trees", 0.25, 0.7670), List.of(curve), List.of(curve),
                "Spark 4.2.0, local[2]", null, List.of(sparkLr, sparkForest));
        final StringBuilder md = new StringBuilder();
        PeersReport.write(md, r, dir.resolve("img"));
        final String text = md.toString();

        assertThat(row(text, "SGD logistic, 4 workers, time to accuracy, over scikit-learn's lbfgs"))
                .contains("| 0.80× | met |");
        assertThat(row(text, "over Spark MLlib's logistic regression")).contains("| 0.10× | met |");
        assertThat(row(text, "over scikit-learn's BaggingClassifier")).contains("| 0.50× | met |");
        assertThat(row(text, "over Spark MLlib's random forest")).contains("met; AUC +0.0338 (ours higher)");
        assertThat(row(text, "overhead of distribution")).contains("| 3.00× | **missed** (2.31× the goal) |");
        assertThat(row(text, "| chimera SGD, 4 workers, to the target |")).endsWith("| yes |");
        assertThat(text).contains("AUC ≥ 0.8001").contains("Spark MLlib: Spark 4.2.0, local[2]");
        for (String png : new String[] { PeersReport.TIME_TO_ACCURACY_PNG, PeersReport.LOSS_PNG,
                                         PeersReport.AUC_PNG }) {
            assertThat(ImageIO.read(dir.resolve("img").resolve(png).toFile())).as(png).isNotNull();
        }
    }

    @Test
    void peerSection_withoutThePeers_saysWhatItSkipped() throws Exception {
        final PeersBenchmark.Curve curve = new PeersBenchmark.Curve("ours", new double[] { 0.01, 0.02 },
                                                                    new double[] { 0.69, 0.4 });
        final PeersBenchmark.Result r = new PeersBenchmark.Result(
                202_944, 50_736, "0.10, 0.20, 0.30", "1.00, 0.50, 0.40", null,
                "/usr/bin/python3 not found (apt-get install -y python3-sklearn python3-pandas)", 2, 0.8011,
                "chimera's L-BFGS (scikit-learn was not run)", List.of(),
                line("chimera's code, one JVM, 200 iterations", 0.4, 0.8011), null,
                line("chimera SGD, 4 workers, 200 iterations", 1.2, 0.8011), null, 0,
                line("chimera L-BFGS, 4 workers, to convergence", 0.3, 0.8011),
                line("chimera bagging, 4 workers, 4 trees", 0.25, 0.7670), List.of(curve), List.of(curve), null,
                "not built: `mvn -B -q -f benchmarks-spark/pom.xml package` builds it", List.of());
        final StringBuilder md = new StringBuilder();
        PeersReport.write(md, r, dir.resolve("img"));
        final String text = md.toString();

        assertThat(text).contains("**scikit-learn was skipped**: /usr/bin/python3 not found")
                        .contains("**Spark MLlib was skipped**: not built");
        assertThat(row(text, "over scikit-learn's lbfgs")).contains("target not reached").endsWith("not measured |");
        assertThat(row(text, "overhead of distribution")).contains("| 3.00× |");
    }

    private static PeersBenchmark.Line line(String system, double seconds, double auc) {
        return new PeersBenchmark.Line(system, Samples.of(seconds), auc, 0.86, 0);
    }

    /** The first table row that contains {@code part}. */
    private static String row(String markdown, String part) {
        return markdown.lines().filter(l -> l.startsWith("|") && l.contains(part)).findFirst()
                       .orElseThrow(() -> new AssertionError("no row with " + part + " in\n" + markdown));
    }

    private static int count(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}

package io.chimera.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A line chart of seconds against worker count, drawn with XChart into a PNG: one line per series, our medians
 * with their min and max as thin lines of the same colour, chimera's published figures dashed. The time axis is
 * logarithmic, since chimera's figures and ours differ by one or two orders of magnitude.
 */
final class BenchmarkPlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)
    };
    private static final BasicStroke THIN = new BasicStroke(0.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                                                            new float[] { 2f, 3f }, 0f);

    /** One line: a value (and optionally a min and max) per worker count. */
    record Series(String label, int[] workers, double[] median, double[] min, double[] max, boolean dashed) {

        static Series measured(String label, int[] workers, Samples[] samples) {
            final double[] median = new double[samples.length];
            final double[] min = new double[samples.length];
            final double[] max = new double[samples.length];
            for (int i = 0; i < samples.length; i++) {
                median[i] = samples[i].median();
                min[i] = samples[i].min();
                max[i] = samples[i].max();
            }
            return new Series(label, workers, median, min, max, false);
        }

        static Series published(String label, int[] workers, double[] seconds) {
            return new Series(label, workers, seconds, null, null, true);
        }
    }

    private final String title;
    private final List<Series> series = new ArrayList<>();

    BenchmarkPlot(String title) {
        this.title = title;
    }

    BenchmarkPlot add(Series s) {
        series.add(s);
        return this;
    }

    void write(Path png) throws IOException {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle("workers")
                                                  .yAxisTitle("seconds (log scale)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        int maxWorkers = 1;
        for (Series s : series) {
            for (int w : s.workers()) {
                maxWorkers = Math.max(maxWorkers, w);
            }
        }
        chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(20, 500 / maxWorkers));
        for (int k = 0; k < series.size(); k++) {
            final Series s = series.get(k);
            final Color color = COLORS[k % COLORS.length];
            final double[] x = new double[s.workers().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = s.workers()[i];
            }
            final XYSeries line = chart.addSeries(s.label(), x, s.median());
            line.setLineColor(color);
            line.setMarkerColor(color);
            line.setMarker(s.dashed() ? SeriesMarkers.SQUARE : SeriesMarkers.CIRCLE);
            if (s.dashed()) {
                line.setLineStyle(SeriesLines.DASH_DASH);
            }
            if (s.min() != null) {
                for (String bound : new String[] { "min", "max" }) {
                    final XYSeries spread = chart.addSeries(s.label() + ' ' + bound, x,
                                                            "min".equals(bound) ? s.min() : s.max());
                    spread.setLineColor(color);
                    spread.setLineStyle(THIN);
                    spread.setMarker(SeriesMarkers.NONE);
                    spread.setShowInLegend(false);
                }
            }
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}

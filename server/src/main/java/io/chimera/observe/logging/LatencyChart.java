package io.chimera.observe.logging;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws a latency histogram with its mean and mean ± one standard deviation, as chimera's examples drew them
 * with matplotlib, into a PNG with XChart. Latencies are shown in milliseconds; the statistics (n, mean, std,
 * percentiles, max) are in the legend.
 */
final class LatencyChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final Color BARS = new Color(0x4C78A8);
    private static final Color MEAN = new Color(0xD62728);
    private static final Color STD = new Color(0xF58518);

    /** Writes the histogram of {@code statistics} with {@code bins} bins to {@code file}. */
    static void writePng(Path file, String title, LatencyStatistics statistics, int bins) {
        try {
            Files.write(file, BitmapEncoder.getBitmapBytes(chart(title, statistics, bins),
                                                           BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static XYChart chart(String title, LatencyStatistics s, int bins) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                                                  .xAxisTitle("latency (ms)").yAxisTitle("calls").build();
        final XYStyler styler = chart.getStyler();
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setLegendPosition(Styler.LegendPosition.InsideNE);
        styler.setYAxisMin(0.0);
        styler.setYAxisDecimalPattern("#");
        final double[] edges = s.binEdges(bins);
        final long[] counts = s.binCounts(bins);
        // The histogram as a step area: each bin's count held from its left edge to its right one.
        final double[] x = new double[2 * bins];
        final double[] y = new double[2 * bins];
        long maxCount = 1;
        for (int i = 0; i < bins; i++) {
            x[2 * i] = edges[i] * 1000;
            x[2 * i + 1] = edges[i + 1] * 1000;
            y[2 * i] = counts[i];
            y[2 * i + 1] = counts[i];
            maxCount = Math.max(maxCount, counts[i]);
        }
        final XYSeries bars = chart.addSeries(String.format(Locale.ROOT,
                "calls: n = %d, p50 %.2f, p95 %.2f, p99 %.2f, max %.2f ms", s.count(), s.percentile(50) * 1000,
                s.percentile(95) * 1000, s.percentile(99) * 1000, s.max() * 1000), x, y);
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
        bars.setFillColor(BARS);
        bars.setLineColor(BARS);
        bars.setMarker(SeriesMarkers.NONE);
        // The axis spans the bins; a mean ± std line beyond them (outliers inflate the std) is left out.
        final double lo = edges[0] * 1000;
        final double hi = edges[bins] * 1000;
        final double mean = s.mean() * 1000;
        if (mean >= lo && mean <= hi) {
            vertical(chart, String.format(Locale.ROOT, "mean %.2f ms", mean), mean, maxCount, MEAN,
                     new BasicStroke(2.5f));
        }
        final BasicStroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                                   new float[] { 7f, 5f }, 0f);
        final String std = String.format(Locale.ROOT, "mean \u00b1 std (%.2f ms)", s.std() * 1000);
        boolean named = false;
        for (double v : new double[] { mean - s.std() * 1000, mean + s.std() * 1000 }) {
            if (v >= lo && v <= hi) {
                vertical(chart, named ? std + " " : std, v, maxCount, STD, dashed).setShowInLegend(!named);
                named = true;
            }
        }
        if (s.aboveHistogram() > 0) {
            chart.setTitle(title + String.format(Locale.ROOT, " (%d slower call%s, up to %.2f ms, not shown)",
                                                 s.aboveHistogram(), s.aboveHistogram() == 1 ? "" : "s",
                                                 s.max() * 1000));
        }
        return chart;
    }

    private static XYSeries vertical(XYChart chart, String name, double x, double height, Color colour,
                                     BasicStroke stroke) {
        final XYSeries line = chart.addSeries(name, new double[] { x, x }, new double[] { 0, height });
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setLineColor(colour);
        line.setLineStyle(stroke);
        line.setMarker(SeriesMarkers.NONE);
        return line;
    }

    private LatencyChart() {}
}

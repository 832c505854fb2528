package io.chimera.observe.logging;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Draws a latency histogram with its mean and mean ± one standard deviation, as chimera's examples drew them
 * with matplotlib, into a PNG with Java2D (no library). Latencies are shown in milliseconds.
 */
final class LatencyChart {

    private static final int WIDTH = 900;
    private static final int HEIGHT = 480;
    private static final int LEFT = 70;
    private static final int RIGHT = 30;
    private static final int TOP = 74;
    private static final int BOTTOM = 56;
    private static final int LEGEND_WIDTH = 240;
    private static final Color BARS = new Color(0x4C78A8);
    private static final Color MEAN = new Color(0xD62728);
    private static final Color STD = new Color(0xF58518);
    private static final Color GRID = new Color(0xE5E5E5);
    private static final Color TEXT = new Color(0x222222);

    /** Writes the histogram of {@code statistics} with {@code bins} bins to {@code file}. */
    static void writePng(Path file, String title, LatencyStatistics statistics, int bins) {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            draw(g, title, statistics, bins);
        } finally {
            g.dispose();
        }
        try {
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void draw(Graphics2D g, String title, LatencyStatistics s, int bins) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);

        final double[] edges = s.binEdges(bins);
        final long[] counts = s.binCounts(bins);
        long maxCount = 1;
        for (long c : counts) {
            maxCount = Math.max(maxCount, c);
        }
        // The axis spans the bins; a mean ± std line beyond them (outliers inflate the std) is left out.
        final double xLo = edges[0] * 1000;
        final double xHi = edges[bins] * 1000;
        final double yHi = niceCeiling(maxCount);
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;
        final Scale x = new Scale(xLo, xHi, LEFT, LEFT + plotW);
        final Scale y = new Scale(0, yHi, TOP + plotH, TOP);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        final FontMetrics fm = g.getFontMetrics();
        for (double t : ticks(0, yHi, 5)) {
            final int py = y.at(t);
            g.setColor(GRID);
            g.drawLine(LEFT, py, LEFT + plotW, py);
            g.setColor(TEXT);
            final String label = format(t, 0);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
        }
        final double[] xTicks = ticks(xLo, xHi, 7);
        final int decimals = decimals(xTicks);
        for (double t : xTicks) {
            final int px = x.at(t);
            g.setColor(TEXT);
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 4);
            final String label = format(t, decimals);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + plotH + 18);
        }

        g.setColor(BARS);
        for (int i = 0; i < bins; i++) {
            if (counts[i] == 0) {
                continue;
            }
            final int x0 = x.at(edges[i] * 1000);
            final int x1 = x.at(edges[i + 1] * 1000);
            final int top = y.at(counts[i]);
            g.fillRect(x0, top, Math.max(1, x1 - x0 - 1), TOP + plotH - top);
        }

        final Stroke dashed = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                              new float[] { 7f, 5f }, 0f);
        g.setStroke(dashed);
        g.setColor(STD);
        boolean stdShown = false;
        for (double v : new double[] { s.mean() - s.std(), s.mean() + s.std() }) {
            if (v * 1000 >= xLo && v * 1000 <= xHi) {
                g.drawLine(x.at(v * 1000), TOP, x.at(v * 1000), TOP + plotH);
                stdShown = true;
            }
        }
        if (s.mean() * 1000 <= xHi) {
            g.setStroke(new BasicStroke(2.5f));
            g.setColor(MEAN);
            g.drawLine(x.at(s.mean() * 1000), TOP, x.at(s.mean() * 1000), TOP + plotH);
        }

        g.setStroke(new BasicStroke(1f));
        g.setColor(TEXT);
        g.drawLine(LEFT, TOP + plotH, LEFT + plotW, TOP + plotH);
        g.drawLine(LEFT, TOP, LEFT, TOP + plotH);
        final String xLabel = "latency (ms)";
        g.drawString(xLabel, LEFT + (plotW - fm.stringWidth(xLabel)) / 2, HEIGHT - 14);
        final Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString("calls", -(TOP + plotH / 2 + fm.stringWidth("calls") / 2), 18);
        rotated.dispose();

        legend(g, LEFT + plotW - LEGEND_WIDTH - 10, TOP + 8, stdShown);
        if (s.aboveHistogram() > 0) {
            final String note = String.format(Locale.ROOT, "%d slower call%s (up to %.2f ms) not shown",
                                              s.aboveHistogram(), s.aboveHistogram() == 1 ? "" : "s",
                                              s.max() * 1000);
            g.drawString(note, LEFT + plotW - fm.stringWidth(note) - 10, TOP + 68);
        }

        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, LEFT, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(String.format(Locale.ROOT,
                                   "n = %d    mean = %.2f ms    std = %.2f ms    p50 = %.2f ms    p95 = %.2f ms"
                                   + "    p99 = %.2f ms    max = %.2f ms",
                                   s.count(), s.mean() * 1000, s.std() * 1000, s.percentile(50) * 1000,
                                   s.percentile(95) * 1000, s.percentile(99) * 1000, s.max() * 1000),
                     LEFT, 50);
    }

    private static void legend(Graphics2D g, int left, int top, boolean stdShown) {
        g.setColor(new Color(255, 255, 255, 220));
        g.fillRect(left, top, LEGEND_WIDTH, 44);
        g.setColor(GRID);
        g.drawRect(left, top, LEGEND_WIDTH, 44);
        g.setStroke(new BasicStroke(2.5f));
        g.setColor(MEAN);
        g.drawLine(left + 10, top + 15, left + 34, top + 15);
        g.setStroke(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                                    new float[] { 7f, 5f }, 0f));
        g.setColor(STD);
        g.drawLine(left + 10, top + 32, left + 34, top + 32);
        g.setStroke(new BasicStroke(1f));
        g.setColor(TEXT);
        g.drawString("mean", left + 42, top + 19);
        g.drawString(stdShown ? "mean \u00b1 standard deviation" : "mean \u00b1 std: off the axis", left + 42,
                     top + 36);
    }

    /** About {@code count} round tick values covering {@code [lo, hi]}. */
    static double[] ticks(double lo, double hi, int count) {
        final double span = hi > lo ? hi - lo : 1;
        final double raw = span / count;
        final double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] { 1, 2, 2.5, 5, 10 }) {
            step = m * magnitude;
            if (step >= raw) {
                break;
            }
        }
        final double first = Math.ceil(lo / step - 1e-9) * step;
        final int n = (int) Math.floor((hi - first) / step + 1e-9) + 1;
        final double[] ticks = new double[Math.max(n, 1)];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = first + i * step;
        }
        return ticks;
    }

    private static double niceCeiling(long value) {
        final double[] t = ticks(0, value, 5);
        final double step = t.length > 1 ? t[1] - t[0] : 1;
        return Math.ceil(value / step) * step;
    }

    private static int decimals(double[] ticks) {
        if (ticks.length < 2) {
            return 3;
        }
        final double step = ticks[1] - ticks[0];
        return (int) Math.max(0, Math.min(6, Math.ceil(-Math.log10(step) + 1e-9)));
    }

    private static String format(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + 'f', value);
    }

    /** Maps data values onto pixels. */
    private static final class Scale {
        final double lo;
        final double hi;
        final int from;
        final int to;

        Scale(double lo, double hi, int from, int to) {
            this.lo = lo;
            this.hi = hi > lo ? hi : lo + 1;
            this.from = from;
            this.to = to;
        }

        int at(double v) {
            return (int) Math.round(from + (v - lo) / (hi - lo) * (to - from));
        }
    }

    private LatencyChart() {}
}

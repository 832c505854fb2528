package io.chimera.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

/**
 * A line chart of seconds against worker count, drawn with Java2D into a PNG: one line per series, our
 * medians with their min–max range as a bar, chimera's published figures dashed. The time axis is
 * logarithmic, since chimera's figures and ours differ by one or two orders of magnitude.
 */
final class BenchmarkPlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 420;
    private static final int LEFT = 70;
    private static final int RIGHT = 190;
    private static final int TOP = 52;
    private static final int BOTTOM = 50;
    private static final Color[] COLORS = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)
    };

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
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();
        try {
            draw(g);
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private void draw(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);

        int maxWorkers = 1;
        double low = Double.POSITIVE_INFINITY;
        double high = 0;
        for (Series s : series) {
            for (int i = 0; i < s.workers().length; i++) {
                maxWorkers = Math.max(maxWorkers, s.workers()[i]);
                low = Math.min(low, s.min() != null ? s.min()[i] : s.median()[i]);
                high = Math.max(high, s.max() != null ? s.max()[i] : s.median()[i]);
            }
        }
        final double logLow = Math.floor(Math.log10(low));
        final double logHigh = Math.max(logLow + 1, Math.ceil(Math.log10(high)));
        final int plotW = WIDTH - LEFT - RIGHT;
        final int plotH = HEIGHT - TOP - BOTTOM;
        final int workersMax = maxWorkers;
        final java.util.function.IntToDoubleFunction x =
                w -> LEFT + (w - 1) * (double) plotW / Math.max(1, workersMax - 1);
        final java.util.function.DoubleUnaryOperator y =
                v -> TOP + plotH - (Math.log10(v) - logLow) / (logHigh - logLow) * plotH;

        // Axes, decade grid lines and labels.
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int decade = (int) logLow; decade <= (int) logHigh; decade++) {
            for (int m = 1; m < 10; m++) {
                final double v = m * Math.pow(10, decade);
                if (Math.log10(v) > logHigh + 1e-9) {
                    break;
                }
                final int py = (int) Math.round(y.applyAsDouble(v));
                g.setColor(m == 1 ? new Color(0xcccccc) : new Color(0xeeeeee));
                g.drawLine(LEFT, py, LEFT + plotW, py);
                if (m == 1 || m == 2 || m == 5) {
                    g.setColor(Color.DARK_GRAY);
                    final String label = seconds(v);
                    g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), py + 4);
                }
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, plotW, plotH);
        for (int w = 1; w <= maxWorkers; w++) {
            final int px = (int) Math.round(x.applyAsDouble(w));
            g.drawLine(px, TOP + plotH, px, TOP + plotH + 4);
            final String label = Integer.toString(w);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, TOP + plotH + 18);
        }
        g.drawString("workers", LEFT + plotW / 2 - 20, HEIGHT - 12);
        g.drawString("seconds (log scale)", 8, TOP - 10);

        // The series and the legend.
        for (int k = 0; k < series.size(); k++) {
            final Series s = series.get(k);
            final Color color = COLORS[k % COLORS.length];
            g.setColor(color);
            g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                                                     new float[] {6f, 5f}, 0f)
                                   : new BasicStroke(2f));
            final Path2D line = new Path2D.Double();
            for (int i = 0; i < s.workers().length; i++) {
                final double px = x.applyAsDouble(s.workers()[i]);
                final double py = y.applyAsDouble(s.median()[i]);
                if (i == 0) {
                    line.moveTo(px, py);
                } else {
                    line.lineTo(px, py);
                }
            }
            g.draw(line);
            g.setStroke(new BasicStroke(1.5f));
            for (int i = 0; i < s.workers().length; i++) {
                final int px = (int) Math.round(x.applyAsDouble(s.workers()[i]));
                final int py = (int) Math.round(y.applyAsDouble(s.median()[i]));
                if (s.min() != null) {
                    final int top = (int) Math.round(y.applyAsDouble(s.max()[i]));
                    final int bottom = (int) Math.round(y.applyAsDouble(s.min()[i]));
                    g.drawLine(px, top, px, bottom);
                    g.drawLine(px - 4, top, px + 4, top);
                    g.drawLine(px - 4, bottom, px + 4, bottom);
                }
                if (s.dashed()) {
                    g.drawRect(px - 3, py - 3, 6, 6);
                } else {
                    g.fillOval(px - 4, py - 4, 8, 8);
                }
            }
            final int ly = TOP + 14 + k * 20;
            g.setStroke(s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                                                     new float[] {6f, 5f}, 0f)
                                   : new BasicStroke(2f));
            g.drawLine(LEFT + plotW + 12, ly - 4, LEFT + plotW + 36, ly - 4);
            g.setColor(Color.BLACK);
            g.drawString(s.label(), LEFT + plotW + 42, ly);
        }
    }

    private static String seconds(double v) {
        if (v >= 1) {
            return String.format(Locale.ROOT, "%.0f s", v);
        }
        if (v >= 0.001) {
            return String.format(Locale.ROOT, "%.0f ms", v * 1000);
        }
        return String.format(Locale.ROOT, "%.1f ms", v * 1000);
    }
}

package io.chimera.lab;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.lab.ExperimentRunner.CellResult;
import io.chimera.lab.ExperimentRunner.Result;
import io.chimera.lab.ExperimentRunner.WorkerStats;

/**
 * Writes what an experiment measured: {@code report.html}, one self-contained page (its charts drawn by XChart and
 * inlined as PNG; each also in {@code charts/}), and the raw data, {@code cells.csv} (one row per cell and repeat), {@code iterations.csv} (loss
 * against wall time and updates), {@code workers.csv} (per worker: updates, compute, communication, waiting,
 * bytes) and {@code results.json} (all of it).
 */
public final class LabReport {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 420;
    private static final int MAX_TIMELINES = 12;
    private static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf) };

    private LabReport() {}

    /** Writes the report and the data files into {@code out} (created if missing); returns the page's path. */
    public static Path write(Result result, Path out) throws IOException {
        Files.createDirectories(out);
        writeCells(result, out.resolve("cells.csv"));
        writeIterations(result, out.resolve("iterations.csv"));
        writeWorkers(result, out.resolve("workers.csv"));
        writeJson(result, out.resolve("results.json"));
        final Path charts = out.resolve("charts");
        if (Files.isDirectory(charts)) {
            try (var old = Files.list(charts)) {
                for (Path f : old.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(charts);
        final Path page = out.resolve("report.html");
        Files.writeString(page, html(result, charts));
        return page;
    }

    // ---- the page ----

    private static String html(Result r, Path charts) throws IOException {
        final ExperimentSpec spec = r.spec();
        final int[] counter = { 0 };
        final StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chimera lab: ")
         .append(esc(spec.name())).append("</title>\n<style>")
         .append("body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#222}")
         .append("h1{font-size:1.6em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}")
         .append("table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 8px;")
         .append("text-align:right}th{background:#f4f4f4}td.l,th.l{text-align:left}")
         .append(".note{color:#555;font-size:.9em}img{max-width:100%}.failed{color:#b00}")
         .append("</style></head><body>\n");
        h.append("<h1>chimera lab: ").append(esc(spec.name())).append("</h1>\n<p>")
         .append(esc(spec.strategy())).append(" on <b>").append(esc(spec.dataset())).append("</b> (")
         .append(esc(r.task())).append("), ").append(spec.cells().size()).append(" cells × ").append(spec.repeats())
         .append(spec.repeats() == 1 ? " repeat" : " repeats").append(", each on a fresh cluster; ")
         .append(String.format(Locale.ROOT, "%.1f s in all", r.seconds())).append(". Options: ")
         .append(esc(spec.options().toString())).append(". Swept: ").append(esc(swept(spec))).append(".</p>\n");
        h.append("<p class=\"note\">").append(Runtime.getRuntime().availableProcessors())
         .append(" cores; load average ").append(String.format(Locale.ROOT, "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()))
         .append(" at the end; written ").append(Instant.now()).append(". Injected conditions are applied ")
         .append(esc(ExperimentRunner.INJECTION_METHOD)).append(".</p>\n");
        if (!r.skipped().isEmpty()) {
            h.append("<p class=\"failed\">Skipped: ").append(esc(String.join("; ", r.skipped()))).append("</p>\n");
        }
        final List<CellResult> ok = r.cells().stream().filter(c -> !c.failed()).toList();
        if (spec.swept("workers") && !ok.isEmpty()) {
            h.append("<h2>Speed-up and efficiency against workers</h2>\n<p class=\"note\">Speed-up: the median fit "
                     + "time of the fewest workers over that of n workers, the other settings equal; efficiency: "
                     + "speed-up × fewest / n.</p>\n");
            h.append(image(speedUp(r, false), charts, counter)).append(image(speedUp(r, true), charts, counter));
        }
        final boolean history = ok.stream().anyMatch(c -> c.cell().hasHistory());
        if (history) {
            h.append("<h2>Loss against wall time</h2>\n<p class=\"note\">Training loss (regularised) at each update "
                     + "of the parameter server, or round of another strategy (a federated-averaging round, an "
                     + "all-reduce step), first repeat of each cell. The dashed line is the target of the "
                     + "time-to-target column: ")
             .append(spec.targetLoss() != null ? "the spec's target_loss"
                                               : "the highest final loss of the experiment's cells, which every "
                                                 + "cell reached")
             .append(String.format(Locale.ROOT, ", %.5f.</p>\n", r.targetLoss()));
            h.append(image(lossChart(r, false), charts, counter)).append(image(lossChart(r, true), charts, counter));
        }
        if (spec.strategies().size() > 1 && history) {
            h.append("<h2>Bytes on the wire</h2>\n<p class=\"note\">Bytes of the fit's protobuf messages, median "
                     + "over repeats: between the master and its workers (both ways), and between workers (ring "
                     + "all-reduce's chunks, as the workers counted them).</p>\n");
            h.append(image(bytesChart(r), charts, counter));
        }
        final boolean measured = ok.stream().anyMatch(c -> !c.workers().isEmpty());
        if (measured) {
            h.append("<h2>Per worker: compute, communication and waiting</h2>\n<p class=\"note\">Seconds of the fit "
                     + "per worker, first repeat of each parameter-server cell (its workers measure their compute; "
                     + "the other strategies' workers do not report it yet). Compute: what the worker measured and "
                     + "reported for "
                     + "each step (an injected step delay counts); communication: the master's round trip less "
                     + "compute (network, serialisation, queues, injected latency); waiting: the rest of the fit's "
                     + "wall time, when the worker had no step to do (waiting for the others or the master).</p>\n");
            h.append(image(workerChart(r), charts, counter));
            h.append(workerTable(r));
            h.append("<h2>Timeline per worker</h2>\n<p class=\"note\">Each bar is one step in flight, from the "
                     + "moment the master sent it to its answer (the master's clock); a gap is time the worker waited "
                     + "with no step to do. First repeat of each cell");
            final List<CellResult> firsts = firstRepeats(r).stream().filter(c -> !c.workers().isEmpty()).toList();
            h.append(firsts.size() > MAX_TIMELINES ? ", the first " + MAX_TIMELINES + " cells" : "")
             .append(".</p>\n");
            for (CellResult c : firsts.subList(0, Math.min(MAX_TIMELINES, firsts.size()))) {
                h.append(image(timeline(c), charts, counter));
            }
        }
        h.append("<h2>Every cell</h2>\n").append(cellTable(r));
        h.append("<p class=\"note\">Raw data: <a href=\"cells.csv\">cells.csv</a>, <a href=\"iterations.csv\">"
                 + "iterations.csv</a>, <a href=\"workers.csv\">workers.csv</a>, <a href=\"results.json\">"
                 + "results.json</a>.</p>\n</body></html>\n");
        return h.toString();
    }

    private static String swept(ExperimentSpec spec) {
        final List<String> parts = new ArrayList<>();
        spec.sweep().forEach((k, v) -> {
            if (v.size() > 1) {
                parts.add(k + " " + v);
            }
        });
        return parts.isEmpty() ? "nothing" : String.join("; ", parts);
    }

    /** The cell's settings other than its worker count: the series of the speed-up chart. */
    private static String seriesKey(ExperimentSpec spec, ExperimentSpec.Cell c) {
        final ExperimentSpec.Cell one = new ExperimentSpec.Cell(c.strategy(), 1, c.mode(), c.staleness(),
                                                                c.batchSize(),
                                                                c.learningRate(), c.split(), c.runtime(),
                                                                c.cpuShares(), c.condition());
        final String label = one.label(spec).replaceFirst("^1 worker(, )?", "");
        return label.isEmpty() ? "fit time" : label;
    }

    private static Chart<?, ?> speedUp(Result r, boolean efficiency) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                                                  .title(efficiency ? "Efficiency against workers"
                                                                    : "Speed-up against workers")
                                                  .xAxisTitle("workers")
                                                  .yAxisTitle(efficiency ? "efficiency" : "speed-up").build();
        style(chart);
        final Map<String, TreeMap<Integer, Double>> series = medianFit(r);
        int colour = 0;
        int maxWorkers = 1;
        int minWorkers = Integer.MAX_VALUE;
        for (Map.Entry<String, TreeMap<Integer, Double>> e : series.entrySet()) {
            final TreeMap<Integer, Double> byWorkers = e.getValue();
            final int first = byWorkers.firstKey();
            minWorkers = Math.min(minWorkers, first);
            maxWorkers = Math.max(maxWorkers, byWorkers.lastKey());
            final double base = byWorkers.firstEntry().getValue();
            final double[] x = byWorkers.keySet().stream().mapToDouble(Integer::doubleValue).toArray();
            final double[] y = byWorkers.entrySet().stream()
                                        .mapToDouble(w -> efficiency ? base / w.getValue() * first / w.getKey()
                                                                     : base / w.getValue()).toArray();
            final XYSeries s = chart.addSeries(e.getKey(), x, y);
            s.setLineColor(PALETTE[colour % PALETTE.length]);
            s.setMarkerColor(PALETTE[colour % PALETTE.length]);
            s.setMarker(SeriesMarkers.CIRCLE);
            colour++;
        }
        final int lo = minWorkers == Integer.MAX_VALUE ? 1 : minWorkers;
        final XYSeries ideal = chart.addSeries("ideal", new double[] { lo, maxWorkers },
                                               efficiency ? new double[] { 1, 1 }
                                                          : new double[] { 1, (double) maxWorkers / lo });
        ideal.setLineColor(Color.GRAY);
        ideal.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                                           new float[] { 6, 4 }, 0));
        ideal.setMarker(SeriesMarkers.NONE);
        return chart;
    }

    /** Median fit seconds by series, then by worker count, over repeats. */
    private static Map<String, TreeMap<Integer, Double>> medianFit(Result r) {
        final Map<String, TreeMap<Integer, List<Double>>> raw = new LinkedHashMap<>();
        for (CellResult c : r.cells()) {
            if (!c.failed()) {
                raw.computeIfAbsent(seriesKey(r.spec(), c.cell()), k -> new TreeMap<>())
                   .computeIfAbsent(c.cell().workers(), k -> new ArrayList<>()).add(c.fitSeconds());
            }
        }
        final Map<String, TreeMap<Integer, Double>> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            final TreeMap<Integer, Double> m = new TreeMap<>();
            v.forEach((w, list) -> m.put(w, median(list)));
            out.put(k, m);
        });
        return out;
    }

    private static Chart<?, ?> lossChart(Result r, boolean byUpdates) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                                                  .title(byUpdates ? "Training loss against updates or rounds"
                                                                   : "Training loss against wall time")
                                                  .xAxisTitle(byUpdates ? "updates or rounds"
                                                                        : "seconds since the fit began")
                                                  .yAxisTitle("training loss").build();
        style(chart);
        int colour = 0;
        double maxX = 0;
        for (CellResult c : firstRepeats(r)) {
            if (c.loss().length == 0) {
                continue;
            }
            final double[] x = new double[c.loss().length];
            for (int i = 0; i < x.length; i++) {
                x[i] = byUpdates ? i + 1 : c.elapsed()[i];
            }
            maxX = Math.max(maxX, x[x.length - 1]);
            final XYSeries s = chart.addSeries(unique(chart, c.label()), x, c.loss());
            s.setLineColor(PALETTE[colour % PALETTE.length]);
            s.setMarker(SeriesMarkers.NONE);
            colour++;
        }
        if (Double.isFinite(r.targetLoss()) && maxX > 0) {
            final XYSeries t = chart.addSeries("target", new double[] { 0, maxX },
                                               new double[] { r.targetLoss(), r.targetLoss() });
            t.setLineColor(Color.GRAY);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineStyle(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10,
                                           new float[] { 6, 4 }, 0));
        }
        return chart;
    }

    private static String unique(XYChart chart, String name) {
        String n = name;
        for (int i = 2; chart.getSeriesMap().containsKey(n); i++) {
            n = name + " #" + i;
        }
        return n;
    }

    private static Chart<?, ?> workerChart(Result r) {
        final List<String> labels = new ArrayList<>();
        final List<Double> compute = new ArrayList<>();
        final List<Double> communication = new ArrayList<>();
        final List<Double> waiting = new ArrayList<>();
        for (CellResult c : firstRepeats(r)) {
            for (WorkerStats w : c.workers()) {
                labels.add(c.label() + " · " + w.worker() + (w.injected() ? "*" : ""));
                compute.add(w.computeSeconds());
                communication.add(w.communicationSeconds());
                waiting.add(c.waitingSeconds(w));
            }
        }
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH)
                                                              .height(Math.max(HEIGHT, 160 + 22 * labels.size()))
                                                              .title("Where each worker's fit time went "
                                                                     + "(* injected)")
                                                              .xAxisTitle("cell · worker").yAxisTitle("seconds")
                                                              .build();
        // Upright labels: XChart 3.8.8 places labels turned by 60° up to two bars to the right, and drops the last.
        stacked(chart, 90, PALETTE[0], PALETTE[3], new Color(0xcccccc));
        if (labels.isEmpty()) {
            labels.add("none");
            compute.add(0.0);
            communication.add(0.0);
            waiting.add(0.0);
        }
        chart.addSeries("compute", labels, compute);
        chart.addSeries("communication", labels, communication);
        chart.addSeries("waiting", labels, waiting);
        return chart;
    }

    /** Bytes per cell, master to and from workers and between workers, stacked. */
    private static Chart<?, ?> bytesChart(Result r) {
        final List<String> labels = new ArrayList<>();
        final List<Double> master = new ArrayList<>();
        final List<Double> peer = new ArrayList<>();
        for (List<CellResult> repeats : byCell(r).values()) {
            final List<CellResult> ok = repeats.stream().filter(c -> !c.failed() && c.cell().hasHistory()).toList();
            if (!ok.isEmpty()) {
                labels.add(ok.get(0).label());
                master.add(median(ok.stream().map(c -> (double) (c.bytes().sent() + c.bytes().received())).toList()));
                peer.add(median(ok.stream().map(c -> (double) c.bytes().peer()).toList()));
            }
        }
        final CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                                                              .title("Bytes on the wire per fit")
                                                              .xAxisTitle("cell").yAxisTitle("bytes").build();
        stacked(chart, 30, PALETTE[0], PALETTE[2]);
        chart.getStyler().setYAxisDecimalPattern("#,##0");
        chart.addSeries("master and workers", labels, master);
        chart.addSeries("between workers", labels, peer);
        return chart;
    }

    /**
     * Stacked bars on white, the category labels turned by {@code rotation} degrees, the legend in a row below the
     * chart: inside, it hid the top of the tallest bars (lesson 2's straggler cells).
     */
    private static void stacked(CategoryChart chart, int rotation, Color... colours) {
        chart.getStyler().setStacked(true);
        chart.getStyler().setOverlapped(false);
        chart.getStyler().setXAxisLabelRotation(rotation);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setSeriesColors(colours);
    }

    /** One worker per row, one bar per step in flight. */
    private static Chart<?, ?> timeline(CellResult c) {
        final XYChart chart = new XYChartBuilder().width(WIDTH).height(110 + 34 * c.workers().size())
                                                  .title("Timeline: " + c.label()).xAxisTitle("seconds since the "
                                                                                              + "fit began")
                                                  .yAxisTitle("worker").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.5);
        chart.getStyler().setYAxisMax(c.workers().size() + 0.5);
        chart.getStyler().setYAxisDecimalPattern("#");
        chart.getStyler().setYAxisTickMarkSpacingHint(34);
        for (int w = 0; w < c.workers().size(); w++) {
            final WorkerStats stats = c.workers().get(w);
            final List<Double> x = new ArrayList<>();
            final List<Double> y = new ArrayList<>();
            for (int i = 0; i < stats.sentAt().length; i++) {
                x.add(stats.sentAt()[i]);
                y.add((double) (w + 1));
                x.add(stats.sentAt()[i] + stats.stepSeconds()[i]);
                y.add((double) (w + 1));
                x.add(stats.sentAt()[i] + stats.stepSeconds()[i]);
                y.add(null);
            }
            if (x.isEmpty()) {
                continue;
            }
            final XYSeries s = chart.addSeries(stats.worker() + (stats.injected() ? " (injected)" : ""), x, y);
            s.setLineColor(stats.injected() ? PALETTE[1] : PALETTE[0]);
            // Square ends, so that a short gap between two steps stays visible.
            s.setLineStyle(new BasicStroke(16f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            s.setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static void style(XYChart chart) {
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(7);
    }

    private static List<CellResult> firstRepeats(Result r) {
        final Set<Integer> seen = new LinkedHashSet<>();
        final List<CellResult> out = new ArrayList<>();
        for (CellResult c : r.cells()) {
            if (!c.failed() && seen.add(c.cellIndex())) {
                out.add(c);
            }
        }
        return out;
    }

    /**
     * The chart inlined in the page, and also written to {@code charts/NN-title.png} for use elsewhere, numbered
     * in the page's order.
     */
    private static String image(Chart<?, ?> chart, Path charts, int[] counter) throws IOException {
        final byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        final int n = ++counter[0];
        final String slug = chart.getTitle().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
                                 .replaceAll("^-|-$", "");
        Files.write(charts.resolve(String.format(Locale.ROOT, "%02d-%s.png", n, slug)), png);
        return "<p><img alt=\"" + esc(chart.getTitle()) + "\" src=\"data:image/png;base64,"
               + Base64.getEncoder().encodeToString(png) + "\"></p>\n";
    }

    private static String workerTable(Result r) {
        final StringBuilder t = new StringBuilder("<table><tr><th class=\"l\">cell</th><th class=\"l\">worker</th>"
                                                  + "<th>updates</th><th>compute (s)</th><th>communication (s)</th>"
                                                  + "<th>waiting (s)</th><th>bytes sent</th><th>bytes received</th>"
                                                  + "</tr>\n");
        for (CellResult c : firstRepeats(r)) {
            for (WorkerStats w : c.workers()) {
                t.append("<tr><td class=\"l\">").append(esc(c.label())).append("</td><td class=\"l\">")
                 .append(esc(w.worker())).append(w.injected() ? " (injected)" : "").append("</td><td>")
                 .append(w.updates()).append("</td><td>").append(f3(w.computeSeconds())).append("</td><td>")
                 .append(f3(w.communicationSeconds())).append("</td><td>").append(f3(c.waitingSeconds(w)))
                 .append("</td><td>").append(w.bytesSent()).append("</td><td>").append(w.bytesReceived())
                 .append("</td></tr>\n");
            }
        }
        return t.append("</table>\n").toString();
    }

    private static String cellTable(Result r) {
        final List<String> metricNames = r.cells().stream().flatMap(c -> c.metrics().keySet().stream()).distinct()
                                          .toList();
        final boolean ps = r.cells().stream().anyMatch(c -> c.cell().hasHistory());
        final StringBuilder t = new StringBuilder("<table><tr><th class=\"l\">cell</th><th>fit (s), median</th>"
                                                  + "<th>min–max (s)</th>");
        if (ps) {
            t.append("<th>to target (s)</th><th>updates or rounds</th><th class=\"l\">stop</th><th>final loss</th>"
                     + "<th>bytes, master</th><th>bytes, peers</th><th class=\"l\">dropped</th>");
        }
        metricNames.forEach(m -> t.append("<th>").append(esc(m)).append("</th>"));
        t.append("<th>start (s)</th><th>repeats</th></tr>\n");
        for (List<CellResult> repeats : byCell(r).values()) {
            final List<CellResult> ok = repeats.stream().filter(c -> !c.failed()).toList();
            t.append("<tr><td class=\"l\">").append(esc(repeats.get(0).label())).append("</td>");
            if (ok.isEmpty()) {
                t.append("<td class=\"l failed\" colspan=\"").append(3 + (ps ? 7 : 0) + metricNames.size())
                 .append("\">failed: ").append(esc(repeats.get(0).error())).append("</td></tr>\n");
                continue;
            }
            final List<Double> fits = ok.stream().map(CellResult::fitSeconds).toList();
            t.append("<td>").append(f3(median(fits))).append("</td><td>")
             .append(f3(fits.stream().mapToDouble(d -> d).min().orElse(Double.NaN))).append("–")
             .append(f3(fits.stream().mapToDouble(d -> d).max().orElse(Double.NaN))).append("</td>");
            if (ps && !repeats.get(0).cell().hasHistory()) {
                t.append("<td colspan=\"7\"></td>");
            } else if (ps) {
                final List<Double> to = ok.stream().map(c -> c.secondsTo(r.targetLoss())).toList();
                final CellResult first = ok.get(0);
                t.append("<td>").append(to.stream().allMatch(d -> d.isNaN()) ? "not reached" : f3(median(to)))
                 .append("</td><td>").append(median(ok.stream().map(c -> (double) c.updates()).toList()).intValue())
                 .append("</td><td class=\"l\">").append(esc(first.stopReason())).append("</td><td>")
                 .append(first.loss().length == 0 ? "" : String.format(Locale.ROOT, "%.5f",
                                                                       first.loss()[first.loss().length - 1]))
                 .append("</td><td>")
                 .append(median(ok.stream().map(c -> (double) (c.bytes().sent() + c.bytes().received())).toList())
                               .longValue())
                 .append("</td><td>").append(median(ok.stream().map(c -> (double) c.bytes().peer()).toList())
                                                   .longValue())
                 .append("</td><td class=\"l\">").append(esc(String.join(" ", first.dropped()))).append("</td>");
            }
            for (String m : metricNames) {
                final List<Double> v = ok.stream().map(c -> c.metrics().getOrDefault(m, Double.NaN)).toList();
                final double lo = v.stream().mapToDouble(d -> d).min().orElse(Double.NaN);
                final double hi = v.stream().mapToDouble(d -> d).max().orElse(Double.NaN);
                t.append("<td>").append(String.format(Locale.ROOT, "%.4f", median(v)))
                 .append(hi > lo ? String.format(Locale.ROOT, " (%.4f–%.4f)", lo, hi) : "").append("</td>");
            }
            t.append("<td>").append(f3(median(ok.stream().map(CellResult::startSeconds).toList()))).append("</td><td>")
             .append(ok.size()).append(ok.size() < repeats.size() ? " (" + (repeats.size() - ok.size())
                                                                     + " failed)" : "").append("</td></tr>\n");
        }
        return t.append("</table>\n").toString();
    }

    /** The results grouped by cell, in the cells' order. */
    private static Map<Integer, List<CellResult>> byCell(Result r) {
        return r.cells().stream().collect(Collectors.groupingBy(CellResult::cellIndex, TreeMap::new,
                                                                Collectors.toList()));
    }

    // ---- the data files ----

    private static void writeCells(Result r, Path file) throws IOException {
        final List<String> metricNames = r.cells().stream().flatMap(c -> c.metrics().keySet().stream()).distinct()
                                          .toList();
        final StringBuilder csv = new StringBuilder("cell,repeat,label,strategy,workers,mode,staleness,batch_size,"
                                                    + "learning_rate,split,runtime,cpu_shares,condition,"
                                                    + "start_seconds,fit_seconds,seconds_to_target,updates,"
                                                    + "stop_reason,final_loss,bytes_sent,bytes_received,"
                                                    + "peer_bytes,dropped");
        metricNames.forEach(m -> csv.append(',').append(m));
        csv.append(",error\n");
        for (CellResult c : r.cells()) {
            final ExperimentSpec.Cell cell = c.cell();
            csv.append(c.cellIndex() + 1).append(',').append(c.repeat()).append(',').append(quote(c.label()))
               .append(',').append(cell.strategy()).append(',').append(cell.workers()).append(',').append(cell.mode()).append(',')
               .append(cell.staleness()).append(',').append(cell.batchSize()).append(',')
               .append(cell.learningRate()).append(',').append(cell.split()).append(',').append(cell.runtime())
               .append(',').append(cell.cpuShares()).append(',').append(cell.condition().name()).append(',')
               .append(num(c.startSeconds())).append(',').append(num(c.fitSeconds())).append(',')
               .append(num(c.secondsTo(r.targetLoss()))).append(',').append(c.updates()).append(',')
               .append(c.stopReason()).append(',')
               .append(c.loss().length == 0 ? "" : num(c.loss()[c.loss().length - 1])).append(',')
               .append(c.bytes().sent()).append(',').append(c.bytes().received()).append(',')
               .append(c.bytes().peer()).append(',').append(String.join(" ", c.dropped()));
            metricNames.forEach(m -> csv.append(',').append(num(c.metrics().getOrDefault(m, Double.NaN))));
            csv.append(',').append(c.error() == null ? "" : quote(c.error())).append('\n');
        }
        Files.writeString(file, csv);
    }

    private static void writeIterations(Result r, Path file) throws IOException {
        final StringBuilder csv = new StringBuilder("cell,repeat,update,elapsed_seconds,loss\n");
        for (CellResult c : r.cells()) {
            for (int i = 0; i < c.loss().length; i++) {
                csv.append(c.cellIndex() + 1).append(',').append(c.repeat()).append(',').append(i + 1).append(',')
                   .append(num(c.elapsed()[i])).append(',').append(num(c.loss()[i])).append('\n');
            }
        }
        Files.writeString(file, csv);
    }

    private static void writeWorkers(Result r, Path file) throws IOException {
        final StringBuilder csv = new StringBuilder("cell,repeat,worker,injected,updates,round_trip_seconds,"
                                                    + "compute_seconds,communication_seconds,waiting_seconds,"
                                                    + "bytes_sent,bytes_received\n");
        for (CellResult c : r.cells()) {
            for (WorkerStats w : c.workers()) {
                csv.append(c.cellIndex() + 1).append(',').append(c.repeat()).append(',').append(w.worker())
                   .append(',').append(w.injected()).append(',').append(w.updates()).append(',')
                   .append(num(w.roundTripSeconds())).append(',').append(num(w.computeSeconds())).append(',')
                   .append(num(w.communicationSeconds())).append(',').append(num(c.waitingSeconds(w))).append(',')
                   .append(w.bytesSent()).append(',').append(w.bytesReceived()).append('\n');
            }
        }
        Files.writeString(file, csv);
    }

    private static void writeJson(Result r, Path file) throws IOException {
        final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        final ObjectNode root = json.createObjectNode();
        final ExperimentSpec spec = r.spec();
        root.put("name", spec.name()).put("dataset", spec.dataset()).put("strategy", spec.strategy())
            .put("task", r.task()).put("repeats", spec.repeats()).put("seconds", r.seconds())
            .put("target_loss", r.targetLoss()).put("injection", ExperimentRunner.INJECTION_METHOD);
        root.set("options", json.valueToTree(spec.options()));
        root.set("sweep", json.valueToTree(spec.sweep()));
        root.set("skipped", json.valueToTree(r.skipped()));
        final ArrayNode cells = root.putArray("cells");
        for (CellResult c : r.cells()) {
            final ObjectNode n = cells.addObject();
            n.put("cell", c.cellIndex() + 1).put("repeat", c.repeat()).put("label", c.label());
            n.set("settings", json.valueToTree(c.cell()));
            n.put("start_seconds", c.startSeconds()).put("fit_seconds", c.fitSeconds())
             .put("seconds_to_target", c.secondsTo(r.targetLoss())).put("updates", c.updates())
             .put("stop_reason", c.stopReason()).put("bytes_sent", c.bytes().sent())
             .put("bytes_received", c.bytes().received()).put("peer_bytes", c.bytes().peer());
            n.set("dropped_workers", json.valueToTree(c.dropped()));
            n.set("metrics", json.valueToTree(c.metrics()));
            n.set("elapsed_seconds", json.valueToTree(c.elapsed()));
            n.set("loss", json.valueToTree(c.loss()));
            final ArrayNode workers = n.putArray("workers");
            for (WorkerStats w : c.workers()) {
                workers.addObject().put("worker", w.worker()).put("injected", w.injected())
                       .put("updates", w.updates()).put("round_trip_seconds", w.roundTripSeconds())
                       .put("compute_seconds", w.computeSeconds())
                       .put("communication_seconds", w.communicationSeconds())
                       .put("waiting_seconds", c.waitingSeconds(w)).put("bytes_sent", w.bytesSent())
                       .put("bytes_received", w.bytesReceived());
            }
            if (c.error() != null) {
                n.put("error", c.error());
            }
        }
        json.writeValue(file.toFile(), root);
    }

    // ---- small helpers ----

    static Double median(List<Double> values) {
        final double[] v = values.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).sorted()
                                 .toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String f3(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static String quote(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                                 .replace("\"", "&quot;");
    }
}

package io.chimera.observe.logging;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code chimera_time.log} — chimera's and ours, the message alone ({@code <url> worker endpoint latency =
 * 0.0123 s}), or ours from before the prefix was dropped ({@code 2026-11-26 06:45:47,544 - chimera_time - INFO -
 * <url> worker endpoint latency = 0.0123 s}) — and summarises the latencies per endpoint:
 * count, mean, standard deviation, p50, p95, p99 and max, plus one histogram PNG per endpoint. It does what
 * chimera's examples did by hand with {@code parse_chimera_times_file()} and matplotlib.
 *
 * <pre>{@code
 * java -cp <classpath> io.chimera.observe.logging.TimeLogReport chimera_time.log [output folder]
 * mvn -B -q -pl server -am -DskipTests -Ptime-log-report verify -Dtimelog.file=chimera_time.log
 * }</pre>
 */
public final class TimeLogReport {

    /** Bins of each histogram. */
    public static final int DEFAULT_BINS = 30;
    /** Where {@link #main} writes the histograms unless told otherwise. */
    static final String DEFAULT_OUTPUT = "chimera_latency";

    /** The message of a latency line, anywhere in the line, so that both a bare line and an old prefixed one match. */
    private static final Pattern LINE =
            Pattern.compile("(\\S+) (worker|master) endpoint latency = (\\S+) s\\s*$");

    /** Reads {@code log}; lines that are not latency lines are counted in {@link #skippedLines()}. */
    public static TimeLogReport read(Path log) {
        requireNonNull(log, "log");
        final List<String> lines;
        try {
            lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log + ": " + e.getMessage(), e);
        }
        return parse(log.toString(), lines);
    }

    /** Parses the lines of a time log named {@code source}. */
    static TimeLogReport parse(String source, List<String> lines) {
        final Map<String, List<Double>> byEndpoint = new LinkedHashMap<>();
        int skipped = 0;
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            final Matcher m = LINE.matcher(line);
            final double seconds = m.find() ? parseSeconds(m.group(3)) : Double.NaN;
            if (!Double.isFinite(seconds) || seconds < 0) {
                skipped++;
                continue;
            }
            byEndpoint.computeIfAbsent(m.group(2) + ' ' + m.group(1), k -> new ArrayList<>()).add(seconds);
        }
        final List<Endpoint> endpoints = new ArrayList<>();
        byEndpoint.forEach((key, values) -> {
            final int space = key.indexOf(' ');
            endpoints.add(new Endpoint(key.substring(0, space), key.substring(space + 1), LatencyStatistics.of(
                    values.stream().mapToDouble(Double::doubleValue).toArray())));
        });
        endpoints.sort(Comparator.comparing(Endpoint::role).thenComparing(Endpoint::url));
        return new TimeLogReport(source, List.copyOf(endpoints), skipped);
    }

    private static double parseSeconds(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Prints the table of {@code args[0]} (a {@code chimera_time.log}) and writes one histogram PNG per endpoint
     * into {@code args[1]} ({@value #DEFAULT_OUTPUT} by default). Exits with 2 on bad arguments, 1 when the file
     * cannot be read or holds no latency line.
     */
    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: TimeLogReport <chimera_time.log> [output folder, default "
                               + DEFAULT_OUTPUT + ']');
            System.exit(2);
            return;
        }
        final TimeLogReport report;
        try {
            report = read(Path.of(args[0]));
        } catch (UncheckedIOException e) {
            System.err.println("time-log report: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (report.endpoints().isEmpty()) {
            System.err.println("time-log report: " + args[0] + " holds no latency line (expected lines like "
                               + "'http://127.0.0.1:8081/v1/chimera/model/fit worker endpoint latency = 0.0123 s')");
            System.exit(1);
            return;
        }
        System.out.print(report.table());
        final Path out = Path.of(args.length > 1 ? args[1] : DEFAULT_OUTPUT);
        for (Path png : report.writeHistograms(out, DEFAULT_BINS)) {
            System.out.println("wrote " + png);
        }
    }

    private final String source;
    private final List<Endpoint> endpoints;
    private final int skippedLines;

    private TimeLogReport(String source, List<Endpoint> endpoints, int skippedLines) {
        this.source = source;
        this.endpoints = endpoints;
        this.skippedLines = skippedLines;
    }

    /** The endpoints, sorted by role ({@code master} first), then URL. */
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    /** Lines that were not latency lines (other text, a value that is not a number). */
    public int skippedLines() {
        return skippedLines;
    }

    /** The summary as a text table, latencies in milliseconds. */
    public String table() {
        int urlWidth = "endpoint".length();
        long lines = 0;
        for (Endpoint e : endpoints) {
            urlWidth = Math.max(urlWidth, e.url().length());
            lines += e.statistics().count();
        }
        final StringBuilder sb = new StringBuilder();
        sb.append(source).append(": ").append(lines).append(" latency lines, ").append(endpoints.size())
          .append(endpoints.size() == 1 ? " endpoint" : " endpoints");
        if (skippedLines > 0) {
            sb.append(" (").append(skippedLines).append(skippedLines == 1 ? " other line skipped)"
                                                                          : " other lines skipped)");
        }
        sb.append("\n\n");
        final String row = "%-6s  %-" + urlWidth + "s  %7s  %10s  %10s  %10s  %10s  %10s  %10s%n";
        sb.append(String.format(Locale.ROOT, row, "role", "endpoint", "count", "mean ms", "std ms", "p50 ms",
                                "p95 ms", "p99 ms", "max ms"));
        for (Endpoint e : endpoints) {
            final LatencyStatistics s = e.statistics();
            sb.append(String.format(Locale.ROOT, row, e.role(), e.url(), s.count(), ms(s.mean()), ms(s.std()),
                                    ms(s.percentile(50)), ms(s.percentile(95)), ms(s.percentile(99)),
                                    ms(s.max())));
        }
        return sb.toString();
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds * 1000);
    }

    /**
     * Writes one histogram per endpoint into {@code directory} (created if needed), named after the role and
     * the URL, e.g. {@code worker_127.0.0.1_8081_v1_chimera_model_fit.png}; returns the files in the order of
     * {@link #endpoints()}.
     */
    public List<Path> writeHistograms(Path directory, int bins) {
        requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        final List<Path> files = new ArrayList<>();
        for (Endpoint e : endpoints) {
            final Path file = directory.resolve(e.fileName());
            LatencyChart.writePng(file, e.role() + " endpoint " + e.url(), e.statistics(), bins);
            files.add(file);
        }
        return files;
    }

    /** One endpoint's latencies. */
    public static final class Endpoint {
        private final String role;
        private final String url;
        private final LatencyStatistics statistics;

        Endpoint(String role, String url, LatencyStatistics statistics) {
            this.role = role;
            this.url = url;
            this.statistics = statistics;
        }

        /** {@code master} (a call the master served) or {@code worker} (a call the master made to a worker). */
        public String role() {
            return role;
        }

        /** The URL as the log names it. */
        public String url() {
            return url;
        }

        /** Its latencies' statistics. */
        public LatencyStatistics statistics() {
            return statistics;
        }

        String fileName() {
            final String bare = url.replaceFirst("^[a-z]+://", "");
            return (role + '_' + bare).replaceAll("[^A-Za-z0-9.-]+", "_").replaceAll("_+$", "") + ".png";
        }

        @Override
        public String toString() {
            return role + ' ' + url + ' ' + statistics;
        }
    }
}

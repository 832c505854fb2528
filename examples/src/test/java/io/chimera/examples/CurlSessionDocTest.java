package io.chimera.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * Keeps the curl session of {@code docs/api.md} honest: parses every {@code ```bash} block between
 * {@code <!-- curl-session:start -->} and {@code <!-- curl-session:end -->}, starts the demo's set-up in-process
 * (an {@link AggregationMaster} with workers {@code tree1}-{@code tree3} from {@code examples/demo/chimera_workers}
 * on the breast-cancer training set, process runtime) on free ports, replays each curl command with
 * {@code java.net.http} against it and compares what curl would print with the documented output block that
 * follows: the HTTP status exactly; JSON bodies by shape (same keys, same array lengths, same strings and
 * integers; any number where the doc shows a fractional one); other bodies exactly.
 */
class CurlSessionDocTest {

    private static final String START = "<!-- curl-session:start -->";
    private static final String END = "<!-- curl-session:end -->";
    private static final String DEMO_MASTER = "http://127.0.0.1:8080";
    private static final List<String> WORKERS = List.of("tree1", "tree2", "tree3");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w*)\\n(.*?)^```\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One documented command and the output the doc shows for it. */
    private record Step(String command, String expectedOutput) {}

    /** A parsed curl command line. */
    private record Curl(String method, String url, Map<String, String> headers, String data, String writeOut,
                        boolean discardBody) {}

    @Test
    void curlSessionOfApiMdRunsAsDocumented(@TempDir Path project) throws Exception {
        final Path root = repositoryRoot();
        final List<Step> steps = parseSession(Files.readString(root.resolve("docs/api.md")));
        assertThat(steps).as("documented curl commands").hasSizeGreaterThanOrEqualTo(6);
        final List<Curl> commands = new ArrayList<>();
        for (Step s : steps) {
            commands.add(parseCurl(s.command()));
        }

        layOutDemoProject(root, project);
        final ChimeraConfig config = ChimeraConfig.builder()
                                                  .environment(Map.of())
                                                  .systemProperties(new Properties())
                                                  .workerNames(WORKERS)
                                                  .mappedPorts(Demo.freePorts(WORKERS.size()))
                                                  .runtime("process")
                                                  .build();
        final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                          .connectTimeout(Duration.ofSeconds(5)).build();
        // C1 only: a worker JVM (source launcher + Armeria) starts in ~2 s instead of ~5 s; results are the same.
        try (ChimeraRun run = Chimera.builder(new AggregationMaster()).port(0).config(config)
                                     .projectDirectory(project).workerJvmOptions("-XX:TieredStopAtLevel=1")
                                     .start()) {
            for (int i = 0; i < steps.size(); i++) {
                final Curl curl = commands.get(i);
                final String where = "curl command " + (i + 1) + " of the session (" + curl.method() + ' '
                                     + curl.url() + ')';
                final HttpResponse<String> response = send(http, curl, run.baseUrl());
                final String actual = (curl.discardBody() ? "" : response.body())
                                      + writeOut(curl.writeOut(), response.statusCode());
                compare(where, curl.writeOut(), steps.get(i).expectedOutput(), actual);
            }
        }
    }

    // ---- the doc -------------------------------------------------------------------------------------------

    private static Path repositoryRoot() {
        for (Path p : List.of(Path.of(".."), Path.of("."))) {
            if (Files.isRegularFile(p.resolve("docs/api.md")) && Files.isDirectory(p.resolve("examples/demo"))) {
                return p.toAbsolutePath().normalize();
            }
        }
        throw new IllegalStateException("docs/api.md not found from " + Path.of("").toAbsolutePath());
    }

    /** Each {@code ```bash} block of the session, with the non-bash block that follows it (its output). */
    static List<Step> parseSession(String markdown) {
        final int start = markdown.indexOf(START);
        final int end = markdown.indexOf(END);
        assertThat(start).as("marker " + START + " in docs/api.md").isNotNegative();
        assertThat(end).as("marker " + END + " after " + START).isGreaterThan(start);
        final Matcher m = FENCE.matcher(markdown.substring(start + START.length(), end));
        final List<String[]> blocks = new ArrayList<>();
        while (m.find()) {
            blocks.add(new String[] {m.group(1), m.group(2)});
        }
        final List<Step> steps = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            if (!"bash".equals(blocks.get(i)[0])) {
                fail("docs/api.md curl session: a ```" + blocks.get(i)[0] + " block that follows no ```bash block:\n"
                     + blocks.get(i)[1]);
            }
            if (i + 1 >= blocks.size() || "bash".equals(blocks.get(i + 1)[0])) {
                fail("docs/api.md curl session: no output block after\n" + blocks.get(i)[1]);
            }
            steps.add(new Step(blocks.get(i)[1], blocks.get(i + 1)[1]));
            i++;
        }
        return steps;
    }

    /** Splits a shell command line as bash does for the quoting the doc uses: '...', "...", \ and \newline. */
    static List<String> shellWords(String line) {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            final char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                final char next = line.charAt(++i);
                if (next != '\n') {
                    word.append(next);
                    inWord = true;
                }
            } else if (c == '\'') {
                final int close = line.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed ' in: " + line);
                }
                word.append(line, i + 1, close);
                i = close;
                inWord = true;
            } else if (c == '"') {
                inWord = true;
                for (i++; i < line.length() && line.charAt(i) != '"'; i++) {
                    final char d = line.charAt(i);
                    if (d == '\\' && i + 1 < line.length() && "\"\\$`\n".indexOf(line.charAt(i + 1)) >= 0) {
                        if (line.charAt(++i) != '\n') {
                            word.append(line.charAt(i));
                        }
                    } else if (d == '$' || d == '`') {
                        throw new IllegalArgumentException("expansion in a \"...\" word is not supported: " + line);
                    } else {
                        word.append(d);
                    }
                }
                if (i >= line.length()) {
                    throw new IllegalArgumentException("unclosed \" in: " + line);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if ("$`|;&<>(){}*?#~".indexOf(c) >= 0) {
                throw new IllegalArgumentException("shell syntax '" + c + "' is not supported (one plain curl "
                                                   + "command per block): " + line);
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    /** Reads the curl options the doc uses; any other option fails the test rather than being ignored. */
    static Curl parseCurl(String commandLine) {
        final List<String> words = shellWords(commandLine);
        assertThat(words).as("command: " + commandLine).isNotEmpty();
        assertThat(words.get(0)).as("command: " + commandLine).isEqualTo("curl");
        String method = null;
        String url = null;
        String writeOut = "";
        boolean discardBody = false;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> data = new ArrayList<>();
        final Iterator<String> it = words.subList(1, words.size()).iterator();
        while (it.hasNext()) {
            final String w = it.next();
            switch (w) {
                case "-s", "--silent", "-S", "--show-error" -> { }
                case "-X", "--request" -> method = next(it, w);
                case "-H", "--header" -> {
                    final String h = next(it, w);
                    final int colon = h.indexOf(':');
                    assertThat(colon).as("header " + h).isPositive();
                    headers.put(h.substring(0, colon).trim(), h.substring(colon + 1).trim());
                }
                case "-d", "--data", "--data-raw", "--data-binary" -> {
                    final String d = next(it, w);
                    if (d.startsWith("@") && !"--data-raw".equals(w)) {
                        fail("curl " + w + " @file is not supported: " + commandLine);
                    }
                    data.add(d);
                }
                case "-w", "--write-out" -> writeOut = next(it, w);
                case "-o", "--output" -> {
                    assertThat(next(it, w)).as("only -o /dev/null is supported").isEqualTo("/dev/null");
                    discardBody = true;
                }
                default -> {
                    if (w.startsWith("-")) {
                        fail("curl option " + w + " is not understood by this test: " + commandLine);
                    }
                    assertThat(url).as("one URL per command: " + commandLine).isNull();
                    url = w;
                }
            }
        }
        assertThat(url).as("URL of: " + commandLine).startsWith(DEMO_MASTER + '/');
        final String body = data.isEmpty() ? null : String.join("&", data);
        if (body != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            headers.put("Content-Type", "application/x-www-form-urlencoded"); // what curl -d sends
        }
        if (method == null) {
            method = body != null ? "POST" : "GET";
        }
        return new Curl(method, url, headers, body, writeOut, discardBody);
    }

    private static String next(Iterator<String> it, String option) {
        if (!it.hasNext()) {
            fail("curl " + option + " needs a value");
        }
        return it.next();
    }

    // ---- replaying -----------------------------------------------------------------------------------------

    private static HttpResponse<String> send(HttpClient http, Curl curl, String baseUrl) throws Exception {
        final URI uri = URI.create(baseUrl + curl.url().substring(DEMO_MASTER.length()));
        final HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        curl.headers().forEach(b::header);
        b.method(curl.method(), curl.data() == null ? HttpRequest.BodyPublishers.noBody()
                                                    : HttpRequest.BodyPublishers.ofString(curl.data()));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What curl's {@code -w} prints: {@code %{http_code}} and the escapes {@code \n}, {@code \t}, {@code \\}. */
    static String writeOut(String format, int status) {
        return unescape(format).replace("%{http_code}", Integer.toString(status));
    }

    private static String unescape(String format) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < format.length(); i++) {
            final char c = format.charAt(i);
            if (c == '\\' && i + 1 < format.length()) {
                final char n = format.charAt(++i);
                sb.append(n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n);
            } else {
                sb.append(c);
            }
        }
        final String s = sb.toString();
        if (s.replace("%{http_code}", "").contains("%{")) {
            fail("only %{http_code} is supported in curl -w: " + format);
        }
        return s;
    }

    // ---- comparing -----------------------------------------------------------------------------------------

    private static void compare(String where, String writeOutFormat, String expected, String actual)
            throws JsonProcessingException {
        assertThat(writeOutFormat).as(where + ": use -w '...%{http_code}...' so the doc shows the status")
                                  .contains("%{http_code}");
        final Pattern tail = Pattern.compile(
                "(?s)(.*)" + Pattern.quote(unescape(writeOutFormat)).replace("%{http_code}", "\\E(\\d{3})\\Q")
                + "$");
        final Matcher exp = tail.matcher(expected);
        final Matcher act = tail.matcher(actual);
        assertThat(exp.matches()).as(where + ": the documented output should end with the -w output, got:\n"
                                     + expected).isTrue();
        assertThat(act.matches()).as(where + ": actual output\n" + actual).isTrue();
        final String actualBody = act.group(1);
        final String expectedBody = exp.group(1);
        assertThat(act.group(2)).as(where + ": HTTP status; body was " + actualBody).isEqualTo(exp.group(2));
        final JsonNode expectedJson = tryJson(expectedBody);
        if (expectedJson == null) {
            assertThat(actualBody.strip()).as(where + ": body").isEqualTo(expectedBody.strip());
            return;
        }
        final JsonNode actualJson = tryJson(actualBody);
        assertThat(actualJson).as(where + ": the body should be JSON, got: " + actualBody).isNotNull();
        final List<String> problems = new ArrayList<>();
        sameShape("$", expectedJson, actualJson, problems);
        assertThat(problems).as(where + ": documented\n" + expectedBody + "\nactual\n" + actualBody).isEmpty();
    }

    private static JsonNode tryJson(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            final JsonNode node = JSON.readTree(text);
            return node != null && node.isContainerNode() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /**
     * Same keys and array lengths, equal strings, booleans, nulls and integers; where the doc shows a
     * fractional number (a prediction) any number will do.
     */
    static void sameShape(String path, JsonNode expected, JsonNode actual, List<String> problems) {
        if (expected.isObject()) {
            if (!actual.isObject()) {
                problems.add(path + ": expected an object, got " + actual);
                return;
            }
            final TreeSet<String> e = new TreeSet<>();
            expected.fieldNames().forEachRemaining(e::add);
            final TreeSet<String> a = new TreeSet<>();
            actual.fieldNames().forEachRemaining(a::add);
            if (!e.equals(a)) {
                problems.add(path + ": keys " + a + " (documented: " + e + ')');
                return;
            }
            for (String k : e) {
                sameShape(path + '.' + k, expected.get(k), actual.get(k), problems);
            }
        } else if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                problems.add(path + ": expected an array of " + expected.size() + ", got " + actual);
                return;
            }
            for (int i = 0; i < expected.size(); i++) {
                sameShape(path + '[' + i + ']', expected.get(i), actual.get(i), problems);
            }
        } else if (expected.isFloatingPointNumber()) {
            if (!actual.isNumber()) {
                problems.add(path + ": expected a number, got " + actual);
            }
        } else if (!expected.equals(actual)) {
            problems.add(path + ": " + actual + " (documented: " + expected + ')');
        }
    }

    // ---- the demo's set-up ---------------------------------------------------------------------------------

    /** As {@link Demo}: chimera_workers/tree{1,2,3}.java and each worker's copy of the breast-cancer training set. */
    private static void layOutDemoProject(Path root, Path project) throws IOException {
        final Path workers = Files.createDirectories(project.resolve("chimera_workers"));
        final Path train = root.resolve("data/breast-cancer/chimera_train_data/w1");
        for (String w : WORKERS) {
            Files.copy(root.resolve("examples/demo/chimera_workers").resolve(w + ".java"),
                       workers.resolve(w + ".java"));
            final Path data = Files.createDirectories(project.resolve("chimera_train_data").resolve(w));
            Files.copy(train.resolve("X_train.csv"), data.resolve("X_train.csv"));
            Files.copy(train.resolve("y_train.csv"), data.resolve("y_train.csv"));
        }
    }

}

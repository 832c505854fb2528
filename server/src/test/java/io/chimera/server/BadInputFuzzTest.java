package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.server.InProcessNodes.Node;

/**
 * Seeded random mutations of a valid predict or fit-step body, sent to every kind of node: each answer is a
 * 200 or a 4xx with a well-formed chimera error body, never a 5xx, never a hang, and the node serves on.
 * A failure names the seed and the body, so it can be replayed.
 */
class BadInputFuzzTest {

    static final int CASES_PER_NODE = 300;
    static final long BASE_SEED = 20_240_601L;

    /** Text a mutation may insert: JSON's punctuation, literals JSON lacks, odd numbers, odd characters. */
    static final List<String> FRAGMENTS = List.of(
            "{", "}", "[", "]", ",", ":", "\"", " ", "\\", "null", "true", "NaN", "Infinity", "-", "1e400",
            "-1e400", "1e-400", "\"x\"", "\"NaN\"", "[]", "{}", "0x1F", "99999999999999999999999", "\u0000",
            "\u00e9", "\ud83d\ude00", "\"X_pred_rows\": []", "\"weights\": [0]", "/*", "'");

    /** What may replace a number: other types, strings, out-of-range and special values. */
    static final List<String> VALUES = List.of(
            "null", "\"abc\"", "\"1.5\"", "\"\"", "[]", "[1, 2]", "{}", "true", "\"NaN\"", "\"-Infinity\"",
            "1e400", "-1e400", "1e-400", "-0", "1e308", "3.4e39", "99999999999999999999999", "\" 7 \"");

    static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    static final Pattern KEY = Pattern.compile("\"[A-Za-z_]+\"(?=\\s*:)");

    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                             .connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final InProcessNodes nodes = new InProcessNodes();

    /** Applies one to three random edits to {@code json}. */
    static String mutate(String json, SplittableRandom random) {
        String s = json;
        final int edits = 1 + random.nextInt(3);
        for (int i = 0; i < edits && !s.isEmpty(); i++) {
            final int at = random.nextInt(s.length());
            switch (random.nextInt(7)) {
                case 0:
                    s = s.substring(0, at) + s.substring(at + 1);
                    break;
                case 1:
                    s = s.substring(0, at) + pick(FRAGMENTS, random) + s.substring(at);
                    break;
                case 2:
                    s = s.substring(0, at) + (char) (' ' + random.nextInt(95)) + s.substring(at + 1);
                    break;
                case 3:
                    final int end = Math.min(s.length(), at + 1 + random.nextInt(20));
                    s = s.substring(0, end) + s.substring(at, end) + s.substring(end);
                    break;
                case 4:
                    s = replaceOne(s, NUMBER, pick(VALUES, random), random);
                    break;
                case 5:
                    s = replaceOne(s, KEY, random.nextBoolean() ? "\"X_PRED_ROWS\"" : "\"x_pred_colum\"", random);
                    break;
                default:
                    s = s.substring(0, at);
            }
        }
        return s;
    }

    private static String pick(List<String> from, SplittableRandom random) {
        return from.get(random.nextInt(from.size()));
    }

    /** Replaces one match of {@code pattern}, chosen at random, with {@code with}. */
    private static String replaceOne(String s, Pattern pattern, String with, SplittableRandom random) {
        final List<int[]> matches = new ArrayList<>();
        final Matcher m = pattern.matcher(s);
        while (m.find()) {
            matches.add(new int[] { m.start(), m.end() });
        }
        if (matches.isEmpty()) {
            return s;
        }
        final int[] hit = matches.get(random.nextInt(matches.size()));
        return s.substring(0, hit[0]) + with + s.substring(hit[1]);
    }

    @ParameterizedTest
    @EnumSource(Node.class)
    void mutatedBodies_get200Or4xxWithErrorBody_neverA5xxOrAHang(Node node) throws Exception {
        final String url = nodes.url(node) + node.path;
        final List<String> failures = new ArrayList<>();
        int rejected = 0;
        for (int i = 0; i < CASES_PER_NODE; i++) {
            final long seed = BASE_SEED + i;
            final String body = mutate(node.validBody, new SplittableRandom(seed));
            final HttpResponse<String> res;
            try {
                res = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                                           .header("Content-Type", "application/json")
                                           .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException e) {
                failures.add("seed " + seed + ": no answer within 10 s to " + body);
                continue;
            }
            final String problem = problem(res);
            if (problem != null) {
                failures.add("seed " + seed + ": " + problem + " for " + body);
            }
            rejected += res.statusCode() == 200 ? 0 : 1;
        }
        assertThat(failures).as("%s: answers that are neither 200 nor a 4xx error body", node).isEmpty();
        // The mutations mostly break the body; a fuzzer whose every body passed would test nothing.
        assertThat(rejected).isGreaterThan(CASES_PER_NODE / 2);
        nodes.assertServes(node);
    }

    /** What is wrong with an answer, or null when it is a 200 or a 4xx with chimera's error body. */
    private static String problem(HttpResponse<String> res) {
        final int status = res.statusCode();
        if (status == 200) {
            return null;
        }
        if (status < 400 || status >= 500) {
            return "status " + status + " " + res.body();
        }
        final ChimeraException e = ErrorBody.parse(status, res.body());
        if (e == null || e.httpStatus() != status || e.getMessage().isBlank()
            || !res.headers().firstValue("content-type").orElse("").startsWith("application/json")) {
            return "not chimera's error body: " + status + " " + res.body();
        }
        return null;
    }
}

package io.chimera.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chimera.runtime.TreeWorkerMain;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerLaunch;
import io.chimera.runtime.WorkerSpec;

/**
 * A worker's limits follow its heap (issue 17: one 250 MiB body, under the old fixed 256 MiB limit, ended in
 * "500 Java heap space" on a 1 GiB heap): a real worker on a 256 MiB heap refuses a bigger body with 413 before
 * reading it; refuses, with 413 and the number of rows it takes, a body under that limit made of the smallest
 * rows JSON allows (whose answer would need some fifty times the body); and answers that many rows with 200.
 */
class WorkerBodyLimitTest {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                     .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Pattern LIMIT = Pattern.compile("at most (\\d+) bytes");
    private static final Pattern MAX_ROWS = Pattern.compile("at most ([\\d,]+) rows at once");

    @TempDir
    Path dir;

    @Test
    void aWorkerWithA256MiBHeap_refusesWhatItCannotHold_andAnswersTheLargestBodyItTakes() throws Exception {
        final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve("small"));
        final StringBuilder x = new StringBuilder("a,b\n");
        final StringBuilder y = new StringBuilder("label\n");
        for (int i = 0; i < 40; i++) {
            x.append(i % 10).append(',').append(i % 7).append('\n');
            y.append(i % 10 < 5 ? 0 : 1).append('\n');
        }
        Files.writeString(data.resolve("X_train.csv"), x);
        Files.writeString(data.resolve("y_train.csv"), y);
        final int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        final ProcessWorkerRuntime runtime = ProcessWorkerRuntime.builder().workingDirectory(dir)
                                                                 .jvmOptions("-Xmx256m", "-XX:+UseSerialGC")
                                                                 .startupTimeout(Duration.ofSeconds(60)).build();
        try (runtime) {
            final WorkerEndpoint worker = runtime.start(List.of(
                    WorkerSpec.builder().name("small").index(0).mappedPort(port)
                              .launch(WorkerLaunch.mainClass(TreeWorkerMain.class.getName())).build())).get(0);
            assertThat(post(worker.baseUrl() + "/v1/chimera/model/fit", "").statusCode()).isEqualTo(200);

            // 1. A body announced at 200 MiB: refused before it is read, naming the limit.
            final String refused = announce(port, 200L * 1024 * 1024);
            assertThat(refused).startsWith("HTTP/1.1 413").contains("PayloadTooLargeError");
            final Matcher m = LIMIT.matcher(refused);
            assertThat(m.find()).as(refused).isTrue();
            final long limit = Long.parseLong(m.group(1));
            // A sixty-fourth of the heap: about 4 MiB, far under the 256 MiB a big heap gets.
            assertThat(limit).isBetween(3L * 1024 * 1024, 4L * 1024 * 1024);

            // 2. A body under that limit, of the smallest rows JSON allows ("[1,2]", six bytes a row): its answer
            //    would need some fifty times the body, so it is refused by its row count, before any work.
            final String head = "{\"X_pred_columns\": [\"a\", \"b\"], \"X_pred_rows\": [";
            final String tooMany = rowsBody(head, limit - 16, Integer.MAX_VALUE);
            assertThat((long) tooMany.length()).isLessThanOrEqualTo(limit);
            final HttpResponse<String> refusedRows = post(worker.baseUrl() + "/v1/chimera/model/predict", tooMany);
            assertThat(refusedRows.statusCode()).as(refusedRows.body()).isEqualTo(413);
            assertThat(refusedRows.body()).contains("PayloadTooLargeError").contains("rows at once")
                                           .contains("-Xmx");
            final Matcher most = MAX_ROWS.matcher(refusedRows.body());
            assertThat(most.find()).as(refusedRows.body()).isTrue();
            final int maxRows = Integer.parseInt(most.group(1).replace(",", ""));
            // The heap over 512 bytes a row: 524,288 rows on a 256 MiB heap (the JVM reports a little less).
            assertThat(maxRows).isBetween(400_000, 524_288);

            // 3. The most rows it takes, answered: each row's prediction and class probabilities come back.
            final String answeredBody = rowsBody(head, Long.MAX_VALUE, maxRows);
            final HttpResponse<String> answered = post(worker.baseUrl() + "/v1/chimera/model/predict",
                                                       answeredBody);
            assertThat(answered.statusCode()).as(answered.body().substring(0, Math.min(300, answered.body()
                                                                                                 .length())))
                                             .isEqualTo(200);
            assertThat(answered.body()).contains("\"y_pred_rows\"").contains("\"y_pred_proba\"");
            final int yPred = answered.body().indexOf("\"y_pred_rows\"");
            final String predictions = answered.body().substring(answered.body().indexOf('[', yPred),
                                                                 answered.body().indexOf(']', yPred) + 1);
            assertThat(predictions.chars().filter(c -> c == ',').count()).isEqualTo(maxRows - 1);

            // 4. A body just under the limit that the transcoder reads (numbers as strings: an object per cell).
            final StringBuilder strings = new StringBuilder(head);
            int n = 0;
            while (strings.length() + 16 < limit) {
                strings.append(n == 0 ? "" : ",").append("[\"").append(n % 10).append("\",\"").append(n % 7)
                       .append("\"]");
                n++;
            }
            final HttpResponse<String> transcoded = post(worker.baseUrl() + "/v1/chimera/model/predict",
                                                         strings.append("]}").toString());
            assertThat(transcoded.statusCode()).as(transcoded.body().substring(0, Math.min(300, transcoded.body()
                                                                                                   .length())))
                                               .isEqualTo(200);

            // 5. And the worker is still there for the next request.
            assertThat(post(worker.baseUrl() + "/v1/chimera/model/predict",
                            head + "[1,2]]}").statusCode()).isEqualTo(200);
        }
    }

    /** A predict body of rows {@code [i % 10, i % 7]}: as many as fit in {@code bytes}, at most {@code rows}. */
    private static String rowsBody(String head, long bytes, int rows) {
        final StringBuilder body = new StringBuilder(head);
        int n = 0;
        while (n < rows && body.length() + 8 < bytes) {
            body.append(n == 0 ? "" : ",").append('[').append(n % 10).append(',').append(n % 7).append(']');
            n++;
        }
        return body.append("]}").toString();
    }

    private static HttpResponse<String> post(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                         BodyHandlers.ofString());
    }

    /** Sends the head of a POST whose body announces {@code length} bytes, and returns the answer. */
    private static String announce(int port, long length) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chimera/model/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                       "Content-Type: application/json\r\nContent-Length: " + length + "\r\n\r\n")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final InputStream in = socket.getInputStream();
            final StringBuilder answer = new StringBuilder();
            final byte[] buffer = new byte[4096];
            int n;
            try {
                while (!answer.toString().contains("}") && (n = in.read(buffer)) > 0) {
                    answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                }
            } catch (java.net.SocketTimeoutException e) {
                // What came is the answer.
            }
            return answer.toString();
        }
    }
}

package io.chimera.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * A request whose body stops short of its Content-Length is answered 408 with chimera's body once the body timeout
 * has passed, and the connection is closed; a call whose body arrived may take longer than that timeout to answer.
 */
class RequestTimeoutTest {

    private static NodeServer server;

    /** A fit that takes 2.5 s: longer than the body timeout of the server under test. */
    static final class SlowFit extends ModelWorkerServiceGrpc.ModelWorkerServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            try {
                Thread.sleep(2500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.onNext(FitResponse.newBuilder().setFit("ok").build());
            out.onCompleted();
        }
    }

    @BeforeAll
    static void start() {
        server = NodeServer.builder().name("timeouts").service(new SlowFit())
                           .requestBodyTimeout(Duration.ofSeconds(1)).build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aPartialBody_isAnswered408WithinSeconds() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            final OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chimera/model/predict HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"X_pred")
                              .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            final long start = System.nanoTime();
            final String answer = readAll(socket.getInputStream());
            final double seconds = (System.nanoTime() - start) / 1e9;

            assertThat(answer).startsWith("HTTP/1.1 408 ");
            assertThat(answer).contains("{\"message\":\"the request did not arrive within 1 s: its body stopped "
                                        + "short of what its headers announced\",\"details\":{\"errorCode\":408,"
                                        + "\"errorMessage\":\"RequestTimeoutError\"}}");
            assertThat(seconds).isBetween(0.5, 5.0);
        }
    }

    @Test
    void aCallWhoseBodyArrived_isNotCutShortByTheBodyTimeout() throws Exception {
        final HttpResponse<String> res = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chimera/model/fit"))
                           .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        assertThat(res.body()).contains("ok");
    }

    /** Reads until the server closes the connection (or 10 s pass, which fails the test through its timeout). */
    private static String readAll(InputStream in) throws Exception {
        final StringBuilder sb = new StringBuilder();
        final byte[] buffer = new byte[4096];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            sb.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            if (sb.indexOf("}}") >= 0) {
                break;
            }
        }
        return sb.toString();
    }
}

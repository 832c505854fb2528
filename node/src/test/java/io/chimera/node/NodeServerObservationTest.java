package io.chimera.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;

/**
 * What a node with a latency observer (a master) reports and lists: a gRPC call and a REST call to the same
 * method are observed under the same REST path, and {@code /docs} lists every service, however it is added.
 */
class NodeServerObservationTest {

    static final List<String> observed = new CopyOnWriteArrayList<>();
    static NodeServer server;

    @BeforeAll
    static void start() {
        server = NodeServer.builder().name("observed")
                           .service(new NodeServerTest.EchoService())
                           .quickService(new NodeServerTest.StepService())
                           .latencyObserver((url, seconds) -> observed.add(url))
                           .build().start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void grpcAndRestCallsToOneMethod_areObservedUnderItsRestPath() throws Exception {
        final String base = "http://127.0.0.1:" + server.port();
        observed.clear();

        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/v1/chimera/model/fit"))
                                   .POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
                .isEqualTo(200);
        GrpcClients.newClient(base, ModelWorkerServiceGrpc.ModelWorkerServiceBlockingStub.class)
                   .fit(FitRequest.getDefaultInstance());

        // The observer runs once the response is complete, which may be just after the client has it.
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (observed.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(observed).containsExactly(base + "/v1/chimera/model/fit", base + "/v1/chimera/model/fit");
    }

    @Test
    void docs_listEveryServiceAndMethod() throws Exception {
        final HttpResponse<String> res = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/docs/specification.json")).GET().build());
        assertThat(res.statusCode()).isEqualTo(200);

        final JsonNode services = new ObjectMapper().readTree(res.body()).get("services");
        final List<String> listed = new ArrayList<>();
        services.forEach(s -> s.get("methods").forEach(m -> listed.add(s.get("name").asText() + '/'
                                                                        + m.get("name").asText())));
        assertThat(listed).contains("chimera.v1.ModelWorkerService/Fit", "chimera.v1.ModelWorkerService/Predict",
                                    "chimera.v1.ModelWorkerService/Export",
                                    "chimera.v1.SgdWorkerService/FitStep", "chimera.v1.SgdWorkerService/FitSteps",
                                    "chimera.v1.SgdWorkerService/RequestDataSample",
                                    "chimera.v1.SgdWorkerService/DataStatistics");
    }

    @Test
    void docsPageThatDoesNotExist_answersChimerasErrorBody() throws Exception {
        final HttpResponse<String> res = send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/docs/no-such-page.js")).GET().build());
        assertThat(res.statusCode()).isEqualTo(404);
        assertThat(res.headers().firstValue("content-type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        assertThat(res.body()).isEqualTo("{\"message\":\"Not Found: GET /docs/no-such-page.js\",\"details\":"
                                         + "{\"errorCode\":404,\"errorMessage\":\"NotFoundError\"}}");
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}

package io.chimera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;

/** The REST transport against answers a master does not give: a proxy's page, a body too large, not JSON. */
class RestMasterConnectionTest {

    private HttpServer server;
    private volatile int status;
    private volatile byte[] body;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private ChimeraClient client() {
        return ChimeraClient.builder("http://127.0.0.1:" + server.getAddress().getPort())
                            .transport(Transport.REST).build();
    }

    @Test
    void chimeraErrorBody_isTheMastersError() {
        status = 409;
        body = ErrorBody.toJson(409, ChimeraException.FIT_IN_PROGRESS_ERROR, "a fit is running");
        try (ChimeraClient client = client()) {
            assertThatThrownBy(client::fit).isInstanceOfSatisfying(ChimeraException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(409);
                assertThat(e.errorType()).isEqualTo(ChimeraException.FIT_IN_PROGRESS_ERROR);
                assertThat(e.getMessage()).isEqualTo("a fit is running");
            });
        }
    }

    @Test
    void proxyPage_keepsItsStatusAndQuotesIt() {
        status = 502;
        body = "<html>Bad Gateway</html>".getBytes(StandardCharsets.UTF_8);
        try (ChimeraClient client = client()) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(ChimeraException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(502);
                assertThat(e.errorType()).isEqualTo(ChimeraException.INTERNAL_ERROR);
                assertThat(e.getMessage()).endsWith("answered HTTP 502: <html>Bad Gateway</html>");
            });
        }
    }

    @Test
    void okButNotTheMessage_is502() {
        status = 200;
        body = "not json".getBytes(StandardCharsets.UTF_8);
        try (ChimeraClient client = client()) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(ChimeraException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(502);
                assertThat(e.getMessage()).contains("answered a body that is not a MasterStatus");
            });
        }
    }

    @Test
    void answerOverTheLimit_failsTheCallInsteadOfFillingTheHeap() {
        status = 200;
        body = new byte[RestMasterConnection.MAX_RESPONSE_BYTES + 1];
        try (ChimeraClient client = client()) {
            assertThatThrownBy(client::status).isInstanceOfSatisfying(ChimeraException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(503);
                assertThat(e.errorType()).isEqualTo(ChimeraClient.MASTER_UNREACHABLE_ERROR);
                assertThat(e.getMessage()).contains("larger than " + RestMasterConnection.MAX_RESPONSE_BYTES);
            });
        }
    }

    @Test
    void closedClient_failsAsUnreachable() {
        status = 200;
        body = "{}".getBytes(StandardCharsets.UTF_8);
        final ChimeraClient client = client();
        assertThat(client.status().getMaster()).isEmpty();
        client.close();
        assertThatThrownBy(client::status).isInstanceOfSatisfying(ChimeraException.class, e -> {
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.errorType()).isEqualTo(ChimeraClient.MASTER_UNREACHABLE_ERROR);
        });
    }
}

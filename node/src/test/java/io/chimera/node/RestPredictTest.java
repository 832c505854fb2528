package io.chimera.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.grpc.stub.StreamObserver;

/**
 * {@link NodeServerBuilder#restPredict}: the same request to a node with the fast path and to one without
 * gets the same status, content type and bytes, and only plain bodies take the fast path.
 */
class RestPredictTest {

    /** Answers every value of the table, row by row; some column names fail, synchronously or not. */
    static final class TableEcho extends ModelWorkerServiceGrpc.ModelWorkerServiceImplBase {
        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            final Table t = Table.fromPredictRequest(request);
            if (t.columns().contains("notfitted")) {
                throw ChimeraException.notFitted("the model is not fitted yet: call fit first");
            }
            if (t.columns().contains("later")) {
                out.onError(ErrorBody.toGrpc(ChimeraException.fitInProgress("a fit is running")));
                return;
            }
            if (t.columns().contains("boom")) {
                throw new IllegalStateException("boom");
            }
            final PredictResponse.Builder b = PredictResponse.newBuilder();
            for (double v : t.values()) {
                b.addYPredRows(v);
            }
            out.onNext(b.build());
            out.onCompleted();
        }
    }

    static final AtomicInteger fastCalls = new AtomicInteger();
    static NodeServer fast;
    static NodeServer plain;

    @BeforeAll
    static void start() {
        final TableEcho service = new TableEcho();
        fast = NodeServer.builder().service(service)
                         .restPredict(ChimeraPaths.MODEL_PREDICT, ModelWorkerServiceGrpc.getServiceDescriptor(),
                                      (request, out) -> {
                                          fastCalls.incrementAndGet();
                                          service.predict(request, out);
                                      })
                         .build().start();
        plain = NodeServer.builder().service(new TableEcho()).build().start();
    }

    @AfterAll
    static void stop() {
        fast.close();
        plain.close();
    }

    static Stream<Object[]> bodies() {
        final List<Object[]> cases = new ArrayList<>();
        final String ab = "{\"X_pred_columns\": [\"a\", \" B \"], \"X_pred_rows\": ";
        // Plain: the fast path answers.
        cases.add(new Object[] { ab + "[[1, 2.5], [-3, 4e2]]}", true });
        cases.add(new Object[] { "{\"X_pred_rows\": [[0.1, -0.0]], \"X_pred_columns\": [\"a\", \"b\"]}", true });
        cases.add(new Object[] { ab + "[[1e-400, 9007199254740993], [1.7976931348623157e308, 123456789012345678]]}",
                                 true });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"a\", \"a\"], \"X_pred_rows\": [[1, 2]]}", true });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"notfitted\"], \"X_pred_rows\": [[1]]}", true });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"later\"], \"X_pred_rows\": [[1]]}", true });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"boom\"], \"X_pred_rows\": [[1]]}", true });
        cases.add(new Object[] { "{\"X_pred_columns\": [], \"X_pred_rows\": [[]]}", false });
        cases.add(new Object[] { randomRows(3000, 7), true }); // over 64 KiB: read off the event loop
        cases.add(new Object[] { " {\n \"X_pred_columns\" : [ \"a\" ,\"b\" ] ,"
                                 + "\t\"X_pred_rows\":[ [ 1 , -2E-3 ] ]\r\n} ",
                                 true });
        cases.add(new Object[] { ab + "[[0, -0.5e+2], [10, 1E1]]}", true });
        cases.add(new Object[] { ab + "[[1, 123456789012345678901234567890]]}", true });
        // Not plain: the transcoder answers, as before.
        cases.add(new Object[] { ab + "[[\"1\", true], [3, 4]]}", false });
        cases.add(new Object[] { ab + "[[1, 2], [3]]}", false });
        cases.add(new Object[] { ab + "[]}", false });
        cases.add(new Object[] { ab + "[[1, 2]], \"extra\": 1}", false });
        cases.add(new Object[] { ab + "[[1, 2]], \"X_pred_rows\": [[3, 4]]}", false });
        cases.add(new Object[] { ab + "[[1, 2]]} x", false });
        cases.add(new Object[] { ab + "[[1, 2, 3]]}", false });
        cases.add(new Object[] { ab + "[[1, null]]}", false });
        cases.add(new Object[] { ab + "[[1, 1e400]]}", false });
        cases.add(new Object[] { ab + "[[1, NaN]]}", false });
        cases.add(new Object[] { ab + "[[1, +2]]}", false });
        cases.add(new Object[] { ab + "[[1, .5]]}", false });
        cases.add(new Object[] { ab + "[[1, 5.]]}", false });
        cases.add(new Object[] { ab + "[[1, 01]]}", false });
        cases.add(new Object[] { ab + "[[1, 1e]]}", false });
        cases.add(new Object[] { ab + "[[1, 2],]}", false });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"\u00e9t\u00e9\", \"b\"], \"X_pred_rows\": [[1, 2]]}",
                                 false });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"a\\u0062\"], \"X_pred_rows\": [[1]]}", false });
        cases.add(new Object[] { "{}", false });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"a\"], \"X_pred_matrix\": {\"rows\": 1, \"cols\": 1, "
                                 + "\"values\": [1]}}", false });
        cases.add(new Object[] { "[1, 2]", false });
        cases.add(new Object[] { "{\"X_pred_columns\": [\"a\"]", false });
        return cases.stream();
    }

    private static String randomRows(int rows, long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final StringBuilder sb = new StringBuilder("{\"X_pred_columns\": [\"x\", \"y\", \"z\"], \"X_pred_rows\": [");
        for (int r = 0; r < rows; r++) {
            sb.append(r == 0 ? "[" : ", [").append(random.nextDouble(-1e6, 1e6)).append(", ")
              .append(random.nextInt(100)).append(", ")
              .append(random.nextLong(1_000_000_000L) + "e" + random.nextInt(-20, 20))
              .append(']');
        }
        return sb.append("]}").toString();
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void restPredict_answersAsTheTranscoder(String body, boolean plainBody) {
        final int before = fastCalls.get();
        final AggregatedHttpResponse expected = post(plain, body);
        final AggregatedHttpResponse actual = post(fast, body);

        assertThat(actual.status()).isEqualTo(expected.status());
        assertThat(actual.contentType()).isEqualTo(expected.contentType());
        assertThat(actual.contentUtf8()).isEqualTo(expected.contentUtf8());
        assertThat(fastCalls.get() - before).isEqualTo(plainBody ? 1 : 0);
    }

    private static AggregatedHttpResponse post(NodeServer server, String body) {
        return WebClient.of("http://127.0.0.1:" + server.port())
                        .execute(RequestHeaders.builder(HttpMethod.POST, ChimeraPaths.MODEL_PREDICT)
                                               .contentType(MediaType.JSON_UTF_8).build(), body)
                        .aggregate().join();
    }
}

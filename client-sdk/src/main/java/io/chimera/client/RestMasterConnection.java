package io.chimera.client;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.util.Exceptions;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.TrainingHistory;

/**
 * Calls a master on chimera's REST paths with chimera's JSON, printed and parsed by protobuf's {@link JsonFormat}
 * from the generated messages; rows travel as {@code X_pred_rows}.
 */
final class RestMasterConnection implements MasterConnection {

    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    // A newer master may add fields; an older client should still read what it knows.
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private final String baseUrl;
    private final Duration timeout;
    private final WebClient client;
    private final String fitPath;
    private final String predictPath;
    private final String modelPath;

    RestMasterConnection(String baseUrl, MasterKind master, ClientFactory factory, Duration timeout) {
        this.baseUrl = baseUrl;
        this.timeout = timeout;
        client = WebClient.builder(baseUrl).factory(factory).responseTimeout(timeout).build();
        final boolean ps = master == MasterKind.PARAMETER_SERVER;
        fitPath = ps ? ChimeraPaths.PARAMETER_SERVER_FIT : ChimeraPaths.AGGREGATION_FIT;
        predictPath = ps ? ChimeraPaths.PARAMETER_SERVER_PREDICT : ChimeraPaths.AGGREGATION_PREDICT;
        modelPath = ps ? ChimeraPaths.PARAMETER_SERVER_MODEL : ChimeraPaths.AGGREGATION_MODEL;
    }

    @Override
    public FitResponse fit() {
        return exchange(post(fitPath, FitRequest.getDefaultInstance()), FitResponse.getDefaultInstance());
    }

    @Override
    public PredictResponse predict(Table table) {
        return exchange(post(predictPath, table.toRowsPredictRequest()), PredictResponse.getDefaultInstance());
    }

    @Override
    public TrainingHistory history() {
        return exchange(HttpRequest.of(HttpMethod.GET,
                                       ChimeraPaths.PARAMETER_SERVER_HISTORY),
                        TrainingHistory.getDefaultInstance());
    }

    @Override
    public ModelArtifact exportModel() {
        return exchange(HttpRequest.of(HttpMethod.GET, modelPath), ModelArtifact.getDefaultInstance());
    }

    @Override
    public MasterStatus status() {
        return exchange(HttpRequest.of(HttpMethod.GET, ChimeraPaths.STATUS), MasterStatus.getDefaultInstance());
    }

    private static HttpRequest post(String path, Message body) {
        try {
            return HttpRequest.of(HttpMethod.POST, path, MediaType.JSON_UTF_8,
                                  PRINTER.print(body));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print " + body.getDescriptorForType().getName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private <M extends Message> M exchange(HttpRequest request, M prototype) {
        final AggregatedHttpResponse res;
        try {
            res = client.execute(request).aggregate().join();
        } catch (CompletionException e) {
            final Throwable cause = Exceptions.peel(e);
            if (cause instanceof ResponseTimeoutException) {
                throw ChimeraClient.timedOut(baseUrl, timeout);
            }
            throw ChimeraClient.unreachable(baseUrl, cause);
        }
        final int status = res.status().code();
        final String body = res.contentUtf8();
        if (!res.status().isSuccess()) {
            final ChimeraException error = ErrorBody.parse(status, body);
            throw error != null ? error : notChimera(status, body);
        }
        final Message.Builder builder = prototype.newBuilderForType();
        try {
            PARSER.merge(body, builder);
        } catch (InvalidProtocolBufferException e) {
            throw new ChimeraException(502, ChimeraException.INTERNAL_ERROR,
                                       "master at " + baseUrl + " answered a body that is not a "
                                       + prototype.getDescriptorForType().getName() + ": " + e.getMessage());
        }
        return (M) builder.build();
    }

    /** A non-2xx answer without chimera's error body (a proxy's page, say). */
    private ChimeraException notChimera(int status, String body) {
        final boolean error = status >= 400 && status <= 599;
        final String excerpt = body.length() <= 200 ? body : body.substring(0, 200) + "...";
        return new ChimeraException(error ? status : 502,
                                    error && status < 500 ? ChimeraException.VALIDATION_ERROR
                                                          : ChimeraException.INTERNAL_ERROR,
                                    "master at " + baseUrl + " answered HTTP " + status + ": " + excerpt);
    }

    @Override
    public String toString() {
        return "REST";
    }
}

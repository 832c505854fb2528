package io.chimera.node.internal;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.node.PredictHandler;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.StreamObserver;

/**
 * Serves a REST predict whose body {@link PredictJson} reads (chimera's plain form) by calling the service's
 * predict method directly with the compact request, and writes the answer with the service's own JSON
 * marshaller, so the bytes are those the transcoder would write. Any other body, and every other request, goes
 * on to the transcoder unchanged. Errors are rendered as the transcoder renders them: chimera's body with the
 * error's status.
 *
 * <p>Small bodies are handled on the event loop, saving the two thread hand-offs of a blocking service (a
 * single-row predict); large ones on the blocking-task executor, so that reading them does not hold up the
 * event loop.
 */
public final class RestPredictFastPath implements DecoratingHttpServiceFunction {

    private static final int INLINE_BYTES = 64 * 1024;
    private static final Marshaller<PredictResponse> RESPONSE =
            ProtoUtils.marshaller(PredictResponse.getDefaultInstance());

    private final String path;
    private final PredictHandler handler;
    private final GrpcJsonMarshaller json;

    /** Serves REST predicts on {@code path} through {@code handler}, answering with {@code json}. */
    public RestPredictFastPath(String path, PredictHandler handler, GrpcJsonMarshaller json) {
        this.path = requireNonNull(path, "path");
        this.handler = requireNonNull(handler, "handler");
        this.json = requireNonNull(json, "json");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final MediaType contentType = req.contentType();
        if (req.method() != HttpMethod.POST || !path.equals(ctx.path()) || contentType == null
            || !contentType.isJson() || GrpcPathGuard.isGrpc(contentType) || !JsonBodyCheck.isUtf8(contentType)) {
            return delegate.serve(ctx, req);
        }
        return HttpResponse.of(req.aggregate().thenCompose(body -> {
            if (body.content().length() <= INLINE_BYTES) {
                return answer(delegate, ctx, body);
            }
            return CompletableFuture.supplyAsync(() -> answer(delegate, ctx, body), ctx.blockingTaskExecutor())
                                    .thenCompose(response -> response);
        }));
    }

    private CompletableFuture<HttpResponse> answer(HttpService delegate, ServiceRequestContext ctx,
                                                   AggregatedHttpRequest body) {
        try (SafeCloseable ignored = ctx.push()) {
            final PredictRequest request = PredictJson.parse(body.content().array());
            if (request == null) {
                return CompletableFuture.completedFuture(delegate.serve(ctx, body.toHttpRequest()));
            }
            final CompletableFuture<HttpResponse> answer = new CompletableFuture<>();
            try {
                handler.predict(request, new Answer(ctx, answer));
            } catch (Throwable t) {
                answer.complete(error(ErrorMapping.toChimeraException(ctx, t)));
            }
            return answer;
        } catch (Exception e) {
            return CompletableFuture.completedFuture(HttpResponse.ofFailure(e));
        }
    }

    private static HttpResponse error(ChimeraException e) {
        return ErrorResponses.toResponse(e).toHttpResponse();
    }

    /** Turns the service's answer into the HTTP response. */
    private final class Answer implements StreamObserver<PredictResponse> {
        private final ServiceRequestContext ctx;
        private final CompletableFuture<HttpResponse> response;
        private PredictResponse value;

        Answer(ServiceRequestContext ctx, CompletableFuture<HttpResponse> response) {
            this.ctx = ctx;
            this.response = response;
        }

        @Override
        public void onNext(PredictResponse value) {
            this.value = value;
        }

        @Override
        public void onError(Throwable t) {
            final Status status = Status.fromThrowable(t);
            response.complete(error(status.getCode() == Status.Code.UNKNOWN
                                    ? ErrorMapping.toChimeraException(ctx, t)
                                    : ErrorBody.fromGrpc(status, Status.trailersFromThrowable(t))));
        }

        @Override
        public void onCompleted() {
            try {
                final Buffer out = new Buffer(
                        value.getYPredRowsCount() * 24 + value.getYPredProba().getValuesCount() * 24 + 64);
                json.serializeMessage(RESPONSE, value, out);
                response.complete(HttpResponse.of(HttpStatus.OK, MediaType.JSON_UTF_8, out.data()));
            } catch (IOException | RuntimeException e) {
                response.complete(error(ErrorMapping.toChimeraException(ctx, e)));
            }
        }
    }

    /** The answer's bytes, handed to the response as they are: a large answer is not copied once more. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        HttpData data() {
            return HttpData.wrap(buf, 0, count);
        }
    }
}

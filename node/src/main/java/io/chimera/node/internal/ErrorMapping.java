package io.chimera.node.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.grpc.GrpcExceptionHandlerFunction;
import com.linecorp.armeria.common.util.Exceptions;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServerErrorHandler;
import com.linecorp.armeria.server.ServiceConfig;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.proto.v1.ChimeraProto;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;

/**
 * Turns every failure of a node into chimera's error body: exceptions of our services (over gRPC and REST),
 * the transcoder's complaints about the JSON, what the gRPC transport cannot read, and the statuses the server
 * renders itself (404, 405, 413, 415). A gRPC caller gets the same error as a gRPC status with chimera's
 * trailers.
 */
public final class ErrorMapping {

    private static final org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(ErrorMapping.class);

    /** Maps exceptions thrown by gRPC service methods to a status plus chimera's trailers. */
    public static GrpcExceptionHandlerFunction grpcExceptionHandler() {
        return (ctx, status, cause, metadata) -> {
            final ChimeraException e = toChimeraException(ctx, cause);
            metadata.put(ErrorBody.STATUS_KEY, Integer.toString(e.httpStatus()));
            metadata.put(ErrorBody.TYPE_KEY, e.errorType());
            return Status.fromCode(ErrorBody.grpcCode(e.httpStatus())).withDescription(e.getMessage());
        };
    }

    /** Renders a failed transcoded (REST) call as chimera's error body. */
    public static UnframedGrpcErrorHandler transcodingErrorHandler() {
        return (ctx, status, response) -> {
            String code = header(response.trailers(), ErrorBody.STATUS_KEY.name());
            String type = header(response.trailers(), ErrorBody.TYPE_KEY.name());
            if (code == null) {
                code = header(response.headers(), ErrorBody.STATUS_KEY.name());
                type = header(response.headers(), ErrorBody.TYPE_KEY.name());
            }
            final int http;
            if (code != null) {
                http = Integer.parseInt(code);
            } else if (status.getCode() == Status.Code.INTERNAL && status.getCause() == null
                       && status.getDescription() != null
                       && status.getDescription().contains("protobuf")) {
                // The JSON did not fit the message (unknown field, wrong value type): the caller's mistake.
                http = 400;
            } else {
                http = ErrorBody.httpStatus(status.getCode());
            }
            // The description comes from the call's grpc-message header, percent-encoded as gRPC writes it: a
            // column name in Unicode must come back as the caller wrote it.
            final String message = percentDecode(describe(status));
            return ErrorResponses.toResponse(http, type != null ? type : ErrorBody.defaultType(http), message)
                            .toHttpResponse();
        };
    }

    /** Renders errors the server produces outside our services. */
    public static ServerErrorHandler serverErrorHandler() {
        return new ServerErrorHandler() {
            @Override
            public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
                return respond(ctx.request().headers(), toChimeraException(ctx, cause)).toHttpResponse();
            }

            @Override
            public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, ServiceConfig config,
                                                       RequestHeaders headers, HttpStatus status,
                                                       String description, Throwable cause) {
                if (status.code() < 400) {
                    return null;
                }
                String message = description != null ? description : status.reasonPhrase();
                if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE) {
                    message = tooLarge(ctx != null ? ctx.maxRequestLength() : config.maxRequestLength());
                }
                if (headers != null && (status == HttpStatus.NOT_FOUND
                                        || status == HttpStatus.METHOD_NOT_ALLOWED)) {
                    message = status.reasonPhrase() + ": " + headers.method() + ' ' + headers.path();
                }
                return respond(headers, new ChimeraException(status.code(), typeOf(status), message));
            }
        };
    }

    /**
     * Decorates the documentation service, whose own errors (a page that does not exist) are plain text: they get
     * chimera's body, as every other error does.
     */
    public static HttpResponse docsErrors(HttpService delegate, ServiceRequestContext ctx, HttpRequest req)
            throws Exception {
        final HttpResponse res = delegate.serve(ctx, req);
        return HttpResponse.of(res.aggregate().thenApply(agg -> {
            final HttpStatus status = agg.status();
            final MediaType type = agg.contentType();
            if (status.code() < 400 || type != null && type.is(MediaType.JSON)) {
                return agg.toHttpResponse();
            }
            final String message = status == HttpStatus.NOT_FOUND || status == HttpStatus.METHOD_NOT_ALLOWED
                                   ? status.reasonPhrase() + ": " + req.method() + ' ' + req.path()
                                   : status.reasonPhrase();
            return ErrorResponses.toResponse(status.code(), typeOf(status), message).toHttpResponse();
        }));
    }

    /**
     * chimera's error body, or for a gRPC call the same error as a gRPC status with chimera's trailers (see
     * {@link #respond}).
     */
    public static AggregatedHttpResponse errorResponse(RequestHeaders request, ChimeraException e) {
        return respond(request, e);
    }

    /**
     * chimera's error body; for a gRPC call, the same error as a gRPC status with chimera's trailers, in a
     * "trailers-only" answer (the status in the headers), which is how a gRPC server fails a call at once.
     */
    private static AggregatedHttpResponse respond(RequestHeaders request, ChimeraException e) {
        final MediaType contentType = request != null ? request.contentType() : null;
        if (!GrpcPathGuard.isGrpc(contentType)) {
            return ErrorResponses.toResponse(e);
        }
        return AggregatedHttpResponse.of(
                ResponseHeaders.builder(HttpStatus.OK)
                               .contentType(contentType)
                               .add("grpc-status", Integer.toString(ErrorBody.grpcCode(e.httpStatus()).value()))
                               .add("grpc-message", percentEncode(e.getMessage()))
                               .add(ErrorBody.STATUS_KEY.name(), Integer.toString(e.httpStatus()))
                               .add(ErrorBody.TYPE_KEY.name(), e.errorType())
                               .endOfStream(true)
                               .build());
    }

    /**
     * Our exception for anything that failed a call: ours as is, the server's statuses, and what the transport
     * could not read as the caller's mistake; anything else is unexpected, logged and answered as 500.
     */
    public static ChimeraException toChimeraException(RequestContext ctx, Throwable cause) {
        final Throwable peeled = Exceptions.peel(cause);
        if (peeled instanceof ChimeraException) {
            return (ChimeraException) peeled;
        }
        final ServiceRequestContext sctx = ctx instanceof ServiceRequestContext ? (ServiceRequestContext) ctx
                                                                               : null;
        if (peeled instanceof RequestTimeoutException) {
            final long millis = sctx != null ? sctx.requestTimeoutMillis() : 0;
            return new ChimeraException(408, "RequestTimeoutError", "the request did not arrive"
                                        + (millis > 0 ? " within " + Math.max(1, Math.round(millis / 1000.0)) + " s"
                                                      : " in time")
                                        + ": its body stopped short of what its headers announced");
        }
        if (peeled instanceof ContentTooLargeException) {
            return new ChimeraException(413, typeOf(HttpStatus.REQUEST_ENTITY_TOO_LARGE),
                                        tooLarge(((ContentTooLargeException) peeled).maxContentLength()));
        }
        if (peeled instanceof HttpStatusException) {
            return fromHttpStatus(sctx, (HttpStatusException) peeled);
        }
        final Status transport = peeled instanceof StatusRuntimeException
                                 ? ((StatusRuntimeException) peeled).getStatus()
                                 : peeled instanceof StatusException ? ((StatusException) peeled).getStatus() : null;
        if (transport != null) {
            // Our services fail with ChimeraException, so a gRPC status comes from the transport reading the
            // request; it says INTERNAL for bytes that are not a gRPC message of the method's type.
            if (transport.getCode() == Status.Code.INTERNAL) {
                return ChimeraException.badRequest("invalid gRPC request: " + describe(transport));
            }
            final int http = ErrorBody.httpStatus(transport.getCode());
            if (http < 500) {
                return new ChimeraException(http, ErrorBody.defaultType(http), describe(transport));
            }
        }
        if (peeled instanceof InvalidProtocolBufferException) {
            // Only request bodies are parsed by the transport: the JSON did not fit the message.
            return ChimeraException.badRequest(explainParseError(peeled.getMessage()));
        }
        logger.warn("Unexpected error", peeled);
        return ChimeraException.internal("internal error: " + describe(peeled));
    }

    private static ChimeraException fromHttpStatus(ServiceRequestContext ctx, HttpStatusException cause) {
        HttpStatus status = cause.httpStatus();
        final Throwable inner = cause.getCause();
        String message = inner != null ? describe(inner) : status.reasonPhrase();
        if (message.startsWith("Missing or invalid content-type")) {
            status = HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            final MediaType contentType = ctx != null ? ctx.request().contentType() : null;
            message = "Content-Type: " + (contentType != null ? contentType : "none")
                      + " (expected: application/json)";
        } else if (status == HttpStatus.REQUEST_ENTITY_TOO_LARGE && ctx != null) {
            message = tooLarge(ctx.maxRequestLength());
        }
        return new ChimeraException(status.code(), typeOf(status), message);
    }

    private static final Pattern UNKNOWN_FIELD =
            Pattern.compile("Cannot find field: (.*) in message ([\\w.]+)");

    /** Rewrites protobuf-jackson's complaint about an unknown field into one that lists the valid names. */
    static String explainParseError(String message) {
        if (message == null) {
            return "the JSON does not match the request message";
        }
        final Matcher m = UNKNOWN_FIELD.matcher(message);
        if (!m.find()) {
            // Jackson's messages carry a source excerpt, in brackets or on the next line.
            final String first = SOURCE.matcher(message).replaceAll("");
            final int nl = first.indexOf('\n');
            return "invalid JSON for this request: " + (nl >= 0 ? first.substring(0, nl) : first);
        }
        final String field = m.group(1);
        final String fullName = m.group(2);
        final String simpleName = fullName.substring(fullName.lastIndexOf('.') + 1);
        final Descriptor type = ChimeraProto.getDescriptor().findMessageTypeByName(simpleName);
        if (type == null) {
            return "unknown field '" + field + "'";
        }
        final String valid = type.getFields().stream().map(FieldDescriptor::getJsonName)
                                 .collect(Collectors.joining(", "));
        return "unknown field '" + field + "' (expected: " + (valid.isEmpty() ? "no fields" : valid) + ')';
    }

    private static String describe(Status status) {
        final String d = status.getDescription();
        if (status.getCause() != null) {
            return describe(status.getCause());
        }
        return d != null ? d : status.getCode().toString();
    }

    /** Jackson's source excerpts: "[Source: ...]", with the parenthesis around one ("(start marker at [...])"). */
    private static final Pattern SOURCE =
            Pattern.compile("\\s*\\([^()]*\\[Source: [^\\]]*\\]\\)|\\[Source: [^\\]]*\\]");

    static String describe(Throwable t) {
        // Jackson's messages carry a source excerpt; keep the first line, which says what and where.
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg;
        if (root instanceof JsonProcessingException) {
            final JsonProcessingException jpe = (JsonProcessingException) root;
            msg = SOURCE.matcher(jpe.getOriginalMessage()).replaceAll("");
            if (jpe.getLocation() != null) {
                msg += " (line " + jpe.getLocation().getLineNr() + ", column "
                       + jpe.getLocation().getColumnNr() + ')';
            }
        } else {
            msg = root.getMessage();
        }
        if (msg == null) {
            msg = root.getClass().getSimpleName();
        }
        final int nl = msg.indexOf('\n');
        final String head = nl >= 0 ? msg.substring(0, nl) : msg;
        if (t != root && t.getMessage() != null && !t.getMessage().equals(head)) {
            final String outer = t.getMessage();
            final int onl = outer.indexOf('\n');
            return (onl >= 0 ? outer.substring(0, onl) : outer) + ": " + head;
        }
        return head;
    }

    /** gRPC's encoding of {@code grpc-message}: UTF-8, with bytes outside printable ASCII and '%' as %XX. */
    /** Undoes gRPC's percent-encoding of a status message ({@code %XX} bytes of UTF-8); other text is kept. */
    static String percentDecode(String message) {
        if (message.indexOf('%') < 0) {
            return message;
        }
        final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(message.length());
        final byte[] in = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) * 16 + hex(in[i + 2]));
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    private static String percentEncode(String message) {
        final StringBuilder out = new StringBuilder(message.length());
        for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if (b >= ' ' && b <= '~' && b != '%') {
                out.append((char) b);
            } else {
                out.append('%').append(String.format("%02X", b & 0xff));
            }
        }
        return out.toString();
    }

    private static String tooLarge(long limit) {
        return "request body too large (expected: at most " + limit + " bytes)";
    }

    private static String typeOf(HttpStatus status) {
        switch (status.code()) {
            case 404:
                return "NotFoundError";
            case 405:
                return "MethodNotAllowedError";
            case 413:
                return ChimeraException.PAYLOAD_TOO_LARGE_ERROR;
            case 415:
                return "UnsupportedMediaTypeError";
            default:
                return ErrorBody.defaultType(status.code());
        }
    }

    private static String header(HttpHeaders headers, String name) {
        return headers.get(name);
    }

    private ErrorMapping() {}
}

package io.chimera.common;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * chimera's error body, {@code {"message": ..., "details": {"errorCode": <status>, "errorMessage": <type>}}},
 * and its gRPC twin: the status and type in trailers {@link #STATUS_KEY} and {@link #TYPE_KEY}, the message
 * as the gRPC status description. The body as an Armeria response is {@code chimera-node}'s
 * {@code io.chimera.node.internal.ErrorResponses}: this module stays free of Armeria for the client SDK.
 */
public final class ErrorBody {

    /** gRPC trailer with the HTTP status of an error. */
    public static final Metadata.Key<String> STATUS_KEY =
            Metadata.Key.of("chimera-error-code", Metadata.ASCII_STRING_MARSHALLER);
    /** gRPC trailer with the error type of an error. */
    public static final Metadata.Key<String> TYPE_KEY =
            Metadata.Key.of("chimera-error-message", Metadata.ASCII_STRING_MARSHALLER);

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Renders the JSON body. */
    public static byte[] toJson(int httpStatus, String errorType, String message) {
        requireNonNull(errorType, "errorType");
        requireNonNull(message, "message");
        try (var out = new java.io.ByteArrayOutputStream(128);
             JsonGenerator gen = MAPPER.getFactory().createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("message", message);
            gen.writeObjectFieldStart("details");
            gen.writeNumberField("errorCode", httpStatus);
            gen.writeStringField("errorMessage", errorType);
            gen.writeEndObject();
            gen.writeEndObject();
            gen.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses an error body; returns {@code null} when {@code json} is not one (a proxy's page, say).
     */
    public static ChimeraException parse(int httpStatus, String json) {
        try {
            final JsonNode root = MAPPER.readTree(json);
            final JsonNode details = root.path("details");
            if (!root.path("message").isTextual() || !details.path("errorMessage").isTextual()) {
                return null;
            }
            final int code = details.path("errorCode").asInt(httpStatus);
            return new ChimeraException(code >= 400 && code <= 599 ? code : httpStatus,
                                        details.path("errorMessage").asText(),
                                        root.path("message").asText());
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The gRPC status code that matches an HTTP status. */
    public static Status.Code grpcCode(int httpStatus) {
        switch (httpStatus) {
            case 400:
            case 413:
            case 415:
                return Status.Code.INVALID_ARGUMENT;
            case 401:
                return Status.Code.UNAUTHENTICATED;
            case 403:
                return Status.Code.PERMISSION_DENIED;
            case 404:
                return Status.Code.NOT_FOUND;
            case 405:
                return Status.Code.UNIMPLEMENTED;
            case 409:
                return Status.Code.FAILED_PRECONDITION;
            case 429:
                return Status.Code.RESOURCE_EXHAUSTED;
            case 503:
                return Status.Code.UNAVAILABLE;
            case 504:
                return Status.Code.DEADLINE_EXCEEDED;
            default:
                return httpStatus < 500 ? Status.Code.INVALID_ARGUMENT : Status.Code.INTERNAL;
        }
    }

    /** The HTTP status that matches a gRPC status code, for errors that carry no chimera trailers. */
    public static int httpStatus(Status.Code code) {
        switch (code) {
            case INVALID_ARGUMENT:
            case OUT_OF_RANGE:
                return 400;
            case UNAUTHENTICATED:
                return 401;
            case PERMISSION_DENIED:
                return 403;
            case NOT_FOUND:
                return 404;
            case ALREADY_EXISTS:
            case FAILED_PRECONDITION:
            case ABORTED:
                return 409;
            case RESOURCE_EXHAUSTED:
                return 429;
            case UNIMPLEMENTED:
                return 501;
            case UNAVAILABLE:
                return 503;
            case DEADLINE_EXCEEDED:
                return 504;
            default:
                return 500;
        }
    }

    /** Reconstructs the chimera error carried by a gRPC status and its trailers. */
    public static ChimeraException fromGrpc(Status status, Metadata trailers) {
        final String code = trailers != null ? trailers.get(STATUS_KEY) : null;
        final String type = trailers != null ? trailers.get(TYPE_KEY) : null;
        int http = httpStatus(status.getCode());
        if (code != null) {
            try {
                http = Integer.parseInt(code);
            } catch (NumberFormatException ignored) {
                // keep the mapped status
            }
        }
        final String message = status.getDescription() != null ? status.getDescription()
                                                               : status.getCode().toString();
        return new ChimeraException(http, type != null ? type : defaultType(http), message);
    }

    /** The gRPC exception that carries an error: status, description and chimera's trailers. */
    public static io.grpc.StatusRuntimeException toGrpc(ChimeraException e) {
        final Metadata trailers = new Metadata();
        trailers.put(STATUS_KEY, Integer.toString(e.httpStatus()));
        trailers.put(TYPE_KEY, e.errorType());
        return Status.fromCode(grpcCode(e.httpStatus())).withDescription(e.getMessage())
                     .asRuntimeException(trailers);
    }

    /** The error type of a status that carries none: a caller's mistake below 500, ours from 500. */
    public static String defaultType(int httpStatus) {
        return httpStatus < 500 ? ChimeraException.VALIDATION_ERROR : ChimeraException.INTERNAL_ERROR;
    }

    private ErrorBody() {}
}

package io.chimera.common;

import static java.util.Objects.requireNonNull;

/**
 * An error a chimera node answers with chimera's error body:
 * {@code {"message": ..., "details": {"errorCode": <status>, "errorMessage": <type>}}}.
 *
 * <p>It carries the HTTP status and the error type; over gRPC the same pair travels in the trailers
 * (see {@link ErrorBody#STATUS_KEY} and {@link ErrorBody#TYPE_KEY}) so a REST and a gRPC caller see the
 * same error. These are expected outcomes (a caller's mistake, a worker that is down), so no stack trace is
 * captured.
 */
public final class ChimeraException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The caller sent something we cannot use: bad JSON, a wrong field, a wrong row width, ... */
    public static final String VALIDATION_ERROR = "ValidationError";
    /** {@code predict} was called before a successful {@code fit}. */
    public static final String NOT_FITTED_ERROR = "NotFittedError";
    /** A {@code fit} is already running on this node. */
    public static final String FIT_IN_PROGRESS_ERROR = "FitInProgressError";
    /** Every worker failed (or none is reachable). */
    public static final String WORKERS_UNAVAILABLE_ERROR = "WorkersUnavailableError";
    /** A model cannot be exported: its learner has no portable form. */
    public static final String MODEL_NOT_EXPORTABLE_ERROR = "ModelNotExportableError";
    /** A master serving an imported model was asked to do what needs workers (fit). */
    public static final String IMPORTED_MODEL_ERROR = "ImportedModelError";
    /** A request larger than this node can hold: a body over its limit, or more predict rows than its heap answers. */
    public static final String PAYLOAD_TOO_LARGE_ERROR = "PayloadTooLargeError";
    /** A fault of ours. */
    public static final String INTERNAL_ERROR = "InternalError";

    /** A 400 {@value #VALIDATION_ERROR}. */
    public static ChimeraException badRequest(String message) {
        return new ChimeraException(400, VALIDATION_ERROR, message);
    }

    /** A 409 {@value #NOT_FITTED_ERROR}. */
    public static ChimeraException notFitted(String message) {
        return new ChimeraException(409, NOT_FITTED_ERROR, message);
    }

    /** A 409 {@value #FIT_IN_PROGRESS_ERROR}. */
    public static ChimeraException fitInProgress(String message) {
        return new ChimeraException(409, FIT_IN_PROGRESS_ERROR, message);
    }

    /** A 503 {@value #WORKERS_UNAVAILABLE_ERROR}. */
    public static ChimeraException workersUnavailable(String message) {
        return new ChimeraException(503, WORKERS_UNAVAILABLE_ERROR, message);
    }

    /** A 413 {@value #PAYLOAD_TOO_LARGE_ERROR}. */
    public static ChimeraException payloadTooLarge(String message) {
        return new ChimeraException(413, PAYLOAD_TOO_LARGE_ERROR, message);
    }

    /** A 500 {@value #INTERNAL_ERROR}. */
    public static ChimeraException internal(String message) {
        return new ChimeraException(500, INTERNAL_ERROR, message);
    }

    private final int httpStatus;
    private final String errorType;

    /**
     * Creates an error with the given HTTP status (400..599), error type (the body's
     * {@code errorMessage}) and message.
     */
    public ChimeraException(int httpStatus, String errorType, String message) {
        super(requireNonNull(message, "message"), null, false, false);
        if (httpStatus < 400 || httpStatus > 599) {
            throw new IllegalArgumentException("httpStatus: " + httpStatus + " (expected: 400..599)");
        }
        this.httpStatus = httpStatus;
        this.errorType = requireNonNull(errorType, "errorType");
    }

    /** The HTTP status, the body's {@code details.errorCode}. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The error type, the body's {@code details.errorMessage}. */
    public String errorType() {
        return errorType;
    }

    /** Whether the caller caused it (4xx) rather than this node or its workers (5xx). */
    public boolean isClientError() {
        return httpStatus < 500;
    }
}

package io.chimera.node.internal;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;

/**
 * chimera's error body as an Armeria response. It lives here rather than beside {@link ErrorBody} so that
 * {@code chimera-proto}, which the client SDK depends on, needs no Armeria.
 */
public final class ErrorResponses {

    /** The JSON response for an error. */
    public static AggregatedHttpResponse toResponse(ChimeraException e) {
        requireNonNull(e, "e");
        return toResponse(e.httpStatus(), e.errorType(), e.getMessage());
    }

    /** The JSON response for an error. */
    public static AggregatedHttpResponse toResponse(int httpStatus, String errorType, String message) {
        return AggregatedHttpResponse.of(HttpStatus.valueOf(httpStatus), MediaType.JSON_UTF_8,
                                         ErrorBody.toJson(httpStatus, errorType, message));
    }

    private ErrorResponses() {}
}

package io.chimera.node.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.chimera.common.ErrorBody;

/**
 * Lets through only calls that carry {@code Authorization: Bearer <token>}, compared in constant time; the open
 * paths (the health route) take any call. A refused call gets chimera's error body with 401
 * {@code UnauthenticatedError} over REST, and {@code UNAUTHENTICATED} with chimera's trailers over gRPC.
 */
public final class TokenCheck implements DecoratingHttpServiceFunction {

    /** The error type of a refused call. */
    public static final String UNAUTHENTICATED_ERROR = "UnauthenticatedError";

    private final byte[] expected;
    private final Set<String> openPaths;
    private final String refusal;

    /**
     * Checks for {@code token}; {@code refusal} is the message a refused call gets (it never holds the token).
     */
    public TokenCheck(String token, Set<String> openPaths, String refusal) {
        expected = ("Bearer " + requireNonNull(token, "token")).getBytes(StandardCharsets.UTF_8);
        this.openPaths = Set.copyOf(openPaths);
        this.refusal = requireNonNull(refusal, "refusal");
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        if (openPaths.contains(ctx.path())) {
            return delegate.serve(ctx, req);
        }
        final String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null
            && MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8), expected)) {
            return delegate.serve(ctx, req);
        }
        final String message = (authorization == null ? "no Authorization header: " : "a wrong token: ") + refusal;
        final MediaType type = req.contentType();
        if (type != null && type.subtype().startsWith("grpc")) {
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(type)
                                                  .add("grpc-status", "16")
                                                  .add("grpc-message", message)
                                                  .add(ErrorBody.STATUS_KEY.name(), "401")
                                                  .add(ErrorBody.TYPE_KEY.name(), UNAUTHENTICATED_ERROR)
                                                  .endOfStream(true).build());
        }
        return HttpResponse.of(ResponseHeaders.builder(HttpStatus.UNAUTHORIZED).contentType(MediaType.JSON_UTF_8)
                                              .add(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer").build(),
                               HttpData.wrap(
                                       ErrorBody.toJson(401, UNAUTHENTICATED_ERROR, message)));
    }
}

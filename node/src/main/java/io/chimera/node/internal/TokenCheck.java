package io.chimera.node.internal;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.chimera.common.ChimeraException;

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
        return ErrorMapping.errorResponse(req.headers(), new ChimeraException(401, UNAUTHENTICATED_ERROR, message))
                           .toHttpResponse();
    }
}

package io.chimera.node.internal;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SerializationFormat;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.chimera.common.ChimeraException;
import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;

/**
 * Answers a request to a gRPC method's own path ({@code /chimera.v1.AggregationMasterService/Predict}) that is
 * not a gRPC call with chimera's error body, where Armeria answers plain text: another method than POST is a
 * 405, another content type (JSON, say) a 415. Both messages name the method's REST route, which is where
 * such a request belongs.
 */
public final class GrpcPathGuard implements DecoratingHttpServiceFunction {

    /** A guard for the methods of {@code services}. */
    public static GrpcPathGuard of(List<BindableService> services) {
        final Map<String, String> restRoutes = new HashMap<>();
        for (BindableService service : services) {
            for (ServerMethodDefinition<?, ?> m : service.bindService().getMethods()) {
                final io.grpc.MethodDescriptor<?, ?> method = m.getMethodDescriptor();
                restRoutes.put('/' + method.getFullMethodName(), restRoute(method.getSchemaDescriptor()));
            }
        }
        return new GrpcPathGuard(restRoutes);
    }

    /** Whether {@code contentType} is one of the gRPC content types a node accepts. */
    public static boolean isGrpc(MediaType contentType) {
        if (contentType == null) {
            return false;
        }
        for (SerializationFormat format : GrpcSerializationFormats.values()) {
            if (format.isAccepted(contentType)) {
                return true;
            }
        }
        return false;
    }

    /** The method's {@code google.api.http} route, e.g. {@code POST /v1/chimera/model/predict}; null if none. */
    private static String restRoute(Object schema) {
        if (!(schema instanceof ProtoMethodDescriptorSupplier)) {
            return null;
        }
        final MethodDescriptor method = ((ProtoMethodDescriptorSupplier) schema).getMethodDescriptor();
        final HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
        switch (rule.getPatternCase()) {
            case GET:
                return "GET " + rule.getGet();
            case POST:
                return "POST " + rule.getPost();
            case PUT:
                return "PUT " + rule.getPut();
            case DELETE:
                return "DELETE " + rule.getDelete();
            case PATCH:
                return "PATCH " + rule.getPatch();
            default:
                return null;
        }
    }

    /** gRPC method path → its REST route, or null when it has none. */
    private final Map<String, String> restRoutes;

    private GrpcPathGuard(Map<String, String> restRoutes) {
        this.restRoutes = Collections.unmodifiableMap(restRoutes);
    }

    /**
     * The REST path of the gRPC method at {@code path} ({@code /v1/chimera/aggregation/fit} for
     * {@code /chimera.v1.AggregationMasterService/Fit}), so that a call is named the same way over both; any other
     * path (a REST path, a method with no REST route) unchanged.
     */
    public String restPath(String path) {
        final String route = restRoutes.get(path);
        return route != null ? route.substring(route.indexOf(' ') + 1) : path;
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        final String path = ctx.path();
        if (!restRoutes.containsKey(path)) {
            return delegate.serve(ctx, req);
        }
        final String rest = restRoutes.get(path);
        final String hint = rest != null ? "; over REST: " + rest : "";
        if (req.method() != HttpMethod.POST) {
            return reject(new ChimeraException(405, "MethodNotAllowedError",
                                               "Method Not Allowed: " + req.method() + ' ' + path
                                               + " (expected: POST with a gRPC content type" + hint + ')'));
        }
        final MediaType contentType = req.contentType();
        if (!isGrpc(contentType)) {
            return reject(new ChimeraException(415, "UnsupportedMediaTypeError",
                                               "Content-Type: " + (contentType != null ? contentType : "none")
                                               + " on a gRPC method (expected: application/grpc, "
                                               + "application/grpc+json or gRPC-Web" + hint + ')'));
        }
        return delegate.serve(ctx, req);
    }

    private static HttpResponse reject(ChimeraException e) {
        return ErrorResponses.toResponse(e).toHttpResponse();
    }
}

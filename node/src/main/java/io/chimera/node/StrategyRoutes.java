package io.chimera.node;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MethodDescriptorProto;
import com.google.protobuf.DescriptorProtos.ServiceDescriptorProto;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.DescriptorValidationException;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;

/**
 * Serves a strategy's gRPC service ({@code chimera.v1.StrategyMasterService}, {@code StrategyWorkerService})
 * with its REST routes under the strategy's own name: the {@code google.api.http} paths of those services hold
 * the placeholder segment {@code /v1/chimera/strategy/}, which {@link #of} replaces with
 * {@code /v1/chimera/<name>/}. The gRPC method names stay, so that one client reaches every strategy; the REST
 * transcoding, the API browser and the time log all read the renamed routes.
 */
public final class StrategyRoutes {

    /** The placeholder the strategy services' REST paths hold. */
    public static final String PLACEHOLDER = "/v1/chimera/strategy/";

    /** A strategy's name: lower-case words joined by hyphens, as chimera's own (parameter-server). */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    /**
     * Names a strategy may not take: the route segments of chimera's own masters, workers and node services.
     */
    public static final Set<String> RESERVED = Set.of("aggregation", "parameter-server", "model", "sgd", "status",
                                                      "latencies", "metrics", "health", "strategy");

    /**
     * Checks {@code name} as a strategy name and returns it.
     *
     * @throws IllegalArgumentException when it is not lower-case words joined by hyphens, or is reserved
     */
    public static String checkName(String name) {
        requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("strategy name: \"" + name + "\" (expected: lower-case letters and "
                                               + "digits in words joined by hyphens, e.g. federated-averaging)");
        }
        if (RESERVED.contains(name)) {
            throw new IllegalArgumentException("strategy name: \"" + name + "\" is taken by chimera's own routes "
                                               + "(reserved: " + new java.util.TreeSet<>(RESERVED) + ')');
        }
        return name;
    }

    /** {@code service} with its REST routes under {@code /v1/chimera/<strategy>/}. */
    public static BindableService of(BindableService service, String strategy) {
        checkName(strategy);
        final ServerServiceDefinition definition = requireNonNull(service, "service").bindService();
        final ServiceDescriptor grpc = definition.getServiceDescriptor();
        if (!(grpc.getSchemaDescriptor() instanceof ProtoServiceDescriptorSupplier)) {
            throw new IllegalArgumentException(grpc.getName() + " has no protobuf descriptor");
        }
        final Descriptors.ServiceDescriptor original =
                ((ProtoServiceDescriptorSupplier) grpc.getSchemaDescriptor()).getServiceDescriptor();
        final Descriptors.ServiceDescriptor renamed = renamedFile(original.getFile(), strategy)
                .findServiceByName(original.getName());
        final List<ServerMethodDefinition<?, ?>> methods = new ArrayList<>();
        final ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(grpc.getName())
                                                                      .setSchemaDescriptor(new Schema(renamed, null));
        for (ServerMethodDefinition<?, ?> m : definition.getMethods()) {
            final ServerMethodDefinition<?, ?> copy = withSchema(m, renamed);
            descriptor.addMethod(copy.getMethodDescriptor());
            methods.add(copy);
        }
        final ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(descriptor.build());
        methods.forEach(out::addMethod);
        final ServerServiceDefinition built = out.build();
        return () -> built;
    }

    /**
     * Serves the methods of {@code generic} (a {@code StrategyMasterService}, say) as the methods of the same names
     * of {@code target}, another protobuf service taking and answering the same messages: a strategy that keeps
     * its own gRPC service and REST paths ({@code chimera.v1.ParameterServerMasterService},
     * {@code /v1/chimera/parameter-server/...}) runs on the generic implementation. Methods of {@code generic}
     * that {@code target} lacks are not served.
     *
     * @throws IllegalArgumentException when {@code target} has a method {@code generic} lacks, or one whose
     *         messages differ
     */
    public static BindableService as(BindableService generic, ServiceDescriptor target) {
        requireNonNull(target, "target");
        final ServerServiceDefinition definition = requireNonNull(generic, "generic").bindService();
        final ServerServiceDefinition.Builder out = ServerServiceDefinition.builder(target);
        for (MethodDescriptor<?, ?> method : target.getMethods()) {
            final ServerMethodDefinition<?, ?> own = definition.getMethods().stream()
                    .filter(m -> m.getMethodDescriptor().getBareMethodName().equals(method.getBareMethodName()))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException(
                            target.getName() + '/' + method.getBareMethodName() + " has no counterpart in "
                            + definition.getServiceDescriptor().getName()));
            out.addMethod(retarget(own, method));
        }
        final ServerServiceDefinition built = out.build();
        return () -> built;
    }

    @SuppressWarnings("unchecked")
    private static <Q, R> ServerMethodDefinition<Q, R> retarget(ServerMethodDefinition<Q, R> own,
                                                               MethodDescriptor<?, ?> method) {
        final Descriptors.MethodDescriptor a = protoMethod(own.getMethodDescriptor());
        final Descriptors.MethodDescriptor b = protoMethod(method);
        if (a == null || b == null || !a.getInputType().getFullName().equals(b.getInputType().getFullName())
            || !a.getOutputType().getFullName().equals(b.getOutputType().getFullName())
            || own.getMethodDescriptor().getType() != method.getType()) {
            throw new IllegalArgumentException(method.getFullMethodName() + " does not take and answer the messages "
                                               + own.getMethodDescriptor().getFullMethodName() + " does");
        }
        return ServerMethodDefinition.create((MethodDescriptor<Q, R>) method, own.getServerCallHandler());
    }

    private static Descriptors.MethodDescriptor protoMethod(MethodDescriptor<?, ?> method) {
        return method.getSchemaDescriptor() instanceof ProtoMethodDescriptorSupplier
               ? ((ProtoMethodDescriptorSupplier) method.getSchemaDescriptor()).getMethodDescriptor() : null;
    }

    /**
     * The path of {@code method}'s {@code google.api.http} route in {@code service}, or null when it has none:
     * {@code /v1/chimera/parameter-server/fit} for {@code ParameterServerMasterService}'s {@code Fit}.
     */
    public static String restPath(ServiceDescriptor service, String method) {
        for (MethodDescriptor<?, ?> m : service.getMethods()) {
            if (m.getBareMethodName().equals(method)) {
                final Descriptors.MethodDescriptor proto = protoMethod(m);
                if (proto == null || !proto.getOptions().hasExtension(AnnotationsProto.http)) {
                    return null;
                }
                final HttpRule rule = proto.getOptions().getExtension(AnnotationsProto.http);
                switch (rule.getPatternCase()) {
                    case GET:
                        return rule.getGet();
                    case POST:
                        return rule.getPost();
                    case PUT:
                        return rule.getPut();
                    case DELETE:
                        return rule.getDelete();
                    case PATCH:
                        return rule.getPatch();
                    default:
                        return null;
                }
            }
        }
        return null;
    }

    private static <Q, R> ServerMethodDefinition<Q, R> withSchema(ServerMethodDefinition<Q, R> m,
                                                                  Descriptors.ServiceDescriptor service) {
        final MethodDescriptor<Q, R> method = m.getMethodDescriptor();
        final Descriptors.MethodDescriptor proto = service.findMethodByName(method.getBareMethodName());
        return ServerMethodDefinition.create(method.toBuilder().setSchemaDescriptor(new Schema(service, proto)).build(),
                                             m.getServerCallHandler());
    }

    /** A copy of {@code file} whose REST paths name {@code strategy}. */
    private static Descriptors.FileDescriptor renamedFile(Descriptors.FileDescriptor file, String strategy) {
        final FileDescriptorProto.Builder proto = file.toProto().toBuilder();
        for (ServiceDescriptorProto.Builder service : proto.getServiceBuilderList()) {
            for (MethodDescriptorProto.Builder method : service.getMethodBuilderList()) {
                if (method.getOptions().hasExtension(AnnotationsProto.http)) {
                    final HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
                    method.getOptionsBuilder().setExtension(AnnotationsProto.http, renamed(rule, strategy));
                }
            }
        }
        try {
            return Descriptors.FileDescriptor.buildFrom(proto.build(),
                                                        file.getDependencies()
                                                            .toArray(new Descriptors.FileDescriptor[0]));
        } catch (DescriptorValidationException e) {
            throw new IllegalStateException("cannot rename the routes of " + file.getName() + ": " + e, e);
        }
    }

    private static HttpRule renamed(HttpRule rule, String strategy) {
        final HttpRule.Builder b = rule.toBuilder();
        final String to = "/v1/chimera/" + strategy + '/';
        switch (rule.getPatternCase()) {
            case GET:
                return b.setGet(rule.getGet().replace(PLACEHOLDER, to)).build();
            case POST:
                return b.setPost(rule.getPost().replace(PLACEHOLDER, to)).build();
            case PUT:
                return b.setPut(rule.getPut().replace(PLACEHOLDER, to)).build();
            case DELETE:
                return b.setDelete(rule.getDelete().replace(PLACEHOLDER, to)).build();
            case PATCH:
                return b.setPatch(rule.getPatch().replace(PLACEHOLDER, to)).build();
            default:
                return rule;
        }
    }

    /** The protobuf descriptors of a renamed service and its methods, where Armeria and gRPC look for them. */
    private static final class Schema implements ProtoMethodDescriptorSupplier, ProtoServiceDescriptorSupplier {
        private final Descriptors.ServiceDescriptor service;
        private final Descriptors.MethodDescriptor method;

        Schema(Descriptors.ServiceDescriptor service, Descriptors.MethodDescriptor method) {
            this.service = service;
            this.method = method;
        }

        @Override
        public Descriptors.FileDescriptor getFileDescriptor() {
            return service.getFile();
        }

        @Override
        public Descriptors.ServiceDescriptor getServiceDescriptor() {
            return service;
        }

        @Override
        public Descriptors.MethodDescriptor getMethodDescriptor() {
            return method;
        }
    }

    private StrategyRoutes() {}
}

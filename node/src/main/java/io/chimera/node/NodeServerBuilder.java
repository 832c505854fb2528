package io.chimera.node;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import com.linecorp.armeria.common.util.TimeoutMode;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.docs.DocService;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.server.grpc.GrpcServiceBuilder;
import com.linecorp.armeria.server.grpc.HttpJsonTranscodingOptions;
import com.linecorp.armeria.server.prometheus.PrometheusExpositionService;

import io.chimera.common.ChimeraPaths;
import io.chimera.node.internal.ErrorMapping;
import io.chimera.node.internal.GrpcPathGuard;
import io.chimera.node.internal.JsonBodyCheck;
import io.chimera.node.internal.RestPredictFastPath;
import io.chimera.node.internal.StrictGrpcJsonMarshaller;
import io.chimera.node.internal.TokenCheck;
import io.grpc.BindableService;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServiceDescriptor;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** Builds a {@link NodeServer}. */
public final class NodeServerBuilder {

    /** The most a request body may be whatever the heap: 256 MiB, room for ~10 M numbers of JSON. */
    static final long MAX_REQUEST_BYTES_CAP = 256L * 1024 * 1024;
    /**
     * The heap a body needs, as a multiple of its size. A body that is not chimera's plain predict form (numbers
     * as strings, say, or any other call) goes through the JSON transcoder, which makes an object per cell: on a
     * worker with a 256 MiB heap (247 MiB usable), bodies of rows {@code [1,2]} (three bytes a cell, the most
     * cells a byte can carry) were read up to 4.8 MB and ran out of heap at 6 MB, 41 times smaller than the
     * heap. Sixty-four keeps every body a node accepts half as large again under that.
     */
    static final int HEAP_PER_BODY_BYTE = 64;
    /** How long a request may take to arrive, body included. */
    static final Duration DEFAULT_REQUEST_BODY_TIMEOUT = Duration.ofSeconds(10);
    static final String DEFAULT_HOST = "127.0.0.1";
    private static final Duration GRACEFUL_SHUTDOWN_TIMEOUT = Duration.ofSeconds(3);

    private final List<BindableService> services = new ArrayList<>();
    private final List<BindableService> quickServices = new ArrayList<>();
    private final List<BindableService> monitoringServices = new ArrayList<>();
    private final List<Route> routes = new ArrayList<>();
    private final List<RestPredictFastPath> restPredicts = new ArrayList<>();
    private String name = "chimera-node";
    private String host = DEFAULT_HOST;
    private int port;
    private long maxRequestBytes = defaultMaxRequestBytes();
    private BiConsumer<String, Double> latencyObserver;
    private PrometheusMeterRegistry meterRegistry;
    private TokenCheck tokenCheck;
    private Duration requestBodyTimeout = DEFAULT_REQUEST_BODY_TIMEOUT;

    NodeServerBuilder() {}

    /** The node's name, used in logs and thread names. */
    public NodeServerBuilder name(String name) {
        this.name = requireNonNull(name, "name");
        return this;
    }

    /** The address to bind; {@value #DEFAULT_HOST} by default so a node is not exposed by accident. */
    public NodeServerBuilder host(String host) {
        this.host = requireNonNull(host, "host");
        return this;
    }

    /** The port to bind; 0 (the default) picks a free one. */
    public NodeServerBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        this.port = port;
        return this;
    }

    /**
     * Adds a gRPC service; its {@code google.api.http} routes are served as REST too. Its methods run on a
     * blocking-task thread, so they may take their time.
     */
    public NodeServerBuilder service(BindableService service) {
        services.add(requireNonNull(service, "service"));
        return this;
    }

    /**
     * Adds a gRPC service whose methods answer within milliseconds and never block; they run on the event
     * loop, which saves two thread hand-offs per call (the SGD worker's fit-step, called hundreds of times a
     * fit). Anything that may take longer belongs in {@link #service(BindableService)}.
     */
    public NodeServerBuilder quickService(BindableService service) {
        quickServices.add(requireNonNull(service, "service"));
        return this;
    }

    /**
     * Adds a gRPC service that reports on the node (a master's status and latencies): its methods run on the
     * event loop, as {@link #quickService(BindableService)}'s, and its calls are not reported to the
     * {@link #latencyObserver(BiConsumer)}, so that a dashboard polling it does not fill
     * {@code chimera_time.log}.
     */
    public NodeServerBuilder monitoringService(BindableService service) {
        monitoringServices.add(requireNonNull(service, "service"));
        return this;
    }

    /**
     * Serves REST predicts on {@code path} whose body is chimera's plain form ({@code X_pred_columns} and rows of
     * numbers) by reading it in one pass into the compact matrix form and calling {@code predict}, the method
     * of {@code service} (added here) that the path is routed to. It skips the transcoder, which reads such a
     * body three times and makes an object per cell: a predict of 50,736 rows spent most of its time there.
     * Every other body goes through the transcoder as before, so errors read the same.
     */
    public NodeServerBuilder restPredict(String path, ServiceDescriptor service, PredictHandler predict) {
        restPredicts.add(new RestPredictFastPath(requireNonNull(path, "path"), requireNonNull(predict, "predict"),
                                                 StrictGrpcJsonMarshaller.of(requireNonNull(service, "service"))));
        return this;
    }

    /**
     * Adds a plain HTTP route answering {@code GET} and {@code HEAD} (pages, redirects); another method gets a
     * 405 with chimera's error body.
     */
    public NodeServerBuilder route(String path, HttpService service) {
        routes.add(new Route(requireNonNull(path, "path"), requireNonNull(service, "service")));
        return this;
    }

    /**
     * The registry whose meters {@code GET /v1/chimera/metrics} exposes; the node's request meters are added to
     * it. A new {@link NodeMetrics#newRegistry()} by default; give one to add meters before the node is built.
     */
    public NodeServerBuilder meterRegistry(PrometheusMeterRegistry meterRegistry) {
        this.meterRegistry = requireNonNull(meterRegistry, "meterRegistry");
        return this;
    }

    /**
     * Returns the largest request body a node accepts unless told otherwise: 256 MiB, or a sixteenth of this
     * JVM's maximum heap when that is less (16 MiB on a 256 MiB heap), so that no body it accepts can run it
     * out of memory.
     */
    public static long defaultMaxRequestBytes() {
        return Math.min(MAX_REQUEST_BYTES_CAP, Runtime.getRuntime().maxMemory() / HEAP_PER_BODY_BYTE);
    }

    /**
     * The largest request body accepted; larger ones get a 413 with chimera's error body. Default:
     * {@link #defaultMaxRequestBytes()}.
     */
    public NodeServerBuilder maxRequestBytes(long maxRequestBytes) {
        if (maxRequestBytes <= 0) {
            throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: > 0)");
        }
        this.maxRequestBytes = maxRequestBytes;
        return this;
    }

    /**
     * Called with the URL and latency in seconds of every call to one of the node's services, REST or gRPC,
     * once its response is complete (chimera's {@code chimera_time.log} lines for masters). A gRPC call's URL has
     * its method's REST path, as the same call over REST has.
     */
    public NodeServerBuilder latencyObserver(BiConsumer<String, Double> observer) {
        this.latencyObserver = requireNonNull(observer, "observer");
        return this;
    }

    private GrpcService grpcService(List<BindableService> bindables, boolean blocking) {
        final GrpcServiceBuilder grpc =
                GrpcService.builder()
                           .supportedSerializationFormats(GrpcSerializationFormats.values())
                           .jsonMarshallerFactory(StrictGrpcJsonMarshaller::of)
                           .enableHttpJsonTranscoding(
                                   HttpJsonTranscodingOptions.builder()
                                                             .errorHandler(ErrorMapping.transcodingErrorHandler())
                                                             .build())
                           .exceptionHandler(ErrorMapping.grpcExceptionHandler())
                           .maxRequestMessageLength((int) Math.min(Integer.MAX_VALUE, maxRequestBytes))
                           .useBlockingTaskExecutor(blocking);
        bindables.forEach(grpc::addService);
        return grpc.build();
    }

    /**
     * How long a request may take to arrive, its whole body included; then it is answered 408
     * {@code RequestTimeoutError}. The answer itself is not bounded (a fit takes its time). Default: 10 s.
     */
    public NodeServerBuilder requestBodyTimeout(Duration timeout) {
        requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        requestBodyTimeout = timeout;
        return this;
    }

    /**
     * Lets through only calls that carry {@code Authorization: Bearer <token>}, but for the health route and
     * {@code openPaths}; a refused call gets 401 {@code UnauthenticatedError} (gRPC: {@code UNAUTHENTICATED}) with
     * {@code refusal} as its message.
     */
    public NodeServerBuilder requireToken(String token, Set<String> openPaths, String refusal) {
        final Set<String> open = new HashSet<>(openPaths);
        open.add(ChimeraPaths.HEALTH);
        tokenCheck = new TokenCheck(token, open, refusal);
        return this;
    }

    /** Builds the server; call {@link NodeServer#start()} to serve. */
    public NodeServer build() {
        if (services.isEmpty() && quickServices.isEmpty() && monitoringServices.isEmpty()) {
            throw new IllegalStateException("no service added");
        }
        final GrpcService grpcService = services.isEmpty() ? null : grpcService(services, true);
        final GrpcService quickService = quickServices.isEmpty() ? null : grpcService(quickServices, false);
        final GrpcService monitoringService = monitoringServices.isEmpty() ? null
                                                                         : grpcService(monitoringServices, false);
        final PrometheusMeterRegistry registry = meterRegistry != null ? meterRegistry : NodeMetrics.newRegistry();

        final ServerBuilder sb = Server.builder()
                                       .http(new InetSocketAddress(host, port))
                                       .meterRegistry(registry)
                                       .maxRequestLength(maxRequestBytes)
                                       .requestTimeout(Duration.ZERO)
                                       .unloggedExceptionsReportInterval(Duration.ZERO)
                                       // Stop at once when idle; give in-flight calls a few seconds.
                                       .gracefulShutdownTimeout(Duration.ZERO, GRACEFUL_SHUTDOWN_TIMEOUT)
                                       .errorHandler(ErrorMapping.serverErrorHandler())
                                       .serviceUnder(ChimeraPaths.DOCS, DocService.builder().build()
                                                                                  .decorate(ErrorMapping::docsErrors))
                                       .service(ChimeraPaths.HEALTH, (ctx, req) -> HttpResponse.of(
                                               HttpStatus.OK, MediaType.JSON_UTF_8, "{\"status\":\"ok\"}"));
        sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path(ChimeraPaths.METRICS)
          .build(PrometheusExpositionService.of(registry.getPrometheusRegistry()));
        final List<BindableService> all = new ArrayList<>(services);
        all.addAll(quickServices);
        all.addAll(monitoringServices);
        // Each decorator wraps with delegate.decorate(...), never a bare lambda: DocService finds a gRPC service by
        // unwrapping its decorators, a lambda cannot be unwrapped, and the service's methods would vanish from /docs.
        final List<Function<? super HttpService, ? extends HttpService>> decorators = new ArrayList<>();
        // What Armeria would let through or answer in plain text: a REST body that is not one JSON object, a
        // gRPC method's path called without gRPC.
        final JsonBodyCheck jsonBodyCheck = new JsonBodyCheck();
        final GrpcPathGuard grpcPathGuard = GrpcPathGuard.of(all);
        decorators.add(delegate -> delegate.decorate(jsonBodyCheck));
        // Outside the check: the fast path reads the body itself, and hands anything unusual to the check.
        for (RestPredictFastPath fastPath : restPredicts) {
            decorators.add(delegate -> delegate.decorate(fastPath));
        }
        decorators.add(delegate -> delegate.decorate(grpcPathGuard));
        decorators.add(NodeMetrics.requestMetrics());
        // A stream's messages are each bounded by the message limit; the stream as a whole, which lasts a fit,
        // is not bounded by the request limit.
        final Set<String> streamingPaths = clientStreamingPaths(all);
        if (!streamingPaths.isEmpty()) {
            decorators.add(delegate -> delegate.decorate((next, ctx, req) -> {
                if (streamingPaths.contains(ctx.path())) {
                    ctx.setMaxRequestLength(0);
                }
                return next.serve(ctx, req);
            }));
        }
        if (monitoringService != null) {
            sb.service(monitoringService, List.copyOf(decorators));
        }
        if (latencyObserver != null) {
            final BiConsumer<String, Double> observer = latencyObserver;
            // A gRPC call is logged under its method's REST path, as the same call over REST is.
            decorators.add(delegate -> delegate.decorate((next, ctx, req) -> {
                final long start = System.nanoTime();
                ctx.log().whenComplete().thenAccept(log -> observer.accept(
                        "http://" + host + ':' + ctx.localAddress().getPort() + grpcPathGuard.restPath(ctx.path()),
                        (System.nanoTime() - start) / 1e9));
                return next.serve(ctx, req);
            }));
        }
        for (GrpcService g : new GrpcService[] { grpcService, quickService }) {
            if (g != null) {
                sb.service(g, decorators);
            }
        }
        for (Route r : routes) {
            sb.route().methods(HttpMethod.GET, HttpMethod.HEAD).path(r.path).build(r.service);
        }
        if (tokenCheck != null) {
            sb.decorator(tokenCheck);
        }
        // A body that announces more than it sends must not hold its connection forever: the request must have
        // arrived within the body timeout; the answer may then take as long as the work does (a fit). A stream
        // lasts a fit, and is not bounded.
        final Duration bodyTimeout = requestBodyTimeout;
        sb.decorator((delegate, ctx, req) -> {
            if (streamingPaths.contains(ctx.path())) {
                return delegate.serve(ctx, req);
            }
            ctx.setRequestTimeout(TimeoutMode.SET_FROM_NOW, bodyTimeout);
            req.whenComplete().handle((ignored, t) -> {
                ctx.clearRequestTimeout();
                return null;
            });
            return delegate.serve(ctx, req);
        });
        final Server server = sb.build();
        return new NodeServer(server, name, registry);
    }

    /** The paths of the gRPC methods to which clients send a stream of messages. */
    private static Set<String> clientStreamingPaths(List<BindableService> services) {
        final Set<String> paths = new HashSet<>();
        for (BindableService service : services) {
            for (ServerMethodDefinition<?, ?> method : service.bindService().getMethods()) {
                if (!method.getMethodDescriptor().getType().clientSendsOneMessage()) {
                    paths.add('/' + method.getMethodDescriptor().getFullMethodName());
                }
            }
        }
        return Set.copyOf(paths);
    }

    private static final class Route {
        final String path;
        final HttpService service;

        Route(String path, HttpService service) {
            this.path = path;
            this.service = service;
        }
    }
}

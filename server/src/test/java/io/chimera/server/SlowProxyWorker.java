package io.chimera.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;

import io.chimera.common.ChimeraPaths;
import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.node.NodeServer;
import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.strategy.parameterserver.SGDWorker;
import io.chimera.workers.WorkerEnvironment;

/**
 * A test worker that is slow on purpose: a real worker on a private port ({@link SGDWorker}, or with
 * {@code classification} as first argument or {@code CHIMERA_TEST_WORKER} a depth-5 tree
 * {@link ClassificationWorker}), behind a proxy on the worker's own port that delays every answer but the
 * health check (each message of a stream) by the second argument or {@code CHIMERA_TEST_DELAY_MS} milliseconds (default 50); with a
 * third argument, only the answers of paths that contain it (lower case: {@code /fit} matches gRPC's {@code /Fit} too).
 */
public final class SlowProxyWorker {

    public static void main(String[] args) {
        final Map<String, String> env = new HashMap<>(System.getenv());
        final WorkerEnvironment outer = WorkerEnvironment.from(env);
        final String kind = args.length > 0 ? args[0] : env.getOrDefault("CHIMERA_TEST_WORKER", "sgd");
        final long delayMs = Long.parseLong(args.length > 1 ? args[1] : env.getOrDefault("CHIMERA_TEST_DELAY_MS", "50"));
        final String delayedPaths = args.length > 2 ? args[2] : "";
        env.put(WorkerEnvironment.PORT, "0");
        final NodeServer inner =
                "classification".equals(kind)
                ? new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true)
                        .start(WorkerEnvironment.from(env))
                : new SGDWorker().start(WorkerEnvironment.from(env));
        final WebClient client = WebClient.builder("http://127.0.0.1:" + inner.port())
                                          .responseTimeout(Duration.ZERO).build();
        final Server proxy = Server.builder()
                                   .http(outer.port())
                                   .requestTimeout(Duration.ZERO)
                                   .serviceUnder("/", (ctx, req) -> ChimeraPaths.HEALTH.equals(ctx.path()) ||
                                                                    !ctx.path().toLowerCase(Locale.ROOT)
                                                                            .contains(delayedPaths)
                                                                    ? client.execute(req)
                                                                    : delayEachMessage(client.execute(req),
                                                                                       delayMs))
                                   .build();
        proxy.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop().join();
            inner.close();
        }));
        proxy.whenClosed().join();
    }

    /**
     * The answer with each of its messages held back {@code delayMs}: every answer of a unary call, and every
     * step of a {@code FitSteps} stream.
     */
    private static HttpResponse delayEachMessage(HttpResponse response, long delayMs) {
        final Executor later = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS);
        return HttpResponse.of(response.mapAsync(o -> o instanceof HttpData
                                                      ? CompletableFuture.supplyAsync(() -> o, later)
                                                      : CompletableFuture.completedFuture(o)));
    }

    private SlowProxyWorker() {}
}

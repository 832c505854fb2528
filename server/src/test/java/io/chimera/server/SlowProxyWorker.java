package io.chimera.server;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;

import io.chimera.common.server.NodeServer;
import io.chimera.workers.SGDWorker;
import io.chimera.workers.WorkerEnvironment;

/**
 * A test worker that is slow on purpose: a real {@link SGDWorker} on a private port, behind a proxy on the
 * worker's own port that delays every answer by {@code CHIMERA_TEST_DELAY_MS}.
 */
public final class SlowProxyWorker {

    public static void main(String[] args) {
        final Map<String, String> env = new HashMap<>(System.getenv());
        final WorkerEnvironment outer = WorkerEnvironment.from(env);
        final long delayMs = Long.parseLong(env.getOrDefault("CHIMERA_TEST_DELAY_MS", "50"));
        env.put(WorkerEnvironment.PORT, "0");
        final NodeServer inner = new SGDWorker().start(WorkerEnvironment.from(env));
        final WebClient client = WebClient.builder("http://127.0.0.1:" + inner.port())
                                          .responseTimeout(Duration.ZERO).build();
        final Server proxy = Server.builder()
                                   .http(outer.port())
                                   .requestTimeout(Duration.ZERO)
                                   .serviceUnder("/", (ctx, req) -> HttpResponse.delayed(
                                           client.execute(req), Duration.ofMillis(delayMs)))
                                   .build();
        proxy.start().join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            proxy.stop().join();
            inner.close();
        }));
        proxy.whenClosed().join();
    }

    private SlowProxyWorker() {}
}

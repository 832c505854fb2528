package io.chimera.runtime;

import java.net.InetSocketAddress;

import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

import io.chimera.common.ChimeraPaths;

/**
 * A tiny real worker for runtime tests: prints what the runtime gave it, then serves 200 on the health path
 * of {@code 127.0.0.1:$CHIMERA_WORKERS_PORT}. The first argument picks a misbehaviour: {@code fail} prints
 * 25 lines and exits with code 3; {@code hang} never serves.
 */
public final class FakeHealthWorker {

    public static void main(String[] args) throws InterruptedException {
        final String mode = args.length > 0 ? args[0] : "serve";
        System.out.println("fake worker " + System.getenv("CHIMERA_WORKER_NAME") +
                           " index=" + System.getenv("CHIMERA_WORKER_INDEX") +
                           " host=" + System.getenv("CHIMERA_WORKERS_HOST") +
                           " port=" + System.getenv("CHIMERA_WORKERS_PORT") +
                           " data=" + System.getenv("CHIMERA_TRAIN_DATA_DIR") +
                           " seed=" + System.getenv("CHIMERA_SEED"));
        if ("fail".equals(mode)) {
            for (int i = 1; i <= 25; i++) {
                System.err.printf("output %02d%n", i);
            }
            System.exit(3);
        }
        if ("hang".equals(mode)) {
            Thread.sleep(Long.MAX_VALUE);
        }
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        final int port = Integer.parseInt(System.getenv("CHIMERA_WORKERS_PORT"));
        Server.builder()
              .http(new InetSocketAddress(System.getenv("CHIMERA_WORKERS_HOST"), port))
              .service(ChimeraPaths.HEALTH, (ctx, req) -> HttpResponse.of(HttpStatus.OK))
              .build()
              .start()
              .join();
        System.out.println("fake worker serving on " + port);
    }

    private FakeHealthWorker() {}
}

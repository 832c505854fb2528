package io.chimera.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.slf4j.LoggerFactory;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;

import io.chimera.common.ChimeraPaths;

/**
 * The baseline of {@link ProcessStartupBenchmark}: a JVM that starts an empty Armeria server on an ephemeral
 * port of {@code 127.0.0.1} with one health route, logging at INFO, prints the port, and serves until it is
 * stopped. Nothing of chimera's runs in it.
 */
public final class BareArmeriaStart {

    public static void main(String[] args) {
        // As a worker does (LogDefaults): Logback's fallback would log Netty's start-up at DEBUG.
        ((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        final Server server = Server.builder().http(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                                    .service(ChimeraPaths.HEALTH, (ctx, req) -> HttpResponse.of(HttpStatus.OK))
                                    .build();
        server.start().join();
        System.out.println("port " + server.activeLocalPort());
    }

    private BareArmeriaStart() {}
}

package io.chimera.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;

import io.chimera.server.config.ChimeraConfigException;

/**
 * Checks the master's port before any worker starts: workers take from seconds to minutes to come up, and a
 * port found taken only when the master binds it after them cost all that wait and ended in a stack trace.
 */
final class MasterPort {

    /** The address the master serves on (see {@link ChimeraRun}). */
    static final String HOST = "127.0.0.1";

    /**
     * Binds {@code port} on {@value #HOST} and releases it at once; 0 (any free port) needs no check.
     *
     * @throws ChimeraConfigException with one line saying the port is in use, or why it cannot be bound
     */
    static void requireFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            // As the master's server will: a port left in TIME_WAIT by an earlier run is free to use.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port));
        } catch (IOException e) {
            final String message = String.valueOf(e.getMessage());
            throw new ChimeraConfigException(List.of(
                    message.toLowerCase(Locale.ROOT).contains("in use")
                    ? "port " + port + " is in use (the master's port); choose another port or stop what holds it"
                    : "port " + port + " cannot be bound on " + HOST + " (the master's port): " + message));
        }
    }

    private MasterPort() {}
}

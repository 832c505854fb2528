package io.chimera.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free ports on the loopback interface, for {@code CHIMERA_WORKERS_MAPPED_PORTS} when a program starts a run of
 * its own (the lab's cells, the examples): all {@code n} are held open at once, so they differ, then released.
 * Another program may still take one before the workers bind it; a run then fails to start, and says so.
 */
public final class LocalPorts {

    /**
     * Returns {@code n} distinct ports that were free a moment ago.
     *
     * @throws UncheckedIOException when the system has no free port to give
     */
    public static int[] free(int n) {
        final List<ServerSocket> sockets = new ArrayList<>();
        final int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                final ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                sockets.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        } finally {
            for (ServerSocket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a socket that never served: nothing to do
                }
            }
        }
    }

    private LocalPorts() {}
}

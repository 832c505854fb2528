package io.chimera.runtime.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;

/** The checks every runtime makes before it launches anything, so that a bad start changes nothing. */
public final class StartChecks {

    /**
     * Checks that no name or port of {@code specs} is repeated or already used by {@code running}.
     *
     * @throws IllegalArgumentException naming the repeated worker or port
     */
    public static void checkNew(List<WorkerSpec> specs, Collection<WorkerSpec> running) {
        final Set<String> names = running.stream().map(WorkerSpec::name).collect(Collectors.toCollection(HashSet::new));
        final Set<Integer> ports = running.stream().map(WorkerSpec::mappedPort)
                                          .collect(Collectors.toCollection(HashSet::new));
        for (WorkerSpec spec : specs) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("worker " + spec.name() + " is repeated or was already started " +
                                                   "by this runtime (use restart)");
            }
            if (!ports.add(spec.mappedPort())) {
                throw new IllegalArgumentException("port " + spec.mappedPort() + " of worker " + spec.name() +
                                                   " is given to another worker of this runtime");
            }
        }
    }

    /**
     * Checks that the source or JSON file of every worker exists, relative to {@code directory}.
     *
     * @throws WorkerStartException listing every missing file
     */
    public static void checkFilesExist(List<WorkerSpec> specs, Path directory) {
        final List<String> missing = new ArrayList<>();
        for (WorkerSpec spec : specs) {
            spec.launch().file().map(directory::resolve).filter(f -> !Files.isRegularFile(f))
                .ifPresent(f -> missing.add("worker " + spec.name() + ": " + f + " does not exist"));
        }
        if (!missing.isEmpty()) {
            throw new WorkerStartException(String.join("\n", missing));
        }
    }

    /**
     * Checks that every mapped port can be bound on {@code host} now.
     *
     * @throws WorkerStartException listing every port in use
     */
    public static void checkPortsFree(List<WorkerSpec> specs, String host) {
        final List<String> taken = specs.stream().filter(s -> !isFree(host, s.mappedPort()))
                                        .map(s -> "port " + s.mappedPort() + " of worker " + s.name() +
                                                  " is already in use on " + host +
                                                  ": stop what uses it or choose other ports " +
                                                  "(CHIMERA_WORKERS_MAPPED_PORTS)")
                                        .collect(Collectors.toList());
        if (!taken.isEmpty()) {
            throw new WorkerStartException(String.join("\n", taken));
        }
    }

    private static boolean isFree(String host, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private StartChecks() {}
}

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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;

import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;

/** The checks every runtime makes before it launches anything, so that a bad start changes nothing. */
public final class StartChecks {

    private static final Logger logger = ChimeraLogs.status();

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
     * Checks that every mapped port can be bound on {@code host} now. A port held by a worker that a dead run left
     * behind (its master is gone) is freed first: the worker exits by itself within a second of its master
     * ({@code CHIMERA_EXIT_WITH_MASTER}), and is stopped after 5 s if it has not. A port held by anything else
     * fails the start, naming what holds it where it can be found.
     *
     * @throws WorkerStartException listing every port in use
     */
    public static void checkPortsFree(List<WorkerSpec> specs, String host) {
        final List<String> taken = new ArrayList<>();
        for (WorkerSpec s : specs) {
            if (isFree(host, s.mappedPort()) || freedFromDeadRun(host, s.mappedPort())) {
                continue;
            }
            final String holder = PortHolders.listener(s.mappedPort()).map(StartChecks::holder).orElse("");
            taken.add("port " + s.mappedPort() + " of worker " + s.name() + " is already in use on " + host + holder
                      + ": stop what uses it or choose other ports (CHIMERA_WORKERS_MAPPED_PORTS)");
        }
        if (!taken.isEmpty()) {
            throw new WorkerStartException(String.join("\n", taken));
        }
    }

    private static String holder(ProcessHandle process) {
        final Optional<String> worker = PortHolders.property(process, PortHolders.WORKER_MARK);
        final Optional<String> master = PortHolders.property(process, PortHolders.MASTER_MARK);
        if (worker.isPresent() && master.isPresent()) {
            return " by worker " + worker.get() + " of the chimera master with pid " + master.get()
                   + ", still running (pid " + process.pid() + ')';
        }
        return " by " + PortHolders.describe(process);
    }

    /** Whether {@code port} was held by an orphaned worker of a dead run, and is free now. */
    private static boolean freedFromDeadRun(String host, int port) {
        final Optional<ProcessHandle> holder = PortHolders.listener(port).filter(PortHolders::isOrphanedWorker);
        if (holder.isEmpty()) {
            return false;
        }
        final ProcessHandle orphan = holder.get();
        logger.warn("port {} is held by worker {} of a run whose master is gone ({}); waiting for it to exit", port,
                    PortHolders.property(orphan, PortHolders.WORKER_MARK).orElse("?"), PortHolders.describe(orphan));
        if (!exited(orphan, 5)) {
            logger.warn("stopping worker {} (pid {}), left behind by a dead run",
                        PortHolders.property(orphan, PortHolders.WORKER_MARK).orElse("?"), orphan.pid());
            orphan.destroy();
            if (!exited(orphan, 5)) {
                orphan.destroyForcibly();
                exited(orphan, 5);
            }
        }
        for (int i = 0; i < 50 && !isFree(host, port); i++) {
            sleep(100);
        }
        return isFree(host, port);
    }

    private static boolean exited(ProcessHandle process, int seconds) {
        try {
            process.onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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

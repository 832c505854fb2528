package io.chimera.workers.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import io.chimera.workers.WorkerEnvironment;

/**
 * Makes a worker die with its master, however the master ends: with {@code CHIMERA_EXIT_WITH_MASTER=stdin} a
 * daemon thread reads the worker's standard input, a pipe whose other end only the master holds; the kernel
 * closes that end when the master exits, even on SIGKILL, so the read ends and the worker exits (its shutdown hook
 * closes its server). Without the variable nothing is watched: a worker started by hand keeps running.
 */
public final class MasterWatch {

    /** The value of {@link WorkerEnvironment#EXIT_WITH_MASTER} that watches the standard input. */
    public static final String STDIN = "stdin";

    /**
     * Starts watching if {@code env} asks for it; returns whether it does.
     *
     * @throws IllegalArgumentException when {@code CHIMERA_EXIT_WITH_MASTER} holds something else
     */
    public static boolean start(Map<String, String> env, String worker, InputStream stdin) {
        final String mode = env.get(WorkerEnvironment.EXIT_WITH_MASTER);
        if (mode == null || mode.isBlank()) {
            return false;
        }
        if (!STDIN.equals(mode.trim())) {
            throw new IllegalArgumentException(WorkerEnvironment.EXIT_WITH_MASTER + ": \"" + mode
                                               + "\" (expected: stdin, or unset)");
        }
        final Thread watch = new Thread(() -> {
            try {
                final byte[] buffer = new byte[256];
                while (stdin.read(buffer) >= 0) {
                    // The master writes nothing; anything it did is ignored.
                }
            } catch (IOException e) {
                // A broken pipe: the master is gone as well.
            }
            System.err.println("chimera worker " + worker + ": its master is gone (standard input closed); exiting");
            System.exit(0);
        }, "chimera-master-watch");
        watch.setDaemon(true);
        watch.start();
        return true;
    }

    private MasterWatch() {}
}

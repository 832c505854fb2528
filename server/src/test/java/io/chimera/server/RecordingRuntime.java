package io.chimera.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerRuntime;
import io.chimera.runtime.WorkerSpec;
import io.chimera.server.config.ChimeraConfig;

/**
 * A runtime that starts nothing and records whether it was asked to: a master run on it serves with no workers,
 * so a test can look at what the master serves, or at what happens before any worker would start.
 */
final class RecordingRuntime implements WorkerRuntime {

    /** One worker, {@code w1}, read from nothing but the arguments (not the environment). */
    static final ChimeraConfig CONFIG = ChimeraConfig.builder().environment(Map.of())
                                                     .systemProperties(new Properties())
                                                     .workerNames("w1").build();

    /** A project folder in {@code dir} with the entry {@link #CONFIG}'s worker needs (never run). */
    static Path project(Path dir) {
        try {
            Files.createDirectories(dir.resolve("chimera_workers"));
            Files.writeString(dir.resolve("chimera_workers/w1.java"), "class W1 {}\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    volatile boolean started;
    volatile boolean closed;

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public List<WorkerEndpoint> start(List<WorkerSpec> workers) {
        started = true;
        return List.of();
    }

    @Override
    public boolean isRunning(String workerName) {
        return false;
    }

    @Override
    public void stop(String workerName) {}

    @Override
    public void restart(String workerName) {}

    @Override
    public void close() {
        closed = true;
    }
}

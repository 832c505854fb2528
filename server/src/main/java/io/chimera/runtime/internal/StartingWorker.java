package io.chimera.runtime.internal;

import java.util.List;
import java.util.Optional;

import io.chimera.runtime.WorkerSpec;

/** A worker a runtime has launched and waits for, as {@link HealthWaiter} sees it. */
public interface StartingWorker {

    /** Returns the spec it was launched from. */
    WorkerSpec spec();

    /** Returns how it ended (e.g. {@code exited with code 1}) if it no longer runs; empty while it runs. */
    Optional<String> ended();

    /** Returns its last lines of output. */
    List<String> tail();

    /** Returns where its whole output is, for error messages, e.g. its log file. */
    String outputLocation();

    /** Returns where it is reached: {@code http://127.0.0.1:<mapped port>} unless it runs elsewhere. */
    default String baseUrl() {
        return HealthWaiter.baseUrl(spec());
    }
}

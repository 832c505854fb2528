package io.chimera.runtime;

/**
 * Thrown when a worker cannot be started or does not become healthy. The message names the worker, the
 * reason (an exit code, a timeout, a port in use, a missing file) and, where the worker ran, its last log
 * lines.
 */
public final class WorkerStartException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public WorkerStartException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and cause. */
    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

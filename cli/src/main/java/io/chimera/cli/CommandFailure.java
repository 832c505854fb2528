package io.chimera.cli;

/** A command that could not do its job for a reason the user can act on; printed as one line, exit code 1. */
final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CommandFailure(String message) {
        super(message, null, false, false);
    }

    CommandFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}

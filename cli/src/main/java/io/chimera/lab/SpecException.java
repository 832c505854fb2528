package io.chimera.lab;

/** A spec that cannot run: one line naming the field that is wrong and what it expects. */
public final class SpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SpecException(String message) {
        super(message);
    }
}

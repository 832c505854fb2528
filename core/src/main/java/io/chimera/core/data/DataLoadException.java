package io.chimera.core.data;

/**
 * Thrown when training data cannot be loaded. The message is one line that names the file, where in it the
 * problem is (a 1-based data row, the header excluded) and what is wrong.
 */
public final class DataLoadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DataLoadException(String message) {
        super(message);
    }

    DataLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}

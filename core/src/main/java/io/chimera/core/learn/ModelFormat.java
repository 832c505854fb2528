package io.chimera.core.learn;

/**
 * Reads one portable model format back into a {@link FittedModel}. The built-in trees' format is known to
 * {@link ModelFormats}; a custom learner whose models implement {@link PortableModel} registers its reader as a
 * service, in {@code META-INF/services/io.chimera.core.learn.ModelFormat} on the classpath of the workers and
 * of the master that imports the model.
 */
public interface ModelFormat {

    /** Returns the format's name, as {@link PortableModel#format()} gives it; unique on a classpath. */
    String name();

    /**
     * Reads a model written by {@link PortableModel#toBytes()}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid model of this format, saying why
     */
    FittedModel read(byte[] bytes);
}

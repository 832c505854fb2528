package io.chimera.core.learn;

/**
 * A fitted model with a portable binary form, so that a master can export it and serve it later without the
 * worker that fitted it. The {@link ModelFormat} named by {@link #format()} reads the bytes back; a model
 * that is not portable cannot be exported (the worker answers 409 {@code ModelNotExportableError}).
 *
 * <p>The bytes must describe the model completely: the model read back predicts exactly what this one does.
 * Never use Java serialisation for them; write a documented layout (see {@link DecisionTreeModel#toBytes()}).
 */
public interface PortableModel extends FittedModel {

    /** Returns the name of the {@link ModelFormat} that reads {@link #toBytes()}, e.g. {@code decision_tree}. */
    String format();

    /** Returns the model in its portable binary form. */
    byte[] toBytes();
}

package io.chimera.core.linear;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The loss a linear model is trained on, named as in scikit-learn's {@code SGDClassifier} and
 * {@code SGDRegressor}. For a row with features {@code x}, the model's output is {@code z = w·x + b} (one
 * output, or one per class for multinomial log loss); every loss below is per row, and a
 * The parameter server's gradient engine reports their mean over the rows used.
 */
public enum Loss {

    /**
     * Linear regression: {@code 0.5 * (z - y)^2}. The half is scikit-learn's convention for
     * {@code SGDRegressor}, so the gradient with respect to {@code z} is simply {@code z - y}.
     */
    SQUARED_ERROR("squared_error", false),

    /**
     * Logistic regression, the negative log-likelihood. With two classes there is one output and
     * {@code log(1 + e^z) - y z}, where {@code y} is 1 for the second (positive) class and 0 for the first;
     * with {@code k > 2} classes there are {@code k} outputs and the softmax cross-entropy
     * {@code logsumexp(z) - z_y}.
     */
    LOG_LOSS("log_loss", true),

    /**
     * Linear SVM, binary only: {@code max(0, 1 - t z)} with {@code t = +1} for the second class and
     * {@code -1} for the first. At the kink {@code t z = 1} the subgradient {@code -t} is used, as
     * scikit-learn does.
     */
    HINGE("hinge", true);

    private static final String VALID_NAMES =
            Arrays.stream(values()).map(Loss::lossName).collect(Collectors.joining(", "));

    /**
     * Returns the loss with the given name, ignoring case and surrounding spaces.
     *
     * @throws IllegalArgumentException if the name is unknown; the message lists the valid names
     */
    public static Loss parse(String name) {
        requireNonNull(name, "name");
        final String normalized = name.trim().toLowerCase(Locale.ROOT);
        for (Loss loss : values()) {
            if (loss.name.equals(normalized)) {
                return loss;
            }
        }
        throw new IllegalArgumentException("loss: " + name + " (expected: one of " + VALID_NAMES + ')');
    }

    private final String name;
    private final boolean classification;

    Loss(String name, boolean classification) {
        this.name = name;
        this.classification = classification;
    }

    /** The name used on the wire and by scikit-learn, e.g. {@code "log_loss"}. */
    public String lossName() {
        return name;
    }

    /** Whether labels are classes (log loss, hinge) rather than real values (squared error). */
    public boolean isClassification() {
        return classification;
    }

    /**
     * Number of model outputs, i.e. rows of the weight matrix: {@code classCount} for multinomial log loss
     * ({@code classCount > 2}), else 1.
     *
     * @param classCount number of classes; ignored by squared error
     * @throws IllegalArgumentException if a classification loss gets fewer than 2 classes, or hinge more than 2
     */
    public int outputs(int classCount) {
        if (!classification) {
            return 1;
        }
        if (classCount < 2) {
            throw new IllegalArgumentException("classCount: " + classCount + " (expected: >= 2 for " + name + ')');
        }
        if (this == HINGE && classCount != 2) {
            throw new IllegalArgumentException("classCount: " + classCount + " (expected: 2, hinge is binary)");
        }
        return classCount == 2 ? 1 : classCount;
    }

    @Override
    public String toString() {
        return name;
    }
}

package io.chimera.core.learn;

/** The impurity a {@link DecisionTreeClassifier} minimises when it chooses a split. */
public enum Criterion {
    /** Gini impurity, {@code 1 - sum(p_k^2)}; scikit-learn's default. */
    GINI,
    /** Shannon entropy in bits, {@code -sum(p_k * log2(p_k))}. */
    ENTROPY
}

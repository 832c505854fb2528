package io.chimera.core.linear;

import java.util.Locale;

/**
 * Regularisation added to the mean loss, on the weights only (never the bias), as scikit-learn's
 * {@code SGDClassifier}: {@code alpha * R(w)}.
 */
public enum Penalty {
    /** No regularisation. */
    NONE,
    /** {@code R(w) = ||w||² / 2}. */
    L2,
    /** {@code R(w) = ||w||₁}. */
    L1,
    /** {@code R(w) = l1Ratio ||w||₁ + (1 - l1Ratio) ||w||² / 2}. */
    ELASTIC_NET;

    /** Parses {@code none}, {@code l2}, {@code l1} or {@code elasticnet} (case-insensitive). */
    public static Penalty parse(String name) {
        switch (name.trim().toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
            case "none":
                return NONE;
            case "l2":
                return L2;
            case "l1":
                return L1;
            case "elasticnet":
                return ELASTIC_NET;
            default:
                throw new IllegalArgumentException("penalty: " + name + " (expected: none, l2, l1 or elasticnet)");
        }
    }
}

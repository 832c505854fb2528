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

    /** The regularisation term {@code alpha * R(w)} over the first {@code weightCount} parameters (the bias excluded). */
    public double loss(double[] params, int weightCount, double alpha, double l1Ratio) {
        double l1 = 0;
        double l2 = 0;
        for (int i = 0; i < weightCount; i++) {
            l1 += Math.abs(params[i]);
            l2 += params[i] * params[i];
        }
        switch (this) {
            case L2:
                return alpha * l2 / 2;
            case L1:
                return alpha * l1;
            case ELASTIC_NET:
                return alpha * (l1Ratio * l1 + (1 - l1Ratio) * l2 / 2);
            default:
                return 0;
        }
    }

    /** Adds the gradient of {@link #loss} to {@code grad} (the first {@code weightCount} entries only). */
    public void addGradient(double[] params, double[] grad, int weightCount, double alpha, double l1Ratio) {
        if (this == NONE) {
            return;
        }
        for (int i = 0; i < weightCount; i++) {
            final double w = params[i];
            switch (this) {
                case L2:
                    grad[i] += alpha * w;
                    break;
                case L1:
                    grad[i] += alpha * Math.signum(w);
                    break;
                default:
                    grad[i] += alpha * (l1Ratio * Math.signum(w) + (1 - l1Ratio) * w);
            }
        }
    }
}

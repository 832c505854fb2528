package io.chimera.core.linear;

/**
 * How the parameter server turns a gradient into an update: a schedule for plain gradient descent
 * ({@link #constant}, {@link #inverseScaling}) or an adaptive optimiser ({@link #adam}, {@link #adaGrad}).
 * Step {@code t} counts parameter updates from 1.
 */
public final class LearningRate {

    /** The kinds of learning rate. */
    public enum Kind {
        /** {@code eta = eta0}. */
        CONSTANT,
        /** {@code eta = eta0 / t^powerT}, scikit-learn's {@code invscaling}. */
        INVERSE_SCALING,
        /** Adam (Kingma and Ba, 2015) with bias correction. */
        ADAM,
        /** AdaGrad (Duchi et al., 2011). */
        ADAGRAD
    }

    /** {@code eta = eta0} at every step. */
    public static LearningRate constant(double eta0) {
        return new LearningRate(Kind.CONSTANT, positive("eta0", eta0), 0, 0, 0, 0);
    }

    /** {@code eta = eta0 / t^powerT}; scikit-learn's defaults are {@code eta0 = 0.01, powerT = 0.25}. */
    public static LearningRate inverseScaling(double eta0, double powerT) {
        if (!(powerT > 0) || !Double.isFinite(powerT)) {
            throw new IllegalArgumentException("powerT: " + powerT + " (expected: > 0)");
        }
        return new LearningRate(Kind.INVERSE_SCALING, positive("eta0", eta0), powerT, 0, 0, 0);
    }

    /** Adam with {@code beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8}. */
    public static LearningRate adam(double rate) {
        return new LearningRate(Kind.ADAM, positive("rate", rate), 0, 0.9, 0.999, 1e-8);
    }

    /** AdaGrad with {@code epsilon = 1e-8}. */
    public static LearningRate adaGrad(double rate) {
        return new LearningRate(Kind.ADAGRAD, positive("rate", rate), 0, 0, 0, 1e-8);
    }

    private static double positive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
        }
        return v;
    }

    private final Kind kind;
    private final double rate;
    private final double powerT;
    private final double beta1;
    private final double beta2;
    private final double epsilon;

    private LearningRate(Kind kind, double rate, double powerT, double beta1, double beta2, double epsilon) {
        this.kind = kind;
        this.rate = rate;
        this.powerT = powerT;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public Kind kind() {
        return kind;
    }

    /** {@code eta0} for the schedules, the step size for the optimisers. */
    public double rate() {
        return rate;
    }

    public double powerT() {
        return powerT;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public String toString() {
        switch (kind) {
            case CONSTANT:
                return "constant(eta0=" + rate + ')';
            case INVERSE_SCALING:
                return "inverseScaling(eta0=" + rate + ", powerT=" + powerT + ')';
            case ADAM:
                return "adam(rate=" + rate + ')';
            default:
                return "adaGrad(rate=" + rate + ')';
        }
    }
}

package io.chimera.core.linear;



/** Applies one update {@code params -= step(grad)} for a {@link LearningRate}; not thread-safe. */
public abstract class Optimizer {

    /** A fresh optimizer (zero state) for {@code size} parameters. */
    public static Optimizer create(LearningRate rate, int size) {
        switch (rate.kind()) {
            case CONSTANT:
                return new Schedule(rate, 0);
            case INVERSE_SCALING:
                return new Schedule(rate, rate.powerT());
            case ADAM:
                return new Adam(rate, size);
            default:
                return new AdaGrad(rate, size);
        }
    }

    /**
     * Updates {@code params} in place with {@code grad} at step {@code t >= 1}, the step size multiplied by
     * {@code scale} (1 for a fresh gradient; less for a stale one); returns the largest absolute change made
     * to a parameter.
     */
    public abstract double step(double[] params, double[] grad, long t, double scale);

    private static final class Schedule extends Optimizer {
        private final double eta0;
        private final double powerT;

        Schedule(LearningRate rate, double powerT) {
            eta0 = rate.rate();
            this.powerT = powerT;
        }

        @Override
        public double step(double[] params, double[] grad, long t, double scale) {
            final double eta = scale * (powerT == 0 ? eta0 : eta0 / Math.pow(t, powerT));
            double max = 0;
            for (int i = 0; i < params.length; i++) {
                final double u = eta * grad[i];
                params[i] -= u;
                max = Math.max(max, Math.abs(u));
            }
            return max;
        }
    }

    private static final class Adam extends Optimizer {
        private final LearningRate rate;
        private final double[] m;
        private final double[] v;

        Adam(LearningRate rate, int size) {
            this.rate = rate;
            m = new double[size];
            v = new double[size];
        }

        @Override
        public double step(double[] params, double[] grad, long t, double scale) {
            final double lr = scale * rate.rate();
            final double b1 = rate.beta1();
            final double b2 = rate.beta2();
            final double c1 = 1 - Math.pow(b1, t);
            final double c2 = 1 - Math.pow(b2, t);
            double max = 0;
            for (int i = 0; i < params.length; i++) {
                m[i] = b1 * m[i] + (1 - b1) * grad[i];
                v[i] = b2 * v[i] + (1 - b2) * grad[i] * grad[i];
                final double u = lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + rate.epsilon());
                params[i] -= u;
                max = Math.max(max, Math.abs(u));
            }
            return max;
        }
    }

    private static final class AdaGrad extends Optimizer {
        private final LearningRate rate;
        private final double[] sum;

        AdaGrad(LearningRate rate, int size) {
            this.rate = rate;
            sum = new double[size];
        }

        @Override
        public double step(double[] params, double[] grad, long t, double scale) {
            final double lr = scale * rate.rate();
            double max = 0;
            for (int i = 0; i < params.length; i++) {
                sum[i] += grad[i] * grad[i];
                final double u = lr * grad[i] / (Math.sqrt(sum[i]) + rate.epsilon());
                params[i] -= u;
                max = Math.max(max, Math.abs(u));
            }
            return max;
        }
    }
}

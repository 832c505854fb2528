package io.chimera.core.linear;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Limited-memory BFGS (Nocedal and Wright, algorithm 7.4) with a backtracking line search, for a smooth objective
 * whose every evaluation is costly: on the parameter server one evaluation is one round of every worker's
 * full-shard gradient, as in Spark MLlib. The search tries the quasi-Newton step first and evaluates more points
 * only when that step does not decrease the objective enough (Armijo's condition), so a well-scaled problem costs
 * one round per iteration.
 *
 * <p>Not thread-safe; one instance per minimisation.
 */
public final class Lbfgs {

    /** The objective: its value at {@code x}, with its gradient written into {@code gradient}. */
    @FunctionalInterface
    public interface Objective {
        double evaluate(double[] x, double[] gradient);
    }

    /** Told of every accepted iterate. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param iteration from 1
         * @param value the objective at the new iterate
         * @param gradient its gradient there (do not modify)
         * @return a reason to stop now, or null to go on
         */
        String accepted(int iteration, double value, double[] gradient, double maxChange);
    }

    /** Why a minimisation stopped and where. */
    public static final class Result {
        public final String stopReason;
        public final int iterations;
        public final int evaluations;
        public final double value;

        Result(String stopReason, int iterations, int evaluations, double value) {
            this.stopReason = stopReason;
            this.iterations = iterations;
            this.evaluations = evaluations;
            this.value = value;
        }
    }

    /** Curvature pairs kept: scikit-learn's and Spark's default. */
    public static final int DEFAULT_MEMORY = 10;
    /** Armijo's sufficient-decrease constant. */
    private static final double C1 = 1e-4;
    /**
     * Backtracking halves the step at most this many times before the search gives up: a step 1000 times shorter
     * than the quasi-Newton one that still does not lower the loss means the loss has reached the precision of its
     * float32 sums (measured: diabetes-like spent 30 extra rounds there with 30 halvings).
     */
    private static final int MAX_BACKTRACKS = 10;

    private final int memory;
    private final int maxIter;
    private final double gradientTolerance;
    private final double valueTolerance;
    private int evaluations;

    /**
     * @param maxIter the most iterations (accepted steps)
     * @param gradientTolerance stop when the largest absolute gradient entry is at most this (scikit-learn's
     *     {@code pgtol})
     * @param valueTolerance stop when an iteration lowers the objective by at most this, relative to
     *     {@code max(|f|, |f_new|, 1)} (scikit-learn's {@code ftol})
     */
    public Lbfgs(int memory, int maxIter, double gradientTolerance, double valueTolerance) {
        if (memory <= 0 || maxIter <= 0 || !(gradientTolerance >= 0) || !(valueTolerance >= 0)) {
            throw new IllegalArgumentException("memory " + memory + ", maxIter " + maxIter + ", gradientTolerance "
                                               + gradientTolerance + ", valueTolerance " + valueTolerance
                                               + " (expected: memory and maxIter > 0, tolerances >= 0)");
        }
        this.memory = memory;
        this.maxIter = maxIter;
        this.gradientTolerance = gradientTolerance;
        this.valueTolerance = valueTolerance;
    }

    /**
     * Minimises {@code f} from {@code x}, which it updates in place.
     *
     * @return why it stopped: {@code gtol}, {@code ftol}, {@code max_iter}, {@code line_search} (no step lowered
     *     the objective: at the optimum to machine precision, or a gradient that is not the objective's), or the
     *     listener's reason
     */
    public Result minimize(Objective f, double[] x, Listener listener) {
        requireNonNull(f, "f");
        requireNonNull(listener, "listener");
        final int n = x.length;
        double[] g = new double[n];
        double value = evaluate(f, x, g);
        final Deque<double[][]> pairs = new ArrayDeque<>();
        final double[] direction = new double[n];
        final double[] trial = new double[n];
        double[] trialGradient = new double[n];
        if (maxAbs(g) <= gradientTolerance) {
            return new Result("gtol", 0, evaluations, value);
        }
        for (int it = 1; it <= maxIter; it++) {
            direction(g, pairs, direction);
            double slope = dot(g, direction);
            if (!(slope < 0)) {
                // Not a descent direction (curvature pairs gone stale): restart from steepest descent.
                pairs.clear();
                for (int i = 0; i < n; i++) {
                    direction[i] = -g[i];
                }
                slope = dot(g, direction);
            }
            // The first step has no curvature to scale it: move by at most 1 in the largest coordinate.
            double step = pairs.isEmpty() ? Math.min(1, 1 / maxAbs(direction)) : 1;
            double trialValue = Double.NaN;
            boolean found = false;
            for (int k = 0; k <= MAX_BACKTRACKS; k++) {
                for (int i = 0; i < n; i++) {
                    trial[i] = x[i] + step * direction[i];
                }
                trialValue = evaluate(f, trial, trialGradient);
                if (Double.isFinite(trialValue) && trialValue <= value + C1 * step * slope) {
                    found = true;
                    break;
                }
                step /= 2;
            }
            if (!found) {
                return new Result("line_search", it - 1, evaluations, value);
            }
            final double[] s = new double[n];
            final double[] y = new double[n];
            double maxChange = 0;
            for (int i = 0; i < n; i++) {
                s[i] = trial[i] - x[i];
                y[i] = trialGradient[i] - g[i];
                maxChange = Math.max(maxChange, Math.abs(s[i]));
            }
            final double sy = dot(s, y);
            if (sy > 1e-10 * Math.sqrt(dot(s, s) * dot(y, y))) {
                pairs.addLast(new double[][] { s, y, { 1 / sy } });
                if (pairs.size() > memory) {
                    pairs.removeFirst();
                }
            }
            System.arraycopy(trial, 0, x, 0, n);
            final double[] swap = g;
            g = trialGradient;
            trialGradient = swap;
            final double previous = value;
            value = trialValue;
            final String reason = listener.accepted(it, value, g, maxChange);
            if (reason != null) {
                return new Result(reason, it, evaluations, value);
            }
            if (maxAbs(g) <= gradientTolerance) {
                return new Result("gtol", it, evaluations, value);
            }
            if ((previous - value) <= valueTolerance * Math.max(Math.max(Math.abs(previous), Math.abs(value)), 1)) {
                return new Result("ftol", it, evaluations, value);
            }
        }
        return new Result("max_iter", maxIter, evaluations, value);
    }

    /** Forgets nothing between calls to {@link #minimize}: the number of evaluations so far. */
    public int evaluations() {
        return evaluations;
    }

    private double evaluate(Objective f, double[] x, double[] gradient) {
        evaluations++;
        return f.evaluate(x, gradient);
    }

    /** The two-loop recursion: {@code direction = -H g}, H the inverse Hessian the pairs approximate. */
    private static void direction(double[] g, Deque<double[][]> pairs, double[] direction) {
        final int n = g.length;
        final double[] q = g.clone();
        final double[] alphas = new double[pairs.size()];
        int k = pairs.size() - 1;
        for (var it = pairs.descendingIterator(); it.hasNext(); k--) {
            final double[][] p = it.next();
            alphas[k] = p[2][0] * dot(p[0], q);
            axpy(-alphas[k], p[1], q);
        }
        double gamma = 1;
        if (!pairs.isEmpty()) {
            final double[][] last = pairs.getLast();
            gamma = 1 / (last[2][0] * dot(last[1], last[1]));
        }
        for (int i = 0; i < n; i++) {
            q[i] *= gamma;
        }
        k = 0;
        for (double[][] p : pairs) {
            final double beta = p[2][0] * dot(p[1], q);
            axpy(alphas[k] - beta, p[0], q);
            k++;
        }
        for (int i = 0; i < n; i++) {
            direction[i] = -q[i];
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}

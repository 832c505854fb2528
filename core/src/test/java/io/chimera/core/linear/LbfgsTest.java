package io.chimera.core.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LbfgsTest {

    @Test
    void rosenbrock_reachesItsMinimumFromTheClassicStart() {
        final double[] x = { -1.2, 1 };
        final Lbfgs.Result r = new Lbfgs(10, 200, 1e-9, 0).minimize((p, g) -> {
            final double a = 1 - p[0];
            final double b = p[1] - p[0] * p[0];
            g[0] = -2 * a - 400 * p[0] * b;
            g[1] = 200 * b;
            return a * a + 100 * b * b;
        }, x, (it, value, gradient, change) -> null);
        assertThat(r.stopReason).isEqualTo("gtol");
        assertThat(x[0]).isCloseTo(1, within(1e-6));
        assertThat(x[1]).isCloseTo(1, within(1e-6));
        assertThat(r.iterations).isLessThan(60);
    }

    @Test
    void aWellScaledQuadratic_costsAboutOneEvaluationPerIteration() {
        // f(x) = ½ Σ d_i (x_i - c_i)², condition number 10.
        final int n = 20;
        final double[] d = new double[n];
        final double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = 1 + 9.0 * i / (n - 1);
            c[i] = Math.sin(i);
        }
        final double[] x = new double[n];
        final Lbfgs.Result r = new Lbfgs(10, 100, 1e-10, 0).minimize((p, g) -> {
            double f = 0;
            for (int i = 0; i < n; i++) {
                g[i] = d[i] * (p[i] - c[i]);
                f += 0.5 * d[i] * (p[i] - c[i]) * (p[i] - c[i]);
            }
            return f;
        }, x, (it, value, gradient, change) -> null);
        assertThat(r.stopReason).isEqualTo("gtol");
        for (int i = 0; i < n; i++) {
            assertThat(x[i]).isCloseTo(c[i], within(1e-9));
        }
        // The line search evaluates more than the quasi-Newton step only when it must.
        assertThat(r.evaluations).isLessThanOrEqualTo(r.iterations + 3);
    }

    @Test
    void theListenerCanStopIt_andMaxIterIsKept() {
        final double[] x = { 5 };
        final Lbfgs.Objective f = (p, g) -> {
            g[0] = 4 * p[0] * p[0] * p[0];
            return p[0] * p[0] * p[0] * p[0];
        };
        assertThat(new Lbfgs(5, 3, 0, 0).minimize(f, x, (it, v, g, ch) -> null).stopReason).isEqualTo("max_iter");
        assertThat(new Lbfgs(5, 100, 0, 0).minimize(f, new double[] { 5 }, (it, v, g, ch) -> it == 2 ? "stop" : null)
                             .iterations).isEqualTo(2);
        assertThatThrownBy(() -> new Lbfgs(0, 10, 0, 0)).hasMessageContaining("memory 0");
    }
}

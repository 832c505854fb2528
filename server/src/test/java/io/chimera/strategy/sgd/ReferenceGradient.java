package io.chimera.strategy.sgd;

import io.chimera.core.linear.Loss;

/**
 * The gradient of each loss written out in plain double-precision Java, straight from the formulas in
 * {@link Loss}, to check {@link GradientEngine} against.
 */
final class ReferenceGradient {

    /**
     * Mean loss and its gradient over {@code rows} (null: all) of already standardised data.
     *
     * @return {@code {weightsGradient, biasGradient, {loss}}}
     */
    static double[][] of(Loss loss, TestData data, double[] classes, double[] w, double[] b, int[] rows) {
        final int d = data.cols;
        final int k = b.length;
        final int n = rows == null ? data.rows : rows.length;
        final double[] gw = new double[k * d];
        final double[] gb = new double[k];
        double total = 0;
        for (int i = 0; i < n; i++) {
            final int r = rows == null ? i : rows[i];
            final double[] z = new double[k];
            for (int o = 0; o < k; o++) {
                z[o] = b[o];
                for (int c = 0; c < d; c++) {
                    z[o] += w[o * d + c] * data.features[r * d + c];
                }
            }
            final double y = data.labels[r];
            final double[] dz = new double[k];
            switch (loss) {
                case SQUARED_ERROR:
                    total += 0.5 * (z[0] - y) * (z[0] - y);
                    dz[0] = z[0] - y;
                    break;
                case HINGE: {
                    final double t = y == classes[1] ? 1 : -1;
                    total += Math.max(0, 1 - t * z[0]);
                    dz[0] = t * z[0] <= 1 ? -t : 0;
                    break;
                }
                case LOG_LOSS:
                    if (k == 1) {
                        final double t = y == classes[1] ? 1 : 0;
                        total += Math.log1p(Math.exp(-Math.abs(z[0]))) + Math.max(z[0], 0) - t * z[0];
                        dz[0] = 1 / (1 + Math.exp(-z[0])) - t;
                    } else {
                        double max = Double.NEGATIVE_INFINITY;
                        for (double v : z) {
                            max = Math.max(max, v);
                        }
                        double sum = 0;
                        for (double v : z) {
                            sum += Math.exp(v - max);
                        }
                        final double logSumExp = max + Math.log(sum);
                        for (int o = 0; o < k; o++) {
                            final double hit = classes[o] == y ? 1 : 0;
                            total -= hit * (z[o] - logSumExp);
                            dz[o] = Math.exp(z[o] - logSumExp) - hit;
                        }
                    }
                    break;
                default:
                    throw new AssertionError(loss);
            }
            for (int o = 0; o < k; o++) {
                gb[o] += dz[o] / n;
                for (int c = 0; c < d; c++) {
                    gw[o * d + c] += dz[o] * data.features[r * d + c] / n;
                }
            }
        }
        return new double[][] { gw, gb, { total / n } };
    }

    private ReferenceGradient() {}
}

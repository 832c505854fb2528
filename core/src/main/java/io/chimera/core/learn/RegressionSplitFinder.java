package io.chimera.core.learn;

import java.util.Arrays;

/**
 * Finds regression splits by squared error. The proxy of a split is
 * {@code (sumLeft * n - total * nLeft)^2 / (nLeft * nRight)}, which is {@code n^2} times the decrease in
 * mean squared error and avoids the cancellation of {@code sum(y^2) / n - mean^2}.
 */
final class RegressionSplitFinder extends SplitFinder {

    /** A best split must decrease the node's impurity by more than this fraction of it. */
    private static final double RELATIVE_TOLERANCE = 1e-12;

    private final double[] y;
    private final double[] value = new double[1];
    /** Sample counts and label sums per bin, compacted to the bins present in the node. */
    private final int[] binSizes;
    private final double[] binSums;
    private final int[] binCodes;
    private double total;
    private double impurity;

    /** A finder over rows of label {@code y[row]}, each counted {@code weights[row]} times. */
    RegressionSplitFinder(double[] y, int maxBins, int[] weights) {
        super(weights);
        this.y = y;
        binSizes = new int[maxBins];
        binSums = new double[maxBins];
        binCodes = new int[maxBins];
    }

    @Override
    void initNode(int[] samples, int start, int end) {
        int size = 0;
        double sum = 0;
        for (int i = start; i < end; i++) {
            final int s = samples[i];
            size += weights[s];
            sum += weights[s] * y[s];
        }
        n = size;
        final double mean = sum / n;
        double squaredError = 0;
        for (int i = start; i < end; i++) {
            final int s = samples[i];
            final double d = y[s] - mean;
            squaredError += weights[s] * (d * d);
        }
        total = sum;
        value[0] = mean;
        impurity = squaredError / n;
    }

    @Override
    double impurity() {
        return impurity;
    }

    @Override
    double[] nodeValue() {
        return value;
    }

    @Override
    void scan(int feature, int[] codes, int bins, int[] samples, int start, int end, int minSamplesLeaf) {
        final int m = sortIsCheaper(bins, 2, n) ? compactSorted(codes, samples, start, end)
                                                : compactHistogram(codes, bins, samples, start, end);
        int nLeft = 0;
        double sumLeft = 0;
        for (int b = 0; b < m - 1; b++) {
            nLeft += binSizes[b];
            sumLeft += binSums[b];
            final int nRight = n - nLeft;
            if (nRight < minSamplesLeaf) {
                break;
            }
            if (nLeft < minSamplesLeaf) {
                continue;
            }
            final double d = sumLeft * n - total * nLeft;
            final double proxy = d * d / ((double) nLeft * nRight);
            if (beatsBest(proxy)) {
                setBest(feature, binCodes[b], binCodes[b + 1], nLeft, proxy);
            }
        }
    }

    @Override
    double bestDecrease() {
        return bestProxy / ((double) n * n);
    }

    @Override
    boolean bestImproves() {
        return bestDecrease() > RELATIVE_TOLERANCE * impurity;
    }

    private int compactHistogram(int[] codes, int bins, int[] samples, int start, int end) {
        final int[] binSizes = this.binSizes;
        final double[] binSums = this.binSums;
        final int[] weights = this.weights;
        Arrays.fill(binSizes, 0, bins, 0);
        Arrays.fill(binSums, 0, bins, 0);
        for (int i = start; i < end; i++) {
            final int s = samples[i];
            final int code = codes[s];
            binSizes[code] += weights[s];
            binSums[code] += weights[s] * y[s];
        }
        int m = 0;
        for (int b = 0; b < bins; b++) {
            if (binSizes[b] > 0) {
                binSizes[m] = binSizes[b];
                binSums[m] = binSums[b];
                binCodes[m++] = b;
            }
        }
        return m;
    }

    private int compactSorted(int[] codes, int[] samples, int start, int end) {
        final long[] keys = sortByCode(codes, samples, start, end);
        int m = 0;
        int previous = -1;
        for (int i = 0; i < end - start; i++) {
            final int code = (int) (keys[i] >>> 32);
            if (code != previous) {
                binCodes[m] = code;
                binSizes[m] = 0;
                binSums[m++] = 0;
                previous = code;
            }
            final int s = (int) keys[i];
            binSizes[m - 1] += weights[s];
            binSums[m - 1] += weights[s] * y[s];
        }
        return m;
    }
}

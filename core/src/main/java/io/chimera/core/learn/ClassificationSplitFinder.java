package io.chimera.core.learn;

import java.util.Arrays;

/**
 * Finds classification splits by Gini impurity or entropy over class indices in {@code [0, classCount)}.
 *
 * <p>The Gini proxy of a split is {@code sum_k (left_k * n - total_k * nLeft)^2 / (nLeft * nRight)}, which
 * is {@code n^2} times the Gini decrease; its terms are exact integer differences, so a split that leaves
 * the class proportions unchanged scores exactly 0. The entropy proxy is the negated weighted child entropy
 * in nats, {@code sum(c ln c)} over child class counts minus {@code sum(n ln n)} over child sizes, read from
 * a table of {@code c ln c}.
 */
final class ClassificationSplitFinder extends SplitFinder {

    private static final double LN_2 = Math.log(2);

    private static double[] xlogxTable(int max) {
        final double[] table = new double[max + 1];
        for (int c = 2; c <= max; c++) {
            table[c] = c * Math.log(c);
        }
        return table;
    }

    private final int[] classOf;
    private final int classCount;
    private final boolean entropy;
    /** {@code c * ln(c)} for every count up to the number of rows; entropy only. */
    private final double[] xlogx;
    private final int[] totals;
    private final double[] value;
    /** Class counts per bin ({@code classCount} each), compacted to the bins present in the node. */
    private final int[] histogram;
    private final int[] binCodes;
    private final int[] binSizes;
    private final int[] left;
    private final int[] bestLeft;
    private double impurity;

    /**
     * A finder over rows of class {@code classOf[row]}, each counted {@code weights[row]} times; {@code totalWeight}
     * is the sum of the weights.
     */
    ClassificationSplitFinder(int[] classOf, int classCount, Criterion criterion, int maxBins, int[] weights,
                              int totalWeight) {
        super(weights);
        this.classOf = classOf;
        this.classCount = classCount;
        entropy = criterion == Criterion.ENTROPY;
        xlogx = entropy ? xlogxTable(totalWeight) : null;
        totals = new int[classCount];
        value = new double[classCount];
        histogram = new int[maxBins * classCount];
        binCodes = new int[maxBins];
        binSizes = new int[maxBins];
        left = new int[classCount];
        bestLeft = new int[classCount];
    }

    @Override
    void initNode(int[] samples, int start, int end) {
        Arrays.fill(totals, 0);
        int size = 0;
        for (int i = start; i < end; i++) {
            final int s = samples[i];
            totals[classOf[s]] += weights[s];
            size += weights[s];
        }
        n = size;
        double sumOfSquares = 0;
        double sumOfXlogx = 0;
        for (int c = 0; c < classCount; c++) {
            value[c] = (double) totals[c] / n;
            sumOfSquares += value[c] * value[c];
            if (entropy) {
                sumOfXlogx += xlogx[totals[c]];
            }
        }
        impurity = entropy ? (xlogx[n] - sumOfXlogx) / n / LN_2 : 1 - sumOfSquares;
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
        final int m = sortIsCheaper(bins, classCount, n) ? compactSorted(codes, samples, start, end)
                                                          : compactHistogram(codes, bins, samples, start, end);
        Arrays.fill(left, 0);
        int nLeft = 0;
        for (int b = 0; b < m - 1; b++) {
            final int base = b * classCount;
            for (int c = 0; c < classCount; c++) {
                left[c] += histogram[base + c];
            }
            nLeft += binSizes[b];
            final int nRight = n - nLeft;
            if (nRight < minSamplesLeaf) {
                break;
            }
            if (nLeft < minSamplesLeaf) {
                continue;
            }
            final double proxy = entropy ? entropyProxy(nLeft, nRight) : giniProxy(nLeft, nRight);
            if (beatsBest(proxy)) {
                setBest(feature, binCodes[b], binCodes[b + 1], nLeft, proxy);
                System.arraycopy(left, 0, bestLeft, 0, classCount);
            }
        }
    }

    private double giniProxy(int nLeft, int nRight) {
        double sum = 0;
        for (int c = 0; c < classCount; c++) {
            final double d = (long) left[c] * n - (long) totals[c] * nLeft;
            sum += d * d;
        }
        return sum / ((double) nLeft * nRight);
    }

    private double entropyProxy(int nLeft, int nRight) {
        double sum = 0;
        for (int c = 0; c < classCount; c++) {
            sum += xlogx[left[c]] + xlogx[totals[c] - left[c]];
        }
        return sum - xlogx[nLeft] - xlogx[nRight];
    }

    @Override
    double bestDecrease() {
        return entropy ? impurity + bestProxy / n / LN_2 : bestProxy / ((double) n * n);
    }

    @Override
    boolean bestImproves() {
        // Both impurities are strictly concave: a split improves exactly when it changes class proportions.
        for (int c = 0; c < classCount; c++) {
            if ((long) bestLeft[c] * n != (long) totals[c] * bestLeftCount) {
                return true;
            }
        }
        return false;
    }

    private int compactHistogram(int[] codes, int bins, int[] samples, int start, int end) {
        final int[] histogram = this.histogram;
        final int[] classOf = this.classOf;
        final int classCount = this.classCount;
        final int[] weights = this.weights;
        Arrays.fill(histogram, 0, bins * classCount, 0);
        for (int i = start; i < end; i++) {
            final int s = samples[i];
            histogram[codes[s] * classCount + classOf[s]] += weights[s];
        }
        int m = 0;
        for (int b = 0; b < bins; b++) {
            final int from = b * classCount;
            int size = 0;
            for (int c = 0; c < classCount; c++) {
                size += histogram[from + c];
            }
            if (size > 0) {
                System.arraycopy(histogram, from, histogram, m * classCount, classCount);
                binCodes[m] = b;
                binSizes[m++] = size;
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
                Arrays.fill(histogram, m * classCount, (m + 1) * classCount, 0);
                binCodes[m] = code;
                binSizes[m++] = 0;
                previous = code;
            }
            final int s = (int) keys[i];
            histogram[(m - 1) * classCount + classOf[s]] += weights[s];
            binSizes[m - 1] += weights[s];
        }
        return m;
    }
}

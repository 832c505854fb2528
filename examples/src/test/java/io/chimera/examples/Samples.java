package io.chimera.examples;

import java.util.Arrays;
import java.util.Locale;

/** Repeated measurements of one quantity: median and spread, as the benchmark report prints them. */
final class Samples {

    static Samples of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("values: empty (expected: at least one measurement)");
        }
        return new Samples(values.clone());
    }

    private final double[] values;
    private final double[] sorted;

    private Samples(double[] values) {
        this.values = values;
        sorted = values.clone();
        Arrays.sort(sorted);
    }

    int count() {
        return values.length;
    }

    /** The median; for an even count the mean of the two middle values. */
    double median() {
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    double min() {
        return sorted[0];
    }

    double max() {
        return sorted[sorted.length - 1];
    }

    double mean() {
        return Arrays.stream(values).average().orElseThrow();
    }

    /** The sample standard deviation (0 for one value), as chimera's published "mean ± std". */
    double std() {
        if (values.length < 2) {
            return 0;
        }
        final double mean = mean();
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return Math.sqrt(sum / (values.length - 1));
    }

    /** {@code median (min–max)} with {@code digits} decimals, scaled by {@code scale} (1000 for ms). */
    String format(double scale, int digits) {
        final String f = "%." + digits + 'f';
        return String.format(Locale.ROOT, f + " (" + f + "–" + f + ')', median() * scale, min() * scale,
                             max() * scale);
    }

    /** Every value, in measurement order, for the console. */
    String all(double scale, int digits) {
        final StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%." + digits + 'f', v * scale));
        }
        return sb.toString();
    }
}

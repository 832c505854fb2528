package io.chimera.core.data;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A numeric training set: {@code rows} rows of {@code cols} features stored row-major in one
 * {@code double[]}, and one label per row.
 *
 * <p>A {@code Dataset} is immutable by contract: for speed it keeps the arrays it was given and hands them
 * out without copying, so neither the caller of {@link #of} nor of {@link #features()} or {@link #labels()}
 * may change them afterwards.
 *
 * <p>Feature and label names are normalised the way chimera does it: trimmed and lower-cased.
 */
public final class Dataset {

    /**
     * Returns a dataset over the given arrays, which it keeps without copying.
     *
     * @param featureNames one name per column; normalised (trimmed, lower-cased) and unique after that
     * @param features row-major values, {@code rows * featureNames.size()} of them
     * @param rows the number of rows, {@code >= 0}
     * @param labelName the name of the label column; normalised like the feature names
     * @param labels one label per row
     * @throws IllegalArgumentException if the lengths disagree or two feature names are equal once normalised
     */
    public static Dataset of(List<String> featureNames, double[] features, int rows, String labelName,
                             double[] labels) {
        requireNonNull(featureNames, "featureNames");
        requireNonNull(features, "features");
        requireNonNull(labelName, "labelName");
        requireNonNull(labels, "labels");
        if (rows < 0) {
            throw new IllegalArgumentException("rows: " + rows + " (expected: >= 0)");
        }
        final List<String> names = normalise(featureNames);
        if ((long) rows * names.size() != features.length) {
            throw new IllegalArgumentException("features.length: " + features.length + " (expected: rows * cols = " +
                                               rows + " * " + names.size() + ')');
        }
        if (labels.length != rows) {
            throw new IllegalArgumentException("labels.length: " + labels.length + " (expected: " + rows + ')');
        }
        return new Dataset(names, features, rows, normalise(labelName), labels);
    }

    /** Trims and lower-cases a column name, as chimera does. */
    static String normalise(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Normalises column names, as {@link #normalise(String)} does each one.
     *
     * @throws IllegalArgumentException if two names are equal once normalised
     */
    static List<String> normalise(List<String> featureNames) {
        final List<String> names = new ArrayList<>(featureNames.size());
        final Map<String, Integer> seen = new HashMap<>();
        for (String raw : featureNames) {
            final String name = normalise(requireNonNull(raw, "featureNames[" + names.size() + ']'));
            final Integer previous = seen.putIfAbsent(name, names.size());
            if (previous != null) {
                throw new IllegalArgumentException("duplicate column name '" + name + "' (columns " +
                                                   (previous + 1) + " and " + (names.size() + 1) + ')');
            }
            names.add(name);
        }
        return Collections.unmodifiableList(names);
    }

    private static double[] sortedDistinct(double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        int count = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || Double.compare(sorted[i], sorted[count - 1]) != 0) {
                sorted[count++] = sorted[i];
            }
        }
        return Arrays.copyOf(sorted, count);
    }

    private final List<String> featureNames;
    private final double[] features;
    private final int rows;
    private final String labelName;
    private final double[] labels;

    private Dataset(List<String> featureNames, double[] features, int rows, String labelName, double[] labels) {
        this.featureNames = featureNames;
        this.features = features;
        this.rows = rows;
        this.labelName = labelName;
        this.labels = labels;
    }

    /** Returns the number of rows. */
    public int rows() {
        return rows;
    }

    /** Returns the number of feature columns. */
    public int cols() {
        return featureNames.size();
    }

    /** Returns the normalised feature names in column order; the list is unmodifiable. */
    public List<String> featureNames() {
        return featureNames;
    }

    /** Returns the normalised name of the label column. */
    public String labelName() {
        return labelName;
    }

    /** Returns the row-major features, {@code rows() * cols()} values. Callers must not modify the array. */
    public double[] features() {
        return features;
    }

    /** Returns the labels, one per row. Callers must not modify the array. */
    public double[] labels() {
        return labels;
    }

    /** Returns the value of feature {@code col} in row {@code row}. */
    public double feature(int row, int col) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row: " + row + " (expected: 0 <= row < " + rows + ')');
        }
        if (col < 0 || col >= cols()) {
            throw new IndexOutOfBoundsException("col: " + col + " (expected: 0 <= col < " + cols() + ')');
        }
        return features[row * cols() + col];
    }

    /** Returns the label of row {@code row}. */
    public double label(int row) {
        return labels[row];
    }

    /** Returns the index of the feature called {@code name} (normalised first), or {@code -1} if absent. */
    public int columnIndex(String name) {
        return featureNames.indexOf(normalise(requireNonNull(name, "name")));
    }

    /**
     * Returns a new dataset made of the given rows, in the given order. Indices may repeat, so a
     * {@link BootstrapSampler} sample selects a bootstrap replicate.
     */
    public Dataset select(int[] rowIndices) {
        requireNonNull(rowIndices, "rowIndices");
        final int cols = cols();
        final double[] selectedFeatures = new double[Math.multiplyExact(rowIndices.length, cols)];
        final double[] selectedLabels = new double[rowIndices.length];
        for (int i = 0; i < rowIndices.length; i++) {
            final int row = rowIndices[i];
            if (row < 0 || row >= rows) {
                throw new IndexOutOfBoundsException("rowIndices[" + i + "]: " + row + " (expected: 0 <= row < " +
                                                    rows + ')');
            }
            System.arraycopy(features, row * cols, selectedFeatures, i * cols, cols);
            selectedLabels[i] = labels[row];
        }
        return new Dataset(featureNames, selectedFeatures, rowIndices.length, labelName, selectedLabels);
    }

    /** Returns the distinct labels in ascending order (as {@link Arrays#sort(double[])} orders them). */
    public double[] distinctLabels() {
        // Class labels are few, so keep a small sorted set instead of sorting a copy of every label.
        double[] distinct = new double[8];
        int count = 0;
        for (double label : labels) {
            int pos = Arrays.binarySearch(distinct, 0, count, label);
            if (pos >= 0) {
                continue;
            }
            if (count == distinct.length) {
                if (count >= 1024) {
                    return sortedDistinct(labels);
                }
                distinct = Arrays.copyOf(distinct, count * 2);
            }
            pos = -pos - 1;
            System.arraycopy(distinct, pos, distinct, pos + 1, count - pos);
            distinct[pos] = label;
            count++;
        }
        return Arrays.copyOf(distinct, count);
    }

    @Override
    public String toString() {
        return "Dataset{rows=" + rows + ", cols=" + cols() + ", label=" + labelName + ", features=" + featureNames +
               '}';
    }
}

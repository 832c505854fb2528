package io.chimera.strategy.sgd;

import java.util.Arrays;

/**
 * The gradient of the mean loss over the rows a worker used for one step, without regularisation (the
 * master adds it), together with that mean loss. Immutable.
 */
public final class Gradient {

    private final double[] weightsGradient;
    private final double[] biasGradient;
    private final double loss;
    private final int rows;

    Gradient(double[] weightsGradient, double[] biasGradient, double loss, int rows) {
        this.weightsGradient = weightsGradient;
        this.biasGradient = biasGradient;
        this.loss = loss;
        this.rows = rows;
    }

    /** Gradient with respect to the weights, row-major {@code outputs x columns}, like the weights sent. */
    public double[] weightsGradient() {
        return weightsGradient.clone();
    }

    /** Gradient with respect to the bias, one per output. */
    public double[] biasGradient() {
        return biasGradient.clone();
    }

    /** Mean loss over the rows used, unregularised. */
    public double loss() {
        return loss;
    }

    /** Number of rows the gradient was computed on: the shard's size, or the mini-batch's. */
    public int rows() {
        return rows;
    }

    @Override
    public String toString() {
        return "Gradient{rows=" + rows + ", loss=" + loss + ", weightsGradient="
               + Arrays.toString(weightsGradient) + ", biasGradient=" + Arrays.toString(biasGradient) + '}';
    }
}

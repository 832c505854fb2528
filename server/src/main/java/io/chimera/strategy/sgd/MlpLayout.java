package io.chimera.strategy.sgd;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import io.chimera.proto.v1.NamedTensor;
import io.chimera.proto.v1.Tensor;

/**
 * The shape of a multi-layer perceptron: its layer sizes (inputs, hidden layers, outputs) and the hidden layers'
 * activation, and where each layer's parameters sit in the one flat vector the parameter server's optimiser
 * updates. Immutable.
 *
 * <p>The flat vector holds every layer's weights first ({@code w0}, {@code w1}, ..., each {@code outputs x inputs},
 * row-major), then every layer's biases ({@code b0}, {@code b1}, ...): the weights come first so that the
 * regularisation, which spares the biases as for the linear models, applies to one leading run of
 * {@link #weightCount()} values. On the wire each layer travels as a named, shaped tensor ({@link #toTensors}).
 */
public final class MlpLayout {

    /** The hidden layers' activation. The output layer has none: the loss applies its own link. */
    public enum Activation {
        RELU,
        TANH,
        SIGMOID;

        /** {@code relu}, {@code tanh} or {@code sigmoid}, as options and the status name it. */
        public String activationName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Parses {@code relu}, {@code tanh} or {@code sigmoid}, in any case.
         *
         * @throws IllegalArgumentException naming the valid ones
         */
        public static Activation parse(String name) {
            requireNonNull(name, "name");
            for (Activation a : values()) {
                if (a.activationName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                    return a;
                }
            }
            throw new IllegalArgumentException("activation: " + name + " (expected: relu, tanh or sigmoid)");
        }

        double apply(double z) {
            switch (this) {
                case RELU:
                    return z > 0 ? z : 0;
                case TANH:
                    return Math.tanh(z);
                default:
                    return 1 / (1 + Math.exp(-z));
            }
        }
    }

    /** The most hidden units in one layer: a teaching network, not a language model. */
    public static final int MAX_UNITS = 4096;

    private final int[] sizes;
    private final Activation activation;
    private final int weightCount;
    private final int parameterCount;

    /**
     * @param inputs the feature count
     * @param hidden the hidden layers' sizes, input side first; at least one
     * @param outputs the model's outputs: 1, or the class count of a multinomial log loss
     * @throws IllegalArgumentException when a size is not positive or too large
     */
    public MlpLayout(int inputs, int[] hidden, int outputs, Activation activation) {
        requireNonNull(hidden, "hidden");
        this.activation = requireNonNull(activation, "activation");
        checkHidden(hidden);
        if (inputs <= 0 || outputs <= 0) {
            throw new IllegalArgumentException("inputs " + inputs + ", outputs " + outputs + " (expected: > 0)");
        }
        sizes = new int[hidden.length + 2];
        sizes[0] = inputs;
        System.arraycopy(hidden, 0, sizes, 1, hidden.length);
        sizes[sizes.length - 1] = outputs;
        long weights = 0;
        long biases = 0;
        for (int l = 0; l < layers(); l++) {
            weights += (long) sizes[l] * sizes[l + 1];
            biases += sizes[l + 1];
        }
        if (weights + biases > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("hiddenLayers: " + Arrays.toString(hidden) + " make "
                                               + (weights + biases) + " parameters (expected: fewer than 2^31)");
        }
        weightCount = (int) weights;
        parameterCount = (int) (weights + biases);
    }

    /**
     * Checks hidden layer sizes as a user gives them.
     *
     * @throws IllegalArgumentException naming the option, {@code hiddenLayers}
     */
    public static void checkHidden(int[] hidden) {
        if (hidden.length == 0) {
            throw new IllegalArgumentException("hiddenLayers: [] (expected: at least one layer size)");
        }
        for (int h : hidden) {
            if (h <= 0 || h > MAX_UNITS) {
                throw new IllegalArgumentException("hiddenLayers: " + Arrays.toString(hidden)
                                                   + " (expected: each size between 1 and " + MAX_UNITS + ')');
            }
        }
    }

    /** The number of layers with parameters: hidden layers plus the output layer. */
    public int layers() {
        return sizes.length - 1;
    }

    /** Inputs, hidden sizes and outputs, in order. */
    public int[] sizes() {
        return sizes.clone();
    }

    /** The hidden layers' sizes. */
    public int[] hidden() {
        return Arrays.copyOfRange(sizes, 1, sizes.length - 1);
    }

    public int inputs() {
        return sizes[0];
    }

    public int outputs() {
        return sizes[sizes.length - 1];
    }

    public Activation activation() {
        return activation;
    }

    /** All weights of all layers: the leading run of the flat vector that regularisation applies to. */
    public int weightCount() {
        return weightCount;
    }

    /** Weights and biases. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Where layer {@code l}'s weights start in the flat vector. */
    int weightOffset(int l) {
        int offset = 0;
        for (int i = 0; i < l; i++) {
            offset += sizes[i] * sizes[i + 1];
        }
        return offset;
    }

    /** Where layer {@code l}'s biases start in the flat vector. */
    int biasOffset(int l) {
        int offset = weightCount;
        for (int i = 0; i < l; i++) {
            offset += sizes[i + 1];
        }
        return offset;
    }

    /**
     * First parameters: weights uniform in ±sqrt(6 / fan-in) for ReLU (He) or ±sqrt(6 / (fan-in + fan-out)) for
     * tanh and sigmoid (Glorot), biases 0; the same {@code seed} gives the same network.
     */
    public double[] initialParameters(long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] params = new double[parameterCount];
        for (int l = 0; l < layers(); l++) {
            final int in = sizes[l];
            final int out = sizes[l + 1];
            final double limit = activation == Activation.RELU ? Math.sqrt(6.0 / in) : Math.sqrt(6.0 / (in + out));
            final int from = weightOffset(l);
            for (int i = 0; i < in * out; i++) {
                params[from + i] = (random.nextDouble() * 2 - 1) * limit;
            }
        }
        return params;
    }

    /** The flat vector as named tensors: {@code w0 [outputs, inputs]}, ..., then {@code b0 [outputs]}, .... */
    public List<NamedTensor> toTensors(double[] flat) {
        checkLength(flat.length);
        final List<NamedTensor> tensors = new ArrayList<>(2 * layers());
        for (int l = 0; l < layers(); l++) {
            tensors.add(tensor("w" + l, flat, weightOffset(l), sizes[l + 1], sizes[l]));
        }
        for (int l = 0; l < layers(); l++) {
            tensors.add(tensor("b" + l, flat, biasOffset(l), sizes[l + 1], 0));
        }
        return tensors;
    }

    private static NamedTensor tensor(String name, double[] flat, int from, int rows, int cols) {
        final Tensor.Builder t = Tensor.newBuilder().addShape(rows);
        if (cols > 0) {
            t.addShape(cols);
        }
        final int n = cols > 0 ? rows * cols : rows;
        for (int i = 0; i < n; i++) {
            t.addValues(flat[from + i]);
        }
        return NamedTensor.newBuilder().setName(name).setTensor(t).build();
    }

    /**
     * Reads what {@link #toTensors} wrote back into a flat vector.
     *
     * @param what what the tensors are, for the message: {@code parameters} or {@code gradients}
     * @throws IllegalArgumentException when a name, shape or count is not this layout's
     */
    public double[] fromTensors(List<NamedTensor> tensors, String what) {
        if (tensors.size() != 2 * layers()) {
            throw new IllegalArgumentException(what + ": " + tensors.size() + " tensors (expected: " + 2 * layers()
                                               + ", w0..w" + (layers() - 1) + " then b0..b" + (layers() - 1)
                                               + ", for layers " + Arrays.toString(sizes) + ')');
        }
        final double[] flat = new double[parameterCount];
        for (int i = 0; i < tensors.size(); i++) {
            final int l = i % layers();
            final boolean weights = i < layers();
            final NamedTensor t = tensors.get(i);
            final String name = (weights ? "w" : "b") + l;
            final List<Long> shape = weights ? List.of((long) sizes[l + 1], (long) sizes[l])
                                             : List.of((long) sizes[l + 1]);
            if (!t.getName().equals(name) || !t.getTensor().getShapeList().equals(shape)
                || t.getTensor().getValuesCount() != (weights ? sizes[l + 1] * sizes[l] : sizes[l + 1])) {
                throw new IllegalArgumentException(what + '[' + i + "]: " + t.getName() + ' '
                                                   + t.getTensor().getShapeList() + " with "
                                                   + t.getTensor().getValuesCount() + " values (expected: " + name
                                                   + ' ' + shape + ')');
            }
            final int from = weights ? weightOffset(l) : biasOffset(l);
            for (int v = 0; v < t.getTensor().getValuesCount(); v++) {
                flat[from + v] = t.getTensor().getValues(v);
            }
        }
        return flat;
    }

    /**
     * The network's outputs for one row of (standardised) features, in plain Java: what predict uses.
     *
     * @param x {@link #inputs()} values
     * @param out receives {@link #outputs()} values
     */
    public void forward(double[] params, double[] x, double[] out) {
        double[] in = x;
        for (int l = 0; l < layers(); l++) {
            final int n = sizes[l];
            final int m = sizes[l + 1];
            final boolean last = l == layers() - 1;
            final double[] next = last ? out : new double[m];
            final int w = weightOffset(l);
            final int b = biasOffset(l);
            for (int o = 0; o < m; o++) {
                double s = params[b + o];
                final int row = w + o * n;
                for (int i = 0; i < n; i++) {
                    s += params[row + i] * in[i];
                }
                next[o] = last ? s : activation.apply(s);
            }
            in = next;
        }
    }

    private void checkLength(int length) {
        if (length != parameterCount) {
            throw new IllegalArgumentException("parameters: " + length + " values (expected: " + parameterCount
                                               + " for layers " + Arrays.toString(sizes) + ')');
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MlpLayout && Arrays.equals(sizes, ((MlpLayout) o).sizes)
               && activation == ((MlpLayout) o).activation;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sizes) + activation.hashCode();
    }

    @Override
    public String toString() {
        return "MlpLayout" + Arrays.toString(sizes) + ' ' + activation.activationName();
    }
}

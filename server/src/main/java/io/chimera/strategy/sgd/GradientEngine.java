package io.chimera.strategy.sgd;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;

import io.chimera.core.linear.Loss;

/**
 * One worker's shard, held in native memory as float32 tensors of DJL's PyTorch engine, and the gradient of a
 * linear model's mean {@link Loss} over it. Build one with {@link #builder()} when the worker starts, call
 * {@link #compute(double[], double[], int[])} once per SGD step, and {@link #close()} it to free the native
 * memory.
 *
 * <p>The model has {@link #outputs()} outputs {@code z = W x + b}, with {@code W} sent row-major
 * ({@code outputs x columns}). The features are stored with an extra column of ones, so that the bias is one
 * more weight and each step is two matrix products over the shard. Everything is computed in float32, the
 * fastest type on CPU, and returned as doubles: about seven significant digits, plenty for SGD.
 *
 * <p>Thread-safe: concurrent {@code compute} calls share the shard read-only and each allocates its
 * temporaries in its own sub-manager, freed before it returns; {@code close} waits for calls in flight.
 */
public final class GradientEngine implements AutoCloseable {

    /** Returns a builder; features, labels and loss are required. */
    public static GradientEngineBuilder builder() {
        return new GradientEngineBuilder();
    }

    private final Loss loss;
    private final int rows;
    private final int columns;
    private final int outputs;
    private final NDManager manager;
    /** {@code rows x (columns + 1)}, standardised, last column 1. */
    private final NDArray features;
    /**
     * Per loss: squared error, {@code y}; binary log loss, {@code y} in {0, 1}; hinge, {@code t} in
     * {-1, +1}: shape {@code rows}. Multinomial log loss: one-hot, {@code rows x outputs}.
     */
    private final NDArray targets;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed;

    GradientEngine(Loss loss, int rows, int columns, int outputs, float[] augmentedFeatures, float[] targets) {
        this.loss = loss;
        this.rows = rows;
        this.columns = columns;
        this.outputs = outputs;
        manager = PyTorchRuntime.engine().newBaseManager(Device.cpu());
        try {
            features = manager.create(augmentedFeatures, new Shape(rows, columns + 1));
            this.targets = manager.create(targets, outputs == 1 ? new Shape(rows) : new Shape(rows, outputs));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the gradient of the mean loss over the given rows of the shard, with respect to the weights
     * and the bias.
     *
     * @param weights {@code outputs x columns}, row-major
     * @param bias one per output
     * @param rows indices of a mini-batch of the shard's rows (repeats allowed), or {@code null} for the
     *     whole shard
     * @throws IllegalArgumentException if a length is wrong, a parameter is not a finite float32, or a row
     *     index is out of range
     * @throws IllegalStateException if this engine is closed
     */
    public Gradient compute(double[] weights, double[] bias, int[] rows) {
        final float[] parameters = parameters(weights, bias);
        checkRows(rows, this.rows);
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("GradientEngine closed");
            }
            return compute(parameters, rows);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The loss this engine differentiates. */
    public Loss loss() {
        return loss;
    }

    /** Number of rows in the shard. */
    public int rows() {
        return rows;
    }

    /** Number of feature columns. */
    public int columns() {
        return columns;
    }

    /** Number of model outputs: the number of rows of the weight matrix and the bias length. */
    public int outputs() {
        return outputs;
    }

    /** Frees the shard's native memory; waits for {@code compute} calls in flight. Idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                manager.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Arrays attached to this engine's manager and its sub-managers; 2 between calls. For leak tests. */
    int attachedArrays() {
        return manager.getManagedArrays().size();
    }

    private Gradient compute(float[] parameters, int[] batch) {
        final int used = batch == null ? rows : batch.length;
        try (NDManager call = manager.newSubManager()) {
            NDArray x = features;
            NDArray target = targets;
            if (batch != null) {
                final NDArray index = call.create(toLongs(batch));
                x = features.get(call, new NDIndex("{}", index));
                target = targets.get(call, new NDIndex("{}", index));
            }
            final NDArray residual;
            final NDArray lossSum;
            if (outputs == 1) {
                final NDArray p = call.create(parameters);
                // An op's result belongs to its receiver's manager: move it from the engine's to this call's.
                final NDArray z = x.matMul(p);
                z.attach(call);
                switch (loss) {
                    case SQUARED_ERROR:
                        residual = z.sub(target);
                        lossSum = residual.dot(residual).mul(0.5f);
                        break;
                    case LOG_LOSS:
                        residual = Activation.sigmoid(z).sub(target);
                        lossSum = Activation.softPlus(z).sum().sub(z.dot(target));
                        break;
                    case HINGE: {
                        final NDArray slack = z.mul(target).neg().add(1f);
                        residual = slack.gte(0f).toType(DataType.FLOAT32, false).mul(target).neg();
                        lossSum = Activation.relu(slack).sum();
                        break;
                    }
                    default:
                        throw new AssertionError(loss);
                }
            } else {
                final NDArray p = call.create(parameters, new Shape(outputs, columns + 1));
                final NDArray z = x.matMul(p.transpose());
                z.attach(call);
                final NDArray logProbabilities = z.logSoftmax(1);
                residual = logProbabilities.exp().sub(target);
                lossSum = logProbabilities.mul(target).sum().neg();
            }
            // residual^T x: (used) x (used, columns + 1), or (outputs, used) x (used, columns + 1).
            final NDArray sums = (outputs == 1 ? residual : residual.transpose()).matMul(x);
            return gradient(sums.toFloatArray(), lossSum.getFloat(), used);
        }
    }

    private Gradient gradient(float[] sums, float lossSum, int used) {
        final double[] weightsGradient = new double[outputs * columns];
        final double[] biasGradient = new double[outputs];
        final int width = columns + 1;
        for (int o = 0; o < outputs; o++) {
            for (int c = 0; c < columns; c++) {
                weightsGradient[o * columns + c] = (double) sums[o * width + c] / used;
            }
            biasGradient[o] = (double) sums[o * width + columns] / used;
        }
        return new Gradient(weightsGradient, biasGradient, (double) lossSum / used, used);
    }

    /** Weights and bias as one row-major {@code outputs x (columns + 1)} float matrix, validated. */
    private float[] parameters(double[] weights, double[] bias) {
        requireNonNull(weights, "weights");
        requireNonNull(bias, "bias");
        if (weights.length != outputs * columns) {
            throw new IllegalArgumentException(
                    "weights.length: " + weights.length + " (expected: " + outputs * columns + " = " + outputs
                    + " output(s) x " + columns + " columns)");
        }
        if (bias.length != outputs) {
            throw new IllegalArgumentException(
                    "bias.length: " + bias.length + " (expected: " + outputs + ", one per output)");
        }
        final int width = columns + 1;
        final float[] parameters = new float[outputs * width];
        for (int o = 0; o < outputs; o++) {
            for (int c = 0; c < columns; c++) {
                parameters[o * width + c] = finiteFloat("weights", o * columns + c, weights[o * columns + c]);
            }
            parameters[o * width + columns] = finiteFloat("bias", o, bias[o]);
        }
        return parameters;
    }

    private static float finiteFloat(String name, int index, double value) {
        final float f = (float) value;
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException(
                    name + '[' + index + "]: " + value + " (expected: finite, within float32 range)");
        }
        return f;
    }

    /** Checks a mini-batch's row indices against a shard of {@code rows} rows. */
    static void checkRows(int[] batch, int rows) {
        if (batch == null) {
            return;
        }
        if (batch.length == 0) {
            throw new IllegalArgumentException(
                    "rows: [] (expected: at least one row index, or null for the whole shard)");
        }
        for (int i = 0; i < batch.length; i++) {
            if (batch[i] < 0 || batch[i] >= rows) {
                throw new IllegalArgumentException(
                        "rows[" + i + "]: " + batch[i] + " (expected: 0 <= row < " + rows + ')');
            }
        }
    }

    static long[] toLongs(int[] values) {
        final long[] longs = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            longs[i] = values[i];
        }
        return longs;
    }

    @Override
    public String toString() {
        return "GradientEngine{loss=" + loss + ", rows=" + rows + ", columns=" + columns + ", outputs=" + outputs
               + '}';
    }
}

package io.chimera.strategy.sgd;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.locks.ReentrantLock;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.training.GradientCollector;

import io.chimera.core.linear.Loss;

/**
 * One worker's shard in native memory as float32 tensors of DJL's PyTorch engine, and the gradient of a
 * multi-layer perceptron's mean {@link Loss} over it, by DJL's autograd: the forward pass is written with NDArray
 * operations inside a {@link GradientCollector}, which differentiates it. Build one with
 * {@link GradientEngineBuilder#buildNetwork()}, call {@link #compute(double[], int[])} once per SGD step and
 * {@link #close()} it to free the native memory.
 *
 * <p>The parameters are one flat vector laid out as {@link MlpLayout} says (every layer's weights, then every
 * layer's biases); the gradient comes back the same way, the weights' part as {@link Gradient#weightsGradient()}
 * and the biases' as {@link Gradient#biasGradient()}. A regression learns the target as the builder standardised
 * it.
 *
 * <p>Thread-safe. PyTorch's gradient collector is one per process, so calls run one at a time, across engines.
 */
public final class MlpGradientEngine implements AutoCloseable {

    /** DJL's PyTorch engine allows one open gradient collector in the whole process. */
    private static final ReentrantLock AUTOGRAD = new ReentrantLock();

    private final Loss loss;
    private final MlpLayout layout;
    private final int rows;
    private final NDManager manager;
    /** {@code rows x inputs}, standardised. */
    private final NDArray features;
    /** As {@link GradientEngine}'s targets: one per row, or one-hot {@code rows x outputs}. */
    private final NDArray targets;
    private boolean closed;

    MlpGradientEngine(Loss loss, MlpLayout layout, int rows, float[] features, float[] targets) {
        this.loss = loss;
        this.layout = layout;
        this.rows = rows;
        manager = PyTorchRuntime.engine().newBaseManager(Device.cpu());
        try {
            this.features = manager.create(features, new Shape(rows, layout.inputs()));
            this.targets = manager.create(targets, layout.outputs() == 1 ? new Shape(rows)
                                                                         : new Shape(rows, layout.outputs()));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Returns the gradient of the mean loss over the given rows of the shard with respect to every parameter.
     *
     * @param parameters {@link MlpLayout#parameterCount()} values, laid out as {@link MlpLayout} says
     * @param batch indices of a mini-batch of the shard's rows (repeats allowed), or {@code null} for all
     * @throws IllegalArgumentException if a length is wrong, a parameter is not a finite float32, or a row index
     *     is out of range
     * @throws IllegalStateException if this engine is closed
     */
    public Gradient compute(double[] parameters, int[] batch) {
        requireNonNull(parameters, "parameters");
        if (parameters.length != layout.parameterCount()) {
            throw new IllegalArgumentException("parameters: " + parameters.length + " values (expected: "
                                               + layout.parameterCount() + " for " + layout + ')');
        }
        final float[] p = new float[parameters.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) parameters[i];
            if (!Float.isFinite(p[i])) {
                throw new IllegalArgumentException("parameters[" + i + "]: " + parameters[i]
                                                   + " (expected: finite, within float32 range)");
            }
        }
        GradientEngine.checkRows(batch, rows);
        AUTOGRAD.lock();
        try {
            if (closed) {
                throw new IllegalStateException("MlpGradientEngine closed");
            }
            return compute(p, batch);
        } finally {
            AUTOGRAD.unlock();
        }
    }

    public Loss loss() {
        return loss;
    }

    public MlpLayout layout() {
        return layout;
    }

    /** Number of rows in the shard. */
    public int rows() {
        return rows;
    }

    /** Frees the shard's native memory; waits for a call in flight. Idempotent. */
    @Override
    public void close() {
        AUTOGRAD.lock();
        try {
            if (!closed) {
                closed = true;
                manager.close();
            }
        } finally {
            AUTOGRAD.unlock();
        }
    }

    /** Arrays attached to this engine's manager and its sub-managers; 2 between calls. For leak tests. */
    int attachedArrays() {
        return manager.getManagedArrays().size();
    }

    private Gradient compute(float[] flat, int[] batch) {
        final int layers = layout.layers();
        final int[] sizes = layout.sizes();
        final int used = batch == null ? rows : batch.length;
        try (NDManager call = manager.newSubManager();
             GradientCollector collector = PyTorchRuntime.engine().newGradientCollector()) {
            NDArray x = features;
            NDArray target = targets;
            if (batch != null) {
                final NDArray index = call.create(GradientEngine.toLongs(batch));
                x = features.get(call, new NDIndex("{}", index));
                target = targets.get(call, new NDIndex("{}", index));
            }
            final NDArray[] weights = new NDArray[layers];
            final NDArray[] biases = new NDArray[layers];
            for (int l = 0; l < layers; l++) {
                weights[l] = call.create(slice(flat, layout.weightOffset(l), sizes[l + 1] * sizes[l]),
                                         new Shape(sizes[l + 1], sizes[l]));
                biases[l] = call.create(slice(flat, layout.biasOffset(l), sizes[l + 1]), new Shape(sizes[l + 1]));
                weights[l].setRequiresGradient(true);
                biases[l].setRequiresGradient(true);
            }
            NDArray h = x;
            for (int l = 0; l < layers; l++) {
                // An op's result belongs to its receiver's manager: the first layer's to the engine's, so move it.
                final NDArray product = h.matMul(weights[l].transpose());
                product.attach(call);
                final NDArray z = product.add(biases[l]);
                h = l == layers - 1 ? z : activate(z);
            }
            final NDArray mean = meanLoss(layout.outputs() == 1 ? h.reshape(used) : h, target, used);
            collector.backward(mean);
            final double[] weightsGradient = new double[layout.weightCount()];
            final double[] biasGradient = new double[layout.parameterCount() - layout.weightCount()];
            for (int l = 0; l < layers; l++) {
                copy(weights[l].getGradient().toFloatArray(), weightsGradient, layout.weightOffset(l));
                copy(biases[l].getGradient().toFloatArray(), biasGradient,
                     layout.biasOffset(l) - layout.weightCount());
            }
            return new Gradient(weightsGradient, biasGradient, mean.getFloat(), used);
        }
    }

    private NDArray activate(NDArray z) {
        switch (layout.activation()) {
            case RELU:
                return Activation.relu(z);
            case TANH:
                return Activation.tanh(z);
            default:
                return Activation.sigmoid(z);
        }
    }

    /** The mean loss over the rows, as {@link GradientEngine} defines each loss. */
    private NDArray meanLoss(NDArray z, NDArray target, int used) {
        if (layout.outputs() > 1) {
            return z.logSoftmax(1).mul(target).sum().neg().div(used);
        }
        switch (loss) {
            case SQUARED_ERROR: {
                final NDArray residual = z.sub(target);
                return residual.dot(residual).mul(0.5f / used);
            }
            case LOG_LOSS:
                return Activation.softPlus(z).sum().sub(z.dot(target)).div(used);
            case HINGE:
                return Activation.relu(z.mul(target).neg().add(1f)).sum().div(used);
            default:
                throw new AssertionError(loss);
        }
    }

    private static float[] slice(float[] flat, int from, int length) {
        final float[] out = new float[length];
        System.arraycopy(flat, from, out, 0, length);
        return out;
    }

    private static void copy(float[] from, double[] to, int offset) {
        for (int i = 0; i < from.length; i++) {
            to[offset + i] = from[i];
        }
    }

    @Override
    public String toString() {
        return "MlpGradientEngine{loss=" + loss + ", " + layout + ", rows=" + rows + '}';
    }
}

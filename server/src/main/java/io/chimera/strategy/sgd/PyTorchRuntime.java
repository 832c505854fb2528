package io.chimera.strategy.sgd;

import ai.djl.engine.Engine;

/**
 * Loads DJL's PyTorch engine once, explicitly by name, so that another engine on the class path cannot be
 * picked by accident, and with a thread count suited to several worker processes sharing a few cores.
 *
 * <p>PyTorch reads its thread settings when the engine loads. Unless the user set them
 * ({@code -Dai.djl.pytorch.num_threads=N}, {@code -Dai.djl.pytorch.num_interop_threads=N}), chimera uses
 * {@value #DEFAULT_INTRA_OP_THREADS} intra-op thread and {@value #DEFAULT_INTEROP_THREADS} inter-op thread.
 * PyTorch's default, one intra-op thread per core, oversubscribes the cores as soon as two workers share a
 * machine, the usual case. Measured with {@code GradientBenchmark} on 2 cores (full-batch log-loss gradient,
 * 202,944 x 21): alone, 1 thread 1.3-1.5 ms and 2 threads 1.3 ms per call; two worker processes side by side,
 * 1 thread 1.6 ms median and 2 ms p90, 2 threads 6.7 ms median and 76 ms p90 (OpenMP threads spinning against
 * each other). The setting is process-wide and also applies to calls from other threads. Nothing in a
 * gradient uses inter-op parallelism. If something else in the process loaded the engine first, its
 * settings stand.
 *
 * <p>DJL also runs offline ({@code ai.djl.offline=true}) unless told otherwise ({@code DJL_OFFLINE} or the
 * property): the natives come from the {@code pytorch-native-cpu} jar, and a worker must never reach out to
 * the network to start.
 */
final class PyTorchRuntime {

    static final String ENGINE_NAME = "PyTorch";
    static final String INTRA_OP_THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";
    static final String OFFLINE_PROPERTY = "ai.djl.offline";
    static final int DEFAULT_INTRA_OP_THREADS = 1;
    static final int DEFAULT_INTEROP_THREADS = 1;

    private static volatile Engine engine;

    /**
     * Returns the PyTorch engine, loading it on first use.
     *
     * @throws IllegalStateException if the PyTorch engine or its native library is not available
     */
    static Engine engine() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (PyTorchRuntime.class) {
            if (engine == null) {
                engine = load();
            }
            return engine;
        }
    }

    private static Engine load() {
        setIfAbsent(INTRA_OP_THREADS_PROPERTY, Integer.toString(DEFAULT_INTRA_OP_THREADS));
        setIfAbsent(INTEROP_THREADS_PROPERTY, Integer.toString(DEFAULT_INTEROP_THREADS));
        setIfAbsent(OFFLINE_PROPERTY, "true");
        try {
            return Engine.getEngine(ENGINE_NAME);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw new IllegalStateException(
                    "cannot load DJL's " + ENGINE_NAME + " engine (needs ai.djl.pytorch:pytorch-engine, "
                    + "pytorch-jni and pytorch-native-cpu for this platform on the class path, and a writable "
                    + "or already extracted native cache in ~/.djl.ai or DJL_CACHE_DIR): " + e, e);
        }
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    private PyTorchRuntime() {}
}

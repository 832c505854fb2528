package io.chimera.strategy.parameterserver;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.ListValue;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.google.protobuf.Value;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.WorkerSeeds;
import io.chimera.core.linear.Loss;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.internal.ErrorMapping;
import io.chimera.proto.v1.DataSampleRequest;
import io.chimera.proto.v1.DataSampleResponse;
import io.chimera.proto.v1.DataStatisticsRequest;
import io.chimera.proto.v1.DataStatisticsResponse;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.FitStepResponse;
import io.chimera.proto.v1.SgdOptions;
import io.chimera.proto.v1.SgdWorkerServiceGrpc;
import io.chimera.strategy.sgd.Gradient;
import io.chimera.strategy.sgd.GradientEngine;
import io.chimera.strategy.sgd.LinearSetup;
import io.chimera.strategy.sgd.MiniBatchSampler;
import io.chimera.strategy.sgd.MlpGradientEngine;
import io.chimera.strategy.sgd.MlpLayout;
import io.chimera.strategy.sgd.ShardStatistics;
import io.chimera.workers.Worker;
import io.chimera.workers.WorkerEnvironment;
import io.grpc.stub.StreamObserver;

/**
 * A data-parallel worker: holds a shard of the rows and, on each {@code POST /v1/chimera/sgd/fit-step},
 * answers the true gradient of the loss over its shard (or a seeded mini-batch of it) at the parameters the
 * master sent, computed with DJL NDArrays in float32.
 *
 * <p>The parameter server chooses the loss, the mini-batch size and the standardisation and sends them with
 * each step ({@code options}); a call without options (chimera's own) uses this worker's default loss, the
 * full shard and raw features. {@code GET /v1/chimera/sgd/request-data-sample} answers a few rows holding
 * every class at least once (chimera's rule) and {@code GET /v1/chimera/sgd/data-statistics} the per-feature
 * sums the master standardises with.
 *
 * <pre>{@code
 * // chimera_workers/sgd1.java
 * public class sgd1 {
 *     public static void main(String[] args) {
 *         new SGDWorker().serve();
 *     }
 * }
 * }</pre>
 */
public final class SGDWorker extends Worker {

    private static final Logger logger = LoggerFactory.getLogger("chimera_status");

    /** Distinct labels are reported in the statistics only up to this many (a regression target has more). */
    static final int MAX_REPORTED_CLASSES = LinearSetup.MAX_REPORTED_CLASSES;

    private final Loss defaultLoss;
    private final Object lock = new Object();
    private Prepared prepared;

    /** A worker whose default loss (for calls without options) is squared error. */
    public SGDWorker() {
        this(Loss.SQUARED_ERROR);
    }

    /** A worker with the given default loss, used when a fit-step carries no options. */
    public SGDWorker(Loss defaultLoss) {
        this.defaultLoss = requireNonNull(defaultLoss, "defaultLoss");
    }

    @Override
    public SGDWorker seed(long seed) {
        super.seed(seed);
        return this;
    }

    @Override
    protected void checkData(Dataset data) {
        // Any finite data will do; the loader already refused the rest.
    }

    @Override
    protected void addServices(NodeServerBuilder builder) {
        // A linear fit-step takes about a millisecond and is called hundreds of times per fit; a network's
        // step moves to the blocking-task executor (see offloaded).
        builder.quickService(new Service());
    }

    @Override
    protected long derivedSeed(WorkerEnvironment env) {
        return WorkerSeeds.forWorker(env.seed(), env.name());
    }

    /**
     * The engine (a linear model's, or a network's when the options name hidden layers) and sampler for one set
     * of options; rebuilt only when the options change.
     */
    private static final class Prepared implements AutoCloseable {
        final SgdOptions options;
        final GradientEngine engine;
        final MlpGradientEngine network;
        final MiniBatchSampler sampler;

        Prepared(SgdOptions options, GradientEngine engine, MlpGradientEngine network, MiniBatchSampler sampler) {
            this.options = options;
            this.engine = engine;
            this.network = network;
            this.sampler = sampler;
        }

        @Override
        public void close() {
            if (engine != null) {
                engine.close();
            } else {
                network.close();
            }
        }
    }

    private Prepared prepare(SgdOptions options) {
        synchronized (lock) {
            if (prepared != null && prepared.options.equals(options)) {
                return prepared;
            }
            final Dataset data = data();
            final Loss loss;
            try {
                loss = options.getLoss().isEmpty() ? defaultLoss : Loss.parse(options.getLoss());
            } catch (IllegalArgumentException e) {
                // Loss.parse says "loss: <name> (expected: ...)".
                throw ChimeraException.badRequest("options." + e.getMessage());
            }
            if (options.getBatchSize() < 0) {
                throw ChimeraException.badRequest("options.batch_size: " + options.getBatchSize()
                                                  + " (expected: >= 0, 0 for the full shard)");
            }
            double[] classes = options.getClassesList().stream().mapToDouble(Double::doubleValue).toArray();
            if (loss.isClassification() && classes.length == 0) {
                classes = data.distinctLabels();
            }
            final var builder = GradientEngine.builder().features(data.features(), data.rows(), data.cols())
                                              .labels(data.labels()).loss(loss);
            if (loss.isClassification()) {
                builder.classes(classes);
            }
            if (options.getFeatureMeanCount() > 0 || options.getFeatureScaleCount() > 0) {
                builder.standardization(options.getFeatureMeanList().stream().mapToDouble(Double::doubleValue)
                                               .toArray(),
                                        options.getFeatureScaleList().stream().mapToDouble(Double::doubleValue)
                                               .toArray());
            }
            final boolean network = options.getHiddenLayersCount() > 0;
            GradientEngine engine = null;
            MlpGradientEngine mlp = null;
            try {
                if (network) {
                    builder.network(MlpLayout.Activation.parse(options.getActivation().isEmpty()
                                                               ? "relu" : options.getActivation()),
                                    options.getHiddenLayersList().stream().mapToInt(Integer::intValue).toArray());
                    if (options.getTargetScale() != 0 || options.getTargetShift() != 0) {
                        builder.targetStandardization(options.getTargetShift(), options.getTargetScale());
                    }
                    mlp = builder.buildNetwork();
                } else if (!options.getActivation().isEmpty() || options.getTargetScale() != 0) {
                    throw new IllegalArgumentException("activation and target_scale are only used with "
                                                       + "hidden_layers (the model is linear)");
                } else {
                    engine = builder.build();
                }
            } catch (IllegalArgumentException e) {
                throw ChimeraException.badRequest("options: " + e.getMessage());
            }
            final long seed = options.getSeed() != 0 ? WorkerSeeds.forWorker(options.getSeed(), name()) : seed();
            final Prepared next = new Prepared(options, engine, mlp,
                                               new MiniBatchSampler(data.rows(), options.getBatchSize(), seed));
            if (prepared != null) {
                prepared.close();
            }
            prepared = next;
            logger.info("{} prepared {} {} over {} rows x {} features{}", name(), loss,
                        network ? "loss of a network " + mlp.layout() : "loss", data.rows(), data.cols(),
                        options.getBatchSize() > 0 ? ", mini-batches of " + options.getBatchSize() : "");
            return next;
        }
    }

    protected FitStepResponse fitStep(FitStepRequest request) {
        return fitStep(request, System.nanoTime());
    }

    /** One step; its answer's {@code compute_seconds} counts from {@code t0} ({@link System#nanoTime()}). */
    private FitStepResponse fitStep(FitStepRequest request, long t0) {
        final Prepared p = prepare(request.getOptions());
        if (p.network != null) {
            return networkStep(p, request, t0);
        }
        if (request.getParametersCount() > 0) {
            throw ChimeraException.badRequest("parameters: " + request.getParametersCount()
                                              + " tensors for a linear model (expected: none, with weights and "
                                              + "bias; tensors need options.hidden_layers)");
        }
        final double[] weights = request.getWeightsList().stream().mapToDouble(Double::doubleValue).toArray();
        final double[] bias = request.getBiasList().stream().mapToDouble(Double::doubleValue).toArray();
        final Gradient g;
        try {
            g = p.engine.compute(weights, bias, p.sampler.batch(request.getStep()));
        } catch (IllegalArgumentException e) {
            throw ChimeraException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw ChimeraException.fitInProgress("worker " + name() + " changed options meanwhile: " + e.getMessage());
        }
        final FitStepResponse.Builder res = FitStepResponse.newBuilder().setLoss(g.loss()).setRows(g.rows());
        for (double v : g.weightsGradient()) {
            res.addWeightsGradients(v);
        }
        for (double v : g.biasGradient()) {
            res.addBiasGradient(v);
        }
        return res.setComputeSeconds((System.nanoTime() - t0) / 1e9).build();
    }

    /** A network's step: its parameters and gradient travel as named, shaped tensors. */
    private FitStepResponse networkStep(Prepared p, FitStepRequest request, long t0) {
        final MlpLayout layout = p.network.layout();
        final Gradient g;
        try {
            g = p.network.compute(layout.fromTensors(request.getParametersList(), "parameters"),
                                  p.sampler.batch(request.getStep()));
        } catch (IllegalArgumentException e) {
            throw ChimeraException.badRequest(e.getMessage());
        } catch (IllegalStateException e) {
            throw ChimeraException.fitInProgress("worker " + name() + " changed options meanwhile: " + e.getMessage());
        }
        final double[] flat = new double[layout.parameterCount()];
        final double[] w = g.weightsGradient();
        System.arraycopy(w, 0, flat, 0, w.length);
        final double[] b = g.biasGradient();
        System.arraycopy(b, 0, flat, w.length, b.length);
        return FitStepResponse.newBuilder().setLoss(g.loss()).setRows(g.rows())
                              .addAllGradients(layout.toTensors(flat))
                              .setComputeSeconds((System.nanoTime() - t0) / 1e9).build();
    }

    protected DataSampleResponse dataSample() {
        final Dataset data = data();
        final boolean classification = prepared != null
                                       ? Loss.parse(effectiveLoss(prepared.options)).isClassification()
                                       : defaultLoss.isClassification();
        final int[] rows = DataSample.sampleRows(data.labels(), classification, seed());
        final DataSampleResponse.Builder res = DataSampleResponse.newBuilder()
                .addAllXTrainSampleColumns(data.featureNames())
                .addYTrainSampleColumns(data.labelName());
        for (int r : rows) {
            final ListValue.Builder x = ListValue.newBuilder();
            for (int c = 0; c < data.cols(); c++) {
                x.addValues(Value.newBuilder().setNumberValue(data.feature(r, c)));
            }
            res.addXTrainSampleRows(x);
            res.addYTrainSampleRows(ListValue.newBuilder().addValues(
                    Value.newBuilder().setNumberValue(data.label(r))));
        }
        return res.build();
    }

    private String effectiveLoss(SgdOptions options) {
        return options.getLoss().isEmpty() ? defaultLoss.lossName() : options.getLoss();
    }

    protected DataStatisticsResponse dataStatistics() {
        final Dataset data = data();
        final ShardStatistics s = ShardStatistics.of(data.features(), data.rows(), data.cols(), data.labels());
        final DataStatisticsResponse.Builder res = DataStatisticsResponse.newBuilder()
                .addAllColumns(data.featureNames())
                .setCount(s.count())
                .setLabelSum(s.labelSum())
                .setLabelSumOfSquares(s.labelSumOfSquares());
        Arrays.stream(s.sum()).forEach(res::addSum);
        Arrays.stream(s.sumOfSquares()).forEach(res::addSumOfSquares);
        if (s.classes().length <= MAX_REPORTED_CLASSES) {
            Arrays.stream(s.classes()).forEach(res::addClasses);
        }
        return res.build();
    }

    /**
     * A network's step leaves the event loop: it takes milliseconds to seconds (DJL's first call on a process
     * warms up for several), and the node keeps answering health probes and other calls meanwhile. A linear
     * step (about a millisecond, hundreds per fit) stays on the event loop, which saves two thread hand-offs.
     */
    private boolean offloaded(FitStepRequest request) {
        return request.getOptions().getHiddenLayersCount() > 0 || injected();
    }

    /**
     * Answers one step: the injected step delay, the step itself, its compute time (both, as this worker measured
     * them) in the answer, then the injected latency. Off the event loop whenever something is injected.
     */
    private FitStepResponse answer(FitStepRequest request) {
        final long t0 = System.nanoTime();
        beforeStep();
        final FitStepResponse response = fitStep(request, t0);
        beforeAnswer();
        return response;
    }

    private final class Service extends SgdWorkerServiceGrpc.SgdWorkerServiceImplBase {
        @Override
        public void fitStep(FitStepRequest request, StreamObserver<FitStepResponse> out) {
            if (!offloaded(request)) {
                out.onNext(answer(request));
                out.onCompleted();
                return;
            }
            final ServiceRequestContext ctx = ServiceRequestContext.current();
            ctx.blockingTaskExecutor().execute(() -> {
                final FitStepResponse response;
                try {
                    response = answer(request);
                } catch (Throwable t) {
                    out.onError(ErrorBody.toGrpc(ErrorMapping.toChimeraException(ctx, t)));
                    return;
                }
                out.onNext(response);
                out.onCompleted();
            });
        }

        /**
         * Answers each step of the stream in order: a linear step on the event loop as {@link #fitStep} does, a
         * network's on the blocking-task executor, one after another. A step that fails ends the stream with the
         * error {@code FitStep} would have answered; the master opens a new stream if it goes on.
         */
        @Override
        public StreamObserver<FitStepRequest> fitSteps(StreamObserver<FitStepResponse> out) {
            final ServiceRequestContext ctx = ServiceRequestContext.current();
            return new StreamObserver<>() {
                /** The last step handed to the executor; later steps and the end of the stream wait for it. */
                private CompletableFuture<Void> tail = CompletableFuture.completedFuture(null);
                private volatile boolean ended;

                @Override
                public void onNext(FitStepRequest request) {
                    if (ended) {
                        return;
                    }
                    if (offloaded(request) || !tail.isDone()) {
                        tail = tail.thenRunAsync(() -> step(request), ctx.blockingTaskExecutor());
                    } else {
                        step(request);
                    }
                }

                private void step(FitStepRequest request) {
                    if (ended) {
                        return;
                    }
                    final FitStepResponse response;
                    try {
                        response = answer(request);
                    } catch (Throwable t) {
                        ended = true;
                        out.onError(ErrorBody.toGrpc(ErrorMapping.toChimeraException(ctx, t)));
                        return;
                    }
                    out.onNext(response);
                }

                @Override
                public void onError(Throwable t) {
                    // The master cancelled the stream (a timeout, the end of its fit): nothing to answer.
                    ended = true;
                }

                @Override
                public void onCompleted() {
                    tail = tail.thenRun(() -> {
                        if (!ended) {
                            ended = true;
                            out.onCompleted();
                        }
                    });
                }
            };
        }

        @Override
        public void requestDataSample(DataSampleRequest request, StreamObserver<DataSampleResponse> out) {
            out.onNext(dataSample());
            out.onCompleted();
        }

        @Override
        public void dataStatistics(DataStatisticsRequest request, StreamObserver<DataStatisticsResponse> out) {
            out.onNext(SGDWorker.this.dataStatistics());
            out.onCompleted();
        }
    }
}

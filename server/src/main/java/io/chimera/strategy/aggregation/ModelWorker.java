package io.chimera.strategy.aggregation;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.core.data.BootstrapSampler;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.WorkerSeeds;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.Learner;
import io.chimera.core.learn.ModelFormat;
import io.chimera.core.learn.ModelFormats;
import io.chimera.core.learn.PortableModel;
import io.chimera.node.internal.ErrorMapping;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.strategy.aggregation.internal.ModelAnswers;
import io.chimera.workers.Worker;
import io.chimera.workers.WorkerEnvironment;
import io.grpc.stub.StreamObserver;

/**
 * A bagging worker: fits one {@link Learner} on its training data (optionally on a bootstrap sample) on
 * {@code POST /v1/chimera/model/fit} and answers {@code POST /v1/chimera/model/predict} with it.
 *
 * <p>Unlike chimera, each worker draws its bootstrap sample from its own random stream, derived from the
 * run's base seed and the worker's name, so workers holding identical data still grow different trees.
 * Refitting with the same seed gives the same model. A fit swaps the model in one step: a predict running
 * meanwhile uses the previous model, never a half-built one.
 */
public abstract class ModelWorker extends Worker {

    private static final Logger logger = LoggerFactory.getLogger("chimera_status");
    /** Predicts up to this size are answered on the event loop: a few hundred rows take well under 1 ms. */
    private static final int INLINE_PREDICT_BYTES = 64 * 1024;

    private final Learner learner;
    private final boolean bootstrap;
    private final AtomicBoolean fitting = new AtomicBoolean();
    private volatile FittedModel model;

    protected ModelWorker(Learner learner, boolean bootstrap) {
        this.learner = requireNonNull(learner, "learner");
        this.bootstrap = bootstrap;
    }

    /** The learner this worker fits. */
    public final Learner learner() {
        return learner;
    }

    /** Whether each fit uses a bootstrap sample of the data. */
    public final boolean bootstrap() {
        return bootstrap;
    }

    @Override
    protected final void addServices(io.chimera.node.NodeServerBuilder builder) {
        final Service service = new Service();
        builder.quickService(service).restPredict(ChimeraPaths.MODEL_PREDICT,
                                                  service.bindService().getServiceDescriptor(), service::predict);
    }

    /** Fits the learner on this worker's data; the same seed gives the same model. */
    protected final FittedModel fitNow() {
        final Dataset data = data();
        final long start = System.nanoTime();
        final FittedModel fitted;
        try {
            // A bootstrap sample goes as row indices: the built-in trees fit it without copying the rows. The
            // learner's own randomness (a Tribuo forest's, say) takes the worker's seed too.
            final Learner seeded = learner.withSeed(seed());
            fitted = bootstrap ? seeded.fit(data, BootstrapSampler.sample(data.rows(), new SplittableRandom(seed())))
                               : seeded.fit(data);
        } catch (RuntimeException e) {
            throw ChimeraException.internal("learner " + learnerName() + " failed to fit: " + e);
        }
        final String mismatch = ModelAnswers.mismatch(fitted, data.cols(), answerClasses());
        if (mismatch != null) {
            throw ChimeraException.internal("learner " + learnerName() + " returned " + mismatch);
        }
        logger.info("{} fitted {} on {} rows{} in {} ms", name(), learner, data.rows(),
                    bootstrap ? " (bootstrap sample)" : "", (System.nanoTime() - start) / 1_000_000);
        return fitted;
    }

    /** The classes answers are aligned on: the training labels for classification, none for regression. */
    protected abstract double[] answerClasses();

    protected final PredictResponse predictNow(PredictRequest request) {
        return ModelAnswers.predict(learnerName(), fittedModel(), data().featureNames(), answerClasses(),
                                    Table.fromPredictRequest(request));
    }

    /**
     * This worker's model in its portable form, for the master's export.
     *
     * @throws ChimeraException 409 {@code NotFittedError} before the first fit; 409
     *         {@code ModelNotExportableError} when the model is not a {@link PortableModel} whose format this
     *         classpath reads
     */
    protected final WorkerModel exportNow() {
        final FittedModel fitted = fittedModel();
        if (!(fitted instanceof PortableModel)) {
            throw notExportable("its learner " + learnerName() + " returned a " + fitted.getClass().getName()
                                + ", which does not implement " + PortableModel.class.getName()
                                + " (format() and toBytes())");
        }
        final PortableModel portable = (PortableModel) fitted;
        final String format;
        final byte[] bytes;
        try {
            format = portable.format();
            bytes = portable.toBytes();
        } catch (RuntimeException e) {
            throw ChimeraException.internal("learner " + learnerName() + " failed to export its model: " + e);
        }
        if (format == null || !ModelFormats.isKnown(format)) {
            throw notExportable("its model format '" + format + "' has no reader here (expected: one of "
                                + ModelFormats.names() + "; register a " + ModelFormat.class.getName()
                                + " in META-INF/services)");
        }
        if (bytes == null) {
            throw ChimeraException.internal("learner " + learnerName() + " exported no bytes");
        }
        final WorkerModel.Builder res = WorkerModel.newBuilder()
                                                   .setWorker(name())
                                                   .setTask(answerClasses().length > 0 ? "classification"
                                                                                       : "regression")
                                                   .setLearner(learnerName())
                                                   .setFormat(format)
                                                   .setModel(ByteString.copyFrom(bytes))
                                                   .addAllFeatureColumns(data().featureNames());
        for (double c : answerClasses()) {
            res.addClasses(c);
        }
        return res.build();
    }

    private ChimeraException notExportable(String why) {
        return new ChimeraException(409, ChimeraException.MODEL_NOT_EXPORTABLE_ERROR,
                                    "worker " + name() + " cannot export its model: " + why);
    }

    private FittedModel fittedModel() {
        final FittedModel fitted = model;
        if (fitted == null) {
            throw ChimeraException.notFitted(
                    "worker " + name() + " has no model yet: call POST /v1/chimera/model/fit first");
        }
        return fitted;
    }

    /**
     * Served on the event loop, which saves two thread hand-offs per call: a master under a load of small
     * predicts calls its workers thousands of times a second. What takes longer, a fit or a large predict, moves
     * to the blocking-task executor.
     */
    final class Service extends ModelWorkerServiceGrpc.ModelWorkerServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            if (!fitting.compareAndSet(false, true)) {
                throw ChimeraException.fitInProgress("worker " + name() + " is already fitting");
            }
            final ServiceRequestContext ctx = ServiceRequestContext.current();
            ctx.blockingTaskExecutor().execute(() -> {
                final FittedModel fitted;
                try {
                    beforeStep();
                    fitted = fitNow();
                    beforeAnswer();
                } catch (Throwable t) {
                    fitting.set(false);
                    out.onError(ErrorBody.toGrpc(ErrorMapping.toChimeraException(ctx, t)));
                    return;
                }
                model = fitted;
                fitting.set(false);
                out.onNext(FitResponse.newBuilder().setFit("ok").build());
                out.onCompleted();
            });
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            if (request.getSerializedSize() <= INLINE_PREDICT_BYTES && !injected()) {
                out.onNext(predictNow(request));
                out.onCompleted();
                return;
            }
            final ServiceRequestContext ctx = ServiceRequestContext.current();
            ctx.blockingTaskExecutor().execute(() -> {
                final PredictResponse answer;
                try {
                    answer = predictNow(request);
                    beforeAnswer();
                } catch (Throwable t) {
                    out.onError(ErrorBody.toGrpc(ErrorMapping.toChimeraException(ctx, t)));
                    return;
                }
                out.onNext(answer);
                out.onCompleted();
            });
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<WorkerModel> out) {
            out.onNext(exportNow());
            out.onCompleted();
        }
    }

    /** The learner's name for messages. */
    protected final String learnerName() {
        return learner.getClass().getSimpleName();
    }

    /** A seed for this worker: the explicit one, else derived from the run's base seed and the name. */
    @Override
    protected long derivedSeed(WorkerEnvironment env) {
        return WorkerSeeds.forWorker(env.seed(), env.name());
    }
}

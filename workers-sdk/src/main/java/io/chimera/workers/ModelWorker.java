package io.chimera.workers;

import static java.util.Objects.requireNonNull;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.common.server.NodeServer;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelWorkerServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.workers.data.BootstrapSampler;
import io.chimera.workers.data.Dataset;
import io.chimera.workers.data.WorkerSeeds;
import io.chimera.workers.learn.FittedModel;
import io.chimera.workers.learn.Learner;
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

    private final Learner learner;
    private final boolean bootstrap;
    private final AtomicBoolean fitting = new AtomicBoolean();
    private volatile FittedModel model;

    ModelWorker(Learner learner, boolean bootstrap) {
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
    final void addServices(io.chimera.common.server.NodeServerBuilder builder) {
        builder.service(new Service());
    }

    /** Fits the learner on this worker's data; the same seed gives the same model. */
    final FittedModel fitNow() {
        final Dataset data = data();
        final Dataset sample;
        if (bootstrap) {
            final SplittableRandom rng = new SplittableRandom(seed());
            sample = data.select(BootstrapSampler.sample(data.rows(), rng));
        } else {
            sample = data;
        }
        final long start = System.nanoTime();
        final FittedModel fitted;
        try {
            fitted = learner.fit(sample);
        } catch (RuntimeException e) {
            throw ChimeraException.internal("learner " + learnerName() + " failed to fit: " + e);
        }
        if (fitted == null || fitted.featureCount() != data.cols()) {
            throw ChimeraException.internal(
                    "learner " + learnerName() + " returned a model for "
                    + (fitted == null ? "nothing" : fitted.featureCount() + " features")
                    + " (expected: " + data.cols() + " features)");
        }
        checkFitted(fitted);
        logger.info("{} fitted {} on {} rows{} in {} ms", name(), learner, sample.rows(),
                    bootstrap ? " (bootstrap sample)" : "", (System.nanoTime() - start) / 1_000_000);
        return fitted;
    }

    /** Checks the fitted model suits this kind of worker. */
    abstract void checkFitted(FittedModel fitted);

    /** Builds the response from the model's raw output for {@code rows} rows. */
    abstract PredictResponse toResponse(FittedModel fitted, double[] output, int rows);

    final PredictResponse predictNow(PredictRequest request) {
        final FittedModel fitted = model;
        if (fitted == null) {
            throw ChimeraException.notFitted(
                    "worker " + name() + " has no model yet: call POST /v1/chimera/model/fit first");
        }
        final Table table = Table.fromPredictRequest(request);
        final double[] x = table.valuesInOrder(data().featureNames());
        final double[] out;
        try {
            out = fitted.predict(x, table.rows());
        } catch (RuntimeException e) {
            throw ChimeraException.internal("learner " + learnerName() + " failed to predict: " + e);
        }
        return toResponse(fitted, out, table.rows());
    }

    final class Service extends ModelWorkerServiceGrpc.ModelWorkerServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            if (!fitting.compareAndSet(false, true)) {
                throw ChimeraException.fitInProgress("worker " + name() + " is already fitting");
            }
            try {
                model = fitNow();
            } finally {
                fitting.set(false);
            }
            out.onNext(FitResponse.newBuilder().setFit("ok").build());
            out.onCompleted();
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            out.onNext(predictNow(request));
            out.onCompleted();
        }
    }

    /** The learner's name for messages. */
    final String learnerName() {
        return learner.getClass().getSimpleName();
    }

    /** A seed for this worker: the explicit one, else derived from the run's base seed and the name. */
    @Override
    long derivedSeed(WorkerEnvironment env) {
        return WorkerSeeds.forWorker(env.seed(), env.name());
    }
}

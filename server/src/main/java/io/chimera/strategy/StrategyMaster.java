package io.chimera.strategy;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.Restored;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.StrategyRoutes;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.observe.internal.TrainingHistoryRecorder;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.StrategyMasterServiceGrpc;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.TrainingHistoryRequest;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;

/**
 * The master side of a distributed algorithm written with the strategy API: say what to send to which worker,
 * how to combine the answers and when to stop, in {@link #fit(StrategyFit)}; the worker side is a
 * {@link StrategyWorker} of the same strategy name. Everything else comes with it:
 *
 * <ul>
 *   <li>{@code POST /v1/chimera/<strategy>/fit}, {@code POST /v1/chimera/<strategy>/predict} (chimera's predict
 *       JSON), {@code GET /v1/chimera/<strategy>/model} (the model artifact) and
 *       {@code GET /v1/chimera/<strategy>/history} (rounds, loss, bytes), over REST and gRPC
 *       ({@code chimera.v1.StrategyMasterService});</li>
 *   <li>workers started by every runtime, calls with the run's timeout and retries, dropped workers;</li>
 *   <li>the time log, the status ({@code /v1/chimera/status}), progress lines, metrics and the dashboard;</li>
 *   <li>the fitted model kept in {@code .chimera/models/<strategy>.pb} and served again after a restart, and by
 *       {@code chimera serve-model} with no workers.</li>
 * </ul>
 *
 * A predict while a fit runs answers with the model in use (the previous fit's) until the new one is complete.
 *
 * @see io.chimera.strategy.fedavg.FederatedAveragingMaster the tutorial's example (docs/extending.md)
 */
public abstract class StrategyMaster extends Master {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    private final String strategy;
    private final TrainingHistoryRecorder history = new TrainingHistoryRecorder();
    private volatile StrategyModel model;
    private volatile ModelArtifact fittedArtifact;
    private volatile long runSeed;

    /**
     * A master of the strategy {@code strategy}: lower-case words joined by hyphens, e.g.
     * {@code federated-averaging}; its routes are {@code /v1/chimera/<strategy>/...}, and its workers must be
     * {@link StrategyWorker}s of the same name.
     *
     * @throws IllegalArgumentException when the name is not such words, or is one of chimera's own
     */
    protected StrategyMaster(String strategy) {
        this.strategy = StrategyRoutes.checkName(strategy);
    }

    /**
     * Runs one fit and returns the fitted model: what to send to which worker ({@link StrategyFit#callAll}), how
     * to combine the answers, when to stop. It runs on a thread of its own and may block. A
     * {@link ChimeraException} it throws is the fit's answer (its status and error body); any other exception
     * is a 500.
     */
    protected abstract StrategyModel fit(StrategyFit fit) throws Exception;

    /** How many rounds a fit makes at most, for the progress before the first round ends; 0 when unknown. */
    protected long plannedRounds() {
        return 0;
    }

    /** Takes the run's base seed ({@code CHIMERA_SEED}), which {@link StrategyFit#seed()} gives the fit. */
    @Override
    protected void configure(io.chimera.server.config.ChimeraConfig config) {
        runSeed = config.seed();
    }

    @Override
    public final String strategy() {
        return strategy;
    }

    /** The model the last fit returned; null before the first fit. */
    public final StrategyModel model() {
        return model;
    }

    @Override
    protected final BindableService bind(List<WorkerClient> workers) {
        return StrategyRoutes.of(new Service(List.copyOf(workers)), strategy);
    }

    @Override
    protected final void addServices(NodeServerBuilder server, List<WorkerClient> workers) {
        final Service service = new Service(List.copyOf(workers));
        final BindableService routed = StrategyRoutes.of(service, strategy);
        server.service(routed).restPredict(ChimeraPaths.strategyPredict(strategy),
                                           routed.bindService().getServiceDescriptor(), service::predict);
    }

    @Override
    protected String describe(ModelArtifact artifact) {
        return "the " + strategy + " model";
    }

    private ModelArtifact artifact(StrategyModel m) {
        return Artifacts.strategy(strategy, m);
    }

    private final class Service extends StrategyMasterServiceGrpc.StrategyMasterServiceImplBase {
        private final List<WorkerClient> workers;

        Service(List<WorkerClient> workers) {
            this.workers = workers;
        }

        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            final FitTracker tracker = fitTracker();
            if (!tracker.tryStart(workers.size(), plannedRounds())) {
                throw ChimeraException.fitInProgress("a fit is already running; wait for it to finish");
            }
            history.start(strategy, "", (int) Math.min(Integer.MAX_VALUE, plannedRounds()));
            final String name = StrategyMaster.this.toString();
            status.info("{}: fit started on {} workers", name, workers.size());
            final StrategyFit fit = new StrategyFit(name, strategy, workers, tracker, history, runSeed);
            final StrategyModel fitted;
            try {
                fitted = StrategyMaster.this.fit(fit);
                if (fitted == null) {
                    throw ChimeraException.internal(name + ".fit returned no model");
                }
                // An export must never fail later: the artifact is built (and read back) now.
                final ModelArtifact artifact = artifact(fitted);
                synchronized (StrategyMaster.this) {
                    model = fitted;
                    fittedArtifact = artifact;
                }
                forgetRestored();
                keep("model", () -> artifact);
            } catch (Exception e) {
                final ChimeraException error = e instanceof ChimeraException ? (ChimeraException) e
                        : ChimeraException.internal(name + ": the fit failed: " + e);
                history.fail(error.getMessage());
                tracker.failed(error.getMessage());
                status.error("{}: {}", name, error.getMessage());
                if (!(e instanceof ChimeraException)) {
                    status.error("{}: the fit threw", name, e);
                }
                out.onError(ErrorBody.toGrpc(error));
                return;
            }
            history.finish(fit.stopReason());
            final List<String> dropped = fit.dropped();
            tracker.finished(fitted.featureColumns(), fit.workers().size() + "/" + workers.size()
                                                      + " workers" + (dropped.isEmpty() ? "" : ", dropped: " + dropped));
            status.info("{}: fit finished ({})", name, fit.stopReason());
            out.onNext(FitResponse.newBuilder().setFit("ok").addAllFailedWorkers(dropped).build());
            out.onCompleted();
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            final Table table = Table.fromPredictRequest(request);
            final StrategyModel m = model;
            if (m != null) {
                out.onNext(m.predict(table));
                out.onCompleted();
                return;
            }
            final Restored r = restored();
            if (r != null) {
                out.onNext(r.predictor.predict(table));
                out.onCompleted();
                return;
            }
            throw notFitted();
        }

        @Override
        public void history(TrainingHistoryRequest request, StreamObserver<TrainingHistory> out) {
            out.onNext(history.snapshot());
            out.onCompleted();
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            final ModelArtifact a = fittedArtifact;
            if (a != null) {
                out.onNext(a);
                out.onCompleted();
                return;
            }
            final Restored r = restored();
            if (r != null) {
                out.onNext(r.artifact);
                out.onCompleted();
                return;
            }
            throw notFitted();
        }
    }

    private ChimeraException notFitted() {
        return ChimeraException.notFitted("no model yet: call POST " + ChimeraPaths.strategyFit(strategy)
                                          + " first");
    }
}

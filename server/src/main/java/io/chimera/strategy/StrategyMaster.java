package io.chimera.strategy;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Timestamps;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.Restored;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.StrategyRoutes;
import io.chimera.node.client.FanOut;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.observe.internal.TrainingHistoryRecorder;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRecord;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.StrategyMasterServiceGrpc;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.TrainingHistoryRequest;
import io.chimera.strategy.internal.StrategyAccess;
import io.chimera.strategy.internal.WorkerResidentModel;
import io.grpc.BindableService;
import io.grpc.ServiceDescriptor;
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

    static {
        StrategyAccess.install((master, model) -> master.workerResident = requireNonNull(model, "model"));
    }

    private final String strategy;
    /** The gRPC service the master serves: the strategy service under its name, or a service of its own. */
    private final ServiceDescriptor service;
    private final TrainingHistoryRecorder history = new TrainingHistoryRecorder();
    private volatile StrategyModel model;
    private volatile long runSeed;
    /** The fit that made {@link #model}: its workers, those it lost, when it finished. */
    private volatile FitRecord lastFit;
    /** Builds the model over the served workers when it lives on them ({@link StrategyAccess}); null if not. */
    private volatile Function<List<WorkerClient>, WorkerResidentModel> workerResident;

    /**
     * A master of the strategy {@code strategy}: lower-case words joined by hyphens, e.g.
     * {@code federated-averaging}; its routes are {@code /v1/chimera/<strategy>/...}, and its workers must be
     * {@link StrategyWorker}s of the same name.
     *
     * @throws IllegalArgumentException when the name is not such words, or is one of chimera's own
     */
    protected StrategyMaster(String strategy) {
        this.strategy = StrategyRoutes.checkName(strategy);
        service = null;
    }

    /**
     * A master of the strategy {@code strategy} that serves its own gRPC service, {@code service}, with its own
     * {@code google.api.http} routes, instead of {@code chimera.v1.StrategyMasterService}: a protobuf service with
     * the methods {@code Fit}, {@code Predict} and {@code Export} (and {@code History}, if it has it) taking and
     * answering {@code chimera.v1}'s messages, whose fit route is {@code POST /v1/chimera/<strategy>/fit}. The
     * parameter server keeps its contract this way ({@code chimera.v1.ParameterServerMasterService}).
     *
     * @throws IllegalArgumentException when the service lacks one of those methods, takes other messages, or
     *         routes its fit elsewhere
     */
    protected StrategyMaster(String strategy, ServiceDescriptor service) {
        this.strategy = requireNonNull(strategy, "strategy");
        this.service = requireNonNull(service, "service");
        final String fit = StrategyRoutes.restPath(service, "Fit");
        if (!ChimeraPaths.strategyFit(strategy).equals(fit)) {
            throw new IllegalArgumentException(service.getName() + " routes Fit to " + fit + " (expected: "
                                               + ChimeraPaths.strategyFit(strategy) + ')');
        }
        // Fails now, not when the master is served, if the service does not fit.
        StrategyRoutes.as(new Service(List.of()), service);
    }

    /**
     * Runs one fit and returns the fitted model: what to send to which worker ({@link StrategyFit#callAll}), how
     * to combine the answers, when to stop. It runs on a thread of its own and may block. A
     * {@link ChimeraException} it throws is the fit's answer (its status and error body); any other exception
     * is a 500.
     */
    protected abstract StrategyModel fit(StrategyFit fit) throws Exception;

    /**
     * How many rounds a fit on {@code workers} workers makes at most, for the progress before the first round
     * ends; 0 when unknown.
     */
    protected long plannedRounds(int workers) {
        return 0;
    }

    /**
     * The artifact of a fitted model, as the export answers it and the master saves it: by default the
     * {@link StrategyModel}'s class and payload ({@code strategy_model}), which any master reads back.
     */
    protected ModelArtifact artifact(StrategyModel model) {
        return Artifacts.strategy(strategy, model);
    }

    /**
     * What the status, the progress line and the log say of a finished fit: by default
     * {@code 10 rounds (max_rounds), loss 0.331200}.
     */
    protected String summary(TrainingHistory history) {
        return summary(history, "rounds");
    }

    /**
     * {@code <n> <rounds> (<stop reason>), loss <the last round's>}; without the loss when the rounds reported none
     * ({@link StrategyFit#round} with NaN), and {@code rounds} in the singular for one.
     */
    protected static String summary(TrainingHistory history, String rounds) {
        final int n = history.getIterationsCount();
        final String unit = n == 1 && rounds.endsWith("s") ? rounds.substring(0, rounds.length() - 1) : rounds;
        final double loss = n > 0 ? history.getIterations(n - 1).getLoss() : 0;
        return n + " " + unit + " (" + history.getStopReason() + ')'
               + (loss != 0 ? String.format(Locale.ROOT, ", loss %.6f", loss) : "");
    }

    /**
     * The status log's words for a finished fit, before {@code in <seconds> s}: by default
     * {@code fit finished after <summary>}.
     */
    protected String finishedLine(String summary) {
        return "fit finished after " + summary;
    }

    /** The history of the last or the running fit: its rounds, losses and bytes on the wire. */
    public final TrainingHistory history() {
        return history.snapshot();
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
        return routed(new Service(List.copyOf(workers)));
    }

    @Override
    protected final void addServices(NodeServerBuilder server, List<WorkerClient> workers) {
        final Service generic = new Service(List.copyOf(workers));
        final BindableService routed = routed(generic);
        server.service(routed).restPredict(ChimeraPaths.strategyPredict(strategy),
                                           routed.bindService().getServiceDescriptor(), generic::predict);
    }

    private BindableService routed(Service generic) {
        return service != null ? StrategyRoutes.as(generic, service) : StrategyRoutes.of(generic, strategy);
    }

    @Override
    protected String describe(ModelArtifact artifact) {
        return "the " + strategy + " model";
    }

    private final class Service extends StrategyMasterServiceGrpc.StrategyMasterServiceImplBase {
        private final List<WorkerClient> workers;
        /** The model on the workers, which answers before the first fit; null unless the model lives there. */
        private final WorkerResidentModel resident;

        Service(List<WorkerClient> workers) {
            this.workers = workers;
            final Function<List<WorkerClient>, WorkerResidentModel> onWorkers = workerResident;
            resident = onWorkers == null ? null : onWorkers.apply(workers);
        }

        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            final FitTracker tracker = fitTracker();
            final long planned = plannedRounds(workers.size());
            if (!tracker.tryStart(workers.size(), planned)) {
                throw ChimeraException.fitInProgress("a fit is already running; wait for it to finish");
            }
            history.start("", "", (int) Math.min(Integer.MAX_VALUE, planned));
            final String name = StrategyMaster.this.toString();
            status.info("{}: fit started on {} workers", name, workers.size());
            final StrategyFit fit = new StrategyFit(name, strategy, workers, tracker, history, runSeed);
            final StrategyModel fitted;
            try {
                fitted = StrategyMaster.this.fit(fit);
                if (fitted == null) {
                    throw ChimeraException.internal(name + ".fit returned no model");
                }
                // The saved and exported artifacts say which fit made the model, and whether it lost workers.
                final FitRecord record = FitRecord.newBuilder().setWorkers(workers.size())
                                                  .addAllFailedWorkers(fit.dropped())
                                                  .setFinishedTime(Timestamps.now()).build();
                if (fitted instanceof WorkerResidentModel) {
                    // Its artifact is what the workers export when asked: one that cannot be saved now is logged.
                    model = fitted;
                    lastFit = record;
                    forgetRestored();
                    keep("ensemble", () -> recorded(artifact(fitted), record));
                } else {
                    // An export must never fail later: the artifact is built (and read back) now.
                    final ModelArtifact artifact = recorded(artifact(fitted), record);
                    model = fitted;
                    lastFit = record;
                    forgetRestored();
                    keep("model", () -> artifact);
                }
            } catch (Error e) {
                history.fail(String.valueOf(e));
                tracker.failed(String.valueOf(e));
                throw e;
            } catch (Exception e) {
                final ChimeraException error = e instanceof ChimeraException ? (ChimeraException) e
                        : ChimeraException.internal(name + ": the fit failed: " + e);
                history.fail(error.getMessage());
                tracker.failed(error.getMessage());
                status.error("{}: fit failed: {}", name, error.getMessage());
                if (!(e instanceof ChimeraException)) {
                    status.error("{}: the fit threw", name, e);
                }
                out.onError(ErrorBody.toGrpc(error));
                return;
            }
            history.finish(fit.stopReason());
            final TrainingHistory done = history.snapshot();
            String summary;
            try {
                summary = summary(done);
            } catch (RuntimeException e) {
                // The fit succeeded: a summary that cannot be written must not leave the master fitting forever.
                status.warn("{}: summary() failed ({}); the default summary is used", name, e.toString());
                summary = summary(done, "rounds");
            }
            final List<String> warnings = fit.warnings();
            tracker.finished(fitted.featureColumns(), summary, fit.dropped(), warnings);
            status.info("{}: {} in {} s", name, finishedLine(summary),
                        String.format(Locale.ROOT, "%.3f", done.getElapsedSeconds()));
            warnings.forEach(w -> status.warn("{}: {}", name, w));
            out.onNext(FitResponse.newBuilder().setFit("ok").addAllFailedWorkers(fit.dropped())
                                  .addAllWarnings(warnings).build());
            out.onCompleted();
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            refuseDuringFit("predict");
            final Table table = Table.fromPredictRequest(request);
            final StrategyModel m = model;
            if (m instanceof WorkerResidentModel) {
                answer(((WorkerResidentModel) m).predictAsync(table), out);
                return;
            }
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
            if (resident != null) {
                answer(resident.predictAsync(table), out);
                return;
            }
            throw notFitted("predict");
        }

        /** A model on the workers answers nothing while they are refitted: no answer mixes old and new. */
        private void refuseDuringFit(String what) {
            if (resident != null && fitTracker().isFitting()) {
                throw ChimeraException.fitInProgress("a fit is running; " + what + " again when it has finished");
            }
        }

        @Override
        public void history(TrainingHistoryRequest request, StreamObserver<TrainingHistory> out) {
            out.onNext(history.snapshot());
            out.onCompleted();
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            refuseDuringFit("export");
            final StrategyModel m = model;
            if (m instanceof WorkerResidentModel) {
                final FitRecord record = lastFit;
                answer(((WorkerResidentModel) m).exportAsync().thenApply(a -> recorded(a, record)), out);
                return;
            }
            if (m != null) {
                // Built now: created_time says when the model was exported.
                out.onNext(recorded(artifact(m), lastFit));
                out.onCompleted();
                return;
            }
            final Restored r = restored();
            if (r != null) {
                out.onNext(r.artifact);
                out.onCompleted();
                return;
            }
            if (resident != null) {
                answer(resident.exportAsync(), out);
                return;
            }
            throw notFitted("export");
        }
    }

    /** {@code artifact} with the fit that made it. */
    private static ModelArtifact recorded(ModelArtifact artifact, FitRecord fit) {
        return fit == null ? artifact : artifact.toBuilder().setFit(fit).build();
    }

    private static <T> void answer(CompletableFuture<T> answer, StreamObserver<T> out) {
        answer.whenComplete((value, t) -> {
            if (t != null) {
                out.onError(ErrorBody.toGrpc(FanOut.unwrap(t)));
            } else {
                out.onNext(value);
                out.onCompleted();
            }
        });
    }

    private ChimeraException notFitted(String what) {
        return ChimeraException.notFitted(fitTracker().isFitting()
                ? "the first fit is still running: " + what + " again when it has finished"
                : "the model is not fitted yet: call POST " + ChimeraPaths.strategyFit(strategy) + " first");
    }
}

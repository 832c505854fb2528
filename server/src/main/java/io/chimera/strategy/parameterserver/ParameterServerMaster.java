package io.chimera.strategy.parameterserver;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.Table;
import io.chimera.models.ModelMaster;
import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.Restored;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.observe.internal.TrainingHistoryRecorder;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.TrainingHistoryRequest;
import io.chimera.server.Chimera;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.Master;
import io.chimera.strategy.sgd.LinearModel;
import io.chimera.strategy.parameterserver.internal.SgdSettings;
import io.chimera.strategy.parameterserver.internal.SgdTraining;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;

/**
 * The master of data parallelism: a parameter server running distributed SGD over its
 * {@link io.chimera.strategy.parameterserver.SGDWorker}s.
 *
 * <ul>
 *   <li>{@code POST /v1/chimera/parameter-server/fit} gathers each worker's feature statistics (for global
 *       standardisation and the set of classes), then iterates: it sends the parameters, the workers answer
 *       the gradient of the loss over their shard, and the master updates the parameters — averaging every
 *       worker's gradient (synchronous), applying each as it arrives (asynchronous), or within a staleness
 *       bound. A worker that fails is dropped and the fit goes on with the others; it fails only when all
 *       have failed.</li>
 *   <li>{@code POST /v1/chimera/parameter-server/predict} answers from the fitted weights, on the master:
 *       regression → value; binary logistic → P(positive class), as chimera; hinge → the label; multinomial →
 *       the most probable label plus {@code classes} and {@code y_pred_proba}. While a fit runs, predict
 *       answers with the previous model (409 before the first fit).</li>
 *   <li>{@code GET /v1/chimera/parameter-server/model} exports the fitted weights, bias, classes, loss and
 *       standardisation as a {@link io.chimera.proto.v1.ModelArtifact} that a {@link ModelMaster} serves with
 *       no workers (the model of the last successful fit, as predict uses).</li>
 *   <li>{@code GET /v1/chimera/parameter-server/history} answers the loss, gradient norm and per-worker step
 *       times of every update of the last (or the running) fit.</li>
 * </ul>
 *
 * <pre>{@code
 * Chimera.run(ParameterServerMaster.builder().loss("log_loss").maxIter(200).build(), 8080);
 * }</pre>
 *
 * <p>After each fit the model is saved to {@code .chimera/models/parameter-server.pb} in the project folder; a
 * master started again there answers predict with it until its own first fit (docs/reliability.md).
 */
public final class ParameterServerMaster extends Master {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    /** Returns a builder with the documented defaults. */
    public static ParameterServerMasterBuilder builder() {
        return new ParameterServerMasterBuilder();
    }

    private final SgdSettings settings;
    private final TrainingHistoryRecorder history = new TrainingHistoryRecorder();
    private volatile LinearModel model;
    private long seed;

    /**
     * As chimera's {@code ParameterServerMaster(model)}: {@code "regressor"} (squared error) or
     * {@code "classifier"} (log loss), with the other defaults.
     */
    public ParameterServerMaster(String model) {
        this(builder().model(model).settings());
    }

    ParameterServerMaster(SgdSettings settings) {
        this.settings = settings;
    }

    @Override
    public String strategy() {
        return "parameter-server";
    }

    @Override
    protected Map<String, String> options() {
        return settings.options();
    }

    /** Takes the run's base seed for the workers' mini-batch samplers. */
    @Override
    protected void configure(ChimeraConfig config) {
        seed = config.seed();
    }

    /** The history of the last or running fit. */
    public TrainingHistory history() {
        return history.snapshot();
    }

    @Override
    protected BindableService bind(List<WorkerClient> workers) {
        return new Service(List.copyOf(workers));
    }

    @Override
    protected void addServices(NodeServerBuilder server, List<WorkerClient> workers) {
        final Service service = new Service(List.copyOf(workers));
        server.service(service).restPredict(ChimeraPaths.PARAMETER_SERVER_PREDICT,
                                            ParameterServerMasterServiceGrpc.getServiceDescriptor(),
                                            service::predict);
    }

    @Override
    public String toString() {
        return "ParameterServerMaster";
    }

    @Override
    protected String describe(ModelArtifact artifact) {
        return "the " + artifact.getLinear().getLoss() + " model";
    }

    private final class Service extends ParameterServerMasterServiceGrpc.ParameterServerMasterServiceImplBase {
        private final List<WorkerClient> workers;

        Service(List<WorkerClient> workers) {
            this.workers = workers;
        }

        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            final FitTracker tracker = fitTracker();
            // Asynchronous modes count one update per worker answer: maxIter rounds of every worker.
            final long maxUpdates = settings.mode.kind() == SyncMode.Kind.SYNCHRONOUS
                                    ? settings.maxIter : (long) settings.maxIter * workers.size();
            if (!tracker.tryStart(workers.size(), maxUpdates)) {
                throw ChimeraException.fitInProgress("a fit is already running; wait for it to finish");
            }
            final SgdTraining.Result result;
            try {
                status.info("ParameterServerMaster: fit started on {} workers", workers.size());
                result = new SgdTraining(settings, seed, history, tracker, "ParameterServerMaster", workers).run();
                model = result.model;
                forgetRestored();
                final LinearModel fitted = result.model;
                keep("model", () -> Artifacts.linear(fitted));
            } catch (ChimeraException e) {
                tracker.failed(e.getMessage());
                status.error("ParameterServerMaster: fit failed: {}", e.getMessage());
                throw e;
            } catch (RuntimeException | Error e) {
                tracker.failed(String.valueOf(e));
                throw e;
            }
            final TrainingHistory h = history.snapshot();
            final String last = h.getIterationsCount() > 0
                                ? String.format(Locale.ROOT, "%.6f", h.getIterations(h.getIterationsCount() - 1)
                                                                      .getLoss()) : "-";
            tracker.finished(result.model.features(), String.format(
                    Locale.ROOT, "%d iterations (%s), loss %s", h.getIterationsCount(), result.stopReason, last));
            status.info("ParameterServerMaster: fit finished after {} iterations ({}) in {} s, final loss {}",
                        h.getIterationsCount(), result.stopReason, String.format("%.3f", h.getElapsedSeconds()),
                        last);
            out.onNext(FitResponse.newBuilder().setFit("ok").addAllFailedWorkers(result.droppedWorkers).build());
            out.onCompleted();
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            final LinearModel m = model;
            final Restored r = restored();
            if (m == null && r != null) {
                out.onNext(r.predictor.predict(Table.fromPredictRequest(request)));
                out.onCompleted();
                return;
            }
            if (m == null) {
                throw ChimeraException.notFitted(fitTracker().isFitting()
                        ? "the first fit is still running: predict again when it has finished"
                        : "the model is not fitted yet: call POST /v1/chimera/parameter-server/fit first");
            }
            out.onNext(m.predict(Table.fromPredictRequest(request)));
            out.onCompleted();
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            final LinearModel m = model;
            final Restored r = restored();
            if (m == null && r != null) {
                out.onNext(r.artifact);
                out.onCompleted();
                return;
            }
            if (m == null) {
                throw ChimeraException.notFitted(fitTracker().isFitting()
                        ? "the first fit is still running: export again when it has finished"
                        : "the model is not fitted yet: call POST /v1/chimera/parameter-server/fit first");
            }
            out.onNext(Artifacts.linear(m));
            out.onCompleted();
        }

        @Override
        public void history(TrainingHistoryRequest request, StreamObserver<TrainingHistory> out) {
            out.onNext(history.snapshot());
            out.onCompleted();
        }
    }
}

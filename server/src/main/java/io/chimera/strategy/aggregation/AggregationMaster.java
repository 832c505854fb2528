package io.chimera.strategy.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.models.ModelMaster;
import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.PredictBatcher;
import io.chimera.models.internal.Restored;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.client.FanOut;
import io.chimera.node.client.FanOut.Outcome;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.server.Chimera;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.internal.Aggregation;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;

/**
 * The master of model and hybrid parallelism: distributed bagging of the workers' weak learners.
 *
 * <ul>
 *   <li>{@code POST /v1/chimera/aggregation/fit} calls every worker's fit at once; a worker that fails is
 *       logged, named in {@code failed_workers} and skipped; the call fails only when every worker
 *       failed.</li>
 *   <li>{@code POST /v1/chimera/aggregation/predict} validates the rows, calls every worker's predict at
 *       once and aggregates: regression → mean of the workers' values; classification → mean of their class
 *       probabilities. With two classes {@code y_pred_rows} holds P(positive class) per row, exactly as
 *       chimera; with more it holds the most probable label, and {@code classes} and {@code y_pred_proba}
 *       carry the averaged probabilities.</li>
 *   <li>{@code GET /v1/chimera/aggregation/model} exports the fitted ensemble, every worker's model, as a
 *       {@link io.chimera.proto.v1.ModelArtifact} that a {@link ModelMaster} serves with no workers.</li>
 * </ul>
 * A predict while a fit runs answers 409 {@code FitInProgressError}, so no answer ever mixes old and new
 * trees; a second fit while one runs answers the same.
 *
 * <p>After each fit the ensemble is saved to {@code .chimera/models/aggregation.pb} in the project folder; a
 * master started again there answers predict with it until its own first fit (docs/reliability.md).
 */
public final class AggregationMaster extends Master {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");
    private static final String PREDICT_DURING_FIT = "a fit is running; predict again when it has finished";

    /** Creates the master; {@link Chimera#run} gives it its workers. */
    public AggregationMaster() {}

    @Override
    public String strategy() {
        return "aggregation";
    }

    @Override
    protected BindableService bind(List<WorkerClient> workers) {
        return new Service(List.copyOf(workers));
    }

    @Override
    protected void addServices(NodeServerBuilder server, List<WorkerClient> workers) {
        final Service service = new Service(List.copyOf(workers));
        server.service(service).restPredict(ChimeraPaths.AGGREGATION_PREDICT,
                                            AggregationMasterServiceGrpc.getServiceDescriptor(), service::predict);
    }

    private final class Service extends AggregationMasterServiceGrpc.AggregationMasterServiceImplBase {
        private final List<WorkerClient> workers;
        private final PredictBatcher batcher = new PredictBatcher(this::predictOnWorkers);

        Service(List<WorkerClient> workers) {
            this.workers = workers;
        }

        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            final FitTracker tracker = fitTracker();
            if (!tracker.tryStart(workers.size(), 0)) {
                throw ChimeraException.fitInProgress("a fit is already running; wait for it to finish");
            }
            status.info("AggregationMaster: fit started on {} workers", workers.size());
            final long start = System.nanoTime();
            FanOut.all(workers, w -> fitOne(w, tracker)).whenComplete((outcomes, t) -> {
                final List<Outcome<FitResponse>> failed = failures(outcomes, "fit");
                if (failed.size() == outcomes.size()) {
                    final ChimeraException e = FanOut.allFailed("fit", failed);
                    tracker.failed(e.getMessage());
                    status.error("AggregationMaster: {}", e.getMessage());
                    out.onError(ErrorBody.toGrpc(e));
                    return;
                }
                final FitResponse.Builder res = FitResponse.newBuilder().setFit("ok");
                failed.forEach(o -> res.addFailedWorkers(o.worker().name()));
                final String fitted = (outcomes.size() - failed.size()) + "/" + outcomes.size() + " workers";
                status.info("AggregationMaster: fit finished on {} in {} s", fitted,
                            String.format("%.3f", (System.nanoTime() - start) / 1e9));
                forgetRestored();
                save(workers).whenComplete((ignored, e) -> {
                    // The fit ends once its model is saved: until then a predict would find no model to use.
                    tracker.finished(List.of(), fitted + " fitted"
                                                + (failed.isEmpty() ? "" : ", failed: " + res.getFailedWorkersList()));
                    out.onNext(res.build());
                    out.onCompleted();
                });
            });
        }

        private CompletableFuture<FitResponse> fitOne(WorkerClient worker, FitTracker tracker) {
            return worker.modelFit().whenComplete((r, e) -> tracker.workerDone(worker.name(), e == null));
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            if (fitTracker().isFitting()) {
                throw ChimeraException.fitInProgress(PREDICT_DURING_FIT);
            }
            final Table table = Table.fromPredictRequest(request);
            final Restored r = restored();
            if (r != null) {
                out.onNext(r.predictor.predict(table));
                out.onCompleted();
                return;
            }
            batcher.predict(table).whenComplete((answer, t) -> {
                if (t != null) {
                    out.onError(ErrorBody.toGrpc(FanOut.unwrap(t)));
                } else {
                    out.onNext(answer);
                    out.onCompleted();
                }
            });
        }

        /** Sends the rows to every worker at once and aggregates the answers of those that answered. */
        private CompletableFuture<PredictResponse> predictOnWorkers(Table table) {
            if (fitTracker().isFitting()) {
                // Predicts that waited for their turn while a fit started: no answer mixes old and new trees.
                return CompletableFuture.failedFuture(ChimeraException.fitInProgress(PREDICT_DURING_FIT));
            }
            final PredictRequest compact = table.toPredictRequest();
            return FanOut.all(workers, w -> w.modelPredict(compact)).thenApply(outcomes -> {
                final List<Outcome<PredictResponse>> failed = failures(outcomes, "predict");
                if (failed.size() == outcomes.size()) {
                    final ChimeraException e = FanOut.allFailed("predict", failed);
                    status.error("AggregationMaster: {}", e.getMessage());
                    throw e;
                }
                final List<PredictResponse> answers = new ArrayList<>();
                for (Outcome<PredictResponse> o : outcomes) {
                    if (o.ok()) {
                        answers.add(o.value());
                    }
                }
                try {
                    return Aggregation.aggregate(answers, table.rows());
                } catch (ChimeraException e) {
                    status.error("AggregationMaster: {}", e.getMessage());
                    throw e;
                }
            });
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            if (fitTracker().isFitting()) {
                throw ChimeraException.fitInProgress("a fit is running; export again when it has finished");
            }
            final Restored r = restored();
            if (r != null) {
                out.onNext(r.artifact);
                out.onCompleted();
                return;
            }
            FanOut.all(workers, WorkerClient::modelExport).whenComplete((outcomes, t) -> {
                try {
                    final ModelArtifact artifact = Artifacts.bagging(exported(outcomes));
                    status.info("AggregationMaster: exported {} of {} workers' models",
                                artifact.getBagging().getMembersCount(), outcomes.size());
                    out.onNext(artifact);
                    out.onCompleted();
                } catch (ChimeraException e) {
                    status.error("AggregationMaster: export failed: {}", e.getMessage());
                    out.onError(ErrorBody.toGrpc(e));
                }
            });
        }
    }

    /** Keeps the fitted ensemble in the store, if any; a failure is logged, never fails the fit. */
    private CompletableFuture<Void> save(List<WorkerClient> workers) {
        if (!keepsModels()) {
            return CompletableFuture.completedFuture(null);
        }
        return FanOut.all(workers, WorkerClient::modelExport).handle((outcomes, t) -> {
            keep("ensemble", () -> {
                if (t != null) {
                    throw t instanceof Exception ? (Exception) t : new CompletionException(t);
                }
                return Artifacts.bagging(exported(outcomes));
            });
            return null;
        });
    }

    @Override
    protected String describe(ModelArtifact artifact) {
        return "the ensemble of " + artifact.getBagging().getMembersCount() + " models";
    }

    /**
     * The members of an export: every worker's model, in worker order. A worker with no model is left out, as
     * predict leaves it out; any other failure fails the export, since the ensemble would lose a member.
     */
    private static List<WorkerModel> exported(List<Outcome<WorkerModel>> outcomes) {
        final List<WorkerModel> members = new ArrayList<>();
        for (Outcome<WorkerModel> o : outcomes) {
            if (o.ok()) {
                members.add(o.value());
            } else if (ChimeraException.NOT_FITTED_ERROR.equals(o.error().errorType())) {
                status.info("AggregationMaster: worker {} has no model and is left out of the export",
                            o.worker().name());
            } else {
                throw o.error();
            }
        }
        if (members.isEmpty()) {
            throw ChimeraException.notFitted(
                    "no worker has a model yet: call POST /v1/chimera/aggregation/fit first");
        }
        return members;
    }

    private static <T> List<Outcome<T>> failures(List<Outcome<T>> outcomes, String what) {
        final List<Outcome<T>> failed = new ArrayList<>();
        for (Outcome<T> o : outcomes) {
            if (!o.ok()) {
                failed.add(o);
                status.error("AggregationMaster: worker {} failed to {}: {}", o.worker().name(), what,
                             o.error().getMessage());
            }
        }
        return failed;
    }
}

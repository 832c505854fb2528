package io.chimera.strategy.aggregation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

import io.chimera.node.client.FanOut;
import io.chimera.node.client.FanOut.Outcome;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.server.Chimera;
import io.chimera.strategy.StrategyFit;
import io.chimera.strategy.StrategyMaster;
import io.chimera.strategy.StrategyModel;
import io.chimera.strategy.aggregation.internal.WorkerEnsemble;
import io.chimera.strategy.internal.FitAccess;
import io.chimera.strategy.internal.StrategyAccess;

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
 *       {@link io.chimera.proto.v1.ModelArtifact} that a {@link io.chimera.models.ModelMaster} serves with no workers.</li>
 * </ul>
 * A predict while a fit runs answers 409 {@code FitInProgressError}, so no answer ever mixes old and new
 * trees; a second fit while one runs answers the same.
 *
 * <p>It is a {@link StrategyMaster} whose model lives on its workers: the routes, the fit's tracking (status,
 * progress, metrics) and the saved model come from the strategy API, and its own gRPC service,
 * {@code chimera.v1.AggregationMasterService}, keeps chimera's contract.
 *
 * <p>After each fit the ensemble is saved to {@code .chimera/models/aggregation.pb} in the project folder; a
 * master started again there answers predict with it until its own first fit (docs/reliability.md).
 */
public final class AggregationMaster extends StrategyMaster {

    /** What the last fit did, {@code 3/4 workers fitted, failed: [tree2]}, for its summary; fits run one at a time. */
    private volatile String lastFit = "";
    private volatile String lastFitted = "";

    /** Creates the master; {@link Chimera#run} gives it its workers. */
    public AggregationMaster() {
        super("aggregation", AggregationMasterServiceGrpc.getServiceDescriptor());
        StrategyAccess.of(this).workerResident(this, this::ensemble);
    }

    private WorkerEnsemble ensemble(List<WorkerClient> workers) {
        return new WorkerEnsemble(toString(), workers, () -> fitTracker().isFitting());
    }

    /**
     * Calls every worker's fit at once; a worker that fails is logged, named in {@code failed_workers} and
     * skipped. The fit fails only when every worker failed.
     */
    @Override
    protected StrategyModel fit(StrategyFit fit) {
        final FitAccess.Hooks access = FitAccess.of(fit);
        final List<WorkerClient> workers = access.workers(fit);
        final FitTracker tracker = access.tracker(fit);
        final WorkerEnsemble ensemble = ensemble(workers);
        final List<Outcome<FitResponse>> outcomes = FanOut.all(workers, w -> w.modelFit().whenComplete(
                (r, e) -> tracker.workerDone(w.name(), e == null))).join();
        final List<Outcome<FitResponse>> failed = ensemble.failures(outcomes, "fit");
        if (failed.size() == outcomes.size()) {
            throw FanOut.allFailed("fit", failed);
        }
        final List<String> names = new ArrayList<>();
        failed.forEach(o -> {
            names.add(o.worker().name());
            access.dropped(fit, o.worker().name());
        });
        lastFitted = (outcomes.size() - failed.size()) + "/" + outcomes.size() + " workers";
        lastFit = lastFitted + " fitted" + (names.isEmpty() ? "" : ", failed: " + names);
        // The model is what this fit made: the workers that fitted. One that failed may hold an older model,
        // which must not join the answers, and one that is gone must not stop the ensemble from being saved.
        return failed.isEmpty() ? ensemble : ensemble(access.workers(fit));
    }

    /** What the workers export now: every worker's model, the kind {@code aggregation}. */
    @Override
    protected ModelArtifact artifact(StrategyModel model) {
        try {
            return ((WorkerEnsemble) model).export();
        } catch (CompletionException e) {
            throw FanOut.unwrap(e);
        }
    }

    /** {@code 3/4 workers fitted, failed: [tree2]}. */
    @Override
    protected String summary(TrainingHistory history) {
        return lastFit;
    }

    /** {@code fit finished on 3/4 workers}, as chimera's log says it. */
    @Override
    protected String finishedLine(String summary) {
        return "fit finished on " + lastFitted;
    }

    @Override
    protected String describe(ModelArtifact artifact) {
        return "the ensemble of " + artifact.getBagging().getMembersCount() + " models";
    }

    @Override
    public String toString() {
        return "AggregationMaster";
    }
}

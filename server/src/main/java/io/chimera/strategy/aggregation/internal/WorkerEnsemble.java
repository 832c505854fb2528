package io.chimera.strategy.aggregation.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.PredictBatcher;
import io.chimera.node.client.FanOut;
import io.chimera.node.client.FanOut.Outcome;
import io.chimera.node.client.WorkerClient;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.strategy.internal.WorkerResidentModel;

/**
 * Bagging's model: the workers' weak learners, where they were fitted. Predict sends the rows to every worker at
 * once and combines the answers of those that answered ({@link Aggregation}); concurrent predicts share one call
 * per worker ({@link PredictBatcher}). The artifact is every worker's exported model.
 */
public final class WorkerEnsemble implements WorkerResidentModel {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    private final String master;
    private final List<WorkerClient> workers;
    private final BooleanSupplier fitting;
    private final PredictBatcher batcher = new PredictBatcher(this::predictOnWorkers);

    /**
     * The ensemble of {@code workers}' models, for the master named {@code master} in the log; {@code fitting} says
     * whether a fit runs, when the ensemble refuses predicts that waited for their turn.
     */
    public WorkerEnsemble(String master, List<WorkerClient> workers, BooleanSupplier fitting) {
        this.master = requireNonNull(master, "master");
        this.workers = List.copyOf(workers);
        this.fitting = requireNonNull(fitting, "fitting");
    }

    @Override
    public CompletableFuture<PredictResponse> predictAsync(Table rows) {
        return batcher.predict(rows);
    }

    /** Sends the rows to every worker at once and aggregates the answers of those that answered. */
    private CompletableFuture<PredictResponse> predictOnWorkers(Table table) {
        if (fitting.getAsBoolean()) {
            // Predicts that waited for their turn while a fit started: no answer mixes old and new trees.
            return CompletableFuture.failedFuture(
                    ChimeraException.fitInProgress("a fit is running; predict again when it has finished"));
        }
        final PredictRequest compact = table.toPredictRequest();
        return FanOut.all(workers, w -> w.modelPredict(compact)).thenApply(outcomes -> {
            final List<Outcome<PredictResponse>> failed = failures(outcomes, "predict");
            if (failed.size() == outcomes.size()) {
                final ChimeraException e = FanOut.allFailed("predict", failed);
                status.error("{}: {}", master, e.getMessage());
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
                status.error("{}: {}", master, e.getMessage());
                throw e;
            }
        });
    }

    @Override
    public CompletableFuture<ModelArtifact> exportAsync() {
        return FanOut.all(workers, WorkerClient::modelExport).thenApply(outcomes -> {
            try {
                final ModelArtifact artifact = Artifacts.bagging(exported(outcomes));
                status.info("{}: exported {} of {} workers' models", master,
                            artifact.getBagging().getMembersCount(), outcomes.size());
                return artifact;
            } catch (ChimeraException e) {
                status.error("{}: export failed: {}", master, e.getMessage());
                throw e;
            }
        });
    }

    /**
     * The members of an export: every worker's model, in worker order. A worker with no model is left out, as
     * predict leaves it out; any other failure fails the export, since the ensemble would lose a member.
     */
    private List<WorkerModel> exported(List<Outcome<WorkerModel>> outcomes) {
        final List<WorkerModel> members = new ArrayList<>();
        for (Outcome<WorkerModel> o : outcomes) {
            if (o.ok()) {
                members.add(o.value());
            } else if (ChimeraException.NOT_FITTED_ERROR.equals(o.error().errorType())) {
                status.info("{}: worker {} has no model and is left out of the export", master, o.worker().name());
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

    /** The failed outcomes, each logged. */
    public <T> List<Outcome<T>> failures(List<Outcome<T>> outcomes, String what) {
        final List<Outcome<T>> failed = new ArrayList<>();
        for (Outcome<T> o : outcomes) {
            if (!o.ok()) {
                failed.add(o);
                status.error("{}: worker {} failed to {}: {}", master, o.worker().name(), what,
                             o.error().getMessage());
            }
        }
        return failed;
    }

    @Override
    public String toString() {
        return "the ensemble of " + workers.size() + " workers' models";
    }
}

package io.chimera.strategy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.protobuf.util.Timestamps;

import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.ImportedModels;
import io.chimera.models.internal.ModelStore;
import io.chimera.models.internal.Restored;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.server.Chimera;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.internal.MasterAccess;
import io.grpc.BindableService;

/**
 * A chimera master: the node clients call, which drives the workers. Pass one to {@link Chimera#run}.
 *
 * @see AggregationMaster
 */
public abstract class Master {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    static {
        MasterAccess.install(new MasterAccess.Hooks() {
            @Override
            public FitTracker fitTracker(Master master) {
                return master.fitTracker();
            }

            @Override
            public Map<String, String> options(Master master) {
                return master.options();
            }

            @Override
            public BindableService bind(Master master, List<WorkerClient> workers) {
                return master.bind(workers);
            }

            @Override
            public void addServices(Master master, NodeServerBuilder server, List<WorkerClient> workers) {
                master.addServices(server, workers);
            }

            @Override
            public void configure(Master master, ChimeraConfig config) {
                master.configure(config);
            }

            @Override
            public void persistTo(Master master, ModelStore store) {
                master.persistTo(store);
            }
        });
    }

    private FitTracker fitTracker;
    private volatile ModelStore store;
    /** The model a previous run saved, served until this run's first fit; null then. */
    private volatile Restored restored;

    protected Master() {}

    /** The state of this master's model and the progress of its fit, for status, progress lines and metrics. */
    protected final synchronized FitTracker fitTracker() {
        if (fitTracker == null) {
            fitTracker = new FitTracker(strategy(), options());
        }
        return fitTracker;
    }

    /** The training options the status shows; none by default. */
    protected Map<String, String> options() {
        return Map.of();
    }

    /** The master's gRPC service (served as REST too), bound to its workers. */
    protected abstract BindableService bind(List<WorkerClient> workers);

    /**
     * Adds the master's service, bound to its workers, to the server it is served by; a master whose service
     * predicts also serves REST predicts through {@link NodeServerBuilder#restPredict}.
     */
    protected void addServices(NodeServerBuilder server, List<WorkerClient> workers) {
        server.service(bind(workers));
    }

    /** Takes what it needs from the run's configuration before serving; nothing by default. */
    protected void configure(ChimeraConfig config) {}

    /**
     * Keeps every fitted model in {@code store} and takes back the one saved there, so that a restarted master
     * answers predict without a new fit; called once, before {@link #bind(List)}.
     */
    protected void persistTo(ModelStore store) {
        this.store = store;
        store.load(strategy(), getClass().getClassLoader()).ifPresent(artifact -> {
            restored = new Restored(artifact, ImportedModels.predictor(artifact, getClass().getClassLoader()));
            final List<String> failed = artifact.getFit().getFailedWorkersList();
            fitTracker().restored(Artifacts.createdTime(artifact), artifact.getFeatureColumnsList(), failed);
            status.info("{}: restored {} saved in {} (exported {}{}); it answers predict until the next fit", this,
                        describe(artifact), store.file(strategy()), Timestamps.toString(artifact.getCreatedTime()),
                        failed.isEmpty() ? ""
                                : ", from a partial fit that lost " + failed + " of its "
                                  + artifact.getFit().getWorkers() + " workers");
        });
    }

    /** What a saved model is, for the status log: {@code the ensemble of 4 models}, say. */
    protected String describe(ModelArtifact artifact) {
        return "the model";
    }

    /** The model a previous run saved, until this run's first fit; null then, or when there was none. */
    protected final Restored restored() {
        return restored;
    }

    /** Whether fitted models are kept ({@link #persistTo} was called). */
    protected final boolean keepsModels() {
        return store != null;
    }

    /** Stops serving the restored model: this run has fitted its own. */
    protected final void forgetRestored() {
        restored = null;
    }

    /**
     * Saves the fitted {@code what} ({@code ensemble}, {@code model}) that {@code artifact} builds, if models are
     * kept. A failure is logged and never fails the fit.
     */
    protected final void keep(String what, Callable<ModelArtifact> artifact) {
        final ModelStore s = store;
        if (s == null) {
            return;
        }
        try {
            s.save(artifact.call());
            status.info("{}: saved the fitted {} to {}", this, what, s.file(strategy()));
        } catch (Exception e) {
            status.warn("{}: the fitted {} is not saved, so a restarted master will not have it: {}", this, what,
                        e.getMessage());
        }
    }

    /** The strategy name used in logs and status: {@code aggregation} or {@code parameter-server}. */
    public abstract String strategy();

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}

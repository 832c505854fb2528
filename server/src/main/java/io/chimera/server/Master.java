package io.chimera.server;

import java.util.List;
import java.util.Map;

import io.chimera.common.server.NodeServerBuilder;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.internal.FitTracker;
import io.chimera.server.internal.ModelStore;
import io.chimera.server.internal.WorkerClient;
import io.grpc.BindableService;

/**
 * A chimera master: the node clients call, which drives the workers. Pass one to {@link Chimera#run}.
 *
 * @see AggregationMaster
 */
public abstract class Master {

    private FitTracker fitTracker;

    Master() {}

    /** The state of this master's model and the progress of its fit, for status, progress lines and metrics. */
    final synchronized FitTracker fitTracker() {
        if (fitTracker == null) {
            fitTracker = new FitTracker(strategy(), options());
        }
        return fitTracker;
    }

    /** The training options the status shows; none by default. */
    Map<String, String> options() {
        return Map.of();
    }

    /** The master's gRPC service (served as REST too), bound to its workers. */
    abstract BindableService bind(List<WorkerClient> workers);

    /**
     * Adds the master's service, bound to its workers, to the server it is served by; a master whose service
     * predicts also serves REST predicts through {@link NodeServerBuilder#restPredict}.
     */
    void addServices(NodeServerBuilder server, List<WorkerClient> workers) {
        server.service(bind(workers));
    }

    /** Takes what it needs from the run's configuration before serving; nothing by default. */
    void configure(ChimeraConfig config) {}

    /**
     * Keeps every fitted model in {@code store} and takes back the one saved there, so that a restarted master
     * answers predict without a new fit; called once, before {@link #bind(List)}. Nothing by default.
     */
    void persistTo(ModelStore store) {}

    /** The strategy name used in logs and status: {@code aggregation} or {@code parameter-server}. */
    public abstract String strategy();

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}

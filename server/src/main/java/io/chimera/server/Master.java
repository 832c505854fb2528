package io.chimera.server;

import java.util.List;

import io.chimera.common.server.NodeServerBuilder;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.server.internal.WorkerClient;
import io.grpc.BindableService;

/**
 * A chimera master: the node clients call, which drives the workers. Pass one to {@link Chimera#run}.
 *
 * @see AggregationMaster
 */
public abstract class Master {

    Master() {}

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

    /** The strategy name used in logs and status: {@code aggregation} or {@code parameter-server}. */
    public abstract String strategy();

    @Override
    public String toString() {
        return getClass().getSimpleName();
    }
}

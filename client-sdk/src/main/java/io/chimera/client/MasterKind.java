package io.chimera.client;

/** Which master a {@link ChimeraClient} talks to: it picks the gRPC service and the REST paths. */
public enum MasterKind {
    /** {@code AggregationMaster}: bagging of the workers' weak learners ({@code /v1/chimera/aggregation/*}). */
    AGGREGATION,
    /** {@code ParameterServerMaster}: distributed SGD ({@code /v1/chimera/parameter-server/*}). */
    PARAMETER_SERVER,
    /**
     * A master written with the strategy API ({@code StrategyMaster}): federated averaging, all-reduce, a user's
     * own ({@code /v1/chimera/<strategy>/*}); name it with {@link ChimeraClientBuilder#strategy(String)}.
     */
    STRATEGY
}

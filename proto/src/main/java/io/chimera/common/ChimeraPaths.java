package io.chimera.common;

/**
 * The REST paths of every chimera node, exactly as chimera's. The same routes are declared with
 * {@code google.api.http} in {@code chimera/v1/chimera.proto}; these constants are for clients, logs and
 * tests.
 */
public final class ChimeraPaths {

    /** Prefix of every chimera route. */
    public static final String PREFIX = "/v1/chimera";

    public static final String AGGREGATION_FIT = PREFIX + "/aggregation/fit";
    public static final String AGGREGATION_PREDICT = PREFIX + "/aggregation/predict";
    public static final String PARAMETER_SERVER_FIT = PREFIX + "/parameter-server/fit";
    public static final String PARAMETER_SERVER_PREDICT = PREFIX + "/parameter-server/predict";
    public static final String PARAMETER_SERVER_HISTORY = PREFIX + "/parameter-server/history";
    /** {@code GET}: the aggregation master's fitted ensemble as a model artifact. */
    public static final String AGGREGATION_MODEL = PREFIX + "/aggregation/model";
    /** {@code GET}: the parameter server's fitted linear model as a model artifact. */
    public static final String PARAMETER_SERVER_MODEL = PREFIX + "/parameter-server/model";
    public static final String MODEL_FIT = PREFIX + "/model/fit";
    public static final String MODEL_PREDICT = PREFIX + "/model/predict";
    /** {@code GET}: a bagging worker's fitted model, for the master's export. */
    public static final String MODEL_EXPORT = PREFIX + "/model/export";
    public static final String SGD_FIT_STEP = PREFIX + "/sgd/fit-step";
    public static final String SGD_REQUEST_DATA_SAMPLE = PREFIX + "/sgd/request-data-sample";
    public static final String SGD_DATA_STATISTICS = PREFIX + "/sgd/data-statistics";

    /** {@code GET}: a master's status: its workers' health, its model's state, the progress of a fit. */
    public static final String STATUS = PREFIX + "/status";
    /** {@code GET}: a master's per-endpoint latency statistics and histograms. */
    public static final String LATENCIES = PREFIX + "/latencies";
    /** {@code GET}: every node's metrics in the Prometheus text format. */
    public static final String METRICS = PREFIX + "/metrics";
    /** {@code GET}: a master's dashboard (HTML); {@code /} redirects there. */
    public static final String DASHBOARD = "/dashboard";

    /** Answers 200 once a node is serving; used by runtimes to wait for workers. */
    public static final String HEALTH = PREFIX + "/health";

    /** The API browser (Armeria's DocService) of every node. */
    public static final String DOCS = "/docs";

    /** {@code POST}: the fit of a strategy written with the strategy API, e.g. {@code federated-averaging}. */
    public static String strategyFit(String strategy) {
        return PREFIX + '/' + strategy + "/fit";
    }

    /** {@code POST}: the predict of a strategy written with the strategy API. */
    public static String strategyPredict(String strategy) {
        return PREFIX + '/' + strategy + "/predict";
    }

    /** {@code GET}: the fitted model of a strategy written with the strategy API, as a model artifact. */
    public static String strategyModel(String strategy) {
        return PREFIX + '/' + strategy + "/model";
    }

    /** {@code GET}: the rounds of the last or the running fit of a strategy written with the strategy API. */
    public static String strategyHistory(String strategy) {
        return PREFIX + '/' + strategy + "/history";
    }

    /** {@code POST}: the step {@code step} of a worker of a strategy written with the strategy API. */
    public static String strategyStep(String strategy, String step) {
        return PREFIX + '/' + strategy + "/steps/" + step;
    }

    private ChimeraPaths() {}
}

package io.chimera.cli;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The projects {@code chimera new --example} can make: chimera's three strategies, federated averaging and ring
 * all-reduce, and regression.
 */
enum Example {
    /** Model parallelism: the same rows on every worker, a bootstrap sample each. */
    BAGGING("bagging", "Bagged decision trees on breast-cancer (model parallelism)",
            "Three decision trees, each fitted on a bootstrap sample of the same rows, vote on breast-cancer "
            + "diagnoses.", "breast-cancer", "tree", false, "aggregation-Master.java",
            "classification-tree-worker.java", "AggregationMaster"),
    /** Hybrid parallelism: a different part of the rows on each worker. */
    HYBRID("hybrid", "Bagged decision trees on parts of breast-cancer (hybrid parallelism)",
           "Three decision trees, each fitted on its own part of the rows, vote on breast-cancer diagnoses.",
           "breast-cancer", "tree", true, "aggregation-Master.java", "classification-tree-worker.java",
           "AggregationMaster"),
    /** Data parallelism: parameter-server SGD over shards. */
    SGD("sgd", "Logistic regression by parameter-server SGD on breast-cancer (data parallelism)",
        "Three SGD workers each answer the log-loss gradient over their own shard of the rows; the master "
        + "averages them and updates the weights.", "breast-cancer", "sgd", true,
        "parameter-server-Master.java", "sgd-worker.java", "ParameterServerMaster"),
    /** Data parallelism by federated averaging, a strategy on the strategy API. */
    FEDAVG("fedavg", "Logistic regression by federated averaging on breast-cancer (data parallelism)",
           "Three workers each run local SGD epochs on their own shard of the rows; the master averages their "
           + "models, weighted by rows, once a round.", "breast-cancer", "fed", true,
           "federated-averaging-Master.java", "federated-averaging-worker.java", "FederatedAveragingMaster"),
    /** Data parallelism by ring all-reduce, with no parameter server. */
    ALLREDUCE("allreduce", "Logistic regression by ring all-reduce on breast-cancer (data parallelism)",
              "Three workers each compute the log-loss gradient over their own shard of the rows and sum it with "
              + "their ring neighbours; every worker makes the same update, with no parameter server.",
              "breast-cancer", "ring", true, "all-reduce-Master.java", "all-reduce-worker.java",
              "AllReduceMaster"),
    /** Bagged regression trees. */
    REGRESSION("regression", "Bagged regression trees on diabetes-sklearn",
               "Three regression trees, each fitted on a bootstrap sample of the same rows, average their "
               + "predictions of disease progression.", "diabetes-sklearn", "tree", false,
               "aggregation-Master.java", "regression-tree-worker.java", "AggregationMaster");

    static final int WORKERS = 3;
    static final int FIRST_WORKER_PORT = 8081;

    final String id;
    final String title;
    final String description;
    final String dataset;
    final String workerPrefix;
    final boolean partition;
    final String masterTemplate;
    final String workerTemplate;
    final String masterClass;

    Example(String id, String title, String description, String dataset, String workerPrefix, boolean partition,
            String masterTemplate, String workerTemplate, String masterClass) {
        this.id = id;
        this.title = title;
        this.description = description;
        this.dataset = dataset;
        this.workerPrefix = workerPrefix;
        this.partition = partition;
        this.masterTemplate = masterTemplate;
        this.workerTemplate = workerTemplate;
        this.masterClass = masterClass;
    }

    List<String> workerNames() {
        return IntStream.rangeClosed(1, WORKERS).mapToObj(i -> workerPrefix + i).collect(Collectors.toList());
    }

    /** The ids, for messages and help. */
    static String ids() {
        return List.of(values()).stream().map(e -> e.id).collect(Collectors.joining("|"));
    }

    /** picocli's converter: the lower-case id. */
    static Example of(String id) {
        for (Example e : values()) {
            if (e.id.equals(id)) {
                return e;
            }
        }
        throw new IllegalArgumentException(id + " (expected: one of " + ids() + ")");
    }
}

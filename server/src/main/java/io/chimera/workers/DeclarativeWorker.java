package io.chimera.workers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.chimera.core.learn.Learner;
import io.chimera.core.learn.Learners;
import io.chimera.core.linear.Loss;
import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.strategy.aggregation.RegressionWorker;
import io.chimera.strategy.allreduce.AllReduceMaster;
import io.chimera.strategy.allreduce.AllReduceWorker;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.fedavg.FederatedAveragingWorker;
import io.chimera.strategy.parameterserver.SGDWorker;

/**
 * A worker declared by a JSON file instead of a program: {@code chimera_workers/<name>.json}, so that bagging
 * or SGD needs no Java code beyond the master.
 *
 * <pre>{@code
 * {"kind": "classification", "learner": "decision_tree_classifier",
 *  "params": {"max_depth": 5, "max_leaf_nodes": 15}, "bootstrap": true}
 *
 * {"kind": "sgd", "loss": "log_loss"}
 *
 * {"kind": "federated-averaging"}
 * }</pre>
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>for</th><th>meaning</th></tr>
 * <tr><td>{@code kind}</td><td>all (required)</td><td>{@code classification}, {@code regression},
 * {@code sgd}, or a built-in strategy's worker: {@code federated-averaging}, {@code all-reduce}</td></tr>
 * <tr><td>{@code learner}</td><td>classification, regression (required)</td><td>a name of
 * {@link Learners#create(String, String, Map)}: a built-in tree, or a Tribuo trainer such as
 * {@code XGBoostClassificationTrainer} (docs/workers.md)</td></tr>
 * <tr><td>{@code params}</td><td>classification, regression</td><td>the learner's parameters, numbers or
 * strings</td></tr>
 * <tr><td>{@code bootstrap}</td><td>classification, regression</td><td>fit on a bootstrap sample; default
 * false</td></tr>
 * <tr><td>{@code loss}</td><td>sgd</td><td>the loss for calls without options; default
 * {@code squared_error}</td></tr>
 * <tr><td>{@code seed}</td><td>all</td><td>a fixed seed instead of the one derived from {@code CHIMERA_SEED}
 * and the worker's name</td></tr>
 * </table>
 * Anything else — an unknown key, kind, learner or parameter — stops the worker with one line listing what is
 * valid.
 */
public final class DeclarativeWorker {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> KINDS = List.of("classification", "regression", "sgd",
                                                      FederatedAveragingMaster.NAME, AllReduceMaster.NAME);
    private static final List<String> MODEL_KEYS = List.of("kind", "learner", "params", "bootstrap", "seed");
    private static final List<String> SGD_KEYS = List.of("kind", "loss", "seed");
    private static final List<String> STRATEGY_KEYS = List.of("kind", "seed");

    /** Runs the worker declared in the file {@code args[0]}. */
    public static void main(String[] args) {
        final Worker worker;
        try {
            if (args.length != 1) {
                throw new IllegalArgumentException("usage: DeclarativeWorker <worker.json>");
            }
            worker = fromFile(Path.of(args[0]));
        } catch (IllegalArgumentException e) {
            final String name = System.getenv().getOrDefault(WorkerEnvironment.NAME, WorkerEnvironment.DEFAULT_NAME);
            System.err.println("chimera worker " + name + " cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        worker.serve();
    }

    /**
     * Builds the worker a file declares.
     *
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static Worker fromFile(Path file) {
        final String json;
        try {
            json = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read it: " + e.getMessage());
        }
        return fromJson(json, file.toString());
    }

    /** Builds the worker a JSON text declares; {@code source} names it in messages. */
    public static Worker fromJson(String json, String source) {
        final JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": expected a JSON object such as "
                                               + "{\"kind\": \"classification\", \"learner\": "
                                               + "\"decision_tree_classifier\"}");
        }
        final String kind = text(root, "kind", source, null);
        if (kind == null || !KINDS.contains(kind)) {
            throw new IllegalArgumentException(source + ": kind: " + (kind == null ? "missing" : "'" + kind + "'")
                                               + " (expected: one of " + KINDS + ')');
        }
        final Worker worker = switch (kind) {
            case "sgd" -> sgd(root, source);
            case FederatedAveragingMaster.NAME -> {
                checkKeys(root, STRATEGY_KEYS, source, kind);
                yield new FederatedAveragingWorker();
            }
            case AllReduceMaster.NAME -> {
                checkKeys(root, STRATEGY_KEYS, source, kind);
                yield new AllReduceWorker();
            }
            default -> model(root, kind, source);
        };
        if (root.has("seed")) {
            if (!root.get("seed").canConvertToLong() || !root.get("seed").isIntegralNumber()) {
                throw new IllegalArgumentException(source + ": seed: " + root.get("seed") + " (expected: an integer)");
            }
            worker.seed(root.get("seed").asLong());
        }
        return worker;
    }

    private static Worker sgd(JsonNode root, String source) {
        checkKeys(root, SGD_KEYS, source, "sgd");
        final String loss = text(root, "loss", source, Loss.SQUARED_ERROR.lossName());
        try {
            return new SGDWorker(Loss.parse(loss));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    private static Worker model(JsonNode root, String kind, String source) {
        checkKeys(root, MODEL_KEYS, source, kind);
        final String name = text(root, "learner", source, null);
        if (name == null) {
            throw new IllegalArgumentException(source + ": learner: missing (expected: one of "
                                               + Learners.names(kind) + ')');
        }
        final Map<String, String> params = new LinkedHashMap<>();
        final JsonNode p = root.path("params");
        if (!p.isMissingNode() && !p.isNull()) {
            if (!p.isObject()) {
                throw new IllegalArgumentException(source + ": params: " + p + " (expected: an object of "
                                                   + "parameter names to values)");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                final Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw new IllegalArgumentException(source + ": params." + e.getKey() + ": " + e.getValue()
                                                       + " (expected: a number or a string)");
                }
                params.put(e.getKey(), e.getValue().asText());
            }
        }
        final JsonNode b = root.path("bootstrap");
        if (!b.isMissingNode() && !b.isBoolean()) {
            throw new IllegalArgumentException(source + ": bootstrap: " + b + " (expected: true or false)");
        }
        final Learner learner;
        try {
            learner = Learners.create(name, kind, params);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        final boolean bootstrap = b.asBoolean(false);
        return "classification".equals(kind) ? new ClassificationWorker(learner, bootstrap)
                                             : new RegressionWorker(learner, bootstrap);
    }

    private static void checkKeys(JsonNode root, List<String> valid, String source, String kind) {
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            final String key = it.next();
            if (!valid.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown key '" + key + "' for kind " + kind
                                                   + " (expected: " + valid + ')');
            }
        }
    }

    private static String text(JsonNode root, String key, String source, String def) {
        final JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return def;
        }
        if (!n.isTextual()) {
            throw new IllegalArgumentException(source + ": " + key + ": " + n + " (expected: a string)");
        }
        return n.asText();
    }

    private DeclarativeWorker() {}
}

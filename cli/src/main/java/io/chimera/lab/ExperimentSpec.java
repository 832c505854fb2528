package io.chimera.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * An experiment: a dataset, a strategy with its fixed options, the dimensions to sweep, the conditions to inject,
 * repeats and a time budget, read from YAML and checked whole before anything starts. Every combination of the
 * swept values is a {@link Cell}; see {@code docs/lab.md} for the format.
 *
 * <pre>
 * name: straggler
 * dataset: breast-cancer
 * strategy: parameter-server
 * options: {loss: log_loss, max_iter: 60}
 * sweep:
 *   workers: [2, 4]
 *   mode: [synchronous, asynchronous]
 *   condition: [none, straggler]
 * conditions:
 *   straggler: {worker: last, step_delay_ms: 20}
 * repeats: 2
 * </pre>
 */
public final class ExperimentSpec {

    /** The bundled datasets, in the distribution's jar. */
    public static final List<String> BUNDLED = List.of("breast-cancer", "diabetes-sklearn");
    static final List<String> STRATEGIES = List.of("parameter-server", "federated-averaging", "all-reduce", "bagging");
    static final List<String> MODES = List.of("synchronous", "asynchronous", "bounded_staleness");
    static final List<String> SPLITS = List.of("same", "partition");
    static final List<String> RUNTIMES = List.of("process", "docker");
    static final int MAX_WORKERS = 64;

    private static final Set<String> TOP = Set.of("name", "dataset", "strategy", "options", "sweep", "conditions",
                                                  "repeats", "time_budget_seconds", "target_loss");
    /** The options each strategy takes. */
    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "parameter-server", Set.of("loss", "max_iter", "learning_rate", "batch_size", "alpha", "optimizer"),
            "federated-averaging", Set.of("loss", "rounds", "local_epochs", "learning_rate", "batch_size", "alpha"),
            "all-reduce", Set.of("loss", "max_iter", "learning_rate", "batch_size", "alpha"),
            "bagging", Set.of("max_depth", "max_leaf_nodes"));
    /** The strategies that train by SGD steps, and keep a history of losses, rounds and bytes. */
    static final Set<String> SGD_STRATEGIES = Set.of("parameter-server", "federated-averaging", "all-reduce");
    private static final Set<String> CONDITION_KEYS = Set.of("worker", "step_delay_ms", "latency_ms",
                                                             "exit_at_step");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * One injected condition: on which worker (a 1-based index, {@code last} or {@code all}), what delay before
     * each step, what latency before each answer, and the step at which the worker exits (0: never).
     */
    public record Condition(String name, String worker, int stepDelayMillis, int latencyMillis, int exitAtStep) {
        /** No injection. */
        public static final Condition NONE = new Condition("none", "all", 0, 0, 0);

        /** The condition in words: {@code none}, or its name, its worker and what it injects. */
        public String describe() {
            if (name.equals("none")) {
                return "nothing injected";
            }
            final List<String> what = new ArrayList<>();
            if (stepDelayMillis > 0) {
                what.add("step_delay_ms " + stepDelayMillis);
            }
            if (latencyMillis > 0) {
                what.add("latency_ms " + latencyMillis);
            }
            if (exitAtStep > 0) {
                what.add("exit_at_step " + exitAtStep);
            }
            return name + " (" + ("all".equals(worker) ? "every worker" : "worker " + worker) + ": "
                   + String.join(", ", what) + ')';
        }

        /** The 0-based indexes of the workers it applies to, out of {@code workers}. */
        List<Integer> targets(int workers) {
            if (stepDelayMillis == 0 && latencyMillis == 0 && exitAtStep == 0) {
                return List.of();
            }
            if ("all".equals(worker)) {
                final List<Integer> all = new ArrayList<>();
                for (int i = 0; i < workers; i++) {
                    all.add(i);
                }
                return all;
            }
            final int index = "last".equals(worker) ? workers - 1 : Integer.parseInt(worker) - 1;
            return index < workers ? List.of(index) : List.of();
        }
    }

    /**
     * One combination of the swept values: what one fresh cluster runs. Settings that the cell's strategy does not
     * have are left empty: {@code mode} for all but the parameter server, {@code batchSize} and
     * {@code learningRate} for bagging.
     */
    public record Cell(String strategy, int workers, String mode, int staleness, int batchSize,
                       double learningRate, String split, String runtime, int cpuShares, Condition condition) {

        /** Whether the cell's fit keeps a history: losses per update or round, and the bytes on the wire. */
        public boolean hasHistory() {
            return SGD_STRATEGIES.contains(strategy);
        }

        /** Every setting of the cell in words, those its strategy does not have left out. */
        public String settings() {
            final List<String> parts = new ArrayList<>();
            parts.add(strategy);
            parts.add(workers + (workers == 1 ? " worker" : " workers"));
            if (!mode.isEmpty()) {
                parts.add("bounded_staleness".equals(mode) ? "bounded staleness " + staleness : mode);
            }
            if (batchSize > 0) {
                parts.add("batch " + batchSize);
            }
            if (learningRate > 0) {
                parts.add("learning rate " + learningRate);
            }
            parts.add(split + " split");
            parts.add(runtime + " runtime");
            if ("docker".equals(runtime)) {
                parts.add("cpu shares " + cpuShares);
            }
            parts.add(condition.describe());
            return String.join(", ", parts);
        }

        /** A short label naming the values that the spec sweeps over more than one value. */
        String label(ExperimentSpec spec) {
            final List<String> parts = new ArrayList<>();
            if (spec.strategies().size() > 1) {
                parts.add(strategy);
            }
            if (spec.swept("workers")) {
                parts.add(workers + (workers == 1 ? " worker" : " workers"));
            }
            if (mode.isEmpty()) {
                // not a parameter-server cell: no mode
            } else if (spec.swept("mode")) {
                parts.add("bounded_staleness".equals(mode) ? "bounded(" + staleness + ")" : mode);
            } else if (spec.swept("staleness") && "bounded_staleness".equals(mode)) {
                parts.add("staleness " + staleness);
            }
            if (spec.swept("batch_size") && batchSize > 0) {
                parts.add("batch " + batchSize);
            }
            if (spec.swept("learning_rate") && learningRate > 0) {
                parts.add("lr " + learningRate);
            }
            if (spec.swept("split")) {
                parts.add(split);
            }
            if (spec.swept("runtime")) {
                parts.add(runtime);
            }
            if (spec.swept("cpu_shares")) {
                parts.add("cpu " + cpuShares);
            }
            if (spec.swept("condition")) {
                parts.add(condition.name());
            }
            return parts.isEmpty() ? "run" : String.join(", ", parts);
        }
    }

    private final String name;
    private final String dataset;
    private final Path datasetFolder;
    private final List<String> strategies;
    private final Map<String, Object> options;
    private final Map<String, List<Object>> sweep;
    private final Map<String, Condition> conditions;
    private final int repeats;
    private final double timeBudgetSeconds;
    private final Double targetLoss;

    private ExperimentSpec(String name, String dataset, Path datasetFolder, List<String> strategies,
                           Map<String, Object> options, Map<String, List<Object>> sweep,
                           Map<String, Condition> conditions, int repeats, double timeBudgetSeconds,
                           Double targetLoss) {
        this.name = name;
        this.dataset = dataset;
        this.datasetFolder = datasetFolder;
        this.strategies = strategies;
        this.options = options;
        this.sweep = sweep;
        this.conditions = conditions;
        this.repeats = repeats;
        this.timeBudgetSeconds = timeBudgetSeconds;
        this.targetLoss = targetLoss;
    }

    /**
     * Reads and checks a spec file; a dataset folder is relative to the spec's folder.
     *
     * @throws SpecException naming the file and the first field that is wrong, and what it expects
     */
    public static ExperimentSpec read(Path file) {
        final String text;
        if (!Files.isRegularFile(file)) {
            throw new SpecException(file + ": no such file (expected: an experiment spec in YAML, docs/lab.md)");
        }
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SpecException(file + ": cannot be read (" + e.getMessage() + ')');
        }
        try {
            final String fallbackName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
            final Path base = file.toAbsolutePath().getParent();
            return parse(text, fallbackName, base);
        } catch (SpecException e) {
            throw new SpecException(file + ": " + e.getMessage());
        }
    }

    /** Parses a spec from YAML text; {@code base} resolves a dataset folder. */
    static ExperimentSpec parse(String yaml, String fallbackName, Path base) {
        final JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw new SpecException("not valid YAML: " + e.getOriginalMessage().replaceAll("\\s+", " ")
                                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ')' : ""));
        }
        if (root == null || !root.isObject()) {
            throw new SpecException("expected a YAML mapping with at least `dataset` and `strategy`");
        }
        unknownKeys(root, TOP, "");
        final String name = root.has("name") ? text(root.get("name"), "name") : fallbackName;
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new SpecException("name: " + name + " (expected: letters, digits, '_', '.' or '-')");
        }
        final String dataset = text(required(root, "dataset"), "dataset");
        Path folder = null;
        if (!BUNDLED.contains(dataset)) {
            folder = base.resolve(dataset).normalize();
            if (!Files.isDirectory(folder.resolve("chimera_train_data")) || !Files.isRegularFile(folder.resolve("X_test.csv"))
                || !Files.isRegularFile(folder.resolve("y_test.csv"))) {
                throw new SpecException("dataset: " + dataset + " (expected: one of " + BUNDLED + ", or a folder "
                                        + "with chimera_train_data/, X_test.csv and y_test.csv; " + folder
                                        + " is not one)");
            }
        }
        final List<String> strategies = strategies(required(root, "strategy"));
        final Map<String, Object> options = options(root.get("options"), strategies);
        final Map<String, Condition> conditions = conditions(root.get("conditions"));
        final Map<String, List<Object>> sweep = sweep(root.get("sweep"), strategies, conditions);
        final int repeats = root.has("repeats") ? integer(root.get("repeats"), "repeats", 1, 100) : 1;
        final double budget = root.has("time_budget_seconds")
                              ? number(root.get("time_budget_seconds"), "time_budget_seconds", 1, 86_400) : 3600;
        final Double target = root.has("target_loss")
                              ? number(root.get("target_loss"), "target_loss", 0, Double.MAX_VALUE) : null;
        if (target != null && strategies.contains("bagging")) {
            throw new SpecException("target_loss: bagging has no training loss per update (only the SGD strategies "
                                    + SGD_STRATEGIES.stream().sorted().toList() + " have)");
        }
        return new ExperimentSpec(name, dataset, folder, strategies, options, sweep, conditions, repeats, budget,
                                  target);
    }

    /** One strategy, or a list of them: a list sweeps the strategy, each cell with its own. */
    private static List<String> strategies(JsonNode node) {
        if (!node.isArray()) {
            return List.of(oneOf(node, "strategy", STRATEGIES));
        }
        if (node.isEmpty()) {
            throw new SpecException("strategy: an empty list (expected: one of " + String.join(", ", STRATEGIES)
                                    + ", or a list of them)");
        }
        final Set<String> strategies = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            if (!strategies.add(oneOf(node.get(i), "strategy[" + i + ']', STRATEGIES))) {
                throw new SpecException("strategy: " + node + " names " + node.get(i) + " twice");
            }
        }
        return List.copyOf(strategies);
    }

    private static Map<String, Object> options(JsonNode node, List<String> strategies) {
        final Map<String, Object> options = new LinkedHashMap<>();
        final Set<String> valid = new java.util.TreeSet<>();
        strategies.forEach(st -> valid.addAll(OPTIONS.get(st)));
        if (strategies.stream().anyMatch(SGD_STRATEGIES::contains)) {
            options.put("loss", "log_loss");
            options.put("alpha", 0.0001);
        }
        if (strategies.contains("parameter-server") || strategies.contains("all-reduce")) {
            options.put("max_iter", 100);
        }
        if (strategies.contains("parameter-server")) {
            options.put("optimizer", "sgd");
        }
        if (strategies.contains("federated-averaging")) {
            options.put("rounds", 20);
            options.put("local_epochs", 1);
        }
        if (strategies.contains("bagging")) {
            options.put("max_depth", 5);
            options.put("max_leaf_nodes", 0);
        }
        if (node == null || node.isNull()) {
            return options;
        }
        if (!node.isObject()) {
            throw new SpecException("options: expected a mapping, e.g. {loss: log_loss, max_iter: 100}");
        }
        unknownKeys(node, valid, "options.");
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> f = fields.next();
            final String key = "options." + f.getKey();
            switch (f.getKey()) {
                case "loss" -> options.put("loss", oneOf(f.getValue(), key, List.of("log_loss", "squared_error")));
                case "optimizer" -> options.put("optimizer", oneOf(f.getValue(), key, List.of("sgd", "lbfgs")));
                case "max_iter" -> options.put("max_iter", integer(f.getValue(), key, 1, 1_000_000));
                case "rounds" -> options.put("rounds", integer(f.getValue(), key, 1, 1_000_000));
                case "local_epochs" -> options.put("local_epochs", integer(f.getValue(), key, 1, 10_000));
                case "batch_size" -> options.put("batch_size", integer(f.getValue(), key, 0, 10_000_000));
                case "learning_rate" -> options.put("learning_rate", number(f.getValue(), key, 1e-9, 1e3));
                case "alpha" -> options.put("alpha", number(f.getValue(), key, 0, 1e3));
                case "max_depth" -> options.put("max_depth", integer(f.getValue(), key, 1, 64));
                case "max_leaf_nodes" -> options.put("max_leaf_nodes", integer(f.getValue(), key, 2, 1_000_000));
                default -> throw new IllegalStateException(key);
            }
        }
        return options;
    }

    private static Map<String, Condition> conditions(JsonNode node) {
        final Map<String, Condition> conditions = new LinkedHashMap<>();
        conditions.put("none", Condition.NONE);
        if (node == null || node.isNull()) {
            return conditions;
        }
        if (!node.isObject()) {
            throw new SpecException("conditions: expected a mapping of names to conditions, e.g. "
                                    + "{straggler: {worker: last, step_delay_ms: 50}}");
        }
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> f = fields.next();
            final String key = "conditions." + f.getKey();
            if ("none".equals(f.getKey())) {
                throw new SpecException(key + ": `none` is built in (no injection); pick another name");
            }
            if (!f.getValue().isObject()) {
                throw new SpecException(key + ": expected a mapping, e.g. {worker: last, step_delay_ms: 50}");
            }
            unknownKeys(f.getValue(), CONDITION_KEYS, key + '.');
            final JsonNode w = f.getValue().get("worker");
            final String worker = w == null ? "last" : w.asText();
            if (!worker.equals("last") && !worker.equals("all")
                && !(w.canConvertToInt() && w.isIntegralNumber() && w.asInt() >= 1 && w.asInt() <= MAX_WORKERS)) {
                throw new SpecException(key + ".worker: " + w + " (expected: last, all, or a worker's number from 1)");
            }
            final JsonNode delay = f.getValue().get("step_delay_ms");
            final JsonNode latency = f.getValue().get("latency_ms");
            final int d = delay == null ? 0 : integer(delay, key + ".step_delay_ms", 0, 600_000);
            final int l = latency == null ? 0 : integer(latency, key + ".latency_ms", 0, 600_000);
            final JsonNode exit = f.getValue().get("exit_at_step");
            final int e = exit == null ? 0 : integer(exit, key + ".exit_at_step", 1, 100_000_000);
            if (d == 0 && l == 0 && e == 0) {
                throw new SpecException(key + ": injects nothing (expected: step_delay_ms, latency_ms or "
                                        + "exit_at_step above 0)");
            }
            conditions.put(f.getKey(), new Condition(f.getKey(), worker, d, l, e));
        }
        return conditions;
    }

    private static Map<String, List<Object>> sweep(JsonNode node, List<String> strategies,
                                                   Map<String, Condition> conditions) {
        final Map<String, List<Object>> sweep = new LinkedHashMap<>();
        sweep.put("workers", List.of(2));
        sweep.put("mode", List.of("synchronous"));
        sweep.put("staleness", List.of(2));
        sweep.put("batch_size", List.of(0));
        sweep.put("learning_rate", List.of(0.0));
        sweep.put("split", List.of("partition"));
        sweep.put("runtime", List.of("process"));
        sweep.put("cpu_shares", List.of(2));
        sweep.put("condition", List.of("none"));
        if (node == null || node.isNull()) {
            return sweep;
        }
        if (!node.isObject()) {
            throw new SpecException("sweep: expected a mapping of dimensions to lists, e.g. {workers: [1, 2, 4]}");
        }
        unknownKeys(node, sweep.keySet(), "sweep.");
        final boolean ps = strategies.contains("parameter-server");
        final boolean sgd = strategies.stream().anyMatch(SGD_STRATEGIES::contains);
        final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            final Map.Entry<String, JsonNode> f = fields.next();
            final String key = "sweep." + f.getKey();
            if (!ps && List.of("mode", "staleness").contains(f.getKey())) {
                throw new SpecException(key + ": only a parameter-server experiment has it (strategy: "
                                        + String.join(", ", strategies) + ')');
            }
            if (!sgd && List.of("batch_size", "learning_rate").contains(f.getKey())) {
                throw new SpecException(key + ": only the SGD strategies have it (strategy: "
                                        + String.join(", ", strategies) + ')');
            }
            final List<JsonNode> items = new ArrayList<>();
            if (f.getValue().isArray()) {
                f.getValue().forEach(items::add);
            } else {
                items.add(f.getValue());
            }
            if (items.isEmpty()) {
                throw new SpecException(key + ": an empty list (expected: at least one value)");
            }
            final List<Object> values = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                final JsonNode v = items.get(i);
                final String at = key + (f.getValue().isArray() ? "[" + i + ']' : "");
                values.add(switch (f.getKey()) {
                    case "workers" -> integer(v, at, 1, MAX_WORKERS);
                    case "mode" -> oneOf(v, at, MODES);
                    case "staleness" -> integer(v, at, 0, 10_000);
                    case "batch_size" -> integer(v, at, 0, 10_000_000);
                    case "learning_rate" -> number(v, at, 1e-9, 1e3);
                    case "split" -> oneOf(v, at, SPLITS);
                    case "runtime" -> oneOf(v, at, RUNTIMES);
                    case "cpu_shares" -> integer(v, at, 2, 262_144);
                    case "condition" -> oneOf(v, at, List.copyOf(conditions.keySet()));
                    default -> throw new IllegalStateException(at);
                });
            }
            if (new LinkedHashSet<>(values).size() != values.size()) {
                throw new SpecException(key + ": " + f.getValue() + " names a value twice");
            }
            sweep.put(f.getKey(), List.copyOf(values));
        }
        return sweep;
    }

    /**
     * Every cell, strategy first, then in the order of the sweep's dimensions (the last varies fastest). A setting
     * that a cell's strategy does not have is left empty, so that such cells are not repeated: staleness varies
     * for bounded-staleness cells only.
     */
    public List<Cell> cells() {
        final Set<Cell> cells = new LinkedHashSet<>();
        for (String strategy : strategies) {
            for (List<Object> v : product(new ArrayList<>(sweep.values()))) {
                final boolean ps = "parameter-server".equals(strategy);
                final boolean sgd = SGD_STRATEGIES.contains(strategy);
                final String mode = ps ? (String) v.get(1) : "";
                cells.add(new Cell(strategy, (Integer) v.get(0), mode,
                                   "bounded_staleness".equals(mode) ? (Integer) v.get(2) : 0,
                                   sgd ? (Integer) v.get(3) : 0, sgd ? ((Number) v.get(4)).doubleValue() : 0,
                                   (String) v.get(5), (String) v.get(6), (Integer) v.get(7),
                                   conditions.get((String) v.get(8))));
            }
        }
        return List.copyOf(cells);
    }

    /** Every combination of one value from each list, the last list varying fastest. */
    private static List<List<Object>> product(List<List<Object>> dimensions) {
        List<List<Object>> combinations = List.of(List.of());
        for (List<Object> values : dimensions) {
            final List<List<Object>> next = new ArrayList<>();
            for (List<Object> prefix : combinations) {
                for (Object v : values) {
                    final List<Object> c = new ArrayList<>(prefix);
                    c.add(v);
                    next.add(c);
                }
            }
            combinations = next;
        }
        return combinations;
    }

    /** Whether the spec sweeps {@code dimension} over more than one value. */
    public boolean swept(String dimension) {
        return sweep.get(dimension).size() > 1;
    }

    public String name() {
        return name;
    }

    /** The dataset's name as the spec gives it: a bundled name or a folder. */
    public String dataset() {
        return dataset;
    }

    /** The dataset's folder, or null for a bundled dataset. */
    Path datasetFolder() {
        return datasetFolder;
    }

    /** The strategies, in the spec's order: one, or the several that the experiment compares. */
    public List<String> strategies() {
        return strategies;
    }

    /** The strategies as the report names them: {@code parameter-server}, or {@code a, b, c}. */
    public String strategy() {
        return String.join(", ", strategies);
    }

    /** The strategy's fixed options, with their defaults. */
    public Map<String, Object> options() {
        return options;
    }

    public int repeats() {
        return repeats;
    }

    public double timeBudgetSeconds() {
        return timeBudgetSeconds;
    }

    /** The training loss that "time to target" waits for; null: the highest final loss of the run's cells. */
    public Double targetLoss() {
        return targetLoss;
    }

    /** The swept values, by dimension, defaults included. */
    public Map<String, List<Object>> sweep() {
        return sweep;
    }

    private static JsonNode required(JsonNode root, String key) {
        final JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            throw new SpecException(key + ": missing (required)");
        }
        return v;
    }

    private static void unknownKeys(JsonNode node, Set<String> known, String prefix) {
        final Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            final String n = names.next();
            if (!known.contains(n)) {
                throw new SpecException(prefix + n + ": unknown field (expected one of "
                                        + known.stream().sorted().toList() + ')');
            }
        }
    }

    private static String text(JsonNode v, String key) {
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new SpecException(key + ": " + v + " (expected: a non-empty string)");
        }
        return v.asText().trim();
    }

    private static String oneOf(JsonNode v, String key, List<String> allowed) {
        if (!v.isTextual() || !allowed.contains(v.asText())) {
            throw new SpecException(key + ": " + v + " (expected: one of " + String.join(", ", allowed) + ')');
        }
        return v.asText();
    }

    private static int integer(JsonNode v, String key, int min, int max) {
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new SpecException(key + ": " + v + " (expected: an integer from " + min + " to " + max + ')');
        }
        return v.asInt();
    }

    private static double number(JsonNode v, String key, double min, double max) {
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            throw new SpecException(key + ": " + v + " (expected: a number from " + min + " to " + max + ')');
        }
        return v.asDouble();
    }
}

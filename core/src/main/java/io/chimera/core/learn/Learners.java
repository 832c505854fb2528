package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * Creates built-in learners by name from string parameters, the way a worker receives them in a request.
 * Names and parameters are snake_case, as in scikit-learn: {@value #DECISION_TREE_CLASSIFIER} and
 * {@value #DECISION_TREE_REGRESSOR}, with {@code max_depth}, {@code max_leaf_nodes},
 * {@code min_samples_split}, {@code min_samples_leaf}, {@code max_features} and {@code seed} (integers), and
 * for the classifier {@code criterion} ({@code gini} or {@code entropy}). An absent parameter keeps its
 * default.
 */
public final class Learners {

    /** The name of {@link DecisionTreeClassifier}. */
    public static final String DECISION_TREE_CLASSIFIER = "decision_tree_classifier";

    /** The name of {@link DecisionTreeRegressor}. */
    public static final String DECISION_TREE_REGRESSOR = "decision_tree_regressor";

    /** The names {@link #create} knows. */
    public static final List<String> NAMES = List.of(DECISION_TREE_CLASSIFIER, DECISION_TREE_REGRESSOR);
    private static final List<String> TREE_PARAMETERS =
            List.of("max_depth", "max_leaf_nodes", "min_samples_split", "min_samples_leaf", "max_features", "seed");
    private static final List<String> CLASSIFIER_PARAMETERS =
            Stream.concat(TREE_PARAMETERS.stream(), Stream.of("criterion")).toList();

    /**
     * Returns the learner called {@code name} for a worker of {@code kind} ({@code classification} or
     * {@code regression}): a built-in one, else one of a {@link LearnerProvider} registered as a service (such as
     * chimera-tribuo's Tribuo trainers).
     *
     * @throws IllegalArgumentException if no learner has that name for that kind (the message lists those that
     *         do), or a parameter is unknown or invalid (the message lists the valid ones)
     */
    public static Learner create(String name, String kind, Map<String, String> params) {
        requireNonNull(name, "name");
        requireNonNull(kind, "kind");
        requireNonNull(params, "params");
        if (NAMES.contains(name)) {
            return create(name, params);
        }
        for (LearnerProvider provider : ServiceLoader.load(LearnerProvider.class, Learners.class.getClassLoader())) {
            final Learner learner = provider.create(name, kind, params);
            if (learner != null) {
                return learner;
            }
        }
        throw new IllegalArgumentException("learner: '" + name + "' (expected: one of " + names(kind) + " for a "
                                           + kind + " worker)");
    }

    /** The names {@link #create(String, String, Map)} knows for {@code kind}: the built-in ones, then the providers'. */
    public static List<String> names(String kind) {
        final List<String> known = new ArrayList<>(NAMES);
        for (LearnerProvider provider : ServiceLoader.load(LearnerProvider.class, Learners.class.getClassLoader())) {
            known.addAll(provider.names(kind));
        }
        return known;
    }

    /**
     * Returns the built-in learner called {@code name} with the given parameters.
     *
     * @throws IllegalArgumentException if the name or a parameter is unknown, or a value is invalid; the
     *         message lists the valid names or parameters
     */
    public static Learner create(String name, Map<String, String> params) {
        requireNonNull(name, "name");
        requireNonNull(params, "params");
        switch (name) {
            case DECISION_TREE_CLASSIFIER -> {
                checkKnown(name, params, CLASSIFIER_PARAMETERS);
                final DecisionTreeClassifierBuilder builder = DecisionTreeClassifier.builder();
                setTreeParameters(builder, params);
                final String criterion = params.get("criterion");
                if (criterion != null) {
                    builder.criterion(parseCriterion(criterion));
                }
                return builder.build();
            }
            case DECISION_TREE_REGRESSOR -> {
                checkKnown(name, params, TREE_PARAMETERS);
                final DecisionTreeRegressorBuilder builder = DecisionTreeRegressor.builder();
                setTreeParameters(builder, params);
                return builder.build();
            }
            default -> throw new IllegalArgumentException("name: '" + name + "' (expected: one of " + NAMES + ')');
        }
    }

    private static void checkKnown(String name, Map<String, String> params, List<String> known) {
        for (String key : params.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(name + ": unknown parameter '" + key + "' (expected: one of " +
                                                   known + ')');
            }
        }
    }

    private static void setTreeParameters(AbstractDecisionTreeBuilder<?> builder, Map<String, String> params) {
        for (Map.Entry<String, String> param : params.entrySet()) {
            final String key = param.getKey();
            final String value = requireNonNull(param.getValue(), key);
            switch (key) {
                case "max_depth" -> builder.maxDepth(parseInt(key, value));
                case "max_leaf_nodes" -> builder.maxLeafNodes(parseInt(key, value));
                case "min_samples_split" -> builder.minSamplesSplit(parseInt(key, value));
                case "min_samples_leaf" -> builder.minSamplesLeaf(parseInt(key, value));
                case "max_features" -> builder.maxFeatures(parseInt(key, value));
                case "seed" -> builder.seed(parseLong(key, value));
                default -> {} // Task-specific, set by the caller.
            }
        }
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' (expected: an integer)");
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' (expected: a 64-bit integer)");
        }
    }

    private static Criterion parseCriterion(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "gini" -> Criterion.GINI;
            case "entropy" -> Criterion.ENTROPY;
            default -> throw new IllegalArgumentException("criterion: '" + value +
                                                          "' (expected: one of [gini, entropy])");
        };
    }

    private Learners() {}
}

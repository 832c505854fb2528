package io.chimera.tribuo;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.Entropy;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.classification.ensemble.VotingCombiner;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.classification.libsvm.LibSVMClassificationTrainer;
import org.tribuo.classification.libsvm.SVMClassificationType;
import org.tribuo.classification.mnb.MultinomialNaiveBayesTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.libsvm.KernelType;
import org.tribuo.common.libsvm.SVMParameters;
import org.tribuo.common.nearest.KNNModel;
import org.tribuo.common.nearest.KNNTrainer;
import org.tribuo.common.tree.ExtraTreesTrainer;
import org.tribuo.common.tree.RandomForestTrainer;
import org.tribuo.math.distance.CosineDistance;
import org.tribuo.math.distance.Distance;
import org.tribuo.math.distance.L1Distance;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.neighbour.NeighboursQueryFactoryType;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.ensemble.AveragingCombiner;
import org.tribuo.regression.liblinear.LibLinearRegressionTrainer;
import org.tribuo.regression.liblinear.LinearRegressionType;
import org.tribuo.regression.libsvm.LibSVMRegressionTrainer;
import org.tribuo.regression.libsvm.SVMRegressionType;
import org.tribuo.regression.rtree.CARTRegressionTrainer;
import org.tribuo.regression.rtree.impurity.MeanAbsoluteError;
import org.tribuo.regression.rtree.impurity.MeanSquaredError;
import org.tribuo.regression.sgd.objectives.SquaredLoss;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import io.chimera.core.learn.Learner;
import io.chimera.core.learn.LearnerProvider;

/**
 * Tribuo's trainers by name, for declarative workers: the trainer's Tribuo class name as {@code learner}, its
 * Tribuo option names as {@code params}.
 *
 * <pre>{@code
 * {"kind": "classification", "learner": "XGBoostClassificationTrainer",
 *  "params": {"numTrees": 50, "maxDepth": 4}, "bootstrap": true}
 * }</pre>
 *
 * <p>Every trainer takes {@code seed} (mixed with each worker's own seed). The trainers that depend on the
 * features' scale (LibSVM, LIBLINEAR, k-NN and the SGD linear models) also take {@code standardize}, on by
 * default: the trainer is wrapped in Tribuo's {@link TransformTrainer} with a {@link MeanStdDevTransformation}, fitted
 * on the worker's rows and kept in the model. docs/workers.md lists the trainers, options and defaults.
 */
public final class TribuoTrainers implements LearnerProvider {

    private static final String CLASSIFICATION = "classification";
    private static final String REGRESSION = "regression";

    /** A trainer by name: its options (Tribuo's names) and how to build it from them and a seed. */
    private static final class Spec {
        final String name;
        final List<String> options;
        final boolean scaleSensitive;
        final BiFunction<Options, Long, Trainer<?>> build;

        Spec(String name, List<String> options, boolean scaleSensitive, BiFunction<Options, Long, Trainer<?>> build) {
            this.name = name;
            final List<String> all = new ArrayList<>(options);
            all.add("seed");
            if (scaleSensitive) {
                all.add("standardize");
            }
            this.options = List.copyOf(all);
            this.scaleSensitive = scaleSensitive;
            this.build = build;
        }
    }

    private static final List<String> TREE = List.of("maxDepth", "minChildWeight", "minImpurityDecrease",
                                                     "fractionFeaturesInSplit", "useRandomSplitPoints", "impurity");
    private static final List<String> FOREST = List.of("numMembers", "maxDepth", "minChildWeight",
                                                       "minImpurityDecrease", "fractionFeaturesInSplit", "impurity");
    private static final List<String> XGBOOST = List.of("numTrees", "eta", "gamma", "maxDepth", "minChildWeight",
                                                        "subsample", "featureSubsample", "lambda", "alpha",
                                                        "nThread");
    private static final List<String> LIBSVM = List.of("svmType", "kernelType", "cost", "gamma", "degree", "coef0",
                                                       "nu", "eps", "p", "probability");
    private static final List<String> LIBLINEAR = List.of("trainerType", "cost", "maxIterations",
                                                          "terminationCriterion", "epsilon");
    private static final List<String> KNN = List.of("k", "distance", "numThreads");
    private static final List<String> SGD = List.of("epochs", "minibatchSize", "learningRate", "shuffle");

    /**
     * The forests average their trees' class probabilities (FullyWeightedVotingCombiner), as scikit-learn's do:
     * Tribuo's hard votes (VotingCombiner) give scores of few distinct values, and a holdout ROC AUC of 0.62 against
     * 0.79 for 4 workers' forests on diabetes-like (docs/benchmarks.md).
     */
    private static final Map<String, Spec> CLASSIFIERS = table(
            new Spec("CARTClassificationTrainer", TREE, false, (o, seed) -> cartClassifier(o, seed, false)),
            new Spec("RandomForestTrainer", FOREST, false, (o, seed) -> new RandomForestTrainer<>(
                    cartClassifier(o.withDefault("fractionFeaturesInSplit", "0.5"), seed, false),
                    new FullyWeightedVotingCombiner(), o.positiveInt("numMembers", 10), seed)),
            new Spec("ExtraTreesTrainer", FOREST, false, (o, seed) -> new ExtraTreesTrainer<>(
                    cartClassifier(o.withDefault("fractionFeaturesInSplit", "0.5"), seed, true),
                    new FullyWeightedVotingCombiner(), o.positiveInt("numMembers", 10), seed)),
            new Spec("XGBoostClassificationTrainer", XGBOOST, false, (o, seed) -> new XGBoostClassificationTrainer(
                    o.positiveInt("numTrees", 50), o.positive("eta", 0.3), o.nonNegative("gamma", 0),
                    o.positiveInt("maxDepth", 6), o.nonNegative("minChildWeight", 1), o.fraction("subsample", 1),
                    o.fraction("featureSubsample", 1), o.nonNegative("lambda", 1), o.nonNegative("alpha", 0),
                    o.positiveInt("nThread", 1), true, seed)),
            new Spec("LibSVMClassificationTrainer", LIBSVM, true, (o, seed) -> {
                final SVMParameters<Label> p = new SVMParameters<>(
                        new SVMClassificationType(o.choice("svmType", SVMClassificationType.SVMMode.class,
                                                           SVMClassificationType.SVMMode.C_SVC)),
                        o.choice("kernelType", KernelType.class, KernelType.RBF));
                svmOptions(p, o);
                if (o.bool("probability", true)) {
                    p.setProbability();
                }
                return new LibSVMClassificationTrainer(p, seed);
            }),
            new Spec("LibLinearClassificationTrainer", LIBLINEAR, true, (o, seed) -> new LibLinearClassificationTrainer(
                    new LinearClassificationType(o.choice("trainerType", LinearClassificationType.LinearType.class,
                                                          LinearClassificationType.LinearType.L2R_LR)),
                    o.positive("cost", 1), o.positiveInt("maxIterations", 1000),
                    o.positive("terminationCriterion", 0.1), seed)),
            new Spec("KNNTrainer", KNN, true, (o, seed) -> new KNNTrainer<>(
                    o.positiveInt("k", 5), distance(o), o.positiveInt("numThreads", 1), new VotingCombiner(),
                    KNNModel.Backend.THREADPOOL, NeighboursQueryFactoryType.BRUTE_FORCE)),
            new Spec("MultinomialNaiveBayesTrainer", List.of("alpha"), false,
                     (o, seed) -> new MultinomialNaiveBayesTrainer(o.positive("alpha", 1))),
            new Spec("LogisticRegressionTrainer", SGD, true, (o, seed) ->
                    new org.tribuo.classification.sgd.linear.LinearSGDTrainer(
                            new LogMulticlass(), new AdaGrad(o.positive("learningRate", 1), 0.1),
                            o.positiveInt("epochs", 5), Integer.MAX_VALUE, o.positiveInt("minibatchSize", 1),
                            seed)));

    private static final Map<String, Spec> REGRESSORS = table(
            new Spec("CARTRegressionTrainer", TREE, false, (o, seed) -> cartRegressor(o, seed, false)),
            new Spec("RandomForestTrainer", FOREST, false, (o, seed) -> new RandomForestTrainer<>(
                    cartRegressor(o.withDefault("fractionFeaturesInSplit", "0.5"), seed, false),
                    new AveragingCombiner(), o.positiveInt("numMembers", 10), seed)),
            new Spec("ExtraTreesTrainer", FOREST, false, (o, seed) -> new ExtraTreesTrainer<>(
                    cartRegressor(o.withDefault("fractionFeaturesInSplit", "0.5"), seed, true),
                    new AveragingCombiner(), o.positiveInt("numMembers", 10), seed)),
            new Spec("XGBoostRegressionTrainer", XGBOOST, false, (o, seed) -> new XGBoostRegressionTrainer(
                    XGBoostRegressionTrainer.RegressionType.LINEAR, o.positiveInt("numTrees", 50),
                    o.positive("eta", 0.3), o.nonNegative("gamma", 0), o.positiveInt("maxDepth", 6),
                    o.nonNegative("minChildWeight", 1), o.fraction("subsample", 1), o.fraction("featureSubsample", 1),
                    o.nonNegative("lambda", 1), o.nonNegative("alpha", 0), o.positiveInt("nThread", 1), true,
                    seed)),
            new Spec("LibSVMRegressionTrainer", LIBSVM, true, (o, seed) -> {
                final SVMParameters<Regressor> p = new SVMParameters<>(
                        new SVMRegressionType(o.choice("svmType", SVMRegressionType.SVMMode.class,
                                                       SVMRegressionType.SVMMode.EPSILON_SVR)),
                        o.choice("kernelType", KernelType.class, KernelType.RBF));
                svmOptions(p, o);
                o.bool("probability", false);
                // Tribuo's own option of this trainer standardises the target; the wrapper, the features.
                return new LibSVMRegressionTrainer(p, o.bool("standardize", true), seed);
            }),
            new Spec("LibLinearRegressionTrainer", LIBLINEAR, true, (o, seed) -> new LibLinearRegressionTrainer(
                    new LinearRegressionType(o.choice("trainerType", LinearRegressionType.LinearType.class,
                                                      LinearRegressionType.LinearType.L2R_L2LOSS_SVR)),
                    o.positive("cost", 1), o.positiveInt("maxIterations", 1000),
                    o.positive("terminationCriterion", 0.1), o.nonNegative("epsilon", 0.1), seed)),
            new Spec("KNNTrainer", KNN, true, (o, seed) -> new KNNTrainer<>(
                    o.positiveInt("k", 5), distance(o), o.positiveInt("numThreads", 1), new MeanCombiner(),
                    KNNModel.Backend.THREADPOOL, NeighboursQueryFactoryType.BRUTE_FORCE)),
            new Spec("LinearSGDTrainer", SGD, true, (o, seed) ->
                    new org.tribuo.regression.sgd.linear.LinearSGDTrainer(
                            new SquaredLoss(), new AdaGrad(o.positive("learningRate", 1), 0.1),
                            o.positiveInt("epochs", 5), Integer.MAX_VALUE, o.positiveInt("minibatchSize", 1),
                            seed)));

    private static Map<String, Spec> table(Spec... specs) {
        final Map<String, Spec> table = new LinkedHashMap<>();
        for (Spec s : specs) {
            table.put(s.name, s);
        }
        return java.util.Collections.unmodifiableMap(table);
    }

    /** The trainers of {@code kind}, in the order declared above (docs/workers.md lists them so). */
    private static Map<String, Spec> table(String kind) {
        return CLASSIFICATION.equals(kind) ? CLASSIFIERS : REGRESSION.equals(kind) ? REGRESSORS : Map.of();
    }

    @Override
    public List<String> names(String kind) {
        return List.copyOf(table(kind).keySet());
    }

    @Override
    public Learner create(String name, String kind, Map<String, String> params) {
        requireNonNull(name, "name");
        requireNonNull(params, "params");
        final Spec spec = table(kind).get(name);
        if (spec == null) {
            final String other = CLASSIFICATION.equals(kind) ? REGRESSION : CLASSIFICATION;
            if ((CLASSIFICATION.equals(kind) ? REGRESSORS : CLASSIFIERS).containsKey(name)) {
                throw new IllegalArgumentException("learner: " + name + " is a Tribuo " + other + " trainer "
                                                   + "(expected for a " + kind + " worker: one of " + names(kind)
                                                   + ')');
            }
            return null;
        }
        final Options options = new Options(name, params, spec.options);
        final long base = options.longValue("seed", Trainer.DEFAULT_SEED);
        final boolean standardize = spec.scaleSensitive && options.bool("standardize", true);
        // Built once now, so that a bad option stops the worker at start, not at its first fit.
        trainer(spec, options, base, standardize);
        final TribuoLearner.Task task = CLASSIFICATION.equals(kind) ? TribuoLearner.Task.CLASSIFICATION
                                                                    : TribuoLearner.Task.REGRESSION;
        return TribuoLearner.seeded(task, "Tribuo " + name + options.describe(),
                                    seed -> trainer(spec, options, mix(base, seed), standardize), 0);
    }

    /** A trainer seed from the option's seed and a worker's: different workers, different streams. */
    private static long mix(long base, long worker) {
        long z = base * 0x9E3779B97F4A7C15L + worker;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static Trainer<?> trainer(Spec spec, Options options, long seed, boolean standardize) {
        final Trainer<?> trainer;
        try {
            trainer = spec.build.apply(options, seed);
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(spec.name + ": " + e.getMessage());
        }
        // The features' mean and deviation come from the worker's rows and travel in the model.
        return standardize ? new TransformTrainer(trainer, new TransformationMap(List.of(new MeanStdDevTransformation())))
                           : trainer;
    }

    private static CARTClassificationTrainer cartClassifier(Options o, long seed, boolean randomSplits) {
        final String impurity = o.choice("impurity", List.of("gini", "entropy"), "gini");
        return new CARTClassificationTrainer(o.positiveInt("maxDepth", Integer.MAX_VALUE),
                                             (float) o.nonNegative("minChildWeight", 5),
                                             (float) o.nonNegative("minImpurityDecrease", 0),
                                             (float) o.fraction("fractionFeaturesInSplit", 1),
                                             randomSplits || o.bool("useRandomSplitPoints", false),
                                             "entropy".equals(impurity) ? new Entropy() : new GiniIndex(), seed);
    }

    private static CARTRegressionTrainer cartRegressor(Options o, long seed, boolean randomSplits) {
        final String impurity = o.choice("impurity", List.of("mse", "mae"), "mse");
        return new CARTRegressionTrainer(o.positiveInt("maxDepth", Integer.MAX_VALUE),
                                         (float) o.nonNegative("minChildWeight", 5),
                                         (float) o.nonNegative("minImpurityDecrease", 0),
                                         (float) o.fraction("fractionFeaturesInSplit", 1),
                                         randomSplits || o.bool("useRandomSplitPoints", false),
                                         "mae".equals(impurity) ? new MeanAbsoluteError() : new MeanSquaredError(),
                                         seed);
    }

    private static <T extends org.tribuo.Output<T>> void svmOptions(SVMParameters<T> p, Options o) {
        p.setCost(o.positive("cost", 1));
        if (o.has("gamma")) {
            p.setGamma(o.positive("gamma", 0));
        }
        p.setDegree(o.positiveInt("degree", 3));
        p.setCoeff(o.doubleValue("coef0", 0));
        p.setNu(o.fraction("nu", 0.5));
        p.setEpsilon(o.positive("eps", 0.001));
        p.getParameters().p = o.nonNegative("p", 0.1);
    }

    private static Distance distance(Options o) {
        switch (o.choice("distance", List.of("L2", "L1", "COSINE"), "L2")) {
            case "L1":
                return new L1Distance();
            case "COSINE":
                return new CosineDistance();
            default:
                return new L2Distance();
        }
    }

    /** A trainer's options as the worker file gives them: strings, checked against the trainer's names. */
    static final class Options {
        private final String trainer;
        private final Map<String, String> values;

        Options(String trainer, Map<String, String> values, List<String> known) {
            this.trainer = trainer;
            this.values = Map.copyOf(values);
            for (String key : values.keySet()) {
                if (!known.contains(key)) {
                    throw new IllegalArgumentException(trainer + ": unknown option '" + key + "' (expected: one of "
                                                       + known + ')');
                }
            }
        }

        Options withDefault(String key, String value) {
            if (values.containsKey(key)) {
                return this;
            }
            final Map<String, String> more = new LinkedHashMap<>(values);
            more.put(key, value);
            return new Options(trainer, more, List.copyOf(more.keySet()));
        }

        boolean has(String key) {
            return values.containsKey(key);
        }

        String describe() {
            return values.isEmpty() ? "" : values.entrySet().stream().sorted(Map.Entry.comparingByKey())
                                                 .map(e -> e.getKey() + '=' + e.getValue())
                                                 .collect(Collectors.joining(", ", "{", "}"));
        }

        private IllegalArgumentException invalid(String key, String expected) {
            return new IllegalArgumentException(trainer + ": " + key + ": '" + values.get(key) + "' (expected: "
                                                + expected + ')');
        }

        double doubleValue(String key, double otherwise) {
            final String v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            try {
                final double d = Double.parseDouble(v.trim());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // Falls through to the message.
            }
            throw invalid(key, "a number");
        }

        double positive(String key, double otherwise) {
            final double d = doubleValue(key, otherwise);
            if (values.containsKey(key) && !(d > 0)) {
                throw invalid(key, "a number > 0");
            }
            return d;
        }

        double nonNegative(String key, double otherwise) {
            final double d = doubleValue(key, otherwise);
            if (!(d >= 0)) {
                throw invalid(key, "a number >= 0");
            }
            return d;
        }

        double fraction(String key, double otherwise) {
            final double d = doubleValue(key, otherwise);
            if (!(d > 0 && d <= 1)) {
                throw invalid(key, "a number in (0, 1]");
            }
            return d;
        }

        int positiveInt(String key, int otherwise) {
            final String v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            try {
                final int i = Integer.parseInt(v.trim());
                if (i > 0) {
                    return i;
                }
            } catch (NumberFormatException e) {
                // Falls through to the message.
            }
            throw invalid(key, "an integer > 0");
        }

        long longValue(String key, long otherwise) {
            final String v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw invalid(key, "a 64-bit integer");
            }
        }

        boolean bool(String key, boolean otherwise) {
            final String v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            switch (v.trim().toLowerCase(Locale.ROOT)) {
                case "true":
                    return true;
                case "false":
                    return false;
                default:
                    throw invalid(key, "true or false");
            }
        }

        String choice(String key, List<String> choices, String otherwise) {
            final String v = values.get(key);
            if (v == null) {
                return otherwise;
            }
            for (String c : choices) {
                if (c.equalsIgnoreCase(v.trim())) {
                    return c;
                }
            }
            throw invalid(key, "one of " + choices);
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E otherwise) {
            final List<String> names = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
            return Enum.valueOf(type, choice(key, names, otherwise.name()));
        }
    }
}

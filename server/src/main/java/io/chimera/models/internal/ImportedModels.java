package io.chimera.models.internal;

import static io.chimera.models.internal.Artifacts.AGGREGATION;
import static io.chimera.models.internal.Artifacts.CLASSIFICATION;
import static io.chimera.models.internal.Artifacts.FORMAT_VERSION;
import static io.chimera.models.internal.Artifacts.PARAMETER_SERVER;
import static io.chimera.models.internal.Artifacts.REGRESSION;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.chimera.common.Table;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.ModelFormats;
import io.chimera.core.linear.Loss;
import io.chimera.node.StrategyRoutes;
import io.chimera.proto.v1.LinearModelParameters;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.StrategyModelData;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.strategy.Payload;
import io.chimera.strategy.StrategyModel;
import io.chimera.strategy.aggregation.internal.BaggedEnsemble;
import io.chimera.strategy.aggregation.internal.ModelAnswers;
import io.chimera.strategy.sgd.LinearModel;

/**
 * Turns a {@link ModelArtifact} back into a model that predicts. It checks everything a prediction relies on, so
 * that a bad artifact fails at start with one clear message rather than later in predict.
 */
public final class ImportedModels {

    /**
     * Checks an artifact and returns the model it holds, ready to predict.
     *
     * @throws IllegalArgumentException naming the first problem: the format version, the kind, the task, the
     *         columns, the classes, or a member or the parameters that do not fit them
     */
    public static Predictor predictor(ModelArtifact a) {
        return predictor(a, null);
    }

    /**
     * As {@link #predictor(ModelArtifact)}, looking for a strategy model's class with {@code loader} first (the
     * class loader of the master that fitted it or serves it: under {@code chimera run} a project's own classes
     * are only there), then the thread's context class loader, then chimera's.
     */
    public static Predictor predictor(ModelArtifact a, ClassLoader loader) {
        if (a.getFormatVersion() != FORMAT_VERSION) {
            throw invalid("format_version " + a.getFormatVersion() + " (expected: " + FORMAT_VERSION + ')'
                          + (a.getFormatVersion() == 0 ? "; is this a chimera model artifact?"
                                                       : "; this chimera reads version " + FORMAT_VERSION));
        }
        final String kind = a.getKind();
        final ModelArtifact.ModelCase expected;
        if (AGGREGATION.equals(kind)) {
            expected = ModelArtifact.ModelCase.BAGGING;
        } else if (PARAMETER_SERVER.equals(kind)) {
            // A linear model, or a network (MlpModel) as a strategy model.
            expected = a.getModelCase() == ModelArtifact.ModelCase.STRATEGY_MODEL
                       ? ModelArtifact.ModelCase.STRATEGY_MODEL : ModelArtifact.ModelCase.LINEAR;
        } else if (a.getModelCase() == ModelArtifact.ModelCase.STRATEGY_MODEL) {
            expected = ModelArtifact.ModelCase.STRATEGY_MODEL;
            try {
                StrategyRoutes.checkName(kind);
            } catch (IllegalArgumentException e) {
                throw invalid("kind: " + e.getMessage());
            }
        } else {
            throw invalid("kind '" + kind + "' (expected: " + AGGREGATION + ", " + PARAMETER_SERVER
                          + " or the name of a strategy with a strategy_model)");
        }
        if (a.getModelCase() != expected) {
            throw invalid("kind " + kind + " holds " + describe(a.getModelCase()) + " (expected: "
                          + describe(expected) + ')');
        }
        if (!CLASSIFICATION.equals(a.getTask()) && !REGRESSION.equals(a.getTask())) {
            throw invalid("task '" + a.getTask() + "' (expected: " + CLASSIFICATION + " or " + REGRESSION + ')');
        }
        final List<String> features = columns("feature_columns", a.getFeatureColumnsList());
        final double[] classes = classes("classes", a.getClassesList());
        if (CLASSIFICATION.equals(a.getTask()) != classes.length > 0) {
            throw invalid("task " + a.getTask() + " with " + classes.length + " classes (expected: "
                          + (classes.length > 0 ? "none for regression)" : "at least two for classification)"));
        }
        if (classes.length == 1) {
            throw invalid("classes " + a.getClassesList() + " (expected: at least two)");
        }
        switch (expected) {
            case BAGGING:
                return ensemble(a, features, classes);
            case LINEAR:
                return linear(a.getLinear(), features, classes);
            default:
                return strategyModel(a.getStrategyModel(), features, classes, loader);
        }
    }

    private static String describe(ModelArtifact.ModelCase c) {
        switch (c) {
            case BAGGING:
                return "a bagging ensemble";
            case LINEAR:
                return "a linear model";
            case STRATEGY_MODEL:
                return "a strategy model";
            default:
                return "no model";
        }
    }

    private static BaggedEnsemble ensemble(ModelArtifact a, List<String> features, double[] classes) {
        final List<WorkerModel> members = a.getBagging().getMembersList();
        if (members.isEmpty()) {
            throw invalid("bagging.members is empty (expected: at least one)");
        }
        final Set<String> columnSet = Set.copyOf(features);
        final TreeSet<Double> union = new TreeSet<>();
        final List<BaggedEnsemble.Member> out = new ArrayList<>();
        for (int i = 0; i < members.size(); i++) {
            final WorkerModel m = members.get(i);
            final String where = "bagging.members[" + i + "] (worker '" + m.getWorker() + "')";
            if (!m.getTask().equals(a.getTask())) {
                throw invalid(where + ": task '" + m.getTask() + "' (expected: " + a.getTask() + ')');
            }
            final List<String> own = columns(where + ".feature_columns", m.getFeatureColumnsList());
            if (!Set.copyOf(own).equals(columnSet)) {
                throw invalid(where + ": feature_columns " + own + " (expected: the columns " + features + ')');
            }
            final double[] memberClasses = classes(where + ".classes", m.getClassesList());
            if (memberClasses.length == 1 || (classes.length > 0) != (memberClasses.length > 0)) {
                throw invalid(where + ": classes " + m.getClassesList() + " for task " + a.getTask());
            }
            union.addAll(m.getClassesList());
            final FittedModel model;
            try {
                model = ModelFormats.read(m.getFormat(), m.getModel().toByteArray());
            } catch (IllegalArgumentException e) {
                throw invalid(where + ": " + e.getMessage());
            }
            final String mismatch = ModelAnswers.mismatch(model, own.size(), memberClasses);
            if (mismatch != null) {
                throw invalid(where + ": the model is " + mismatch);
            }
            out.add(new BaggedEnsemble.Member(m.getWorker(), m.getLearner(), model, own, memberClasses));
        }
        if (!new ArrayList<>(union).equals(a.getClassesList())) {
            throw invalid("classes " + a.getClassesList() + " (expected: the members' classes " + union + ')');
        }
        return new BaggedEnsemble(out);
    }

    private static LinearModel linear(LinearModelParameters p, List<String> features, double[] classes) {
        final Loss loss;
        final int k;
        try {
            loss = Loss.parse(p.getLoss());
            k = loss.outputs(classes.length);
        } catch (IllegalArgumentException e) {
            throw invalid("linear: " + e.getMessage());
        }
        if (loss.isClassification() != classes.length > 0) {
            throw invalid("linear.loss " + loss.lossName() + " for " + classes.length + " classes (expected: "
                          + (loss.isClassification() ? "a classification" : "a regression") + " task)");
        }
        final int d = features.size();
        final double[] weights = finite("linear.weights", p.getWeightsList(), k * d);
        final double[] bias = finite("linear.bias", p.getBiasList(), k);
        double[] mean = null;
        double[] scale = null;
        if (p.getFeatureMeanCount() > 0 || p.getFeatureScaleCount() > 0) {
            mean = finite("linear.feature_mean", p.getFeatureMeanList(), d);
            scale = finite("linear.feature_scale", p.getFeatureScaleList(), d);
            for (double s : scale) {
                if (!(s > 0)) {
                    throw invalid("linear.feature_scale holds " + s + " (expected: > 0)");
                }
            }
        }
        return new LinearModel(features, mean, scale, loss, classes, weights, bias);
    }

    /**
     * Reads a strategy's model back through the public constructor of its class that takes a
     * {@link Payload}. Only a {@link StrategyModel} class is loaded, and it is not initialised before that check,
     * so that an artifact cannot run code of any other class.
     */
    private static Predictor strategyModel(StrategyModelData data, List<String> features, double[] classes,
                                           ClassLoader loader) {
        final String name = data.getModelClass();
        final Class<?> type = modelClass(name, loader);
        if (!StrategyModel.class.isAssignableFrom(type)) {
            throw invalid("strategy_model.model_class " + name + " is not a " + StrategyModel.class.getName());
        }
        final StrategyModel model;
        try {
            model = (StrategyModel) type.getConstructor(Payload.class)
                                        .newInstance(Payload.fromProto(data.getPayload()));
        } catch (NoSuchMethodException e) {
            throw invalid("strategy_model.model_class " + name + " has no public constructor taking a "
                          + Payload.class.getName());
        } catch (InvocationTargetException e) {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw invalid("strategy_model.payload does not make a " + type.getSimpleName() + ": "
                          + (cause.getMessage() != null ? cause.getMessage() : cause.toString()));
        } catch (ReflectiveOperationException | LinkageError e) {
            throw invalid("strategy_model.model_class " + name + " cannot be built: " + e);
        }
        if (model.featureColumns() == null || model.classes() == null) {
            throw invalid("strategy_model " + name + " read back with no feature columns or classes");
        }
        if (!model.featureColumns().equals(features)) {
            throw invalid("strategy_model reads columns " + model.featureColumns() + " (expected: feature_columns "
                          + features + ')');
        }
        if (!java.util.Arrays.equals(model.classes(), classes)) {
            throw invalid("strategy_model has classes " + java.util.Arrays.toString(model.classes())
                          + " (expected: classes " + java.util.Arrays.toString(classes) + ')');
        }
        return model::predict;
    }

    /** The class {@code name}, not initialised, from the first of the loaders that has it. */
    private static Class<?> modelClass(String name, ClassLoader loader) {
        final List<ClassLoader> loaders = new ArrayList<>();
        for (ClassLoader l : new ClassLoader[] { loader, Thread.currentThread().getContextClassLoader(),
                                                 ImportedModels.class.getClassLoader() }) {
            if (l != null && !loaders.contains(l)) {
                loaders.add(l);
            }
        }
        for (ClassLoader l : loaders) {
            try {
                return Class.forName(name, false, l);
            } catch (ClassNotFoundException | LinkageError e) {
                // the next loader, if any
            }
        }
        throw invalid("strategy_model.model_class " + name + " is not on the class path (the strategy's classes "
                      + "must be, to serve its model)");
    }

    private static List<String> columns(String what, List<String> names) {
        if (names.isEmpty()) {
            throw invalid(what + " is empty (expected: the model's feature columns)");
        }
        final Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!n.equals(Table.normalize(n)) || n.isEmpty() || !seen.add(n)) {
                throw invalid(what + ": '" + n + "' (expected: unique, non-empty, trimmed, lower-case names)");
            }
        }
        return names;
    }

    private static double[] classes(String what, List<Double> labels) {
        final double[] out = new double[labels.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels.get(i);
            if (!Double.isFinite(out[i]) || i > 0 && out[i] <= out[i - 1]) {
                throw invalid(what + " " + labels + " (expected: finite and ascending)");
            }
        }
        return out;
    }

    private static double[] finite(String what, List<Double> values, int expected) {
        if (values.size() != expected) {
            throw invalid(what + " has " + values.size() + " values (expected: " + expected + ')');
        }
        final double[] out = new double[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = values.get(i);
            if (!Double.isFinite(out[i])) {
                throw invalid(what + "[" + i + "] is " + out[i] + " (expected: finite)");
            }
        }
        return out;
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException(problem);
    }

    private ImportedModels() {}
}

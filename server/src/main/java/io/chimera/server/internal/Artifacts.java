package io.chimera.server.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.proto.v1.BaggingEnsemble;
import io.chimera.proto.v1.LinearModelParameters;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.workers.internal.ModelAnswers;
import io.chimera.workers.learn.FittedModel;
import io.chimera.workers.learn.ModelFormats;
import io.chimera.workers.sgd.Loss;

/**
 * Writes, reads and checks {@link ModelArtifact}s, the self-contained form of a fitted model that a master
 * exports and a {@code ModelMaster} serves. Reading checks everything a prediction relies on, so that a bad
 * artifact fails at start with one clear message rather than later in predict.
 */
public final class Artifacts {

    /** The artifact layout this build writes and reads. */
    public static final int FORMAT_VERSION = 1;
    /** The kind of an artifact exported by an {@code AggregationMaster}. */
    public static final String AGGREGATION = "aggregation";
    /** The kind of an artifact exported by a {@code ParameterServerMaster}. */
    public static final String PARAMETER_SERVER = "parameter-server";
    static final String CLASSIFICATION = "classification";
    static final String REGRESSION = "regression";
    static final String PRODUCER = "chimera-java";

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    /**
     * The artifact of a bagging ensemble, one member per worker that held a model, in worker order.
     *
     * @throws ChimeraException 409 {@code DataMismatchError} when the workers disagree on the task or the
     *         columns (no master could combine them); 500 when a member does not read back
     */
    public static ModelArtifact bagging(List<WorkerModel> members) {
        final WorkerModel first = members.get(0);
        final TreeSet<Double> classes = new TreeSet<>();
        for (WorkerModel m : members) {
            if (!m.getTask().equals(first.getTask())) {
                throw mismatch("worker " + m.getWorker() + " does " + m.getTask() + " but worker "
                               + first.getWorker() + " does " + first.getTask());
            }
            if (!Set.copyOf(m.getFeatureColumnsList()).equals(Set.copyOf(first.getFeatureColumnsList()))) {
                throw mismatch("worker " + m.getWorker() + " has columns " + m.getFeatureColumnsList()
                               + " but worker " + first.getWorker() + " has " + first.getFeatureColumnsList()
                               + " (expected: the same columns on every worker)");
            }
            classes.addAll(m.getClassesList());
        }
        final ModelArtifact artifact = header(AGGREGATION, first.getTask(), first.getFeatureColumnsList(), classes)
                .setBagging(BaggingEnsemble.newBuilder().addAllMembers(members)).build();
        checkReadsBack(artifact);
        return artifact;
    }

    /** The artifact of the parameter server's fitted linear model. */
    public static ModelArtifact linear(LinearModel model) {
        final List<Double> classes = new ArrayList<>();
        for (double c : model.classes()) {
            classes.add(c);
        }
        final ModelArtifact artifact = header(PARAMETER_SERVER, model.loss().isClassification() ? CLASSIFICATION
                                                                                                : REGRESSION,
                                              model.features(), classes)
                .setLinear(model.toParameters()).build();
        checkReadsBack(artifact);
        return artifact;
    }

    private static ModelArtifact.Builder header(String kind, String task, List<String> features,
                                                Iterable<Double> classes) {
        return ModelArtifact.newBuilder().setFormatVersion(FORMAT_VERSION).setKind(kind).setTask(task)
                            .addAllFeatureColumns(features).addAllClasses(classes)
                            .setCreatedTime(Timestamps.fromMillis(System.currentTimeMillis()))
                            .setProducer(PRODUCER);
    }

    /** An export must never hand out what an import refuses. */
    private static void checkReadsBack(ModelArtifact artifact) {
        try {
            predictor(artifact);
        } catch (IllegalArgumentException e) {
            throw ChimeraException.internal("the exported model does not read back: " + e.getMessage());
        }
    }

    private static ChimeraException mismatch(String message) {
        return new ChimeraException(409, "DataMismatchError", "cannot export one model: " + message);
    }

    /**
     * Reads an artifact from its JSON form (what {@code GET /v1/chimera/<kind>/model} answers over REST) or its
     * protobuf binary form (over gRPC); unknown JSON fields are ignored, so that a newer artifact is refused
     * by its {@code format_version} rather than by a field name.
     *
     * @throws IllegalArgumentException if {@code content} is neither, saying why
     */
    public static ModelArtifact parse(byte[] content) {
        int i = 0;
        if (content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
            && (content[2] & 0xff) == 0xbf) {
            i = 3; // a UTF-8 byte-order mark
        }
        while (i < content.length && Character.isWhitespace(content[i])) {
            i++;
        }
        if (i == content.length) {
            throw new IllegalArgumentException("empty (expected: a chimera model artifact, JSON or protobuf)");
        }
        if (content[i] == '{') {
            final ModelArtifact.Builder b = ModelArtifact.newBuilder();
            try {
                PARSER.merge(new String(content, i, content.length - i, StandardCharsets.UTF_8), b);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
                throw new IllegalArgumentException("not a valid artifact JSON: " + e.getMessage());
            }
            return b.build();
        }
        try {
            return ModelArtifact.parseFrom(content);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("neither JSON nor a protobuf ModelArtifact: " + e.getMessage());
        }
    }

    /**
     * Checks an artifact and returns the model it holds, ready to predict.
     *
     * @throws IllegalArgumentException naming the first problem: the format version, the kind, the task, the
     *         columns, the classes, or a member or the parameters that do not fit them
     */
    public static Predictor predictor(ModelArtifact a) {
        if (a.getFormatVersion() != FORMAT_VERSION) {
            throw invalid("format_version " + a.getFormatVersion() + " (expected: " + FORMAT_VERSION + ')'
                          + (a.getFormatVersion() == 0 ? "; is this a chimera model artifact?"
                                                       : "; this chimera reads version " + FORMAT_VERSION));
        }
        final String kind = a.getKind();
        if (!AGGREGATION.equals(kind) && !PARAMETER_SERVER.equals(kind)) {
            throw invalid("kind '" + kind + "' (expected: " + AGGREGATION + " or " + PARAMETER_SERVER + ')');
        }
        final ModelArtifact.ModelCase expected = AGGREGATION.equals(kind) ? ModelArtifact.ModelCase.BAGGING
                                                                          : ModelArtifact.ModelCase.LINEAR;
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
        return expected == ModelArtifact.ModelCase.BAGGING ? ensemble(a, features, classes)
                                                           : linear(a.getLinear(), features, classes);
    }

    private static String describe(ModelArtifact.ModelCase c) {
        switch (c) {
            case BAGGING:
                return "a bagging ensemble";
            case LINEAR:
                return "a linear model";
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

    private Artifacts() {}
}

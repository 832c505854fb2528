package io.chimera.models.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.google.protobuf.util.Timestamps;

import io.chimera.common.ChimeraException;
import io.chimera.models.ModelMaster;
import io.chimera.proto.v1.BaggingEnsemble;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.StrategyModelData;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.strategy.sgd.LinearModel;

/**
 * Writes and parses {@link ModelArtifact}s, the self-contained form of a fitted model that a master exports and
 * a {@code ModelMaster} serves; {@link ImportedModels} checks them.
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
        checkReadsBack(artifact, null);
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
        checkReadsBack(artifact, null);
        return artifact;
    }

    /**
     * The artifact of a model fitted by a strategy written with the strategy API: its class and its payload.
     *
     * @throws ChimeraException 500 when the model does not read back (a class with no public constructor taking
     *         a {@link io.chimera.strategy.Payload}, say)
     */
    public static ModelArtifact strategy(String kind, io.chimera.strategy.StrategyModel model) {
        final List<Double> classes = new ArrayList<>();
        for (double c : model.classes()) {
            classes.add(c);
        }
        final ModelArtifact artifact =
                header(kind, classes.isEmpty() ? REGRESSION : CLASSIFICATION, model.featureColumns(), classes)
                        .setStrategyModel(StrategyModelData.newBuilder().setModelClass(model.getClass().getName())
                                                           .setPayload(model.toPayload().toProto()))
                        .build();
        checkReadsBack(artifact, model.getClass().getClassLoader());
        return artifact;
    }

    private static ModelArtifact.Builder header(String kind, String task, List<String> features,
                                                Iterable<Double> classes) {
        return ModelArtifact.newBuilder().setFormatVersion(FORMAT_VERSION).setKind(kind).setTask(task)
                            .addAllFeatureColumns(features).addAllClasses(classes)
                            .setCreatedTime(Timestamps.fromMillis(System.currentTimeMillis()))
                            .setProducer(PRODUCER);
    }

    /**
     * An export must never hand out what an import refuses; a strategy model's class is looked for with
     * {@code loader} first (see {@link ImportedModels#predictor(ModelArtifact, ClassLoader)}).
     */
    private static void checkReadsBack(ModelArtifact artifact, ClassLoader loader) {
        try {
            ImportedModels.predictor(artifact, loader);
        } catch (IllegalArgumentException e) {
            throw ChimeraException.internal("the exported model does not read back: " + e.getMessage());
        }
    }

    private static ChimeraException mismatch(String message) {
        return new ChimeraException(409, "DataMismatchError", "cannot export one model: " + message);
    }

    /** When {@code artifact} was exported; now when it does not say. */
    public static Instant createdTime(ModelArtifact artifact) {
        return artifact.hasCreatedTime() ? Instant.ofEpochSecond(artifact.getCreatedTime().getSeconds(),
                                                                 artifact.getCreatedTime().getNanos())
                                         : Instant.now();
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

    private Artifacts() {}
}

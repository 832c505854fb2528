package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;

import io.chimera.common.Table;
import io.chimera.core.data.BootstrapSampler;
import io.chimera.core.data.CsvDatasetLoader;
import io.chimera.core.data.Dataset;
import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.core.learn.DecisionTreeModel;
import io.chimera.core.linear.Loss;
import io.chimera.models.ModelMaster;
import io.chimera.models.internal.Artifacts;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.WorkerModel;
import io.chimera.strategy.sgd.LinearModel;

/** Artifacts built in this JVM: what they hold, how they read back, and how bad ones are refused. */
class ModelArtifactTest {

    static final Dataset IRIS = CsvDatasetLoader.load(TestProject.train("iris"));

    /** A binary logistic model over two standardised features. */
    static ModelArtifact linearArtifact() {
        return Artifacts.linear(new LinearModel(List.of("a", "b"), new double[] { 1, 2 }, new double[] { 0.5, 4 },
                                                Loss.LOG_LOSS, new double[] { 0, 1 }, new double[] { 0.3, -1.5 },
                                                new double[] { 0.25 }));
    }

    static DecisionTreeModel tree(long seed) {
        final int[] rows = BootstrapSampler.sample(IRIS.rows(), new SplittableRandom(seed));
        return DecisionTreeClassifier.builder().maxDepth(3).build().fit(IRIS.select(rows));
    }

    static WorkerModel member(String worker, DecisionTreeModel tree) {
        final WorkerModel.Builder m = WorkerModel.newBuilder().setWorker(worker).setTask("classification")
                                                 .setLearner("DecisionTreeClassifier").setFormat(tree.format())
                                                 .setModel(ByteString.copyFrom(tree.toBytes()))
                                                 .addAllFeatureColumns(IRIS.featureNames());
        Arrays.stream(IRIS.distinctLabels()).forEach(m::addClasses);
        return m.build();
    }

    /** Two bagged iris trees. */
    static ModelArtifact baggingArtifact() {
        return Artifacts.bagging(List.of(member("w1", tree(1)), member("w2", tree(2))));
    }

    @Test
    void bagging_holdsEveryMemberAndAveragesTheirProbabilities() {
        final ModelArtifact a = baggingArtifact();
        assertThat(a.getFormatVersion()).isEqualTo(1);
        assertThat(a.getKind()).isEqualTo("aggregation");
        assertThat(a.getTask()).isEqualTo("classification");
        assertThat(a.getFeatureColumnsList()).isEqualTo(IRIS.featureNames());
        assertThat(a.getClassesList()).containsExactly(0.0, 1.0, 2.0);
        assertThat(a.hasCreatedTime()).isTrue();
        assertThat(a.getBagging().getMembersList()).extracting(WorkerModel::getWorker).containsExactly("w1", "w2");

        final Table table = Table.of(IRIS.featureNames(), IRIS.features(), IRIS.rows());
        final PredictResponse res = ModelMaster.of(a).predict(table);
        final double[] p1 = tree(1).predict(IRIS.features(), IRIS.rows());
        final double[] p2 = tree(2).predict(IRIS.features(), IRIS.rows());
        assertThat(res.getYPredProba().getRows()).isEqualTo(IRIS.rows());
        for (int i = 0; i < p1.length; i++) {
            assertThat(res.getYPredProba().getValues(i)).isEqualTo((p1[i] + p2[i]) / 2);
        }
    }

    @Test
    void linear_holdsEverythingThePredictionNeeds() {
        final ModelArtifact a = linearArtifact();
        assertThat(a.getKind()).isEqualTo("parameter-server");
        assertThat(a.getLinear().getLoss()).isEqualTo("log_loss");
        assertThat(a.getLinear().getFeatureMeanList()).containsExactly(1.0, 2.0);
        assertThat(a.getLinear().getFeatureScaleList()).containsExactly(0.5, 4.0);
        // z = 0.25 + 0.3 * (3 - 1) / 0.5 - 1.5 * (6 - 2) / 4 = -0.05
        final PredictResponse res = ModelMaster.of(a).predict(Table.of(List.of("b", "a"),
                                                                              new double[] { 6, 3 }, 1));
        assertThat(res.getYPredRows(0)).isCloseTo(1 / (1 + Math.exp(0.05)), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void jsonAndBinaryForms_readBackTheSameArtifact(@TempDir Path dir) throws Exception {
        for (ModelArtifact a : List.of(baggingArtifact(), linearArtifact())) {
            Files.writeString(dir.resolve("a.json"), "\ufeff\n " + JsonFormat.printer().print(a));
            Files.write(dir.resolve("a.pb"), a.toByteArray());
            assertThat(ModelMaster.read(dir.resolve("a.json")).artifact()).isEqualTo(a);
            assertThat(ModelMaster.read(dir.resolve("a.pb")).artifact()).isEqualTo(a);
        }
    }

    static Stream<Arguments> badArtifacts() {
        final ModelArtifact bagging = baggingArtifact();
        final ModelArtifact linear = linearArtifact();
        return Stream.of(
                bad("wrong format version", bagging, a -> a.setFormatVersion(2),
                    "format_version 2 (expected: 1); this chimera reads version 1"),
                bad("no format version", bagging, a -> a.clearFormatVersion(),
                    "format_version 0 (expected: 1); is this a chimera model artifact?"),
                bad("unknown kind", bagging, a -> a.setKind("forest"),
                    "kind 'forest' (expected: aggregation, parameter-server or the name of a strategy with a "
                    + "strategy_model)"),
                bad("kind of the other master", linear, a -> a.setKind("aggregation"),
                    "kind aggregation holds a linear model (expected: a bagging ensemble)"),
                bad("no model", linear, a -> a.clearLinear(),
                    "kind parameter-server holds no model (expected: a linear model)"),
                bad("unknown task", bagging, a -> a.setTask("clustering"),
                    "task 'clustering' (expected: classification or regression)"),
                bad("classes of a regression", linear, a -> a.setTask("regression"),
                    "task regression with 2 classes (expected: none for regression)"),
                bad("no feature columns", bagging, a -> a.clearFeatureColumns(),
                    "feature_columns is empty (expected: the model's feature columns)"),
                bad("duplicate feature column", linear, a -> a.setFeatureColumns(1, "a"),
                    "feature_columns: 'a' (expected: unique, non-empty, trimmed, lower-case names)"),
                bad("classes not the members'", bagging, a -> a.clearClasses().addClasses(0).addClasses(1),
                    "classes [0.0, 1.0] (expected: the members' classes [0.0, 1.0, 2.0])"),
                bad("no members", bagging, a -> a.setBagging(a.getBagging().toBuilder().clearMembers()),
                    "bagging.members is empty (expected: at least one)"),
                bad("truncated tree", bagging, a -> a.getBaggingBuilder().getMembersBuilder(1).setModel(
                            a.getBagging().getMembers(1).getModel().substring(0, 40)),
                    "bagging.members[1] (worker 'w2'): Invalid decision tree bytes: "),
                bad("unknown model format", bagging, a -> a.getBaggingBuilder().getMembersBuilder(0)
                                                              .setFormat("random_forest"),
                    "bagging.members[0] (worker 'w1'): model format 'random_forest' (expected: one of "
                    + "[decision_tree, tribuo]"),
                bad("member columns", bagging, a -> a.getBaggingBuilder().getMembersBuilder(0)
                                                       .setFeatureColumns(0, "colour"),
                    "bagging.members[0] (worker 'w1'): feature_columns [colour, "),
                bad("member regressor in a classification", bagging, a -> a.getBaggingBuilder()
                                                                           .getMembersBuilder(0).clearClasses(),
                    "bagging.members[0] (worker 'w1'): classes [] for task classification"),
                bad("unknown loss", linear, a -> a.getLinearBuilder().setLoss("cubic"),
                    "linear: loss: cubic (expected: one of squared_error, log_loss, hinge)"),
                bad("weights of the wrong size", linear, a -> a.getLinearBuilder().addWeights(1),
                    "linear.weights has 3 values (expected: 2)"),
                bad("a weight not finite", linear, a -> a.getLinearBuilder().setWeights(1, Double.NaN),
                    "linear.weights[1] is NaN (expected: finite)"),
                bad("a zero scale", linear, a -> a.getLinearBuilder().setFeatureScale(0, 0),
                    "linear.feature_scale holds 0.0 (expected: > 0)"),
                bad("a mean without scale", linear, a -> a.getLinearBuilder().clearFeatureScale(),
                    "linear.feature_scale has 0 values (expected: 2)"));
    }

    static Arguments bad(String name, ModelArtifact valid, Consumer<ModelArtifact.Builder> change, String message) {
        final ModelArtifact.Builder b = valid.toBuilder();
        change.accept(b);
        return Arguments.of(name, b.build(), message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArtifacts")
    void invalidArtifact_isRefusedNamingTheFileAndTheProblem(String name, ModelArtifact artifact, String message,
                                                             @TempDir Path dir) throws Exception {
        final Path file = dir.resolve("model.json");
        Files.writeString(file, JsonFormat.printer().print(artifact));
        assertThatThrownBy(() -> ModelMaster.read(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model artifact " + file + ": " + message);
        assertThatThrownBy(() -> ModelMaster.of(artifact))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("model artifact: " + message);
    }

    @Test
    void truncatedOrForeignFiles_areRefusedClearly(@TempDir Path dir) throws Exception {
        final String json = JsonFormat.printer().print(baggingArtifact());
        final byte[] binary = linearArtifact().toByteArray();
        final Path file = dir.resolve("model");
        Files.writeString(file, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> ModelMaster.read(file)).hasMessageStartingWith(
                "model artifact " + file + ": not a valid artifact JSON: ");
        Files.write(file, Arrays.copyOf(binary, binary.length - 1));
        assertThatThrownBy(() -> ModelMaster.read(file)).hasMessageStartingWith(
                "model artifact " + file + ": neither JSON nor a protobuf ModelArtifact: ");
        // Foreign JSON (a master's status answer); "fit" would not do, since it is an artifact field now.
        Files.writeString(file, "{\"status\": \"ok\"}");
        assertThatThrownBy(() -> ModelMaster.read(file)).hasMessage(
                "model artifact " + file + ": format_version 0 (expected: 1); is this a chimera model artifact?");
        Files.writeString(file, " \n");
        assertThatThrownBy(() -> ModelMaster.read(file)).hasMessage(
                "model artifact " + file + ": empty (expected: a chimera model artifact, JSON or protobuf)");
        Files.write(file, "X_train,a,b\n1,2,3\n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelMaster.read(file)).hasMessageStartingWith(
                "model artifact " + file + ": ");
        assertThatThrownBy(() -> ModelMaster.read(dir.resolve("missing.json"))).hasMessageStartingWith(
                "model artifact " + dir.resolve("missing.json") + ": cannot read: ");
    }
}

package io.chimera.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;

class ModelFormatsTest {

    @Test
    void decisionTree_roundTripsByFormatName() {
        final Dataset iris = TestDatasets.train("iris");
        final DecisionTreeModel tree = DecisionTreeClassifier.builder().maxDepth(4).build().fit(iris);
        final FittedModel read = ModelFormats.read(tree.format(), tree.toBytes());
        assertThat(read).isEqualTo(tree);
        assertThat(read.predict(iris.features(), iris.rows())).containsExactly(tree.predict(iris.features(),
                                                                                            iris.rows()));
    }

    @Test
    void serviceRegisteredFormat_isReadable() {
        assertThat(ModelFormats.names()).containsExactly(ModelFormats.DECISION_TREE, ConstantModel.FORMAT);
        final ConstantModel model = new ConstantModel(3, 2.5, ConstantModel.FORMAT);
        final FittedModel read = ModelFormats.read(ConstantModel.FORMAT, model.toBytes());
        assertThat(read.featureCount()).isEqualTo(3);
        assertThat(read.predict(new double[6], 2)).containsExactly(2.5, 2.5);
    }

    @Test
    void unknownFormat_listsTheKnownOnes() {
        assertThatThrownBy(() -> ModelFormats.read("forest", new byte[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("model format 'forest' (expected: one of [decision_tree, test_constant]; a custom "
                            + "format is registered in META-INF/services/io.chimera.core.learn.ModelFormat)");
    }

    @Test
    void badBytes_sayWhatIsWrong() {
        assertThatThrownBy(() -> ModelFormats.read(ModelFormats.DECISION_TREE, new byte[] { 1, 2, 3 }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid decision tree bytes: ");
    }
}

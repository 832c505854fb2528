package io.chimera.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;

class DecisionTreeModelTest {

    /** Offset of the node count in the bytes of a one-feature ("x") regressor. */
    private static final int REGRESSOR_NODE_COUNT_OFFSET = 4 + 2 + 1 + 4 + 2 + 1 + 4;

    private static DecisionTreeModel irisModel() {
        return DecisionTreeClassifier.builder().maxDepth(4).build().fit(TestDatasets.train("iris"));
    }

    private static DecisionTreeModel stump() {
        final Dataset data = Dataset.of(List.of("x"), new double[] { 1, 2, 3, 4 }, 4, "y",
                                        new double[] { 1, 1, 5, 5 });
        return DecisionTreeRegressor.builder().build().fit(data);
    }

    @Test
    void fromBytes_classifierRoundTrip_predictsIdentically() {
        final DecisionTreeModel model = irisModel();
        final DecisionTreeModel copy = DecisionTreeModel.fromBytes(model.toBytes());
        final Dataset test = TestDatasets.test("iris");

        assertThat(copy).isEqualTo(model);
        assertThat(copy.describe()).isEqualTo(model.describe());
        assertThat(copy.predict(test.features(), test.rows()))
                .containsExactly(model.predict(test.features(), test.rows()));
    }

    @Test
    void fromBytes_regressorRoundTrip_predictsIdentically() {
        final DecisionTreeModel model = DecisionTreeRegressor.builder().maxDepth(6).build()
                                                             .fit(TestDatasets.train("wine-like"));
        final DecisionTreeModel copy = DecisionTreeModel.fromBytes(model.toBytes());
        final Dataset test = TestDatasets.test("wine-like");

        assertThat(copy).isEqualTo(model);
        assertThat(copy.classes()).isEmpty();
        assertThat(copy.predict(test.features(), test.rows()))
                .containsExactly(model.predict(test.features(), test.rows()));
    }

    @Test
    void toBytes_isCompact() {
        // Header, one name, node count, and 3 nodes of 32 bytes plus one value each.
        assertThat(stump().toBytes()).hasSize(REGRESSOR_NODE_COUNT_OFFSET + 4 + 3 * (32 + 8));
    }

    @Test
    void fromBytes_badMagic_rejected() {
        final byte[] bytes = stump().toBytes();
        bytes[0] = 'X';

        assertThatThrownBy(() -> DecisionTreeModel.fromBytes(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid decision tree bytes: magic 58485452 (expected: 43485452, a chimera decision tree)");
    }

    @Test
    void fromBytes_unknownVersion_rejected() {
        final byte[] bytes = stump().toBytes();
        bytes[5] = 9;

        assertThatThrownBy(() -> DecisionTreeModel.fromBytes(bytes))
                .hasMessage("Invalid decision tree bytes: version 9 (expected: 1)");
    }

    @Test
    void fromBytes_truncated_rejected() {
        final byte[] bytes = stump().toBytes();

        for (int length : new int[] { 0, 3, 10, bytes.length - 1 }) {
            assertThatThrownBy(() -> DecisionTreeModel.fromBytes(Arrays.copyOf(bytes, length)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("Invalid decision tree bytes: ");
        }
    }

    @Test
    void fromBytes_trailingBytes_rejected() {
        final byte[] bytes = stump().toBytes();

        assertThatThrownBy(() -> DecisionTreeModel.fromBytes(Arrays.copyOf(bytes, bytes.length + 2)))
                .hasMessage("Invalid decision tree bytes: 2 bytes after the last node");
    }

    @Test
    void fromBytes_hugeNodeCount_rejectedWithoutAllocating() {
        final byte[] bytes = stump().toBytes();
        ByteBuffer.wrap(bytes).putInt(REGRESSOR_NODE_COUNT_OFFSET, Integer.MAX_VALUE);

        assertThatThrownBy(() -> DecisionTreeModel.fromBytes(bytes))
                .hasMessageStartingWith("Invalid decision tree bytes: node count 2147483647 (expected: >= 0 and");
    }

    @Test
    void fromBytes_childPointingBackwards_rejected() {
        final byte[] bytes = stump().toBytes();
        // The root's left child, after its feature and threshold.
        ByteBuffer.wrap(bytes).putInt(REGRESSOR_NODE_COUNT_OFFSET + 4 + 4 + 8, 0);

        assertThatThrownBy(() -> DecisionTreeModel.fromBytes(bytes))
                .hasMessageStartingWith("Invalid decision tree bytes: node 0: child 0 (expected: a node after it");
    }

    @Test
    void fromBytes_featureOutOfRange_rejected() {
        final byte[] bytes = stump().toBytes();
        ByteBuffer.wrap(bytes).putInt(REGRESSOR_NODE_COUNT_OFFSET + 4, 1);

        assertThatThrownBy(() -> DecisionTreeModel.fromBytes(bytes))
                .hasMessageStartingWith("Invalid decision tree bytes: node 0: feature 1, threshold 2.5");
    }

    @Test
    void predict_wrongLength_rejected() {
        assertThatThrownBy(() -> stump().predict(new double[3], 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("features.length: 3 (expected: rows * featureCount = 2 * 1)");
    }

    @Test
    void describe_showsSplitsAndLeaves() {
        assertThat(stump().describe()).isEqualTo("x <= 2.5 (samples=4, impurity=4.0)\n" +
                                                 "  leaf [1.0] (samples=2, impurity=0.0)\n" +
                                                 "  leaf [5.0] (samples=2, impurity=0.0)\n");
        assertThat(stump()).hasToString("DecisionTreeModel{regressor, features=1, nodes=3, depth=1, leaves=2}");
    }
}

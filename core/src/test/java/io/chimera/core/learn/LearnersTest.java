package io.chimera.core.learn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class LearnersTest {

    @Test
    void create_classifierWithParameters_appliesThem() {
        final Learner learner = Learners.create("decision_tree_classifier",
                                                Map.of("max_depth", "5", "max_leaf_nodes", "15",
                                                       "min_samples_split", "4", "min_samples_leaf", "2",
                                                       "max_features", "3", "criterion", "Entropy", "seed", "-7"));

        assertThat(learner).isInstanceOf(DecisionTreeClassifier.class)
                           .hasToString("DecisionTreeClassifier{criterion=ENTROPY, maxDepth=5, maxLeafNodes=15, " +
                                        "minSamplesSplit=4, minSamplesLeaf=2, maxFeatures=3, seed=-7}");
    }

    @Test
    void create_regressorWithoutParameters_usesDefaults() {
        assertThat(Learners.create("decision_tree_regressor", Map.of()))
                .hasToString(DecisionTreeRegressor.builder().build().toString());
    }

    @Test
    void create_unknownName_listsValidNames() {
        assertThatThrownBy(() -> Learners.create("random_forest", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("name: 'random_forest' (expected: one of " +
                            "[decision_tree_classifier, decision_tree_regressor])");
    }

    @Test
    void create_unknownParameter_listsValidParameters() {
        assertThatThrownBy(() -> Learners.create("decision_tree_regressor", Map.of("criterion", "gini")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decision_tree_regressor: unknown parameter 'criterion' (expected: one of " +
                            "[max_depth, max_leaf_nodes, min_samples_split, min_samples_leaf, max_features, seed])");
    }

    @Test
    void create_nonIntegerValue_rejected() {
        assertThatThrownBy(() -> Learners.create("decision_tree_classifier", Map.of("max_depth", "five")))
                .hasMessage("max_depth: 'five' (expected: an integer)");
    }

    @Test
    void create_invalidValue_rejectedByBuilder() {
        assertThatThrownBy(() -> Learners.create("decision_tree_classifier", Map.of("min_samples_leaf", "0")))
                .hasMessage("minSamplesLeaf: 0 (expected: > 0)");
    }

    @Test
    void create_unknownCriterion_listsValidOnes() {
        assertThatThrownBy(() -> Learners.create("decision_tree_classifier", Map.of("criterion", "log_loss")))
                .hasMessage("criterion: 'log_loss' (expected: one of [gini, entropy])");
    }
}

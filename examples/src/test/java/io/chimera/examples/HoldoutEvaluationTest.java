package io.chimera.examples;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

class HoldoutEvaluationTest {

    @Test
    void breastCancer_fourBaggedTrees_throughTheClientSdk() throws Exception {
        final ObjectNode m = HoldoutEvaluation.evaluate("breast-cancer", 4);
        // scikit-learn, 4 bagged depth-5 trees: accuracy .904, ROC AUC .942.
        assertThat(m.get("accuracy").asDouble()).isGreaterThanOrEqualTo(0.89);
        assertThat(m.get("roc_auc").asDouble()).isGreaterThanOrEqualTo(0.93);
        assertThat(m.get("per_class").get("1").get("f1").asDouble()).isBetween(0.8, 1.0);
        assertThat(m.get("rows").asInt()).isEqualTo(114);
    }
}

package io.chimera.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.core.learn.DecisionTreeRegressor;
import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.strategy.aggregation.RegressionWorker;
import io.chimera.strategy.parameterserver.SGDWorker;
import io.chimera.tribuo.TribuoLearner;

class DeclarativeWorkerTest {

    @Test
    void classification_buildsTheLearnerWithItsParameters() {
        final Worker w = DeclarativeWorker.fromJson(
                "{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\","
                + " \"params\": {\"max_depth\": 5, \"criterion\": \"entropy\"}, \"bootstrap\": true, \"seed\": 7}",
                "tree1.json");
        assertThat(w).isInstanceOf(ClassificationWorker.class);
        final ClassificationWorker c = (ClassificationWorker) w;
        assertThat(c.bootstrap()).isTrue();
        assertThat(c.learner()).isInstanceOf(DecisionTreeClassifier.class);
        assertThat(c.learner().toString()).contains("maxDepth=5").contains("ENTROPY");
    }

    @Test
    void regressionAndSgd_build() {
        final Worker r = DeclarativeWorker.fromJson(
                "{\"kind\": \"regression\", \"learner\": \"decision_tree_regressor\"}", "r.json");
        assertThat(((RegressionWorker) r).learner()).isInstanceOf(DecisionTreeRegressor.class);
        assertThat(((RegressionWorker) r).bootstrap()).isFalse();
        assertThat(DeclarativeWorker.fromJson("{\"kind\": \"sgd\", \"loss\": \"log_loss\"}", "s.json"))
                .isInstanceOf(SGDWorker.class);
    }

    @Test
    void aTribuoTrainer_byItsNameAndOptions() {
        final Worker w = DeclarativeWorker.fromJson("{\"kind\": \"classification\", \"learner\": "
                                                    + "\"XGBoostClassificationTrainer\", \"params\": {\"numTrees\": 5, "
                                                    + "\"maxDepth\": 3}, \"bootstrap\": true}", "x.json");
        assertThat(((ClassificationWorker) w).learner()).isInstanceOf(TribuoLearner.class)
                .hasToString("Tribuo XGBoostClassificationTrainer{maxDepth=3, numTrees=5}");
        assertThat(((ClassificationWorker) w).bootstrap()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "malformed JSON|{\"kind\": |malformed JSON",
            "not an object|[1, 2]|expected a JSON object",
            "missing kind|{\"learner\": \"decision_tree_classifier\"}|kind: missing (expected: one of [classification, regression, sgd, federated-averaging, all-reduce])",
            "unknown kind|{\"kind\": \"forest\"}|kind: 'forest' (expected: one of [classification, regression, sgd, federated-averaging, all-reduce])",
            "unknown key|{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", \"depth\": 3}|unknown key 'depth' for kind classification (expected: [kind, learner, params, bootstrap, seed])",
            "missing learner|{\"kind\": \"regression\"}|learner: missing (expected: one of [decision_tree_classifier, decision_tree_regressor, CARTRegressionTrainer, RandomForestTrainer, ExtraTreesTrainer, XGBoostRegressionTrainer, LibSVMRegressionTrainer, LibLinearRegressionTrainer, KNNTrainer, LinearSGDTrainer])",
            "unknown learner|{\"kind\": \"classification\", \"learner\": \"knn\"}|learner: 'knn' (expected: one of [decision_tree_classifier, decision_tree_regressor, CARTClassificationTrainer, RandomForestTrainer, ExtraTreesTrainer, XGBoostClassificationTrainer, LibSVMClassificationTrainer, LibLinearClassificationTrainer, KNNTrainer, MultinomialNaiveBayesTrainer, LogisticRegressionTrainer] for a classification worker)",
            "Tribuo trainer of the other kind|{\"kind\": \"classification\", \"learner\": \"LinearSGDTrainer\"}|learner: LinearSGDTrainer is a Tribuo regression trainer (expected for a classification worker: one of [CARTClassificationTrainer,",
            "unknown Tribuo option|{\"kind\": \"regression\", \"learner\": \"XGBoostRegressionTrainer\", \"params\": {\"trees\": 5}}|XGBoostRegressionTrainer: unknown option 'trees' (expected: one of [numTrees, eta, gamma, maxDepth, minChildWeight, subsample, featureSubsample, lambda, alpha, nThread, seed])",
            "bad Tribuo option value|{\"kind\": \"classification\", \"learner\": \"KNNTrainer\", \"params\": {\"distance\": \"L3\"}}|KNNTrainer: distance: 'L3' (expected: one of [L2, L1, COSINE])",
            "unknown parameter|{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", \"params\": {\"depth\": 3}}|unknown parameter 'depth'",
            "bad parameter value|{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", \"params\": {\"max_depth\": 0}}|maxDepth: 0",
            "nested parameter|{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", \"params\": {\"max_depth\": [3]}}|params.max_depth: [3] (expected: a number or a string)",
            "bootstrap not boolean|{\"kind\": \"classification\", \"learner\": \"decision_tree_classifier\", \"bootstrap\": \"yes\"}|bootstrap: \"yes\" (expected: true or false)",
            "unknown loss|{\"kind\": \"sgd\", \"loss\": \"cubic\"}|cubic",
            "seed not integer|{\"kind\": \"sgd\", \"seed\": 1.5}|seed: 1.5 (expected: an integer)",
    })
    void invalidDeclaration_failsWithOneLineNamingFileAndProblem(String name, String json, String message) {
        assertThatThrownBy(() -> DeclarativeWorker.fromJson(json, "chimera_workers/w1.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("chimera_workers/w1.json: ")
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }
}

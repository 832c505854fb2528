package io.chimera.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.dtree.CARTClassificationTrainer;

import io.chimera.core.data.Dataset;
import io.chimera.core.data.TestDatasets;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.Learner;
import io.chimera.core.learn.Learners;
import io.chimera.core.learn.ModelFormats;
import io.chimera.core.learn.PortableModel;
import io.chimera.core.metrics.Metrics;

/**
 * Each Tribuo trainer by name, in one JVM: it fits, answers probabilities that sum to one (or values), reaches a
 * sound score, and its exported bytes read back into a model that predicts exactly the same.
 */
class TribuoLearnerTest {

    static List<String> classifiers() {
        return new TribuoTrainers().names("classification");
    }

    static List<String> regressors() {
        return new TribuoTrainers().names("regression");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifiers")
    void everyClassifier_fitsBreastCancer_answersProbabilities_andReadsBackTheSame(String name) {
        final Dataset train = TestDatasets.train("breast-cancer");
        final Dataset test = TestDatasets.test("breast-cancer");
        final FittedModel model = Learners.create(name, "classification", Map.of()).withSeed(7).fit(train);
        assertThat(model.classes()).containsExactly(0, 1);
        final double[] proba = model.predict(test.features(), test.rows());
        assertThat(proba).hasSize(test.rows() * 2);
        final double[] positive = new double[test.rows()];
        for (int r = 0; r < test.rows(); r++) {
            assertThat(proba[2 * r] + proba[2 * r + 1]).isCloseTo(1, within(1e-9));
            positive[r] = proba[2 * r + 1];
        }
        // scikit-learn's logistic regression: accuracy .974. A single unpruned tree scores least (AUC .899).
        assertThat(Metrics.rocAuc(positive, test.labels())).as(name).isGreaterThan(0.85);

        final PortableModel portable = (PortableModel) model;
        assertThat(portable.format()).isEqualTo("tribuo");
        final FittedModel read = ModelFormats.read("tribuo", portable.toBytes());
        assertThat(read.predict(test.features(), test.rows())).containsExactly(proba);
        assertThat(read.classes()).containsExactly(model.classes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("classifiers")
    void everyClassifier_answersThreeClassesOfIris(String name) {
        final Dataset train = TestDatasets.train("iris");
        final Dataset test = TestDatasets.test("iris");
        final FittedModel model = Learners.create(name, "classification", Map.of()).fit(train);
        assertThat(model.classes()).containsExactly(0, 1, 2);
        final double[] proba = model.predict(test.features(), test.rows());
        final double[] predicted = new double[test.rows()];
        for (int r = 0; r < test.rows(); r++) {
            int best = 0;
            for (int j = 0; j < 3; j++) {
                best = proba[3 * r + j] > proba[3 * r + best] ? j : best;
            }
            predicted[r] = best;
            assertThat(proba[3 * r] + proba[3 * r + 1] + proba[3 * r + 2]).isCloseTo(1, within(1e-9));
        }
        assertThat(Metrics.accuracy(predicted, test.labels())).as(name).isGreaterThanOrEqualTo(0.8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("regressors")
    void everyRegressor_fitsWineLike_andReadsBackTheSame(String name) {
        final Dataset train = TestDatasets.train("wine-like");
        final Dataset test = TestDatasets.test("wine-like");
        // A tree grown to its leaves (Tribuo's default depth) overfits wine-like's noise (R² -0.24): depth 6.
        final Map<String, String> params = name.startsWith("CART") ? Map.of("maxDepth", "6") : Map.of();
        final FittedModel model = Learners.create(name, "regression", params).withSeed(7).fit(train);
        assertThat(model.classes()).isEmpty();
        final double[] predicted = model.predict(test.features(), test.rows());
        // scikit-learn's LinearRegression: R² .279; a model that learnt nothing scores about 0.
        assertThat(Metrics.r2(predicted, test.labels())).as(name).isGreaterThan(0.1);
        final FittedModel read = ModelFormats.read("tribuo", ((PortableModel) model).toBytes());
        assertThat(read.predict(test.features(), test.rows())).containsExactly(predicted);
    }

    @Test
    void aTrainerInstance_isALearner_andEachWorkerSeedGivesItsOwnForest() {
        final Dataset train = TestDatasets.train("breast-cancer");
        final Dataset test = TestDatasets.test("breast-cancer");
        final Learner forest = Learners.create("RandomForestTrainer", "classification", Map.of("numMembers", "5"));
        final double[] a = forest.withSeed(1).fit(train).predict(test.features(), test.rows());
        assertThat(forest.withSeed(1).fit(train).predict(test.features(), test.rows())).containsExactly(a);
        assertThat(forest.withSeed(2).fit(train).predict(test.features(), test.rows())).isNotEqualTo(a);

        final TribuoLearner cart = TribuoLearner.of(new CARTClassificationTrainer(4));
        final FittedModel model = cart.fit(train);
        assertThat(model.featureCount()).isEqualTo(train.cols());
        assertThat(cart.toString()).contains("CARTClassificationTrainer");
    }

    @Test
    void unknownNamesAndBadOptions_areRefusedWithTheValidOnes() {
        assertThatThrownBy(() -> Learners.create("XGBoostTrainer", "classification", Map.of()))
                .hasMessageContaining("learner: 'XGBoostTrainer' (expected: one of [decision_tree_classifier, "
                                      + "decision_tree_regressor, CARTClassificationTrainer, RandomForestTrainer");
        assertThatThrownBy(() -> Learners.create("XGBoostRegressionTrainer", "classification", Map.of()))
                .hasMessageStartingWith("learner: XGBoostRegressionTrainer is a Tribuo regression trainer");
        assertThatThrownBy(() -> Learners.create("XGBoostClassificationTrainer", "classification",
                                                 Map.of("num_trees", "5")))
                .hasMessage("XGBoostClassificationTrainer: unknown option 'num_trees' (expected: one of [numTrees, "
                            + "eta, gamma, maxDepth, minChildWeight, subsample, featureSubsample, lambda, alpha, "
                            + "nThread, seed])");
        assertThatThrownBy(() -> Learners.create("KNNTrainer", "classification", Map.of("k", "zero")))
                .hasMessage("KNNTrainer: k: 'zero' (expected: an integer > 0)");
        assertThatThrownBy(() -> Learners.create("LibSVMClassificationTrainer", "classification",
                                                 Map.of("kernelType", "gaussian")))
                .hasMessage("LibSVMClassificationTrainer: kernelType: 'gaussian' (expected: one of [LINEAR, POLY, "
                            + "RBF, SIGMOID])");
    }

    @Test
    void bytesThatAreNotAModel_areRefusedSayingWhy() {
        assertThatThrownBy(() -> ModelFormats.read("tribuo", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no CTRB header");
        final byte[] good = ((PortableModel) Learners.create("CARTClassificationTrainer", "classification",
                                                             Map.of("maxDepth", "3"))
                                                     .fit(TestDatasets.train("iris"))).toBytes();
        assertThatThrownBy(() -> ModelFormats.read("tribuo", Arrays.copyOf(good, good.length - 10)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Tribuo model: ");
    }
}

package io.chimera.examples;

/**
 * Bagging on 4 process workers over all of diabetes-like, timed twice in one run: each worker with chimera's
 * tree ({@link BaggingBenchmark#CLASSIFIER}), then each with Tribuo's random forest through
 * {@code io.chimera.tribuo.TribuoLearner}. Only the worker's learner differs: same master, data, split, bootstrap,
 * warm-ups and repeats ({@link BaggingBenchmark#measure}).
 */
final class TribuoBaggingBenchmark {

    static final String DATASET = "diabetes-like";
    static final int WORKERS = 4;
    /** Trees in each worker's forest. */
    static final int FOREST_TREES = 10;
    /** Depth of each forest tree, as chimera's tree; Tribuo's CART has no leaf limit (up to 32 leaves, not 15). */
    static final int FOREST_DEPTH = 5;
    /**
     * Each worker's member: a Tribuo {@code RandomForestTrainer} of {@value #FOREST_TREES} CART trees of depth
     * {@value #FOREST_DEPTH} (half the features tried per split, at least 5 rows' weight per child, Gini; the
     * defaults of the declarative {@code RandomForestTrainer}), on the worker's bootstrap sample as the trees are.
     * The forest averages its trees' class probabilities ({@code FullyWeightedVotingCombiner}), as our tree answers
     * its leaf's: the declarative trainer's hard votes ({@code VotingCombiner}) rank diabetes-like's positives (14 %)
     * poorly (holdout AUC 0.62 against 0.77 once). Fully qualified names, as the worker file imports chimera's
     * packages only.
     */
    static final String FOREST = "new ClassificationWorker(io.chimera.tribuo.TribuoLearner.of("
                                 + "new org.tribuo.common.tree.RandomForestTrainer<>("
                                 + "new org.tribuo.classification.dtree.CARTClassificationTrainer(" + FOREST_DEPTH
                                 + ", 0.5f, 12345L), "
                                 + "new org.tribuo.classification.ensemble.FullyWeightedVotingCombiner(), "
                                 + FOREST_TREES + ")), true).serve();";

    /** Both clusters' figures and the load average (1, 5, 15 min) around the scenario. */
    record Result(BaggingBenchmark.Result trees, BaggingBenchmark.Result forest, String loadBefore,
                  String loadAfter) {

        /** Tribuo's median fit over ours. */
        double ratio() {
            return forest.fit().median() / trees.fit().median();
        }
    }

    /** Our trees, then Tribuo's forests, each cluster started, timed and stopped in turn. */
    static Result measure(int warmups, int repeats) throws Exception {
        final String before = Machine.loadAverage();
        final BaggingBenchmark.Result trees = BaggingBenchmark.measure(DATASET, BaggingBenchmark.CLASSIFIER, WORKERS,
                                                                       false, warmups, repeats);
        final BaggingBenchmark.Result forest = BaggingBenchmark.measure(DATASET, FOREST, WORKERS, false, warmups,
                                                                        repeats);
        return new Result(trees, forest, before, Machine.loadAverage());
    }

    private TribuoBaggingBenchmark() {}
}

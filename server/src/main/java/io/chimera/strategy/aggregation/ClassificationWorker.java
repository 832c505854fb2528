package io.chimera.strategy.aggregation;

import io.chimera.core.data.Dataset;
import io.chimera.core.learn.Learner;

/**
 * A bagging worker for classification. Its predictions carry the class labels of its training data and,
 * per row, the probability of each; {@code y_pred_rows} holds P(positive class) for two classes (as chimera)
 * and the most probable label for more.
 *
 * <pre>{@code
 * // chimera_workers/tree1.java
 * public class tree1 {
 *     public static void main(String[] args) {
 *         new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();
 *     }
 * }
 * }</pre>
 */
public final class ClassificationWorker extends ModelWorker {

    private double[] classes;

    /** A worker that fits {@code classifier} on all of its data. */
    public ClassificationWorker(Learner classifier) {
        this(classifier, false);
    }

    /** A worker that fits {@code classifier}, on a bootstrap sample of its data when {@code bootstrap}. */
    public ClassificationWorker(Learner classifier, boolean bootstrap) {
        super(classifier, bootstrap);
    }

    @Override
    public ClassificationWorker seed(long seed) {
        super.seed(seed);
        return this;
    }

    @Override
    protected void checkData(Dataset data) {
        final double[] distinct = data.distinctLabels();
        if (distinct.length < 2) {
            throw new IllegalArgumentException(
                    labelsFile() + ": label column '" + data.labelName() + "' has a single class ("
                    + (distinct.length == 0 ? "none" : distinct[0]) + ") in all " + data.rows()
                    + " data rows; a classifier needs at least two");
        }
        classes = distinct;
    }

    @Override
    protected double[] answerClasses() {
        return classes;
    }
}

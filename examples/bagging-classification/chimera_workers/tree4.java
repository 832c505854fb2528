import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.core.learn.DecisionTreeClassifier;

/** Worker "tree4": a depth-5 decision tree on a bootstrap sample of chimera_train_data/tree4/. */
public class tree4 {
    public static void main(String[] args) {
        new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();
    }
}

import io.chimera.strategy.aggregation.ClassificationWorker;
import io.chimera.core.learn.DecisionTreeClassifier;

/** Worker "tree1": a depth-5 decision tree on a bootstrap sample of chimera_train_data/tree1/. */
public class tree1 {
    public static void main(String[] args) {
        new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();
    }
}

import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.strategy.aggregation.ClassificationWorker;

/** Worker "{{name}}": a depth-5 decision tree on a bootstrap sample of chimera_train_data/{{name}}/. */
public class {{name}} {
    public static void main(String[] args) {
        new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();
    }
}

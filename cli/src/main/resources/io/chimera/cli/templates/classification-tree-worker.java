import io.chimera.workers.ClassificationWorker;
import io.chimera.workers.learn.DecisionTreeClassifier;

/** Worker "{{name}}": a depth-5 decision tree on a bootstrap sample of chimera_train_data/{{name}}/. */
public class {{name}} {
    public static void main(String[] args) {
        new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();
    }
}

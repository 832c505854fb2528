import io.chimera.core.learn.DecisionTreeRegressor;
import io.chimera.strategy.aggregation.RegressionWorker;

/** Worker "{{name}}": a depth-6 regression tree on a bootstrap sample of chimera_train_data/{{name}}/. */
public class {{name}} {
    public static void main(String[] args) {
        new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(6).build(), true).serve();
    }
}

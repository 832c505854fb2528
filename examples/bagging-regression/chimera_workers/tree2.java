import io.chimera.strategy.aggregation.RegressionWorker;
import io.chimera.core.learn.DecisionTreeRegressor;

/** Worker "tree2": a depth-6 regression tree on a bootstrap sample of its own part of the rows. */
public class tree2 {
    public static void main(String[] args) {
        new RegressionWorker(DecisionTreeRegressor.builder().maxDepth(6).build(), true).serve();
    }
}

import io.chimera.strategy.parameterserver.SGDWorker;

/** Worker "sgd1": gradients over its shard, chimera_train_data/sgd1/; the master chooses the loss. */
public class sgd1 {
    public static void main(String[] args) {
        new SGDWorker().serve();
    }
}

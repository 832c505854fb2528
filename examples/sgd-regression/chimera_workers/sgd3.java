import io.chimera.strategy.parameterserver.SGDWorker;

/** Worker "sgd3": gradients over its shard, chimera_train_data/sgd3/; the master chooses the loss. */
public class sgd3 {
    public static void main(String[] args) {
        new SGDWorker().serve();
    }
}

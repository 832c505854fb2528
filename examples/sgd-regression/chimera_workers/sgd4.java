import io.chimera.strategy.parameterserver.SGDWorker;

/** Worker "sgd4": gradients over its shard, chimera_train_data/sgd4/; the master chooses the loss. */
public class sgd4 {
    public static void main(String[] args) {
        new SGDWorker().serve();
    }
}

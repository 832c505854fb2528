import io.chimera.strategy.parameterserver.SGDWorker;

/** Worker "sgd2": gradients over its shard, chimera_train_data/sgd2/; the master chooses the loss. */
public class sgd2 {
    public static void main(String[] args) {
        new SGDWorker().serve();
    }
}

import io.chimera.strategy.fedavg.FederatedAveragingWorker;

/** Worker "{{name}}": local SGD epochs on its shard, chimera_train_data/{{name}}/; the master averages. */
public class {{name}} {
    public static void main(String[] args) {
        new FederatedAveragingWorker().serve();
    }
}

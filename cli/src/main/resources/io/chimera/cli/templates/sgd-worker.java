import io.chimera.strategy.parameterserver.SGDWorker;

/** Worker "{{name}}": gradients over its shard, chimera_train_data/{{name}}/; the master chooses the loss. */
public class {{name}} {
    public static void main(String[] args) {
        new SGDWorker().serve();
    }
}

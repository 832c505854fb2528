import io.chimera.workers.SGDWorker;

/** Worker "{{name}}": gradients over its shard, chimera_train_data/{{name}}/; the master chooses the loss. */
public class {{name}} {
    public static void main(String[] args) {
        new SGDWorker().serve();
    }
}

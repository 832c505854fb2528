import io.chimera.strategy.allreduce.AllReduceWorker;

/** Worker "{{name}}": gradients over its shard, chimera_train_data/{{name}}/, summed around the ring. */
public class {{name}} {
    public static void main(String[] args) {
        new AllReduceWorker().serve();
    }
}

import io.chimera.server.Chimera;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.allreduce.AllReduceMaster;

/**
 * {{title}}: an AllReduceMaster on port 8080 starts 200 synchronous SGD steps of the log loss; each of {{count}}
 * workers, chimera_workers/{{names}}.java, computes the gradient over its own shard of the rows in
 * chimera_train_data/<worker>/ and sums it with the others' by ring all-reduce, with no parameter server.
 */
public class Master {
    public static void main(String[] args) {
        ChimeraConfig config = ChimeraConfig.builder()
                .workerNames({{quotedNames}})
                .mappedPorts({{firstPort}}) // {{ports}}
                .build();
        Chimera.run(AllReduceMaster.builder().loss("log_loss").maxIter(200).build(), 8080, config);
    }
}

import io.chimera.server.Chimera;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/**
 * {{title}}: a ParameterServerMaster on port 8080 runs 200 synchronous SGD iterations of the log loss;
 * each of {{count}} workers, chimera_workers/{{names}}.java, answers the gradient over its own shard of the
 * rows in chimera_train_data/<worker>/.
 */
public class Master {
    public static void main(String[] args) {
        ChimeraConfig config = ChimeraConfig.builder()
                .workerNames({{quotedNames}})
                .mappedPorts({{firstPort}}) // {{ports}}
                .build();
        Chimera.run(ParameterServerMaster.builder().loss("log_loss").maxIter(200).build(), 8080, config);
    }
}

import io.chimera.server.Chimera;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;

/**
 * {{title}}: a FederatedAveragingMaster on port 8080 runs 20 rounds; in each, every one of {{count}} workers,
 * chimera_workers/{{names}}.java, runs 5 epochs of mini-batch SGD of the log loss on its own shard of the rows
 * in chimera_train_data/<worker>/, from the global model, and the master averages their models, weighted by rows.
 */
public class Master {
    public static void main(String[] args) {
        ChimeraConfig config = ChimeraConfig.builder()
                .workerNames({{quotedNames}})
                .mappedPorts({{firstPort}}) // {{ports}}
                .build();
        Chimera.run(FederatedAveragingMaster.builder().loss("log_loss").rounds(20).localEpochs(5).batchSize(16)
                                            .build(), 8080, config);
    }
}

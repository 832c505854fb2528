import io.chimera.server.Chimera;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * {{title}}: an AggregationMaster on port 8080 averages the answers of {{count}} workers,
 * chimera_workers/{{names}}.java, each fitted on chimera_train_data/<worker>/ ({{split}}).
 */
public class Master {
    public static void main(String[] args) {
        ChimeraConfig config = ChimeraConfig.builder()
                .workerNames({{quotedNames}})
                .mappedPorts({{firstPort}}) // {{ports}}
                .build();
        Chimera.run(new AggregationMaster(), 8080, config);
    }
}

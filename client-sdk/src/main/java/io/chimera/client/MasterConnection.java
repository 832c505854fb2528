package io.chimera.client;

import io.chimera.common.Table;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.TrainingHistory;

/** One transport's calls to a master; every failure is a {@link io.chimera.common.ChimeraException}. */
interface MasterConnection extends AutoCloseable {

    FitResponse fit();

    PredictResponse predict(Table table);

    /** Not called for {@link MasterKind#AGGREGATION}. */
    TrainingHistory history();

    ModelArtifact exportModel();

    MasterStatus status();

    /** Releases the connections; later calls fail as unreachable. */
    @Override
    void close();
}

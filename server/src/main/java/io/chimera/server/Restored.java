package io.chimera.server;

import io.chimera.proto.v1.ModelArtifact;
import io.chimera.server.internal.Predictor;

/** A model a previous run of a master saved, as the restarted master serves it until its first fit. */
final class Restored {

    final ModelArtifact artifact;
    final Predictor predictor;

    Restored(ModelArtifact artifact, Predictor predictor) {
        this.artifact = artifact;
        this.predictor = predictor;
    }
}

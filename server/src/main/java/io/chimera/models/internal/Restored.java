package io.chimera.models.internal;

import io.chimera.proto.v1.ModelArtifact;

/** A model a previous run of a master saved, as the restarted master serves it until its first fit. */
public final class Restored {

    public final ModelArtifact artifact;
    public final Predictor predictor;

    public Restored(ModelArtifact artifact, Predictor predictor) {
        this.artifact = artifact;
        this.predictor = predictor;
    }
}

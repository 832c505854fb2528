package io.chimera.tribuo;

import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.ModelFormat;

/**
 * Reads {@link TribuoModel}s back, for a master that serves an exported ensemble of Tribuo models. Registered
 * as a service in {@code META-INF/services/io.chimera.core.learn.ModelFormat}.
 */
public final class TribuoModelFormat implements ModelFormat {

    @Override
    public String name() {
        return TribuoModel.FORMAT;
    }

    @Override
    public FittedModel read(byte[] bytes) {
        return TribuoModel.fromBytes(bytes);
    }
}

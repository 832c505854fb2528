package io.chimera.client;

import java.util.List;

import io.chimera.proto.v1.FitResponse;

/** The master's answer to a fit. */
public final class FitResult {

    static FitResult of(FitResponse response) {
        return new FitResult(response.getFit(), List.copyOf(response.getFailedWorkersList()));
    }

    private final String fit;
    private final List<String> failedWorkers;

    private FitResult(String fit, List<String> failedWorkers) {
        this.fit = fit;
        this.failedWorkers = failedWorkers;
    }

    /** {@code "ok"} when at least one worker fitted (chimera's answer). */
    public String fit() {
        return fit;
    }

    /** The workers whose fit failed and were skipped; empty when all succeeded. */
    public List<String> failedWorkers() {
        return failedWorkers;
    }

    @Override
    public String toString() {
        return "FitResult{fit=" + fit + ", failedWorkers=" + failedWorkers + '}';
    }
}

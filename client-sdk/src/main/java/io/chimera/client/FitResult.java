package io.chimera.client;

import java.util.List;

import io.chimera.proto.v1.FitResponse;

/** The master's answer to a fit. */
public final class FitResult {

    static FitResult of(FitResponse response) {
        return new FitResult(response.getFit(), List.copyOf(response.getFailedWorkersList()),
                             List.copyOf(response.getWarningsList()));
    }

    private final String fit;
    private final List<String> failedWorkers;
    private final List<String> warnings;

    private FitResult(String fit, List<String> failedWorkers, List<String> warnings) {
        this.fit = fit;
        this.failedWorkers = failedWorkers;
        this.warnings = warnings;
    }

    /** {@code "ok"} when at least one worker fitted (chimera's answer). */
    public String fit() {
        return fit;
    }

    /** The workers whose fit failed and were skipped; empty when all succeeded. */
    public List<String> failedWorkers() {
        return failedWorkers;
    }

    /**
     * What the master warned about this fit, e.g. that it stopped at {@code max_iter} before it converged; empty
     * when there is nothing to say.
     */
    public List<String> warnings() {
        return warnings;
    }

    @Override
    public String toString() {
        return "FitResult{fit=" + fit + ", failedWorkers=" + failedWorkers
               + (warnings.isEmpty() ? "" : ", warnings=" + warnings) + '}';
    }
}

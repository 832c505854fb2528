package io.chimera.strategy.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;

import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.observe.internal.TrainingHistoryRecorder;
import io.chimera.strategy.StrategyFit;

/**
 * How a built-in strategy that keeps its own typed worker protocol (the parameter server's
 * {@code /v1/chimera/sgd/fit-step}) reaches what a {@link StrategyFit} holds: the workers' clients, the fit's
 * tracker and history. {@link StrategyFit} installs the hooks when it is loaded, as {@link MasterAccess} does for
 * the master's. Not for strategies written with the public API, which call the workers through
 * {@link StrategyFit#callAll}.
 */
public final class FitAccess {

    /** The hooks {@link StrategyFit} installs. */
    public interface Hooks {
        List<WorkerClient> workers(StrategyFit fit);

        FitTracker tracker(StrategyFit fit);

        TrainingHistoryRecorder history(StrategyFit fit);

        /** Drops {@code worker} from the fit: named in {@code failed_workers}, left out of later calls. */
        void dropped(StrategyFit fit, String worker);
    }

    private static volatile Hooks hooks;

    /** Called once, by {@link StrategyFit}'s static initializer. */
    public static void install(Hooks installed) {
        if (hooks != null) {
            throw new IllegalStateException("the fit hooks are installed already");
        }
        hooks = requireNonNull(installed, "installed");
    }

    /** The hooks; {@code fit} being an instance, {@link StrategyFit} is loaded and they are installed. */
    public static Hooks of(StrategyFit fit) {
        requireNonNull(fit, "fit");
        return hooks;
    }

    private FitAccess() {}
}

package io.chimera.strategy.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.function.Function;

import io.chimera.node.client.WorkerClient;
import io.chimera.strategy.StrategyMaster;

/**
 * How a built-in strategy whose model lives on its workers (bagging's {@code AggregationMaster}) tells its
 * {@link StrategyMaster} so: {@link StrategyMaster} installs the hook when it is loaded, as {@link MasterAccess}
 * does for {@link io.chimera.strategy.Master}'s. Not for strategies written with the public API.
 */
public final class StrategyAccess {

    /** The hooks {@link StrategyMaster} installs. */
    public interface Hooks {
        /**
         * Makes {@code master}'s model live on its workers: {@code model} builds it over the workers the master
         * is served with; it answers from the start, 409 while a fit runs, and its artifact is built at each
         * export.
         */
        void workerResident(StrategyMaster master, Function<List<WorkerClient>, WorkerResidentModel> model);
    }

    private static volatile Hooks hooks;

    /** Called once, by {@link StrategyMaster}'s static initializer. */
    public static void install(Hooks installed) {
        if (hooks != null) {
            throw new IllegalStateException("the strategy hooks are installed already");
        }
        hooks = requireNonNull(installed, "installed");
    }

    /** The hooks; {@code master} being an instance, {@link StrategyMaster} is loaded and they are installed. */
    public static Hooks of(StrategyMaster master) {
        requireNonNull(master, "master");
        return hooks;
    }

    private StrategyAccess() {}
}

package io.chimera.strategy.internal;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

import io.chimera.models.internal.ModelStore;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.client.WorkerClient;
import io.chimera.observe.internal.FitTracker;
import io.chimera.server.config.ChimeraConfig;
import io.chimera.strategy.Master;
import io.grpc.BindableService;

/**
 * How the run ({@code io.chimera.server.ChimeraRun}) reaches a {@link Master}'s protected hooks, which a
 * strategy overrides but no user calls: {@link Master} installs them when it is loaded, the way the JDK's
 * shared secrets cross a package boundary without making the hooks public API.
 */
public final class MasterAccess {

    /** The hooks {@link Master} installs. */
    public interface Hooks {
        FitTracker fitTracker(Master master);

        Map<String, String> options(Master master);

        BindableService bind(Master master, List<WorkerClient> workers);

        void addServices(Master master, NodeServerBuilder server, List<WorkerClient> workers);

        void configure(Master master, ChimeraConfig config);

        void persistTo(Master master, ModelStore store);
    }

    private static volatile Hooks hooks;

    /** Called once, by {@link Master}'s static initializer. */
    public static void install(Hooks installed) {
        if (hooks != null) {
            throw new IllegalStateException("the master hooks are installed already");
        }
        hooks = requireNonNull(installed, "installed");
    }

    /** The hooks; {@code master} being an instance, {@link Master} is loaded and they are installed. */
    public static Hooks of(Master master) {
        requireNonNull(master, "master");
        return hooks;
    }

    private MasterAccess() {}
}

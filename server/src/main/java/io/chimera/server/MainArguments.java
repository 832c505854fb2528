package io.chimera.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.chimera.core.linear.Loss;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.allreduce.AllReduceMaster;
import io.chimera.strategy.fedavg.FederatedAveragingMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;
import io.chimera.strategy.parameterserver.ParameterServerMasterBuilder;

/**
 * The arguments of {@link Chimera#main}: which master, its loss for a master that trains one (parameter server,
 * federated averaging, all-reduce), the artifact for a model
 * server, and the port. Deliberately small; the {@code chimera} command is the full command line.
 */
record MainArguments(String command, Loss loss, Path artifact, int port) {

    /** The masters that train a loss, by strategy name, each with its defaults but the loss. */
    private static final Map<String, Function<Loss, Master>> WITH_LOSS = new LinkedHashMap<>();

    static {
        WITH_LOSS.put("parameter-server", loss -> ParameterServerMaster.builder().loss(loss.lossName()).build());
        WITH_LOSS.put("federated-averaging",
                      loss -> FederatedAveragingMaster.builder().loss(loss.lossName()).build());
        WITH_LOSS.put("all-reduce", loss -> AllReduceMaster.builder().loss(loss.lossName()).build());
    }

    static final String USAGE = "usage: Chimera aggregation [port] | Chimera "
                                + String.join("|", WITH_LOSS.keySet())
                                + " [--loss squared_error|log_loss|hinge] [port] | Chimera serve-model <artifact> "
                                + "[port] (port: 8080 by default)";

    private static final int DEFAULT_PORT = 8080;

    /**
     * Reads {@code args}.
     *
     * @throws IllegalArgumentException with one line saying what is wrong, then the usage
     */
    static MainArguments parse(String... args) {
        if (args.length == 0) {
            throw wrong("no master given");
        }
        final String command = args[0];
        int next = 1;
        Loss loss = null;
        Path artifact = null;
        switch (WITH_LOSS.containsKey(command) ? "with-loss" : command) {
            case "aggregation":
                break;
            case "with-loss":
                loss = ParameterServerMasterBuilder.DEFAULT_LOSS;
                if (next < args.length && ("--loss".equals(args[next]) || args[next].startsWith("--loss="))) {
                    final String option = args[next++];
                    final String name;
                    if (option.startsWith("--loss=")) {
                        name = option.substring("--loss=".length());
                    } else if (next < args.length) {
                        name = args[next++];
                    } else {
                        throw wrong(option + " needs a loss");
                    }
                    try {
                        loss = Loss.parse(name);
                    } catch (IllegalArgumentException e) {
                        throw wrong(e.getMessage());
                    }
                }
                break;
            case "serve-model":
                if (next >= args.length) {
                    throw wrong("serve-model needs the artifact to serve");
                }
                artifact = Path.of(args[next++]);
                break;
            default:
                throw wrong("unknown master " + command);
        }
        int port = DEFAULT_PORT;
        if (next < args.length && args[next].startsWith("--")) {
            throw wrong("unknown option " + args[next] + " for " + command);
        }
        if (next < args.length) {
            final String text = args[next++];
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw wrong("port: " + text + " (expected: 1-65535)");
            }
        }
        if (next < args.length) {
            throw wrong("unexpected argument " + args[next]);
        }
        return new MainArguments(command, loss, artifact, port);
    }

    private static IllegalArgumentException wrong(String what) {
        return new IllegalArgumentException(what + "; " + USAGE);
    }

    /** Runs what the arguments ask for until the JVM stops. */
    void run() {
        switch (command) {
            case "serve-model":
                Chimera.serveModel(artifact, port);
                break;
            default:
                Chimera.run(master(), port);
        }
    }

    /** The master to run; not for {@code serve-model}, whose master is read from the artifact. */
    Master master() {
        if (WITH_LOSS.containsKey(command)) {
            return WITH_LOSS.get(command).apply(loss);
        }
        switch (command) {
            case "aggregation":
                return new AggregationMaster();
            default:
                throw new IllegalStateException(command + " reads its master from " + artifact);
        }
    }
}

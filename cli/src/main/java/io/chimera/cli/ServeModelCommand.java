package io.chimera.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.chimera.server.Chimera;

/** {@code chimera serve-model model.json}: {@link Chimera#serveModel(Path, int)}. */
@Command(name = "serve-model", mixinStandardHelpOptions = true,
         description = "Serves a model written by `chimera export` on the predict path of the master that fitted "
                       + "it, with no workers, until Ctrl-C.")
final class ServeModelCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "model.json", description = "The exported model.")
    private Path artifact;

    @Option(names = { "-p", "--port" }, defaultValue = "8080", paramLabel = "PORT",
            description = "The port to serve on, on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(artifact)) {
            throw new CommandFailure("model.json: " + artifact + " (expected: a file written by `chimera export`; "
                                     + "it does not exist)");
        }
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port: " + port + " (expected: 1..65535)");
        }
        Chimera.serveModel(artifact, port);
        return 0;
    }
}

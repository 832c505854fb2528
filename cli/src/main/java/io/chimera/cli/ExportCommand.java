package io.chimera.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import com.google.protobuf.util.JsonFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import io.chimera.client.ChimeraClient;
import io.chimera.proto.v1.ModelArtifact;

/** {@code chimera export model.json}: {@code GET /v1/chimera/<master>/model}, written as chimera's JSON. */
@Command(name = "export", mixinStandardHelpOptions = true,
         description = "Writes the running master's fitted model to a JSON file that `chimera serve-model` serves "
                       + "with no workers.")
final class ExportCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private MasterOptions master;

    @Parameters(index = "0", paramLabel = "model.json", description = "The file to write.")
    private Path file;

    @Override
    public Integer call() throws IOException {
        final ModelArtifact artifact;
        try (ChimeraClient client = master.client()) {
            artifact = client.exportModel();
        }
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new CommandFailure("model.json: " + file + " (expected: a file in an existing folder)");
        }
        Files.writeString(file, JsonFormat.printer().print(artifact) + "\n", StandardCharsets.UTF_8);
        spec.commandLine().getOut().println("export: the " + artifact.getKind() + " model written to " + file + " ("
                           + Files.size(file) + " bytes); serve it with `chimera serve-model " + file + "`");
        return 0;
    }
}

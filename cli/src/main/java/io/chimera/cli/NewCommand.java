package io.chimera.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code chimera new DIR [--example bagging|hybrid|sgd|fedavg|allreduce|regression]}: {@link ProjectTemplate#write}. */
@Command(name = "new", mixinStandardHelpOptions = true,
         description = "Makes a chimera project in a new folder: Master.java, chimera_workers/, "
                       + "chimera_train_data/ with small bundled data, a pom.xml and a README.")
final class NewCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "The folder to create (it must not exist, or be "
                                                                + "empty).")
    private Path directory;

    @Option(names = "--example", paramLabel = "KIND", defaultValue = "bagging", converter = ExampleConverter.class,
            description = "bagging (default), hybrid, sgd or regression.")
    private Example example;

    @Override
    public Integer call() throws IOException {
        if (Files.exists(directory) && !isEmptyDirectory(directory)) {
            throw new CommandFailure("DIR: " + directory + " (expected: a new or empty folder; it "
                                     + (Files.isDirectory(directory) ? "holds files" : "is a file") + ")");
        }
        new ProjectTemplate(example).write(directory);
        spec.commandLine().getOut().println("new: " + example.title + " in " + directory);
        spec.commandLine().getOut().println("  cd " + directory);
        spec.commandLine().getOut().println("  chimera run                                   # Ctrl-C stops it");
        spec.commandLine().getOut().println("  chimera fit                                   # from another shell");
        spec.commandLine().getOut().println("  chimera predict --csv X_test.csv --out predictions.csv");
        return 0;
    }

    private static boolean isEmptyDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return false;
        }
        try (var entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        }
    }

    /** Reads {@code --example} case-insensitively and names the choices when it is wrong. */
    static final class ExampleConverter implements picocli.CommandLine.ITypeConverter<Example> {
        @Override
        public Example convert(String value) {
            try {
                return Example.of(value.toLowerCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}

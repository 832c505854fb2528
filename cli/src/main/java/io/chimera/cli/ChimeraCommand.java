package io.chimera.cli;

import java.io.PrintWriter;
import java.util.Set;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import io.chimera.client.ChimeraClient;
import io.chimera.common.ChimeraException;
import io.chimera.runtime.WorkerStartException;

/**
 * The {@code chimera} command and its subcommands. Exit codes: 0 done, 1 the command failed (the master
 * answered an error, a file could not be written), 2 wrong arguments (one line, and a pointer to {@code --help}).
 */
@Command(name = "chimera", mixinStandardHelpOptions = true, versionProvider = ChimeraVersion.class,
         description = "Distributed machine learning for teaching and prototyping.%n"
                       + "Start a project with `chimera new DIR`, run it with `chimera run` in that folder, then "
                       + "`chimera fit` and `chimera predict --csv X.csv` from another shell.",
         subcommands = { NewCommand.class, RunCommand.class, FitCommand.class, PredictCommand.class,
                         StatusCommand.class, ExportCommand.class, ServeModelCommand.class, ExperimentCommand.class,
                         CommandLine.HelpCommand.class })
public final class ChimeraCommand implements Runnable {

    /** The subcommands that run a master, and so log what a master logs; the others log warnings only. */
    private static final Set<String> MASTER_COMMANDS = Set.of("run", "serve-model");

    /** Exit code of a command that ran and failed. */
    static final int FAILED = 1;
    /** Exit code of a command line that could not be parsed. */
    static final int USAGE = 2;

    /** Set when a master's main returned and left its servers running, as {@code java Master} would. */
    private static volatile boolean leaveRunning;

    /** A usage error is one line naming the command and pointing at its --help, with the usage exit code. */
    private static final IParameterExceptionHandler ONE_LINE_USAGE_ERROR = (ParameterException e, String[] args) -> {
        final CommandLine cmd = e.getCommandLine();
        final PrintWriter err = cmd.getErr();
        err.println(qualifiedName(cmd) + ": " + e.getMessage() + " (see: " + qualifiedName(cmd) + " --help)");
        return USAGE;
    };

    private static final IExitCodeExceptionMapper EXIT_CODES = e -> FAILED;

    @Spec
    private CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        ConsoleLogging.configure(args.length > 0 && MASTER_COMMANDS.contains(args[0]));
        final int code = execute(args);
        if (code != 0 || !leaveRunning) {
            System.exit(code);
        }
    }

    /**
     * Says that the JVM must go on after {@code main}: a master's main may start its servers and return, and
     * they then serve until Ctrl-C, as under {@code java Master}.
     */
    static void leaveRunning() {
        leaveRunning = true;
    }

    /** Runs the command line and returns its exit code; for tests and embedding. */
    static int execute(String... args) {
        return newCommandLine().execute(args);
    }

    static CommandLine newCommandLine() {
        final CommandLine cli = new CommandLine(new ChimeraCommand());
        cli.setParameterExceptionHandler(ONE_LINE_USAGE_ERROR);
        cli.setExitCodeExceptionMapper(EXIT_CODES);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(qualifiedName(commandLine) + ": " + describe(e));
            return EXIT_CODES.getExitCode(e);
        });
        return cli;
    }

    private static String qualifiedName(CommandLine cmd) {
        return cmd.getParent() == null ? cmd.getCommandName()
                                       : qualifiedName(cmd.getParent()) + ' ' + cmd.getCommandName();
    }

    private static String describe(Exception e) {
        if (e instanceof ChimeraException
            && ChimeraClient.MASTER_UNREACHABLE_ERROR.equals(((ChimeraException) e).errorType())) {
            return e.getMessage() + " (start it with `chimera run` in the project's folder, or name another "
                   + "master with --master URL)";
        }
        if (e instanceof ChimeraException || e instanceof CommandFailure || e instanceof WorkerStartException) {
            return e.getMessage();
        }
        final String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        // `chimera` alone: the usage, as `chimera --help` prints it, but to stderr and with the usage exit code.
        throw new ParameterException(spec.commandLine(), "a subcommand is missing");
    }
}

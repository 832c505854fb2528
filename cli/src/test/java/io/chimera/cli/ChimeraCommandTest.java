package io.chimera.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import picocli.CommandLine;

class ChimeraCommandTest {

    /** The exit code and what the command printed. */
    static final class Result {
        final int code;
        final String out;
        final String err;

        Result(int code, String out, String err) {
            this.code = code;
            this.out = out;
            this.err = err;
        }
    }

    static Result run(String... args) {
        final CommandLine cli = ChimeraCommand.newCommandLine();
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        final int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = { "new", "run", "fit", "predict", "status", "export", "serve-model" })
    void help_onEverySubcommand_printsUsageAndExits0(String subcommand) {
        final Result result = run(subcommand, "--help");
        assertThat(result.code).isZero();
        assertThat(result.out).startsWith("Usage: chimera " + subcommand);
        assertThat(result.err).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "new DIR", "run", "fit", "predict --csv X.csv", "status", "export model.json",
                             "serve-model model.json" })
    void unknownOption_onEverySubcommand_isOneLineAndExits2(String commandLine) {
        final List<String> args = new java.util.ArrayList<>(List.of(commandLine.split(" ")));
        final String subcommand = args.get(0);
        args.add("--no-such-option");
        final Result result = run(args.toArray(new String[0]));
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err.lines()).hasSize(1);
        assertThat(result.err).startsWith("chimera " + subcommand + ": ")
                              .contains("--no-such-option", "chimera " + subcommand + " --help");
    }

    @Test
    void noSubcommand_isOneLineAndExits2() {
        final Result result = run();
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err.lines()).containsExactly("chimera: a subcommand is missing (see: chimera --help)");
    }

    @Test
    void unknownSubcommand_exits2() {
        final Result result = run("train");
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err.lines()).hasSize(1);
        assertThat(result.err).contains("train");
    }

    @ParameterizedTest
    @ValueSource(strings = { "new", "export", "serve-model" })
    void missingParameter_isOneLineAndExits2(String subcommand) {
        final Result result = run(subcommand);
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err.lines()).hasSize(1);
        assertThat(result.err).startsWith("chimera " + subcommand + ": Missing required parameter");
    }

    @Test
    void predict_withoutCsv_namesTheMissingOptionAndExits2() {
        final Result result = run("predict");
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err.lines()).hasSize(1);
        assertThat(result.err).contains("--csv");
    }

    @Test
    void new_unknownExample_listsTheChoicesAndExits2(@TempDir Path dir) {
        final Result result = run("new", dir.resolve("p").toString(), "--example", "boosting");
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("boosting", "bagging|hybrid|sgd|fedavg|allreduce|regression");
        assertThat(dir.resolve("p")).doesNotExist();
    }

    @Test
    void new_intoAFolderWithFiles_refusesAndExits1(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("notes.txt"), "mine");
        final Result result = run("new", dir.toString());
        assertThat(result.code).isEqualTo(1);
        assertThat(result.err.lines()).hasSize(1);
        assertThat(result.err).contains("expected: a new or empty folder");
        assertThat(Files.readString(dir.resolve("notes.txt"))).isEqualTo("mine");
    }

    @Test
    void serveModel_portOutOfRange_exits2(@TempDir Path dir) throws Exception {
        final Path model = Files.writeString(dir.resolve("model.json"), "{}");
        final Result result = run("serve-model", model.toString(), "--port", "70000");
        assertThat(result.code).isEqualTo(2);
        assertThat(result.err).contains("--port: 70000 (expected: 1..65535)");
    }

    @Test
    void serveModel_missingFile_exits1(@TempDir Path dir) {
        final Result result = run("serve-model", dir.resolve("none.json").toString());
        assertThat(result.code).isEqualTo(1);
        assertThat(result.err).contains("none.json", "does not exist");
    }

    @ParameterizedTest
    @ValueSource(strings = { "fit", "status", "export" })
    void clientCommands_noMaster_sayHowToStartOneAndExit1(String subcommand) throws Exception {
        final int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        final List<String> args = new java.util.ArrayList<>(List.of(subcommand, "--master",
                                                                    "http://127.0.0.1:" + port));
        if ("export".equals(subcommand)) {
            args.add("model.json");
        }
        final Result result = run(args.toArray(new String[0]));
        assertThat(result.code).isEqualTo(1);
        assertThat(result.err.lines()).hasSize(1);
        assertThat(result.err).startsWith("chimera " + subcommand + ": master at http://127.0.0.1:" + port
                                          + " is unreachable")
                              .contains("chimera run");
    }

    @Test
    void fit_badMasterUrl_exits1NamingIt() {
        final Result result = run("fit", "--master", "localhost:8080");
        assertThat(result.code).isEqualTo(1);
        assertThat(result.err).contains("--master: localhost:8080 (expected: a URL such as http://127.0.0.1:8080)");
    }

    @Test
    void version_namesChimeraAndTheJvm() {
        final Result result = run("--version");
        assertThat(result.code).isZero();
        assertThat(result.out).startsWith("chimera for Java " + ChimeraVersion.version())
                              .contains("JVM: " + System.getProperty("java.version"));
    }
}

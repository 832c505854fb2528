package io.chimera.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import io.chimera.lab.ExperimentRunner;
import io.chimera.lab.ExperimentSpec;
import io.chimera.lab.LabReport;
import io.chimera.lab.SpecException;
import io.chimera.observe.logging.ChimeraLogs;

/**
 * {@code chimera experiment SPEC.yaml [--out DIR]}: runs every cell of an experiment on a fresh cluster, one after
 * another, and writes {@code report.html} with the data as CSV and JSON (docs/lab.md). The spec is checked whole
 * before anything starts; a bad one is one line naming the field.
 */
@Command(name = "experiment", mixinStandardHelpOptions = true,
         description = "Runs an experiment spec (a sweep over workers, modes, injected stragglers...) and writes "
                       + "an HTML report with its data as CSV and JSON.")
final class ExperimentCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "The experiment, a YAML file (docs/lab.md).")
    private Path spec;

    @Option(names = { "-o", "--out" }, paramLabel = "DIR",
            description = "Where the report and data go (default: lab-report/<the spec's name> in the current "
                          + "folder).")
    private Path out;

    @Option(names = "--check", description = "Only check the spec and list its cells; run nothing.")
    private boolean check;

    @Override
    public Integer call() throws Exception {
        final ExperimentSpec experiment;
        try {
            experiment = ExperimentSpec.read(spec);
        } catch (SpecException e) {
            throw new CommandFailure(e.getMessage());
        }
        final var cells = experiment.cells();
        System.out.printf("experiment %s: %s on %s, %d cells x %d repeats%n", experiment.name(),
                          experiment.strategy(), experiment.dataset(), cells.size(), experiment.repeats());
        if (check) {
            for (int i = 0; i < cells.size(); i++) {
                System.out.printf("  cell %d: %s%n", i + 1, cells.get(i).settings());
            }
            return 0;
        }
        ConsoleLogging.offConsole(ChimeraLogs.STATUS_LOGGER, ChimeraLogs.TIME_LOGGER);
        final ExperimentRunner.Result result;
        try {
            result = new ExperimentRunner(experiment, System.out::println).run();
        } catch (SpecException e) {
            throw new CommandFailure(e.getMessage());
        }
        final Path dir = out != null ? out : Path.of("lab-report", experiment.name());
        final Path page = LabReport.write(result, dir);
        final long failed = result.cells().stream().filter(ExperimentRunner.CellResult::failed).count();
        System.out.printf("report: %s (%d cells run, %d failed, %d skipped; data: cells.csv, iterations.csv, "
                          + "workers.csv, results.json)%n", page.toAbsolutePath(), result.cells().size(), failed,
                          result.skipped().size());
        return failed == result.cells().size() && failed > 0 ? ChimeraCommand.FAILED : 0;
    }
}

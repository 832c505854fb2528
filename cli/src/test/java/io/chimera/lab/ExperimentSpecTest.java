package io.chimera.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** A spec is checked whole before anything starts; a bad one is one line naming the field. */
class ExperimentSpecTest {

    private static final Path HERE = Path.of(".");

    private static ExperimentSpec parse(String yaml) {
        return ExperimentSpec.parse(yaml, "spec", HERE);
    }

    @Test
    void cells_areEveryCombination_stalenessOnlyForBoundedStaleness() {
        final ExperimentSpec spec = parse("""
                dataset: breast-cancer
                strategy: parameter-server
                sweep:
                  workers: [1, 2, 4]
                  mode: [synchronous, bounded_staleness]
                  staleness: [1, 3]
                """);
        // 3 workers x (synchronous + bounded with 2 bounds)
        assertThat(spec.cells()).hasSize(9);
        assertThat(spec.cells()).filteredOn(c -> c.mode().equals("synchronous")).allMatch(c -> c.staleness() == 0);
        assertThat(spec.name()).isEqualTo("spec");
        assertThat(spec.repeats()).isEqualTo(1);
    }

    @Test
    void aListOfStrategies_sweepsThem_eachCellWithTheSettingsItsStrategyHas() {
        final ExperimentSpec spec = parse("""
                dataset: breast-cancer
                strategy: [parameter-server, federated-averaging, all-reduce]
                options: {max_iter: 50, rounds: 5, local_epochs: 2, batch_size: 32}
                sweep:
                  workers: [2, 4]
                  mode: [synchronous, asynchronous]
                  condition: [none, lost]
                conditions:
                  lost: {worker: 2, exit_at_step: 7}
                """);
        // parameter server: 2 workers x 2 modes x 2 conditions; the others have no mode: 2 x 2 each.
        assertThat(spec.cells()).hasSize(8 + 4 + 4);
        assertThat(spec.cells()).filteredOn(c -> !c.strategy().equals("parameter-server"))
                                .allMatch(c -> c.mode().isEmpty() && c.hasHistory());
        assertThat(spec.options()).containsEntry("rounds", 5).containsEntry("local_epochs", 2)
                                  .containsEntry("max_iter", 50).containsEntry("loss", "log_loss");
        final ExperimentSpec.Cell lost = spec.cells().get(spec.cells().size() - 1);
        assertThat(lost.strategy()).isEqualTo("all-reduce");
        assertThat(lost.condition().exitAtStep()).isEqualTo(7);
        assertThat(lost.condition().targets(4)).containsExactly(1);
        assertThat(lost.label(spec)).isEqualTo("all-reduce, 4 workers, lost");
        assertThat(lost.settings()).isEqualTo("all-reduce, 4 workers, partition split, process runtime, "
                                              + "lost (worker 2: exit_at_step 7)");
        assertThat(spec.cells().get(0).settings()).isEqualTo("parameter-server, 2 workers, synchronous, "
                                                             + "partition split, process runtime, nothing injected");
    }

    @Test
    void badSpecs_nameTheField() {
        assertThatThrownBy(() -> parse("strategy: bagging")).hasMessage("dataset: missing (required)");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: bagging\nworkers: [2]"))
                .hasMessageStartingWith("workers: unknown field (expected one of [conditions, dataset, name,");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\n"
                                       + "sweep: {workers: [1, 0]}"))
                .hasMessage("sweep.workers[1]: 0 (expected: an integer from 1 to 64)");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\n"
                                       + "sweep: {condition: [none, slow]}"))
                .hasMessage("sweep.condition[1]: \"slow\" (expected: one of none)");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: bagging\nsweep: {mode: [asynchronous]}"))
                .hasMessage("sweep.mode: only a parameter-server experiment has it (strategy: bagging)");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\n"
                                       + "conditions: {slow: {worker: 2, step_delay_ms: -5}}"))
                .hasMessage("conditions.slow.step_delay_ms: -5 (expected: an integer from 0 to 600000)");
        assertThatThrownBy(() -> parse("dataset: nowhere\nstrategy: parameter-server"))
                .hasMessageStartingWith("dataset: nowhere (expected: one of [breast-cancer, diabetes-sklearn], or a "
                                        + "folder");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: allreduce"))
                .hasMessage("strategy: \"allreduce\" (expected: one of parameter-server, federated-averaging, "
                            + "all-reduce, bagging)");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\noptions: {rounds: 5}"))
                .hasMessageStartingWith("options.rounds: unknown field (expected one of [alpha, batch_size,");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: [all-reduce, all-reduce]"))
                .hasMessage("strategy: [\"all-reduce\",\"all-reduce\"] names \"all-reduce\" twice");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: [all-reduce, bagging]\ntarget_loss: 0.1"))
                .hasMessageStartingWith("target_loss: bagging has no training loss per update");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\n"
                                       + "conditions: {lost: {exit_at_step: 0}}"))
                .hasMessage("conditions.lost.exit_at_step: 0 (expected: an integer from 1 to 100000000)");
        assertThatThrownBy(() -> parse("dataset: [breast-cancer")).hasMessageStartingWith("not valid YAML");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\n"
                                       + "sweep: {mode: [synchronous, synchronous]}"))
                .hasMessageContaining("names a value twice");
    }
}

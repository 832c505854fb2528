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
                .hasMessage("strategy: \"allreduce\" (expected: one of parameter-server, bagging)");
        assertThatThrownBy(() -> parse("dataset: [breast-cancer")).hasMessageStartingWith("not valid YAML");
        assertThatThrownBy(() -> parse("dataset: breast-cancer\nstrategy: parameter-server\n"
                                       + "sweep: {mode: [synchronous, synchronous]}"))
                .hasMessageContaining("names a value twice");
    }
}

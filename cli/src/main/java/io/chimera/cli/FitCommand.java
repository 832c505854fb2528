package io.chimera.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import io.chimera.client.ChimeraClient;
import io.chimera.client.FitResult;

/** {@code chimera fit}: {@code POST /v1/chimera/<master>/fit}. */
@Command(name = "fit", mixinStandardHelpOptions = true,
         description = "Fits the model of the running master on its workers' data and waits until it is done.")
final class FitCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private MasterOptions master;

    @Override
    public Integer call() {
        final long started = System.nanoTime();
        final FitResult result;
        try (ChimeraClient client = master.client()) {
            result = client.fit();
        }
        final double seconds = (System.nanoTime() - started) / 1e9;
        spec.commandLine().getOut().printf("fit: %s in %.2f s%n", result.fit(), seconds);
        if (!result.failedWorkers().isEmpty()) {
            spec.commandLine().getOut().println("fit: without workers " + String.join(", ", result.failedWorkers())
                               + " (they failed; see `chimera status`)");
        }
        result.warnings().forEach(w -> spec.commandLine().getOut().println("fit: warning: " + w));
        return 0;
    }
}

package io.chimera.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.chimera.client.ChimeraClient;
import io.chimera.client.Predictions;
import io.chimera.common.Table;

/**
 * {@code chimera predict --csv X.csv}: reads a CSV of features (a header, then one row per line), sends it as
 * chimera's predict JSON and writes one prediction per row as a CSV with the header {@code y_pred}, followed by
 * one {@code proba_<class>} column per class when the master answers class probabilities.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
         description = "Predicts one value per row of a CSV of features (header + rows) with the running master.")
final class PredictCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private MasterOptions master;

    @Option(names = "--csv", required = true, paramLabel = "X.csv",
            description = "The features: a header of column names, then one row per line.")
    private Path csv;

    @Option(names = "--out", paramLabel = "predictions.csv",
            description = "Where to write the predictions (default: standard output).")
    private Path out;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(csv)) {
            throw new CommandFailure("--csv: " + csv + " (expected: a CSV file; it does not exist)");
        }
        final Table features = Table.readCsv(csv);
        final Predictions predictions;
        try (ChimeraClient client = master.client()) {
            predictions = client.predict(features);
        }
        if (out == null) {
            write(predictions, spec.commandLine().getOut());
        } else {
            try (Writer writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                write(predictions, writer);
            }
            spec.commandLine().getErr().println("predict: " + predictions.size() + " predictions written to " + out);
        }
        return 0;
    }

    static void write(Predictions predictions, Writer target) throws IOException {
        final BufferedWriter writer = new BufferedWriter(target);
        final double[] values = predictions.values();
        final double[] classes = predictions.classes();
        final double[][] probabilities = predictions.probabilities();
        final boolean withProbabilities = probabilities.length == values.length && classes.length > 0;
        writer.write("y_pred");
        if (withProbabilities) {
            for (double c : classes) {
                writer.write(",proba_" + number(c));
            }
        }
        writer.write('\n');
        for (int r = 0; r < values.length; r++) {
            writer.write(number(values[r]));
            if (withProbabilities) {
                for (double p : probabilities[r]) {
                    writer.write(',');
                    writer.write(number(p));
                }
            }
            writer.write('\n');
        }
        writer.flush();
    }

    /** Whole numbers without a fraction (class labels 0, 1, 2), others as Java prints a double. */
    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                                                                    : Double.toString(value);
    }
}

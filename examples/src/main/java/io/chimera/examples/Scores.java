package io.chimera.examples;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.client.Predictions;
import io.chimera.core.metrics.Metrics;
import io.chimera.proto.v1.TrainingHistory;

/** Holdout scores of a master's predictions, as the examples print them. */
final class Scores {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Accuracy and per-class precision, recall and F1, plus the ROC AUC for two classes. Two classes come as
     * P(positive class) per row (chimera's answer, classes 0 and 1 as its clients assume), more as labels.
     */
    static ObjectNode classification(Predictions predictions, double[] labels) {
        final ObjectNode out = JSON.createObjectNode().put("task", "classification");
        final double[] predicted;
        double[] classes = predictions.classes();
        if (classes.length == 0) {
            final double[] p = predictions.values();
            predicted = new double[p.length];
            for (int i = 0; i < p.length; i++) {
                predicted[i] = p[i] >= 0.5 ? 1 : 0;
            }
            out.put("roc_auc", Metrics.rocAuc(p, labels));
            classes = new double[] { 0, 1 };
        } else {
            predicted = predictions.values();
        }
        out.put("accuracy", Metrics.accuracy(predicted, labels));
        final ObjectNode perClass = out.putObject("per_class");
        for (double c : classes) {
            final double[] prf = Metrics.precisionRecallF1(predicted, labels, c);
            perClass.putObject(c == Math.rint(c) ? Long.toString((long) c) : Double.toString(c))
                    .put("precision", prf[0]).put("recall", prf[1]).put("f1", prf[2]);
        }
        return out;
    }

    /** Mean squared error, mean absolute error and R². */
    static ObjectNode regression(Predictions predictions, double[] labels) {
        final double[] y = predictions.values();
        return JSON.createObjectNode().put("task", "regression").put("mse", Metrics.mse(y, labels))
                   .put("mae", Metrics.mae(y, labels)).put("r2", Metrics.r2(y, labels));
    }

    /** What the parameter server's fit did: iterations, why it stopped, the last loss and the fit's time. */
    static ObjectNode training(TrainingHistory history) {
        final int n = history.getIterationsCount();
        return JSON.createObjectNode().put("iterations", n).put("stop_reason", history.getStopReason())
                   .put("final_training_loss", n > 0 ? history.getIterations(n - 1).getLoss() : Double.NaN)
                   .put("fit_seconds", history.getElapsedSeconds());
    }

    /** Prints every number of {@code scores} on its own line, {@code name = value}, nested names dotted. */
    static void print(ObjectNode scores) {
        print("", scores);
    }

    private static void print(String prefix, ObjectNode node) {
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isObject()) {
                print(prefix + e.getKey() + '.', (ObjectNode) e.getValue());
            } else if (e.getValue().isNumber() && !e.getValue().isIntegralNumber()) {
                System.out.printf("%-28s = %.4f%n", prefix + e.getKey(), e.getValue().asDouble());
            } else {
                System.out.printf("%-28s = %s%n", prefix + e.getKey(), e.getValue().asText());
            }
        });
    }

    private Scores() {}
}

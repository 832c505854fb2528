package io.chimera.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelStatus;
import io.chimera.proto.v1.WorkerStatus;

/** {@code chimera status}: {@code GET /v1/chimera/status}, as a few lines or as the JSON itself. */
@Command(name = "status", mixinStandardHelpOptions = true,
         description = "Shows the running master: its workers and their health, and the model's state.")
final class StatusCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private MasterOptions master;

    @Option(names = "--json", description = "Print the status as the master answers it, in JSON.")
    private boolean json;

    @Override
    public Integer call() throws InvalidProtocolBufferException {
        final MasterStatus status = master.status();
        final PrintWriter out = spec.commandLine().getOut();
        out.print(json ? JsonFormat.printer().print(status) + "\n" : describe(master.baseUrl(), status));
        // print() does not flush (println would), and main exits right after.
        out.flush();
        return 0;
    }

    static String describe(String baseUrl, MasterStatus status) {
        final StringBuilder text = new StringBuilder();
        final ModelStatus model = status.getModel();
        text.append(String.format("master   %s at %s, %s runtime, up %.0f s%n", status.getMaster(), baseUrl,
                                  status.getRuntime(), status.getUptimeSeconds()));
        text.append("model    ").append(model.getState());
        if (!model.getStrategy().isEmpty()) {
            text.append(" (").append(model.getStrategy()).append(')');
        }
        if (model.getImported()) {
            text.append(", imported");
        }
        if (model.getRestored()) {
            text.append(", restored from a previous run");
        }
        if (model.getFitSeconds() > 0) {
            text.append(String.format(", last fit %.2f s", model.getFitSeconds()));
        }
        if (!model.getError().isEmpty()) {
            text.append(", error: ").append(model.getError());
        }
        text.append(System.lineSeparator());
        if (model.getPartial()) {
            text.append("warning  partial fit: it lost ").append(String.join(", ", model.getFailedWorkersList()))
                .append(System.lineSeparator());
        }
        for (String warning : model.getWarningsList()) {
            text.append("warning  ").append(warning).append(System.lineSeparator());
        }
        for (WorkerStatus worker : status.getWorkersList()) {
            text.append(String.format("worker   %-12s %-28s %-9s %d calls, %d failed%s%n", worker.getName(),
                                      worker.getAddress(), worker.getHealth(), worker.getCalls(),
                                      worker.getFailures(),
                                      worker.getLastError().isEmpty() ? "" : "; last error: " + worker.getLastError()));
        }
        text.append("dashboard ").append(baseUrl).append("/dashboard").append(System.lineSeparator());
        return text.toString();
    }
}

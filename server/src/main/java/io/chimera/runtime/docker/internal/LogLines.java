package io.chimera.runtime.docker.internal;

import java.nio.charset.StandardCharsets;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;

import io.chimera.runtime.internal.WorkerOutput;

/** Splits the frames of a Docker log stream (a container's or a service's) into lines for a {@link WorkerOutput}. */
public final class LogLines extends ResultCallback.Adapter<Frame> {

    private final WorkerOutput output;
    private final StringBuilder partial = new StringBuilder();

    public LogLines(WorkerOutput output) {
        this.output = output;
    }

    @Override
    public void onNext(Frame frame) {
        final String text = new String(frame.getPayload(), StandardCharsets.UTF_8);
        synchronized (partial) {
            partial.append(text);
            int newline;
            while ((newline = partial.indexOf("\n")) >= 0) {
                String line = partial.substring(0, newline);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                output.line(line);
                partial.delete(0, newline + 1);
            }
        }
    }

    @Override
    public void onComplete() {
        synchronized (partial) {
            if (partial.length() > 0) {
                output.line(partial.toString());
                partial.setLength(0);
            }
        }
        super.onComplete();
    }
}

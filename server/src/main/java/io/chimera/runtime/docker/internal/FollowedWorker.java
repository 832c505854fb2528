package io.chimera.runtime.docker.internal;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;

import com.github.dockerjava.api.DockerClient;

import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.docker.DockerRuntimeBase;
import io.chimera.runtime.internal.WorkerOutput;

/**
 * A worker run by Docker (a container, a service) whose log stream is followed into a {@link WorkerOutput}.
 */
public abstract class FollowedWorker implements DockerRuntimeBase.RunningWorker {

    public final DockerClient docker;
    protected final WorkerSpec spec;
    public final WorkerOutput output;
    /** Guarded by {@code this}. */
    private Closeable logStream;

    public FollowedWorker(DockerClient docker, WorkerSpec spec, WorkerOutput output) {
        this.docker = docker;
        this.spec = spec;
        this.output = output;
    }

    @Override
    public WorkerSpec spec() {
        return spec;
    }

    @Override
    public List<String> tail() {
        return output.tail();
    }

    /** Follows {@code stream} from now on, instead of any stream before it. */
    protected synchronized void follow(Closeable stream) {
        closeStream();
        logStream = stream;
    }

    /** Stops following the output and closes the log file. */
    public synchronized void closeLogs() {
        closeStream();
        output.close();
    }

    private void closeStream() {
        if (logStream != null) {
            try {
                logStream.close();
            } catch (IOException ignored) {
                // The stream ends with the container anyway.
            }
            logStream = null;
        }
    }
}

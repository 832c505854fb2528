package io.chimera.observe.internal;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import com.google.protobuf.Timestamp;

import io.chimera.proto.v1.LatencyReport;
import io.chimera.proto.v1.LatencyRequest;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.StatusRequest;
import io.chimera.proto.v1.StatusServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * {@code GET /v1/chimera/status} and {@code GET /v1/chimera/latencies} of a master: read from what the run
 * watches, never from the workers, so that they answer at once even while a fit runs or a worker hangs.
 */
public final class MasterStatusService extends StatusServiceGrpc.StatusServiceImplBase {

    private final String master;
    private final String runtime;
    private final FitTracker fit;
    private final WorkerMonitor workers;
    private final LatencyBook latencies;
    private final Instant started = Instant.now();
    private final long startedNanos = System.nanoTime();

    /** The status of {@code master} whose workers run on {@code runtime}. */
    public MasterStatusService(String master, String runtime, FitTracker fit, WorkerMonitor workers,
                               LatencyBook latencies) {
        this.master = requireNonNull(master, "master");
        this.runtime = requireNonNull(runtime, "runtime");
        this.fit = requireNonNull(fit, "fit");
        this.workers = requireNonNull(workers, "workers");
        this.latencies = requireNonNull(latencies, "latencies");
    }

    @Override
    public void status(StatusRequest request, StreamObserver<MasterStatus> out) {
        out.onNext(MasterStatus.newBuilder()
                               .setMaster(master)
                               .setRuntime(runtime)
                               .setStartedTime(Timestamp.newBuilder().setSeconds(started.getEpochSecond())
                                                        .setNanos(started.getNano()))
                               .setUptimeSeconds((System.nanoTime() - startedNanos) / 1e9)
                               .addAllWorkers(workers.snapshot())
                               .setModel(fit.snapshot())
                               .build());
        out.onCompleted();
    }

    @Override
    public void latencies(LatencyRequest request, StreamObserver<LatencyReport> out) {
        out.onNext(latencies.report());
        out.onCompleted();
    }
}

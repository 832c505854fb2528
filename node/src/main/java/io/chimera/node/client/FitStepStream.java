package io.chimera.node.client;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.linecorp.armeria.common.CommonPools;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.FitStepResponse;
import io.chimera.proto.v1.SgdWorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/**
 * One fit's steps to one SGD worker, one at a time. Over gRPC they all travel on one bidirectional
 * {@code FitSteps} stream, which spares each step a call's headers, routing and bookkeeping at both ends: on
 * two cores that was most of a worker's time per step besides the gradient itself (docs/benchmarks.md).
 * Over REST, or to a worker that does not implement {@code FitSteps}, each step is a {@code fit-step} call.
 *
 * <p>A step keeps the contract of {@link WorkerClient#fitStep}: it is bounded by the worker timeout,
 * retried (on a new stream) when the worker is unreachable or does not answer in time, up to the configured
 * count, reported to the client's {@link WorkerClient.CallObserver} as a {@code fit-step} call, and fails with
 * the same {@link ChimeraException}s. A step that fails ends the stream; the next step opens a new one.
 *
 * <p>Thread-safe; {@link #close()} it when the fit ends.
 */
public final class FitStepStream implements AutoCloseable {

    private final WorkerClient client;
    private final SgdWorkerServiceGrpc.SgdWorkerServiceStub stub;
    private final Duration timeout;
    private final int maxRetries;
    private final WorkerClient.CallObserver observer;

    // Guarded by this.
    private boolean unary;
    private boolean closed;
    private Open open;

    FitStepStream(WorkerClient client, SgdWorkerServiceGrpc.SgdWorkerServiceStub stub, Duration timeout,
                  int maxRetries, WorkerClient.CallObserver observer, boolean unary) {
        this.client = requireNonNull(client, "client");
        this.stub = stub;
        this.timeout = timeout;
        this.maxRetries = maxRetries;
        this.observer = observer;
        this.unary = unary;
    }

    /** The worker's answer to {@code request}; at most one step may be in flight. */
    public CompletableFuture<FitStepResponse> step(FitStepRequest request) {
        final CompletableFuture<FitStepResponse> result = new CompletableFuture<>();
        attempt(0, request, result);
        return result;
    }

    /** Whether steps go as separate {@code fit-step} calls (REST, or a worker without {@code FitSteps}). */
    public synchronized boolean unary() {
        return unary;
    }

    /** Ends the stream, if one is open; later steps fail. */
    @Override
    public void close() {
        final Open o;
        synchronized (this) {
            closed = true;
            o = open;
            open = null;
        }
        if (o != null) {
            o.finish();
        }
    }

    private void attempt(int attempt, FitStepRequest request, CompletableFuture<FitStepResponse> result) {
        final boolean useUnary;
        synchronized (this) {
            if (closed) {
                result.completeExceptionally(ChimeraException.internal(
                        "the fit-step stream to worker " + client.name() + " is closed"));
                return;
            }
            useUnary = unary;
        }
        if (useUnary) {
            // The client times, retries and reports the call itself.
            client.fitStep(request).whenComplete((v, e) -> {
                if (e == null) {
                    result.complete(v);
                } else {
                    result.completeExceptionally(FanOut.unwrap(e));
                }
            });
            return;
        }
        final long start = System.nanoTime();
        send(request).whenComplete((value, error) -> {
            final double seconds = (System.nanoTime() - start) / 1e9;
            if (error == null) {
                observer.called(client, ChimeraPaths.SGD_FIT_STEP, seconds, null);
                result.complete(value);
                return;
            }
            if (error instanceof Unimplemented) {
                // A worker built before FitSteps, or another implementation of the service: one call per step.
                synchronized (this) {
                    unary = true;
                }
                attempt(attempt, request, result);
                return;
            }
            final ChimeraException e = FanOut.unwrap(error);
            observer.called(client, ChimeraPaths.SGD_FIT_STEP, seconds, e);
            if (WorkerClient.retryable(e) && attempt < maxRetries) {
                attempt(attempt + 1, request, result);
            } else {
                result.completeExceptionally(e);
            }
        });
    }

    private CompletableFuture<FitStepResponse> send(FitStepRequest request) {
        final Open o;
        final CompletableFuture<FitStepResponse> pending = new CompletableFuture<>();
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(
                        ChimeraException.internal("the fit-step stream to worker " + client.name() + " is closed"));
            }
            if (open == null) {
                open = new Open();
            }
            o = open;
            if (o.ended) {
                // It failed as it opened (a client shutting down, say): nothing will answer on it.
                open = null;
                return CompletableFuture.failedFuture(client.unreachable(
                        new IllegalStateException("the fit-step stream ended as it opened")));
            }
            if (!o.expect(pending)) {
                return CompletableFuture.failedFuture(ChimeraException.internal(
                        "a fit-step to worker " + client.name() + " is already in flight"));
            }
        }
        o.write(request);
        return pending;
    }

    /** Fails the step in flight on {@code o} with {@code error} and forgets the stream. */
    private void end(Open o, Throwable error) {
        final CompletableFuture<FitStepResponse> p;
        synchronized (this) {
            if (open == o) {
                open = null;
            }
            p = o.take();
        }
        if (p != null) {
            p.completeExceptionally(error);
        }
    }

    /** Marks a stream the worker does not implement. */
    private static final class Unimplemented extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unimplemented() {
            super(null, null, false, false);
        }
    }

    /** One open stream and its step in flight. Its fields are guarded by the enclosing stream. */
    private final class Open implements StreamObserver<FitStepResponse> {
        private final StreamObserver<FitStepRequest> requests;
        private CompletableFuture<FitStepResponse> pending;
        private ScheduledFuture<?> timer;
        private boolean ended;

        Open() {
            requests = stub.fitSteps(this);
        }

        /** Registers the step about to be written; false if another one is in flight. */
        boolean expect(CompletableFuture<FitStepResponse> p) {
            if (pending != null) {
                return false;
            }
            pending = p;
            if (!timeout.isZero()) {
                timer = CommonPools.workerGroup().next().schedule(this::timedOut, timeout.toNanos(),
                                                                  TimeUnit.NANOSECONDS);
            }
            return true;
        }

        void write(FitStepRequest request) {
            try {
                requests.onNext(request);
            } catch (RuntimeException e) {
                end(this, client.unreachable(e));
                cancel(e);
            }
        }

        /** The step in flight, now no longer in flight, or null. */
        CompletableFuture<FitStepResponse> take() {
            final CompletableFuture<FitStepResponse> p = pending;
            pending = null;
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            return p;
        }

        @Override
        public void onNext(FitStepResponse value) {
            final CompletableFuture<FitStepResponse> p;
            synchronized (FitStepStream.this) {
                p = take();
            }
            if (p != null) {
                p.complete(value);
            }
        }

        @Override
        public void onError(Throwable t) {
            synchronized (FitStepStream.this) {
                ended = true;
            }
            if (t instanceof StatusRuntimeException
                && ((StatusRuntimeException) t).getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                end(this, new Unimplemented());
            } else {
                end(this, client.fromGrpc(t));
            }
        }

        @Override
        public void onCompleted() {
            synchronized (FitStepStream.this) {
                ended = true;
            }
            end(this, ChimeraException.internal("worker " + client.name() + " ended its fit-step stream"));
        }

        private void timedOut() {
            // The step fails first: cancelling makes the stream report a cancellation of its own.
            end(this, client.timedOut());
            cancel(null);
        }

        /** Ends the stream from this side: the worker stops reading it. */
        void finish() {
            synchronized (FitStepStream.this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            try {
                requests.onCompleted();
            } catch (RuntimeException ignored) {
                // Already failed: nothing to end.
            }
        }

        private void cancel(Throwable cause) {
            synchronized (FitStepStream.this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            try {
                requests.onError(Status.CANCELLED.withDescription("fit-step abandoned").withCause(cause)
                                                 .asRuntimeException());
            } catch (RuntimeException ignored) {
                // Already failed: nothing to cancel.
            }
        }
    }
}

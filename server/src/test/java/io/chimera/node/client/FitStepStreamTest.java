package io.chimera.node.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.chimera.common.ChimeraException;
import io.chimera.common.ChimeraPaths;
import io.chimera.node.NodeServer;
import io.chimera.proto.v1.FitStepRequest;
import io.chimera.proto.v1.FitStepResponse;
import io.chimera.proto.v1.SgdOptions;
import io.chimera.proto.v1.SgdWorkerServiceGrpc;
import io.chimera.strategy.parameterserver.SGDWorker;
import io.chimera.workers.WorkerEnvironment;
import io.grpc.stub.StreamObserver;

/**
 * {@link FitStepStream}, a fit's steps on one {@code FitSteps} stream, against a real {@link SGDWorker} and
 * against fake workers that hang, lack the stream or answer it badly: the same answers and errors as one
 * {@code fit-step} call per step, the worker timeout and retries per step, and a fallback to calls.
 */
class FitStepStreamTest {

    private static NodeServer sgd;

    @BeforeAll
    static void startWorker() {
        sgd = new SGDWorker().start(WorkerEnvironment.from(Map.of(
                WorkerEnvironment.NAME, "sgd1",
                WorkerEnvironment.PORT, "0",
                WorkerEnvironment.TRAIN_DATA_DIR, trainDir().toString())));
    }

    @AfterAll
    static void stopWorker() {
        sgd.close();
    }

    private static Path trainDir() {
        return io.chimera.server.TestProject.train("breast-cancer");
    }

    /** Every attempt the client reported: path and error type ("" when it succeeded). */
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    private WorkerClient client(NodeServer server, Duration timeout, int retries, WorkerTransport transport) {
        return new WorkerClient("w", "http://127.0.0.1:" + server.port(), timeout, retries, transport,
                                (w, path, seconds, error) -> calls.add(path + ' '
                                                                       + (error == null ? "" : error.errorType())));
    }

    private static FitStepRequest step(long step, int batchSize, String loss) {
        final FitStepRequest.Builder b = FitStepRequest.newBuilder().setStep(step).setOptions(
                SgdOptions.newBuilder().setLoss(loss).setBatchSize(batchSize).setSeed(7).addClasses(0).addClasses(1));
        for (int i = 0; i < 30; i++) {
            b.addWeights(0.01 * step * (i % 5 - 2));
        }
        return b.addBias(0.1 * step).build();
    }

    @Test
    void stream_answersEachStepExactlyAsOneCallPerStep() {
        final WorkerClient grpc = client(sgd, Duration.ofSeconds(10), 0, WorkerTransport.GRPC);
        try (FitStepStream stream = grpc.fitSteps()) {
            for (int batch : new int[] {0, 64}) {
                for (long s = 1; s <= 25; s++) {
                    final FitStepRequest req = step(s, batch, "log_loss");
                    final FitStepResponse streamed = stream.step(req).join();
                    assertThat(streamed.getWeightsGradientsCount()).isEqualTo(30);
                    assertThat(timed(streamed)).isEqualTo(timed(grpc.fitStep(req).join()));
                }
            }
            assertThat(stream.unary()).isFalse();
        }
        // Each step is reported like a call: 50 streamed and 50 separate.
        assertThat(calls).hasSize(100).allMatch((ChimeraPaths.SGD_FIT_STEP + ' ')::equals);
    }

    @Test
    void rest_stepsAreSeparateCalls_withTheSameAnswers() {
        final WorkerClient rest = client(sgd, Duration.ofSeconds(10), 0, WorkerTransport.REST);
        final WorkerClient grpc = client(sgd, Duration.ofSeconds(10), 0, WorkerTransport.GRPC);
        try (FitStepStream restSteps = rest.fitSteps(); FitStepStream grpcSteps = grpc.fitSteps()) {
            assertThat(restSteps.unary()).isTrue();
            for (long s = 1; s <= 5; s++) {
                assertThat(timed(restSteps.step(step(s, 0, "log_loss")).join()))
                        .isEqualTo(timed(grpcSteps.step(step(s, 0, "log_loss")).join()));
            }
        }
    }

    @Test
    void badStep_failsWithTheCallsError_andTheNextStepOpensANewStream() {
        final WorkerClient grpc = client(sgd, Duration.ofSeconds(10), 2, WorkerTransport.GRPC);
        final ChimeraException unary = error(() -> grpc.fitStep(step(1, 0, "cubic")).join());
        try (FitStepStream stream = grpc.fitSteps()) {
            assertThat(stream.step(step(1, 0, "log_loss")).join().getRows()).isGreaterThan(0);
            final ChimeraException streamed = error(() -> stream.step(step(2, 0, "cubic")).join());
            assertThat(streamed.httpStatus()).isEqualTo(400).isEqualTo(unary.httpStatus());
            assertThat(streamed.errorType()).isEqualTo(unary.errorType());
            assertThat(streamed.getMessage()).isEqualTo(unary.getMessage()).contains("cubic");
            // A worker's own error is not retried.
            assertThat(calls).containsExactly(
                    ChimeraPaths.SGD_FIT_STEP + ' ' + unary.errorType(), ChimeraPaths.SGD_FIT_STEP + ' ',
                    ChimeraPaths.SGD_FIT_STEP + ' ' + unary.errorType());
            assertThat(timed(stream.step(step(3, 0, "log_loss")).join()))
                    .isEqualTo(timed(grpc.fitStep(step(3, 0, "log_loss")).join()));
        }
    }

    @ParameterizedTest
    @EnumSource(WorkerTransport.class)
    void closedStream_refusesSteps(WorkerTransport transport) {
        final FitStepStream stream = client(sgd, Duration.ofSeconds(10), 0, transport).fitSteps();
        stream.step(step(1, 0, "log_loss")).join();
        stream.close();
        assertThat(error(() -> stream.step(step(2, 0, "log_loss")).join()).getMessage())
                .isEqualTo("the fit-step stream to worker w is closed");
        assertThat(calls).hasSize(1);
    }

    @Test
    void hangingStream_timesOutEachAttempt_retriesOnANewStream_thenFails() {
        final FakeWorker fake = new FakeWorker(Behaviour.HANG);
        try (NodeServer server = fake.start()) {
            final WorkerClient c = client(server, Duration.ofMillis(300), 2, WorkerTransport.GRPC);
            try (FitStepStream stream = c.fitSteps()) {
                final long start = System.nanoTime();
                final ChimeraException e = error(() -> stream.step(step(1, 0, "log_loss")).get(20, TimeUnit.SECONDS));
                final double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(e.httpStatus()).isEqualTo(504);
                assertThat(e.errorType()).isEqualTo(WorkerClient.TIMEOUT);
                assertThat(e.getMessage()).contains("worker w did not answer within 0.3 s");
                assertThat(seconds).isGreaterThanOrEqualTo(0.9);
                assertThat(calls).containsExactly(Collections.nCopies(3, ChimeraPaths.SGD_FIT_STEP + ' '
                                                                         + WorkerClient.TIMEOUT)
                                                             .toArray(new String[0]));
                // Three attempts, each on a stream of its own, the abandoned ones cancelled.
                assertThat(fake.streamsOpened.get()).isEqualTo(3);
                awaitAtMost(5, () -> fake.streamsCancelled.get() == 3);
            }
        }
    }

    @Test
    void workerWithoutTheStream_getsOneCallPerStep() {
        final FakeWorker fake = new FakeWorker(Behaviour.UNARY_ONLY);
        try (NodeServer server = fake.start()) {
            final WorkerClient c = client(server, Duration.ofSeconds(10), 0, WorkerTransport.GRPC);
            try (FitStepStream stream = c.fitSteps()) {
                for (long s = 1; s <= 3; s++) {
                    assertThat(stream.step(step(s, 0, "log_loss")).join().getLoss()).isEqualTo(s);
                }
                assertThat(stream.unary()).isTrue();
            }
            assertThat(fake.unaryCalls.get()).isEqualTo(3);
            assertThat(calls).containsExactly(ChimeraPaths.SGD_FIT_STEP + ' ', ChimeraPaths.SGD_FIT_STEP + ' ',
                                              ChimeraPaths.SGD_FIT_STEP + ' ');
        }
    }

    @Test
    void workerEndingTheStreamEarly_failsTheStep_andTheNextStepOpensAnotherStream() {
        final FakeWorker fake = new FakeWorker(Behaviour.END_AFTER_ONE);
        try (NodeServer server = fake.start()) {
            final WorkerClient c = client(server, Duration.ofSeconds(10), 0, WorkerTransport.GRPC);
            try (FitStepStream stream = c.fitSteps()) {
                assertThat(stream.step(step(1, 0, "log_loss")).join().getLoss()).isEqualTo(1);
                final ChimeraException e = error(() -> stream.step(step(2, 0, "log_loss")).join());
                assertThat(e.httpStatus()).isEqualTo(500);
                assertThat(e.getMessage()).contains("worker w ended its fit-step stream");
                assertThat(stream.step(step(3, 0, "log_loss")).join().getLoss()).isEqualTo(3);
                assertThat(fake.streamsOpened.get()).isEqualTo(2);
            }
        }
    }

    @Test
    void stoppedWorker_isUnreachable_afterTheRetries() {
        final FakeWorker fake = new FakeWorker(Behaviour.ECHO);
        final NodeServer server = fake.start();
        final WorkerClient c = client(server, Duration.ofSeconds(5), 1, WorkerTransport.GRPC);
        try (FitStepStream stream = c.fitSteps()) {
            assertThat(stream.step(step(1, 0, "log_loss")).join().getLoss()).isEqualTo(1);
            server.close();
            final ChimeraException e = error(() -> stream.step(step(2, 0, "log_loss")).get(20, TimeUnit.SECONDS));
            assertThat(e.httpStatus()).isEqualTo(503);
            assertThat(e.errorType()).isEqualTo(WorkerClient.UNREACHABLE);
            assertThat(calls).endsWith(ChimeraPaths.SGD_FIT_STEP + ' ' + WorkerClient.UNREACHABLE,
                                       ChimeraPaths.SGD_FIT_STEP + ' ' + WorkerClient.UNREACHABLE);
        }
    }

    @Test
    void longStream_carriesMoreThanTheWorkersRequestLimit_inSmallMessages() {
        final FakeWorker fake = new FakeWorker(Behaviour.ECHO);
        try (NodeServer server = fake.start(4096)) {
            final WorkerClient c = client(server, Duration.ofSeconds(10), 0, WorkerTransport.GRPC);
            try (FitStepStream stream = c.fitSteps()) {
                // About 300 bytes a step: 200 steps are about 15 times the limit, each far below it.
                for (long s = 1; s <= 200; s++) {
                    assertThat(stream.step(step(s, 0, "log_loss")).join().getLoss()).isEqualTo(s);
                }
            }
            assertThat(fake.streamsOpened.get()).isEqualTo(1);
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static ChimeraException error(Call call) {
        final Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(() -> {
            try {
                call.run();
            } catch (Throwable t) {
                thrown[0] = t;
                throw t;
            }
        }).isNotNull();
        // join() wraps the failure in a CompletionException, get() in an ExecutionException.
        assertThat(thrown[0].getCause()).isInstanceOf(ChimeraException.class);
        return (ChimeraException) thrown[0].getCause();
    }

    private static void awaitAtMost(int seconds, java.util.function.BooleanSupplier condition) {
        final long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %d s", seconds).isLessThan(end);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private enum Behaviour { HANG, UNARY_ONLY, END_AFTER_ONE, ECHO }

    /** A worker whose steps answer a loss equal to the step number, or misbehave as told. */
    private static final class FakeWorker {
        final Behaviour behaviour;
        final AtomicInteger streamsOpened = new AtomicInteger();
        final AtomicInteger streamsCancelled = new AtomicInteger();
        final AtomicInteger unaryCalls = new AtomicInteger();

        FakeWorker(Behaviour behaviour) {
            this.behaviour = behaviour;
        }

        NodeServer start() {
            return start(1024 * 1024);
        }

        NodeServer start(long maxRequestBytes) {
            return NodeServer.builder().name("fake").port(0).maxRequestBytes(maxRequestBytes)
                             .quickService(behaviour == Behaviour.UNARY_ONLY ? new UnaryOnly() : new Streaming())
                             .build().start();
        }

        private static FitStepResponse answer(FitStepRequest req) {
            return FitStepResponse.newBuilder().setLoss(req.getStep()).setRows(1)
                                  .addAllWeightsGradients(req.getWeightsList()).addAllBiasGradient(req.getBiasList())
                                  .build();
        }

        private final class UnaryOnly extends SgdWorkerServiceGrpc.SgdWorkerServiceImplBase {
            @Override
            public void fitStep(FitStepRequest request, StreamObserver<FitStepResponse> out) {
                unaryCalls.incrementAndGet();
                out.onNext(answer(request));
                out.onCompleted();
            }
        }

        private final class Streaming extends SgdWorkerServiceGrpc.SgdWorkerServiceImplBase {
            @Override
            public StreamObserver<FitStepRequest> fitSteps(StreamObserver<FitStepResponse> out) {
                streamsOpened.incrementAndGet();
                return new StreamObserver<>() {
                    private int answered;

                    @Override
                    public void onNext(FitStepRequest request) {
                        switch (behaviour) {
                            case HANG:
                                return;
                            case END_AFTER_ONE:
                                if (answered++ == 1) {
                                    out.onCompleted();
                                    return;
                                }
                                out.onNext(answer(request));
                                return;
                            default:
                                out.onNext(answer(request));
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        streamsCancelled.incrementAndGet();
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                };
            }
        }
    }

    /**
     * The answer without its {@code compute_seconds}, which the worker measured and which differs from call to call;
     * checks that it was reported.
     */
    private static FitStepResponse timed(FitStepResponse response) {
        assertThat(response.getComputeSeconds()).as("the worker's own compute time").isPositive();
        return response.toBuilder().clearComputeSeconds().build();
    }
}

package io.chimera.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.linecorp.armeria.client.grpc.GrpcClients;

import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;

/**
 * A bounded load on a master's {@code predict}: {@code clients} threads, each with its own connection, each
 * sending {@code callsPerClient} predicts back to back, every answer checked against the expected one. Stops
 * by itself: a fixed number of calls, each with a 30 s timeout.
 */
public final class PredictLoad {

    /** What a load run measured. */
    public static final class Result {
        public final int calls;
        public final int errors;
        final List<String> firstErrors;
        final double seconds;
        final double[] latenciesMs;

        Result(int calls, int errors, List<String> firstErrors, double seconds, double[] latenciesMs) {
            this.calls = calls;
            this.errors = errors;
            this.firstErrors = firstErrors;
            this.seconds = seconds;
            this.latenciesMs = latenciesMs;
        }

        public double throughput() {
            return calls / seconds;
        }

        public double percentileMs(double p) {
            final double[] sorted = latenciesMs.clone();
            Arrays.sort(sorted);
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100 * sorted.length) - 1)];
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d calls, %d errors, %.2f s, %.0f calls/s, p50 %.2f ms, p99 %.2f ms, " +
                                              "max %.2f ms", calls, errors, seconds, throughput(), percentileMs(50),
                                 percentileMs(99), percentileMs(100));
        }
    }

    private interface Call {
        /** Sends one predict; returns null when the answer is the expected one, else what was wrong. */
        String call() throws Exception;
    }

    /** REST: {@code POST <baseUrl>/v1/chimera/aggregation/predict} with {@code body}, over HTTP/1.1. */
    public static Result rest(String url, String body, String expectedBody, int clients, int callsPerClient) {
        return run(clients, callsPerClient, () -> {
            final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            final HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                                                   .timeout(java.time.Duration.ofSeconds(30))
                                                   .header("Content-Type", "application/json")
                                                   .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            return () -> {
                final HttpResponse<String> res = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() != 200) {
                    return res.statusCode() + " " + res.body();
                }
                return res.body().equals(expectedBody) ? null : "a different answer: " + res.body();
            };
        });
    }

    /** gRPC: {@code AggregationMasterService/Predict} with {@code request}, over HTTP/2. */
    static Result grpc(String baseUrl, PredictRequest request, PredictResponse expected, int clients,
                       int callsPerClient) {
        return run(clients, callsPerClient, () -> {
            final AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub stub =
                    GrpcClients.builder(baseUrl).responseTimeoutMillis(30_000)
                               .build(AggregationMasterServiceGrpc.AggregationMasterServiceBlockingStub.class);
            return () -> {
                final PredictResponse answer = stub.predict(request);
                return answer.equals(expected) ? null : "a different answer: " + answer;
            };
        });
    }

    private interface ClientFactory {
        Call newClient();
    }

    private static Result run(int clients, int callsPerClient, ClientFactory factory) {
        final double[] latencies = new double[clients * callsPerClient];
        final AtomicInteger errors = new AtomicInteger();
        final ConcurrentLinkedQueue<String> firstErrors = new ConcurrentLinkedQueue<>();
        final CountDownLatch ready = new CountDownLatch(clients);
        final CountDownLatch go = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            final int client = c;
            final Thread t = new Thread(() -> {
                final Call call = factory.newClient();
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < callsPerClient; i++) {
                    final long start = System.nanoTime();
                    String problem;
                    try {
                        problem = call.call();
                    } catch (Exception e) {
                        problem = e.toString();
                    }
                    latencies[client * callsPerClient + i] = (System.nanoTime() - start) / 1e6;
                    if (problem != null) {
                        errors.incrementAndGet();
                        if (firstErrors.size() < 5) {
                            firstErrors.add(problem);
                        }
                    }
                }
            }, "predict-load-" + c);
            threads.add(t);
            t.start();
        }
        try {
            ready.await(30, TimeUnit.SECONDS);
            final long start = System.nanoTime();
            go.countDown();
            for (Thread t : threads) {
                t.join();
            }
            return new Result(clients * callsPerClient, errors.get(), List.copyOf(firstErrors),
                              (System.nanoTime() - start) / 1e9, latencies);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private PredictLoad() {}
}

package io.chimera.node.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.chimera.common.ChimeraException;

/**
 * Calls every worker at once and gathers what each answered, successes and failures side by side, without
 * a thread per call.
 */
public final class FanOut {

    /** One worker's outcome: a value or an error. */
    public static final class Outcome<T> {
        private final WorkerClient worker;
        private final T value;
        private final ChimeraException error;

        Outcome(WorkerClient worker, T value, ChimeraException error) {
            this.worker = worker;
            this.value = value;
            this.error = error;
        }

        public WorkerClient worker() {
            return worker;
        }

        public boolean ok() {
            return error == null;
        }

        public T value() {
            return value;
        }

        public ChimeraException error() {
            return error;
        }
    }

    /** Calls {@code call} on every worker; completes when all have answered or failed. */
    public static <T> CompletableFuture<List<Outcome<T>>> all(
            List<WorkerClient> workers, Function<WorkerClient, CompletableFuture<T>> call) {
        final List<CompletableFuture<Outcome<T>>> futures = new ArrayList<>(workers.size());
        for (WorkerClient w : workers) {
            CompletableFuture<T> f;
            try {
                f = call.apply(w);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            futures.add(f.handle((v, t) -> new Outcome<>(w, v, t == null ? null : unwrap(t))));
        }
        return CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            final List<Outcome<T>> out = new ArrayList<>(futures.size());
            for (CompletableFuture<Outcome<T>> f : futures) {
                out.add(f.join());
            }
            return out;
        });
    }

    /** The outcome of a call that failed with {@code error}. */
    public static <T> Outcome<T> failed(WorkerClient worker, Throwable error) {
        return new Outcome<>(worker, null, unwrap(error));
    }

    /** The {@link ChimeraException} a failed call ended with (an unexpected error as a 500). */
    public static ChimeraException unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c instanceof ChimeraException ? (ChimeraException) c : ChimeraException.internal(String.valueOf(c));
    }

    /**
     * The error to answer when every worker failed: the callers' mistake when every worker called it one
     * (an unknown column, say), else a 503 listing each worker's failure.
     */
    public static ChimeraException allFailed(String what, List<? extends Outcome<?>> outcomes) {
        boolean allClient = !outcomes.isEmpty();
        for (Outcome<?> o : outcomes) {
            allClient &= o.error().isClientError();
        }
        if (allClient) {
            return outcomes.get(0).error();
        }
        final StringBuilder sb = new StringBuilder("all ").append(what).append(" responses from workers failed");
        for (Outcome<?> o : outcomes) {
            sb.append("; ").append(o.worker().name()).append(": ").append(o.error().getMessage());
        }
        return ChimeraException.workersUnavailable(sb.toString());
    }

    private FanOut() {}
}

package io.chimera.models.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import io.chimera.common.Table;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;

/**
 * Sends concurrent small predicts to the workers together. At most {@value #MAX_IN_FLIGHT} fan-outs run at
 * once; predicts that arrive meanwhile wait for one to end and then go as one request, their rows one after
 * another, and each gets its own rows of the aggregated answer. A client alone never waits; under a load of
 * single-row predicts the master makes one call per worker for many predicts instead of one each, which is
 * what limited its throughput (docs/benchmarks.md).
 *
 * <p>Only predicts with the same columns in the same order share a request, up to {@value #MAX_BATCH_ROWS}
 * rows; a larger predict goes alone, at once. The answers are the same as sent alone: every row's prediction
 * depends on that row only. An error of the shared request (a worker's 400, a fit that started meanwhile) is
 * every sharer's error.
 */
public final class PredictBatcher {

    static final int MAX_IN_FLIGHT = 2;
    static final int MAX_BATCH_ROWS = 256;

    /** A predict waiting for its turn. */
    private record Pending(Table table, CompletableFuture<PredictResponse> answer) {}

    private final Function<Table, CompletableFuture<PredictResponse>> fanOut;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private int inFlight;

    /**
     * A batcher sending each request through {@code fanOut}, which calls every worker with a table's rows and
     * completes with the aggregated answer, or exceptionally.
     */
    public PredictBatcher(Function<Table, CompletableFuture<PredictResponse>> fanOut) {
        this.fanOut = requireNonNull(fanOut, "fanOut");
    }

    /** Predicts the rows of {@code table}, alone or with others; completes with its own answer. */
    public CompletableFuture<PredictResponse> predict(Table table) {
        if (table.rows() > MAX_BATCH_ROWS) {
            return fanOut.apply(table);
        }
        final Pending pending = new Pending(table, new CompletableFuture<>());
        synchronized (this) {
            queue.add(pending);
            if (inFlight >= MAX_IN_FLIGHT) {
                return pending.answer;
            }
            inFlight++;
        }
        sendNext();
        return pending.answer;
    }

    /** Sends the next batch; when it is answered, the one after, until the queue is empty. */
    private void sendNext() {
        final List<Pending> batch;
        synchronized (this) {
            batch = takeBatch();
            if (batch.isEmpty()) {
                inFlight--;
                return;
            }
        }
        final CompletableFuture<PredictResponse> sent;
        try {
            sent = fanOut.apply(batch.size() == 1 ? batch.get(0).table : concatenate(batch));
        } catch (RuntimeException e) {
            batch.forEach(p -> p.answer.completeExceptionally(e));
            sendNext();
            return;
        }
        sent.whenComplete((answer, error) -> {
            if (error != null) {
                batch.forEach(p -> p.answer.completeExceptionally(error));
            } else if (batch.size() == 1) {
                batch.get(0).answer.complete(answer);
            } else {
                int from = 0;
                for (Pending p : batch) {
                    p.answer.complete(rows(answer, from, from + p.table.rows()));
                    from += p.table.rows();
                }
            }
            sendNext();
        });
    }

    /** The head of the queue and the queued predicts with its columns, up to the row limit. */
    private List<Pending> takeBatch() {
        final List<Pending> batch = new ArrayList<>();
        final Pending head = queue.poll();
        if (head == null) {
            return batch;
        }
        batch.add(head);
        int rows = head.table.rows();
        for (Iterator<Pending> it = queue.iterator(); it.hasNext();) {
            final Pending p = it.next();
            if (p.table.columns().equals(head.table.columns()) && rows + p.table.rows() <= MAX_BATCH_ROWS) {
                batch.add(p);
                rows += p.table.rows();
                it.remove();
            }
        }
        return batch;
    }

    private static Table concatenate(List<Pending> batch) {
        final int cols = batch.get(0).table.cols();
        int rows = 0;
        for (Pending p : batch) {
            rows += p.table.rows();
        }
        final double[] values = new double[rows * cols];
        int at = 0;
        for (Pending p : batch) {
            System.arraycopy(p.table.values(), 0, values, at, p.table.values().length);
            at += p.table.values().length;
        }
        return Table.of(batch.get(0).table.columns(), values, rows);
    }

    /** Rows {@code [from, to)} of an aggregated answer. */
    static PredictResponse rows(PredictResponse answer, int from, int to) {
        final PredictResponse.Builder part =
                PredictResponse.newBuilder().addAllYPredRows(answer.getYPredRowsList().subList(from, to))
                               .addAllClasses(answer.getClassesList());
        if (answer.hasYPredProba()) {
            final Matrix proba = answer.getYPredProba();
            final int cols = proba.getCols();
            part.setYPredProba(Matrix.newBuilder().setRows(to - from).setCols(cols)
                                     .addAllValues(proba.getValuesList().subList(from * cols, to * cols)));
        }
        return part.build();
    }
}

package io.chimera.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.node.client.FanOut;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictResponse;

class PredictBatcherTest {

    /** The fan-outs asked for, answered when the test says so: each row's answer is its first value. */
    private final List<Table> sent = new ArrayList<>();
    private final List<CompletableFuture<PredictResponse>> calls = new ArrayList<>();
    private final PredictBatcher batcher = new PredictBatcher(table -> {
        sent.add(table);
        final CompletableFuture<PredictResponse> call = new CompletableFuture<>();
        calls.add(call);
        return call;
    });

    private static Table rows(List<String> columns, double... firstValues) {
        final double[] values = new double[firstValues.length * columns.size()];
        for (int r = 0; r < firstValues.length; r++) {
            values[r * columns.size()] = firstValues[r];
        }
        return Table.of(columns, values, firstValues.length);
    }

    /** Answers call {@code i} with each row's first value and P = (value, 1 - value) over classes 0 and 1. */
    private void answer(int i) {
        final Table t = sent.get(i);
        final PredictResponse.Builder b = PredictResponse.newBuilder().addClasses(0).addClasses(1);
        final Matrix.Builder proba = Matrix.newBuilder().setRows(t.rows()).setCols(2);
        for (int r = 0; r < t.rows(); r++) {
            b.addYPredRows(t.get(r, 0));
            proba.addValues(t.get(r, 0)).addValues(1 - t.get(r, 0));
        }
        calls.get(i).complete(b.setYPredProba(proba).build());
    }

    @Test
    void predict_alone_goesAtOnce() {
        final CompletableFuture<PredictResponse> a = batcher.predict(rows(List.of("x"), 0.25));

        assertThat(sent).hasSize(1);
        answer(0);
        assertThat(a.join().getYPredRowsList()).containsExactly(0.25);
    }

    @Test
    void predict_whileTwoAreInFlight_waitsAndSharesOneRequest() {
        final List<String> columns = List.of("x", "y");
        final CompletableFuture<PredictResponse> a = batcher.predict(rows(columns, 0.1));
        final CompletableFuture<PredictResponse> b = batcher.predict(rows(columns, 0.2));
        final CompletableFuture<PredictResponse> c = batcher.predict(rows(columns, 0.3, 0.4));
        final CompletableFuture<PredictResponse> d = batcher.predict(rows(List.of("y", "x"), 0.5));
        final CompletableFuture<PredictResponse> e = batcher.predict(rows(columns, 0.6));
        assertThat(sent).hasSize(2);

        answer(0);
        // c and e share a request (same columns, in order); d, with other columns, waits for the next turn.
        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).rows()).isEqualTo(3);
        answer(1);
        assertThat(sent).hasSize(4);
        answer(2);
        answer(3);

        assertThat(a.join().getYPredRowsList()).containsExactly(0.1);
        assertThat(b.join().getYPredRowsList()).containsExactly(0.2);
        assertThat(c.join().getYPredRowsList()).containsExactly(0.3, 0.4);
        assertThat(c.join().getYPredProba().getValuesList()).containsExactly(0.3, 0.7, 0.4, 0.6);
        assertThat(c.join().getClassesList()).containsExactly(0.0, 1.0);
        assertThat(e.join().getYPredRowsList()).containsExactly(0.6);
        assertThat(d.join().getYPredRowsList()).containsExactly(0.5);
    }

    @Test
    void predict_sharedRequestFails_failsEverySharer() {
        final List<String> columns = List.of("x");
        batcher.predict(rows(columns, 0.1));
        batcher.predict(rows(columns, 0.2));
        final CompletableFuture<PredictResponse> c = batcher.predict(rows(columns, 0.3));
        final CompletableFuture<PredictResponse> d = batcher.predict(rows(columns, 0.4));

        calls.get(0).completeExceptionally(ChimeraException.notFitted("not yet"));
        calls.get(2).completeExceptionally(ChimeraException.fitInProgress("a fit is running"));

        assertThat(c).isCompletedExceptionally();
        assertThat(d).isCompletedExceptionally();
        assertThat(FanOut.unwrap(c.handle((v, t) -> t).join()).errorType())
                .isEqualTo(ChimeraException.FIT_IN_PROGRESS_ERROR);
    }

    @Test
    void predict_largeTable_goesAloneAtOnce() {
        batcher.predict(rows(List.of("x"), 0.1));
        batcher.predict(rows(List.of("x"), 0.2));

        batcher.predict(rows(List.of("x"), new double[PredictBatcher.MAX_BATCH_ROWS + 1]));

        assertThat(sent).hasSize(3);
        assertThat(sent.get(2).rows()).isEqualTo(PredictBatcher.MAX_BATCH_ROWS + 1);
    }
}

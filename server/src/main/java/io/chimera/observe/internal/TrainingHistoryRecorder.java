package io.chimera.observe.internal;

import io.chimera.proto.v1.IterationRecord;
import io.chimera.proto.v1.TrainingHistory;

/** Collects the history of the running fit; readers get a consistent snapshot at any time. */
public final class TrainingHistoryRecorder {

    private final TrainingHistory.Builder history = TrainingHistory.newBuilder().setState("unfitted");
    private long startNanos;

    /** Starts a new fit, forgetting the previous history. */
    public synchronized void start(String mode, String lossFunction, int maxIter) {
        history.clear().setState("fitting").setMode(mode).setLossFunction(lossFunction).setMaxIter(maxIter);
        startNanos = System.nanoTime();
    }

    /** Seconds since {@link #start}. */
    public synchronized double elapsed() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    public synchronized void add(IterationRecord record) {
        history.addIterations(record);
    }

    /** Counts the bytes of messages the master sent and received, and those the workers sent one another. */
    public synchronized void bytes(long sent, long received, long peer) {
        history.setBytesSent(history.getBytesSent() + sent).setBytesReceived(history.getBytesReceived() + received)
               .setPeerBytes(history.getPeerBytes() + peer);
    }

    public synchronized void dropped(String worker) {
        if (!history.getDroppedWorkersList().contains(worker)) {
            history.addDroppedWorkers(worker);
        }
    }

    public synchronized void finish(String stopReason) {
        history.setState("fitted").setStopReason(stopReason).setElapsedSeconds(elapsed());
    }

    public synchronized void fail(String error) {
        history.setState("failed").setError(error).setElapsedSeconds(elapsed());
    }

    public synchronized TrainingHistory snapshot() {
        final TrainingHistory.Builder copy = history.clone();
        if ("fitting".equals(copy.getState())) {
            copy.setElapsedSeconds(elapsed());
        }
        return copy.build();
    }
}

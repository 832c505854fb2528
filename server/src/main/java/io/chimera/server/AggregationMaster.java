package io.chimera.server;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.ErrorBody;
import io.chimera.common.Table;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.Matrix;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.server.internal.FanOut;
import io.chimera.server.internal.FanOut.Outcome;
import io.chimera.server.internal.WorkerClient;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;

/**
 * The master of model and hybrid parallelism: distributed bagging of the workers' weak learners.
 *
 * <ul>
 *   <li>{@code POST /v1/chimera/aggregation/fit} calls every worker's fit at once; a worker that fails is
 *       logged, named in {@code failed_workers} and skipped; the call fails only when every worker
 *       failed.</li>
 *   <li>{@code POST /v1/chimera/aggregation/predict} validates the rows, calls every worker's predict at
 *       once and aggregates: regression → mean of the workers' values; classification → mean of their class
 *       probabilities. With two classes {@code y_pred_rows} holds P(positive class) per row, exactly as
 *       chimera; with more it holds the most probable label, and {@code classes} and {@code y_pred_proba}
 *       carry the averaged probabilities.</li>
 * </ul>
 * A predict while a fit runs answers 409 {@code FitInProgressError}, so no answer ever mixes old and new
 * trees; a second fit while one runs answers the same.
 */
public final class AggregationMaster extends Master {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    private final AtomicBoolean fitting = new AtomicBoolean();

    /** Creates the master; {@link Chimera#run} gives it its workers. */
    public AggregationMaster() {}

    @Override
    public String strategy() {
        return "aggregation";
    }

    @Override
    BindableService bind(List<WorkerClient> workers) {
        return new Service(List.copyOf(workers));
    }

    private final class Service extends AggregationMasterServiceGrpc.AggregationMasterServiceImplBase {
        private final List<WorkerClient> workers;

        Service(List<WorkerClient> workers) {
            this.workers = workers;
        }

        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            if (!fitting.compareAndSet(false, true)) {
                throw ChimeraException.fitInProgress("a fit is already running; wait for it to finish");
            }
            status.info("AggregationMaster: fit started on {} workers", workers.size());
            final long start = System.nanoTime();
            FanOut.all(workers, WorkerClient::modelFit).whenComplete((outcomes, t) -> {
                fitting.set(false);
                final List<Outcome<FitResponse>> failed = failures(outcomes, "fit");
                if (failed.size() == outcomes.size()) {
                    final ChimeraException e = FanOut.allFailed("fit", failed);
                    status.error("AggregationMaster: {}", e.getMessage());
                    out.onError(ErrorBody.toGrpc(e));
                    return;
                }
                final FitResponse.Builder res = FitResponse.newBuilder().setFit("ok");
                failed.forEach(o -> res.addFailedWorkers(o.worker().name()));
                status.info("AggregationMaster: fit finished on {}/{} workers in {} s",
                            outcomes.size() - failed.size(), outcomes.size(),
                            String.format("%.3f", (System.nanoTime() - start) / 1e9));
                out.onNext(res.build());
                out.onCompleted();
            });
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            if (fitting.get()) {
                throw ChimeraException.fitInProgress("a fit is running; predict again when it has finished");
            }
            final Table table = Table.fromPredictRequest(request);
            final PredictRequest compact = request.hasXPredMatrix() ? request : table.toPredictRequest();
            FanOut.all(workers, w -> w.modelPredict(compact)).whenComplete((outcomes, t) -> {
                final List<Outcome<PredictResponse>> failed = failures(outcomes, "predict");
                if (failed.size() == outcomes.size()) {
                    final ChimeraException e = FanOut.allFailed("predict", failed);
                    status.error("AggregationMaster: {}", e.getMessage());
                    out.onError(ErrorBody.toGrpc(e));
                    return;
                }
                final List<PredictResponse> answers = new ArrayList<>();
                for (Outcome<PredictResponse> o : outcomes) {
                    if (o.ok()) {
                        answers.add(o.value());
                    }
                }
                try {
                    out.onNext(aggregate(answers, table.rows()));
                    out.onCompleted();
                } catch (ChimeraException e) {
                    status.error("AggregationMaster: {}", e.getMessage());
                    out.onError(ErrorBody.toGrpc(e));
                }
            });
        }
    }

    private static <T> List<Outcome<T>> failures(List<Outcome<T>> outcomes, String what) {
        final List<Outcome<T>> failed = new ArrayList<>();
        for (Outcome<T> o : outcomes) {
            if (!o.ok()) {
                failed.add(o);
                status.error("AggregationMaster: worker {} failed to {}: {}", o.worker().name(), what,
                             o.error().getMessage());
            }
        }
        return failed;
    }

    /** Averages the workers' answers for {@code rows} rows. */
    static PredictResponse aggregate(List<PredictResponse> answers, int rows) {
        final boolean classification = answers.get(0).getClassesCount() > 0;
        for (PredictResponse a : answers) {
            if ((a.getClassesCount() > 0) != classification) {
                throw ChimeraException.internal("workers disagree on the task: some classify, some regress");
            }
            if (a.getYPredRowsCount() != rows) {
                throw ChimeraException.internal("a worker answered " + a.getYPredRowsCount() + " rows for "
                                                + rows);
            }
        }
        return classification ? averageProbabilities(answers, rows) : averageValues(answers, rows);
    }

    private static PredictResponse averageValues(List<PredictResponse> answers, int rows) {
        final double[] sum = new double[rows];
        for (PredictResponse a : answers) {
            for (int r = 0; r < rows; r++) {
                sum[r] += a.getYPredRows(r);
            }
        }
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        for (int r = 0; r < rows; r++) {
            res.addYPredRows(sum[r] / answers.size());
        }
        return res.build();
    }

    private static PredictResponse averageProbabilities(List<PredictResponse> answers, int rows) {
        // Workers holding different data may know different classes: align on the union.
        final TreeSet<Double> union = new TreeSet<>();
        for (PredictResponse a : answers) {
            union.addAll(a.getClassesList());
        }
        final double[] classes = union.stream().mapToDouble(Double::doubleValue).toArray();
        final int n = classes.length;
        final double[] sum = new double[rows * n];
        for (PredictResponse a : answers) {
            final Matrix p = a.getYPredProba();
            final int k = a.getClassesCount();
            if (p.getRows() != rows || p.getCols() != k || p.getValuesCount() != rows * k) {
                throw ChimeraException.internal("a worker answered probabilities of shape " + p.getRows() + " x "
                                                + p.getCols() + " (expected: " + rows + " x " + k + ')');
            }
            final int[] slot = new int[k];
            for (int j = 0; j < k; j++) {
                slot[j] = Arrays.binarySearch(classes, a.getClasses(j));
            }
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < k; j++) {
                    sum[r * n + slot[j]] += p.getValues(r * k + j);
                }
            }
        }
        final double m = answers.size();
        final PredictResponse.Builder res = PredictResponse.newBuilder();
        if (n == 2) {
            for (int r = 0; r < rows; r++) {
                res.addYPredRows(sum[r * 2 + 1] / m);
            }
            return res.build();
        }
        final Matrix.Builder proba = Matrix.newBuilder().setRows(rows).setCols(n);
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int j = 0; j < n; j++) {
                final double v = sum[r * n + j] / m;
                proba.addValues(v);
                if (v > sum[r * n + best] / m) {
                    best = j;
                }
            }
            res.addYPredRows(classes[best]);
        }
        for (double c : classes) {
            res.addClasses(c);
        }
        return res.setYPredProba(proba).build();
    }
}

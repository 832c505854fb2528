package io.chimera.models;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.protobuf.util.Timestamps;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.models.internal.Artifacts;
import io.chimera.models.internal.ImportedModels;
import io.chimera.models.internal.Predictor;
import io.chimera.node.StrategyRoutes;
import io.chimera.node.client.WorkerClient;
import io.chimera.proto.v1.AggregationMasterServiceGrpc;
import io.chimera.proto.v1.ExportModelRequest;
import io.chimera.proto.v1.FitRequest;
import io.chimera.proto.v1.FitResponse;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc;
import io.chimera.proto.v1.PredictRequest;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.proto.v1.StrategyMasterServiceGrpc;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.proto.v1.TrainingHistoryRequest;
import io.chimera.server.Chimera;
import io.chimera.strategy.Master;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.grpc.BindableService;
import io.grpc.stub.StreamObserver;

/**
 * A master that serves an exported model with no workers: it answers {@code predict} on the path of the master
 * that exported it ({@code /v1/chimera/aggregation/predict}, {@code /v1/chimera/parameter-server/predict} or
 * {@code /v1/chimera/<strategy>/predict} for a strategy written with the strategy API, whose classes must then
 * be on the class path),
 * exactly as that master did, so clients do not change. A bagging ensemble combines its members' answers as
 * the {@link AggregationMaster} combines its workers'.
 *
 * <p>{@code fit} (and the parameter server's {@code history}) answer 409 {@code ImportedModelError}: there are
 * no workers to fit. The export route answers the artifact the master was started from.
 *
 * <pre>{@code
 * // curl -o model.json http://127.0.0.1:8080/v1/chimera/aggregation/model, then:
 * Chimera.serveModel(Path.of("model.json"), 8090);
 * }</pre>
 */
public final class ModelMaster extends Master {

    /**
     * Reads the artifact in {@code file}, as {@code GET /v1/chimera/<kind>/model} answers it: JSON (REST) or
     * protobuf binary (gRPC).
     *
     * @throws IllegalArgumentException when the file cannot be read or is not a valid artifact; the message
     *         names the file and the problem
     */
    public static ModelMaster read(Path file) {
        requireNonNull(file, "file");
        final byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("model artifact " + file + ": cannot read: " + e);
        }
        try {
            return new ModelMaster(Artifacts.parse(content));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model artifact " + file + ": " + e.getMessage());
        }
    }

    /**
     * Serves {@code artifact}.
     *
     * @throws IllegalArgumentException when it is not a valid artifact, saying why
     */
    public static ModelMaster of(ModelArtifact artifact) {
        requireNonNull(artifact, "artifact");
        try {
            return new ModelMaster(artifact);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model artifact: " + e.getMessage());
        }
    }

    private final ModelArtifact artifact;
    private final Predictor model;

    private ModelMaster(ModelArtifact artifact) {
        model = ImportedModels.predictor(artifact);
        this.artifact = artifact;
        fitTracker().imported(Artifacts.createdTime(artifact), artifact.getFeatureColumnsList());
    }

    /** The artifact this master serves. */
    public ModelArtifact artifact() {
        return artifact;
    }

    /** What the status shows of the imported model: its task, the program that exported it, its loss. */
    @Override
    protected Map<String, String> options() {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put("task", artifact.getTask());
        o.put("producer", artifact.getProducer());
        if (artifact.hasLinear()) {
            o.put("loss", artifact.getLinear().getLoss());
        } else if (artifact.hasStrategyModel()) {
            o.put("model_class", artifact.getStrategyModel().getModelClass());
        } else {
            o.put("members", Integer.toString(artifact.getBagging().getMembersCount()));
        }
        return o;
    }

    /** The kind of the master that exported the model: {@code aggregation} or {@code parameter-server}. */
    @Override
    public String strategy() {
        return artifact.getKind();
    }

    @Override
    protected BindableService bind(List<WorkerClient> workers) {
        if (!workers.isEmpty()) {
            throw new IllegalArgumentException("a ModelMaster has no workers (got " + workers.size() + ')');
        }
        if (Artifacts.PARAMETER_SERVER.equals(artifact.getKind())) {
            // A linear model, or a network, on the parameter server's own paths.
            return new LinearService();
        }
        if (artifact.hasStrategyModel()) {
            return StrategyRoutes.of(new StrategyService(), artifact.getKind());
        }
        return new BaggingService();
    }

    private ChimeraException imported(String what) {
        return new ChimeraException(409, ChimeraException.IMPORTED_MODEL_ERROR,
                                    "this master serves an imported " + artifact.getKind() + " model ("
                                    + artifact.getTask() + (artifact.hasCreatedTime()
                                            ? ", exported " + Timestamps.toString(artifact.getCreatedTime()) : "")
                                    + ") and has no workers, so it cannot " + what
                                    + "; start a master with workers to fit a new model");
    }

    /** Predicts the rows of {@code table} with the imported model. */
    public PredictResponse predict(Table table) {
        return model.predict(table);
    }

    @Override
    public String toString() {
        return "ModelMaster(" + artifact.getKind() + ", " + artifact.getTask() + ')';
    }

    private final class BaggingService extends AggregationMasterServiceGrpc.AggregationMasterServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            throw imported("fit");
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            out.onNext(ModelMaster.this.predict(Table.fromPredictRequest(request)));
            out.onCompleted();
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            out.onNext(artifact);
            out.onCompleted();
        }
    }

    private final class LinearService
            extends ParameterServerMasterServiceGrpc.ParameterServerMasterServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            throw imported("fit");
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            out.onNext(ModelMaster.this.predict(Table.fromPredictRequest(request)));
            out.onCompleted();
        }

        @Override
        public void history(TrainingHistoryRequest request, StreamObserver<TrainingHistory> out) {
            throw imported("show a training history");
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            out.onNext(artifact);
            out.onCompleted();
        }
    }

    private final class StrategyService extends StrategyMasterServiceGrpc.StrategyMasterServiceImplBase {
        @Override
        public void fit(FitRequest request, StreamObserver<FitResponse> out) {
            throw imported("fit");
        }

        @Override
        public void predict(PredictRequest request, StreamObserver<PredictResponse> out) {
            out.onNext(ModelMaster.this.predict(Table.fromPredictRequest(request)));
            out.onCompleted();
        }

        @Override
        public void history(TrainingHistoryRequest request, StreamObserver<TrainingHistory> out) {
            throw imported("show a training history");
        }

        @Override
        public void export(ExportModelRequest request, StreamObserver<ModelArtifact> out) {
            out.onNext(artifact);
            out.onCompleted();
        }
    }
}

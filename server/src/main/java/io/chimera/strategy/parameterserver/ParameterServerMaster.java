package io.chimera.strategy.parameterserver;

import java.util.Map;

import io.chimera.models.ModelMaster;
import io.chimera.models.internal.Artifacts;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.ParameterServerMasterServiceGrpc;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.server.Chimera;
import io.chimera.strategy.StrategyFit;
import io.chimera.strategy.StrategyMaster;
import io.chimera.strategy.StrategyModel;
import io.chimera.strategy.internal.FitAccess;
import io.chimera.strategy.parameterserver.internal.SgdSettings;
import io.chimera.strategy.parameterserver.internal.SgdTraining;
import io.chimera.strategy.sgd.LinearModel;

/**
 * The master of data parallelism: a parameter server running distributed SGD over its
 * {@link io.chimera.strategy.parameterserver.SGDWorker}s.
 *
 * <ul>
 *   <li>{@code POST /v1/chimera/parameter-server/fit} gathers each worker's feature statistics (for global
 *       standardisation and the set of classes), then iterates: it sends the parameters, the workers answer
 *       the gradient of the loss over their shard, and the master updates the parameters — averaging every
 *       worker's gradient (synchronous), applying each as it arrives (asynchronous), or within a staleness
 *       bound. A worker that fails is dropped and the fit goes on with the others; it fails only when all
 *       have failed.</li>
 *   <li>{@code POST /v1/chimera/parameter-server/predict} answers from the fitted weights, on the master:
 *       regression → value; binary logistic → P(positive class), as chimera; hinge → the label; multinomial →
 *       the most probable label plus {@code classes} and {@code y_pred_proba}. While a fit runs, predict
 *       answers with the previous model (409 before the first fit).</li>
 *   <li>{@code GET /v1/chimera/parameter-server/model} exports the fitted weights, bias, classes, loss and
 *       standardisation as a {@link io.chimera.proto.v1.ModelArtifact} that a {@link ModelMaster} serves with
 *       no workers (the model of the last successful fit, as predict uses).</li>
 *   <li>{@code GET /v1/chimera/parameter-server/history} answers the loss, gradient norm and per-worker step
 *       times of every update of the last (or the running) fit.</li>
 * </ul>
 *
 * <pre>{@code
 * Chimera.run(ParameterServerMaster.builder().loss("log_loss").maxIter(200).build(), 8080);
 * }</pre>
 *
 * <p>It is a {@link StrategyMaster}: the strategy API runs its fit, predict, export, history, status and saved
 * model, on its own gRPC service ({@code chimera.v1.ParameterServerMasterService}) and chimera's REST paths; its
 * workers keep their typed protocol ({@code /v1/chimera/sgd/fit-step}, streamed over gRPC).
 *
 * <p>After each fit the model is saved to {@code .chimera/models/parameter-server.pb} in the project folder; a
 * master started again there answers predict with it until its own first fit (docs/reliability.md).
 */
public final class ParameterServerMaster extends StrategyMaster {

    /** Returns a builder with the documented defaults. */
    public static ParameterServerMasterBuilder builder() {
        return new ParameterServerMasterBuilder();
    }

    private final SgdSettings settings;

    /**
     * As chimera's {@code ParameterServerMaster(model)}: {@code "regressor"} (squared error) or
     * {@code "classifier"} (log loss), with the other defaults.
     */
    public ParameterServerMaster(String model) {
        this(builder().model(model).settings());
    }

    ParameterServerMaster(SgdSettings settings) {
        super("parameter-server", ParameterServerMasterServiceGrpc.getServiceDescriptor());
        this.settings = settings;
    }

    @Override
    protected Map<String, String> options() {
        return settings.options();
    }

    /** Asynchronous modes count one update per worker answer: maxIter rounds of every worker. */
    @Override
    protected long plannedRounds(int workers) {
        return settings.mode.kind() == SyncMode.Kind.SYNCHRONOUS ? settings.maxIter
                                                                 : (long) settings.maxIter * workers;
    }

    @Override
    protected StrategyModel fit(StrategyFit fit) {
        final FitAccess.Hooks access = FitAccess.of(fit);
        final SgdTraining.Result result = new SgdTraining(settings, fit.seed(), access.history(fit),
                                                          access.tracker(fit), toString(), access.workers(fit))
                .run();
        result.droppedWorkers.forEach(w -> access.dropped(fit, w));
        fit.stopReason(result.stopReason);
        if (result.notConverged != null) {
            fit.warn(result.notConverged);
        }
        return result.model;
    }

    /**
     * The parameter server's own artifact: kind {@code parameter-server}, a linear model as {@code linear}, a
     * network as a {@code strategy_model} of {@link io.chimera.strategy.sgd.MlpModel}.
     */
    @Override
    protected ModelArtifact artifact(StrategyModel model) {
        return model instanceof LinearModel ? Artifacts.linear((LinearModel) model) : super.artifact(model);
    }

    @Override
    protected String summary(TrainingHistory history) {
        return summary(history, "iterations");
    }

    @Override
    public String toString() {
        return "ParameterServerMaster";
    }

    @Override
    protected String describe(ModelArtifact artifact) {
        return artifact.hasLinear() ? "the " + artifact.getLinear().getLoss() + " model"
                                    : "the " + artifact.getStrategyModel().getPayload().getTextsOrDefault("loss", "")
                                      + " network";
    }
}

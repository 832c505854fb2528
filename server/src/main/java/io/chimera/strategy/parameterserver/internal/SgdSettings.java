package io.chimera.strategy.parameterserver.internal;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import io.chimera.core.linear.LearningRate;
import io.chimera.core.linear.Loss;
import io.chimera.core.linear.Penalty;
import io.chimera.strategy.parameterserver.ParameterServerMasterBuilder;
import io.chimera.strategy.parameterserver.SyncMode;
import io.chimera.strategy.sgd.MlpLayout;

/** The parameter server's validated training options (see {@code ParameterServerMasterBuilder}). */
public final class SgdSettings {

    public final Loss loss;
    public final Penalty penalty;
    public final double alpha;
    public final double l1Ratio;
    public final int maxIter;
    public final double epsilon;
    /** NaN when the loss tolerance is off. */
    public final double tol;
    public final int nIterNoChange;
    public final LearningRate learningRate;
    /** 0 for the full shard. */
    public final int batchSize;
    public final boolean standardize;
    public final SyncMode mode;
    /** Status-log progress line every this many iterations (0: none). */
    public final int logEvery;
    /** A multi-layer perceptron's hidden layer sizes; null for the linear model. */
    public final int[] hiddenLayers;
    /** The hidden layers' activation; only with {@link #hiddenLayers}. */
    public final MlpLayout.Activation activation;
    /** The network's initialisation seed; null for the run's seed. */
    public final Long initSeed;
    /** Full-batch L-BFGS instead of SGD steps with {@link #learningRate}. */
    public final boolean lbfgs;

    public SgdSettings(Loss loss, Penalty penalty, double alpha, double l1Ratio, int maxIter, double epsilon,
                       double tol, int nIterNoChange, LearningRate learningRate, int batchSize,
                       boolean standardize, SyncMode mode, int logEvery, int[] hiddenLayers,
                       MlpLayout.Activation activation, Long initSeed, boolean lbfgs) {
        this.loss = loss;
        this.penalty = penalty;
        this.alpha = alpha;
        this.l1Ratio = l1Ratio;
        this.maxIter = maxIter;
        this.epsilon = epsilon;
        this.tol = tol;
        this.nIterNoChange = nIterNoChange;
        this.learningRate = learningRate;
        this.batchSize = batchSize;
        this.standardize = standardize;
        this.mode = mode;
        this.logEvery = logEvery;
        this.hiddenLayers = hiddenLayers == null ? null : hiddenLayers.clone();
        this.activation = activation;
        this.initSeed = initSeed;
        this.lbfgs = lbfgs;
    }

    /** The regularisation term {@code alpha * R(w)} over the weights (bias excluded). */
    double penaltyLoss(double[] params, int weightCount) {
        return penalty.loss(params, weightCount, alpha, l1Ratio);
    }

    /** Adds the gradient of the regularisation term to {@code grad} (weights only). */
    void addPenaltyGradient(double[] params, double[] grad, int weightCount) {
        penalty.addGradient(params, grad, weightCount, alpha, l1Ratio);
    }

    /** The options as the status shows them, named as the builder's setters. */
    public Map<String, String> options() {
        final Map<String, String> o = new LinkedHashMap<>();
        o.put("loss", loss.lossName());
        o.put("penalty", penalty.toString());
        o.put("alpha", Double.toString(alpha));
        if (penalty == Penalty.ELASTIC_NET) {
            o.put("l1Ratio", Double.toString(l1Ratio));
        }
        o.put("maxIter", Integer.toString(maxIter));
        o.put("epsilon", Double.toString(epsilon));
        if (!Double.isNaN(tol)) {
            o.put("tol", Double.toString(tol));
            o.put("nIterNoChange", Integer.toString(nIterNoChange));
        }
        o.put("optimizer", lbfgs ? "lbfgs" : "sgd");
        if (!lbfgs) {
            o.put("learningRate", learningRate.toString());
        }
        o.put("batchSize", batchSize == 0 ? "full" : Integer.toString(batchSize));
        o.put("standardize", Boolean.toString(standardize));
        o.put("mode", mode.toString());
        if (hiddenLayers != null) {
            o.put("hiddenLayers", Arrays.toString(hiddenLayers));
            o.put("activation", activation.activationName());
            if (initSeed != null) {
                o.put("initSeed", Long.toString(initSeed));
            }
        }
        return o;
    }

    @Override
    public String toString() {
        return "loss=" + loss + ", penalty=" + penalty + ", alpha=" + alpha
               + (penalty == Penalty.ELASTIC_NET ? ", l1Ratio=" + l1Ratio : "") + ", maxIter=" + maxIter
               + ", epsilon=" + epsilon + (Double.isNaN(tol) ? "" : ", tol=" + tol + ", nIterNoChange="
                                                                   + nIterNoChange)
               + (lbfgs ? ", optimizer=lbfgs" : ", learningRate=" + learningRate) + ", batchSize=" + (batchSize == 0 ? "full" : batchSize)
               + ", standardize=" + standardize + ", mode=" + mode
               + (hiddenLayers == null ? "" : ", hiddenLayers=" + Arrays.toString(hiddenLayers) + ", activation="
                                              + activation.activationName()
                                              + (initSeed == null ? "" : ", initSeed=" + initSeed));
    }
}

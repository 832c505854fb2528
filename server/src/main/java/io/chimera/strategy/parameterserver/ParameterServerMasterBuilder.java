package io.chimera.strategy.parameterserver;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

import io.chimera.core.linear.LearningRate;
import io.chimera.core.linear.Loss;
import io.chimera.core.linear.Penalty;
import io.chimera.strategy.parameterserver.internal.SgdSettings;
import io.chimera.strategy.sgd.MlpLayout;

/**
 * Builds a {@link ParameterServerMaster}. Every option has a default that converges on chimera's example
 * data from raw CSVs; {@link #build()} rejects inconsistent combinations with a clear message.
 */
public final class ParameterServerMasterBuilder {

    /** Squared error: linear regression (chimera's {@code "regressor"}). */
    public static final Loss DEFAULT_LOSS = Loss.SQUARED_ERROR;
    /** L2, as scikit-learn's SGD estimators. */
    static final Penalty DEFAULT_PENALTY = Penalty.L2;
    /** scikit-learn's default {@code alpha}. */
    static final double DEFAULT_ALPHA = 0.0001;
    /** scikit-learn's default {@code l1_ratio}. */
    static final double DEFAULT_L1_RATIO = 0.15;
    /** chimera's examples run 200 iterations. */
    static final int DEFAULT_MAX_ITER = 200;
    /** chimera's default stop threshold on the update. */
    static final double DEFAULT_EPSILON = 10e-12;
    /** scikit-learn's {@code n_iter_no_change}. */
    static final int DEFAULT_N_ITER_NO_CHANGE = 5;
    /**
     * AdaGrad with step 0.5: converges on standardised features within 200 steps in every mode, where Adam's
     * momentum oscillates on stale asynchronous gradients (measured: docs/sgd.md).
     */
    static final LearningRate DEFAULT_LEARNING_RATE = LearningRate.adaGrad(0.5);

    private Loss loss = DEFAULT_LOSS;
    private Penalty penalty = DEFAULT_PENALTY;
    private double alpha = DEFAULT_ALPHA;
    private Double l1Ratio;
    private int maxIter = DEFAULT_MAX_ITER;
    private double epsilon = DEFAULT_EPSILON;
    private double tol = Double.NaN;
    private Integer nIterNoChange;
    private LearningRate learningRate = DEFAULT_LEARNING_RATE;
    private int batchSize;
    private boolean standardize = true;
    private SyncMode mode = SyncMode.synchronous();
    private int logEvery = 50;
    private int[] hiddenLayers;
    private MlpLayout.Activation activation;
    private Long initSeed;
    private boolean lbfgs;
    private boolean learningRateSet;

    ParameterServerMasterBuilder() {}

    /** chimera's model kind: {@code "regressor"} → squared error, {@code "classifier"} → log loss. */
    public ParameterServerMasterBuilder model(String model) {
        switch (requireNonNull(model, "model").trim().toLowerCase(Locale.ROOT)) {
            case "regressor":
                return loss(Loss.SQUARED_ERROR);
            case "classifier":
                return loss(Loss.LOG_LOSS);
            default:
                throw new IllegalArgumentException("model: " + model + " (expected: regressor or classifier)");
        }
    }

    /** The loss: squared error (default), log loss (binary or multinomial), hinge. */
    public ParameterServerMasterBuilder loss(Loss loss) {
        this.loss = requireNonNull(loss, "loss");
        return this;
    }

    /** The loss by name: {@code squared_error}, {@code log_loss} or {@code hinge}. */
    public ParameterServerMasterBuilder loss(String loss) {
        return loss(Loss.parse(requireNonNull(loss, "loss")));
    }

    /** The regularisation on the weights; L2 by default. */
    public ParameterServerMasterBuilder penalty(Penalty penalty) {
        this.penalty = requireNonNull(penalty, "penalty");
        return this;
    }

    /** The regularisation strength, {@code >= 0}; 0.0001 by default. */
    public ParameterServerMasterBuilder alpha(double alpha) {
        if (!(alpha >= 0) || !Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha: " + alpha + " (expected: >= 0)");
        }
        this.alpha = alpha;
        return this;
    }

    /** The L1 share of the elastic net, in [0, 1]; 0.15 by default; only with {@link Penalty#ELASTIC_NET}. */
    public ParameterServerMasterBuilder l1Ratio(double l1Ratio) {
        if (!(l1Ratio >= 0 && l1Ratio <= 1)) {
            throw new IllegalArgumentException("l1Ratio: " + l1Ratio + " (expected: between 0 and 1)");
        }
        this.l1Ratio = l1Ratio;
        return this;
    }

    /** The most parameter updates; 200 by default. */
    public ParameterServerMasterBuilder maxIter(int maxIter) {
        if (maxIter <= 0) {
            throw new IllegalArgumentException("maxIter: " + maxIter + " (expected: > 0)");
        }
        this.maxIter = maxIter;
        return this;
    }

    /** Stop when no parameter changes by more than this in an update (chimera's rule); 1e-11 by default. */
    public ParameterServerMasterBuilder epsilon(double epsilon) {
        if (!(epsilon >= 0) || !Double.isFinite(epsilon)) {
            throw new IllegalArgumentException("epsilon: " + epsilon + " (expected: >= 0)");
        }
        this.epsilon = epsilon;
        return this;
    }

    /**
     * Stop when the training loss has not improved by at least {@code tol} for {@code nIterNoChange}
     * updates (scikit-learn's rule); off by default.
     */
    public ParameterServerMasterBuilder tol(double tol) {
        if (!(tol >= 0) || !Double.isFinite(tol)) {
            throw new IllegalArgumentException("tol: " + tol + " (expected: >= 0)");
        }
        this.tol = tol;
        return this;
    }

    /** Updates without improvement before {@link #tol} stops the fit; 5 by default; only with {@code tol}. */
    public ParameterServerMasterBuilder nIterNoChange(int nIterNoChange) {
        if (nIterNoChange <= 0) {
            throw new IllegalArgumentException("nIterNoChange: " + nIterNoChange + " (expected: > 0)");
        }
        this.nIterNoChange = nIterNoChange;
        return this;
    }

    /** The schedule or optimiser; AdaGrad with step 0.5 by default. */
    public ParameterServerMasterBuilder learningRate(LearningRate learningRate) {
        this.learningRate = requireNonNull(learningRate, "learningRate");
        learningRateSet = true;
        return this;
    }

    /** Rows per worker gradient; 0 (the default) means each worker's full shard. */
    public ParameterServerMasterBuilder batchSize(int batchSize) {
        if (batchSize < 0) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: >= 0, 0 for full shards)");
        }
        this.batchSize = batchSize;
        return this;
    }

    /**
     * Whether to standardise features with the mean and standard deviation of all workers' data (computed
     * from per-worker sums); on by default.
     */
    public ParameterServerMasterBuilder standardize(boolean standardize) {
        this.standardize = standardize;
        return this;
    }

    /** Synchronous (default), asynchronous or bounded staleness. */
    public ParameterServerMasterBuilder mode(SyncMode mode) {
        this.mode = requireNonNull(mode, "mode");
        return this;
    }

    /** A progress line in the status log every this many updates; 0 for none; 50 by default. */
    public ParameterServerMasterBuilder logEvery(int logEvery) {
        if (logEvery < 0) {
            throw new IllegalArgumentException("logEvery: " + logEvery + " (expected: >= 0)");
        }
        this.logEvery = logEvery;
        return this;
    }

    /**
     * Fits a multi-layer perceptron with these hidden layer sizes, input side first, instead of a linear model:
     * {@code hiddenLayers(32)} is one hidden layer of 32 units. Each worker computes the network's gradient over
     * its shard with DJL's autograd; the loss, optimiser, modes and stop rules are the linear model's. By default
     * none: a linear model, on its own fast path.
     */
    public ParameterServerMasterBuilder hiddenLayers(int... sizes) {
        MlpLayout.checkHidden(requireNonNull(sizes, "sizes"));
        hiddenLayers = sizes.clone();
        return this;
    }

    /** The hidden layers' activation: {@code relu} (default), {@code tanh} or {@code sigmoid}. */
    public ParameterServerMasterBuilder activation(String activation) {
        this.activation = MlpLayout.Activation.parse(requireNonNull(activation, "activation"));
        return this;
    }

    /**
     * The seed of the network's first weights (He or Glorot uniform, biases 0); by default the run's seed,
     * {@code CHIMERA_SEED}.
     */
    public ParameterServerMasterBuilder initSeed(long initSeed) {
        this.initSeed = initSeed;
        return this;
    }

    /**
     * How the master moves the parameters: {@code sgd} (default), a step of the {@link #learningRate} per update,
     * or {@code lbfgs}, full-batch L-BFGS with a backtracking line search, Spark MLlib's algorithm: each
     * evaluation is one round of every worker's gradient, and the search asks for more rounds only when the
     * quasi-Newton step does not lower the loss enough. L-BFGS needs the synchronous mode, full shards, a smooth
     * loss (squared error or log loss) and a smooth penalty (none or L2); it has no learning rate.
     */
    public ParameterServerMasterBuilder optimizer(String optimizer) {
        switch (requireNonNull(optimizer, "optimizer").trim().toLowerCase(Locale.ROOT)) {
            case "sgd":
                lbfgs = false;
                return this;
            case "lbfgs":
            case "l-bfgs":
                lbfgs = true;
                return this;
            default:
                throw new IllegalArgumentException("optimizer: " + optimizer + " (expected: sgd or lbfgs)");
        }
    }

    SgdSettings settings() {
        if (lbfgs) {
            if (mode.kind() != SyncMode.Kind.SYNCHRONOUS) {
                throw new IllegalArgumentException("optimizer lbfgs needs the synchronous mode (mode: " + mode
                                                   + "): its line search compares the loss of all the rows at "
                                                   + "two points, which stale gradients do not give");
            }
            if (batchSize != 0) {
                throw new IllegalArgumentException("optimizer lbfgs needs full shards (batchSize: " + batchSize
                                                   + "; expected: 0)");
            }
            if (penalty == Penalty.L1 || penalty == Penalty.ELASTIC_NET) {
                throw new IllegalArgumentException("optimizer lbfgs needs a smooth penalty (penalty: " + penalty
                                                   + "; expected: NONE or L2)");
            }
            if (loss == Loss.HINGE) {
                throw new IllegalArgumentException("optimizer lbfgs needs a smooth loss (loss: hinge; expected: "
                                                   + "squared_error or log_loss)");
            }
            if (learningRateSet) {
                throw new IllegalArgumentException("learningRate: " + learningRate + " is not used by optimizer "
                                                   + "lbfgs (it chooses its own steps)");
            }
        }
        if (hiddenLayers == null && (activation != null || initSeed != null)) {
            throw new IllegalArgumentException((activation != null ? "activation" : "initSeed")
                                               + " is only used with hiddenLayers (the model is linear)");
        }
        if (l1Ratio != null && penalty != Penalty.ELASTIC_NET) {
            throw new IllegalArgumentException("l1Ratio: " + l1Ratio + " is only used with penalty ELASTIC_NET "
                                               + "(penalty: " + penalty + ')');
        }
        if (nIterNoChange != null && Double.isNaN(tol)) {
            throw new IllegalArgumentException("nIterNoChange: " + nIterNoChange + " is only used with tol "
                                               + "(tol is off)");
        }
        if (penalty != Penalty.NONE && alpha == 0) {
            throw new IllegalArgumentException("alpha: 0 with penalty " + penalty
                                               + " (expected: alpha > 0, or penalty NONE)");
        }
        return new SgdSettings(loss, penalty, alpha, l1Ratio != null ? l1Ratio : DEFAULT_L1_RATIO, maxIter,
                               epsilon, tol, nIterNoChange != null ? nIterNoChange : DEFAULT_N_ITER_NO_CHANGE,
                               learningRate, batchSize, standardize, mode, logEvery, hiddenLayers,
                               hiddenLayers == null ? null
                                       : activation != null ? activation : MlpLayout.Activation.RELU,
                               initSeed, lbfgs);
    }

    /**
     * Builds the master.
     *
     * @throws IllegalArgumentException when options contradict each other
     */
    public ParameterServerMaster build() {
        return new ParameterServerMaster(settings());
    }
}

package io.chimera.tribuo;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import io.chimera.core.data.Dataset;
import io.chimera.core.learn.FittedModel;
import io.chimera.core.learn.Learner;

/**
 * A Tribuo {@link Trainer} as a chimera {@link Learner}: a bagging worker fits it on its rows (or a bootstrap
 * sample of them) and serves, exports and answers with the model as with the built-in trees.
 *
 * <pre>{@code
 * // In a worker's main:
 * new ClassificationWorker(TribuoLearner.of(new XGBoostClassificationTrainer(50)), true).serve();
 * new RegressionWorker(TribuoLearner.ofRegression(new CARTRegressionTrainer(6)), true).serve();
 * }</pre>
 *
 * <p>Labels become Tribuo {@link Label}s named by their value ({@code "0.0"}, {@code "1.0"}), features keep their
 * column names. A classifier answers Tribuo's class probabilities where the model gives them (it
 * {@link Model#generatesProbabilities() generates probabilities}), else probability 1 for the predicted class.
 * Each worker's own seed reaches the trainer's randomness: a trainer given by name is built with a seed drawn from
 * it; a trainer instance is trained with a Tribuo invocation count drawn from it (Tribuo's way to advance its
 * random stream), so workers with one trainer still differ and a run with the same {@code CHIMERA_SEED} repeats.
 */
public final class TribuoLearner implements Learner {

    /** A classification trainer as a learner. */
    public static TribuoLearner of(Trainer<Label> trainer) {
        requireNonNull(trainer, "trainer");
        return new TribuoLearner(Task.CLASSIFICATION, trainer.toString(), seed -> trainer, false, 0);
    }

    /** A regression trainer (one output) as a learner. */
    public static TribuoLearner ofRegression(Trainer<Regressor> trainer) {
        requireNonNull(trainer, "trainer");
        return new TribuoLearner(Task.REGRESSION, trainer.toString(), seed -> trainer, false, 0);
    }

    /**
     * A learner whose trainer is built for each fit from a seed: {@code trainers.apply(seed)}, with
     * {@code defaultSeed} until a worker gives its own ({@link #withSeed}).
     */
    static TribuoLearner seeded(Task task, String name, LongFunction<? extends Trainer<?>> trainers,
                                long defaultSeed) {
        return new TribuoLearner(task, name, trainers, true, defaultSeed);
    }

    /** Classification or regression. */
    enum Task {
        CLASSIFICATION,
        REGRESSION
    }

    /** Tribuo's invocation counts advance its random stream one step each: a few thousand cost nothing. */
    private static final int INVOCATIONS = 4096;

    private final Task task;
    private final String name;
    private final LongFunction<? extends Trainer<?>> trainers;
    /** Whether {@link #trainers} builds a new trainer from the seed; else the seed picks an invocation count. */
    private final boolean seededByConstruction;
    private final long seed;

    private TribuoLearner(Task task, String name, LongFunction<? extends Trainer<?>> trainers,
                          boolean seededByConstruction, long seed) {
        this.task = task;
        this.name = name;
        this.trainers = trainers;
        this.seededByConstruction = seededByConstruction;
        this.seed = seed;
    }

    @Override
    public Learner withSeed(long seed) {
        return new TribuoLearner(task, name, trainers, seededByConstruction, seed);
    }

    @Override
    public FittedModel fit(Dataset data) {
        requireNonNull(data, "data");
        if (data.rows() == 0) {
            throw new IllegalArgumentException("no rows to fit");
        }
        final List<String> columns = data.featureNames();
        final String[] names = columns.toArray(new String[0]);
        final double[] classes = task == Task.CLASSIFICATION ? data.distinctLabels() : new double[0];
        final Trainer<?> trainer = trainers.apply(seed);
        final Model<?> model;
        if (task == Task.CLASSIFICATION) {
            model = train(trainer, toTribuo(data, names, new LabelFactory(), y -> new Label(TribuoModel.labelName(y))));
        } else {
            model = train(trainer, toTribuo(data, names, new RegressionFactory(),
                                            y -> new Regressor(TribuoModel.TARGET, y)));
        }
        return new TribuoModel(model, columns, classes);
    }

    @SuppressWarnings({ "unchecked", "rawtypes" })
    private Model<?> train(Trainer trainer, MutableDataset dataset) {
        return seededByConstruction ? trainer.train(dataset)
                                    : trainer.train(dataset, Map.of(), (int) Math.floorMod(seed, INVOCATIONS));
    }

    private static <T extends Output<T>> MutableDataset<T> toTribuo(Dataset data, String[] names,
                                                                   org.tribuo.OutputFactory<T> factory,
                                                                   java.util.function.DoubleFunction<T> output) {
        final MutableDataset<T> dataset =
                new MutableDataset<>(new SimpleDataSourceProvenance("chimera worker data", factory), factory);
        final int cols = names.length;
        final double[] features = data.features();
        for (int r = 0; r < data.rows(); r++) {
            dataset.add(new ArrayExample<>(output.apply(data.label(r)), names,
                                           Arrays.copyOfRange(features, r * cols, (r + 1) * cols)));
        }
        return dataset;
    }

    @Override
    public String toString() {
        return name;
    }
}

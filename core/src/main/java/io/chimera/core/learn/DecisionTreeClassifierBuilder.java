package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

/** Builds a {@link DecisionTreeClassifier}; obtain one from {@link DecisionTreeClassifier#builder()}. */
public final class DecisionTreeClassifierBuilder
        extends AbstractDecisionTreeBuilder<DecisionTreeClassifierBuilder> {

    private static final Criterion DEFAULT_CRITERION = Criterion.GINI;

    private Criterion criterion = DEFAULT_CRITERION;

    DecisionTreeClassifierBuilder() {}

    /** Sets the impurity that splits minimise. Default: {@link Criterion#GINI}. */
    public DecisionTreeClassifierBuilder criterion(Criterion criterion) {
        this.criterion = requireNonNull(criterion, "criterion");
        return this;
    }

    /** Returns a classifier with the hyperparameters set so far. */
    public DecisionTreeClassifier build() {
        return new DecisionTreeClassifier(parameters(), criterion);
    }
}

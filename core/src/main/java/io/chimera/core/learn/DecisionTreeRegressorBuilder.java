package io.chimera.core.learn;

/** Builds a {@link DecisionTreeRegressor}; obtain one from {@link DecisionTreeRegressor#builder()}. */
public final class DecisionTreeRegressorBuilder extends AbstractDecisionTreeBuilder<DecisionTreeRegressorBuilder> {

    DecisionTreeRegressorBuilder() {}

    /** Returns a regressor with the hyperparameters set so far. */
    public DecisionTreeRegressor build() {
        return new DecisionTreeRegressor(parameters());
    }
}

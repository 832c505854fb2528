/**
 * The Learner SPI and the built-in learners. A {@link io.chimera.core.learn.Learner} fits a
 * {@link io.chimera.core.learn.FittedModel} on a {@link io.chimera.core.data.Dataset}; the model then
 * predicts values (regression) or class probabilities (classification) for row-major feature matrices. The
 * built-in learners are exact CART decision trees, {@link io.chimera.core.learn.DecisionTreeClassifier}
 * and {@link io.chimera.core.learn.DecisionTreeRegressor}, whose fitted
 * {@link io.chimera.core.learn.DecisionTreeModel} round-trips through a compact binary form;
 * {@link io.chimera.core.learn.Learners} creates learners by name from string parameters, as a worker
 * receives them.
 */
package io.chimera.core.learn;

/**
 * chimera's worker nodes: {@link io.chimera.strategy.aggregation.ClassificationWorker} and
 * {@link io.chimera.strategy.aggregation.RegressionWorker} fit one weak learner on the worker's data for bagging, and
 * answer predictions with it. A worker is declared by the user as a small program in
 * {@code chimera_workers/<name>.java} that builds a worker and calls {@code serve()}.
 */
package io.chimera.workers;

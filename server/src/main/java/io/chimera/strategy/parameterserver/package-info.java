/**
 * The worker side of data parallelism: distributed SGD through a parameter server. A worker holds a shard of
 * rows; at each step the master sends the current parameters of a linear model and the worker answers, with
 * a {@link io.chimera.strategy.sgd.GradientEngine}, the gradient of the mean {@link io.chimera.core.linear.Loss}
 * over its shard or over a mini-batch drawn by a {@link io.chimera.strategy.sgd.MiniBatchSampler}. The master
 * standardises features globally from every shard's {@link io.chimera.strategy.sgd.ShardStatistics} and learns
 * columns and classes from a {@link io.chimera.strategy.parameterserver.DataSample}.
 */
package io.chimera.strategy.parameterserver;

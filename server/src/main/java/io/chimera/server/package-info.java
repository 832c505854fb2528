/**
 * chimera's masters and the entry point that runs them: {@link io.chimera.server.Chimera#run} starts the
 * worker nodes, serves an {@link io.chimera.strategy.aggregation.AggregationMaster} (bagging: model and hybrid parallelism)
 * or a parameter server (data parallelism) until stopped, and stops what it started.
 */
package io.chimera.server;

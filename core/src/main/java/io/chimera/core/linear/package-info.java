/**
 * The knobs of the parameter server's distributed SGD: the {@link io.chimera.core.linear.LearningRate}
 * schedule or adaptive optimiser, the {@link io.chimera.core.linear.Penalty} (regularisation) and the
 * {@link io.chimera.strategy.parameterserver.SyncMode} (synchronous, asynchronous, bounded staleness).
 */
package io.chimera.core.linear;

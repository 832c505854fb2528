/**
 * The knobs of the parameter server's distributed SGD: the {@link io.chimera.server.sgd.LearningRate}
 * schedule or adaptive optimiser, the {@link io.chimera.server.sgd.Penalty} (regularisation) and the
 * {@link io.chimera.server.sgd.SyncMode} (synchronous, asynchronous, bounded staleness).
 */
package io.chimera.server.sgd;

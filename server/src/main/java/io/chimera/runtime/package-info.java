/**
 * Worker runtimes: start chimera's worker nodes, wait until each answers its health check, stop and
 * restart them. {@link io.chimera.runtime.WorkerRuntime} is the abstraction;
 * {@link io.chimera.runtime.process.ProcessWorkerRuntime} runs each worker as a child JVM on a loopback
 * port; {@link io.chimera.runtime.WorkerRuntimes} picks one from the configuration.
 */
package io.chimera.runtime;

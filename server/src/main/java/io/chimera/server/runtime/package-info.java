/**
 * Worker runtimes: start chimera's worker nodes, wait until each answers its health check, stop and
 * restart them. {@link io.chimera.server.runtime.WorkerRuntime} is the abstraction;
 * {@link io.chimera.server.runtime.ProcessWorkerRuntime} runs each worker as a child JVM on a loopback
 * port; {@link io.chimera.server.runtime.WorkerRuntimes} picks one from the configuration.
 */
package io.chimera.server.runtime;

/**
 * chimera's two logs: {@code chimera_status} (workflow events, {@code chimera_status.log}) and
 * {@code chimera_time} (one latency line per master and worker call, {@code chimera_time.log}), written
 * through Logback in chimera's line format. Start with {@link io.chimera.observe.logging.ChimeraLogs};
 * {@link io.chimera.observe.logging.TimeLogReport} summarises a time log per endpoint and draws its histograms.
 */
package io.chimera.observe.logging;

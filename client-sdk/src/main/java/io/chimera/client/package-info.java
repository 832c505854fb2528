/**
 * A typed Java client for a chimera master ({@code AggregationMaster} or {@code ParameterServerMaster}), over
 * gRPC or REST/JSON, built on the generated {@code chimera.v1} messages: {@link io.chimera.client.ChimeraClient}.
 * Every failure is an {@link io.chimera.common.ChimeraException} carrying the master's error.
 */
package io.chimera.client;

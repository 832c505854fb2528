/**
 * The configuration of a chimera master: chimera's {@code CHIMERA_*} variables with the same names,
 * defaults and checks, read from code, {@code -D} system properties and the environment, in that order
 * of precedence. Start with {@link io.chimera.server.config.ChimeraConfig#builder()}.
 */
package io.chimera.server.config;

/**
 * Implementation details of the server module. Everything here may change at any time; do not use it from
 * outside chimera.
 */
package io.chimera.server.internal;

/**
 * Implementation details of the workers SDK. Everything here may change at any time; do not use it from
 * outside chimera.
 */
package io.chimera.workers.internal;

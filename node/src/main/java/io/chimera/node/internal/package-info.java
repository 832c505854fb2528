/**
 * Implementation details of the common module. Everything here may change at any time; do not use it from
 * outside chimera.
 */
package io.chimera.node.internal;

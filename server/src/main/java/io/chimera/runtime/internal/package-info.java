/** The runtimes' shared implementation details; not API, may change at any time. */
package io.chimera.runtime.internal;

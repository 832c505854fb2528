/** Runnable examples of chimera for Java and the demo the README runs. */
package io.chimera.examples;

/**
 * The {@code chimera} command: {@code new} scaffolds a project in any folder, {@code run} runs its master with
 * chimera's classpath, and {@code fit}, {@code predict}, {@code status}, {@code export} and {@code serve-model}
 * talk to a master over its REST API, so that nobody has to write JSON by hand. Built on picocli.
 */
package io.chimera.cli;

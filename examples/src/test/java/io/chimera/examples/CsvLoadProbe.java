package io.chimera.examples;

import java.nio.file.Path;
import java.util.Locale;

import io.chimera.core.data.CsvDatasetLoader;

/**
 * Loads one worker's training folder {@code repeats + 1} times and prints the seconds of every load but the
 * first, one per line; run by {@link LargeCsvBenchmark} in a JVM with a worker's options, so the figure is a
 * worker's.
 */
final class CsvLoadProbe {

    public static void main(String[] args) {
        final Path folder = Path.of(args[0]);
        final int repeats = Integer.parseInt(args[1]);
        for (int i = 0; i <= repeats; i++) {
            final long start = System.nanoTime();
            CsvDatasetLoader.load(folder);
            if (i > 0) {
                System.out.printf(Locale.ROOT, "%.4f%n", (System.nanoTime() - start) / 1e9);
            }
        }
    }

    private CsvLoadProbe() {}
}

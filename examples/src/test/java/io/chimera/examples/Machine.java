package io.chimera.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine and the code it measured: CPU, memory, JDK, load, commit. */
final class Machine {

    /** One line: CPU model and cores, memory, OS, JDK. */
    static String describe() {
        return String.format(Locale.ROOT, "%s, %d cores, %s memory, %s %s, JDK %s (%s)", cpuModel(),
                             Runtime.getRuntime().availableProcessors(), memory(), System.getProperty("os.name"),
                             System.getProperty("os.version"), System.getProperty("java.version"),
                             System.getProperty("java.vm.name"));
    }

    /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} has them. */
    static String loadAverage() {
        try {
            final String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + ", " + parts[1] + ", " + parts[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The commit measured, with {@code (modified)} when the work tree differs from it. */
    static String commit() {
        final String head = git("rev-parse", "--short=12", "HEAD");
        if (head.isEmpty()) {
            return "unknown";
        }
        return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + " (modified)";
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // Not Linux: say so below.
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    final long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.0f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unknown below.
        }
        return "unknown";
    }

    private static String git(String... args) {
        try {
            final ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("git")));
            pb.command().addAll(List.of(args));
            final Process p = pb.redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private Machine() {}
}

package io.chimera.runtime.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which process listens on a TCP port, read from Linux's {@code /proc} (the socket's inode in
 * {@code /proc/net/tcp} and {@code tcp6}, then the process whose descriptors hold it). Elsewhere, or for another
 * user's process, the answer is empty and messages say less.
 */
public final class PortHolders {

    /** The system property that marks a worker JVM the process runtime launched: the worker's name. */
    public static final String WORKER_MARK = "chimera.worker";
    /** The system property that names the pid of the master that launched a worker JVM. */
    public static final String MASTER_MARK = "chimera.master.pid";

    private static final Path PROC = Path.of("/proc");

    /** The process listening on {@code port}, if it can be found. */
    public static Optional<ProcessHandle> listener(int port) {
        final OptionalLong inode = listeningInode(port);
        if (inode.isEmpty()) {
            return Optional.empty();
        }
        final String socket = "socket:[" + inode.getAsLong() + ']';
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> isNumber(p.getFileName()))) {
            for (Path process : processes) {
                if (holds(process.resolve("fd"), socket)) {
                    return ProcessHandle.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The value of {@code -D<property>=...} on {@code process}'s command line, if it has one. */
    public static Optional<String> property(ProcessHandle process, String property) {
        final String prefix = "-D" + property + '=';
        for (String a : arguments(process)) {
            if (a.startsWith(prefix)) {
                return Optional.of(a.substring(prefix.length()));
            }
        }
        return Optional.empty();
    }

    /**
     * The process's arguments, from {@code /proc/<pid>/cmdline}: {@link ProcessHandle.Info#arguments()} has none
     * when the command line is longer than a page, as a worker's classpath makes it.
     */
    private static List<String> arguments(ProcessHandle process) {
        try {
            final String cmdline = new String(Files.readAllBytes(PROC.resolve(Long.toString(process.pid()))
                                                                     .resolve("cmdline")), StandardCharsets.UTF_8);
            return List.of(cmdline.split("\0"));
        } catch (IOException | RuntimeException e) {
            return process.info().arguments().map(List::of).orElse(List.of());
        }
    }

    /**
     * A worker JVM of a chimera run whose master is gone: marked with both properties, and its master's pid names
     * no live process.
     */
    public static boolean isOrphanedWorker(ProcessHandle process) {
        if (property(process, WORKER_MARK).isEmpty()) {
            return false;
        }
        final Optional<String> master = property(process, MASTER_MARK);
        if (master.isEmpty()) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(master.get())).map(m -> !m.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** One line about {@code process}: {@code pid 1234 (java -Dchimera.worker=tree1 ...)}. */
    public static String describe(ProcessHandle process) {
        final String command = process.info().commandLine().orElse(process.info().command().orElse("?"));
        final String shortened = command.length() > 160 ? command.substring(0, 157) + "..." : command;
        return "pid " + process.pid() + " (" + shortened + ')';
    }

    private static OptionalLong listeningInode(int port) {
        final String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                for (String line : Files.readAllLines(PROC.resolve(table))) {
                    final String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode; 0A is LISTEN.
                    if (f.length > 9 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
                        return OptionalLong.of(Long.parseLong(f[9]));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // Not Linux, or not readable: try the next table.
            }
        }
        return OptionalLong.empty();
    }

    private static boolean holds(Path fds, String socket) {
        try (DirectoryStream<Path> links = Files.newDirectoryStream(fds)) {
            for (Path fd : links) {
                try {
                    if (socket.equals(Files.readSymbolicLink(fd).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // Closed meanwhile.
                }
            }
        } catch (IOException | RuntimeException e) {
            // Another user's process, or gone.
        }
        return false;
    }

    private static boolean isNumber(Path name) {
        final String s = name.toString();
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private PortHolders() {}
}

package io.chimera.runtime.process;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.SourceJars;

/**
 * Application class-data sharing for worker JVMs: the JDK 17 dynamic archive ({@code -XX:ArchiveClassesAtExit}),
 * kept in {@code .chimera/cds/<key>.jsa}. While no archive of a key exists, one worker of it writes one as it
 * exits, to a file of its own that is moved into place only after a clean exit; the others start without. Later
 * workers map it and find Armeria, gRPC, Jackson and chimera already parsed and verified: a tree worker answered
 * its health route in 1.2–1.4 s instead of 2.2 s (docs/benchmarks.md). Writing costs that worker about 1.5 s
 * more at start and 6 s at exit, once.
 *
 * <p>The key covers the {@code java} executable, its version, the JVM options and every classpath entry's path,
 * size and time, because the JVM refuses an archive whose classpath differs (and says so): a changed jar so
 * gives a new key, never a stale archive. {@code -Xlog:cds=off,cds+dynamic=off} keeps a refused archive (say,
 * after a JDK update in place) out of the worker's output. Workers compiled from source keep the same
 * {@code -cp} ({@link SourceJars#LAUNCHER}), so one archive serves them all.
 */
final class ClassDataArchives {

    private static final Logger logger = ChimeraLogs.status();
    static final List<String> QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

    /** How a worker JVM uses its archive: the options to add and, when it creates one, where it goes. */
    final class Use {
        final List<String> options;
        final Optional<Path> pending;
        final Path archive;

        Use(List<String> options, Optional<Path> pending, Path archive) {
            this.options = List.copyOf(options);
            this.pending = pending;
            this.archive = archive;
        }

        /**
         * Moves what a worker that exited cleanly wrote into place, unless another worker of the same key got
         * there first; removes it otherwise.
         */
        void publish(boolean cleanExit) {
            if (pending.isEmpty()) {
                return;
            }
            final Path written = pending.get();
            synchronized (ClassDataArchives.this) {
                writing.remove(archive);
            }
            try {
                if (cleanExit && Files.size(written) > 0 && !Files.exists(archive)) {
                    try {
                        Files.move(written, archive, StandardCopyOption.ATOMIC_MOVE);
                    } catch (AtomicMoveNotSupportedException e) {
                        Files.move(written, archive);
                    }
                    logger.debug("created the class-data archive {}", archive);
                    return;
                }
            } catch (IOException e) {
                logger.debug("cannot move the class-data archive {} to {}: {}", written, archive, e.toString());
            }
            try {
                Files.deleteIfExists(written);
            } catch (IOException e) {
                logger.debug("cannot delete {}: {}", written, e.toString());
            }
        }
    }

    private final Path directory;
    /** The archives a worker writes now; guarded by {@code this}. */
    private final Set<Path> writing = new HashSet<>();

    ClassDataArchives(Path directory) {
        this.directory = directory;
    }

    /**
     * Returns how worker {@code workerName} started as {@code java <jvmOptions> -cp <classpath>} uses the
     * archive of its key: it maps the archive, or writes it when there is none and no other worker writes it.
     * Nothing when the options choose a class-data setting of their own, when another worker writes the archive,
     * or when the classpath has a non-empty folder (e.g. {@code target/classes}): the JVM archives only jars and
     * fails at exit when asked to archive with a folder on the classpath.
     */
    synchronized Optional<Use> use(Path javaExecutable, List<String> jvmOptions, String classpath,
                                   String workerName) {
        if (jvmOptions.stream().anyMatch(o -> o.startsWith("-Xshare") || o.startsWith("-XX:SharedArchiveFile") ||
                                              o.startsWith("-XX:ArchiveClassesAtExit"))) {
            return Optional.empty();
        }
        if (Arrays.stream(classpath.split(File.pathSeparator)).anyMatch(ClassDataArchives::isNonEmptyFolder)) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            logger.debug("no class-data archive: cannot create {}: {}", directory, e.toString());
            return Optional.empty();
        }
        final Path archive = directory.resolve(key(javaExecutable, jvmOptions, classpath) + ".jsa");
        final List<String> options = new ArrayList<>(QUIET);
        if (Files.isRegularFile(archive)) {
            options.add("-XX:SharedArchiveFile=" + archive);
            return Optional.of(new Use(options, Optional.empty(), archive));
        }
        if (!writing.add(archive)) {
            return Optional.empty();
        }
        final Path pending = directory.resolve(archive.getFileName() + "." + workerName + ".tmp");
        options.add("-XX:ArchiveClassesAtExit=" + pending);
        return Optional.of(new Use(options, Optional.of(pending), archive));
    }

    private static boolean isNonEmptyFolder(String entry) {
        final Path path = Path.of(entry);
        if (!Files.isDirectory(path)) {
            return false;
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return true;
        }
    }

    static String key(Path javaExecutable, List<String> jvmOptions, String classpath) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, javaExecutable.toAbsolutePath().toString());
            update(digest, System.getProperty("java.version"));
            jvmOptions.forEach(o -> update(digest, o));
            for (String entry : classpath.split(File.pathSeparator)) {
                final Path path = Path.of(entry);
                try {
                    update(digest, entry + ':' + Files.size(path) + ':' + Files.getLastModifiedTime(path).toMillis());
                } catch (IOException e) {
                    update(digest, entry + ":missing");
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}

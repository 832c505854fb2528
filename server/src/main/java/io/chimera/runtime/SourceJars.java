package io.chimera.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.internal.FileTrees;
import io.chimera.runtime.internal.HealthWaiter;
import io.chimera.runtime.internal.WorkerCompiler;

/**
 * Compiles a single-file program once into a jar cached under {@code .chimera/}: each worker's
 * {@code chimera_workers/<name>.java}, compiled in the master (the JDK's source launcher compiled it in every
 * worker JVM at every start: 13–16 s per worker on a busy machine, issue 14), and the {@code Master.java} that
 * {@code chimera run} runs. As with the source launcher, the first top-level class is the main class. The cache key is the SHA-256 of the source, the classpath and the Java version, so that
 * workers of the same source share one jar and an unchanged project runs no compiler at all. A jar rather than
 * a folder of classes because class-data sharing ignores a non-empty folder on the classpath.
 */
public final class SourceJars {

    /** The main class that runs a compiled worker from its jar: {@code <launcher> <jar> <main class>}. */
    public static final String LAUNCHER = "io.chimera.workers.internal.WorkerJarLauncher";
    private static final Logger logger = ChimeraLogs.status();
    private static final String JAR = "program.jar";
    /** Entries get one fixed time so that equal classes give equal jars. */
    private static final long ENTRY_TIME = 946_684_800_000L;

    /** A compiled program: its jar and the class to run. */
    public record Compiled(Path jar, String mainClass) {}

    private final Path cacheDirectory;

    /** Caches jars in {@code cacheDirectory}, one folder per key. */
    public SourceJars(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory;
    }

    /**
     * Returns the jar and main class of {@code javaFile} compiled against {@code classpath}, compiling it only
     * when no jar of the same key is cached.
     *
     * @throws WorkerStartException with the compiler's errors, or if the jar cannot be written
     */
    public synchronized Compiled compile(Path javaFile, String classpath) {
        final long start = System.nanoTime();
        try {
            final String key = key(Files.readAllBytes(javaFile), classpath);
            final Path entry = cacheDirectory.resolve(key);
            final Path jar = entry.resolve(JAR);
            if (Files.isRegularFile(jar)) {
                return new Compiled(jar, mainClass(jar));
            }
            Files.createDirectories(cacheDirectory);
            final Path work = Files.createTempDirectory(cacheDirectory, key + ".tmp-");
            try {
                final Path classes = work.resolve("classes");
                final String mainClass = WorkerCompiler.compile(javaFile, classpath, classes);
                final Path staged = Files.createDirectories(work.resolve(key));
                writeJar(classes, mainClass, staged.resolve(JAR));
                publish(staged, entry);
                logger.debug("compiled {} into {} in {} s", javaFile, jar,
                             HealthWaiter.seconds(System.nanoTime() - start));
                return new Compiled(jar, mainClass);
            } finally {
                FileTrees.delete(work);
            }
        } catch (IOException e) {
            throw new WorkerStartException("cannot compile " + javaFile + ": " + e, e);
        }
    }

    /** The first 32 hex digits of SHA-256 over the source, the classpath and the Java version. */
    static String key(byte[] source, String classpath) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(source);
            digest.update((byte) 0);
            digest.update(classpath.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(System.getProperty("java.version").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String mainClass(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            final Manifest manifest = file.getManifest();
            final String mainClass =
                    manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.MAIN_CLASS);
            if (mainClass == null) {
                throw new IOException(jar + " names no Main-Class; delete it so that it is compiled again");
            }
            return mainClass;
        }
    }

    private static void writeJar(Path classes, String mainClass, Path jar) throws IOException {
        final Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
        final List<Path> files;
        try (Stream<Path> walk = Files.walk(classes)) {
            files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        }
        try (OutputStream file = Files.newOutputStream(jar);
             JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Path f : files) {
                final JarEntry entry = new JarEntry(classes.relativize(f).toString().replace('\\', '/'));
                entry.setTime(ENTRY_TIME);
                out.putNextEntry(entry);
                Files.copy(f, out);
                out.closeEntry();
            }
        }
    }

    /** Moves a finished entry into place in one step; another master that got there first wins. */
    private static void publish(Path staged, Path entry) throws IOException {
        try {
            Files.move(staged, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // Same key, same content.
        } catch (AtomicMoveNotSupportedException e) {
            if (!Files.exists(entry)) {
                Files.move(staged, entry);
            }
        } catch (IOException e) {
            if (!Files.isRegularFile(entry.resolve(JAR))) {
                throw e;
            }
        }
    }
}

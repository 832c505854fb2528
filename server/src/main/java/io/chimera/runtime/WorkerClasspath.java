package io.chimera.runtime;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The classpath that workers get unless a runtime is given one: chimera's, never that of whatever launched
 * the master. Under {@code mvn exec:java} this JVM's {@code java.class.path} is Maven's launcher
 * (plexus-classworlds), and workers given it fail with "package io.chimera.workers does not exist".
 * <ol>
 *   <li>{@code chimera.home} (system property) or {@code CHIMERA_HOME} (environment) names a distribution
 *       whose {@code lib} folder exists: the jars in {@code <home>/lib}, by name;</li>
 *   <li>else the classpath of the class loader that loaded chimera: the URLs of every
 *       {@link URLClassLoader} from it up to the system class loader (outermost first, as they delegate),
 *       and there the entries of {@code java.class.path}, leaving out Maven's own launcher (entries under
 *       {@code maven.home} and plexus-classworlds jars).</li>
 * </ol>
 */
public final class WorkerClasspath {

    /** The system property naming chimera's distribution; {@value #HOME_ENVIRONMENT} is read when it is unset. */
    public static final String HOME_PROPERTY = "chimera.home";
    /** The environment variable naming chimera's distribution. */
    public static final String HOME_ENVIRONMENT = "CHIMERA_HOME";

    /** Returns the default classpath of workers, as this class describes, joined with {@link File#pathSeparator}. */
    public static String resolve() {
        return resolve(distribution(), WorkerClasspath.class.getClassLoader(),
                       System.getProperty("java.class.path", ""),
                       Optional.ofNullable(System.getProperty("maven.home")).map(Path::of));
    }

    /**
     * Returns the distribution that {@value #HOME_PROPERTY} or {@value #HOME_ENVIRONMENT} names (the folder
     * holding {@code bin/chimera} and {@code lib/}), when one is named and has a {@code lib} folder.
     */
    public static Optional<Path> distribution() {
        return Optional.ofNullable(System.getProperty(HOME_PROPERTY, System.getenv(HOME_ENVIRONMENT)))
                       .filter(h -> !h.isBlank()).map(Path::of).filter(h -> Files.isDirectory(h.resolve("lib")));
    }

    /**
     * Returns where caches keyed by content (compiled sources, class-data archives) go for programs run on
     * {@code classpath}: the distribution's folder when {@code classpath} is its {@code lib} and the folder is
     * writable, so that every project of one installation shares them and a new project starts warm; else
     * {@code projectCache}, the project's {@code .chimera}.
     */
    public static Path cacheDirectory(String classpath, Path projectCache) {
        requireNonNull(classpath, "classpath");
        requireNonNull(projectCache, "projectCache");
        // The distribution's jars only (one listing of lib/), not the whole resolve() again.
        return distribution().filter(Files::isWritable)
                             .filter(home -> classpath.equals(String.join(File.pathSeparator,
                                                                          distributionJars(home.resolve("lib")))))
                             .orElse(projectCache);
    }

    /**
     * Returns the jars of {@code home/lib} when that folder exists, else the classpath of {@code loader} with
     * {@code javaClassPath} for the system class loader, leaving out Maven's launcher.
     */
    static String resolve(Optional<Path> home, ClassLoader loader, String javaClassPath, Optional<Path> mavenHome) {
        requireNonNull(home, "home");
        requireNonNull(javaClassPath, "javaClassPath");
        requireNonNull(mavenHome, "mavenHome");
        final Optional<Path> lib = home.map(h -> h.resolve("lib")).filter(Files::isDirectory);
        if (lib.isPresent()) {
            return String.join(File.pathSeparator, distributionJars(lib.get()));
        }
        final Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l : outermostFirst(loader)) {
            if (l == ClassLoader.getSystemClassLoader()) {
                for (String entry : javaClassPath.split(File.pathSeparator)) {
                    if (!entry.isBlank()) {
                        entries.add(entry);
                    }
                }
            } else if (l instanceof URLClassLoader) {
                for (URL url : ((URLClassLoader) l).getURLs()) {
                    toPath(url).ifPresent(p -> entries.add(p.toString()));
                }
            }
        }
        return entries.stream().filter(e -> !isMavenLauncher(Path.of(e), mavenHome))
                      .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> distributionJars(Path lib) {
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted()
                        .map(f -> f.toAbsolutePath().normalize().toString()).collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list chimera's jars in " + lib, e);
        }
    }

    /** The loaders from the outermost parent down to {@code loader}, the order in which they are asked. */
    private static List<ClassLoader> outermostFirst(ClassLoader loader) {
        final Deque<ClassLoader> chain = new ArrayDeque<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            chain.addFirst(l);
        }
        return new ArrayList<>(chain);
    }

    private static Optional<Path> toPath(URL url) {
        if (!"file".equals(url.getProtocol())) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(url.toURI()).toAbsolutePath().normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isMavenLauncher(Path entry, Optional<Path> mavenHome) {
        final Path absolute = entry.toAbsolutePath().normalize();
        final String fileName = absolute.getFileName() == null ? "" : absolute.getFileName().toString();
        return fileName.startsWith("plexus-classworlds") ||
               mavenHome.map(h -> absolute.startsWith(h.toAbsolutePath().normalize())).orElse(false);
    }

    private WorkerClasspath() {}
}

package io.chimera.cli;

import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

import io.chimera.runtime.SourceJars;
import io.chimera.runtime.WorkerClasspath;

/**
 * A master's single source file compiled once into {@code .chimera/master/<key>/} (or the installation's
 * {@code master/}, shared by its projects: {@link WorkerClasspath#cacheDirectory}), as the workers' sources are
 * ({@link SourceJars}: the key covers the source, the classpath and the JDK, so an unchanged project starts
 * without compiling), against the classpath its workers get ({@link WorkerClasspath}): chimera's distribution,
 * or the project's dependencies under {@code mvn exec:java}.
 */
final class MasterSource {

    /** Where a project's compiled master is cached, unless its installation's cache is shared. */
    static final Path CACHE = Path.of(".chimera", "master");

    private final SourceJars.Compiled compiled;

    private MasterSource(SourceJars.Compiled compiled) {
        this.compiled = compiled;
    }

    /**
     * Compiles {@code source}, or finds it compiled already.
     *
     * @throws io.chimera.runtime.WorkerStartException with the compiler's errors
     */
    static MasterSource compile(Path source, Path projectDirectory) {
        final String classpath = WorkerClasspath.resolve();
        final Path cache = WorkerClasspath.cacheDirectory(classpath, projectDirectory.resolve(".chimera"))
                                          .resolve(CACHE.getFileName());
        return new MasterSource(new SourceJars(cache).compile(source.toAbsolutePath(), classpath));
    }

    /** Returns the binary name of the main class, e.g. {@code Master}. */
    String mainClass() {
        return compiled.mainClass();
    }

    /**
     * A loader for the compiled classes that finds them before asking {@code parent}, so that a stale
     * {@code Master.class} on the classpath (an IDE's or Maven's output folder) never shadows the source that was
     * just compiled.
     */
    ClassLoader classLoader(ClassLoader parent) {
        final URL url;
        try {
            url = compiled.jar().toUri().toURL();
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
        return new URLClassLoader(new URL[] { url }, parent) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> type = findLoadedClass(name);
                    if (type == null) {
                        try {
                            type = findClass(name);
                        } catch (ClassNotFoundException e) {
                            return super.loadClass(name, resolve);
                        }
                    }
                    if (resolve) {
                        resolveClass(type);
                    }
                    return type;
                }
            }
        };
    }
}

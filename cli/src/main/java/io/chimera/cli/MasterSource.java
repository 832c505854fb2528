package io.chimera.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;

/**
 * A master's single source file compiled once into {@code .chimera/classes/master-<hash>/}, the hash covering
 * the source, the classpath and the JDK; a later run with the same three loads the classes without compiling.
 * As with the JDK's source launcher, the first top-level class is the main class and the file need not be named
 * after it.
 */
final class MasterSource {

    private final Path classes;
    private final String mainClass;

    private MasterSource(Path classes, String mainClass) {
        this.classes = classes;
        this.mainClass = mainClass;
    }

    /** Compiles {@code source} against this JVM's chimera classpath, or finds it compiled already. */
    static MasterSource compile(Path source, Path projectDirectory) throws IOException {
        final String classpath = String.join(File.pathSeparator, classpathOf(MasterSource.class.getClassLoader()));
        final byte[] text = Files.readAllBytes(source);
        final Path cache = projectDirectory.resolve(".chimera").resolve("classes")
                                           .resolve("master-" + hash(text, classpath));
        final Path mainClassFile = cache.resolve("main-class");
        if (Files.isRegularFile(mainClassFile)) {
            return new MasterSource(cache, Files.readString(mainClassFile, StandardCharsets.UTF_8).strip());
        }
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new CommandFailure("cannot compile " + source + ": this JVM (" + System.getProperty("java.home")
                                     + ") has no Java compiler; run chimera on a JDK, not a JRE");
        }
        // Compile into a fresh folder and move it into place, so that an interrupted compile leaves no cache entry.
        Files.createDirectories(cache.getParent());
        final Path staging = Files.createTempDirectory(cache.getParent(), "compiling-");
        try {
            final String mainClass = firstTopLevelClass(compiler, source);
            final Path sources = Files.createDirectories(staging.resolve(".source"));
            final Path renamed = sources.resolve(mainClass.substring(mainClass.lastIndexOf('.') + 1) + ".java");
            Files.write(renamed, text);
            final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                                                                                 StandardCharsets.UTF_8)) {
                final List<String> options = List.of("-classpath", classpath, "-d", staging.toString(),
                                                     "-proc:none", "-encoding", "UTF-8", "-nowarn");
                if (!compiler.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(renamed))
                             .call()) {
                    throw new CommandFailure("cannot compile " + source + ":\n" + errors(diagnostics));
                }
            }
            Files.delete(renamed);
            Files.delete(sources);
            Files.writeString(staging.resolve("main-class"), mainClass + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(staging, cache, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isRegularFile(mainClassFile)) { // not a concurrent run that got there first
                    throw e;
                }
            }
            return new MasterSource(cache, mainClass);
        } finally {
            deleteRecursively(staging);
        }
    }

    /** Returns the binary name of the main class, e.g. {@code Master}. */
    String mainClass() {
        return mainClass;
    }

    /**
     * A loader for the compiled classes that finds them before asking {@code parent}, so that a stale
     * {@code Master.class} elsewhere on the classpath (an IDE's or Maven's output folder) never shadows the
     * source that was just compiled.
     */
    ClassLoader classLoader(ClassLoader parent) {
        final URL url;
        try {
            url = classes.toUri().toURL();
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

    /**
     * The classpath that {@code loader} sees: the URLs of every {@link URLClassLoader} from it up (how
     * {@code mvn exec:java} and IDEs hand over a project's dependencies), then {@code java.class.path} where the
     * chain reaches the application loader ({@code java -cp}, the {@code chimera} script).
     */
    static List<String> classpathOf(ClassLoader loader) {
        final Set<String> entries = new LinkedHashSet<>();
        for (ClassLoader l = loader; l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader) {
                for (URL url : ((URLClassLoader) l).getURLs()) {
                    if ("file".equals(url.getProtocol())) {
                        try {
                            entries.add(Path.of(url.toURI()).toString());
                        } catch (URISyntaxException | IllegalArgumentException e) {
                            // not a local path: javac could not read it anyway
                        }
                    }
                }
            }
            if (l == ClassLoader.getSystemClassLoader()) {
                for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
                    if (!entry.isEmpty()) {
                        entries.add(entry);
                    }
                }
            }
        }
        return new ArrayList<>(entries);
    }

    private static String hash(byte[] source, String classpath) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(source);
            digest.update((byte) 0);
            digest.update(classpath.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(Runtime.version().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(), 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstTopLevelClass(JavaCompiler compiler, Path source) throws IOException {
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                                                                             StandardCharsets.UTF_8)) {
            final JavacTask task = (JavacTask) compiler.getTask(null, files, diagnostics, List.of("-proc:none"),
                                                                null, files.getJavaFileObjects(source));
            for (CompilationUnitTree unit : task.parse()) {
                for (Tree declaration : unit.getTypeDecls()) {
                    if (declaration instanceof ClassTree) {
                        final String name = ((ClassTree) declaration).getSimpleName().toString();
                        return unit.getPackageName() == null ? name : unit.getPackageName() + "." + name;
                    }
                }
            }
        }
        final String problems = errors(diagnostics);
        throw new CommandFailure("cannot compile " + source + ": "
                                 + (problems.isEmpty() ? "it declares no class" : "\n" + problems));
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                          .map(d -> "    | line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                          .collect(Collectors.joining("\n"));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package io.chimera.runtime.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

import io.chimera.runtime.SourceJars;
import io.chimera.runtime.WorkerStartException;

/**
 * Compiles a {@code chimera_workers/<name>.java} single-file program on the host, as the JDK's source
 * launcher would run it: its first top-level class is the main class, and the file need not be named after
 * it. Worker processes ({@link SourceJars}) and container images then hold classes, so that no worker compiles
 * at start-up and a JRE is enough.
 */
public final class WorkerCompiler {

    /**
     * Compiles {@code javaFile} against {@code classpath} into {@code outputDirectory}.
     *
     * @return the binary name of the main class, e.g. {@code tree1} or {@code com.example.Tree}
     * @throws WorkerStartException with the compiler's errors, or if this JVM has no compiler
     */
    public static String compile(Path javaFile, String classpath, Path outputDirectory) {
        final JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        if (compiler == null) {
            throw new WorkerStartException("cannot compile " + javaFile + ": this JVM (" +
                                           System.getProperty("java.home") + ") has no Java compiler; run the " +
                                           "master on a JDK");
        }
        try {
            final String source = Files.readString(javaFile, StandardCharsets.UTF_8);
            final Path sources = Files.createDirectories(outputDirectory.resolve(".source"));
            final String mainClass = firstTopLevelClass(compiler, javaFile);
            // javac wants a public class in a file of its name; the source launcher does not.
            final Path renamed = sources.resolve(simpleName(mainClass) + ".java");
            Files.writeString(renamed, source, StandardCharsets.UTF_8);
            final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
            try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                                                                                 StandardCharsets.UTF_8)) {
                final List<String> options = List.of("-classpath", classpath, "-d", outputDirectory.toString(),
                                                     "-proc:none", "-encoding", "UTF-8", "-nowarn");
                final boolean ok = compiler.getTask(null, files, diagnostics, options, null,
                                                    files.getJavaFileObjects(renamed)).call();
                if (!ok) {
                    throw new WorkerStartException("cannot compile " + javaFile + ":\n" + errors(diagnostics));
                }
            } finally {
                Files.delete(renamed);
                Files.delete(sources);
            }
            return mainClass;
        } catch (IOException e) {
            throw new WorkerStartException("cannot compile " + javaFile + ": " + e, e);
        }
    }

    private static String firstTopLevelClass(JavaCompiler compiler, Path javaFile) throws IOException {
        final DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
                                                                             StandardCharsets.UTF_8)) {
            final JavacTask task = (JavacTask) compiler.getTask(null, files, diagnostics, List.of("-proc:none"),
                                                                null, files.getJavaFileObjects(javaFile));
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
        throw new WorkerStartException("cannot compile " + javaFile + ": " +
                                       (problems.isEmpty() ? "it declares no class" : "\n" + problems));
    }

    private static String simpleName(String binaryName) {
        return binaryName.substring(binaryName.lastIndexOf('.') + 1);
    }

    private static String errors(DiagnosticCollector<JavaFileObject> diagnostics) {
        return diagnostics.getDiagnostics().stream()
                          .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                          .map(d -> "    | line " + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT))
                          .collect(Collectors.joining("\n"));
    }

    private WorkerCompiler() {}
}

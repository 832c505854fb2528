package io.chimera.cli;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code chimera run [Master.java | ClassName] [ARGS...]}: runs the project's master in this JVM, on chimera's
 * classpath. A source file is compiled once (then cached under {@code .chimera/}) rather than at every start;
 * a class name is looked up in {@code --classpath}. The master's own {@code main} starts its workers and serves
 * until Ctrl-C or SIGTERM, which stop everything it started.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
         description = "Runs the project's master (Master.java in the current folder by default) with its "
                       + "workers, until Ctrl-C.")
final class RunCommand implements Callable<Integer> {

    static final String DEFAULT_MASTER = "Master.java";

    @Parameters(index = "0", arity = "0..1", paramLabel = "MASTER", defaultValue = DEFAULT_MASTER,
                description = "A master source file (default: ${DEFAULT-VALUE}) or the name of a compiled class.")
    private String master;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for the master's main.")
    private List<String> arguments = new ArrayList<>();

    @Option(names = { "-cp", "--classpath" }, paramLabel = "PATH",
            description = "Where a compiled master class and its own classes are (default: target/classes when it "
                          + "exists, else the current folder).")
    private String classpath;

    @Override
    public Integer call() throws Exception {
        final Path projectDirectory = Path.of("").toAbsolutePath();
        final ClassLoader loader;
        final String className;
        if (master.endsWith(".java")) {
            final Path source = Path.of(master);
            if (!Files.isRegularFile(source)) {
                throw new CommandFailure("MASTER: " + master + " (expected: a Java source file; it does not exist"
                                         + " in " + projectDirectory + "; start a project with `chimera new DIR`)");
            }
            final MasterSource compiled = MasterSource.compile(source, projectDirectory);
            loader = compiled.classLoader(RunCommand.class.getClassLoader());
            className = compiled.mainClass();
        } else {
            loader = new URLClassLoader(urls(userClasspath()), RunCommand.class.getClassLoader());
            className = master;
        }
        invokeMain(loader, className, arguments.toArray(new String[0]));
        ChimeraCommand.leaveRunning();
        return 0;
    }

    private List<Path> userClasspath() {
        if (classpath != null) {
            final List<Path> paths = new ArrayList<>();
            for (String entry : classpath.split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    paths.add(Path.of(entry));
                }
            }
            return paths;
        }
        final Path classes = Path.of("target", "classes");
        return List.of(Files.isDirectory(classes) ? classes : Path.of("."));
    }

    private static URL[] urls(List<Path> paths) {
        final URL[] urls = new URL[paths.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = paths.get(i).toAbsolutePath().toUri().toURL();
            } catch (MalformedURLException e) {
                throw new CommandFailure("--classpath: " + paths.get(i) + " (expected: a folder or a jar)", e);
            }
        }
        return urls;
    }

    private static void invokeMain(ClassLoader loader, String className, String[] args) throws Exception {
        final Class<?> type;
        try {
            type = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new CommandFailure("MASTER: " + className + " (expected: a master source file or a class with a "
                                     + "main; no such class on the classpath: " + e.getMessage() + ")");
        }
        final Method main;
        try {
            main = type.getMethod("main", String[].class);
        } catch (NoSuchMethodException e) {
            throw new CommandFailure("MASTER: " + className + " has no `public static void main(String[])`");
        }
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new CommandFailure("MASTER: " + className + ".main is not static");
        }
        final Thread thread = Thread.currentThread();
        final ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            final Throwable cause = e.getCause();
            if (cause instanceof Exception) {
                throw (Exception) cause;
            }
            throw (Error) cause;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}

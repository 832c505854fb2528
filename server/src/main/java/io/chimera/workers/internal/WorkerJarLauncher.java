package io.chimera.workers.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs the main class of a worker compiled by the master ({@code .chimera/workers/<key>/program.jar}):
 * {@code java -cp <chimera's classpath> io.chimera.workers.internal.WorkerJarLauncher <jar> <main class> [args]}.
 * The worker's jar is loaded by a child of the application class loader rather than put on {@code -cp}, so that
 * every worker JVM of a classpath has the same {@code -cp} and can map the same class-data archive: the JVM
 * refuses an archive whose classpath differs from the one it was written with.
 */
public final class WorkerJarLauncher {

    public static void main(String[] args) throws Throwable {
        if (args.length < 2) {
            System.err.println("usage: WorkerJarLauncher <worker jar> <main class> [arguments]");
            System.exit(2);
        }
        final URL jar = Path.of(args[0]).toUri().toURL();
        final URLClassLoader loader = new URLClassLoader(new URL[] { jar },
                                                         WorkerJarLauncher.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        final Method main = Class.forName(args[1], true, loader).getMethod("main", String[].class);
        if (!Modifier.isStatic(main.getModifiers())) {
            throw new NoSuchMethodException(args[1] + ".main(String[]) is not static");
        }
        main.setAccessible(true);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            // As if the worker's main had been the JVM's: its own exception, not the reflection's.
            throw e.getCause();
        }
    }

    private WorkerJarLauncher() {}
}

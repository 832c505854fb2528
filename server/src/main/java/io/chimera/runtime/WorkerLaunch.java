package io.chimera.runtime;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * How a worker's JVM starts: what follows {@code java [JVM options] -cp <classpath>}. A worker is declared
 * as {@code chimera_workers/<name>.java}, a single-file program whose {@code main} builds a worker and calls
 * {@code serve()} (like chimera's {@code chimera_workers/<name>.py}), or as {@code chimera_workers/<name>.json}
 * for a declarative worker; {@link #discover(Path, String)} finds which.
 */
public final class WorkerLaunch {

    /** The main class that runs a declarative worker from its JSON file. */
    public static final String DECLARATIVE_WORKER_CLASS = "io.chimera.workers.DeclarativeWorker";

    /**
     * Runs a single-file Java program. chimera's runtimes compile it first, in the master (the process runtime
     * once into {@code .chimera/workers}, the container runtimes into the image); {@link #javaArguments()} is
     * the JDK source launcher's form, {@code java -cp <cp> <javaFile>}.
     */
    public static WorkerLaunch sourceFile(Path javaFile) {
        requireNonNull(javaFile, "javaFile");
        if (!javaFile.toString().endsWith(".java")) {
            throw new IllegalArgumentException("javaFile: " + javaFile + " (expected: a .java file)");
        }
        return new WorkerLaunch(javaFile, List.of(javaFile.toString()));
    }

    /** Runs a compiled class on the classpath: {@code java -cp <cp> <className> <args>}. */
    public static WorkerLaunch mainClass(String className, String... args) {
        requireNonNull(className, "className");
        if (className.isEmpty()) {
            throw new IllegalArgumentException("className: (empty) (expected: a class name)");
        }
        final List<String> javaArguments = new ArrayList<>();
        javaArguments.add(className);
        javaArguments.addAll(Arrays.asList(requireNonNull(args, "args")));
        return new WorkerLaunch(null, javaArguments);
    }

    /** Runs {@value #DECLARATIVE_WORKER_CLASS} with {@code jsonFile} as its argument. */
    public static WorkerLaunch declarative(Path jsonFile) {
        requireNonNull(jsonFile, "jsonFile");
        return new WorkerLaunch(jsonFile, List.of(DECLARATIVE_WORKER_CLASS, jsonFile.toString()));
    }

    /**
     * Finds the entry of worker {@code name} in {@code workersDir}: {@code <name>.java}, else
     * {@code <name>.json}.
     *
     * @throws WorkerStartException listing the files looked for and the entries found instead
     */
    public static WorkerLaunch discover(Path workersDir, String name) {
        requireNonNull(workersDir, "workersDir");
        requireNonNull(name, "name");
        final Path javaFile = workersDir.resolve(name + ".java");
        if (Files.isRegularFile(javaFile)) {
            return sourceFile(javaFile);
        }
        final Path jsonFile = workersDir.resolve(name + ".json");
        if (Files.isRegularFile(jsonFile)) {
            return declarative(jsonFile);
        }
        throw new WorkerStartException("no entry for worker " + name + ": looked for " + javaFile +
                                       " (a Java program with a main) and " + jsonFile +
                                       " (a declarative worker); " + entries(workersDir));
    }

    private static String entries(Path workersDir) {
        if (!Files.isDirectory(workersDir)) {
            return workersDir + " does not exist";
        }
        try (Stream<Path> files = Files.list(workersDir)) {
            final List<String> names = files.map(f -> f.getFileName().toString()).sorted()
                                            .collect(Collectors.toList());
            return names.isEmpty() ? workersDir + " is empty" : "found instead: " + String.join(", ", names);
        } catch (IOException e) {
            return "cannot list " + workersDir + ": " + e;
        }
    }

    private final Path file;
    private final List<String> javaArguments;

    private WorkerLaunch(Path file, List<String> javaArguments) {
        this.file = file;
        this.javaArguments = List.copyOf(javaArguments);
    }

    /** Returns the source or JSON file this launch reads; empty for a main class. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /** Returns what follows {@code java [JVM options] -cp <classpath>}: a source file or a class, then arguments. */
    public List<String> javaArguments() {
        return javaArguments;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof WorkerLaunch && javaArguments.equals(((WorkerLaunch) o).javaArguments) &&
                            Objects.equals(file, ((WorkerLaunch) o).file);
    }

    @Override
    public int hashCode() {
        return javaArguments.hashCode();
    }

    @Override
    public String toString() {
        return String.join(" ", javaArguments);
    }
}

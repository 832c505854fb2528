package io.chimera.runtime.docker.internal;

import java.io.BufferedOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.WorkerLaunch;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;
import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.internal.FileTrees;
import io.chimera.runtime.internal.HealthWaiter;
import io.chimera.runtime.internal.WorkerCompiler;

/**
 * Builds the images of worker containers from the two templates in {@code docker/}: one shared image (the
 * classpath and every compiled worker entry, on the base image) and one small image per worker (its data on
 * the shared image). Each image is tagged with a digest of what went into it, so that an unchanged project
 * builds nothing: a warm start only creates containers.
 */
public final class WorkerImages {

    private static final Logger logger = ChimeraLogs.status();
    static final String SHARED_TEMPLATE = "worker-shared.Dockerfile";
    static final String DATA_TEMPLATE = "worker-data.Dockerfile";
    /** Where a worker finds its data in its container ({@code CHIMERA_TRAIN_DATA_DIR}). */
    static final String DATA_DIRECTORY = "/chimera/data";
    private static final String CLASSPATH_DIRECTORY = "/chimera/classpath";
    private static final String WORKERS_DIRECTORY = "/chimera/workers";
    /** Entries get one fixed time so that equal files give equal layers whatever their time on the host. */
    private static final long ENTRY_TIME = 946_684_800_000L;
    private static final long BUILD_TIMEOUT_MINUTES = 10;
    /** The label of the shared image that names the main class of a compiled worker, followed by its name. */
    private static final String MAIN_CLASS_LABEL = "io.chimera.main-class.";

    /** What a worker container runs: its image and what follows {@code java [JVM options]}. */
    public static final class WorkerImage {
        public final String image;
        final List<String> javaArguments;

        WorkerImage(String image, List<String> javaArguments) {
            this.image = image;
            this.javaArguments = List.copyOf(javaArguments);
        }
    }

    /** One classpath entry of the host and its name in the image. */
    private static final class Entry {
        final Path path;
        final String name;

        Entry(Path path, String name) {
            this.path = path;
            this.name = name;
        }
    }

    /**
     * Jars only the master needs (Docker's client and its transport, TLS, the command line and client SDK),
     * left out of the shared image by file name, both as Maven's repository and as the distribution's
     * {@code lib/} (group.artifact-version.jar) name them: 15 MB of the image.
     */
    private static final Pattern MASTER_ONLY = Pattern.compile(
            "(?:^|.*\\.)(?:docker-java(?:-[a-z0-9]+)*|httpclient5|httpcore5(?:-h2)?|bc(?:prov|pkix|util)-jdk18on|jna|" +
            "picocli|chimera-cli|chimera-client-sdk)-[0-9][^/]*\\.jar");
    /** Content digests of classpath files, by path, size and time, so that one JVM hashes a jar once. */
    private static final Map<String, String> CONTENT_DIGESTS = new ConcurrentHashMap<>();

    private final DockerClient docker;
    private final String repository;
    private final Map<String, String> labels;
    private final Path projectDirectory;

    /** Builds images in {@code repository} for the project in {@code projectDirectory} (absolute). */
    public WorkerImages(DockerClient docker, String repository, Path projectDirectory) {
        this.docker = docker;
        this.repository = repository;
        this.projectDirectory = projectDirectory;
        labels = Map.of(DockerWorkerRuntime.MANAGED_LABEL, "true", RunIdentity.PROJECT_LABEL,
                        projectDirectory.toString());
    }

    /**
     * Returns the image and command of each worker of {@code specs} (by name), building what is not built yet.
     *
     * @param base the base image, present locally
     * @param classpath the workers' classpath on the host
     * @param skipNativeJars whether to leave out DJL's PyTorch native jars because the base image has the
     *                       libraries extracted ({@code PYTORCH_LIBRARY_PATH})
     */
    public Map<String, WorkerImage> build(List<WorkerSpec> specs, String base, String baseId, String classpath,
                                   boolean skipNativeJars) {
        final List<Entry> entries = classpathEntries(classpath, skipNativeJars);
        final String containerClasspath = entries.stream().map(e -> CLASSPATH_DIRECTORY + '/' + e.name)
                                                 .collect(Collectors.joining(":"));
        final String sharedTemplate = template(SHARED_TEMPLATE);
        final String sharedTag = repository + ":shared-" + sharedDigest(sharedTemplate, baseId, entries, specs);
        if (!exists(sharedTag)) {
            buildShared(sharedTag, sharedTemplate, base, entries, specs, classpath);
        } else {
            logger.info("reusing the shared worker image {}", sharedTag);
        }
        final var shared = docker.inspectImageCmd(sharedTag).exec();
        final String sharedId = shared.getId();
        final Map<String, String> sharedLabels =
                shared.getConfig() != null && shared.getConfig().getLabels() != null ? shared.getConfig().getLabels()
                                                                                      : Map.of();
        final Map<String, WorkerImage> images = new LinkedHashMap<>();
        final List<Runnable> builds = new ArrayList<>();
        final String dataTemplate = template(DATA_TEMPLATE);
        for (WorkerSpec spec : specs) {
            final Path data = projectDirectory.resolve(spec.dataDirectory());
            final String tag = repository + ':' + tagName(spec.name()) + '-' +
                               digest(d -> {
                                   update(d, dataTemplate);
                                   update(d, sharedId);
                                   files(data).forEach(f -> updateContent(d, data, f));
                               });
            images.put(spec.name(), new WorkerImage(tag, command(spec, containerClasspath,
                                                                 sharedLabels.get(MAIN_CLASS_LABEL + spec.name()))));
            if (exists(tag)) {
                logger.info("reusing the image {} of worker {}", tag, spec.name());
            } else {
                builds.add(() -> buildData(tag, dataTemplate, sharedTag, spec, data));
            }
        }
        // The per-worker builds are small and independent: let the daemon run them side by side.
        builds.parallelStream().forEach(Runnable::run);
        final Set<String> current = new HashSet<>();
        current.add(sharedTag);
        images.values().forEach(i -> current.add(i.image));
        prune(current);
        return images;
    }

    /**
     * Removes this project's older images of this repository (the per-worker ones first, then the shared ones
     * they were built on), except the {@code current} ones and any a container still uses: every change of a
     * jar or of the data makes new ones, and nothing else would ever remove them.
     */
    private void prune(Set<String> current) {
        final List<Image> old = new ArrayList<>();
        for (Image image : docker.listImagesCmd().withLabelFilter(labels).exec()) {
            final String[] tags = image.getRepoTags() == null ? new String[0] : image.getRepoTags();
            final boolean ours = Arrays.stream(tags).anyMatch(t -> t.startsWith(repository + ':'));
            if (ours && Arrays.stream(tags).noneMatch(current::contains)) {
                old.add(image);
            }
        }
        old.sort(Comparator.comparing((Image i) -> Arrays.stream(i.getRepoTags())
                                                         .anyMatch(t -> t.startsWith(repository + ":shared-"))));
        long freed = 0;
        int removed = 0;
        for (Image image : old) {
            try {
                docker.removeImageCmd(image.getId()).withForce(false).withNoPrune(false).exec();
                freed += image.getSize() == null ? 0 : image.getSize();
                removed++;
            } catch (NotFoundException e) {
                // Gone meanwhile.
            } catch (DockerException e) {
                // In use by a container (of this project or, for a shared one, of another): kept for now.
                logger.debug("kept the image {}: {}", String.join(", ", image.getRepoTags()), e.getMessage());
            }
        }
        if (removed > 0) {
            logger.info("pruned {} older worker image(s) of this project ({} MB)", removed, freed / 1_000_000);
        }
    }

    /** Returns the command of a worker in its container: its classes first, then the shared classpath. */
    private static List<String> command(WorkerSpec spec, String containerClasspath, String mainClass) {
        final List<String> arguments = new ArrayList<>();
        final WorkerLaunch launch = spec.launch();
        final String file = launch.file().map(Path::toString).orElse("");
        if (file.endsWith(".java")) {
            arguments.add("-cp");
            arguments.add(WORKERS_DIRECTORY + '/' + spec.name() + ':' + containerClasspath);
            if (mainClass == null) {
                throw new WorkerStartException("the shared worker image has no main class for worker " + spec.name() +
                                               " (label " + MAIN_CLASS_LABEL + spec.name() + "); remove the " +
                                               "image so that it is built again");
            }
            arguments.add(mainClass);
        } else if (file.endsWith(".json")) {
            arguments.add("-cp");
            arguments.add(containerClasspath);
            arguments.add(WorkerLaunch.DECLARATIVE_WORKER_CLASS);
            arguments.add(WORKERS_DIRECTORY + '/' + spec.name() + ".json");
        } else {
            arguments.add("-cp");
            arguments.add(containerClasspath);
            arguments.addAll(launch.javaArguments());
        }
        return arguments;
    }

    private void buildShared(String tag, String template, String base, List<Entry> entries,
                             List<WorkerSpec> specs, String classpath) {
        final long start = System.nanoTime();
        try {
            final Path workDir = Files.createTempDirectory("chimera-image-");
            try {
                final Path classes = Files.createDirectories(workDir.resolve("workers"));
                final Map<String, String> sharedLabels = new LinkedHashMap<>(labels);
                for (WorkerSpec spec : specs) {
                    spec.launch().file().filter(f -> f.toString().endsWith(".java")).ifPresent(f -> {
                        final Path out = classes.resolve(spec.name());
                        sharedLabels.put(MAIN_CLASS_LABEL + spec.name(),
                                         WorkerCompiler.compile(projectDirectory.resolve(f), classpath, out));
                    });
                }
                final Path tar = workDir.resolve("context.tar");
                try (TarArchiveOutputStream out = tarStream(tar)) {
                    addBytes(out, "Dockerfile", template.getBytes(StandardCharsets.UTF_8));
                    addDirectory(out, "classpath");
                    for (Entry e : entries) {
                        addTree(out, e.path, "classpath/" + e.name);
                    }
                    addDirectory(out, "workers");
                    for (WorkerSpec spec : specs) {
                        final String file = spec.launch().file().map(Path::toString).orElse("");
                        if (file.endsWith(".java")) {
                            addTree(out, classes.resolve(spec.name()), "workers/" + spec.name());
                        } else if (file.endsWith(".json")) {
                            addTree(out, projectDirectory.resolve(file), "workers/" + spec.name() + ".json");
                        }
                    }
                }
                buildImage(tar, tag, Map.of("CHIMERA_BASE_IMAGE", base), sharedLabels);
                logger.info("built the shared worker image {} ({} MB of context) in {} s", tag,
                            Files.size(tar) / 1_000_000, HealthWaiter.seconds(System.nanoTime() - start));
            } finally {
                FileTrees.delete(workDir);
            }
        } catch (IOException e) {
            throw new WorkerStartException("cannot build the shared worker image " + tag + ": " + e, e);
        }
    }

    private void buildData(String tag, String template, String sharedTag, WorkerSpec spec, Path data) {
        final long start = System.nanoTime();
        try {
            final Path workDir = Files.createTempDirectory("chimera-image-");
            try {
                final Path tar = workDir.resolve("context.tar");
                try (TarArchiveOutputStream out = tarStream(tar)) {
                    addBytes(out, "Dockerfile", template.getBytes(StandardCharsets.UTF_8));
                    addTree(out, data, "data");
                }
                final Map<String, String> workerLabels = new LinkedHashMap<>(labels);
                workerLabels.put(DockerWorkerRuntime.WORKER_LABEL, spec.name());
                buildImage(tar, tag, Map.of("CHIMERA_SHARED_IMAGE", sharedTag), workerLabels);
                logger.info("built the image {} of worker {} in {} s", tag, spec.name(),
                            HealthWaiter.seconds(System.nanoTime() - start));
            } finally {
                FileTrees.delete(workDir);
            }
        } catch (IOException e) {
            throw new WorkerStartException("cannot build the image of worker " + spec.name() + ": " + e, e);
        }
    }

    private void buildImage(Path tar, String tag, Map<String, String> buildArgs, Map<String, String> imageLabels)
            throws IOException {
        try (InputStream in = Files.newInputStream(tar)) {
            final var command = docker.buildImageCmd().withTarInputStream(in).withTags(Set.of(tag))
                                      .withPull(false).withRemove(true).withForcerm(true)
                                      .withLabels(imageLabels);
            buildArgs.forEach(command::withBuildArg);
            command.exec(new BuildImageResultCallback()).awaitImageId(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (DockerClientException | DockerException e) {
            throw new WorkerStartException("docker could not build " + tag + ": " + e.getMessage(), e);
        }
    }

    private boolean exists(String image) {
        try {
            docker.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /** The classpath entries that exist, numbered to keep their order and tell equal file names apart. */
    private static List<Entry> classpathEntries(String classpath, boolean skipNativeJars) {
        final List<Entry> entries = new ArrayList<>();
        for (String element : classpath.split(File.pathSeparator)) {
            if (element.isBlank()) {
                continue;
            }
            final Path path = Path.of(element).toAbsolutePath().normalize();
            final String fileName = path.getFileName() == null ? "root" : path.getFileName().toString();
            if (!Files.exists(path) || skipNativeJars && fileName.contains("pytorch-native-") ||
                MASTER_ONLY.matcher(fileName).matches()) {
                continue;
            }
            entries.add(new Entry(path, String.format(Locale.ROOT, "%03d-%s", entries.size(), fileName)));
        }
        return entries;
    }

    /**
     * The digest of the shared image: its template, base, the content of the classpath (the names of its
     * entries and their files' bytes: rebuilding an unchanged jar changes nothing) and every worker entry's
     * content.
     */
    private String sharedDigest(String template, String baseId, List<Entry> entries, List<WorkerSpec> specs) {
        return digest(d -> {
            update(d, template);
            update(d, baseId);
            for (Entry e : entries) {
                update(d, e.name);
                files(e.path).forEach(f -> update(d, e.path.relativize(f) + ":" + contentDigest(f)));
            }
            for (WorkerSpec spec : specs) {
                update(d, spec.name() + ':' + spec.launch().javaArguments());
                spec.launch().file().map(projectDirectory::resolve)
                    .ifPresent(f -> updateContent(d, f.getParent(), f));
            }
        });
    }

    private String template(String name) {
        try (InputStream in = WorkerImages.class.getResourceAsStream("/io/chimera/runtime/docker/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the worker image template " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tag-safe form of a worker name (tags allow letters, digits, '_', '.' and '-', 128 at most). */
    private static String tagName(String workerName) {
        return workerName.length() > 100 ? workerName.substring(0, 100) : workerName;
    }

    private interface Feeder {
        void feed(MessageDigest digest) throws IOException;
    }

    private static String digest(Feeder feeder) {
        try {
            final MessageDigest digest = MessageDigest.getInstance("SHA-256");
            feeder.feed(digest);
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The digest of a file's bytes, computed once per JVM for a path, size and time. */
    private static String contentDigest(Path file) {
        final String key;
        try {
            key = file + ":" + Files.size(file) + ':' + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return CONTENT_DIGESTS.computeIfAbsent(key, k -> digest(d -> updateContent(d, file.getParent(), file)));
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }

    private static void updateContent(MessageDigest digest, Path root, Path file) {
        update(digest, root.relativize(file).toString());
        try (InputStream in = Files.newInputStream(file)) {
            final byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The regular files under {@code root} (or {@code root} itself), in a stable order. */
    private static List<Path> files(Path root) {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TarArchiveOutputStream tarStream(Path tar) throws IOException {
        final OutputStream file = Files.newOutputStream(tar);
        final TarArchiveOutputStream out = new TarArchiveOutputStream(new BufferedOutputStream(file, 1 << 16));
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        return out;
    }

    private static void addDirectory(TarArchiveOutputStream out, String name) throws IOException {
        final TarArchiveEntry entry = new TarArchiveEntry(name + '/');
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        entry.setModTime(ENTRY_TIME);
        out.putArchiveEntry(entry);
        out.closeArchiveEntry();
    }

    private static void addBytes(TarArchiveOutputStream out, String name, byte[] bytes) throws IOException {
        final TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(bytes.length);
        entry.setMode(0100644);
        entry.setModTime(ENTRY_TIME);
        out.putArchiveEntry(entry);
        out.write(bytes);
        out.closeArchiveEntry();
    }

    /** Adds a file, or a folder and everything under it, world-readable and owned by root. */
    private static void addTree(TarArchiveOutputStream out, Path source, String name) throws IOException {
        if (Files.isRegularFile(source)) {
            final TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(Files.size(source));
            entry.setMode(0100644);
            entry.setModTime(ENTRY_TIME);
            out.putArchiveEntry(entry);
            Files.copy(source, out);
            out.closeArchiveEntry();
            return;
        }
        addDirectory(out, name);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (p.equals(source)) {
                    continue;
                }
                final String child = name + '/' + source.relativize(p).toString().replace(File.separatorChar, '/');
                if (Files.isDirectory(p)) {
                    addDirectory(out, child);
                } else if (Files.isRegularFile(p)) {
                    addTree(out, p, child);
                }
            }
        }
    }
}

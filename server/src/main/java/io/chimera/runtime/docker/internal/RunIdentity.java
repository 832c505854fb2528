package io.chimera.runtime.docker.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.chimera.runtime.docker.DockerWorkerRuntime;

/**
 * Who owns the containers, services and networks of one run, and whether the owner of others still lives.
 *
 * <p>Docker names are global per daemon, so resources are named {@code <project>-<key>-<worker>}: the project
 * folder's name, a key derived from its absolute path (two folders of the same name stay apart), then the
 * worker's name, which stays the container's host name and its alias on the network. Every resource carries
 * labels naming the project, the run (one per runtime) and the owner: the master process as
 * {@code <machine>:<boot>:<pid>:<start second>}. An owner is alive when that process runs on this machine since
 * that second; a PID reused after the master died has another start time, and a run from before the last boot
 * is dead. Resources of a live owner are never touched; those of a dead one are a crash's leftovers.
 */
public final class RunIdentity {

    /** The label naming the project folder (absolute path) of a resource. */
    public static final String PROJECT_LABEL = "io.chimera.project";
    /** The label naming the run (one runtime of one master) that created a resource. */
    public static final String RUN_LABEL = "io.chimera.run";
    /** The label naming the master process that owns a resource. */
    public static final String OWNER_LABEL = "io.chimera.owner";

    private static final int SLUG_LENGTH = 20;
    private static final String MACHINE = firstLine(Path.of("/etc/machine-id")).orElseGet(RunIdentity::hostName);
    private static final String BOOT = firstLine(Path.of("/proc/sys/kernel/random/boot_id")).orElse("boot");

    /** Whose a resource is, as seen from this run. */
    public enum Ownership {
        /** Created by this run. */
        OURS,
        /** Created by a master that runs now (another run, or one on another machine). */
        LIVE,
        /** Created by a master that is gone: a crash's leftover. */
        DEAD,
        /** Created by chimera before resources carried an owner; treated as a leftover. */
        UNKNOWN
    }

    private final Path project;
    private final String prefix;
    private final String run;
    private final String owner;

    private RunIdentity(Path project, String run, String owner) {
        this.project = project;
        this.run = run;
        this.owner = owner;
        final String folder = project.getFileName() == null ? "root" : project.getFileName().toString();
        String slug = folder.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (slug.length() > SLUG_LENGTH) {
            slug = slug.substring(0, SLUG_LENGTH).replaceAll("-+$", "");
        }
        prefix = (slug.isEmpty() ? "chimera" : slug) + '-' + key(project.toString()) + '-';
    }

    /** Returns a new run of the project in {@code projectDirectory}, owned by this JVM. */
    public static RunIdentity of(Path projectDirectory) {
        return new RunIdentity(requireNonNull(projectDirectory, "projectDirectory").toAbsolutePath().normalize(),
                               UUID.randomUUID().toString(), ownerOf(ProcessHandle.current()));
    }

    /** The name of the container or service of worker {@code workerName} in this project. */
    public String resourceName(String workerName) {
        return prefix + workerName;
    }

    /** The project folder. */
    public Path project() {
        return project;
    }

    /** The labels of a resource of this run: chimera's, the project, the run, the owner, and the worker if any. */
    public Map<String, String> labels(String workerName) {
        final Map<String, String> labels = new LinkedHashMap<>();
        labels.put(DockerWorkerRuntime.MANAGED_LABEL, "true");
        labels.put(PROJECT_LABEL, project.toString());
        labels.put(RUN_LABEL, run);
        labels.put(OWNER_LABEL, owner);
        if (workerName != null) {
            labels.put(DockerWorkerRuntime.WORKER_LABEL, workerName);
        }
        return labels;
    }

    /** Whose the resource with {@code labels} (chimera's label included) is. */
    public Ownership ownership(Map<String, String> labels) {
        if (run.equals(labels.get(RUN_LABEL))) {
            return Ownership.OURS;
        }
        final String of = labels.get(OWNER_LABEL);
        if (of == null) {
            return Ownership.UNKNOWN;
        }
        return isAlive(of) ? Ownership.LIVE : Ownership.DEAD;
    }

    /** Describes the owner of a resource for a message: its PID and project, or where it runs. */
    public static String describeOwner(Map<String, String> labels) {
        final String[] parts = labels.getOrDefault(OWNER_LABEL, "").split(":");
        final String project = labels.getOrDefault(PROJECT_LABEL, "an unknown project");
        if (parts.length == 4 && parts[0].equals(MACHINE)) {
            return "the chimera master with PID " + parts[2] + " (project " + project + ')';
        }
        return "a chimera master on another machine (project " + project + ')';
    }

    /**
     * Returns whether the owner {@code <machine>:<boot>:<pid>:<start second>} runs. An owner on another machine
     * cannot be checked from here and counts as alive.
     */
    static boolean isAlive(String owner) {
        final String[] parts = owner.split(":");
        if (parts.length != 4 || !parts[0].equals(MACHINE)) {
            return true;
        }
        if (!parts[1].equals(BOOT)) {
            return false;
        }
        final long pid;
        try {
            pid = Long.parseLong(parts[2]);
        } catch (NumberFormatException e) {
            return true;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                            .map(p -> startSecond(p).map(s -> s.equals(parts[3])).orElse(true))
                            .orElse(false);
    }

    static String ownerOf(ProcessHandle process) {
        return MACHINE + ':' + BOOT + ':' + process.pid() + ':' + startSecond(process).orElse("?");
    }

    private static Optional<String> startSecond(ProcessHandle process) {
        return process.info().startInstant().map(Instant::getEpochSecond).map(String::valueOf);
    }

    private static String key(String text) {
        try {
            final byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash).substring(0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String> firstLine(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.US_ASCII).stream().map(String::trim)
                        .filter(l -> !l.isEmpty()).findFirst().map(l -> l.replace(':', '-'));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String hostName() {
        return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank()).orElse("host")
                       .replace(':', '-');
    }
}

package io.chimera.models.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.proto.v1.ModelArtifact;

/**
 * Where a master keeps its last fitted model across restarts: {@code <folder>/<kind>.pb}, the model's
 * artifact in protobuf binary (the same message {@code GET /v1/chimera/<kind>/model} answers).
 *
 * <p>A save writes a temporary file in the same folder, forces it to disk, then renames it over the old one
 * in one atomic step, so a crash at any moment leaves either the old model or the new one, never half of
 * one. A file that cannot be read back is reported and ignored, never served.
 */
public final class ModelStore {

    private static final Logger logger = ChimeraLogs.status();

    private final Path folder;

    public ModelStore(Path folder) {
        this.folder = requireNonNull(folder, "folder");
    }

    /** Returns the folder. */
    public Path folder() {
        return folder;
    }

    /** Returns the file of the {@code kind} master's model: {@code <folder>/<kind>.pb}. */
    public Path file(String kind) {
        return folder.resolve(kind + ".pb");
    }

    /**
     * Replaces the saved model of {@code artifact.getKind()} with {@code artifact}, atomically.
     *
     * @throws IOException when it cannot be written; the old model, if any, is then untouched
     */
    public void save(ModelArtifact artifact) throws IOException {
        Files.createDirectories(folder);
        final Path target = file(artifact.getKind());
        final Path temporary = Files.createTempFile(folder, artifact.getKind() + '.', ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
                                                        StandardOpenOption.TRUNCATE_EXISTING)) {
                final ByteBuffer bytes = ByteBuffer.wrap(artifact.toByteArray());
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the file system of " + folder + " cannot rename atomically, so the model " +
                                      "is not saved (it could be left half-written)", e);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Returns the saved model of {@code kind}, or empty when there is none or it cannot be read back (which
     * is logged, naming the file and the problem).
     */
    public Optional<ModelArtifact> load(String kind) {
        return load(kind, null);
    }

    /**
     * As {@link #load(String)}, a strategy model's class looked for with {@code loader} first (see
     * {@link ImportedModels#predictor(ModelArtifact, ClassLoader)}).
     */
    public Optional<ModelArtifact> load(String kind, ClassLoader loader) {
        final Path file = file(kind);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            final ModelArtifact artifact = Artifacts.parse(Files.readAllBytes(file));
            if (!kind.equals(artifact.getKind())) {
                logger.warn("ignoring the saved model {}: it is a {} model, not {}", file, artifact.getKind(), kind);
                return Optional.empty();
            }
            ImportedModels.predictor(artifact, loader);
            return Optional.of(artifact);
        } catch (IOException | RuntimeException | LinkageError e) {
            logger.warn("ignoring the saved model {}: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}

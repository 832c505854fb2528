package io.chimera.runtime.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes the scratch folders the runtimes make (a build context, a compile's output). */
public final class FileTrees {

    private static final Logger logger = LoggerFactory.getLogger(FileTrees.class);

    /** Deletes {@code root} and everything under it, as far as it can; what is left is logged at DEBUG. */
    public static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            logger.debug("cannot delete {}: {}", root, e.toString());
        }
    }

    private FileTrees() {}
}

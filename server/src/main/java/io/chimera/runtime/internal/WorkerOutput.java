package io.chimera.runtime.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.slf4j.Logger;

import io.chimera.observe.logging.ChimeraLogs;

/**
 * Where the output of one worker goes, line by line: its log file and a tail of the last lines, kept for error
 * messages. The lines stay out of the {@code chimera_status} logger, which holds workflow events only (issue
 * 14: 23 of its 32 lines were the workers' Armeria start-up). Thread-safe.
 */
public final class WorkerOutput {

    private static final Logger logger = ChimeraLogs.status();
    private static final int TAIL_LINES = 20;

    private final String workerName;
    private final Path logFile;
    private final Deque<String> tail = new ArrayDeque<>(TAIL_LINES);
    private BufferedWriter writer;

    public WorkerOutput(String workerName, Path logFile) {
        this.workerName = workerName;
        this.logFile = logFile;
    }

    public Path logFile() {
        return logFile;
    }

    /**
     * Starts a run: clears the tail and opens the log file, overwritten or, when {@code append} (a restart),
     * appended to so that the output of the run before is kept.
     */
    public synchronized void open(boolean append) throws IOException {
        close();
        tail.clear();
        writer = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                         StandardOpenOption.WRITE,
                                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Records one line of output. */
    public synchronized void line(String line) {
        if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
        }
        tail.addLast(line);
        if (writer != null) {
            try {
                writer.write(line);
                writer.write(System.lineSeparator());
                writer.flush();
            } catch (IOException e) {
                logger.warn("cannot write the log of worker {} to {}: {}", workerName, logFile, e.toString());
                closeQuietly();
            }
        }
    }

    /** Returns the last lines recorded since {@link #open(boolean)}. */
    public synchronized List<String> tail() {
        return List.copyOf(tail);
    }

    /** Closes the log file; later lines only go to the tail. */
    public synchronized void close() {
        closeQuietly();
    }

    private void closeQuietly() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException ignored) {
                // Nothing more can be written to it anyway.
            }
            writer = null;
        }
    }
}

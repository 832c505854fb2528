package io.chimera.observe.logging;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;

import io.chimera.node.internal.LogDefaults;

/**
 * chimera's two loggers and their files.
 * <ul>
 *   <li>{@link #status()}, logger {@code chimera_status}, file {@code chimera_status.log}: workflow events;</li>
 *   <li>{@link #time()}, logger {@code chimera_time}, file {@code chimera_time.log}: one line per master and
 *       worker call, written by {@link #timeLine(String, String, double)} in chimera's format, e.g.
 *       {@code http://127.0.0.1:8081/v1/chimera/model/fit worker endpoint latency = 0.0123 s}.</li>
 * </ul>
 * Both log at INFO. {@link #install(Path)} adds the files in chimera's line formats: {@code chimera_status.log}
 * as {@code asctime - name - levelname - message}, {@code chimera_time.log} as the bare message, which is what
 * chimera's time handler writes and what chimera-examples' time-log parsing splits. The lines also reach the
 * console through the root logger.
 */
public final class ChimeraLogs {

    /** Name of the workflow events logger. */
    public static final String STATUS_LOGGER = "chimera_status";
    /** Name of the latency logger. */
    public static final String TIME_LOGGER = "chimera_time";
    /** File of the workflow events logger. */
    public static final String STATUS_FILE = "chimera_status.log";
    /** File of the latency logger. */
    public static final String TIME_FILE = "chimera_time.log";

    /**
     * Python logging's {@code %(asctime)s - %(name)s - %(levelname)s - %(message)s}. The date format is
     * quoted because Logback reads a bare comma in {@code %d{...}} as the start of a time zone option.
     */
    static final String PATTERN = "%d{\"yyyy-MM-dd HH:mm:ss,SSS\"} - %logger - %level - %msg%n";
    /** chimera's time handler has no formatter: each line is the message alone. */
    static final String TIME_PATTERN = "%msg%n";

    private static final String APPENDER_PREFIX = "chimera-file-";
    private static final Logger STATUS = LoggerFactory.getLogger(STATUS_LOGGER);
    private static final Logger TIME = LoggerFactory.getLogger(TIME_LOGGER);

    /** Returns the {@code chimera_status} logger, for workflow events. */
    public static Logger status() {
        return STATUS;
    }

    /** Returns the {@code chimera_time} logger; write to it with {@link #timeLine(String, String, double)}. */
    public static Logger time() {
        return TIME;
    }

    /**
     * Writes {@code chimera_status.log} and {@code chimera_time.log} in {@code directory} (created if needed,
     * appended to if present) from now on. Calling it again with the same directory changes nothing; with
     * another directory, the files move there. Unless a Logback configuration file is in use
     * ({@code -Dlogback.configurationFile}, {@code logback.xml} or {@code logback-test.xml}), the root level
     * is set to INFO too, so that library DEBUG output does not flood the console.
     *
     * @throws UncheckedIOException if the directory or a file cannot be created
     */
    public static synchronized void install(Path directory) {
        requireNonNull(directory, "directory");
        final ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            STATUS.warn("slf4j is bound to {}, not Logback: {} and {} are not written",
                        factory.getClass().getName(), STATUS_FILE, TIME_FILE);
            return;
        }
        final Path dir = directory.toAbsolutePath().normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log directory " + dir, e);
        }
        final LoggerContext context = (LoggerContext) factory;
        attach(context, STATUS_LOGGER, dir.resolve(STATUS_FILE), PATTERN);
        attach(context, TIME_LOGGER, dir.resolve(TIME_FILE), TIME_PATTERN);
        LogDefaults.quietUnlessConfigured();
    }

    /**
     * Writes one latency line to the {@code chimera_time} logger in chimera's format:
     * {@code <url> <role> endpoint latency = <seconds> s}, the seconds rounded to 4 decimals as Python's
     * {@code round(x, 4)} prints them (0.0123, 1.5, 2.0).
     *
     * @param role {@code worker} for a call to a worker, {@code master} for a call served by the master
     */
    public static void timeLine(String url, String role, double seconds) {
        requireNonNull(url, "url");
        requireNonNull(role, "role");
        if (!"worker".equals(role) && !"master".equals(role)) {
            throw new IllegalArgumentException("role: " + role + " (expected: worker or master)");
        }
        TIME.info("{} {} endpoint latency = {} s", url, role, formatSeconds(seconds));
    }

    /** Formats like Python's {@code str(round(seconds, 4))}. */
    static String formatSeconds(double seconds) {
        if (!Double.isFinite(seconds)) {
            return Double.toString(seconds);
        }
        // new BigDecimal(double) is the exact binary value, which is what Python's round() rounds.
        final String text = new BigDecimal(seconds).setScale(4, RoundingMode.HALF_EVEN)
                                                   .stripTrailingZeros().toPlainString();
        return text.indexOf('.') < 0 ? text + ".0" : text;
    }

    /** Detaches and closes the files added by {@link #install(Path)}. */
    static synchronized void uninstall() {
        final ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext) {
            for (String name : new String[] { STATUS_LOGGER, TIME_LOGGER }) {
                final ch.qos.logback.classic.Logger logger = ((LoggerContext) factory).getLogger(name);
                final Appender<ILoggingEvent> appender = logger.getAppender(APPENDER_PREFIX + name);
                if (appender != null) {
                    logger.detachAppender(appender);
                    appender.stop();
                }
            }
        }
    }

    private static void attach(LoggerContext context, String loggerName, Path file, String pattern) {
        final ch.qos.logback.classic.Logger logger = context.getLogger(loggerName);
        logger.setLevel(Level.INFO);
        final String appenderName = APPENDER_PREFIX + loggerName;
        final Appender<ILoggingEvent> previous = logger.getAppender(appenderName);
        if (previous instanceof FileAppender && file.toString().equals(((FileAppender<?>) previous).getFile())) {
            return;
        }
        final PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        final FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setName(appenderName);
        appender.setContext(context);
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        if (!appender.isStarted()) {
            throw new UncheckedIOException(new IOException("cannot open the log file " + file));
        }
        if (previous != null) {
            logger.detachAppender(previous);
            previous.stop();
        }
        logger.addAppender(appender);
    }

    private ChimeraLogs() {}
}

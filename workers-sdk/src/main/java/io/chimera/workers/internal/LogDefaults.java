package io.chimera.workers.internal;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

/**
 * Keeps chimera's console readable when the user has no Logback configuration of their own: Logback's
 * fallback logs everything at DEBUG, which buries chimera's lines under Netty's.
 */
public final class LogDefaults {

    /** Sets the root level to INFO unless a Logback configuration file is present. */
    public static void quietUnlessConfigured() {
        if (!hasConfigurationFile(LogDefaults.class.getClassLoader())) {
            rootAtInfo();
        }
    }

    /** Whether Logback configures itself from a file: the system property, logback-test.xml or logback.xml. */
    static boolean hasConfigurationFile(ClassLoader loader) {
        return System.getProperty("logback.configurationFile") != null
               || loader.getResource("logback-test.xml") != null
               || loader.getResource("logback.xml") != null;
    }

    static void rootAtInfo() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        }
    }

    private LogDefaults() {}
}

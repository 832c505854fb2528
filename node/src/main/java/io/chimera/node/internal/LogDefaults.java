package io.chimera.node.internal;

import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

/**
 * Keeps chimera's console readable when the user has no Logback configuration of their own: Logback's
 * fallback logs everything at DEBUG, which buries chimera's lines under Netty's, and Armeria logs its flags,
 * TLS engine and "Serving HTTP at" at INFO: eleven lines per node that a user need not read.
 */
public final class LogDefaults {

    /** The libraries whose INFO lines are start-up noise: logged at WARN unless configured otherwise. */
    static final List<String> NOISY_LOGGERS =
            List.of("com.linecorp.armeria", "io.netty", "io.grpc", "org.apache.hc" /* docker-java probing */);

    /**
     * Armeria's warning, with a stack trace, that "a request publisher raised an exception": what its client logs
     * when a worker's connection closes under an open gRPC stream (a worker killed mid-fit). The master already
     * reports that worker as unreachable, and drops it or fails the fit with that reason, so the warning adds a
     * 40-line trace and nothing else: logged at ERROR only.
     */
    static final String LOST_STREAM_LOGGER = "com.linecorp.armeria.client.AbstractHttpRequestHandler";

    /**
     * Sets the root level to INFO, Armeria's, Netty's, gRPC's and Apache HttpClient's to WARN and
     * {@link #LOST_STREAM_LOGGER} to ERROR, unless a Logback configuration file is present.
     */
    public static void quietUnlessConfigured() {
        if (!hasConfigurationFile(LogDefaults.class.getClassLoader())) {
            rootAtInfo();
            librariesAtWarn();
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

    static void librariesAtWarn() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
            NOISY_LOGGERS.forEach(name -> ctx.getLogger(name).setLevel(Level.WARN));
            ctx.getLogger(LOST_STREAM_LOGGER).setLevel(Level.ERROR);
        }
    }

    private LogDefaults() {}
}

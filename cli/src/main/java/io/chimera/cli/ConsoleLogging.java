package io.chimera.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;

import io.chimera.node.internal.LogDefaults;

/**
 * What the command logs to the console when the user has no Logback configuration: a master's subcommands log as
 * a master does ({@link LogDefaults}); the short client subcommands print their answer and warnings only, not the
 * network library's start-up lines.
 */
final class ConsoleLogging {

    static void configure(boolean master) {
        LogDefaults.quietUnlessConfigured();
        if (!master && System.getProperty("logback.configurationFile") == null
            && ConsoleLogging.class.getClassLoader().getResource("logback.xml") == null
            && LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME)
                                                               .setLevel(Level.WARN);
        }
    }

    /**
     * For {@code chimera experiment}: the masters of its cells keep their status and latency lines to their own
     * files, off the console, which shows the experiment's progress instead.
     */
    static void offConsole(String... loggers) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext) {
            final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
            for (String name : loggers) {
                context.getLogger(name).setAdditive(false);
            }
        }
    }

    private ConsoleLogging() {}
}

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

    private ConsoleLogging() {}
}

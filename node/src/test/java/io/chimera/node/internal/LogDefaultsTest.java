package io.chimera.node.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;

class LogDefaultsTest {

    @Test
    void hasConfigurationFile_seesLogbackXmlOnTheClasspathOnly(@TempDir Path dir) throws Exception {
        final ClassLoader empty = new URLClassLoader(new URL[0], null);
        assertThat(LogDefaults.hasConfigurationFile(empty)).isFalse();
        Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
        try (URLClassLoader withFile = new URLClassLoader(new URL[] { dir.toUri().toURL() }, null)) {
            assertThat(LogDefaults.hasConfigurationFile(withFile)).isTrue();
        }
    }

    @Test
    void rootAtInfo_liftsDebugToInfo() {
        final Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        final Level before = root.getLevel();
        try {
            root.setLevel(Level.DEBUG);
            LogDefaults.rootAtInfo();
            assertThat(root.getLevel()).isEqualTo(Level.INFO);
        } finally {
            root.setLevel(before);
        }
    }

    @Test
    void librariesAtWarn_quietsArmeriasStartUpLines() {
        final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        final Logger armeria = ctx.getLogger("com.linecorp.armeria");
        final Level before = armeria.getLevel();
        try {
            LogDefaults.librariesAtWarn();
            assertThat(ctx.getLogger("com.linecorp.armeria.server.Server").isInfoEnabled()).isFalse();
            assertThat(ctx.getLogger("io.netty.util.internal.PlatformDependent").isInfoEnabled()).isFalse();
            assertThat(ctx.getLogger("chimera_status").isInfoEnabled()).isTrue();
            assertThat(ctx.getLogger(LogDefaults.LOST_STREAM_LOGGER).isWarnEnabled()).isFalse();
            assertThat(ctx.getLogger(LogDefaults.LOST_STREAM_LOGGER).isErrorEnabled()).isTrue();
            assertThat(ctx.getLogger("com.linecorp.armeria.client.HttpClientFactory").isWarnEnabled()).isTrue();
        } finally {
            for (String name : LogDefaults.NOISY_LOGGERS) {
                ctx.getLogger(name).setLevel(name.equals("com.linecorp.armeria") ? before : null);
            }
            ctx.getLogger(LogDefaults.LOST_STREAM_LOGGER).setLevel(null);
        }
    }
}

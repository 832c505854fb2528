package io.chimera.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import picocli.CommandLine.IVersionProvider;

/** chimera's version, as the build wrote it into {@code version.properties}. */
final class ChimeraVersion implements IVersionProvider {

    /** Returns the version of the chimera artifacts this command belongs to, e.g. {@code 0.1.0-SNAPSHOT}. */
    static String version() {
        try (InputStream in = ChimeraVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the chimera-cli jar");
            }
            final Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String[] getVersion() {
        return new String[] { "chimera for Java " + version(),
                              "JVM: ${java.version} (${java.vendor} ${java.vm.name})" };
    }
}

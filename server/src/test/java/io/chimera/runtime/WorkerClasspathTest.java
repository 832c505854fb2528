package io.chimera.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerClasspathTest {

    @TempDir
    Path dir;

    @Test
    void home_withLib_givesItsJarsByName() throws IOException {
        final Path lib = Files.createDirectories(dir.resolve("chimera/lib"));
        Files.createFile(lib.resolve("b.jar"));
        Files.createFile(lib.resolve("a.jar"));
        Files.createFile(lib.resolve("README.txt"));

        final String classpath = WorkerClasspath.resolve(Optional.of(dir.resolve("chimera")),
                                                         getClass().getClassLoader(), "/elsewhere/x.jar",
                                                         Optional.empty());

        assertThat(classpath).isEqualTo(lib.resolve("a.jar") + File.pathSeparator + lib.resolve("b.jar"));
    }

    @Test
    void home_withoutLib_fallsBackToTheClassLoader() throws IOException {
        final Path jar = Files.createFile(dir.resolve("app.jar"));
        try (URLClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
            assertThat(WorkerClasspath.resolve(Optional.of(dir.resolve("no-such-home")), loader, "", Optional.empty()))
                    .isEqualTo(jar.toString());
        }
    }

    @Test
    void urlClassLoaders_giveTheirJars_outermostFirst_withoutRepeats() throws IOException {
        final Path deps = Files.createFile(dir.resolve("deps.jar"));
        final Path classes = Files.createDirectories(dir.resolve("target/classes"));
        final Path mine = Files.createFile(dir.resolve("mine.jar"));
        try (URLClassLoader parent = new URLClassLoader(new URL[] { deps.toUri().toURL() }, null);
             URLClassLoader child = new URLClassLoader(new URL[] { classes.toUri().toURL(), mine.toUri().toURL(),
                                                                   deps.toUri().toURL(),
                                                                   new URL("http://example.invalid/x.jar") },
                                                       parent)) {
            assertThat(WorkerClasspath.resolve(Optional.empty(), child, "", Optional.empty()).split(File.pathSeparator))
                    .containsExactly(deps.toString(), classes.toString(), mine.toString());
        }
    }

    @Test
    void execJava_dropsMavensLauncher_keepsTheProjectsClasspath() throws IOException {
        // What mvn exec:java looks like: java.class.path is Maven's boot jar; the project's classpath is in a
        // URLClassLoader below the system class loader.
        final Path mavenHome = Files.createDirectories(dir.resolve("maven"));
        final Path classworlds = Files.createFile(Files.createDirectories(mavenHome.resolve("boot"))
                                                       .resolve("plexus-classworlds-2.6.0.jar"));
        final Path mavenLib = Files.createFile(Files.createDirectories(mavenHome.resolve("lib"))
                                                    .resolve("maven-core-3.8.7.jar"));
        final Path otherClassworlds = Files.createFile(dir.resolve("plexus-classworlds-2.7.0.jar"));
        final Path project = Files.createDirectories(dir.resolve("project/target/classes"));
        final Path chimera = Files.createFile(dir.resolve("chimera-server.jar"));
        final String javaClassPath = String.join(File.pathSeparator, classworlds.toString(), mavenLib.toString(),
                                                 otherClassworlds.toString());
        try (URLClassLoader exec = new URLClassLoader(new URL[] { project.toUri().toURL(), chimera.toUri().toURL() },
                                                      ClassLoader.getSystemClassLoader())) {
            assertThat(WorkerClasspath.resolve(Optional.empty(), exec, javaClassPath, Optional.of(mavenHome))
                                      .split(File.pathSeparator))
                    .containsExactly(project.toString(), chimera.toString());
        }
    }

    @Test
    void plainJava_givesJavaClassPath() {
        final String javaClassPath = "/app/a.jar" + File.pathSeparator + "/app/classes";

        assertThat(WorkerClasspath.resolve(Optional.empty(), ClassLoader.getSystemClassLoader(), javaClassPath,
                                           Optional.of(dir.resolve("maven"))))
                .isEqualTo(javaClassPath);
    }

    @Test
    void default_inTheseTests_isThisJvmsClasspath() {
        assertThat(WorkerClasspath.resolve().split(File.pathSeparator))
                .contains(System.getProperty("java.class.path").split(File.pathSeparator));
    }
}

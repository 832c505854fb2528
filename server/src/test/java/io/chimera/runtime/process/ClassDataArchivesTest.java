package io.chimera.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassDataArchivesTest {

    private static final Path JAVA = Path.of("/usr/bin/java");
    private static final List<String> OPTIONS = List.of("-XX:TieredStopAtLevel=1");

    @TempDir
    Path dir;

    @Test
    void noArchive_oneWorkerWritesIt_theOthersStartWithout_thenAllMapIt() throws IOException {
        final String classpath = jars("a.jar", "b.jar");
        final ClassDataArchives archives = new ClassDataArchives(dir.resolve("cds"));

        final ClassDataArchives.Use writer = archives.use(JAVA, OPTIONS, classpath, "w1").orElseThrow();
        assertThat(writer.pending).isPresent();
        assertThat(writer.options).containsExactly("-Xlog:cds=off", "-Xlog:cds+dynamic=off",
                                                   "-XX:ArchiveClassesAtExit=" + writer.pending.get());
        assertThat(archives.use(JAVA, OPTIONS, classpath, "w2")).as("one writer per archive").isEmpty();

        Files.writeString(writer.pending.get(), "archive");
        writer.publish(true);

        assertThat(writer.archive).hasContent("archive");
        assertThat(writer.pending.get()).doesNotExist();
        final ClassDataArchives.Use reader = archives.use(JAVA, OPTIONS, classpath, "w2").orElseThrow();
        assertThat(reader.pending).isEmpty();
        assertThat(reader.options).contains("-XX:SharedArchiveFile=" + writer.archive);
    }

    @Test
    void aWorkerKilledWhileWriting_leavesNoArchive_andAnotherMayWriteIt() throws IOException {
        final String classpath = jars("a.jar");
        final ClassDataArchives archives = new ClassDataArchives(dir.resolve("cds"));
        final ClassDataArchives.Use writer = archives.use(JAVA, OPTIONS, classpath, "w1").orElseThrow();
        Files.writeString(writer.pending.get(), "half an archive");

        writer.publish(false);

        assertThat(writer.archive).doesNotExist();
        assertThat(writer.pending.get()).doesNotExist();
        assertThat(archives.use(JAVA, OPTIONS, classpath, "w2").orElseThrow().pending).isPresent();
    }

    @Test
    void aChangedJar_givesAnotherArchive() throws IOException {
        final String classpath = jars("a.jar");
        final String before = ClassDataArchives.key(JAVA, OPTIONS, classpath);

        Files.writeString(dir.resolve("a.jar"), "rebuilt, longer");

        assertThat(ClassDataArchives.key(JAVA, OPTIONS, classpath)).isNotEqualTo(before);
        assertThat(ClassDataArchives.key(JAVA, List.of("-XX:+UseSerialGC"), classpath))
                .isNotEqualTo(ClassDataArchives.key(JAVA, OPTIONS, classpath));
    }

    @Test
    void aFolderOnTheClasspath_orTheUsersOwnSharingOptions_turnItOff() throws IOException {
        final Path classes = Files.createDirectories(dir.resolve("target/classes"));
        Files.writeString(classes.resolve("A.class"), "");
        final ClassDataArchives archives = new ClassDataArchives(dir.resolve("cds"));

        assertThat(archives.use(JAVA, OPTIONS, jars("a.jar") + File.pathSeparator + classes, "w1")).isEmpty();
        assertThat(archives.use(JAVA, List.of("-Xshare:off"), jars("a.jar"), "w1")).isEmpty();
        assertThat(archives.use(JAVA, List.of("-XX:SharedArchiveFile=mine.jsa"), jars("a.jar"), "w1")).isEmpty();
        assertThat(archives.use(JAVA, OPTIONS, jars("a.jar") + File.pathSeparator + dir.resolve("empty"), "w1"))
                .as("an empty or missing folder holds nothing to archive").isPresent();
    }

    private String jars(String... names) throws IOException {
        final StringBuilder classpath = new StringBuilder();
        for (String name : names) {
            final Path jar = dir.resolve(name);
            if (!Files.exists(jar)) {
                Files.writeString(jar, name);
            }
            classpath.append(classpath.length() == 0 ? "" : File.pathSeparator).append(jar);
        }
        return classpath.toString();
    }
}

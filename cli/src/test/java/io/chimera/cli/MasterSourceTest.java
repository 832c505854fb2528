package io.chimera.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.chimera.runtime.WorkerStartException;

class MasterSourceTest {

    private static final String SOURCE = "import java.util.function.Supplier;\n"
                                         + "public class Master implements Supplier<String> {\n"
                                         + "    public String get() { return \"%s\"; }\n"
                                         + "    public static void main(String[] args) {}\n"
                                         + "}\n";

    @Test
    void compile_thenLoad_runsTheSource(@TempDir Path project) throws Exception {
        final Path source = Files.writeString(project.resolve("Master.java"), String.format(SOURCE, "one"));
        final MasterSource compiled = MasterSource.compile(source, project);
        assertThat(compiled.mainClass()).isEqualTo("Master");
        assertThat(answer(compiled.classLoader(getClass().getClassLoader()))).isEqualTo("one");
    }

    @Test
    void compile_sameSourceTwice_reusesTheCachedClasses(@TempDir Path project) throws Exception {
        final Path source = Files.writeString(project.resolve("Master.java"), String.format(SOURCE, "one"));
        MasterSource.compile(source, project);
        final Path classFile;
        try (var classes = Files.walk(project.resolve(".chimera"))) {
            classFile = classes.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst()
                               .orElseThrow();
        }
        final FileTime before = FileTime.fromMillis(1_000_000L);
        Files.setLastModifiedTime(classFile, before);
        MasterSource.compile(source, project);
        assertThat(Files.getLastModifiedTime(classFile)).isEqualTo(before); // not compiled again

        Files.writeString(source, String.format(SOURCE, "two"));
        final MasterSource changed = MasterSource.compile(source, project);
        assertThat(answer(changed.classLoader(getClass().getClassLoader()))).isEqualTo("two");
    }

    @Test
    void classLoader_prefersTheFreshClassesOverAStaleCopyOnTheParentClasspath(@TempDir Path project)
            throws Exception {
        final Path stale = Files.createDirectories(project.resolve("stale"));
        final Path old = Files.writeString(stale.resolve("Master.java"), String.format(SOURCE, "stale"));
        final ClassLoader parentWithStaleMaster =
                MasterSource.compile(old, stale).classLoader(getClass().getClassLoader());
        assertThat(answer(parentWithStaleMaster)).isEqualTo("stale");
        final Path source = Files.writeString(project.resolve("Master.java"), String.format(SOURCE, "fresh"));
        final MasterSource fresh = MasterSource.compile(source, project);
        assertThat(answer(fresh.classLoader(parentWithStaleMaster))).isEqualTo("fresh");
    }

    @Test
    void compile_brokenSource_quotesTheCompilerWithLineNumbers(@TempDir Path project) throws Exception {
        final Path source = Files.writeString(project.resolve("Master.java"),
                                              "public class Master {\n  void f() { int x = \"a\"; }\n}\n");
        assertThatThrownBy(() -> MasterSource.compile(source, project))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("cannot compile " + source)
                .hasMessageContaining("line 2");
        try (var left = Files.list(project.resolve(MasterSource.CACHE))) {
            assertThat(left).isEmpty(); // no half-written cache entry
        }
    }

    @SuppressWarnings("unchecked")
    private static String answer(ClassLoader loader) throws Exception {
        return ((java.util.function.Supplier<String>) Class.forName("Master", true, loader)
                                                           .getDeclaredConstructor().newInstance()).get();
    }
}

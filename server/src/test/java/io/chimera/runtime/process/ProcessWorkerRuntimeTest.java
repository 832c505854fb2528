package io.chimera.runtime.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.chimera.common.ChimeraPaths;
import io.chimera.observe.logging.ChimeraLogs;
import io.chimera.runtime.FakeHealthWorker;
import io.chimera.runtime.FakeMaster;
import io.chimera.runtime.OrphanMaster;
import io.chimera.runtime.WorkerEndpoint;
import io.chimera.runtime.WorkerLaunch;
import io.chimera.runtime.WorkerSpec;
import io.chimera.runtime.WorkerStartException;

class ProcessWorkerRuntimeTest {

    private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                                                     .connectTimeout(Duration.ofSeconds(1)).build();

    @TempDir
    Path dir;

    private Set<Long> childrenBefore;
    private ProcessWorkerRuntime runtime;
    private final ListAppender<ILoggingEvent> statusEvents = new ListAppender<>();

    @BeforeEach
    void setUp() {
        childrenBefore = children();
        runtime = ProcessWorkerRuntime.builder()
                                      .workingDirectory(dir)
                                      // Quicker JVM start-up for these tiny workers.
                                      .jvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
                                      .startupTimeout(Duration.ofSeconds(20))
                                      .build();
        statusEvents.start();
        statusLogger().addAppender(statusEvents);
    }

    @AfterEach
    void tearDown() {
        runtime.close();
        statusLogger().detachAppender(statusEvents);
        assertThat(newChildren()).as("children left alive").isEmpty();
    }

    @Test
    void start_threeWorkers_allAnswerHealthAndGetTheirEnvironment() throws Exception {
        final List<Integer> ports = freePorts(3);
        final List<WorkerSpec> specs = IntStream.range(0, 3).mapToObj(i -> fake("w" + (i + 1), i, ports.get(i)))
                                                .collect(Collectors.toList());

        final List<WorkerEndpoint> endpoints = runtime.start(specs);

        assertThat(endpoints).extracting(WorkerEndpoint::name).containsExactly("w1", "w2", "w3");
        assertThat(endpoints).extracting(WorkerEndpoint::baseUrl)
                             .containsExactly("http://127.0.0.1:" + ports.get(0), "http://127.0.0.1:" + ports.get(1),
                                              "http://127.0.0.1:" + ports.get(2));
        for (WorkerEndpoint endpoint : endpoints) {
            assertThat(health(endpoint.baseUrl())).isEqualTo(200);
            assertThat(runtime.isRunning(endpoint.name())).isTrue();
        }
        assertThat(newChildren()).hasSize(3);
        assertThat(Files.readString(dir.resolve(".chimera/logs/w2.log")))
                .contains("fake worker w2 index=1 host=127.0.0.1 port=" + ports.get(1) +
                          " data=" + dir.resolve("chimera_train_data/w2") + " seed=7");
        assertThat(statusEvents.list).extracting(ILoggingEvent::getFormattedMessage)
                                     .as("worker output goes to its log file only, not to chimera_status")
                                     .noneSatisfy(m -> assertThat(m).contains("fake worker"));
    }

    @Test
    void close_stopsEveryChild_andIsIdempotent() {
        runtime.start(List.of(fake("w1", 0, freePorts(1).get(0))));
        assertThat(newChildren()).hasSize(1);

        runtime.close();
        runtime.close();

        assertThat(newChildren()).isEmpty();
        assertThat(runtime.isRunning("w1")).isFalse();
        assertThatThrownBy(() -> runtime.start(List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stop_isRunning_restart_followTheWorker() throws Exception {
        final int port = freePorts(1).get(0);
        final String url = runtime.start(List.of(fake("w1", 0, port))).get(0).baseUrl();

        runtime.stop("w1");

        assertThat(runtime.isRunning("w1")).isFalse();
        assertThat(health(url)).isEqualTo(-1);
        runtime.stop("w1");

        runtime.restart("w1");

        assertThat(runtime.isRunning("w1")).isTrue();
        assertThat(health(url)).isEqualTo(200);
        eventually(() -> assertThat(Files.readString(dir.resolve(".chimera/logs/w1.log")))
                .as("a restart appends to the log of the run before")
                .containsSubsequence("fake worker w1 index=0", "fake worker serving on " + port,
                                     "fake worker w1 index=0", "fake worker serving on " + port));
        assertThatThrownBy(() -> runtime.start(List.of(fake("w1", 0, freePorts(1).get(0)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("w1");
        assertThatThrownBy(() -> runtime.stop("nobody")).isInstanceOf(IllegalArgumentException.class);
        assertThat(runtime.isRunning("nobody")).isFalse();
    }

    @Test
    void sourceFileWorker_runsWithTheSourceLauncherAndTheClasspath() throws Exception {
        final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
        Files.writeString(workers.resolve("w1.java"),
                          "public class Worker {\n" +
                          "    public static void main(String[] args) throws Exception {\n" +
                          "        System.out.println(\"source worker \" + System.getenv(\"CHIMERA_WORKER_NAME\"));\n" +
                          "        io.chimera.runtime.FakeHealthWorker.main(args);\n" +
                          "    }\n" +
                          "}\n");
        final int port = freePorts(1).get(0);

        final WorkerEndpoint endpoint = runtime.start(List.of(
                WorkerSpec.builder().name("w1").mappedPort(port)
                          .launch(WorkerLaunch.discover(workers, "w1")).build())).get(0);

        assertThat(health(endpoint.baseUrl())).isEqualTo(200);
        assertThat(Files.readString(dir.resolve(".chimera/logs/w1.log"))).startsWith("source worker w1");
    }

    @Test
    void sourceFileWorkers_compileOnceInTheMaster_andAnUnchangedSourceIsNotCompiledAgain() throws Exception {
        final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
        final String source = "public class Worker {\n" +
                              "    public static void main(String[] args) throws Exception {\n" +
                              "        System.out.println(\"command \" + System.getProperty(\"sun.java.command\"));\n" +
                              "        io.chimera.runtime.FakeHealthWorker.main(args);\n" +
                              "    }\n" +
                              "}\n";
        Files.writeString(workers.resolve("w1.java"), source);
        Files.writeString(workers.resolve("w2.java"), source);
        final List<Integer> ports = freePorts(2);
        final List<WorkerSpec> specs = List.of(
                WorkerSpec.builder().name("w1").mappedPort(ports.get(0)).launch(WorkerLaunch.discover(workers, "w1"))
                          .build(),
                WorkerSpec.builder().name("w2").index(1).mappedPort(ports.get(1))
                          .launch(WorkerLaunch.discover(workers, "w2")).build());

        runtime.start(specs);

        final Path cache = dir.resolve(".chimera/workers");
        final List<Path> entries = list(cache);
        assertThat(entries).as("two workers of one source share one jar").hasSize(1);
        final Path jar = entries.get(0).resolve("program.jar");
        assertThat(jar).isRegularFile();
        for (String name : List.of("w1", "w2")) {
            assertThat(Files.readString(dir.resolve(".chimera/logs/" + name + ".log")))
                    .as("the worker runs the compiled class, not the source launcher")
                    .startsWith("command io.chimera.workers.internal.WorkerJarLauncher " + jar + " Worker" +
                                System.lineSeparator());
        }
        runtime.close();
        final long compiledAt = Files.getLastModifiedTime(jar).toMillis();

        try (ProcessWorkerRuntime again = ProcessWorkerRuntime.builder().workingDirectory(dir)
                                                              .startupTimeout(Duration.ofSeconds(20)).build()) {
            again.start(specs);
            assertThat(health("http://127.0.0.1:" + ports.get(1))).isEqualTo(200);
        }
        assertThat(list(cache)).as("a cache hit compiles nothing").containsExactlyElementsOf(entries);
        assertThat(Files.getLastModifiedTime(jar).toMillis()).isEqualTo(compiledAt);
    }

    @Test
    void sourceThatDoesNotCompile_failsStartWithTheCompilersErrors_beforeAnyWorkerIsLaunched() throws IOException {
        final Path workers = Files.createDirectories(dir.resolve("chimera_workers"));
        final Path file = Files.writeString(workers.resolve("w2.java"),
                                            "public class Broken {\n    void f() { return 1; }\n}\n");

        assertThatThrownBy(() -> runtime.start(List.of(
                fake("w1", 0, freePorts(1).get(0)),
                WorkerSpec.builder().name("w2").index(1).mappedPort(freePorts(1).get(0))
                          .launch(WorkerLaunch.discover(workers, "w2")).build())))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageStartingWith("cannot compile " + file + ":\n    | line 2: ");
        assertThat(newChildren()).isEmpty();
        assertThat(runtime.isRunning("w1")).isFalse();
    }

    @Test
    void workerThatExits_failsStartNamingItWithItsLastLogLines_andStopsTheOthers() {
        final List<Integer> ports = freePorts(2);
        final List<WorkerSpec> specs = List.of(fake("good", 0, ports.get(0)),
                                               fake("bad", 1, ports.get(1), "fail"));

        final WorkerStartException e = catchThrowableOfType(WorkerStartException.class, () -> runtime.start(specs));

        assertThat(e.getMessage())
                .startsWith("worker bad exited with code 3 before answering GET http://127.0.0.1:" + ports.get(1) +
                            ChimeraPaths.HEALTH + " with 200; last 20 lines of " +
                            dir.resolve(".chimera/logs/bad.log") + ':')
                .contains("    | output 06", "    | output 25")
                .doesNotContain("output 05", "good");
        assertThat(newChildren()).as("the healthy worker is stopped too").isEmpty();
        assertThat(runtime.isRunning("good")).isFalse();
        assertThatThrownBy(() -> runtime.restart("good")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void workerThatNeverAnswers_failsStartAfterTheTimeout() {
        final ProcessWorkerRuntime quick = ProcessWorkerRuntime.builder().workingDirectory(dir)
                                                               .startupTimeout(Duration.ofMillis(1500)).build();
        final int port = freePorts(1).get(0);

        try (quick) {
            final long start = System.nanoTime();
            assertThatThrownBy(() -> quick.start(List.of(fake("slow", 0, port, "hang"))))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageStartingWith("worker slow did not answer GET http://127.0.0.1:" + port +
                                            ChimeraPaths.HEALTH + " with 200 within 1.5 s")
                    .hasMessageContaining("| fake worker slow");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(newChildren()).isEmpty();
        }
    }

    @Test
    void portInUse_failsBeforeAnyWorkerIsLaunched() throws IOException {
        final int free = freePorts(1).get(0);
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            final int takenPort = taken.getLocalPort();

            // One line says what holds the port: this test's JVM.
            assertThatThrownBy(() -> runtime.start(List.of(fake("w1", 0, free), fake("w2", 1, takenPort))))
                    .isInstanceOf(WorkerStartException.class)
                    .hasMessageStartingWith("port " + takenPort + " of worker w2 is already in use on 127.0.0.1 by pid "
                                            + ProcessHandle.current().pid() + " (")
                    .hasMessageEndingWith("): stop what uses it or choose other ports (CHIMERA_WORKERS_MAPPED_PORTS)")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
        assertThat(newChildren()).isEmpty();
        assertThat(runtime.isRunning("w1")).isFalse();
    }

    @Test
    void missingSourceFile_failsBeforeAnyWorkerIsLaunched() {
        final Path missing = dir.resolve("chimera_workers/w1.java");

        assertThatThrownBy(() -> runtime.start(List.of(
                WorkerSpec.builder().name("w1").mappedPort(freePorts(1).get(0))
                          .launch(WorkerLaunch.sourceFile(missing)).build())))
                .isInstanceOf(WorkerStartException.class)
                .hasMessage("worker w1: " + missing + " does not exist");
    }

    @Test
    void repeatedNamesOrPorts_areRejected() {
        final int port = freePorts(1).get(0);

        assertThatThrownBy(() -> runtime.start(List.of(fake("w1", 0, port), fake("w1", 1, port + 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("worker w1 is repeated");
        assertThatThrownBy(() -> runtime.start(List.of(fake("w1", 0, port), fake("w2", 1, port))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port " + port);
    }

    @Test
    void sigtermToTheMaster_stopsItsWorkersThroughTheShutdownHook() throws Exception {
        final Process master = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                  "-XX:TieredStopAtLevel=1", "-cp",
                                                  System.getProperty("java.class.path"),
                                                  FakeMaster.class.getName(), freePorts(1).get(0).toString())
                .directory(dir.toFile()).redirectErrorStream(true).start();
        final List<ProcessHandle> workers = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(master.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals("ready")) {
                // Skip the master's log lines.
            }
            assertThat(line).as("the master's worker started").isEqualTo("ready");
            master.children().forEach(workers::add);
            assertThat(workers).hasSize(1);

            master.destroy();

            assertThat(master.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(workers.get(0).isAlive()).as("the worker outlived its master").isFalse();
        } finally {
            master.destroyForcibly();
            // Only reached with a bug: do not leave the orphaned worker behind.
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void sigkillToTheMaster_leavesNoWorkerProcessAfterFiveSeconds() throws Exception {
        for (String w : List.of("w1", "w2")) {
            final Path data = Files.createDirectories(dir.resolve("chimera_train_data").resolve(w));
            final StringBuilder x = new StringBuilder("a,b\n");
            final StringBuilder y = new StringBuilder("label\n");
            for (int i = 0; i < 40; i++) {
                x.append(i).append(',').append(i % 7).append('\n');
                y.append(i < 20 ? 0 : 1).append('\n');
            }
            Files.writeString(data.resolve("X_train.csv"), x);
            Files.writeString(data.resolve("y_train.csv"), y);
        }
        final List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), OrphanMaster.class.getName()));
        freePorts(2).forEach(p -> command.add(p.toString()));
        final Process master = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        final List<ProcessHandle> workers = new ArrayList<>();
        try (BufferedReader output = new BufferedReader(new InputStreamReader(master.getInputStream(),
                                                                              StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null && !line.equals("ready")) {
                // Skip the master's log lines.
            }
            assertThat(line).as("the master's workers started").isEqualTo("ready");
            master.children().forEach(workers::add);
            assertThat(workers).hasSize(2);

            master.destroyForcibly(); // SIGKILL: no shutdown hook runs.
            assertThat(master.waitFor(10, TimeUnit.SECONDS)).isTrue();
            final long killed = System.nanoTime();

            for (ProcessHandle w : workers) {
                w.onExit().get(5, TimeUnit.SECONDS);
            }
            assertThat(workers).noneMatch(ProcessHandle::isAlive);
            // Their word of it went to the dead master's pipe: the exit is what shows.
            assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(Duration.ofSeconds(5));
        } finally {
            master.destroyForcibly();
            // Only reached with a bug: do not leave the orphaned workers behind.
            workers.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aPortHeldByADeadRunsWorker_isFreedAndTheStartSucceeds() throws Exception {
        final Process gone = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                                "-version").redirectErrorStream(true).start();
        gone.waitFor();
        final int port = freePorts(1).get(0);
        // A worker a killed master left behind (one from before workers watched their master): marked as the
        // process runtime marks its workers, with a master pid that names no live process.
        final ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-Dchimera.worker=w1", "-Dchimera.master.pid=" + gone.pid(), "-cp",
                System.getProperty("java.class.path"), FakeHealthWorker.class.getName())
                .redirectErrorStream(true).redirectOutput(dir.resolve("leftover.log").toFile());
        builder.environment().put("CHIMERA_WORKERS_HOST", "127.0.0.1");
        builder.environment().put("CHIMERA_WORKERS_PORT", Integer.toString(port));
        final Process leftover = builder.start();
        try {
            eventuallyWithin(Duration.ofSeconds(20), () -> assertThat(health("http://127.0.0.1:" + port))
                    .isEqualTo(200));
        } catch (AssertionError e) {
            leftover.destroyForcibly();
            throw e;
        }
        try {
            runtime.start(List.of(fake("w1", 0, port)));

            assertThat(leftover.waitFor(1, TimeUnit.SECONDS)).as("the leftover was stopped").isTrue();
            assertThat(runtime.isRunning("w1")).isTrue();
            assertThat(statusEvents.list).anySatisfy(e -> assertThat(e.getFormattedMessage())
                    .contains("port " + port + " is held by worker w1 of a run whose master is gone"));
        } finally {
            leftover.destroyForcibly();
        }
    }

    private static WorkerSpec fake(String name, int index, int port, String... args) {
        return WorkerSpec.builder().name(name).index(index).mappedPort(port)
                         .launch(WorkerLaunch.mainClass(FakeHealthWorker.class.getName(), args))
                         .environment("CHIMERA_SEED", "7")
                         .build();
    }

    /** Returns ports that were free a moment ago, found by binding port 0. */
    private static List<Integer> freePorts(int count) {
        final List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                final ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            }
            return sockets.stream().map(ServerSocket::getLocalPort).collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Nothing to do.
                }
            }
        }
    }

    /** Returns the status code of GET health, or -1 when nothing answers. */
    private static int health(String baseUrl) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(baseUrl + ChimeraPaths.HEALTH))
                                        .timeout(Duration.ofSeconds(2)).build(),
                             BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        }
    }

    private static List<Path> list(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.sorted().collect(Collectors.toList());
        }
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                            .collect(Collectors.toSet());
    }

    private Set<Long> newChildren() {
        final Set<Long> now = children();
        now.removeAll(childrenBefore);
        return now;
    }

    private static Logger statusLogger() {
        return (Logger) LoggerFactory.getLogger(ChimeraLogs.STATUS_LOGGER);
    }

    private static void eventually(ThrowingRunnable assertion) throws Exception {
        eventuallyWithin(Duration.ofSeconds(5), assertion);
    }

    private static void eventuallyWithin(Duration limit, ThrowingRunnable assertion) throws Exception {
        final long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                assertion.run();
                return;
            } catch (AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}

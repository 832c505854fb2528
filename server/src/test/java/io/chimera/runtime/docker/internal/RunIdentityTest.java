package io.chimera.runtime.docker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.docker.internal.RunIdentity.Ownership;

/** Names and ownership of a run's Docker resources, without Docker: the decisions cleanup rests on. */
class RunIdentityTest {

    @Test
    void names_carryTheFolderAndAKeyOfItsPath_soTwoFoldersOfTheSameNameStayApart() {
        final RunIdentity a = RunIdentity.of(Path.of("/home/ana/Iris Project"));
        final RunIdentity b = RunIdentity.of(Path.of("/home/bo/Iris Project"));
        assertThat(a.resourceName("tree1")).matches("iris-project-[0-9a-f]{6}-tree1");
        assertThat(b.resourceName("tree1")).matches("iris-project-[0-9a-f]{6}-tree1")
                                           .isNotEqualTo(a.resourceName("tree1"));
        // The same folder gives the same names in every run: a restarted master finds its leftovers.
        assertThat(RunIdentity.of(Path.of("/home/ana/Iris Project")).resourceName("tree1"))
                .isEqualTo(a.resourceName("tree1"));
        assertThat(RunIdentity.of(Path.of("/srv/" + "x".repeat(60))).resourceName("w"))
                .matches("x{20}-[0-9a-f]{6}-w");
    }

    @Test
    void labels_nameTheProjectTheRunTheOwnerAndTheWorker() {
        final RunIdentity run = RunIdentity.of(Path.of("/home/ana/iris"));
        final Map<String, String> labels = run.labels("tree1");
        assertThat(labels).containsEntry(DockerWorkerRuntime.MANAGED_LABEL, "true")
                          .containsEntry(RunIdentity.PROJECT_LABEL, "/home/ana/iris")
                          .containsEntry(DockerWorkerRuntime.WORKER_LABEL, "tree1")
                          .containsKey(RunIdentity.RUN_LABEL);
        assertThat(labels.get(RunIdentity.OWNER_LABEL)).endsWith(":" + ProcessHandle.current().pid() + ":"
                + ProcessHandle.current().info().startInstant().orElseThrow().getEpochSecond());
        assertThat(run.labels(null)).doesNotContainKey(DockerWorkerRuntime.WORKER_LABEL);
        assertThat(RunIdentity.of(Path.of("/home/ana/iris")).labels("tree1").get(RunIdentity.RUN_LABEL))
                .isNotEqualTo(labels.get(RunIdentity.RUN_LABEL));
    }

    @Test
    void ownership_isOursForThisRun_liveForAnotherRunningMaster_deadForAGoneOne() throws Exception {
        final RunIdentity run = RunIdentity.of(Path.of("/home/ana/iris"));
        assertThat(run.ownership(run.labels("tree1"))).isEqualTo(Ownership.OURS);

        // Another run of this same JVM: its owner runs.
        final Map<String, String> other = RunIdentity.of(Path.of("/home/bo/wine")).labels("tree1");
        assertThat(run.ownership(other)).isEqualTo(Ownership.LIVE);
        assertThat(RunIdentity.describeOwner(other))
                .isEqualTo("the chimera master with PID " + ProcessHandle.current().pid() + " (project /home/bo/wine)");

        // A master that has exited: its PID no longer runs.
        final Process child = new ProcessBuilder("true").start();
        child.waitFor();
        final Map<String, String> gone = new HashMap<>(other);
        gone.put(RunIdentity.OWNER_LABEL, RunIdentity.ownerOf(ProcessHandle.current())
                                                     .replace(":" + ProcessHandle.current().pid() + ":",
                                                              ":" + child.pid() + ":"));
        assertThat(run.ownership(gone)).isEqualTo(Ownership.DEAD);

        // A PID that runs again, but since another second, is a reused PID: the master is gone.
        final Map<String, String> reused = new HashMap<>(other);
        reused.put(RunIdentity.OWNER_LABEL, other.get(RunIdentity.OWNER_LABEL).replaceAll(":\\d+$", ":12345"));
        assertThat(run.ownership(reused)).isEqualTo(Ownership.DEAD);

        // A resource from before owners were written, and one of another machine.
        final Map<String, String> unlabelled = new HashMap<>(other);
        unlabelled.remove(RunIdentity.OWNER_LABEL);
        assertThat(run.ownership(unlabelled)).isEqualTo(Ownership.UNKNOWN);
        final Map<String, String> elsewhere = new HashMap<>(other);
        elsewhere.put(RunIdentity.OWNER_LABEL, "another-machine:boot:1:1");
        assertThat(run.ownership(elsewhere)).isEqualTo(Ownership.LIVE);
        assertThat(RunIdentity.describeOwner(elsewhere)).startsWith("a chimera master on another machine");
    }
}

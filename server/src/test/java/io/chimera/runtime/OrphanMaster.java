package io.chimera.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.chimera.runtime.process.ProcessWorkerRuntime;

/**
 * A master JVM for the SIGKILL test: starts real tree workers ({@link TreeWorkerMain}) on the ports given as
 * arguments, working in the current directory (whose {@code chimera_train_data/} holds their data), prints
 * {@code ready}, then waits to be killed.
 */
public final class OrphanMaster {

    public static void main(String[] args) throws InterruptedException {
        final ProcessWorkerRuntime runtime = ProcessWorkerRuntime.builder().workingDirectory(Path.of(""))
                                                                 .jvmOptions("-XX:TieredStopAtLevel=1",
                                                                             "-XX:+UseSerialGC")
                                                                 .startupTimeout(Duration.ofSeconds(60)).build();
        final List<WorkerSpec> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            specs.add(WorkerSpec.builder().name("w" + (i + 1)).index(i).mappedPort(Integer.parseInt(args[i]))
                                .launch(WorkerLaunch.mainClass(TreeWorkerMain.class.getName())).build());
        }
        runtime.start(specs);
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private OrphanMaster() {}
}

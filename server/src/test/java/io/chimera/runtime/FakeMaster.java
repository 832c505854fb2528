package io.chimera.runtime;

import java.util.List;

import io.chimera.runtime.process.ProcessWorkerRuntime;

/**
 * A master JVM for the shutdown hook test: starts one {@link FakeHealthWorker} on the port given as
 * argument with the runtime's defaults (so {@code stopOnJvmExit} is on), prints {@code ready}, then waits
 * to be killed.
 */
public final class FakeMaster {

    public static void main(String[] args) throws InterruptedException {
        final ProcessWorkerRuntime runtime = ProcessWorkerRuntime.builder().build();
        runtime.start(List.of(WorkerSpec.builder().name("w1").mappedPort(Integer.parseInt(args[0]))
                                        .launch(WorkerLaunch.mainClass(FakeHealthWorker.class.getName()))
                                        .build()));
        System.out.println("ready");
        Thread.sleep(Long.MAX_VALUE);
    }

    private FakeMaster() {}
}

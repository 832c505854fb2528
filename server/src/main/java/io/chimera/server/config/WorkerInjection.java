package io.chimera.server.config;

/**
 * Conditions injected into one worker on purpose, to study them (the lab's stragglers, slow links and lost
 * workers): a delay before each step, which the worker counts as compute time; a latency before each answer,
 * which it does not; and an exit at its {@code k}-th step, as if the machine had died. The worker applies them
 * itself, whatever the runtime (a process or a container), through {@code CHIMERA_INJECT_STEP_DELAY_MS},
 * {@code CHIMERA_INJECT_LATENCY_MS} and {@code CHIMERA_INJECT_EXIT_AT_STEP}.
 *
 * <p>A step is a call that trains: a parameter-server step, a strategy step, a bagging worker's fit. An answer
 * is the reply to any call but health and metrics.
 *
 * @param stepDelayMillis milliseconds before each step, 0 to 600,000
 * @param latencyMillis milliseconds before each answer, 0 to 600,000
 * @param exitAtStep the step (1 for the first) at which the worker exits instead of answering; 0 for never
 */
public record WorkerInjection(int stepDelayMillis, int latencyMillis, int exitAtStep) {

    /** Nothing injected. */
    public static final WorkerInjection NONE = new WorkerInjection(0, 0, 0);

    /** The longest delay or latency, 10 minutes: longer would only hang a run. */
    public static final int MAX_MILLIS = 600_000;

    /**
     * @throws IllegalArgumentException naming the value, when a delay is negative or above {@value #MAX_MILLIS},
     *         or {@code exitAtStep} is negative
     */
    public WorkerInjection {
        check("stepDelayMillis", stepDelayMillis);
        check("latencyMillis", latencyMillis);
        if (exitAtStep < 0) {
            throw new IllegalArgumentException("exitAtStep: " + exitAtStep + " (expected: 0 for never, or a step "
                                               + "from 1 on)");
        }
    }

    /** A delay and a latency, and no exit. */
    public WorkerInjection(int stepDelayMillis, int latencyMillis) {
        this(stepDelayMillis, latencyMillis, 0);
    }

    /** A straggler: {@code millis} before each step. */
    public static WorkerInjection stepDelay(int millis) {
        return new WorkerInjection(millis, 0, 0);
    }

    /** A slow link: {@code millis} before each answer. */
    public static WorkerInjection latency(int millis) {
        return new WorkerInjection(0, millis, 0);
    }

    /** A lost worker: it exits at its {@code step}-th step (1 for the first). */
    public static WorkerInjection exitAtStep(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("exitAtStep: " + step + " (expected: a step from 1 on)");
        }
        return new WorkerInjection(0, 0, step);
    }

    /** Whether anything is injected. */
    public boolean any() {
        return stepDelayMillis > 0 || latencyMillis > 0 || exitAtStep > 0;
    }

    private static void check(String name, int millis) {
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(name + ": " + millis + " (expected: 0.." + MAX_MILLIS + ')');
        }
    }
}

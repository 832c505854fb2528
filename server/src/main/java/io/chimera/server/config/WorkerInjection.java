package io.chimera.server.config;

/**
 * Conditions injected into one worker on purpose, to study them (the lab's stragglers and slow links): a delay
 * before each training step, which the worker counts as compute time, and a latency before each step's answer,
 * which it does not. The worker applies both itself, whatever the runtime (a process or a container), through
 * {@code CHIMERA_INJECT_STEP_DELAY_MS} and {@code CHIMERA_INJECT_LATENCY_MS}.
 *
 * @param stepDelayMillis milliseconds before each step, 0 to 600,000
 * @param latencyMillis milliseconds before each answer, 0 to 600,000
 */
public record WorkerInjection(int stepDelayMillis, int latencyMillis) {

    /** Nothing injected. */
    public static final WorkerInjection NONE = new WorkerInjection(0, 0);

    /** The longest delay or latency, 10 minutes: longer would only hang a run. */
    public static final int MAX_MILLIS = 600_000;

    /**
     * @throws IllegalArgumentException when a value is negative or above {@value #MAX_MILLIS}
     */
    public WorkerInjection {
        check("stepDelayMillis", stepDelayMillis);
        check("latencyMillis", latencyMillis);
    }

    /** A straggler: {@code millis} before each step. */
    public static WorkerInjection stepDelay(int millis) {
        return new WorkerInjection(millis, 0);
    }

    /** A slow link: {@code millis} before each answer. */
    public static WorkerInjection latency(int millis) {
        return new WorkerInjection(0, millis);
    }

    /** Whether anything is injected. */
    public boolean any() {
        return stepDelayMillis > 0 || latencyMillis > 0;
    }

    private static void check(String name, int millis) {
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new IllegalArgumentException(name + ": " + millis + " (expected: 0.." + MAX_MILLIS + ')');
        }
    }
}

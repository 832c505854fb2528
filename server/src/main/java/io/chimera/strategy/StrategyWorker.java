package io.chimera.strategy;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;

import io.chimera.common.ChimeraException;
import io.chimera.core.data.Dataset;
import io.chimera.core.data.WorkerSeeds;
import io.chimera.node.NodeServerBuilder;
import io.chimera.node.StrategyRoutes;
import io.chimera.proto.v1.StrategyStepRequest;
import io.chimera.proto.v1.StrategyWorkerServiceGrpc;
import io.chimera.workers.Worker;
import io.chimera.workers.WorkerEnvironment;
import io.grpc.stub.StreamObserver;

/**
 * The worker side of a distributed algorithm written with the strategy API: what a worker computes on its local
 * data, one named step each ({@link #steps(Steps)}). Each step is served at
 * {@code POST /v1/chimera/<strategy>/steps/<step>} (gRPC: {@code chimera.v1.StrategyWorkerService/Step}); its
 * master is a {@link StrategyMaster} of the same strategy name. The worker loads its data once at start
 * ({@link #data()}) and may call the other workers of the run ({@link #peers()}).
 *
 * <pre>{@code
 * // chimera_workers/w1.java
 * public class w1 {
 *     public static void main(String[] args) {
 *         new FederatedAveragingWorker().serve();
 *     }
 * }
 * }</pre>
 *
 * A step runs on a thread of its own and may block (on a peer, say). A {@link ChimeraException} it throws is
 * the call's answer; an {@link IllegalArgumentException} a 400; anything else a 500.
 */
public abstract class StrategyWorker extends Worker {

    /** A step of the worker: takes what the master (or a peer) sent, answers a payload. */
    @FunctionalInterface
    public interface Step {
        Payload run(Payload in) throws Exception;
    }

    /** The steps a worker declares. */
    public static final class Steps {
        private final Map<String, Step> steps = new LinkedHashMap<>();

        Steps() {}

        /**
         * Serves {@code step} at {@code /v1/chimera/<strategy>/steps/<name>}.
         *
         * @throws IllegalArgumentException when the name is not lower-case words joined by hyphens, or is taken
         */
        public Steps on(String name, Step step) {
            requireNonNull(name, "name");
            if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
                throw new IllegalArgumentException("step name: \"" + name + "\" (expected: lower-case words "
                                                   + "joined by hyphens, e.g. local-train)");
            }
            if (steps.putIfAbsent(name, requireNonNull(step, "step")) != null) {
                throw new IllegalArgumentException("step " + name + " is declared twice");
            }
            return this;
        }
    }

    private final String strategy;
    private volatile Peers peers;

    /**
     * A worker of the strategy {@code strategy}, the name its {@link StrategyMaster} has.
     *
     * @throws IllegalArgumentException when the name is not lower-case words joined by hyphens, or is one of
     *         chimera's own
     */
    protected StrategyWorker(String strategy) {
        this.strategy = StrategyRoutes.checkName(strategy);
    }

    /** Declares this worker's steps; called once, when it starts. */
    protected abstract void steps(Steps steps);

    /** The strategy's name. */
    public final String strategy() {
        return strategy;
    }

    @Override
    public StrategyWorker seed(long seed) {
        super.seed(seed);
        return this;
    }

    /** Accepts any data the loader accepted; override to refuse what this strategy cannot learn from. */
    @Override
    protected void checkData(Dataset data) {}

    @Override
    protected final void addServices(NodeServerBuilder builder) {
        final Steps declared = new Steps();
        steps(declared);
        if (declared.steps.isEmpty()) {
            throw new IllegalStateException(getClass().getSimpleName() + " declares no step");
        }
        builder.service(StrategyRoutes.of(new Service(Map.copyOf(declared.steps)), strategy));
    }

    @Override
    protected long derivedSeed(WorkerEnvironment env) {
        return WorkerSeeds.forWorker(env.seed(), env.name());
    }

    /** The other workers of the run, to call directly (ring all-reduce, gossip). */
    protected final Peers peers() {
        Peers p = peers;
        if (p == null) {
            synchronized (this) {
                if (peers == null) {
                    peers = new Peers(strategy, name(), environment().peers(), environment().secret().orElse(null));
                }
                p = peers;
            }
        }
        return p;
    }

    private final class Service extends StrategyWorkerServiceGrpc.StrategyWorkerServiceImplBase {
        private final Map<String, Step> steps;

        Service(Map<String, Step> steps) {
            this.steps = steps;
        }

        @Override
        public void step(StrategyStepRequest request, StreamObserver<io.chimera.proto.v1.Payload> out) {
            final Step step = steps.get(request.getStep());
            if (step == null) {
                throw new ChimeraException(404, "UnknownStepError", "worker " + name() + " has no step '"
                        + request.getStep() + "' (steps: " + new java.util.TreeSet<>(steps.keySet()) + ')');
            }
            final Payload answer;
            beforeStep();
            try {
                answer = step.run(Payload.fromProto(request.getPayload()));
            } catch (ChimeraException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw ChimeraException.badRequest("step " + request.getStep() + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ChimeraException.internal("worker " + name() + " was interrupted in step " + request.getStep());
            } catch (Exception e) {
                throw ChimeraException.internal("worker " + name() + " failed step " + request.getStep() + ": " + e);
            }
            if (answer == null) {
                throw ChimeraException.internal("step " + request.getStep() + " of worker " + name()
                                                + " answered nothing (expected: a payload, empty if need be)");
            }
            beforeAnswer();
            out.onNext(answer.toProto());
            out.onCompleted();
        }
    }
}

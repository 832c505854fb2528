package io.chimera.core.learn;

import java.util.List;
import java.util.Map;

/**
 * Learners known by name beyond the built-in trees, for declarative workers ({@code "learner": "<name>"} in a
 * {@code chimera_workers/<name>.json} file). A library registers its provider as a service, in
 * {@code META-INF/services/io.chimera.core.learn.LearnerProvider}; {@link Learners#create(String, String, Map)}
 * asks the built-in names first, then each provider. chimera-tribuo registers Tribuo's trainers this way.
 */
public interface LearnerProvider {

    /** The names this provider knows for {@code kind} ({@code classification} or {@code regression}). */
    List<String> names(String kind);

    /**
     * Returns the learner called {@code name} for {@code kind} with {@code params}, or null when this provider
     * has no learner of that name for that kind.
     *
     * @throws IllegalArgumentException when the name is known but a parameter is unknown or invalid; the
     *         message lists the valid parameters
     */
    Learner create(String name, String kind, Map<String, String> params);
}

package io.chimera.server.config;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Thrown when the chimera configuration is invalid. The message holds one line per problem, each naming
 * the variable, the value given and the rule, e.g.
 * {@code CHIMERA_NETWORK_SUBNET_MASK=33: expected an integer between 0 and 32 (source: environment)}.
 */
public final class ChimeraConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    /**
     * Creates an exception listing every problem found.
     *
     * @param problems one line per problem; must not be empty
     */
    public ChimeraConfigException(List<String> problems) {
        super(String.join("\n", requireNonNull(problems, "problems")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("problems: [] (expected: at least one)");
        }
        this.problems = List.copyOf(problems);
    }

    /** Returns the problems found, one line each, in the order of the variables' table. */
    public List<String> problems() {
        return problems;
    }
}

package io.chimera.server;

import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of a bad-input catalogue run: how many cases passed, their statuses, the nodes they went to and the
 * slowest case, printed when the catalogue ends so that docs/errors.md can quote a run anyone can repeat.
 */
final class BadInputFigures {

    private final String transport;
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> nodes = new TreeMap<>();
    private int cases;
    private long slowestNanos;

    BadInputFigures(String transport) {
        this.transport = transport;
    }

    synchronized void passed(int status, String node, long nanos) {
        cases++;
        statuses.merge(status, 1, Integer::sum);
        nodes.merge(node, 1, Integer::sum);
        slowestNanos = Math.max(slowestNanos, nanos);
    }

    synchronized void print() {
        System.out.printf("[bad-input %s] %d cases passed; statuses %s; nodes %s; slowest case %.2f s; "
                          + "every node served a good request after each%n", transport, cases, statuses, nodes,
                          slowestNanos / 1e9);
    }
}

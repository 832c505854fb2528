package io.chimera.runtime;

import io.chimera.core.learn.DecisionTreeClassifier;
import io.chimera.strategy.aggregation.ClassificationWorker;

/** A real worker entry, as a user writes one: a depth-2 tree on the data of its environment. */
public final class TreeWorkerMain {

    public static void main(String[] args) {
        new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(2).build()).serve();
    }

    private TreeWorkerMain() {}
}

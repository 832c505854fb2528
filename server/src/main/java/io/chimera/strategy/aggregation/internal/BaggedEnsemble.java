package io.chimera.strategy.aggregation.internal;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.core.learn.FittedModel;
import io.chimera.models.internal.Predictor;
import io.chimera.proto.v1.PredictResponse;
import io.chimera.strategy.aggregation.AggregationMaster;

/**
 * An exported bagging ensemble served without workers: each member answers as its worker did
 * ({@link ModelAnswers}) and the answers are combined as the {@code AggregationMaster} combines its workers'
 * ({@link Aggregation}). As there, a member that fails is logged and left out; when every member fails, the
 * first failure is the answer.
 */
public final class BaggedEnsemble implements Predictor {

    private static final Logger status = LoggerFactory.getLogger("chimera_status");

    /** One worker's model with what its answers need. */
    public static final class Member {
        final String worker;
        final String learner;
        final FittedModel model;
        final List<String> features;
        final double[] classes;

        public Member(String worker, String learner, FittedModel model, List<String> features, double[] classes) {
            this.worker = worker;
            this.learner = learner;
            this.model = model;
            this.features = List.copyOf(features);
            this.classes = classes.clone();
        }
    }

    private final List<Member> members;

    public BaggedEnsemble(List<Member> members) {
        this.members = List.copyOf(members);
    }

    @Override
    public PredictResponse predict(Table table) {
        final List<PredictResponse> answers = new ArrayList<>(members.size());
        ChimeraException first = null;
        for (Member m : members) {
            try {
                answers.add(ModelAnswers.predict(m.learner, m.model, m.features, m.classes, table));
            } catch (ChimeraException e) {
                status.error("ModelMaster: member {} failed to predict: {}", m.worker, e.getMessage());
                first = first != null ? first : e;
            }
        }
        if (answers.isEmpty()) {
            throw first;
        }
        return Aggregation.aggregate(answers, table.rows());
    }

    @Override
    public String toString() {
        return "BaggedEnsemble{" + members.size() + " members}";
    }
}

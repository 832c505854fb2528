package io.chimera.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.chimera.common.ChimeraException;
import io.chimera.common.Table;
import io.chimera.models.ModelMaster;
import io.chimera.proto.v1.MasterStatus;
import io.chimera.proto.v1.ModelArtifact;
import io.chimera.proto.v1.TrainingHistory;
import io.chimera.server.Chimera;
import io.chimera.server.ChimeraRun;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

/** The client against a real master with worker processes, over both transports. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChimeraClientTest {

    static final String TREE_WORKER =
            "new ClassificationWorker(DecisionTreeClassifier.builder().maxDepth(5).build(), true).serve();";

    @TempDir
    static Path dir;
    static ChimeraRun run;
    static Table holdout;
    static double[] labels;

    @BeforeAll
    static void start() throws IOException {
        // The server's AggregationMasterTest bag (same names, so same seeds): two trees reach only 0.886.
        run = TestCluster.start(new AggregationMaster(), dir, "tree", 3, TREE_WORKER, "breast-cancer");
        final Path data = TestCluster.dataset("breast-cancer");
        holdout = Table.readCsv(data.resolve("X_test.csv"));
        final List<String> y = Files.readAllLines(data.resolve("y_test.csv"));
        labels = y.subList(1, y.size()).stream().mapToDouble(Double::parseDouble).toArray();
    }

    @AfterAll
    static void stop() {
        if (run != null) {
            run.close();
        }
    }

    static ChimeraClient client(Transport transport) {
        return ChimeraClient.builder(run.baseUrl()).transport(transport).build();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Order(1)
    void predict_beforeFit_throws409NotFittedWithServerMessage(Transport transport) {
        try (ChimeraClient client = client(transport)) {
            assertThatThrownBy(() -> client.predict(holdout))
                    .isInstanceOfSatisfying(ChimeraException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.errorType()).isEqualTo(ChimeraException.NOT_FITTED_ERROR);
                        assertThat(e.getMessage()).contains("no model yet", "fit first");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Order(1)
    void exportModel_beforeFit_throws409NotFitted(Transport transport) {
        try (ChimeraClient client = client(transport)) {
            assertThatThrownBy(client::exportModel)
                    .isInstanceOfSatisfying(ChimeraException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(409);
                        assertThat(e.errorType()).isEqualTo(ChimeraException.NOT_FITTED_ERROR);
                        assertThat(e.getMessage()).contains("fit first");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Order(2)
    void fit_answersOk(Transport transport) {
        try (ChimeraClient client = client(transport)) {
            final FitResult fit = client.fit();
            assertThat(fit.fit()).isEqualTo("ok");
            assertThat(fit.failedWorkers()).isEmpty();
        }
    }

    @Test
    @Order(3)
    void status_afterFit_isTheSameOverBothTransports() {
        try (ChimeraClient g = client(Transport.GRPC); ChimeraClient r = client(Transport.REST)) {
            final MasterStatus grpc = g.status();
            final MasterStatus rest = r.status();
            assertThat(rest.getMaster()).isEqualTo("AggregationMaster");
            assertThat(rest.getModel().getState()).isEqualTo("fitted");
            assertThat(rest.getModel().getStrategy()).isEqualTo("aggregation");
            assertThat(rest.getWorkersCount()).isEqualTo(grpc.getWorkersCount()).isPositive();
            assertThat(grpc.getModel().getState()).isEqualTo("fitted");
            assertThat(grpc.getModel().getStrategy()).isEqualTo("aggregation");
        }
    }

    @Test
    @Order(3)
    void predict_holdout_isAccurateAndIdenticalOverBothTransports() {
        final Predictions grpc;
        final Predictions rest;
        try (ChimeraClient g = client(Transport.GRPC); ChimeraClient r = client(Transport.REST)) {
            grpc = g.predict(holdout);
            rest = r.predict(holdout);
        }
        assertThat(grpc.size()).isEqualTo(holdout.rows()).isEqualTo(labels.length);
        // Binary classification: P(positive class) per row, as chimera answers; no classes or matrix.
        final double[] p = grpc.values();
        int correct = 0;
        for (int i = 0; i < p.length; i++) {
            assertThat(p[i]).isBetween(0.0, 1.0);
            correct += (p[i] >= 0.5 ? 1 : 0) == labels[i] ? 1 : 0;
        }
        assertThat((double) correct / p.length).isGreaterThanOrEqualTo(0.89);
        assertThat(rest.values()).containsExactly(p);
        assertThat(rest.classes()).containsExactly(grpc.classes());
        assertThat(rest.probabilities()).isDeepEqualTo(grpc.probabilities());
    }

    @Test
    @Order(3)
    void exportModel_overBothTransports_servesTheSamePredictionsWithoutWorkers(@TempDir Path modelDir) {
        final ModelArtifact grpc;
        final ModelArtifact rest;
        final Predictions before;
        try (ChimeraClient g = client(Transport.GRPC); ChimeraClient r = client(Transport.REST)) {
            grpc = g.exportModel();
            rest = r.exportModel();
            before = g.predict(holdout);
        }
        assertThat(grpc.getKind()).isEqualTo("aggregation");
        assertThat(grpc.getBagging().getMembersCount()).isEqualTo(3);
        assertThat(rest.toBuilder().clearCreatedTime().build()).isEqualTo(grpc.toBuilder().clearCreatedTime().build());
        try (ChimeraRun imported = Chimera.builder(ModelMaster.of(rest)).port(0).projectDirectory(modelDir).start();
             ChimeraClient client = ChimeraClient.builder(imported.baseUrl()).build()) {
            assertThat(client.predict(holdout).values()).containsExactly(before.values());
            assertThat(client.exportModel()).isEqualTo(rest);
            assertThatThrownBy(client::fit).isInstanceOfSatisfying(ChimeraException.class, e -> {
                assertThat(e.httpStatus()).isEqualTo(409);
                assertThat(e.errorType()).isEqualTo(ChimeraException.IMPORTED_MODEL_ERROR);
            });
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Order(4)
    void predict_unknownColumn_throws400NamingIt(Transport transport) {
        final Table bad = Table.of(List.of("no_such_column"), new double[] { 1 }, 1);
        try (ChimeraClient client = client(transport)) {
            assertThatThrownBy(() -> client.predict(bad))
                    .isInstanceOfSatisfying(ChimeraException.class, e -> {
                        assertThat(e.httpStatus()).isEqualTo(400);
                        assertThat(e.errorType()).isEqualTo(ChimeraException.VALIDATION_ERROR);
                        assertThat(e.getMessage()).contains("no_such_column");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Order(5)
    void fitAndPredict_masterNotRunning_throw503Unreachable(Transport transport) {
        final String nothing = "http://127.0.0.1:" + TestCluster.freePorts(1)[0];
        try (ChimeraClient client = ChimeraClient.builder(nothing).transport(transport).build()) {
            for (Runnable call : List.<Runnable>of(client::fit, () -> client.predict(holdout))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(ChimeraException.class, e -> {
                    assertThat(e.httpStatus()).isEqualTo(503);
                    assertThat(e.errorType()).isEqualTo(ChimeraClient.MASTER_UNREACHABLE_ERROR);
                    assertThat(e.getMessage()).contains(nothing);
                });
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    @Order(6)
    void history_aggregationMaster_throwsIllegalState(Transport transport) {
        try (ChimeraClient client = client(transport)) {
            assertThatThrownBy(client::history).isInstanceOf(IllegalStateException.class)
                                               .hasMessageContaining("PARAMETER_SERVER");
        }
    }

    @Test
    @Order(7)
    void parameterServer_fitHistoryAndPredict_overBothTransports(@TempDir Path psDir) {
        try (ChimeraRun ps = TestCluster.start(ParameterServerMaster.builder().loss("log_loss").maxIter(50).build(),
                                               psDir, "sgd", 2, "new SGDWorker().serve();", "breast-cancer");
             ChimeraClient grpc = ChimeraClient.builder(ps.baseUrl()).master(MasterKind.PARAMETER_SERVER).build();
             ChimeraClient rest = ChimeraClient.builder(ps.baseUrl()).master(MasterKind.PARAMETER_SERVER)
                                               .transport(Transport.REST).build()) {
            assertThat(grpc.fit().fit()).isEqualTo("ok");

            final TrainingHistory history = grpc.history();
            assertThat(history.getState()).isEqualTo("fitted");
            assertThat(history.getIterationsCount()).isEqualTo(50);
            assertThat(rest.history()).isEqualTo(history);

            final Predictions p = rest.predict(holdout);
            assertThat(p.size()).isEqualTo(holdout.rows());
            assertThat(Arrays.stream(p.values())).allSatisfy(v -> assertThat(v).isBetween(0.0, 1.0));
            assertThat(grpc.predict(holdout).values()).containsExactly(p.values());
        }
    }

    /** A master written with the strategy API: the client names its strategy and reaches its routes. */
    @Test
    @Order(8)
    void strategyMaster_fitHistoryPredictAndExport_overBothTransports(@TempDir Path fedDir) {
        try (ChimeraRun fed = TestCluster.start(
                io.chimera.strategy.fedavg.FederatedAveragingMaster.builder().loss("log_loss").rounds(5)
                                                                   .localEpochs(3).batchSize(16).build(),
                fedDir, "fed", 2, "new io.chimera.strategy.fedavg.FederatedAveragingWorker().serve();",
                "breast-cancer");
             ChimeraClient grpc = ChimeraClient.builder(fed.baseUrl()).strategy("federated-averaging").build();
             ChimeraClient rest = ChimeraClient.builder(fed.baseUrl()).strategy("federated-averaging")
                                               .transport(Transport.REST).build()) {
            assertThat(rest.fit().fit()).isEqualTo("ok");
            final TrainingHistory history = grpc.history();
            assertThat(history.getState()).isEqualTo("fitted");
            assertThat(history.getIterationsCount()).isEqualTo(5);
            assertThat(rest.history()).isEqualTo(history);
            final Predictions p = grpc.predict(holdout);
            assertThat(rest.predict(holdout).values()).containsExactly(p.values());
            int right = 0;
            for (int i = 0; i < labels.length; i++) {
                right += (p.values()[i] > 0.5 ? 1.0 : 0.0) == labels[i] ? 1 : 0;
            }
            // scikit-learn's logistic regression: .974 on this split.
            assertThat(right / (double) labels.length).isGreaterThan(0.94);
            assertThat(grpc.exportModel().getKind()).isEqualTo("federated-averaging");
            assertThat(rest.status().getModel().getStrategy()).isEqualTo("federated-averaging");
        }
        assertThatThrownBy(() -> ChimeraClient.builder("http://127.0.0.1:1").master(MasterKind.STRATEGY).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("strategy(");
        assertThatThrownBy(() -> ChimeraClient.builder("http://127.0.0.1:1").strategy("Fed Avg"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Fed Avg");
    }

    /** A master started with CHIMERA_API_TOKEN answers a client that sends the token, and refuses one that does not. */
    @Test
    @Order(9)
    void apiToken_isSentByTheClient_andRequiredByTheMaster(@TempDir Path tokenDir) {
        final String token = "client-test-token-0123456789";
        try (ChimeraRun guarded = TestCluster.start(new AggregationMaster(), tokenDir, "tree", 2, TREE_WORKER,
                                                    "breast-cancer", Map.of("CHIMERA_API_TOKEN", token))) {
            for (Transport transport : Transport.values()) {
                try (ChimeraClient anonymous = ChimeraClient.builder(guarded.baseUrl()).transport(transport)
                                                            .token(null).build();
                     ChimeraClient wrong = ChimeraClient.builder(guarded.baseUrl()).transport(transport)
                                                        .token("not-the-token-at-all").build();
                     ChimeraClient authorised = ChimeraClient.builder(guarded.baseUrl()).transport(transport)
                                                             .token(token).build()) {
                    final ChimeraException refused = catchThrowableOfType(anonymous::fit, ChimeraException.class);
                    assertThat(refused.httpStatus()).as(transport.name()).isEqualTo(401);
                    assertThat(refused.errorType()).isEqualTo("UnauthenticatedError");
                    assertThat(refused.getMessage()).contains("CHIMERA_API_TOKEN");
                    assertThat(catchThrowableOfType(() -> wrong.predict(holdout), ChimeraException.class)
                                       .httpStatus()).isEqualTo(401);
                    assertThat(authorised.fit().fit()).isEqualTo("ok");
                    assertThat(authorised.predict(holdout).values()).hasSize(labels.length);
                }
            }
        }
    }
}

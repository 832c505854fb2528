package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.chimera.core.linear.Loss;
import io.chimera.strategy.aggregation.AggregationMaster;
import io.chimera.strategy.internal.MasterAccess;
import io.chimera.strategy.parameterserver.ParameterServerMaster;

class MainArgumentsTest {

    @Test
    void parameterServer_withoutLoss_trainsOnSquaredErrorOn8080() {
        final MainArguments a = MainArguments.parse("parameter-server");
        assertThat(a.loss()).isEqualTo(Loss.SQUARED_ERROR);
        assertThat(a.port()).isEqualTo(8080);
        assertThat(MasterAccess.of(a.master()).options(a.master())).containsEntry("loss", "squared_error");
    }

    @ParameterizedTest
    @CsvSource({
            "log_loss, LOG_LOSS",
            "hinge, HINGE",
            "squared_error, SQUARED_ERROR",
            "Log_Loss, LOG_LOSS",
    })
    void parameterServer_withLoss_trainsOnIt(String name, Loss loss) {
        final MainArguments spaced = MainArguments.parse("parameter-server", "--loss", name, "8081");
        final MainArguments joined = MainArguments.parse("parameter-server", "--loss=" + name);
        assertThat(spaced.loss()).isEqualTo(loss);
        assertThat(spaced.port()).isEqualTo(8081);
        assertThat(joined.loss()).isEqualTo(loss);
        assertThat(joined.port()).isEqualTo(8080);
        assertThat(spaced.master()).isInstanceOf(ParameterServerMaster.class);
        assertThat(MasterAccess.of(spaced.master()).options(spaced.master())).containsEntry("loss", loss.lossName());
    }

    @ParameterizedTest
    @CsvSource({
            "federated-averaging, io.chimera.strategy.fedavg.FederatedAveragingMaster",
            "all-reduce, io.chimera.strategy.allreduce.AllReduceMaster",
    })
    void strategiesOnTheStrategyApi_takeALossToo(String command, String masterClass) {
        final MainArguments a = MainArguments.parse(command, "--loss", "log_loss", "8082");
        assertThat(a.master().getClass().getName()).isEqualTo(masterClass);
        assertThat(a.master().strategy()).isEqualTo(command);
        assertThat(a.port()).isEqualTo(8082);
        assertThat(MasterAccess.of(a.master()).options(a.master())).containsEntry("loss", "log_loss");
        assertThat(MainArguments.parse(command).loss()).isEqualTo(Loss.SQUARED_ERROR);
    }

    @Test
    void aggregationAndServeModel_keepTheirForms() {
        assertThat(MainArguments.parse("aggregation", "9000").master()).isInstanceOf(AggregationMaster.class);
        assertThat(MainArguments.parse("aggregation", "9000").port()).isEqualTo(9000);
        final MainArguments serve = MainArguments.parse("serve-model", "model.json", "8090");
        assertThat(serve.artifact()).isEqualTo(Path.of("model.json"));
        assertThat(serve.port()).isEqualTo(8090);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "parameter-server --loss logistic | loss: logistic (expected: one of squared_error, log_loss, hinge);",
            "parameter-server --loss | --loss needs a loss;",
            "parameter-server --loss= | loss:  (expected: one of squared_error, log_loss, hinge);",
            "aggregation --loss log_loss | unknown option --loss for aggregation;",
            "parameter-server 8080 --loss log_loss | unexpected argument --loss;",
            "parameter-server --penalty l2 | unknown option --penalty for parameter-server;",
            "parameter-server --lossy x | unknown option --lossy for parameter-server;",
            "parameter-server 0 | port: 0 (expected: 1-65535);",
            "aggregation eighty | port: eighty (expected: 1-65535);",
            "forest | unknown master forest;",
            "serve-model | serve-model needs the artifact to serve;",
            "aggregation 8080 8081 | unexpected argument 8081;",
    })
    void wrongArguments_areOneLineNamingTheProblemThenTheUsage(String args, String problem) {
        assertThatThrownBy(() -> MainArguments.parse(args.trim().split(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(problem + ' ' + MainArguments.USAGE)
                .hasMessageNotContaining("\n");
    }

    @Test
    void noArguments_isOneLine() {
        assertThatThrownBy(MainArguments::parse).hasMessage("no master given; " + MainArguments.USAGE);
    }
}

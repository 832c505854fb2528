package io.chimera.core.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void parse_ignoresCaseAndSpaces() {
        assertThat(Loss.parse("log_loss")).isSameAs(Loss.LOG_LOSS);
        assertThat(Loss.parse(" Squared_Error ")).isSameAs(Loss.SQUARED_ERROR);
        assertThat(Loss.parse("HINGE")).isSameAs(Loss.HINGE);
        assertThat(Loss.LOG_LOSS.lossName()).isEqualTo("log_loss");
    }

    @Test
    void parse_ofUnknownName_listsValidNames() {
        assertThatThrownBy(() -> Loss.parse("log"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("loss: log (expected: one of squared_error, log_loss, hinge)");
    }

    @Test
    void outputs_isClassCountOnlyForMultinomialLogLoss() {
        assertThat(Loss.SQUARED_ERROR.outputs(0)).isEqualTo(1);
        assertThat(Loss.LOG_LOSS.outputs(2)).isEqualTo(1);
        assertThat(Loss.LOG_LOSS.outputs(5)).isEqualTo(5);
        assertThat(Loss.HINGE.outputs(2)).isEqualTo(1);
        assertThat(Loss.SQUARED_ERROR.isClassification()).isFalse();
        assertThat(Loss.HINGE.isClassification()).isTrue();
        assertThatThrownBy(() -> Loss.HINGE.outputs(3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Loss.LOG_LOSS.outputs(1)).isInstanceOf(IllegalArgumentException.class);
    }
}

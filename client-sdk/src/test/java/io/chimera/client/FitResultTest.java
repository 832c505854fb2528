package io.chimera.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.chimera.proto.v1.FitResponse;

/** What a fit answered, as the client hands it on: chimera's fields and the warnings beside them. */
class FitResultTest {

    @Test
    void aFitThatWarned_saysSo_andOneThatDidNot_hasNoWarnings() {
        final FitResult warned = FitResult.of(FitResponse.newBuilder().setFit("ok").addFailedWorkers("w2")
                                                         .addWarnings("not converged: the fit stopped at "
                                                                      + "max_iter (200)")
                                                         .build());
        assertThat(warned.fit()).isEqualTo("ok");
        assertThat(warned.failedWorkers()).containsExactly("w2");
        assertThat(warned.warnings()).containsExactly("not converged: the fit stopped at max_iter (200)");
        assertThat(warned).hasToString("FitResult{fit=ok, failedWorkers=[w2], warnings=[not converged: the fit "
                                       + "stopped at max_iter (200)]}");

        final FitResult clean = FitResult.of(FitResponse.newBuilder().setFit("ok").build());
        assertThat(clean.warnings()).isEmpty();
        assertThat(clean).hasToString("FitResult{fit=ok, failedWorkers=[]}");
    }
}

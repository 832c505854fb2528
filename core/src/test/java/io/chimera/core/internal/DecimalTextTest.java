package io.chimera.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DecimalTextTest {

    private static double parse(String text) {
        final byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        return DecimalText.parse(bytes, 0, bytes.length);
    }

    @ParameterizedTest
    @ValueSource(strings = { "0", "-0", "+4", "1", "1.0", "-2.5e-3", ".5", "5.", "007", "0.000123", "1E5", "1e+5",
                             "123456789012345678", "1234567890123456789012", "0.1", "0.30000000000000004",
                             "9007199254740993", "4.9e-324", "1.7976931348623157e308", "2.2250738585072014E-308",
                             "1e22", "1e23", "1e-22", "1e-23", "3.14159265358979323846" })
    void parse_equalsParseDouble(String text) {
        assertThat(parse(text)).isEqualTo(Double.parseDouble(text));
    }

    @Test
    void parse_randomDecimals_equalParseDouble() {
        final SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            final String text = i % 2 == 0 ? Double.toString(random.nextDouble(-1e6, 1e6))
                                            : random.nextLong(1_000_000_000_000L) + "." + random.nextInt(1000)
                                              + "e" + (random.nextInt(60) - 30);
            assertThat(parse(text)).as(text).isEqualTo(Double.parseDouble(text));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-", ".", "e5", "1e", "1e+", "1d", "0x10", " 1", "1 ", "NaN", "Infinity", "1,5",
                             "--1" })
    void parse_notPlain_isNaN(String text) {
        assertThat(parse(text)).isNaN();
    }
}

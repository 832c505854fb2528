package io.chimera.core.internal;

import java.nio.charset.StandardCharsets;

/**
 * Reads a plain decimal number straight from bytes, as the fast readers of CSV files and of predict bodies
 * need: {@code [+-]digits[.digits][(e|E)[+-]digits]} with at least one digit before the exponent. The value is
 * exactly the one {@link Double#parseDouble} gives for the same text: most numbers take the exact fast path of
 * a decimal conversion (Clinger, 1990), the others go to {@code parseDouble} itself.
 */
public final class DecimalText {

    /** Powers of ten a double holds exactly. */
    private static final double[] EXACT_POWERS_OF_TEN = {
            1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
            1e19, 1e20, 1e21, 1e22
    };
    private static final long EXACT_MANTISSA_LIMIT = 1L << 53;

    /** The value of {@code bytes[from, to)} when it is a plain decimal number; NaN when it is not one. */
    public static double parse(byte[] bytes, int from, int to) {
        if (from >= to) {
            return Double.NaN;
        }
        int i = from;
        boolean negative = false;
        if (bytes[i] == '-' || bytes[i] == '+') {
            negative = bytes[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean anyDigit = false;
        boolean exact = true;
        for (; i < to && isDigit(bytes[i]); i++) {
            anyDigit = true;
            if (mantissa != 0 || bytes[i] != '0') {
                if (++digits > 18) {
                    exact = false;
                } else {
                    mantissa = mantissa * 10 + (bytes[i] - '0');
                }
            }
        }
        if (i < to && bytes[i] == '.') {
            for (i++; i < to && isDigit(bytes[i]); i++) {
                anyDigit = true;
                if (mantissa != 0 || bytes[i] != '0') {
                    if (++digits > 18) {
                        exact = false;
                    } else {
                        mantissa = mantissa * 10 + (bytes[i] - '0');
                    }
                }
                scale--;
            }
        }
        if (!anyDigit) {
            return Double.NaN;
        }
        if (i < to && (bytes[i] == 'e' || bytes[i] == 'E')) {
            i++;
            boolean negativeExponent = false;
            if (i < to && (bytes[i] == '-' || bytes[i] == '+')) {
                negativeExponent = bytes[i] == '-';
                i++;
            }
            if (i == to) {
                return Double.NaN;
            }
            int exponent = 0;
            for (; i < to && isDigit(bytes[i]); i++) {
                exponent = Math.min(exponent * 10 + (bytes[i] - '0'), 100_000);
            }
            scale += negativeExponent ? -exponent : exponent;
        }
        if (i != to) {
            return Double.NaN;
        }
        if (exact && mantissa < EXACT_MANTISSA_LIMIT && Math.abs(scale) < EXACT_POWERS_OF_TEN.length) {
            // Both operands are exact doubles, so one correctly rounded operation gives the nearest double.
            final double value = scale >= 0 ? mantissa * EXACT_POWERS_OF_TEN[scale]
                                             : mantissa / EXACT_POWERS_OF_TEN[-scale];
            return negative ? -value : value;
        }
        return Double.parseDouble(new String(bytes, from, to - from, StandardCharsets.US_ASCII));
    }

    public static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private DecimalText() {}
}

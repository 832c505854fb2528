package io.chimera.core.learn;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A portable regressor that predicts one constant, in the test format {@value #FORMAT} (registered in this
 * module's test {@code META-INF/services}) or, to test refusals, in any format it is given.
 */
public final class ConstantModel implements PortableModel {

    /** The test format: the feature count (int) then the constant (double), big-endian. */
    public static final String FORMAT = "test_constant";

    /** A learner fitting the mean of the labels, in {@code format}. */
    public static Learner learner(String format) {
        return data -> new ConstantModel(data.cols(), Arrays.stream(data.labels()).average().orElse(0), format);
    }

    /** Reads {@link #FORMAT}. */
    public static final class Format implements ModelFormat {
        @Override
        public String name() {
            return FORMAT;
        }

        @Override
        public FittedModel read(byte[] bytes) {
            if (bytes.length != 12) {
                throw new IllegalArgumentException("expected 12 bytes, got " + bytes.length);
            }
            final ByteBuffer buffer = ByteBuffer.wrap(bytes);
            return new ConstantModel(buffer.getInt(), buffer.getDouble(), FORMAT);
        }
    }

    private final int featureCount;
    private final double value;
    private final String format;

    ConstantModel(int featureCount, double value, String format) {
        this.featureCount = featureCount;
        this.value = value;
        this.format = format;
    }

    @Override
    public double[] classes() {
        return new double[0];
    }

    @Override
    public int featureCount() {
        return featureCount;
    }

    @Override
    public double[] predict(double[] features, int rows) {
        final double[] out = new double[rows];
        Arrays.fill(out, value);
        return out;
    }

    @Override
    public String format() {
        return format;
    }

    @Override
    public byte[] toBytes() {
        return ByteBuffer.allocate(12).putInt(featureCount).putDouble(value).array();
    }
}

package io.chimera.tribuo;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import com.google.protobuf.InvalidProtocolBufferException;

import io.chimera.core.learn.PortableModel;

/**
 * A fitted Tribuo model as a chimera {@link PortableModel}: it predicts from chimera's row-major matrices, and
 * exports in the {@value #FORMAT} format, read back by {@link TribuoModelFormat}.
 *
 * <p>The bytes are, big-endian: the magic {@code "CTRB"}, a format version (int, 1), the number of feature
 * columns (int) and each column's name (modified UTF-8, as {@link DataOutputStream#writeUTF}), the number of
 * classes (int, 0 for a regressor) and each class label (double), then the length (int) and bytes of Tribuo's
 * own protobuf form of the model ({@link Model#serialize()}, a {@link ModelProto}). No Java serialisation.
 */
public final class TribuoModel implements PortableModel {

    /** The name of the format, as {@link #format()} gives it. */
    public static final String FORMAT = "tribuo";
    /** The name of a regression model's single output. */
    static final String TARGET = "target";
    private static final int MAGIC = 0x43545242; // "CTRB"
    private static final int VERSION = 1;

    private final Model<?> model;
    private final List<String> columns;
    private final String[] names;
    /** The model's own classes, sorted; empty for a regressor. */
    private final double[] classes;

    TribuoModel(Model<?> model, List<String> columns, double[] trainingClasses) {
        this.model = requireNonNull(model, "model");
        this.columns = List.copyOf(columns);
        names = this.columns.toArray(new String[0]);
        if (trainingClasses.length == 0) {
            classes = trainingClasses;
        } else {
            // The classes the model knows: those of its training rows (a bootstrap sample may miss one).
            classes = model.getOutputIDInfo().getDomain().stream()
                           .mapToDouble(o -> Double.parseDouble(((Label) o).getLabel())).sorted().toArray();
        }
    }

    /** A label's Tribuo name: its value as Java writes a double ({@code 1.0}). */
    static String labelName(double label) {
        return Double.toString(label);
    }

    /** The Tribuo model itself, for callers that want Tribuo's own API (provenance, explanations). */
    public Model<?> tribuoModel() {
        return model;
    }

    @Override
    public double[] classes() {
        return classes.clone();
    }

    @Override
    public int featureCount() {
        return names.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public double[] predict(double[] features, int rows) {
        final int cols = names.length;
        if (features.length != rows * cols) {
            throw new IllegalArgumentException("features: " + features.length + " values (expected: " + rows
                                               + " rows x " + cols + " features)");
        }
        if (classes.length == 0) {
            final Model<Regressor> regressor = (Model<Regressor>) model;
            final List<Prediction<Regressor>> predictions =
                    regressor.predict(examples(features, rows, RegressionFactory.UNKNOWN_REGRESSOR));
            final double[] out = new double[rows];
            for (int r = 0; r < rows; r++) {
                out[r] = predictions.get(r).getOutput().getValues()[0];
            }
            return out;
        }
        final Model<Label> classifier = (Model<Label>) model;
        final List<Prediction<Label>> predictions =
                classifier.predict(examples(features, rows, LabelFactory.UNKNOWN_LABEL));
        final int k = classes.length;
        final double[] out = new double[rows * k];
        for (int r = 0; r < rows; r++) {
            final Prediction<Label> p = predictions.get(r);
            if (classifier.generatesProbabilities()) {
                double sum = 0;
                for (Map.Entry<String, Label> e : p.getOutputScores().entrySet()) {
                    final int slot = Arrays.binarySearch(classes, Double.parseDouble(e.getKey()));
                    final double score = e.getValue().getScore();
                    if (slot >= 0 && score > 0) {
                        out[r * k + slot] = score;
                        sum += score;
                    }
                }
                if (sum > 0) {
                    for (int j = 0; j < k; j++) {
                        out[r * k + j] /= sum;
                    }
                    continue;
                }
                Arrays.fill(out, r * k, (r + 1) * k, 0);
            }
            // No probabilities (an SVM, say): certainty for the predicted class.
            out[r * k + Arrays.binarySearch(classes, Double.parseDouble(p.getOutput().getLabel()))] = 1;
        }
        return out;
    }

    private <T extends org.tribuo.Output<T>> List<Example<T>> examples(double[] features, int rows, T unknown) {
        final int cols = names.length;
        final List<Example<T>> examples = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            examples.add(new ArrayExample<>(unknown, names, Arrays.copyOfRange(features, r * cols, (r + 1) * cols)));
        }
        return examples;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public byte[] toBytes() {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeInt(names.length);
            for (String name : names) {
                out.writeUTF(name);
            }
            out.writeInt(classes.length);
            for (double c : classes) {
                out.writeDouble(c);
            }
            final byte[] proto = model.serialize().toByteArray();
            out.writeInt(proto.length);
            out.write(proto);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Reads a model written by {@link #toBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are not such a model, saying why
     */
    static TribuoModel fromBytes(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new IllegalArgumentException("not a chimera Tribuo model (no CTRB header)");
            }
            final int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("Tribuo model format version " + version + " (expected: "
                                                   + VERSION + ')');
            }
            final int cols = in.readInt();
            if (cols <= 0 || cols > bytes.length) {
                throw new IllegalArgumentException("Tribuo model: " + cols + " features");
            }
            final List<String> columns = new ArrayList<>(cols);
            for (int i = 0; i < cols; i++) {
                columns.add(in.readUTF());
            }
            final int k = in.readInt();
            if (k < 0 || k > bytes.length) {
                throw new IllegalArgumentException("Tribuo model: " + k + " classes");
            }
            final double[] classes = new double[k];
            for (int i = 0; i < k; i++) {
                classes[i] = in.readDouble();
            }
            final int length = in.readInt();
            if (length <= 0 || length > in.available()) {
                throw new IllegalArgumentException("Tribuo model: " + length + " bytes of model announced, "
                                                   + in.available() + " present");
            }
            final Model<?> model = Model.deserialize(ModelProto.parseFrom(in.readNBytes(length)));
            final TribuoModel read = new TribuoModel(model, columns, classes);
            if (!Arrays.equals(read.classes, classes)) {
                throw new IllegalArgumentException("Tribuo model: classes " + Arrays.toString(classes)
                                                   + " but the model knows " + Arrays.toString(read.classes));
            }
            return read;
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("Tribuo model: not a Tribuo ModelProto: " + e.getMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("Tribuo model: truncated (" + e + ')');
        } catch (RuntimeException e) {
            if (e instanceof IllegalArgumentException) {
                throw e;
            }
            throw new IllegalArgumentException("Tribuo model: cannot be read back: " + e);
        }
    }

    @Override
    public String toString() {
        return "TribuoModel{" + model.getClass().getSimpleName() + ", " + names.length + " features"
               + (classes.length > 0 ? ", classes " + Arrays.toString(classes) : "") + '}';
    }
}

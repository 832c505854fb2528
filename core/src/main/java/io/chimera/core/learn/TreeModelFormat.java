package io.chimera.core.learn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes and reads the binary form of a {@link DecisionTreeModel}, laid out as documented on
 * {@link DecisionTreeModel#toBytes()}. Reading checks everything a model relies on, so that bad bytes fail
 * here with a clear message rather than later in {@code predict}.
 */
final class TreeModelFormat {

    /** "CHTR": chimera tree. */
    private static final int MAGIC = 0x43485452;
    private static final short VERSION = 1;
    private static final byte REGRESSOR = 0;
    private static final byte CLASSIFIER = 1;
    /** The size of a node without its values. */
    private static final int NODE_BYTES = 4 + 8 + 4 + 4 + 4 + 8;

    static byte[] write(DecisionTreeModel model) {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            final double[] classes = model.classes();
            out.writeInt(MAGIC);
            out.writeShort(VERSION);
            out.writeByte(classes.length > 0 ? CLASSIFIER : REGRESSOR);
            out.writeInt(model.featureCount());
            for (String name : model.featureNames()) {
                out.writeUTF(name);
            }
            out.writeInt(classes.length);
            for (double label : classes) {
                out.writeDouble(label);
            }
            out.writeInt(model.nodeCount());
            for (int node = 0; node < model.nodeCount(); node++) {
                out.writeInt(model.feature(node));
                out.writeDouble(model.threshold(node));
                out.writeInt(model.left(node));
                out.writeInt(model.right(node));
                out.writeInt(model.samples(node));
                out.writeDouble(model.impurity(node));
                for (double v : model.value(node)) {
                    out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // A ByteArrayOutputStream does not fail.
        }
        return bytes.toByteArray();
    }

    static DecisionTreeModel read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            final int magic = in.readInt();
            if (magic != MAGIC) {
                throw invalid("magic " + Integer.toHexString(magic) + " (expected: " +
                              Integer.toHexString(MAGIC) + ", a chimera decision tree)");
            }
            final short version = in.readShort();
            if (version != VERSION) {
                throw invalid("version " + version + " (expected: " + VERSION + ')');
            }
            final byte kind = in.readByte();
            if (kind != REGRESSOR && kind != CLASSIFIER) {
                throw invalid("kind " + kind + " (expected: " + REGRESSOR + " or " + CLASSIFIER + ')');
            }
            final List<String> featureNames = readFeatureNames(in);
            final double[] classes = readClasses(in, kind);
            final NodeTable nodes = readNodes(in, featureNames.size(), Math.max(classes.length, 1));
            if (in.available() > 0) {
                throw invalid(in.available() + " bytes after the last node");
            }
            return new DecisionTreeModel(featureNames, classes, nodes);
        } catch (EOFException e) {
            throw invalid("truncated after " + bytes.length + " bytes");
        } catch (IOException e) {
            throw invalid(e.toString());
        }
    }

    private static List<String> readFeatureNames(DataInputStream in) throws IOException {
        final int count = readCount(in, "feature count", 2);
        final List<String> names = new ArrayList<>(count);
        final Set<String> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            final String name = in.readUTF();
            if (!seen.add(name)) {
                throw invalid("duplicate feature name '" + name + '\'');
            }
            names.add(name);
        }
        return names;
    }

    private static double[] readClasses(DataInputStream in, byte kind) throws IOException {
        final int count = readCount(in, "class count", Double.BYTES);
        if ((kind == CLASSIFIER) != (count > 0)) {
            throw invalid("class count " + count + " for kind " + kind +
                          " (expected: > 0 for a classifier, 0 for a regressor)");
        }
        final double[] classes = new double[count];
        for (int i = 0; i < count; i++) {
            classes[i] = in.readDouble();
            if (!Double.isFinite(classes[i]) || i > 0 && classes[i] <= classes[i - 1]) {
                throw invalid("class labels " + classes[i] + " (expected: finite and ascending)");
            }
        }
        return classes;
    }

    private static NodeTable readNodes(DataInputStream in, int featureCount, int valueWidth) throws IOException {
        final int count = readCount(in, "node count", NODE_BYTES + valueWidth * Double.BYTES);
        if (count == 0) {
            throw invalid("node count 0 (expected: > 0)");
        }
        final NodeTable nodes = new NodeTable(valueWidth);
        final boolean[] hasParent = new boolean[count];
        final double[] value = new double[valueWidth];
        for (int node = 0; node < count; node++) {
            final int feature = in.readInt();
            final double threshold = in.readDouble();
            final int left = in.readInt();
            final int right = in.readInt();
            final int samples = in.readInt();
            final double impurity = in.readDouble();
            for (int i = 0; i < valueWidth; i++) {
                value[i] = in.readDouble();
                if (!Double.isFinite(value[i])) {
                    throw invalid("node " + node + ": value " + value[i] + " (expected: finite)");
                }
            }
            if (samples < 0 || !Double.isFinite(impurity)) {
                throw invalid("node " + node + ": samples " + samples + ", impurity " + impurity +
                              " (expected: >= 0 and finite)");
            }
            nodes.addLeaf(samples, impurity, value);
            if (feature == -1 && left == -1 && right == -1) {
                continue;
            }
            if (feature < 0 || feature >= featureCount || !Double.isFinite(threshold)) {
                throw invalid("node " + node + ": feature " + feature + ", threshold " + threshold +
                              " (expected: -1 for a leaf, or in [0, " + featureCount + ") with a finite threshold)");
            }
            for (int child : new int[] { left, right }) {
                if (child <= node || child >= count || hasParent[child]) {
                    throw invalid("node " + node + ": child " + child + " (expected: a node after it in [" +
                                  (node + 1) + ", " + count + ") without another parent)");
                }
                hasParent[child] = true;
            }
            nodes.setSplit(node, feature, threshold, left, right);
        }
        for (int node = 1; node < count; node++) {
            if (!hasParent[node]) {
                throw invalid("node " + node + " is not reachable from the root");
            }
        }
        return nodes;
    }

    /** Reads a count and checks that the remaining bytes can hold that many items of {@code minBytes}. */
    private static int readCount(DataInputStream in, String what, int minBytes) throws IOException {
        final int count = in.readInt();
        if (count < 0 || (long) count * minBytes > in.available()) {
            throw invalid(what + ' ' + count + " (expected: >= 0 and fitting the remaining " + in.available() +
                          " bytes)");
        }
        return count;
    }

    private static IllegalArgumentException invalid(String problem) {
        return new IllegalArgumentException("Invalid decision tree bytes: " + problem);
    }

    private TreeModelFormat() {}
}

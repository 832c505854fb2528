package io.chimera.core.learn;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@link ModelFormat}s this classpath can read: the built-in {@value #DECISION_TREE} and every format
 * registered as a service ({@code META-INF/services/io.chimera.core.learn.ModelFormat}).
 */
public final class ModelFormats {

    /** The format of {@link DecisionTreeModel}, laid out as documented on {@link DecisionTreeModel#toBytes()}. */
    public static final String DECISION_TREE = "decision_tree";

    private static final Map<String, ModelFormat> FORMATS = load();

    private static Map<String, ModelFormat> load() {
        final Map<String, ModelFormat> formats = new LinkedHashMap<>();
        formats.put(DECISION_TREE, new ModelFormat() {
            @Override
            public String name() {
                return DECISION_TREE;
            }

            @Override
            public FittedModel read(byte[] bytes) {
                return DecisionTreeModel.fromBytes(bytes);
            }
        });
        for (ModelFormat f : ServiceLoader.load(ModelFormat.class, ModelFormats.class.getClassLoader())) {
            // The first registration of a name wins, so a service cannot replace the built-in trees.
            formats.putIfAbsent(f.name(), f);
        }
        return Collections.unmodifiableMap(formats);
    }

    /** Returns the names of the formats this classpath reads, the built-in one first. */
    public static List<String> names() {
        return List.copyOf(FORMATS.keySet());
    }

    /** Returns whether this classpath reads the format called {@code name}. */
    public static boolean isKnown(String name) {
        return FORMATS.containsKey(requireNonNull(name, "name"));
    }

    /**
     * Reads a model of the format called {@code name}.
     *
     * @throws IllegalArgumentException if the format is unknown (the message lists the known ones) or the bytes
     *         are not a valid model of it
     */
    public static FittedModel read(String name, byte[] bytes) {
        requireNonNull(name, "name");
        requireNonNull(bytes, "bytes");
        final ModelFormat format = FORMATS.get(name);
        if (format == null) {
            throw new IllegalArgumentException("model format '" + name + "' (expected: one of " + names()
                                               + "; a custom format is registered in META-INF/services/"
                                               + ModelFormat.class.getName() + ')');
        }
        final FittedModel model = format.read(bytes);
        if (model == null) {
            throw new IllegalArgumentException("model format '" + name + "' read no model");
        }
        return model;
    }

    private ModelFormats() {}
}

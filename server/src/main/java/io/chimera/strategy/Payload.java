package io.chimera.strategy;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import io.chimera.common.ChimeraException;
import io.chimera.proto.v1.Tensor;

/**
 * What a strategy's master and workers send each other: named tensors of doubles, named scalars and named texts,
 * carried as the typed protobuf message {@code chimera.v1.Payload} (REST shows it as JSON; gRPC sends it as
 * binary protobuf, 8 bytes a double). Immutable.
 *
 * <pre>{@code
 * Payload request = Payload.builder().vector("weights", w).scalar("epochs", 5).text("loss", "log_loss").build();
 * double[] weights = request.vector("weights");
 * }</pre>
 *
 * A getter asked for a name the payload does not hold throws a 400 {@link ChimeraException} naming what it does
 * hold, so that a worker given a wrong payload answers the caller's mistake, not an internal error; in a worker's
 * answer ({@link StrategyFit.Reply#payload()}) it is a 502 {@code WorkerError} naming the worker.
 */
public final class Payload {

    private static final Payload EMPTY = new Payload(io.chimera.proto.v1.Payload.getDefaultInstance());

    /** An empty payload: what a step that needs no input gets, or answers. */
    public static Payload empty() {
        return EMPTY;
    }

    /** A new builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The payload a protobuf message holds. */
    public static Payload fromProto(io.chimera.proto.v1.Payload proto) {
        return new Payload(requireNonNull(proto, "proto"));
    }

    /** What a worker answered, for the errors of a getter: the worker, not the caller, got it wrong. */
    static Payload fromWorker(io.chimera.proto.v1.Payload proto, String worker) {
        return new Payload(requireNonNull(proto, "proto"), requireNonNull(worker, "worker"));
    }

    private final io.chimera.proto.v1.Payload proto;
    /** The worker that answered it; null for what a caller sent. */
    private final String worker;

    private Payload(io.chimera.proto.v1.Payload proto) {
        this(proto, null);
    }

    private Payload(io.chimera.proto.v1.Payload proto, String worker) {
        this.proto = proto;
        this.worker = worker;
    }

    /** The protobuf message. */
    public io.chimera.proto.v1.Payload toProto() {
        return proto;
    }

    /** Whether it holds a tensor, a scalar, a text or a list of texts named {@code name}. */
    public boolean has(String name) {
        return proto.containsTensors(name) || proto.containsScalars(name) || proto.containsTexts(name)
               || proto.containsTextLists(name);
    }

    /** The values of the tensor {@code name}, row-major. */
    public double[] vector(String name) {
        final Tensor t = tensor(name);
        final double[] out = new double[t.getValuesCount()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.getValues(i);
        }
        return out;
    }

    /** The shape of the tensor {@code name}; a vector's is {@code [length]}. */
    public long[] shape(String name) {
        final Tensor t = tensor(name);
        if (t.getShapeCount() == 0) {
            return new long[] { t.getValuesCount() };
        }
        return t.getShapeList().stream().mapToLong(Long::longValue).toArray();
    }

    /** The scalar {@code name}. */
    public double scalar(String name) {
        if (!proto.containsScalars(name)) {
            throw missing("scalar", name);
        }
        return proto.getScalarsOrThrow(name);
    }

    /** The scalar {@code name}, or {@code otherwise} when there is none. */
    public double scalar(String name, double otherwise) {
        return proto.getScalarsOrDefault(name, otherwise);
    }

    /** The text {@code name}. */
    public String text(String name) {
        if (!proto.containsTexts(name)) {
            throw missing("text", name);
        }
        return proto.getTextsOrThrow(name);
    }

    /** The text {@code name}, or {@code otherwise} when there is none. */
    public String text(String name, String otherwise) {
        return proto.getTextsOrDefault(name, otherwise);
    }

    /** The list of texts {@code name}. */
    public List<String> texts(String name) {
        if (!proto.containsTextLists(name)) {
            throw missing("list of texts", name);
        }
        return List.copyOf(proto.getTextListsOrThrow(name).getValuesList());
    }

    /** The names of its tensors, scalars, texts and lists of texts, sorted. */
    public List<String> names() {
        final TreeSet<String> names = new TreeSet<>(proto.getTensorsMap().keySet());
        names.addAll(proto.getScalarsMap().keySet());
        names.addAll(proto.getTextsMap().keySet());
        names.addAll(proto.getTextListsMap().keySet());
        return List.copyOf(names);
    }

    /** The size of its protobuf encoding, in bytes: what it weighs on the wire over gRPC. */
    public int bytes() {
        return proto.getSerializedSize();
    }

    /** A builder holding this payload's entries, to add or replace some. */
    public Builder toBuilder() {
        return new Builder(proto.toBuilder());
    }

    private Tensor tensor(String name) {
        final Tensor t = proto.getTensorsMap().get(requireNonNull(name, "name"));
        if (t == null) {
            throw missing("tensor", name);
        }
        return t;
    }

    private ChimeraException missing(String what, String name) {
        final String holds = " (it holds: " + (names().isEmpty() ? "nothing" : String.join(", ", names())) + ')';
        if (worker != null) {
            // The caller's request was fine: a worker answered less than its master expects.
            return new ChimeraException(502, "WorkerError", "worker " + worker + " answered a payload with no "
                                                            + what + " '" + name + '\'' + holds);
        }
        return ChimeraException.badRequest("the payload has no " + what + " '" + name + '\'' + holds);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Payload && ((Payload) o).proto.equals(proto);
    }

    @Override
    public int hashCode() {
        return proto.hashCode();
    }

    @Override
    public String toString() {
        final StringBuilder b = new StringBuilder("Payload{");
        String sep = "";
        for (Map.Entry<String, Tensor> e : new java.util.TreeMap<>(proto.getTensorsMap()).entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue().getValuesCount()).append(" values");
            sep = ", ";
        }
        for (Map.Entry<String, Double> e : new java.util.TreeMap<>(proto.getScalarsMap()).entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(proto.getTextsMap()).entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ", ";
        }
        return b.append('}').toString();
    }

    /** Builds a {@link Payload}. */
    public static final class Builder {
        private final io.chimera.proto.v1.Payload.Builder proto;

        Builder() {
            this(io.chimera.proto.v1.Payload.newBuilder());
        }

        Builder(io.chimera.proto.v1.Payload.Builder proto) {
            this.proto = proto;
        }

        /** Adds (or replaces) the vector {@code name}. */
        public Builder vector(String name, double... values) {
            requireNonNull(values, "values");
            final Tensor.Builder t = Tensor.newBuilder();
            for (double v : values) {
                t.addValues(v);
            }
            proto.putTensors(requireNonNull(name, "name"), t.build());
            return this;
        }

        /**
         * Adds (or replaces) the tensor {@code name} of the given shape, its values row-major.
         *
         * @throws IllegalArgumentException when the shape does not hold as many values
         */
        public Builder tensor(String name, double[] values, long... shape) {
            requireNonNull(values, "values");
            long size = 1;
            for (long s : shape) {
                if (s < 0) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " (expected: >= 0)");
                }
                size *= s;
            }
            if (size != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size
                                                   + " values, not " + values.length);
            }
            final Tensor.Builder t = Tensor.newBuilder();
            for (long s : shape) {
                t.addShape(s);
            }
            for (double v : values) {
                t.addValues(v);
            }
            proto.putTensors(requireNonNull(name, "name"), t.build());
            return this;
        }

        /** Adds (or replaces) the scalar {@code name}. */
        public Builder scalar(String name, double value) {
            proto.putScalars(requireNonNull(name, "name"), value);
            return this;
        }

        /** Adds (or replaces) the text {@code name}. */
        public Builder text(String name, String value) {
            proto.putTexts(requireNonNull(name, "name"), requireNonNull(value, "value"));
            return this;
        }

        /** Adds (or replaces) the list of texts {@code name}. */
        public Builder texts(String name, List<String> values) {
            proto.putTextLists(requireNonNull(name, "name"),
                               io.chimera.proto.v1.TextList.newBuilder().addAllValues(values).build());
            return this;
        }

        public Payload build() {
            return new Payload(proto.build());
        }
    }
}

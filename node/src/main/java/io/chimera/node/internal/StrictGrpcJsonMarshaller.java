package io.chimera.node.internal;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.google.protobuf.InvalidProtocolBufferException;
import com.linecorp.armeria.common.grpc.GrpcJsonMarshaller;

import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.ServiceDescriptor;

/**
 * The JSON marshaller of every node's gRPC services, which REST bodies go through too. A field the message
 * does not have is an error (Armeria's default ignores it), and whatever goes wrong reading a request is an
 * {@link InvalidProtocolBufferException}, so the caller gets a 400: protobuf-jackson lets a
 * {@link NumberFormatException} out for {@code "step": "x"}, which would otherwise be answered as our fault.
 */
public final class StrictGrpcJsonMarshaller implements GrpcJsonMarshaller {

    /** The marshaller for the messages of {@code service}. */
    public static GrpcJsonMarshaller of(ServiceDescriptor service) {
        return new StrictGrpcJsonMarshaller(
                GrpcJsonMarshaller.builder().jsonMarshallerCustomizer(b -> b.ignoringUnknownFields(false))
                                  .build(service));
    }

    private final GrpcJsonMarshaller delegate;

    private StrictGrpcJsonMarshaller(GrpcJsonMarshaller delegate) {
        this.delegate = requireNonNull(delegate, "delegate");
    }

    @Override
    public <T> void serializeMessage(Marshaller<T> marshaller, T message, OutputStream os) throws IOException {
        delegate.serializeMessage(marshaller, message, os);
    }

    @Override
    public <T> T deserializeMessage(Marshaller<T> marshaller, InputStream is) throws IOException {
        try {
            return delegate.deserializeMessage(marshaller, is);
        } catch (RuntimeException e) {
            final InvalidProtocolBufferException invalid = new InvalidProtocolBufferException(
                    e instanceof NumberFormatException ? "a number field holds a value that is not a number ("
                                                         + e.getMessage() + ')' : e.toString());
            invalid.initCause(e);
            throw invalid;
        }
    }
}

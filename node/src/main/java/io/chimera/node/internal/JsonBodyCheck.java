package io.chimera.node.internal;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.chimera.common.ChimeraException;

/**
 * Reads a REST request's JSON body once, as a stream of tokens, before the transcoder does, to refuse what
 * the transcoder lets through or words in Jackson's terms: content after the JSON value
 * ({@code {...} x}, {@code {...}}}), a key given twice (the last one would silently win), and a body that is
 * not a JSON object. A 400 {@value ChimeraException#VALIDATION_ERROR} names the problem and where it is. An
 * empty body passes: the transcoder reads it as {@code {}}.
 */
public final class JsonBodyCheck implements DecoratingHttpServiceFunction {

    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** The problem with a JSON request body, or null when it is one JSON object (or empty). */
    static String problem(HttpData body) {
        if (body.isEmpty()) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(body.array())) {
            final JsonToken first;
            try {
                first = parser.nextToken();
                if (first == JsonToken.START_OBJECT) {
                    parser.skipChildren();
                }
            } catch (IOException e) {
                return "malformed JSON: " + ErrorMapping.describe(e);
            }
            if (first == null) {
                return "the body is blank (expected: a JSON object, or no body)";
            }
            if (first != JsonToken.START_OBJECT) {
                return "the body must be a JSON object ({...}), not " + kind(first);
            }
            final JsonLocation end = parser.currentLocation();
            boolean trailing;
            try {
                trailing = parser.nextToken() != null;
            } catch (IOException e) {
                trailing = true;
            }
            return trailing ? "malformed JSON: unexpected content after the JSON object (line " + end.getLineNr()
                              + ", column " + end.getColumnNr() + ')' : null;
        } catch (IOException e) {
            return "malformed JSON: " + ErrorMapping.describe(e);
        }
    }

    /** Whether {@code type} has no charset, or UTF-8 (any spelling of it). */
    static boolean isUtf8(MediaType type) {
        final String charset = type.parameters().containsKey("charset")
                               ? String.join("", type.parameters().get("charset")) : null;
        return charset == null || charset.replace("\"", "").trim().equalsIgnoreCase("utf-8")
               || charset.replace("\"", "").trim().equalsIgnoreCase("utf8");
    }

    private static String kind(JsonToken token) {
        switch (token) {
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.asString() != null ? token.asString() : token.name();
        }
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
        final MediaType contentType = req.contentType();
        if (contentType == null || !contentType.isJson() || GrpcPathGuard.isGrpc(contentType)) {
            return serveOrFail(delegate, ctx, req);
        }
        if (!isUtf8(contentType)) {
            // JSON is UTF-8 (RFC 8259); a body in another charset would be read wrong, so it is refused.
            return ErrorResponses.toResponse(415, "UnsupportedMediaTypeError", "Content-Type: " + contentType
                                             + " (expected: application/json in UTF-8, the charset JSON uses)")
                                 .toHttpResponse();
        }
        return HttpResponse.of(req.aggregate().thenApply(body -> {
            final String problem = problem(body.content());
            if (problem != null) {
                return ErrorResponses.toResponse(ChimeraException.badRequest(problem)).toHttpResponse();
            }
            return serveOrFail(delegate, ctx, body.toHttpRequest());
        }));
    }

    private static HttpResponse serveOrFail(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) {
        try {
            return delegate.serve(ctx, req);
        } catch (Exception e) {
            return HttpResponse.ofFailure(e);
        }
    }
}

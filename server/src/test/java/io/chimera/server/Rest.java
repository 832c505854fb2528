package io.chimera.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.chimera.core.data.Dataset;

/** Plain HTTP calls as a user's client makes them (HTTP/1.1, JSON). */
final class Rest {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    static HttpResponse<String> post(String url, String json) {
        return post(url, json, null);
    }

    /** A POST with {@code Authorization: Bearer <token>} (a worker of a run takes the run's secret only). */
    static HttpResponse<String> post(String url, String json, String token) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (json == null) {
            b.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return send(b.build());
    }

    static HttpResponse<String> get(String url) {
        return get(url, null);
    }

    static HttpResponse<String> get(String url, String token) {
        final HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest req) {
        try {
            return HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(req.uri() + ": " + e, e);
        }
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }

    /** chimera's predict body for all rows of {@code data}. */
    static String predictBody(Dataset data) {
        final ObjectNode body = JSON.createObjectNode();
        final ArrayNode columns = body.putArray("X_pred_columns");
        data.featureNames().forEach(columns::add);
        final ArrayNode rows = body.putArray("X_pred_rows");
        for (int r = 0; r < data.rows(); r++) {
            final ArrayNode row = rows.addArray();
            for (int c = 0; c < data.cols(); c++) {
                row.add(data.feature(r, c));
            }
        }
        return body.toString();
    }

    static double[] doubles(JsonNode array) {
        final double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    private Rest() {}
}

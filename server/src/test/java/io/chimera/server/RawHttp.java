package io.chimera.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** A minimal HTTP/1.1 response reader for tests that write requests byte by byte on a socket. */
final class RawHttp {

    /** The status line, the headers (names lower-cased) and the body of one response. */
    static final class Response {
        final String statusLine;
        final Map<String, String> headers;
        final String body;

        Response(String statusLine, Map<String, String> headers, String body) {
            this.statusLine = statusLine;
            this.headers = headers;
            this.body = body;
        }

        int status() {
            return Integer.parseInt(statusLine.split(" ")[1]);
        }
    }

    /** Reads one response: status line, headers and body (Content-Length or chunked). */
    static Response read(InputStream in) throws IOException {
        final String status = line(in);
        final Map<String, String> headers = new HashMap<>();
        for (String h; !(h = line(in)).isEmpty();) {
            final int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.getOrDefault("transfer-encoding", "").contains("chunked")) {
            for (int n; (n = Integer.parseInt(line(in).trim(), 16)) > 0;) {
                body.write(in.readNBytes(n));
                line(in);
            }
            line(in);
        } else {
            body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        final StringBuilder sb = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n';) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private RawHttp() {}
}

package io.chimera.observe.internal;

import java.util.Set;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.HttpService;

import io.chimera.common.ChimeraPaths;
import io.chimera.node.NodeServerBuilder;

/**
 * A master's dashboard: one HTML page with its script and style sheet, served from the jar (no CDN, no build
 * step), at {@code /dashboard}; {@code /} and {@code /dashboard/} redirect there. The page draws with SVG from
 * {@code /v1/chimera/status}, {@code /v1/chimera/latencies} and the parameter server's history.
 */
public final class Dashboard {

    private static final String RESOURCES = "/io/chimera/observe/internal/dashboard/";

    /** The dashboard's page and files, which a master with an API token serves to anyone (they hold no data). */
    public static final Set<String> PAGES = Set.of("/", ChimeraPaths.DASHBOARD + '/', ChimeraPaths.DASHBOARD,
                                                   ChimeraPaths.DASHBOARD + "/dashboard.js",
                                                   ChimeraPaths.DASHBOARD + "/dashboard.css");

    /** Adds the dashboard's routes to a master's server. */
    public static void addTo(NodeServerBuilder server) {
        server.route("/", redirect(ChimeraPaths.DASHBOARD));
        server.route(ChimeraPaths.DASHBOARD + '/', redirect(ChimeraPaths.DASHBOARD));
        server.route(ChimeraPaths.DASHBOARD, resource("index.html", MediaType.HTML_UTF_8));
        server.route(ChimeraPaths.DASHBOARD + "/dashboard.js", resource("dashboard.js", MediaType.JAVASCRIPT_UTF_8));
        server.route(ChimeraPaths.DASHBOARD + "/dashboard.css", resource("dashboard.css", MediaType.CSS_UTF_8));
    }

    private static HttpService redirect(String location) {
        return (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.TEMPORARY_REDIRECT)
                                                            .add(HttpHeaderNames.LOCATION, location).build());
    }

    private static HttpService resource(String name, MediaType type) {
        final byte[] content;
        try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the classpath");
            }
            content = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard's " + name, e);
        }
        return (ctx, req) -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(type)
                                                            .add(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                                                            .build(),
                                             HttpData.wrap(content));
    }

    private Dashboard() {}
}

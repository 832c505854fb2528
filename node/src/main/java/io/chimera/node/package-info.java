/**
 * Serving a chimera node: one Armeria server with the node's gRPC services, the same services as REST through
 * HTTP/JSON transcoding of their {@code google.api.http} routes, DocService at {@code /docs}, a health route,
 * and chimera's error body for every failure.
 */
package io.chimera.node;

package io.chimera.runtime.docker.internal;

import java.time.Duration;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;

/**
 * Connects to the Docker daemon the way the {@code docker} command does: {@code DOCKER_HOST}, else the local
 * socket {@code unix:///var/run/docker.sock}, with no API version pinned.
 */
public final class DockerClients {

    /** How long {@link #answers()} waits for the daemon. */
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);

    /**
     * Returns a client with no response timeout (container log streams stay open for the containers' lives);
     * calls that must not wait forever give their own.
     */
    public static DockerClient create() {
        return create(null);
    }

    /** Returns where the daemon is looked for, e.g. {@code unix:///var/run/docker.sock}. */
    public static String host() {
        return config().getDockerHost().toString();
    }

    /** Returns whether a Docker daemon answers a ping within 2 s. */
    public static boolean answers() {
        try (DockerClient client = create(PING_TIMEOUT)) {
            client.pingCmd().exec();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** Returns whether the daemon answers within 2 s and has {@code image} locally. */
    public static boolean hasImage(String image) {
        try (DockerClient client = create(PING_TIMEOUT)) {
            client.inspectImageCmd(image).exec();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static DockerClient create(Duration responseTimeout) {
        final DockerClientConfig config = config();
        final ApacheDockerHttpClient.Builder http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .maxConnections(64)
                .connectionTimeout(PING_TIMEOUT);
        if (responseTimeout != null) {
            http.responseTimeout(responseTimeout);
        }
        return DockerClientImpl.getInstance(config, http.build());
    }

    private static DockerClientConfig config() {
        return DefaultDockerClientConfig.createDefaultConfigBuilder().build();
    }

    private DockerClients() {}
}

package io.chimera.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;

import io.chimera.runtime.docker.DockerWorkerRuntime;
import io.chimera.runtime.docker.internal.RunIdentity;

/**
 * The Docker tests' fixture: with {@code CI=true} they must run, so a missing daemon fails them; elsewhere
 * they are skipped with a message. Makes sure the offline base image exists (building it with
 * {@code docker/build-base-image.sh} if needed) and gives the tests Testcontainers' Docker client to look at
 * what the runtime created.
 */
final class DockerSupport implements BeforeAllCallback {

    /** The base image the tests build workers on: {@code CHIMERA_DOCKER_BASE_IMAGE}, else the offline one. */
    static final String BASE_IMAGE = System.getenv().getOrDefault("CHIMERA_DOCKER_BASE_IMAGE", "chimera/jre:17");

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        final boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            final String why = "no Docker daemon answers (start dockerd, or see docs/docker.md)";
            if (ci) {
                throw new IllegalStateException("CI=true requires the Docker end-to-end tests to run, but " + why);
            }
            Assumptions.abort("Docker end-to-end tests skipped: " + why);
        }
        if (!hasImage(BASE_IMAGE) || isOlderOfflineImage(BASE_IMAGE)) {
            buildBaseImage();
        }
    }

    static DockerClient docker() {
        return DockerClientFactory.instance().client();
    }

    static boolean hasImage(String image) {
        try {
            docker().inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    /**
     * Whether {@code image} is chimera's offline base image built by an older docker/build-base-image.sh (its
     * {@code io.chimera.base-image-version} label below {@value #BASE_IMAGE_VERSION}); another image is used as it is.
     */
    static boolean isOlderOfflineImage(String image) {
        final Map<String, String> labels = docker().inspectImageCmd(image).exec().getConfig().getLabels();
        if (labels == null || !"true".equals(labels.get("io.chimera.base-image"))) {
            return false;
        }
        final String version = labels.get("io.chimera.base-image-version");
        return version == null || Integer.parseInt(version) < BASE_IMAGE_VERSION;
    }

    /** The base_image_version of docker/build-base-image.sh: 2 holds the OpenMP library XGBoost links. */
    static final int BASE_IMAGE_VERSION = 2;

    /** Containers chimera created (its label) for the project in {@code project}, of the workers {@code names}. */
    static List<Container> chimeraContainers(Path project, List<String> names) {
        return docker().listContainersCmd().withShowAll(true)
                       .withLabelFilter(Map.of(DockerWorkerRuntime.MANAGED_LABEL, "true",
                                               RunIdentity.PROJECT_LABEL, project.toAbsolutePath().normalize()
                                                                                 .toString())).exec().stream()
                       .filter(c -> names.contains(c.getLabels().get(DockerWorkerRuntime.WORKER_LABEL)))
                       .collect(Collectors.toList());
    }

    /** The container of worker {@code name} of the project in {@code project}. */
    static InspectContainerResponse container(Path project, String name) {
        final List<Container> found = chimeraContainers(project, List.of(name));
        assertThat(found).as("the container of worker " + name).hasSize(1);
        return docker().inspectContainerCmd(found.get(0).getId()).exec();
    }

    static List<Network> networks(String name) {
        return docker().listNetworksCmd().withNameFilter(name).exec().stream()
                       .filter(n -> n.getName().equals(name)).collect(Collectors.toList());
    }

    static List<Image> images(String repository) {
        return DockerImages.of(docker(), repository);
    }

    /**
     * Removes every image of {@code repository} (the tests' own): the per-worker images first, then the shared
     * ones they are built on.
     */
    static void removeImages(String repository) {
        DockerImages.remove(docker(), repository);
        assertThat(images(repository)).as("images of " + repository + " left behind").isEmpty();
    }

    private static void buildBaseImage() throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isRegularFile(root.resolve("docker/build-base-image.sh"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("docker/build-base-image.sh not found above "
                                            + Path.of("").toAbsolutePath());
        }
        final Path log = Files.createTempFile("chimera-base-image", ".log");
        final Process p = new ProcessBuilder("bash", "docker/build-base-image.sh", BASE_IMAGE)
                .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("building the base image " + BASE_IMAGE + " failed:\n" +
                                            Files.readString(log, StandardCharsets.UTF_8));
        }
    }
}

package io.chimera.server;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;

/** The worker images a test or a benchmark built under its own repository name, to look at and to remove. */
final class DockerImages {

    /** Every image with a tag of {@code repository}. */
    static List<Image> of(DockerClient docker, String repository) {
        return docker.listImagesCmd().withShowAll(true).exec().stream()
                     .filter(i -> i.getRepoTags() != null &&
                                  Stream.of(i.getRepoTags()).anyMatch(t -> t.startsWith(repository + ':')))
                     .collect(Collectors.toList());
    }

    /** Removes every image of {@code repository}: the per-worker images first, then the shared ones under them. */
    static void remove(DockerClient docker, String repository) {
        final List<Image> images = new ArrayList<>(of(docker, repository));
        images.sort(Comparator.comparing(i -> Stream.of(i.getRepoTags()).anyMatch(t -> t.contains(":shared-"))));
        for (Image image : images) {
            try {
                docker.removeImageCmd(image.getId()).withForce(true).exec();
            } catch (NotFoundException e) {
                // Removed with another tag already.
            }
        }
    }

    private DockerImages() {}
}

# The shared worker image: what every worker container of one chimera project has in common. The docker
# runtime fills the build context and builds it once per change of classpath or worker code; N workers
# share its layers. A base image without a shell (docker/build-base-image.sh) is enough: only COPY here.
ARG CHIMERA_BASE_IMAGE=eclipse-temurin:17-jre
FROM ${CHIMERA_BASE_IMAGE}
# The master's classpath: chimera's jars and the user's classes (largest, changes least: its own layer).
COPY classpath/ /chimera/classpath/
# chimera_workers/: each <name>.java compiled on the host into workers/<name>/, each <name>.json as is.
COPY workers/ /chimera/workers/
WORKDIR /chimera

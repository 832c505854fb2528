#!/usr/bin/env bash
# Builds chimera's offline worker base image with no container registry: a jlink'ed JRE from the local JDK,
# the shared libraries it and PyTorch need, DJL's PyTorch native libraries already extracted, then
# `docker import`. The image has no shell and no package manager; the worker Dockerfile only COPYs into it.
#
#   docker/build-base-image.sh [IMAGE]        # IMAGE defaults to chimera/jre:17
#
# Then run workers on it with CHIMERA_DOCKER_BASE_IMAGE=chimera/jre:17 (see docs/docker.md).
# Environment: JAVA_HOME (default: the JDK of `javac` on the PATH), MAVEN_REPO (default ~/.m2/repository).
set -euo pipefail
cd "$(dirname "$0")/.."

image="${1:-chimera/jre:17}"
# Raised when the image's content changes, so that an older one is rebuilt (2: libgomp for XGBoost).
base_image_version=2
log() { printf '[base-image] %s\n' "$*"; }
die() { printf '[base-image] error: %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || die "the docker command is not installed"
docker info >/dev/null 2>&1 || die "no Docker daemon answers (start dockerd, or check DOCKER_HOST)"

if [[ -z "${JAVA_HOME:-}" ]]; then
  command -v javac >/dev/null || die "no JDK: set JAVA_HOME or put javac on the PATH"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
fi
[[ -x "$JAVA_HOME/bin/jlink" ]] || die "$JAVA_HOME has no bin/jlink: JAVA_HOME must be a JDK"
java_version="$("$JAVA_HOME/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"

# The DJL and PyTorch versions the workers SDK is built with, read from the parent pom.
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" pom.xml | sed -n 1p; }
djl_version="$(pom_property djl.version)"
pytorch_version="$(pom_property pytorch.version)"
[[ -n "$djl_version" && -n "$pytorch_version" ]] || die "cannot read djl.version and pytorch.version from pom.xml"

repo="${MAVEN_REPO:-$HOME/.m2/repository}"
native_jar="$repo/ai/djl/pytorch/pytorch-native-cpu/$pytorch_version/pytorch-native-cpu-$pytorch_version-linux-x86_64.jar"
jni_jar="$repo/ai/djl/pytorch/pytorch-jni/$pytorch_version-$djl_version/pytorch-jni-$pytorch_version-$djl_version.jar"
if [[ ! -f "$native_jar" || ! -f "$jni_jar" ]]; then
  log "fetching DJL's PyTorch $pytorch_version jars into $repo"
  for artifact in "ai.djl.pytorch:pytorch-native-cpu:$pytorch_version:jar:linux-x86_64" \
                  "ai.djl.pytorch:pytorch-jni:$pytorch_version-$djl_version"; do
    mvn -B -q -N -Dmaven.repo.local="$repo" dependency:get -Dtransitive=false -Dartifact="$artifact"
  done
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
mkdir -p "$root"

# 1. The JRE. java.compiler is left out: the docker runtime compiles chimera_workers/*.java on the host.
modules=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,java.desktop
modules+=,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management
log "jlink $modules from $JAVA_HOME (Java $java_version)"
"$JAVA_HOME/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
    --compress=2 --generate-cds-archive --output "$root/opt/java/openjdk"

# 2. DJL's PyTorch native libraries, laid out as DJL's cache and named by PYTORCH_LIBRARY_PATH, so that no worker
#    container extracts them again: every container shares this one read-only image layer.
(cd "$work" && "$JAVA_HOME/bin/jar" xf "$native_jar" native/lib/pytorch.properties pytorch/cpu/linux-x86_64/ \
    && "$JAVA_HOME/bin/jar" xf "$jni_jar" jnilib/linux-x86_64/cpu/libdjl_torch.so)
native_version="$(sed -n 's/^version=//p' "$work/native/lib/pytorch.properties")"
[[ -n "$native_version" ]] || die "cannot read the native version from $native_jar"
djl_dir="pytorch/$native_version-cpu-linux-x86_64"
mkdir -p "$root/opt/djl/$djl_dir"
mv "$work"/pytorch/cpu/linux-x86_64/* "$root/opt/djl/$djl_dir/"
mv "$work/jnilib/linux-x86_64/cpu/libdjl_torch.so" "$root/opt/djl/$djl_dir/$djl_version-libdjl_torch.so"

# 2b. XGBoost4J (Tribuo's XGBoost trainers) extracts its native library from its jar at run time, into /tmp; what
#     that library links against (OpenMP's libgomp) must be in the image. Only its dependencies are copied.
xgboost_version="$(pom_property xgboost4j.version)"
xgboost_jar="$repo/ml/dmlc/xgboost4j_2.12/$xgboost_version/xgboost4j_2.12-$xgboost_version.jar"
if [[ ! -f "$xgboost_jar" ]]; then
  log "fetching XGBoost4J $xgboost_version into $repo"
  mvn -B -q -N -Dmaven.repo.local="$repo" dependency:get -Dtransitive=false \
      -Dartifact="ml.dmlc:xgboost4j_2.12:$xgboost_version"
fi
mkdir -p "$work/xgboost"
(cd "$work/xgboost" && "$JAVA_HOME/bin/jar" xf "$xgboost_jar" lib/linux/x86_64/libxgboost4j.so)
[[ -f "$work/xgboost/lib/linux/x86_64/libxgboost4j.so" ]] || die "no linux-x86_64 native library in $xgboost_jar"

# 3. The shared libraries all of that links against (libc, libm, libz, libstdc++, libgomp, ..., and the loader).
libs="$( (find "$root" -type f \( -name '*.so' -o -name '*.so.*' -o -path '*/bin/*' \);
          echo "$work/xgboost/lib/linux/x86_64/libxgboost4j.so") | xargs ldd 2>/dev/null \
        | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u)"
for lib in $libs; do
  case "$lib" in "$root"/*|"$work"/*) continue ;; esac
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
[[ -n "$(find "$root" -name 'ld-linux*')" ]] || die "the dynamic loader was not found by ldd"

# 4. Users, a world-writable /tmp, and nothing else.
mkdir -p "$root/etc" "$root/tmp" "$root/chimera"
chmod 1777 "$root/tmp"
printf 'root:x:0:0:root:/root:/nonexistent\nchimera:x:1000:1000:chimera:/tmp:/nonexistent\n' > "$root/etc/passwd"
printf 'root:x:0:\nchimera:x:1000:\n' > "$root/etc/group"

size="$(du -sh "$root" | cut -f1)"
log "importing $size as $image"
tar --numeric-owner --owner=0 --group=0 -C "$root" -c . \
  | docker import \
      --change "ENV PATH=/opt/java/openjdk/bin" \
      --change "ENV JAVA_HOME=/opt/java/openjdk" \
      --change "ENV LANG=C.UTF-8" \
      --change "ENV PYTORCH_LIBRARY_PATH=/opt/djl/$djl_dir" \
      --change "ENV PYTORCH_VERSION=$pytorch_version" \
      --change "ENV PYTORCH_FLAVOR=cpu" \
      --change "ENV HOME=/tmp" \
      --change "WORKDIR /chimera" \
      --change "LABEL io.chimera.base-image=true" \
      --change "LABEL io.chimera.base-image-version=$base_image_version" \
      --change "LABEL io.chimera.java-version=$java_version" \
      --change "LABEL io.chimera.djl-pytorch=$native_version-cpu-linux-x86_64" \
      - "$image" >/dev/null
log "built $image ($(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}'))"

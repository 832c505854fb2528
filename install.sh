#!/usr/bin/env bash
# Installs chimera for Java from this clone: its modules and BOM into the local Maven repository (~/.m2), and
# the `chimera` command, laid out as bin/chimera + lib/, into $CHIMERA_INSTALL_DIR (default
# ~/.local/share/chimera). Rerun it after a `git pull` to update both.
set -euo pipefail
cd "$(dirname "$0")"

prefix="${CHIMERA_INSTALL_DIR:-$HOME/.local/share/chimera}"
if [[ -e "$prefix" && ! -x "$prefix/bin/chimera" ]]; then
  echo "install.sh: $prefix exists and is not a chimera installation; choose another with CHIMERA_INSTALL_DIR" >&2
  exit 1
fi

echo "install.sh: building and installing into the local Maven repository (the tests are command (b) of README.md)"
mvn -B -q install -DskipTests

staging="$prefix.installing"
rm -rf "$staging"
mkdir -p "$(dirname "$prefix")"
cp -R distribution/target/chimera "$staging"
rm -rf "$prefix"
mv "$staging" "$prefix"

echo "install.sh: a training run, so that projects start warm (bin/chimera-warm-up)"
"$prefix/bin/chimera-warm-up" || true

version=$("$prefix/bin/chimera" --version | sed -n 1p)
echo "install.sh: $version installed in $prefix"
if [[ ":$PATH:" != *":$prefix/bin:"* ]]; then
  echo "install.sh: put it on your PATH (add the line to ~/.bashrc to keep it):"
  echo "  export PATH=\"$prefix/bin:\$PATH\""
fi

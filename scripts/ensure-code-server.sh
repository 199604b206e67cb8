#!/usr/bin/env bash
# Installs code-server (a real VS Code workbench and Node extension host, served to a browser)
# into .cache/code-server for the end-to-end test (test/e2e). 4.100.3 is the newest release that
# runs on Node 20. Its native module builds against Debian's libkrb5-dev, and its ripgrep
# dependency, which would download a binary, takes Debian's rg from a pre-filled download cache.
# A no-op once installed. Needs root for the Debian packages; otherwise it names them and fails.
set -euo pipefail
cd "$(dirname "$0")/.."

VERSION=4.100.3
DIR=.cache/code-server
if [ -x "$DIR/node_modules/.bin/code-server" ] && [ "$(cat "$DIR/.version" 2>/dev/null)" = "$VERSION" ]; then
  exit 0
fi

need=()
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-code-server: the end-to-end test needs these Debian packages: ${need[*]} (run: sudo apt-get install -y ${need[*]})" >&2
    exit 1
  fi
  echo "ensure-code-server: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi

cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
tarball="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -f "$tarball" ]; then
  mkdir -p "$cache"
  staging="$(mktemp -d)"
  cp "$(command -v rg)" "$staging/rg"
  tar -czf "$tarball" -C "$staging" rg
  rm -rf "$staging"
fi

echo "ensure-code-server: installing code-server $VERSION into $DIR (once; about 300 MB)" >&2
mkdir -p "$DIR"
npm_config_unsafe_perm=true npm_config_yes=true npm install --prefix "$DIR" --no-audit --no-fund --loglevel=error "code-server@$VERSION" >&2
echo "$VERSION" > "$DIR/.version"

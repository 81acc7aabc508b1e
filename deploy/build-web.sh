#!/usr/bin/env bash
# Builds the web dashboard into web/dist (served by monipaikka-server with
# --web_root): installs the pinned npm packages from web/package-lock.json
# (npm ci), generates TypeScript from proto/ (protoc + protoc-gen-es),
# type-checks and bundles with esbuild. Nothing is fetched at run time.
# Skips the work when web/dist is newer than every input.
#
# Uses Debian's Node.js 18 (/usr/bin/node, package nodejs); NODE=<path>
# picks another.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
web="$root/web"
node="${NODE:-/usr/bin/node}"
if [ ! -x "$node" ]; then
  echo "build-web: $node not found; deploy/install-deps.sh installs Debian's nodejs" >&2
  exit 1
fi
major="$("$node" -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 18 ]; then
  echo "build-web: Node.js 18 or newer needed, $node is $("$node" --version)" >&2
  exit 1
fi
# npm and the tools it starts ("#!/usr/bin/env node") run on the same node.
export PATH="$(dirname "$node"):$PATH"

stamp="$web/dist/index.html"
if [ -f "$stamp" ] && [ -d "$web/node_modules" ] &&
    [ -z "$(find "$web/src" "$web/index.html" "$web/build.mjs" "$web/package-lock.json" \
      "$root/proto" -newer "$stamp" -not -path "$web/src/gen/*" -print -quit)" ]; then
  exit 0
fi

cd "$web"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "build-web: npm ci" >&2
  npm ci --no-audit --no-fund --loglevel=error
fi
rm -rf src/gen
mkdir -p src/gen
protoc --plugin=protoc-gen-es="$web/node_modules/.bin/protoc-gen-es" \
  --es_out=src/gen --es_opt=target=ts -I "$root/proto" \
  "$root"/proto/monipaikka/v1/*.proto
"$node" node_modules/typescript/bin/tsc -p tsconfig.json
"$node" build.mjs

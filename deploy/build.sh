#!/usr/bin/env bash
# Configures and builds Monipaikka into $BUILD_DIR (default: build/).
# Extra arguments go to CMake's configure step, e.g. -DMONIPAIKKA_SANITIZE=ON.
# Then builds the web dashboard into web/dist (deploy/build-web.sh; WEB=0
# skips it).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
if [ "${WEB:-1}" != "0" ]; then
  "$root/deploy/build-web.sh"
fi

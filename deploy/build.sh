#!/usr/bin/env bash
# Configures and builds Monipaikka into $BUILD_DIR (default: build/).
# Extra arguments go to CMake's configure step, e.g. -DMONIPAIKKA_SANITIZE=ON.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$root/build}"
cmake -S "$root" -B "$build_dir" -G Ninja "$@" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

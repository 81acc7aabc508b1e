#!/usr/bin/env bash
# The test command: installs what is needed, builds, and runs every test.
# Exits non-zero on any failure. .ci/run calls exactly this.
# First it checks the formatting (deploy/check-format.sh).
#
#   deploy/test.sh            the integration, browser and package tests on the
#                             Release build, then the unit tests built with clang
#                             under AddressSanitizer + UndefinedBehaviorSanitizer
#   SANITIZE=0 deploy/test.sh no sanitizer pass: the unit tests run on the
#                             Release build instead
#
# Each unit test runs once, in the pass that checks the most: its sanitizer
# build. Clang compiles that Debug build in about half GCC's time, which keeps
# the whole command within CI's time on two cores.
#   FUZZ=0 deploy/test.sh     skip the fuzz pass (deploy/fuzz.sh: every
#                             decoder and message parser under libFuzzer for
#                             FUZZ_RUNS inputs each, about a minute)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/deploy/install-deps.sh"
"$root/deploy/check-format.sh"

# Each phase's wall time goes to stderr, to see where the time goes.
phase_start=$SECONDS
phase_done() {
  echo "test.sh: $1 took $((SECONDS - phase_start)) s" >&2
  phase_start=$SECONDS
}

if [ "${SANITIZE:-1}" != "0" ]; then
  release_unit_tests=OFF
else
  release_unit_tests=ON
fi
BUILD_DIR="$root/build" "$root/deploy/build.sh" \
  -DMONIPAIKKA_BUILD_UNIT_TESTS="$release_unit_tests"
phase_done "build"
(cd "$root/build" && ctest --output-on-failure --timeout 600 -j 2)
phase_done "tests"

if [ "${SANITIZE:-1}" != "0" ]; then
  WEB=0 BUILD_DIR="$root/build-sanitize" "$root/deploy/build.sh" \
    -DMONIPAIKKA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DMONIPAIKKA_BUILD_BENCH=OFF \
    -DMONIPAIKKA_BUILD_INTEGRATION_TESTS=OFF \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
  phase_done "sanitizer build"
  (cd "$root/build-sanitize" &&
    ctest --output-on-failure --timeout 600 -j 2 -LE integration)
  phase_done "sanitizer tests"
fi

if [ "${FUZZ:-1}" != "0" ]; then
  "$root/deploy/fuzz.sh"
  phase_done "fuzz"
fi

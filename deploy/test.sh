#!/usr/bin/env bash
# The test command: installs what is needed, builds, and runs every test.
# Exits non-zero on any failure. .ci/run calls exactly this.
# First it checks the formatting (deploy/check-format.sh).
#
#   deploy/test.sh            all tests (Release), then the unit tests again
#                             under AddressSanitizer + UndefinedBehaviorSanitizer
#   SANITIZE=0 deploy/test.sh skip the sanitizer pass
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

BUILD_DIR="$root/build" "$root/deploy/build.sh"
phase_done "build"
(cd "$root/build" && ctest --output-on-failure --timeout 600 -j 2)
phase_done "tests"

if [ "${SANITIZE:-1}" != "0" ]; then
  BUILD_DIR="$root/build-sanitize" "$root/deploy/build.sh" \
    -DMONIPAIKKA_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DMONIPAIKKA_BUILD_BENCH=OFF \
    -DMONIPAIKKA_BUILD_INTEGRATION_TESTS=OFF
  phase_done "sanitizer build"
  (cd "$root/build-sanitize" &&
    ctest --output-on-failure --timeout 600 -j 2 -LE integration)
  phase_done "sanitizer tests"
fi

if [ "${FUZZ:-1}" != "0" ]; then
  "$root/deploy/fuzz.sh"
  phase_done "fuzz"
fi

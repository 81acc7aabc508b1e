#!/usr/bin/env bash
# Builds the libFuzzer targets of the edge decoders with clang (build-fuzz/)
# and runs each over its seed corpus (fuzz/corpus/<target>) for a bounded
# number of inputs. Exits non-zero when a target finds a crash, a leak or
# undefined behaviour (the reproducer is left in build-fuzz/artifacts/).
#
#   deploy/fuzz.sh                 every target, FUZZ_RUNS inputs each
#   FUZZ_RUNS=2000000 deploy/fuzz.sh fuzz_elsys    a longer run of one target
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${FUZZ_BUILD_DIR:-$root/build-fuzz}"
runs="${FUZZ_RUNS:-100000}"
targets=(fuzz_elsys fuzz_milesight fuzz_network_object fuzz_line_protocol
         fuzz_chirpstack_v4 fuzz_chirpstack_v3_json fuzz_chirpstack_v3_json_v3
         fuzz_tts_v3 fuzz_haltian)
if (($# > 0)); then targets=("$@"); fi

cmake -S "$root" -B "$build" -G Ninja -DMONIPAIKKA_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

mkdir -p "$build/artifacts"
for target in "${targets[@]}"; do
  # The JSON targets get inputs up to 128 KiB: beyond the agent's default
  # payload cap (64 KiB) and deep enough (the corpus has 30 000 nested
  # arrays) to reach the nesting limit and anything that recurses per level.
  # The binary frames of the codecs are at most a few hundred bytes.
  case "$target" in
    fuzz_elsys|fuzz_milesight|fuzz_line_protocol) max_len=4096 ;;
    *) max_len=131072 ;;
  esac
  # A scratch copy of the seeds: new inputs found go there, not into git.
  work="$build/corpus/$target"
  mkdir -p "$work"
  start=$(date +%s)
  if ! "$build/fuzz/$target" -runs="$runs" -max_len="$max_len" -timeout=10 \
      -rss_limit_mb=1024 -print_final_stats=0 \
      -artifact_prefix="$build/artifacts/$target-" \
      "$work" "$root/fuzz/corpus/$target" >"$build/$target.log" 2>&1; then
    tail -40 "$build/$target.log" >&2
    echo "fuzz: $target FAILED (log: $build/$target.log)" >&2
    exit 1
  fi
  echo "fuzz: $target ok ($runs inputs, $(( $(date +%s) - start )) s)"
done

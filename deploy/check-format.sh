#!/usr/bin/env bash
# Checks that every C++ and proto file under version control is formatted
# with the repository's .clang-format (Google style). Lists the files that
# are not and exits non-zero; `deploy/check-format.sh --fix` formats them.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
clang_format="$(command -v clang-format || command -v clang-format-14 || true)"
if [ -z "$clang_format" ]; then
  echo "check-format: clang-format is not installed (deploy/install-deps.sh)" >&2
  exit 1
fi
mapfile -t files < <(git ls-files '*.cc' '*.h' '*.proto')
if [ "${1:-}" = "--fix" ]; then
  "$clang_format" -i "${files[@]}"
  exit 0
fi
# One run over every file; each unformatted line is a "file:line:col:" warning.
mapfile -t unformatted < <("$clang_format" --dry-run "${files[@]}" 2>&1 |
  sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning:.*/\1/p' | sort -u)
if ((${#unformatted[@]} > 0)); then
  echo "check-format: not formatted with .clang-format (fix: deploy/check-format.sh --fix):" >&2
  printf '  %s\n' "${unformatted[@]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"

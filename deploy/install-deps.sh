#!/usr/bin/env bash
# Installs every Debian 12 package Monipaikka needs to build, test and run:
# compiler, CMake and libraries, and what building and checking the Debian
# packages takes (dpkg-dev, file: CPack's dependency scan; systemd:
# systemd-analyze; python3: their test); Node.js 18 and npm (the web
# dashboard's build, deploy/build-web.sh) and Chromium (its browser tests).
# Idempotent: installs only what is missing.
# Runs apt-get as root, or through sudo when not root.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config ca-certificates tzdata
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libabsl-dev libsqlite3-dev sqlite3 libasio-dev libgtest-dev libgmock-dev
  libssl-dev openssl prometheus-cpp-dev libglpk-dev
  libmosquitto-dev mosquitto nlohmann-json3-dev libical-dev libboost-dev
  clang libclang-rt-14-dev clang-format
  libsystemd-dev systemd dpkg-dev file python3
  prometheus  # promtool: the test of deploy/prometheus/monipaikka-alerts.yml
  nodejs npm chromium
)

missing=()
for package in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
      grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}"

#!/usr/bin/env bash
# Installs everything Zinc needs to build and test, from Debian 12 packages only.
# Idempotent: skips apt-get when every package is already installed.
set -euo pipefail

packages=(
  build-essential meson ninja-build cmake pkg-config
  libasmjit-dev libzydis-dev libcli11-dev catch2 libbenchmark-dev
  clang-19 lld-19 libclang-rt-19-dev libclang-rt-19-dev-wasm32 wasi-libc
  binaryen wabt
)

# Node.js runs the component tests' reference toolchains (tests/components, npm). The image's
# own Node conflicts with Debian's nodejs/npm, so those are installed only where node is missing.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; fi
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

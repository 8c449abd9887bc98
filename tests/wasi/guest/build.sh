#!/usr/bin/env bash
# tests/wasi/guest/build.sh: rebuilds the committed WASI test guests (clang-19 + wasi-libc,
# Debian packages; scripts/setup.sh installs them).
set -euo pipefail
cd "$(dirname "$0")"
for src in *.c; do
  clang-19 --target=wasm32-wasi --sysroot=/usr -O2 "$src" -o "${src%.c}.wasm"
  echo "built tests/wasi/guest/${src%.c}.wasm"
done

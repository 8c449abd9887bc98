#!/usr/bin/env bash
# examples/build.sh: rebuilds the bundled example modules from source.
# Needs clang-19, lld-19 and wasi-libc (scripts/setup.sh installs them). The built .wasm files
# are committed, so the quick start works without a wasm toolchain.
# Compile and link are separate steps so that clang does not run wasm-opt on the result, which
# would strip the `name` section that `zinc inspect` shows.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
clang-19 --target=wasm32-wasi --sysroot=/usr -O2 -c hello.c -o "$tmp/hello.o"
clang-19 --target=wasm32-wasi --sysroot=/usr "$tmp/hello.o" -o hello.wasm -Wl,--strip-debug
echo "built examples/hello.wasm ($(stat -c %s hello.wasm) bytes)"

#!/usr/bin/env bash
# scripts/quickstart.sh: the README's first quick-start command.
# Installs dependencies (scripts/setup.sh), builds Zinc in build-release/ and runs the bundled
# WASI 0.2 command component examples/hello-component.wat (component text, no toolchain needed)
# and the WASI Preview 1 program examples/hello.wasm (examples/hello.c built for wasm32-wasi)
# with `zinc run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f build-release/build.ninja ]; then
  meson setup build-release --buildtype=release
fi
ninja -C build-release cli/zinc
echo
echo "\$ zinc run examples/hello-component.wat one two"
build-release/cli/zinc run examples/hello-component.wat one two
echo
echo "\$ zinc run examples/hello.wasm"
build-release/cli/zinc run examples/hello.wasm

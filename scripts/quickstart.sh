#!/usr/bin/env bash
# scripts/quickstart.sh: the README's first quick-start command.
# Installs dependencies (scripts/setup.sh), builds Zinc in build-release/ and runs it on the
# bundled example module: `zinc validate` then `zinc inspect`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -f build-release/build.ninja ]; then
  meson setup build-release --buildtype=release
fi
ninja -C build-release cli/zinc
echo
echo "\$ zinc validate examples/hello.wasm"
build-release/cli/zinc validate examples/hello.wasm
echo
echo "\$ zinc inspect examples/hello.wasm"
build-release/cli/zinc inspect examples/hello.wasm

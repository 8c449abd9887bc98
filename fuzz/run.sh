#!/usr/bin/env bash
# fuzz/run.sh FUZZER SECONDS [CORPUS [LIBFUZZER-FLAG...]]: runs a fuzzer for a bounded time,
# starting from the seed corpus fuzz/CORPUS/ (default fuzz/corpus/; ZINC_FUZZ_SECONDS overrides
# SECONDS); extra flags (e.g. -dict=...) go to libFuzzer. New inputs go to a scratch directory
# (fuzz/CORPUS-work/, git-ignored, when ZINC_FUZZ_KEEP is set), so the committed corpus never
# changes. Exits non-zero when libFuzzer reports a crash, leak, timeout or UB, leaving the
# reproducer in ./fuzz-artifacts/ (or $ZINC_FUZZ_ARTIFACTS).
set -euo pipefail
fuzzer=$1
seconds=${ZINC_FUZZ_SECONDS:-${2:-30}}
corpus=${3:-corpus}
shift $(($# < 3 ? $# : 3))
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${ZINC_FUZZ_KEEP:-}" ]; then
  work="$here/$corpus-work"
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
artifacts="${ZINC_FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}/"
mkdir -p "$artifacts"
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null; then
  export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)
fi
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
# -rss_limit_mb / -malloc_limit_mb: a decoder that allocates in proportion to a claimed count
# (rather than the bytes present) is a finding. -timeout: one input must not take seconds.
"$fuzzer" "$work" "$here/$corpus" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -malloc_limit_mb=512 -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts" "$@"

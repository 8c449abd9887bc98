// bench/micro/decode_bench.cc: decode + validate throughput (Google Benchmark).
//
// Measures decode_module with full validation on real modules and reports bytes/second of
// *code section* (SetBytesProcessed with the code section's payload size), the figure issue 3
// targets (>= 150 MB/s single-threaded). Modules come from $ZINC_SHARED (default ../shared
// relative to the source tree): the largest Rust wasi-testsuite modules and starlingmonkey.wasm.
// Extra modules can be given with ZINC_BENCH_MODULES=path1:path2. A module that is missing or
// fails to validate makes its benchmark report an error rather than a meaningless number.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decoder/decode.h"

namespace {

namespace fs = std::filesystem;
using zinc::decoder::decode_module;
using zinc::decoder::SectionId;

// Benchmarks that ran / that failed; main() exits non-zero on a failure or when nothing ran
// (e.g. a filter matching no module), so the smoke test in the test suite can fail.
int g_runs = 0;
int g_failures = 0;

fs::path shared_dir() {
  if (const char* env = std::getenv("ZINC_SHARED"); env && *env) return env;
  return fs::path(ZINC_SOURCE_ROOT) / ".." / "shared";
}

std::vector<uint8_t> read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void bm_decode_validate(benchmark::State& state, const std::string& path) {
  ++g_runs;
  std::vector<uint8_t> bytes = read_file(path);
  if (bytes.empty()) {
    ++g_failures;
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  auto first = decode_module(bytes);
  if (!first) {
    ++g_failures;
    state.SkipWithError(("invalid module: " + first.error().message()).c_str());
    return;
  }
  uint64_t code_bytes = 0;
  for (const auto& s : (*first)->sections) {
    if (s.id == SectionId::Code) code_bytes += s.payload.size;
  }
  for (auto _ : state) {
    auto m = decode_module(bytes);
    benchmark::DoNotOptimize(m);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * code_bytes));
  state.counters["code_KiB"] = static_cast<double>(code_bytes) / 1024.0;
  state.counters["functions"] = static_cast<double>((*first)->bodies.size());
}

/// The `count` largest .wasm files of a directory (largest first).
std::vector<fs::path> largest_modules(const fs::path& dir, size_t count) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() == ".wasm") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    std::error_code ec2;
    return fs::file_size(a, ec2) > fs::file_size(b, ec2);
  });
  if (files.size() > count) files.resize(count);
  return files;
}

void register_benchmarks() {
  fs::path shared = shared_dir();
  std::vector<fs::path> modules =
      largest_modules(shared / "wasi-testsuite/tests/rust/testsuite/wasm32-wasip1", 3);
  modules.push_back(shared / "modules/starlingmonkey.wasm");
  if (const char* extra = std::getenv("ZINC_BENCH_MODULES")) {
    std::string list = extra;
    for (size_t pos = 0; pos <= list.size();) {
      size_t colon = std::min(list.find(':', pos), list.size());
      if (colon > pos) modules.emplace_back(list.substr(pos, colon - pos));
      pos = colon + 1;
    }
  }
  for (const fs::path& m : modules) {
    benchmark::RegisterBenchmark(("decode_validate/" + m.filename().string()).c_str(),
                                 bm_decode_validate, m.string())
        ->Unit(benchmark::kMillisecond)
        // The machine is shared: with --benchmark_repetitions, the fastest repetition is the
        // least disturbed one. Reported beside the mean/median/stddev aggregates.
        ->ComputeStatistics("min", [](const std::vector<double>& v) {
          return *std::min_element(v.begin(), v.end());
        });
  }
}

}  // namespace

int main(int argc, char** argv) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_runs == 0) std::fprintf(stderr, "decode_bench: no benchmark ran\n");
  return g_runs == 0 || g_failures > 0 ? 1 : 0;
}

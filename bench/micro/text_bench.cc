// bench/micro/text_bench.cc: text-format parsing speed (Google Benchmark).
//
// Measures what `zinc wast` does before running anything, over every .wast file of a spec suite
// ($ZINC_SHARED/wasm-testsuite-2.0 by default, about 11 MB; issue 4 asks for under 2 s):
//   text_parse/scripts   parse_wast of every file (tokens + commands; modules kept as text)
//   text_parse/modules   the same, then encode_script_module of every text and quote module
//                        (the WAT parser and binary encoder): the full parse of the suite
// Files are read into memory once, outside the timing. bytes_per_second is .wast source bytes
// per second of CPU time. Scripts that fail to parse, or a text module that fails to encode
// outside assert_malformed/assert_invalid, make the benchmark report an error instead of a
// meaningless number. ZINC_BENCH_WAST_DIR=dir overrides the suite folder.
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

#include "decoder/text/wast.h"

namespace {

namespace fs = std::filesystem;
namespace text = zinc::decoder::text;

int g_runs = 0;
int g_failures = 0;

struct SourceFile {
  std::string name;
  std::string text;
};

fs::path suite_dir() {
  if (const char* env = std::getenv("ZINC_BENCH_WAST_DIR"); env && *env) return env;
  if (const char* env = std::getenv("ZINC_SHARED"); env && *env) {
    return fs::path(env) / "wasm-testsuite-2.0";
  }
  return fs::path(ZINC_SOURCE_ROOT) / ".." / "shared" / "wasm-testsuite-2.0";
}

const std::vector<SourceFile>& suite_files() {
  static const std::vector<SourceFile> files = [] {
    std::vector<SourceFile> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(suite_dir(), ec)) {
      if (e.path().extension() != ".wast") continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.push_back({e.path().filename().string(),
                     {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()}});
    }
    std::sort(out.begin(), out.end(),
              [](const SourceFile& a, const SourceFile& b) { return a.name < b.name; });
    return out;
  }();
  return files;
}

// Whether a module that fails to encode is expected to (its command asserts malformed or
// invalid text); anything else failing means the benchmark measures the wrong thing.
bool may_fail(const text::Command& c) {
  return c.kind == text::CommandKind::AssertMalformed || c.kind == text::CommandKind::AssertInvalid;
}

// Parses every file (and with `encode`, encodes its modules). Returns an error text or "".
std::string parse_all(bool encode, size_t* modules) {
  for (const SourceFile& f : suite_files()) {
    auto script = text::parse_wast(f.text, f.name);
    if (!script) return script.error().to_string();
    if (!encode) {
      benchmark::DoNotOptimize(script->commands.data());
      continue;
    }
    for (const text::Command& c : script->commands) {
      if (!c.has_module || c.module.format == text::ModuleFormat::Binary) continue;
      auto bin = text::encode_script_module(c.module, f.name);
      if (!bin && !may_fail(c)) return bin.error().to_string();
      benchmark::DoNotOptimize(bin);
      ++*modules;
    }
  }
  return "";
}

void bm_text_parse(benchmark::State& state, bool encode) {
  ++g_runs;
  const std::vector<SourceFile>& files = suite_files();
  if (files.empty()) {
    ++g_failures;
    state.SkipWithError(("no .wast files in " + suite_dir().string()).c_str());
    return;
  }
  uint64_t bytes = 0;
  for (const SourceFile& f : files) bytes += f.text.size();
  size_t modules = 0;
  if (std::string error = parse_all(encode, &modules); !error.empty()) {
    ++g_failures;
    state.SkipWithError(error.c_str());
    return;
  }
  for (auto _ : state) {
    size_t n = 0;
    benchmark::DoNotOptimize(parse_all(encode, &n));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(files.size());
  state.counters["MB"] = static_cast<double>(bytes) / 1e6;
  if (encode) state.counters["modules"] = static_cast<double>(modules);
}

void register_benchmarks() {
  auto min_stat = [](const std::vector<double>& v) {
    return *std::min_element(v.begin(), v.end());
  };
  benchmark::RegisterBenchmark("text_parse/scripts", bm_text_parse, false)
      ->Unit(benchmark::kMillisecond)
      ->ComputeStatistics("min", min_stat);
  benchmark::RegisterBenchmark("text_parse/modules", bm_text_parse, true)
      ->Unit(benchmark::kMillisecond)
      ->ComputeStatistics("min", min_stat);
}

}  // namespace

int main(int argc, char** argv) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  if (g_runs == 0) std::fprintf(stderr, "text_bench: no benchmark ran\n");
  return g_runs == 0 || g_failures > 0 ? 1 : 0;
}

// bench/micro/translate_bench.cc: interpreter translation throughput (Google Benchmark).
//
// Translation is lazy (a function is translated on its first call), so this goes below the
// embedding API: each iteration compiles a fresh Module (decode + validate, not timed) and then
// times CompiledModule::get_code for every defined function, which is exactly the work the
// first calls would do. bytes_per_second is code-section payload bytes per second of CPU time
// (issue 5 asks for >= 50 MB/s). Modules: $ZINC_SHARED/modules/starlingmonkey.wasm (12 MB),
// the benchmark's start-up module big.run.wasm (2 MB of straight-line code, generated into the
// build directory: ZINC_BENCH_BIG_RUN, `ninja bench/big.run.wasm`) and the workloads'
// no-import builds in bench/wasm/, plus ZINC_BENCH_MODULES=a.wasm:b.wasm. A module that is
// missing or does not translate reports an error instead of a number; main() then exits
// non-zero.
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

#include "vm/runtime.h"
#include "zinc/zinc.h"

namespace {

namespace fs = std::filesystem;

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

/// Translates every defined function of `module`; false (with `error`) on the first failure.
bool translate_all(const zinc::Module& module, std::string* error) {
  const zinc::vm::CompiledModule& cm = *module.impl();
  const zinc::decoder::Module& m = *cm.module;
  for (uint32_t f = m.num_imported_funcs; f < m.funcs.size(); f++) {
    if (cm.get_code(f, error) == nullptr) {
      *error = "function " + std::to_string(f) + ": " + *error;
      return false;
    }
  }
  return true;
}

void bm_translate(benchmark::State& state, const std::string& path) {
  ++g_runs;
  std::vector<uint8_t> bytes = read_file(path);
  if (bytes.empty()) {
    ++g_failures;
    state.SkipWithError(("cannot read " + path).c_str());
    return;
  }
  zinc::Engine engine;
  auto first = zinc::Module::from_binary(engine, bytes);
  if (!first.ok()) {
    ++g_failures;
    state.SkipWithError(("invalid module: " + first.error().message).c_str());
    return;
  }
  uint64_t code_bytes = 0;
  for (const auto& s : first->impl()->module->sections) {
    if (s.id == zinc::decoder::SectionId::Code) code_bytes += s.payload.size;
  }
  const double functions = first->impl()->module->num_defined_funcs();
  std::string error;
  if (!translate_all(*first, &error)) {
    ++g_failures;
    state.SkipWithError(("translation failed: " + error).c_str());
    return;
  }
  first = zinc::Module::from_binary(engine, bytes);  // drops the translated code

  // The module of the previous iteration is freed with the timer paused: freeing the code
  // is not translation.
  std::vector<zinc::Module> holder;
  for (auto _ : state) {
    state.PauseTiming();
    holder.clear();
    holder.push_back(zinc::Module::from_binary(engine, bytes).value());
    state.ResumeTiming();
    bool ok = translate_all(holder.front(), &error);
    benchmark::DoNotOptimize(ok);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * code_bytes));
  state.counters["code_KiB"] = static_cast<double>(code_bytes) / 1024.0;
  state.counters["functions"] = functions;
}

void register_benchmarks() {
  fs::path root = ZINC_SOURCE_ROOT;
  std::vector<fs::path> modules = {shared_dir() / "modules/starlingmonkey.wasm",
                                   ZINC_BENCH_BIG_RUN};
  std::error_code ec;
  std::vector<fs::path> workloads;
  for (const auto& e : fs::directory_iterator(root / "bench/wasm", ec)) {
    const std::string name = e.path().filename().string();
    // A stale big.run.wasm left in bench/wasm/ is not read: the build directory's one is.
    if (name.ends_with(".run.wasm") && name != "big.run.wasm" && name != "hello.run.wasm") {
      workloads.push_back(e.path());
    }
  }
  std::sort(workloads.begin(), workloads.end());
  modules.insert(modules.end(), workloads.begin(), workloads.end());
  if (const char* extra = std::getenv("ZINC_BENCH_MODULES")) {
    std::string list = extra;
    for (size_t pos = 0; pos <= list.size();) {
      size_t colon = std::min(list.find(':', pos), list.size());
      if (colon > pos) modules.emplace_back(list.substr(pos, colon - pos));
      pos = colon + 1;
    }
  }
  for (const fs::path& m : modules) {
    benchmark::RegisterBenchmark(("translate/" + m.filename().string()).c_str(), bm_translate,
                                 m.string())
        ->Unit(benchmark::kMillisecond)
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
  if (g_runs == 0) std::fprintf(stderr, "translate_bench: no benchmark ran\n");
  return g_runs == 0 || g_failures > 0 ? 1 : 0;
}

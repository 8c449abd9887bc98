// bench/drivers/zinc_phases.cc: runs a no-import benchmark module in Zinc and times each phase.
//
//   zinc_phases [--eager] [--invoke NAME] FILE.wasm
//
// Phases (wall clock, printed to stderr as one "phases ..." line): read the file, compile
// (decode + validate, Module::from_binary), translate (with --eager: every defined function
// through CompiledModule::get_code, which the interpreter otherwise does lazily on first call),
// instantiate (Linker, no imports), and run (call the export, default "run", with no
// arguments; i64 or i32 result). The result is printed to stdout, one line, as `zinc run
// --invoke` does. bench/run uses it for Zinc's phase figures and, until `zinc run` exists,
// as Zinc's column on the no-import builds. Exit status 1 on any error.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "vm/runtime.h"  // CompiledModule::get_code, for the eager translation figure
#include "zinc/zinc.h"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

int fail(const char* what, const zinc::Error& error) {
  std::fprintf(stderr, "zinc_phases: %s: %s\n", what, error.message.c_str());
  if (error.trap != nullptr) std::fprintf(stderr, "%s", error.trap->backtrace().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  bool eager = false;
  std::string invoke = "run";
  std::string file;
  for (int i = 1; i < argc; i++) {
    std::string arg = argv[i];
    if (arg == "--eager") {
      eager = true;
    } else if (arg == "--invoke" && i + 1 < argc) {
      invoke = argv[++i];
    } else if (file.empty() && arg[0] != '-') {
      file = arg;
    } else {
      std::fprintf(stderr, "usage: zinc_phases [--eager] [--invoke NAME] FILE.wasm\n");
      return 2;
    }
  }
  if (file.empty()) {
    std::fprintf(stderr, "usage: zinc_phases [--eager] [--invoke NAME] FILE.wasm\n");
    return 2;
  }

  auto t0 = Clock::now();
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
  if (!in && !in.eof()) {
    std::fprintf(stderr, "zinc_phases: cannot read %s\n", file.c_str());
    return 1;
  }
  double read_ms = ms_since(t0);

  zinc::Engine engine;
  t0 = Clock::now();
  auto module = zinc::Module::from_binary(engine, bytes, file);
  if (!module.ok()) return fail("compile", module.error());
  double compile_ms = ms_since(t0);

  double translate_ms = 0;
  if (eager) {
    t0 = Clock::now();
    const auto& cm = *module->impl();
    const auto& m = *cm.module;
    for (uint32_t f = m.num_imported_funcs; f < m.funcs.size(); f++) {
      std::string error;
      if (cm.get_code(f, &error) == nullptr) {
        std::fprintf(stderr, "zinc_phases: translating function %u: %s\n", f, error.c_str());
        return 1;
      }
    }
    translate_ms = ms_since(t0);
  }

  zinc::Store store(engine);
  zinc::Linker linker(engine);
  t0 = Clock::now();
  auto instance = linker.instantiate(store, *module);
  if (!instance.ok()) return fail("instantiate", instance.error());
  double instantiate_ms = ms_since(t0);

  auto func = instance->get_func(store, invoke);
  if (!func) {
    std::fprintf(stderr, "zinc_phases: no exported function %s\n", invoke.c_str());
    return 1;
  }
  t0 = Clock::now();
  long long result = 0;
  if (auto f64 = func->typed<int64_t()>(store); f64.ok()) {
    auto r = f64->call(store);
    if (!r.ok()) return fail("run", r.error());
    result = *r;
  } else if (auto f32 = func->typed<int32_t()>(store); f32.ok()) {
    auto r = f32->call(store);
    if (!r.ok()) return fail("run", r.error());
    result = *r;
  } else {
    std::fprintf(stderr, "zinc_phases: %s must take no arguments and return i64 or i32\n",
                 invoke.c_str());
    return 1;
  }
  double run_ms = ms_since(t0);

  std::printf("%lld\n", result);
  std::fprintf(stderr,
               "phases read_ms=%.3f compile_ms=%.3f translate_ms=%.3f instantiate_ms=%.3f "
               "run_ms=%.3f\n",
               read_ms, compile_ms, translate_ms, instantiate_ms, run_ms);
  return 0;
}

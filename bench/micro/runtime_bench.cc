// bench/micro/runtime_bench.cc: runtime latencies through the embedding API (Google Benchmark).
//
//   instantiate/*      a fresh Store plus one instance per iteration (the per-request pattern):
//                      a tiny module; a module with a 1 MiB active data segment; and the same
//                      through InstancePre (imports resolved once, Linker::instantiate_pre).
//                      store_only is the Store's own share of that cost.
//   call/host_to_wasm  TypedFunc<int32_t(int32_t)>::call of a one-instruction function, and the
//                      dynamic Func::call with Val vectors; time per call.
//   call/wasm_to_host  a wasm loop calling an imported host function (func_wrap) N times; the
//                      reported time is per call, including the loop's own few instructions
//                      (call/wasm_to_wasm is the same loop calling a wasm function, for scale).
//   memory_grow/*      memory.grow by one page, 1,000 times from 1 page, in both memory modes
//                      (guard pages: commit inside a reservation; bounds checks: may move).
// Modules are WebAssembly text compiled once outside the timed loops.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "zinc/zinc.h"

namespace {

int g_failures = 0;

zinc::Module compile_or_die(const zinc::Engine& engine, std::string_view wat) {
  auto m =
      zinc::Module::compile(engine, {reinterpret_cast<const uint8_t*>(wat.data()), wat.size()});
  if (!m.ok()) {
    std::fprintf(stderr, "runtime_bench: bad module: %s\n", m.error().message.c_str());
    std::exit(1);
  }
  return std::move(m).value();
}

bool check(benchmark::State& state, bool ok, const char* what) {
  if (!ok) {
    ++g_failures;
    state.SkipWithError(what);
  }
  return ok;
}

constexpr std::string_view kTiny = R"((module
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (func (export "f") (result i32) (global.get $g)))
)";

std::string data_module(size_t bytes) {
  std::string wat = "(module (memory (export \"memory\") 17) (data (i32.const 0) \"";
  wat.reserve(wat.size() + bytes + 16);
  for (size_t i = 0; i < bytes; i++) wat.push_back(static_cast<char>('a' + i % 26));
  wat += "\"))";
  return wat;
}

void bm_store_only(benchmark::State& state) {
  zinc::Engine engine;
  for (auto _ : state) {
    zinc::Store store(engine);
    benchmark::DoNotOptimize(store.impl());
  }
}

void bm_instantiate(benchmark::State& state, const std::string& wat, bool pre) {
  zinc::Engine engine;
  zinc::Module module = compile_or_die(engine, wat);
  zinc::Linker linker(engine);
  auto prepared = linker.instantiate_pre(module);
  if (!check(state, prepared.ok(), "instantiate_pre failed")) return;
  for (auto _ : state) {
    zinc::Store store(engine);
    auto instance = pre ? prepared->instantiate(store) : linker.instantiate(store, module);
    if (!instance.ok()) {
      check(state, false, instance.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(instance->raw());
  }
}

constexpr std::string_view kCalls = R"((module
  (import "host" "inc" (func $inc (param i32) (result i32)))
  (func $winc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "call_host") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (call $inc (local.get $acc)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc))
  (func (export "call_wasm") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (call $winc (local.get $acc)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $acc)))
)";

struct CallFixture {
  zinc::Engine engine;
  zinc::Store store{engine};
  std::optional<zinc::Instance> instance;
  CallFixture() {
    zinc::Module module = compile_or_die(engine, kCalls);
    zinc::Linker linker(engine);
    auto defined = linker.func_wrap("host", "inc", [](int32_t x) { return x + 1; });
    if (!defined.ok()) return;
    auto i = linker.instantiate(store, module);
    if (i.ok()) instance = *i;
  }
};

void bm_host_to_wasm_typed(benchmark::State& state) {
  CallFixture fx;
  if (!check(state, fx.instance.has_value(), "instantiate failed")) return;
  auto f = fx.instance->get_func(fx.store, "inc")->typed<int32_t(int32_t)>(fx.store);
  if (!check(state, f.ok(), "typed failed")) return;
  int32_t x = 0;
  for (auto _ : state) {
    auto r = f->call(fx.store, x);
    x = *r;
  }
  check(state, x == static_cast<int32_t>(state.iterations()), "wrong result");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void bm_host_to_wasm_dynamic(benchmark::State& state) {
  CallFixture fx;
  if (!check(state, fx.instance.has_value(), "instantiate failed")) return;
  zinc::Func f = *fx.instance->get_func(fx.store, "inc");
  zinc::Val args[1] = {zinc::Val::i32(0)};
  zinc::Val results[1];
  for (auto _ : state) {
    auto r = f.call(fx.store, args, results);
    benchmark::DoNotOptimize(r);
    args[0] = results[0];
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void bm_wasm_loop_calls(benchmark::State& state, const char* export_name) {
  CallFixture fx;
  if (!check(state, fx.instance.has_value(), "instantiate failed")) return;
  auto f = fx.instance->get_func(fx.store, export_name)->typed<int32_t(int32_t)>(fx.store);
  if (!check(state, f.ok(), "typed failed")) return;
  constexpr int32_t kCallsPerIteration = 100'000;
  for (auto _ : state) {
    auto r = f->call(fx.store, kCallsPerIteration);
    if (!r.ok() || *r != kCallsPerIteration) {
      check(state, false, "wrong result");
      return;
    }
  }
  // Items are calls; per_call is seconds per call (CPU time, the loop's instructions included).
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kCallsPerIteration);
  state.counters["per_call"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kCallsPerIteration,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

constexpr std::string_view kGrow = R"((module
  (memory (export "memory") 1)
  (func (export "grow") (param $n i32) (result i32) (local $last i32)
    (loop $l
      (local.set $last (memory.grow (i32.const 1)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $last)))
)";

void bm_memory_grow(benchmark::State& state, zinc::MemoryMode mode) {
  zinc::Config config;
  config.memory_mode = mode;
  zinc::Engine engine(config);
  zinc::Module module = compile_or_die(engine, kGrow);
  zinc::Linker linker(engine);
  constexpr int32_t kGrows = 1000;
  for (auto _ : state) {
    state.PauseTiming();
    std::optional<zinc::Store> store;
    store.emplace(engine);
    auto instance = linker.instantiate(*store, module);
    if (!instance.ok()) {
      check(state, false, "instantiate failed");
      return;
    }
    auto f = instance->get_func(*store, "grow")->typed<int32_t(int32_t)>(*store);
    if (!f.ok()) {
      check(state, false, "typed failed");
      return;
    }
    state.ResumeTiming();
    auto r = f->call(*store, kGrows);
    state.PauseTiming();
    if (!r.ok() || *r != kGrows) {  // the last grow returns the old size: 1 + 999 pages
      check(state, false, "memory.grow failed");
      return;
    }
    store.reset();  // unmapping is not growing
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kGrows);
}

void register_benchmarks() {
  static const std::string tiny(kTiny);
  static const std::string data = data_module(1 << 20);
  benchmark::RegisterBenchmark("instantiate/store_only", bm_store_only)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("instantiate/tiny", bm_instantiate, tiny, false)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("instantiate/tiny_pre", bm_instantiate, tiny, true)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("instantiate/data_1MiB", bm_instantiate, data, false)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("instantiate/data_1MiB_pre", bm_instantiate, data, true)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("call/host_to_wasm_typed", bm_host_to_wasm_typed);
  benchmark::RegisterBenchmark("call/host_to_wasm_dynamic", bm_host_to_wasm_dynamic);
  benchmark::RegisterBenchmark("call/wasm_to_host", bm_wasm_loop_calls, "call_host")
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("call/wasm_to_wasm", bm_wasm_loop_calls, "call_wasm")
      ->Unit(benchmark::kMillisecond);
  benchmark::RegisterBenchmark("memory_grow/guard_pages", bm_memory_grow,
                               zinc::MemoryMode::GuardPages)
      ->Unit(benchmark::kMicrosecond);
  benchmark::RegisterBenchmark("memory_grow/bounds_checks", bm_memory_grow,
                               zinc::MemoryMode::BoundsChecks)
      ->Unit(benchmark::kMicrosecond);
}

}  // namespace

int main(int argc, char** argv) {
  register_benchmarks();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return g_failures > 0 ? 1 : 0;
}

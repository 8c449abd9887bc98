// bench/micro/canon_bench.cc: Canonical ABI throughput and call overhead (Google Benchmark).
//
//   canon/lift/*     load_list_from_range / load_string_from_range + lift_string_val of 1 MiB
//                    from guest memory into a Val (list<u8> packed; UTF-8 all-ASCII and mixed
//                    with 2- and 3-byte sequences); bytes/s.
//   canon/lower/*    store_list_into_range / store_string_into_range of the same 1 MiB Vals
//                    (the host strings validated: ASCII and mixed) into guest memory through
//                    a bump realloc; bytes/s.
//   canon/memcpy     a plain 1 MiB memcpy, the reference for the lift/lower rates.
//   canon/fused/*    the same 1 MiB list<u8> / string copied from one guest to another by a
//                    fused call (no Val tree); bytes/s.
//   canon/call/*     a host -> component call of echo(s: string) -> string with a short string:
//                    core_only is vm::invoke of the core function with the same flat
//                    arguments (the baseline); call_lifted is the whole canonical ABI call
//                    (lower the argument through the wasm realloc, call, lift the result).
//                    The issue's target is call_lifted - core_only < 100 ns. abi_only is
//                    the same call with a C++ callee and realloc (no interpreter).
//   canon/api/*      the same echo through the public API: the core function's TypedFunc
//                    (baseline), the component's TypedFunc<std::string(std::string_view)>
//                    (the typed fast path) and its dynamic Func::call with Vals.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "component/canon.h"
#include "component/text/component_text.h"
#include "vm/runtime.h"
#include "zinc/component.h"
#include "zinc/zinc.h"

namespace {

using namespace zinc::component;
using namespace zinc::component::canon;

constexpr uint32_t kMiB = 1u << 20;

// A guest memory (a byte vector) with a bump realloc that restarts at `start` when reset.
struct Mem {
  std::vector<uint8_t> bytes;
  uint8_t* base;
  uint64_t size;
  uint32_t bump = 64;
  explicit Mem(size_t n) : bytes(n), base(bytes.data()), size(n) {}
  CanonicalOptions opts(StringEncoding enc = StringEncoding::Utf8) {
    CanonicalOptions o;
    o.string_encoding = enc;
    o.memory = GuestMemory(&base, &size);
    o.realloc = [this](uint32_t, uint32_t, uint32_t align, uint32_t n) -> zinc::Result<uint32_t> {
      const uint32_t p = (bump + align - 1) / align * align;
      bump = p + n;
      return p;
    };
    return o;
  }
};

std::string mixed_utf8(size_t n) {
  std::string s;
  const std::string_view unit = "abcdefghij\xC3\xA9klm\xE2\x82\xAC";  // 18 bytes, 16 chars
  while (s.size() + unit.size() <= n) s += unit;
  s.resize(n, 'x');
  return s;
}

void lift_list(benchmark::State& state) {
  TypeTable types;
  ValType lt;
  lt.kind = ValKind::List;
  lt.elem = types.prim(ValKind::U8);
  TypeRef list = types.intern(lt, nullptr);
  Mem m(2 * kMiB + 4096);
  for (uint32_t i = 0; i < kMiB; ++i) m.bytes[4096 + i] = static_cast<uint8_t>(i * 7);
  CanonicalOptions o = m.opts();
  InstanceState inst;
  for (auto _ : state) {
    Cx cx(o, &inst);
    Val v;
    if (!load_list_from_range(cx, 4096, kMiB, list, v)) state.SkipWithError("trap");
    benchmark::DoNotOptimize(v.str.data());
  }
  state.SetBytesProcessed(int64_t{state.iterations()} * kMiB);
}
BENCHMARK(lift_list)->Name("canon/lift/list_u8/1MiB");

void lift_string(benchmark::State& state, bool ascii) {
  Mem m(2 * kMiB + 4096);
  const std::string s = ascii ? std::string(kMiB, 'a') : mixed_utf8(kMiB);
  std::memcpy(m.base + 4096, s.data(), s.size());
  CanonicalOptions o = m.opts();
  InstanceState inst;
  for (auto _ : state) {
    Cx cx(o, &inst);
    StringRef r;
    Val v;
    if (!load_string_from_range(cx, 4096, kMiB, &r) || !lift_string_val(cx, r, v)) {
      state.SkipWithError("trap");
    }
    benchmark::DoNotOptimize(v.str.data());
  }
  state.SetBytesProcessed(int64_t{state.iterations()} * kMiB);
}
BENCHMARK_CAPTURE(lift_string, ascii, true)->Name("canon/lift/string_utf8_ascii/1MiB");
BENCHMARK_CAPTURE(lift_string, mixed, false)->Name("canon/lift/string_utf8_mixed/1MiB");

void lower_list(benchmark::State& state) {
  Mem m(2 * kMiB + 4096);
  CanonicalOptions o = m.opts();
  InstanceState inst;
  TypeTable types;
  const Val v = Val::packed_list(ValKind::U8, std::string(kMiB, 'q'));
  for (auto _ : state) {
    m.bump = 64;
    Cx cx(o, &inst);
    uint32_t p, n;
    if (!store_list_into_range(cx, v, types.prim(ValKind::U8), &p, &n)) {
      state.SkipWithError("trap");
    }
    benchmark::DoNotOptimize(m.base[p]);
  }
  state.SetBytesProcessed(int64_t{state.iterations()} * kMiB);
}
BENCHMARK(lower_list)->Name("canon/lower/list_u8/1MiB");

void lower_string(benchmark::State& state, bool ascii) {
  Mem m(2 * kMiB + 4096);
  CanonicalOptions o = m.opts();
  InstanceState inst;
  const std::string s = ascii ? std::string(kMiB, 'a') : mixed_utf8(kMiB);
  for (auto _ : state) {
    m.bump = 64;
    Cx cx(o, &inst);
    uint32_t p, n;
    if (!store_string_into_range(cx, StringRef::utf8(s), &p, &n)) state.SkipWithError("trap");
    benchmark::DoNotOptimize(m.base[p]);
  }
  state.SetBytesProcessed(int64_t{state.iterations()} * kMiB);
}
BENCHMARK_CAPTURE(lower_string, ascii, true)->Name("canon/lower/string_utf8/1MiB");
BENCHMARK_CAPTURE(lower_string, mixed, false)->Name("canon/lower/string_utf8_mixed/1MiB");

// The reference for "memcpy speed": one 1 MiB memcpy between two buffers of the same sizes.
void memcpy_ref(benchmark::State& state) {
  std::vector<uint8_t> a(kMiB, 'a'), b(kMiB);
  for (auto _ : state) {
    std::memcpy(b.data(), a.data(), kMiB);
    benchmark::DoNotOptimize(b.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(int64_t{state.iterations()} * kMiB);
}
BENCHMARK(memcpy_ref)->Name("canon/memcpy/1MiB");

// A fused call f(x: T) where the callee does nothing: the copy of x is the cost.
void fused(benchmark::State& state, bool string) {
  TypeTable types;
  TypeRef t = types.prim(ValKind::String);
  if (!string) {
    ValType lt;
    lt.kind = ValKind::List;
    lt.elem = types.prim(ValKind::U8);
    t = types.intern(lt, nullptr);
  }
  FuncType ft;
  ft.params.push_back({"x", t});
  const FuncType* f = types.intern_func(ft);
  Mem a(2 * kMiB + 4096), b(2 * kMiB + 4096);
  std::memset(a.base + 4096, 'a', kMiB);
  InstanceState ia, ib;
  LoweredFunc lower(f, a.opts(), &ia);
  LiftedFunc lift(f, b.opts(), &ib, [](uint64_t*, size_t) -> zinc::Result<void> { return {}; });
  for (auto _ : state) {
    b.bump = 64;
    uint64_t slots[2] = {4096, kMiB};
    if (!call_fused(lower, lift, slots, 2).ok()) state.SkipWithError("trap");
  }
  state.SetBytesProcessed(int64_t{state.iterations()} * kMiB);
}
BENCHMARK_CAPTURE(fused, list, false)->Name("canon/fused/list_u8/1MiB");
BENCHMARK_CAPTURE(fused, string, true)->Name("canon/fused/string_utf8/1MiB");

// ---- host -> component call ----

constexpr std::string_view kEcho = R"((module
  (memory (export "mem") 1)
  (global $bump (mut i32) (i32.const 1024))
  (func (export "realloc") (param i32 i32 i32 i32) (result i32)
    (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    ;; wrap around so a benchmark loop never runs out of memory
    (if (i32.gt_u (i32.add (local.get $p) (local.get 3)) (i32.const 60000))
      (then (local.set $p (i32.const 1024))))
    (global.set $bump (i32.add (local.get $p) (local.get 3)))
    (local.get $p))
  (func (export "echo") (param i32 i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (i32.store (i32.const 20) (local.get 1))
    (i32.const 16)))
)";

struct EchoFixture {
  zinc::Engine engine;
  zinc::Store store{engine};
  std::optional<zinc::Instance> instance;
  zinc::vm::FuncInst* echo = nullptr;
  zinc::vm::FuncInst* realloc = nullptr;
  zinc::vm::MemoryInst* mem = nullptr;
  EchoFixture() {
    auto m = zinc::Module::compile(engine,
                                   {reinterpret_cast<const uint8_t*>(kEcho.data()), kEcho.size()});
    if (!m.ok()) std::abort();
    auto i = zinc::instantiate(store, *m, {});
    if (!i.ok()) std::abort();
    instance = *i;
    echo = instance->get_func(store, "echo")->raw();
    realloc = instance->get_func(store, "realloc")->raw();
    mem = instance->get_memory(store, "mem")->raw();
  }
};

void call_core_only(benchmark::State& state) {
  EchoFixture fx;
  for (auto _ : state) {
    uint64_t slots[2] = {100, 11};
    if (!zinc::vm::invoke(*fx.store.impl(), fx.echo, slots, 2).ok()) state.SkipWithError("trap");
    benchmark::DoNotOptimize(slots[0]);
  }
}
BENCHMARK(call_core_only)->Name("canon/call/core_only");

void call_lifted_echo(benchmark::State& state) {
  EchoFixture fx;
  TypeTable types;
  FuncType ft;
  ft.params.push_back({"s", types.prim(ValKind::String)});
  ft.result = types.prim(ValKind::String);
  InstanceState inst;
  CanonicalOptions o;
  o.memory = GuestMemory::of(*fx.mem);
  o.realloc = realloc_fn(*fx.store.impl(), fx.realloc);
  LiftedFunc f(types.intern_func(ft), o, &inst, core_fn(*fx.store.impl(), fx.echo));
  const std::vector<Val> args = {Val::string("hello world")};
  for (auto _ : state) {
    auto r = call_lifted(f, args);
    if (!r.ok()) state.SkipWithError("trap");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(call_lifted_echo)->Name("canon/call/call_lifted");

// The same call with a C++ callee and a C++ bump realloc: the canonical ABI's own work.
void call_abi_only(benchmark::State& state) {
  TypeTable types;
  FuncType ft;
  ft.params.push_back({"s", types.prim(ValKind::String)});
  ft.result = types.prim(ValKind::String);
  Mem m(1 << 16);
  InstanceState inst;
  auto echo = [&m](uint64_t* slots, size_t) -> zinc::Result<void> {
    std::memcpy(m.base + 16, &slots[0], 4);
    std::memcpy(m.base + 20, &slots[1], 4);
    slots[0] = 16;
    return {};
  };
  LiftedFunc f(types.intern_func(ft), m.opts(), &inst, echo);
  const std::vector<Val> args = {Val::string("hello world")};
  for (auto _ : state) {
    m.bump = 64;
    auto r = call_lifted(f, args);
    if (!r.ok()) state.SkipWithError("trap");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(call_abi_only)->Name("canon/call/abi_only");

// The same echo(s: string) -> string through the public embedding API, as an embedder calls
// it: the component's TypedFunc<std::string(std::string_view)> (the typed fast path, no Val
// trees) and the dynamic Func::call with Vals, against the core TypedFunc of the same echo
// core function with its flat arguments (the issue's "over the core call").
constexpr std::string_view kEchoComponent = R"((component
  (core module $m
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (if (i32.gt_u (i32.add (local.get $p) (local.get 3)) (i32.const 60000))
        (then (local.set $p (i32.const 1024))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16)))
  (core instance $i (instantiate $m))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $i "mem") (realloc (func $i "realloc"))))
))";

struct ApiFixture {
  zinc::Engine engine;
  zinc::Store store{engine};
  std::optional<zinc::component::Instance> instance;
  ApiFixture() {
    auto bin = zinc::component::text::component_wat_to_binary(kEchoComponent);
    if (!bin.ok()) std::abort();
    auto c = zinc::component::Component::compile(engine, *bin);
    if (!c.ok()) std::abort();
    zinc::component::Linker linker(engine);
    auto i = linker.instantiate(store, *c);
    if (!i.ok()) std::abort();
    instance = *i;
  }
};

void api_core_typed(benchmark::State& state) {
  EchoFixture fx;
  auto echo = fx.instance->get_func(fx.store, "echo")->typed<int32_t(int32_t, int32_t)>(fx.store);
  if (!echo.ok()) std::abort();
  for (auto _ : state) {
    auto r = echo->call(fx.store, 100, 11);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(api_core_typed)->Name("canon/api/core_typed");

void api_component_typed(benchmark::State& state) {
  ApiFixture fx;
  auto echo =
      fx.instance->get_func(fx.store, "echo")->typed<std::string(std::string_view)>(fx.store);
  if (!echo.ok()) std::abort();
  const std::string_view arg = "hello world";
  for (auto _ : state) {
    auto r = echo->call(fx.store, arg);
    if (!r.ok()) state.SkipWithError("trap");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(api_component_typed)->Name("canon/api/component_typed");

void api_component_dynamic(benchmark::State& state) {
  ApiFixture fx;
  auto echo = fx.instance->get_func(fx.store, "echo");
  const std::vector<Val> args = {Val::string("hello world")};
  for (auto _ : state) {
    auto r = echo->call(fx.store, args);
    if (!r.ok()) state.SkipWithError("trap");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(api_component_dynamic)->Name("canon/api/component_dynamic");

}  // namespace

BENCHMARK_MAIN();

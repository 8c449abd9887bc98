// tests/vm/api_test_util.h: helpers shared by the embedding API tests (api_test.cc,
// api_runtime_test.cc): text modules as bytes, Result unwrapping, typed lookups, float bits,
// engines per memory mode, and Zinc's fault handlers restored around GuardPages code.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "tests/builder.h"
#include "zinc/zinc.h"


namespace zinc::apitest {

using test::Bytes;
using test::ModuleBuilder;
namespace vt = test::vt;

inline std::span<const uint8_t> bytes_of(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

inline std::string describe(const Error& e) {
  return "error of kind " + std::to_string(static_cast<int>(e.kind)) + ": " + e.message;
}

/// The value of a Result that must have succeeded (the test fails with the error otherwise).
template <typename T>
inline T take(Result<T> r) {
  if (!r.ok()) FAIL(describe(r.error()));
  return std::move(r).value();
}

inline void check(const Result<void>& r) {
  if (!r.ok()) FAIL(describe(r.error()));
}

/// The error of a Result that must have failed.
template <typename T>
Error take_error(const Result<T>& r) {
  if (r.ok()) FAIL("expected an error");
  return r.error();
}

/// The trap of a failed call; checks its code and (for wasm traps) the spec's message.
template <typename T>
Trap take_trap(const Result<T>& r, TrapCode code) {
  const Error e = take_error(r);
  INFO(e.message);
  REQUIRE(e.kind == ErrorKind::Trap);
  REQUIRE(e.trap != nullptr);
  CHECK(e.trap->code == code);
  if (code != TrapCode::HostTrap) {
    CHECK(e.trap->message == trap_message(code));
    CHECK(e.message == trap_message(code));
  }
  return *e.trap;
}

inline Module compile(const Engine& engine, std::string_view wat, std::string_view name = {}) {
  return take(Module::compile(engine, bytes_of(wat), name));
}

inline Instance instantiate_ok(Store& store, const Module& module) {
  return take(instantiate(store, module, {}));
}

inline Func get_func(const Store& store, const Instance& instance, std::string_view name) {
  auto f = instance.get_func(store, name);
  INFO(name);
  REQUIRE(f.has_value());
  return *f;
}

template <typename Sig>
inline TypedFunc<Sig> typed(const Store& store, const Instance& instance, std::string_view name) {
  return take(get_func(store, instance, name).typed<Sig>(store));
}

inline V128 v128_of_i32x4(int32_t a, int32_t b, int32_t c, int32_t d) {
  V128 v;
  v.set_lane<int32_t>(0, a);
  v.set_lane<int32_t>(1, b);
  v.set_lane<int32_t>(2, c);
  v.set_lane<int32_t>(3, d);
  return v;
}

inline uint32_t bits_of(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

inline float float_of(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// Catch2 brackets every test case with SIGSEGV/SIGBUS handlers of its own and afterwards
// restores the ones it found, which silently uninstalls the handler Zinc installs (once per
// process) the first time a guarded memory is created. Zinc's handler is captured here, before
// main and so before Catch installs anything, and put back around code that relies on
// GuardPages turning out-of-bounds faults into traps.
struct SignalHandlers {
  struct sigaction segv = {};
  struct sigaction bus = {};
};

inline SignalHandlers capture_zinc_signal_handlers() {
  Config config;
  config.memory_mode = MemoryMode::GuardPages;
  Engine engine(config);
  Store store(engine);
  (void)Memory::create(store, MemoryType{Limits{1, 1}});
  SignalHandlers h;
  sigaction(SIGSEGV, nullptr, &h.segv);
  sigaction(SIGBUS, nullptr, &h.bus);
  return h;
}

inline const SignalHandlers kZincSignalHandlers = capture_zinc_signal_handlers();

/// Reinstalls Zinc's fault handlers for the scope's lifetime.
class ZincSignalScope {
 public:
  ZincSignalScope() {
    sigaction(SIGSEGV, &kZincSignalHandlers.segv, &saved_.segv);
    sigaction(SIGBUS, &kZincSignalHandlers.bus, &saved_.bus);
  }
  ~ZincSignalScope() {
    sigaction(SIGSEGV, &saved_.segv, nullptr);
    sigaction(SIGBUS, &saved_.bus, nullptr);
  }
  ZincSignalScope(const ZincSignalScope&) = delete;
  ZincSignalScope& operator=(const ZincSignalScope&) = delete;

 private:
  SignalHandlers saved_;
};

inline Engine engine_with(MemoryMode mode) {
  Config config;
  config.memory_mode = mode;
  return Engine(config);
}

inline const char* mode_name(MemoryMode mode) {
  return mode == MemoryMode::GuardPages ? "GuardPages" : "BoundsChecks";
}

/// `NAME` subsection layout of the name section: module name (0) and function names (1).
inline Bytes name_section(std::string_view module, const std::vector<std::string>& funcs) {
  Bytes mod;
  mod.name(module);
  Bytes fn;
  fn.u32(funcs.size());
  for (size_t i = 0; i < funcs.size(); ++i) fn.u32(i).name(funcs[i]);
  Bytes out;
  out.u8(0).u32(mod.size()).raw(mod);
  out.u8(1).u32(fn.size()).raw(fn);
  return out;
}

/// The module offset of `body[index]`, found by searching for the function body (no locals)
/// in the binary; the body must occur exactly once.
inline uint32_t offset_in(const std::vector<uint8_t>& binary, const Bytes& body, size_t index) {
  std::vector<uint8_t> needle = {0x00};  // local declaration count
  needle.insert(needle.end(), body.vec().begin(), body.vec().end());
  needle.push_back(0x0B);
  const auto at = std::search(binary.begin(), binary.end(), needle.begin(), needle.end());
  REQUIRE(at != binary.end());
  REQUIRE(std::search(at + 1, binary.end(), needle.begin(), needle.end()) == binary.end());
  return static_cast<uint32_t>(at - binary.begin() + 1 + index);
}

}  // namespace zinc::apitest

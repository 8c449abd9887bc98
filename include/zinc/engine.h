// zinc/engine.h: Engine (configuration shared by modules and stores) and Store (the owner of
// instances and everything they create).
//
// Shape as in Wasmtime: an Engine is immutable after creation and may be shared across threads
// (copies share it); a Module is compiled for one Engine; a Store belongs to one Engine and one
// thread at a time and owns every instance, function, memory, table and global created in it,
// which live until the Store is destroyed. Handles (Func, Memory, ...) are plain pointers into
// their Store and must only be used with it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "zinc/result.h"

namespace zinc {

namespace vm {
struct EngineImpl;
struct StoreImpl;
}  // namespace vm

/// Which WebAssembly proposals modules may use. Defaults: Wasm 2.0.
struct WasmFeatures {
  bool sign_ext = true;
  bool sat_conv = true;
  bool multi_value = true;
  bool bulk_memory = true;
  bool reference_types = true;
  bool simd = true;
};

enum class Tier : uint8_t {
  Interp,  // the threaded interpreter (translates each function on its first call)
};

enum class MemoryMode : uint8_t {
  /// 32-bit memories reserve 8 GiB of address space with guard pages, so accesses need no
  /// explicit bounds checks; out-of-bounds accesses fault and become traps. memory.grow never
  /// moves the memory.
  GuardPages,
  /// Every access is checked explicitly; memories reserve only what they use and may move
  /// when they grow.
  BoundsChecks,
};

struct Config {
  WasmFeatures features;
  Tier tier = Tier::Interp;
  MemoryMode memory_mode = MemoryMode::GuardPages;
  /// Deterministic execution budget: every store starts with 0 fuel (Store::set_fuel) and
  /// traps with "all fuel consumed" when it runs out. Costs nothing when off.
  bool consume_fuel = false;
  /// Epoch interruption: Engine::increment_epoch (any thread) makes stores whose deadline has
  /// passed trap with "interrupt". Costs nothing when off.
  bool epoch_interruption = false;
  /// Bytes of the wasm value stack (locals and operands of all active frames) per store.
  size_t max_wasm_stack = 1 << 20;
  /// Maximum depth of nested wasm calls per store.
  uint32_t max_call_depth = 100'000;
};

class Engine {
 public:
  explicit Engine(Config config = {});
  const Config& config() const;
  /// Advances the epoch by one (thread-safe, lock-free).
  void increment_epoch() const;

  vm::EngineImpl* impl() const { return impl_.get(); }
  const std::shared_ptr<vm::EngineImpl>& shared_impl() const { return impl_; }

 private:
  std::shared_ptr<vm::EngineImpl> impl_;
};

/// Resource limits of one store. Exceeding a memory or table limit makes `memory.grow` /
/// `table.grow` return -1 (and instantiation fail); exceeding the instance limit fails
/// instantiation.
struct StoreLimits {
  uint64_t max_memory_bytes = UINT64_MAX;  // per memory
  uint64_t max_table_elements = UINT64_MAX;  // per table
  uint32_t max_instances = 10'000;
  uint32_t max_memories = 10'000;
  uint32_t max_tables = 10'000;
};

class Store {
 public:
  explicit Store(const Engine& engine);
  ~Store();
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const Engine& engine() const;
  void set_limits(const StoreLimits& limits);
  const StoreLimits& limits() const;

  /// Fuel (Config::consume_fuel): sets the remaining budget. Fails if fuel is not enabled.
  Result<void> set_fuel(uint64_t fuel);
  Result<uint64_t> get_fuel() const;
  /// Epoch interruption (Config::epoch_interruption): wasm traps once the engine's epoch
  /// reaches current + `ticks`.
  void set_epoch_deadline(uint64_t ticks);

  /// Embedder data, reachable from host functions through Caller::store().
  void* data() const;
  void set_data(void* data);

  vm::StoreImpl* impl() const { return impl_.get(); }

 private:
  std::unique_ptr<vm::StoreImpl> impl_;
};

}  // namespace zinc

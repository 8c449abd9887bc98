// vm/runtime.h: the runtime's objects behind the embedding API's handles.
//
// EngineImpl (configuration, interned function types, the epoch), CompiledModule (a validated
// module plus its lazily translated code, shared by every instance), and the store-owned
// instances of functions, memories, tables, globals and modules. A Store owns all of these
// for its whole life; handles are raw pointers into it and never dangle while it lives.
//
// Value slots: every value is kept in 8-byte slots (a v128 takes two): i32/f32 in the low
// four bytes, i64/f64 in all eight, funcref as the FuncInst pointer (0 = null), externref as
// payload + 1 (0 = null). Globals, table elements, host-call arguments and the interpreter's
// frames all use this layout (zinc/func.h documents it for host functions).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "decoder/module.h"
#include "decoder/wasm_features.h"
#include "zinc/engine.h"
#include "zinc/extern.h"
#include "zinc/func.h"
#include "zinc/trap.h"

namespace zinc::vm {

using Slot = uint64_t;

/// Slots a value of type `t` occupies.
inline uint32_t slot_count(decoder::ValType t) {
  return t.kind() == decoder::ValKind::V128 ? 2 : 1;
}
uint32_t slot_count(const std::vector<decoder::ValType>& types);

/// Thread-safe interning of function types: equal signatures get equal ids, so
/// call_indirect's signature check is one integer comparison. Entries are never removed and
/// their addresses are stable.
class TypeRegistry {
 public:
  uint32_t intern(const decoder::FuncType& type);
  const decoder::FuncType& get(uint32_t id) const;

 private:
  mutable std::mutex mutex_;
  std::deque<decoder::FuncType> types_;
  std::unordered_map<std::string, uint32_t> ids_;  // keyed by an encoding of the type
};

struct EngineImpl {
  Config config;
  decoder::Features features;
  TypeRegistry types;
  std::atomic<uint64_t> epoch{0};
  /// State of layers above vm/ (the component model's type table), created on first use by
  /// those layers; vm/ never looks inside.
  std::mutex extension_mutex;
  std::shared_ptr<void> component_types;
};

namespace interp {
struct FuncCode;  // a translated function (vm/interp/code.h)
}

/// A validated module and everything derived from it that does not depend on an instance.
struct CompiledModule {
  std::shared_ptr<const decoder::Module> module;
  std::shared_ptr<EngineImpl> engine;
  std::string name;                 // name section, else the name given to compile
  std::vector<uint32_t> type_ids;   // canonical id of each type of the type section
  std::unordered_map<std::string, uint32_t> export_index;  // name -> index in module->exports
  std::vector<ImportType> import_types;
  std::vector<ExportType> export_types;
  /// Translated code per defined function, created on first call. Written once (atomic
  /// publish); freed with the module.
  std::unique_ptr<std::atomic<interp::FuncCode*>[]> code;

  CompiledModule() = default;
  CompiledModule(const CompiledModule&) = delete;
  ~CompiledModule();

  uint32_t func_type_id(uint32_t func_index) const {
    return type_ids[module->funcs[func_index].type_index];
  }
  /// The translated code of a defined function (translating it now if needed), or null with
  /// `error` set if translation failed.
  interp::FuncCode* get_code(uint32_t func_index, std::string* error) const;
};

struct StoreImpl;
struct InstanceInst;

struct FuncInst {
  uint32_t type_id = 0;                       // canonical signature id
  const decoder::FuncType* type = nullptr;    // interned (EngineImpl::types)
  uint32_t param_slots = 0;
  uint32_t result_slots = 0;
  StoreImpl* store = nullptr;
  // Wasm functions:
  InstanceInst* instance = nullptr;
  uint32_t func_index = 0;                    // in the module's function index space
  const CompiledModule* module = nullptr;
  interp::FuncCode* code = nullptr;           // cached CompiledModule::code entry
  // Host functions:
  std::shared_ptr<const HostFuncDef> host;

  bool is_host() const { return host != nullptr; }
};

struct MemoryInst {
  StoreImpl* store = nullptr;  // owner
  uint8_t* base = nullptr;
  uint64_t size = 0;          // bytes
  uint64_t max_pages = 0;     // effective maximum (type, store limit, address space)
  decoder::MemoryType type;   // as declared (limits.min is the initial size)
  bool guarded = false;       // GuardPages mode: a large PROT_NONE reservation around it
  size_t reserved = 0;        // bytes of address space reserved at base
  size_t committed = 0;       // bytes of it that are read/write (guarded) or allocated

  uint64_t pages() const { return size >> type.page_size_log2; }
  /// Grows by `delta` pages. Returns the old size in pages, or -1 (as memory.grow does) when
  /// the maximum, the store's limit or the OS refuses.
  int64_t grow(uint64_t delta);
  ~MemoryInst();
};

struct TableInst {
  StoreImpl* store = nullptr;  // owner
  std::vector<Slot> elems;
  decoder::ValType elem = decoder::kFuncRef;
  decoder::Limits limits;     // as declared
  uint64_t max = 0;           // effective maximum
  /// Grows by `delta`, filling with `init`; old size or -1.
  int64_t grow(uint64_t delta, Slot init);
};

struct GlobalInst {
  alignas(16) Slot value[2] = {0, 0};
  StoreImpl* store = nullptr;  // owner
  decoder::GlobalType type;
};

struct InstanceInst {
  std::shared_ptr<const CompiledModule> module;
  StoreImpl* store = nullptr;
  std::vector<FuncInst*> funcs;
  std::vector<TableInst*> tables;
  std::vector<MemoryInst*> memories;
  std::vector<GlobalInst*> globals;
  /// Element segment instances (function references / ref values); emptied by elem.drop and
  /// after active/declarative initialisation, as the spec says.
  std::vector<std::vector<Slot>> elems;
  /// Data segments: dropped ones become empty.
  std::vector<bool> data_dropped;
  MemoryInst* mem0 = nullptr;  // memories[0] or null: the interpreter's fast path
};

/// One wasm frame of the current call chain (callers of the running function).
/// Trivially constructible: the frame stack is allocated without initialising its entries.
struct CallFrame {
  FuncInst* func;
  const uint8_t* pc;  // where the caller resumes (its call instruction follows)
  Slot* fp;
  InstanceInst* instance;
};

/// The callers of the running functions, of all activations: a fixed array sized by the
/// call-depth limit (allocated on first use; untouched pages cost nothing), so pushing a
/// frame is a bounds check and four stores.
class FrameStack {
 public:
  explicit FrameStack(uint32_t capacity) : capacity_(capacity) {}
  size_t size() const { return size_; }
  bool full() const { return size_ >= capacity_; }
  /// Callers must check full() first.
  void push(const CallFrame& f) {
    if (data_ == nullptr) data_.reset(new CallFrame[capacity_]);  // uninitialised
    data_[size_++] = f;
  }
  const CallFrame& back() const { return data_[size_ - 1]; }
  void pop() { --size_; }
  const CallFrame& operator[](size_t i) const { return data_[i]; }
  void resize(size_t n) { size_ = n; }  // only shrinks

 private:
  std::unique_ptr<CallFrame[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

struct StoreImpl {
  Store* owner = nullptr;  // the public wrapper (updated when it moves)
  std::shared_ptr<EngineImpl> engine;
  StoreLimits limits;
  void* data = nullptr;

  std::deque<std::unique_ptr<FuncInst>> funcs;
  std::deque<std::unique_ptr<MemoryInst>> memories;
  std::deque<std::unique_ptr<TableInst>> tables;
  std::deque<std::unique_ptr<GlobalInst>> globals;
  std::deque<std::unique_ptr<InstanceInst>> instances;
  /// Store-bound instances of Linker host functions, created on first use.
  std::unordered_map<const HostFuncDef*, FuncInst*> host_funcs;

  uint64_t fuel = 0;
  uint64_t epoch_deadline = 0;
  /// Component instances and their handle tables (component/), owned by the store; vm/ never
  /// looks inside.
  std::shared_ptr<void> component_state;

  // Execution state, shared by nested activations (host -> wasm -> host -> wasm ...).
  std::unique_ptr<Slot[]> stack;  // the value stack
  Slot* stack_end = nullptr;
  Slot* stack_top = nullptr;      // first free slot above all active frames
  FrameStack frames{0};           // callers of the running functions, all activations

  explicit StoreImpl(std::shared_ptr<EngineImpl> e);

  FuncInst* new_host_func(std::shared_ptr<const HostFuncDef> def);
  FuncInst* host_func_for(const std::shared_ptr<const HostFuncDef>& def);
};

// ---- creation (memory.cc, instance.cc) ----
Result<MemoryInst*> create_memory(StoreImpl& s, const decoder::MemoryType& type);
Result<TableInst*> create_table(StoreImpl& s, const decoder::TableType& type, Slot init);
GlobalInst* create_global(StoreImpl& s, const decoder::GlobalType& type, const Slot value[2]);
FuncInst* create_wasm_func(StoreImpl& s, InstanceInst* inst, uint32_t func_index);
/// Instantiates `cm` with `imports` in import order: type-checks them (kind Link errors),
/// creates the instance, initialises segments and runs the start function (kind Trap errors).
Result<InstanceInst*> instantiate_module(StoreImpl& s, std::shared_ptr<const CompiledModule> cm,
                                         std::span<const Extern> imports);
/// A CompiledModule for an already decoded and validated module (Module::from_binary's second
/// half; the component layer uses it for the core modules nested in a component).
std::shared_ptr<const CompiledModule> compile_decoded(const std::shared_ptr<EngineImpl>& engine,
                                                      std::shared_ptr<const decoder::Module> module,
                                                      std::string_view name);
/// Calls `func` with arguments in `slots` (results written there); `num_slots` must hold
/// max(params, results) slots. Wasm or host function.
Result<void> invoke(StoreImpl& s, FuncInst* func, Slot* slots, size_t num_slots);

// ---- conversions between the public API's types and the decoder's ----
ValType to_public(decoder::ValType t);
decoder::ValType to_internal(ValType t);
FuncType to_public(const decoder::FuncType& t);
decoder::FuncType to_internal(const FuncType& t);
ExternType extern_type_of(const decoder::Module& m, decoder::ExternKind kind, uint32_t index);

// ---- errors ----
/// An Error of kind Trap carrying a Trap with `code`, its message and `frames`.
Error trap_error(TrapCode code, std::vector<FrameInfo> frames = {}, std::string message = {});

}  // namespace zinc::vm

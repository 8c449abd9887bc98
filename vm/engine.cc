// vm/engine.cc: EngineImpl and its type registry, CompiledModule's lazy translation, the store's
// execution entry (`invoke`) and the conversions between public and decoder types.
#include <pthread.h>

#include <cstring>
#include <string>

#include "vm/interp/interp.h"
#include "vm/interp/translate.h"
#include "vm/runtime.h"

namespace zinc::vm {

// ---- types ----

uint32_t slot_count(const std::vector<decoder::ValType>& types) {
  uint32_t n = 0;
  for (decoder::ValType t : types) n += slot_count(t);
  return n;
}

namespace {

void encode_type(std::string& key, decoder::ValType t) {
  key.push_back(static_cast<char>(t.kind()));
  if (t.is_ref()) {
    key.push_back(t.nullable() ? 1 : 0);
    key.push_back(static_cast<char>(t.heap().kind));
    const uint32_t idx = t.heap().index;
    key.append(reinterpret_cast<const char*>(&idx), 4);
  }
}

}  // namespace

uint32_t TypeRegistry::intern(const decoder::FuncType& type) {
  std::string key;
  for (decoder::ValType t : type.params) encode_type(key, t);
  key.push_back('|');
  for (decoder::ValType t : type.results) encode_type(key, t);
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, inserted] = ids_.try_emplace(std::move(key), static_cast<uint32_t>(types_.size()));
  if (inserted) types_.push_back(type);
  return it->second;
}

const decoder::FuncType& TypeRegistry::get(uint32_t id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return types_[id];
}

ValType to_public(decoder::ValType t) {
  switch (t.kind()) {
    case decoder::ValKind::I32:
      return ValType::I32;
    case decoder::ValKind::I64:
      return ValType::I64;
    case decoder::ValKind::F32:
      return ValType::F32;
    case decoder::ValKind::F64:
      return ValType::F64;
    case decoder::ValKind::V128:
      return ValType::V128;
    default:
      return t.heap().kind == decoder::HeapKind::Extern ? ValType::ExternRef : ValType::FuncRef;
  }
}

decoder::ValType to_internal(ValType t) {
  switch (t) {
    case ValType::I32:
      return decoder::kI32;
    case ValType::I64:
      return decoder::kI64;
    case ValType::F32:
      return decoder::kF32;
    case ValType::F64:
      return decoder::kF64;
    case ValType::V128:
      return decoder::kV128;
    case ValType::FuncRef:
      return decoder::kFuncRef;
    case ValType::ExternRef:
      return decoder::kExternRef;
  }
  return decoder::kI32;
}

FuncType to_public(const decoder::FuncType& t) {
  FuncType r;
  for (decoder::ValType v : t.params) r.params.push_back(to_public(v));
  for (decoder::ValType v : t.results) r.results.push_back(to_public(v));
  return r;
}

decoder::FuncType to_internal(const FuncType& t) {
  decoder::FuncType r;
  for (ValType v : t.params) r.params.push_back(to_internal(v));
  for (ValType v : t.results) r.results.push_back(to_internal(v));
  return r;
}

namespace {

Limits public_limits(const decoder::Limits& l) {
  Limits r;
  r.min = l.min;
  if (l.has_max) r.max = l.max;
  return r;
}

}  // namespace

ExternType extern_type_of(const decoder::Module& m, decoder::ExternKind kind, uint32_t index) {
  switch (kind) {
    case decoder::ExternKind::Func:
      return to_public(m.func_type(index));
    case decoder::ExternKind::Table: {
      const decoder::TableType& t = m.tables[index];
      return TableType{to_public(t.elem), public_limits(t.limits)};
    }
    case decoder::ExternKind::Memory: {
      const decoder::MemoryType& t = m.memories[index];
      return MemoryType{public_limits(t.limits), t.limits.is64, t.limits.shared};
    }
    case decoder::ExternKind::Global:
    case decoder::ExternKind::Tag:
      break;
  }
  const decoder::GlobalType& g = m.globals[index].type;
  return GlobalType{to_public(g.type), g.mut};
}

Error trap_error(TrapCode code, std::vector<FrameInfo> frames, std::string message) {
  auto trap = std::make_shared<Trap>();
  trap->code = code;
  trap->message = message.empty() ? std::string(trap_message(code)) : std::move(message);
  trap->frames = std::move(frames);
  Error e;
  e.kind = ErrorKind::Trap;
  e.message = trap->message;
  e.trap = std::move(trap);
  return e;
}

// ---- compiled modules ----

CompiledModule::~CompiledModule() {
  if (!code) return;
  for (size_t i = 0; i < module->bodies.size(); ++i) delete code[i].load();
}

interp::FuncCode* CompiledModule::get_code(uint32_t func_index, std::string* error) const {
  const uint32_t defined = func_index - module->num_imported_funcs;
  std::atomic<interp::FuncCode*>& slot = code[defined];
  if (interp::FuncCode* c = slot.load(std::memory_order_acquire)) return c;
  interp::TranslateOptions options;
  const Config& config = engine->config;
  options.bounds_checks = config.memory_mode == MemoryMode::BoundsChecks;
  options.fuel = config.consume_fuel;
  options.epoch = config.epoch_interruption;
  std::unique_ptr<interp::FuncCode> fresh = interp::translate(*this, func_index, options, error);
  if (!fresh) return nullptr;
  interp::FuncCode* expected = nullptr;
  if (slot.compare_exchange_strong(expected, fresh.get(), std::memory_order_acq_rel)) {
    return fresh.release();
  }
  return expected;  // another thread published first
}

// ---- stores and calls ----

StoreImpl::StoreImpl(std::shared_ptr<EngineImpl> e) : engine(std::move(e)) {
  const Config& config = engine->config;
  const size_t slots = config.max_wasm_stack / sizeof(Slot);
  stack.reset(new Slot[slots]);  // uninitialised: frames initialise what they use
  stack_top = stack.get();
  stack_end = stack.get() + slots;
  frames = FrameStack(config.max_call_depth);
}

FuncInst* StoreImpl::new_host_func(std::shared_ptr<const HostFuncDef> def) {
  auto f = std::make_unique<FuncInst>();
  const decoder::FuncType type = to_internal(def->type);
  f->type_id = engine->types.intern(type);
  f->type = &engine->types.get(f->type_id);
  f->param_slots = slot_count(f->type->params);
  f->result_slots = slot_count(f->type->results);
  f->store = this;
  f->host = std::move(def);
  FuncInst* raw = f.get();
  funcs.push_back(std::move(f));
  return raw;
}

FuncInst* StoreImpl::host_func_for(const std::shared_ptr<const HostFuncDef>& def) {
  auto it = host_funcs.find(def.get());
  if (it != host_funcs.end()) return it->second;
  FuncInst* f = new_host_func(def);
  host_funcs.emplace(def.get(), f);
  return f;
}

namespace {

/// Native stack the host keeps in reserve: a host -> wasm call is refused (as a stack
/// exhaustion trap) when less than this is left, so re-entrant chains (wasm -> host -> wasm
/// ...) can never overflow the thread's stack.
constexpr uintptr_t kNativeStackReserve = 256 * 1024;

bool native_stack_available() {
  thread_local const uintptr_t low = [] {
    pthread_attr_t attr;
    void* addr = nullptr;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
      pthread_attr_getstack(&attr, &addr, &size);
      pthread_attr_destroy(&attr);
    }
    return reinterpret_cast<uintptr_t>(addr);
  }();
  if (low == 0) return true;
  const uintptr_t sp = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
  return sp > low + kNativeStackReserve;
}

}  // namespace

Result<void> invoke(StoreImpl& s, FuncInst* func, Slot* slots, size_t num_slots) {
  if (!native_stack_available()) return unexpected(trap_error(TrapCode::StackExhausted));
  if (func->is_host()) return interp::call_host(s, func, slots, nullptr);
  const size_t need = func->param_slots > func->result_slots ? func->param_slots
                                                             : func->result_slots;
  if (s.stack_top + need > s.stack_end) return unexpected(trap_error(TrapCode::StackExhausted));
  Slot* fp = s.stack_top;
  std::memcpy(fp, slots, func->param_slots * sizeof(Slot));
  interp::ExecOutcome out;
  const bool ok = interp::execute(s, func, fp, &out);
  if (!ok) {
    if (out.host_error) {
      Error e = std::move(*out.host_error);
      if (e.kind == ErrorKind::Exit) return unexpected(std::move(e));
      if (e.kind == ErrorKind::Trap && e.trap) {
        // A trap from a nested wasm call keeps its own code; the frames of this activation
        // (already below it in the backtrace when it was raised) are not added again.
        if (e.trap->frames.empty()) {
          auto t = std::make_shared<Trap>(*e.trap);
          t->frames = std::move(out.frames);
          e.trap = std::move(t);
        }
        return unexpected(std::move(e));
      }
      // Any other host error (including kind Trap without a Trap object) traps the calling
      // wasm with the host's message.
      return unexpected(trap_error(TrapCode::HostTrap, std::move(out.frames), e.message));
    }
    return unexpected(trap_error(out.trap, std::move(out.frames), out.message));
  }
  (void)num_slots;
  std::memcpy(slots, fp, func->result_slots * sizeof(Slot));
  return {};
}

}  // namespace zinc::vm

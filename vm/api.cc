// vm/api.cc: the embedding API (include/zinc/*.h) over the runtime objects of runtime.h.
//
// Handles are pointers into their Store; every entry point that takes values from the host
// checks their types before they reach wasm, and every memory access on the host's behalf is
// bounds-checked here.
#include <algorithm>
#include <cstring>
#include <string>

#include "decoder/decode.h"
#include "decoder/text/wat_parser.h"
#include "vm/runtime.h"
#include "zinc/zinc.h"

namespace zinc {

using vm::Slot;

// ---- names ----

const char* to_string(ValType t) {
  switch (t) {
    case ValType::I32:
      return "i32";
    case ValType::I64:
      return "i64";
    case ValType::F32:
      return "f32";
    case ValType::F64:
      return "f64";
    case ValType::V128:
      return "v128";
    case ValType::FuncRef:
      return "funcref";
    case ValType::ExternRef:
      return "externref";
  }
  return "?";
}

std::string to_string(const FuncType& t) {
  std::string s = "(func";
  if (!t.params.empty()) {
    s += " (param";
    for (ValType v : t.params) s += std::string(" ") + to_string(v);
    s += ")";
  }
  if (!t.results.empty()) {
    s += " (result";
    for (ValType v : t.results) s += std::string(" ") + to_string(v);
    s += ")";
  }
  return s + ")";
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "function";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
  }
  return "?";
}

std::string Trap::backtrace() const {
  std::string out;
  char buf[32];
  for (size_t i = 0; i < frames.size(); ++i) {
    const FrameInfo& f = frames[i];
    std::snprintf(buf, sizeof buf, "%4zu: ", i);
    out += buf;
    if (f.has_offset) {
      std::snprintf(buf, sizeof buf, "0x%x - ", f.module_offset);
      out += buf;
    }
    if (!f.module_name.empty()) out += f.module_name + "!";
    if (!f.func_name.empty()) {
      out += f.func_name;
    } else {
      out += "<wasm function " + std::to_string(f.func_index) + ">";
    }
    out += "\n";
  }
  return out;
}

namespace {

/// Writes a Val into slots (type already checked).
void to_slots(const Val& v, Slot* s) {
  switch (v.type()) {
    case ValType::I32:
      s[0] = static_cast<uint32_t>(v.i32());
      break;
    case ValType::I64:
      s[0] = static_cast<uint64_t>(v.i64());
      break;
    case ValType::F32:
      s[0] = v.f32_bits();
      break;
    case ValType::F64:
      s[0] = v.f64_bits();
      break;
    case ValType::V128:
      std::memcpy(s, v.v128().bytes, 16);
      break;
    case ValType::FuncRef:
      detail::WasmValue<std::optional<Func>>::store(s, v.funcref());
      break;
    case ValType::ExternRef:
      detail::WasmValue<std::optional<ExternRef>>::store(s, v.externref());
      break;
  }
}

Val from_slots(ValType t, const Slot* s) {
  switch (t) {
    case ValType::I32:
      return Val::i32(static_cast<int32_t>(static_cast<uint32_t>(s[0])));
    case ValType::I64:
      return Val::i64(static_cast<int64_t>(s[0]));
    case ValType::F32:
      return Val::f32_bits(static_cast<uint32_t>(s[0]));
    case ValType::F64:
      return Val::f64_bits(s[0]);
    case ValType::V128: {
      V128 v;
      std::memcpy(v.bytes, s, 16);
      return Val::v128(v);
    }
    case ValType::FuncRef:
      return Val::funcref(detail::WasmValue<std::optional<Func>>::load(s));
    case ValType::ExternRef:
      return Val::externref(detail::WasmValue<std::optional<ExternRef>>::load(s));
  }
  return Val();
}

/// Checks that a reference value can enter `store`: funcrefs of another store and the reserved
/// externref payload (val.h) are refused.
bool val_in_store(const Val& v, const vm::StoreImpl* store) {
  if (v.type() == ValType::ExternRef) {
    const auto e = v.externref();
    return !e || e->value != ExternRef::kReservedValue;
  }
  if (v.type() != ValType::FuncRef) return true;
  const auto f = v.funcref();
  return !f || f->raw()->store == store;
}


}  // namespace

// ---- Engine and Store ----

Engine::Engine(Config config) : impl_(std::make_shared<vm::EngineImpl>()) {
  impl_->config = config;
  decoder::Features& f = impl_->features;
  f.sign_ext = config.features.sign_ext;
  f.sat_conv = config.features.sat_conv;
  f.multi_value = config.features.multi_value;
  f.bulk_memory = config.features.bulk_memory;
  f.ref_types = config.features.reference_types;
  f.simd = config.features.simd;
}

const Config& Engine::config() const { return impl_->config; }

void Engine::increment_epoch() const { impl_->epoch.fetch_add(1, std::memory_order_relaxed); }

Store::Store(const Engine& engine) : impl_(std::make_unique<vm::StoreImpl>(engine.shared_impl())) {
  impl_->owner = this;
}
Store::~Store() = default;
Store::Store(Store&& other) noexcept : impl_(std::move(other.impl_)) {
  if (impl_) impl_->owner = this;
}
Store& Store::operator=(Store&& other) noexcept {
  impl_ = std::move(other.impl_);
  if (impl_) impl_->owner = this;
  return *this;
}

void Store::set_limits(const StoreLimits& limits) { impl_->limits = limits; }
const StoreLimits& Store::limits() const { return impl_->limits; }

Result<void> Store::set_fuel(uint64_t fuel) {
  if (!impl_->engine->config.consume_fuel) {
    return api_error(ErrorKind::Generic, "fuel is not enabled in this engine's configuration");
  }
  impl_->fuel = fuel;
  return {};
}

Result<uint64_t> Store::get_fuel() const {
  if (!impl_->engine->config.consume_fuel) {
    return api_error(ErrorKind::Generic, "fuel is not enabled in this engine's configuration");
  }
  return impl_->fuel;
}

void Store::set_epoch_deadline(uint64_t ticks) {
  impl_->epoch_deadline = impl_->engine->epoch.load(std::memory_order_relaxed) + ticks;
}

void* Store::data() const { return impl_->data; }
void Store::set_data(void* data) { impl_->data = data; }

// ---- functions ----

FuncType Func::type(const Store&) const { return vm::to_public(*f_->type); }

Result<void> Func::call(Store& store, std::span<const Val> args, std::span<Val> results) const {
  const decoder::FuncType& ft = *f_->type;
  if (f_->store != store.impl()) return api_error(ErrorKind::Generic, "function of another store");
  if (args.size() != ft.params.size()) {
    return api_error(ErrorKind::Generic, "expected " + std::to_string(ft.params.size()) +
                                             " arguments, got " + std::to_string(args.size()));
  }
  if (results.size() < ft.results.size()) {
    return api_error(ErrorKind::Generic, "results span too small");
  }
  const size_t n = std::max<size_t>({f_->param_slots, f_->result_slots, 1});
  std::vector<Slot> slots(n, 0);
  size_t at = 0;
  for (size_t i = 0; i < args.size(); ++i) {
    const ValType want = vm::to_public(ft.params[i]);
    if (args[i].type() != want) {
      return api_error(ErrorKind::Generic, "argument " + std::to_string(i) + " has type " +
                                               to_string(args[i].type()) + ", expected " +
                                               to_string(want));
    }
    if (!val_in_store(args[i], store.impl())) {
      return api_error(ErrorKind::Generic, "argument " + std::to_string(i) +
                                               ": funcref of another store or reserved externref");
    }
    to_slots(args[i], slots.data() + at);
    at += vm::slot_count(ft.params[i]);
  }
  Result<void> r = vm::invoke(*store.impl(), f_, slots.data(), n);
  if (!r.ok()) return r;
  at = 0;
  for (size_t i = 0; i < ft.results.size(); ++i) {
    results[i] = from_slots(vm::to_public(ft.results[i]), slots.data() + at);
    at += vm::slot_count(ft.results[i]);
  }
  return {};
}

Result<std::vector<Val>> Func::call(Store& store, std::span<const Val> args) const {
  std::vector<Val> results(f_->type->results.size());
  Result<void> r = call(store, args, results);
  if (!r.ok()) return unexpected(r.error());
  return results;
}

namespace detail {

Result<void> call_raw(Store& store, vm::FuncInst* func, uint64_t* slots, size_t num_slots) {
  if (func->store != store.impl()) return api_error(ErrorKind::Generic, "function of another store");
  return vm::invoke(*store.impl(), func, slots, num_slots);
}

bool func_type_matches(const Store&, vm::FuncInst* func, const FuncType& type) {
  return vm::to_public(*func->type) == type;
}

}  // namespace detail

Func func_from_def(Store& store, std::shared_ptr<const HostFuncDef> def) {
  return Func(store.impl()->new_host_func(std::move(def)));
}

Func func_new(Store& store, const FuncType& type, DynamicHostFunc fn) {
  auto def = std::make_shared<HostFuncDef>();
  def->type = type;
  def->callback = [type, fn = std::move(fn)](Caller& caller, uint64_t* slots) -> Result<void> {
    std::vector<Val> args;
    args.reserve(type.params.size());
    size_t at = 0;
    for (ValType t : type.params) {
      args.push_back(from_slots(t, slots + at));
      at += t == ValType::V128 ? 2 : 1;
    }
    std::vector<Val> results;
    results.reserve(type.results.size());
    for (ValType t : type.results) results.push_back(Val::zero(t));
    Result<void> r = fn(caller, args, results);
    if (!r.ok()) return r;
    at = 0;
    for (size_t i = 0; i < type.results.size(); ++i) {
      if (results[i].type() != type.results[i]) {
        return api_error(ErrorKind::Trap, "host function returned a value of the wrong type");
      }
      to_slots(results[i], slots + at);
      at += type.results[i] == ValType::V128 ? 2 : 1;
    }
    return {};
  };
  return func_from_def(store, std::move(def));
}

void* Caller::data() const { return store_.data(); }

std::optional<Extern> Caller::get_export(std::string_view name) const {
  if (instance_ == nullptr) return std::nullopt;
  return Instance(instance_).get_export(store_, name);
}

std::optional<Memory> Caller::memory() const {
  if (instance_ == nullptr) return std::nullopt;
  if (auto e = get_export("memory")) {
    if (auto m = e->memory()) return m;
  }
  if (instance_->memories.empty()) return std::nullopt;
  return Memory(instance_->memories[0]);
}

// ---- memories ----

Result<Memory> Memory::create(Store& store, const MemoryType& type) {
  decoder::MemoryType t;
  t.limits.min = type.limits.min;
  t.limits.has_max = type.limits.max.has_value();
  t.limits.max = type.limits.max.value_or(0);
  t.limits.is64 = type.is64;
  t.limits.shared = type.shared;
  auto m = vm::create_memory(*store.impl(), t);
  if (!m.ok()) return unexpected(m.error());
  return Memory(*m);
}

MemoryType Memory::type(const Store&) const {
  MemoryType t;
  t.limits.min = m_->pages();
  if (m_->type.limits.has_max) t.limits.max = m_->type.limits.max;
  t.is64 = m_->type.limits.is64;
  t.shared = m_->type.limits.shared;
  return t;
}

uint64_t Memory::size(const Store&) const { return m_->pages(); }
uint64_t Memory::data_size(const Store&) const { return m_->size; }
uint8_t* Memory::data(const Store&) const { return m_->base; }

Result<uint64_t> Memory::grow(Store&, uint64_t delta) const {
  const int64_t old = m_->grow(delta);
  if (old < 0) return api_error(ErrorKind::Generic, "memory.grow failed");
  return static_cast<uint64_t>(old);
}

std::optional<std::span<uint8_t>> Memory::span(const Store&, uint64_t offset, uint64_t len) const {
  if (offset > m_->size || len > m_->size - offset) return std::nullopt;
  return std::span<uint8_t>(m_->base + offset, static_cast<size_t>(len));
}

bool Memory::read(const Store& store, uint64_t offset, std::span<uint8_t> out) const {
  auto s = span(store, offset, out.size());
  if (!s) return false;
  if (!out.empty()) std::memcpy(out.data(), s->data(), out.size());
  return true;
}

bool Memory::write(const Store& store, uint64_t offset, std::span<const uint8_t> in) const {
  auto s = span(store, offset, in.size());
  if (!s) return false;
  if (!in.empty()) std::memcpy(s->data(), in.data(), in.size());
  return true;
}

// ---- tables ----

Result<Table> Table::create(Store& store, const TableType& type, const Val& init) {
  if (init.type() != type.elem || !val_in_store(init, store.impl())) {
    return api_error(ErrorKind::Generic, "table initial value has the wrong type");
  }
  decoder::TableType t;
  t.elem = vm::to_internal(type.elem);
  t.limits.min = type.limits.min;
  t.limits.has_max = type.limits.max.has_value();
  t.limits.max = type.limits.max.value_or(0);
  Slot s[2] = {0, 0};
  to_slots(init, s);
  auto r = vm::create_table(*store.impl(), t, s[0]);
  if (!r.ok()) return unexpected(r.error());
  return Table(*r);
}

TableType Table::type(const Store&) const {
  TableType t;
  t.elem = vm::to_public(t_->elem);
  t.limits.min = t_->elems.size();
  if (t_->limits.has_max) t.limits.max = t_->limits.max;
  return t;
}

uint64_t Table::size(const Store&) const { return t_->elems.size(); }

std::optional<Val> Table::get(const Store&, uint64_t index) const {
  if (index >= t_->elems.size()) return std::nullopt;
  return from_slots(vm::to_public(t_->elem), &t_->elems[index]);
}

Result<void> Table::set(Store& store, uint64_t index, const Val& value) const {
  if (value.type() != vm::to_public(t_->elem) || !val_in_store(value, store.impl())) {
    return api_error(ErrorKind::Generic, "table value has the wrong type");
  }
  if (index >= t_->elems.size()) return api_error(ErrorKind::Generic, "table index out of bounds");
  Slot s[2] = {0, 0};
  to_slots(value, s);
  t_->elems[index] = s[0];
  return {};
}

Result<uint64_t> Table::grow(Store& store, uint64_t delta, const Val& init) const {
  if (init.type() != vm::to_public(t_->elem) || !val_in_store(init, store.impl())) {
    return api_error(ErrorKind::Generic, "table value has the wrong type");
  }
  Slot s[2] = {0, 0};
  to_slots(init, s);
  const int64_t old = t_->grow(delta, s[0]);
  if (old < 0) return api_error(ErrorKind::Generic, "table.grow failed");
  return static_cast<uint64_t>(old);
}

// ---- globals ----

Result<Global> Global::create(Store& store, const GlobalType& type, const Val& init) {
  if (init.type() != type.type || !val_in_store(init, store.impl())) {
    return api_error(ErrorKind::Generic, "global initial value has the wrong type");
  }
  decoder::GlobalType t;
  t.type = vm::to_internal(type.type);
  t.mut = type.mut;
  Slot s[2] = {0, 0};
  to_slots(init, s);
  return Global(vm::create_global(*store.impl(), t, s));
}

GlobalType Global::type(const Store&) const {
  return GlobalType{vm::to_public(g_->type.type), g_->type.mut};
}

Val Global::get(const Store&) const { return from_slots(vm::to_public(g_->type.type), g_->value); }

Result<void> Global::set(Store& store, const Val& value) const {
  if (!g_->type.mut) return api_error(ErrorKind::Generic, "global is immutable");
  if (value.type() != vm::to_public(g_->type.type) || !val_in_store(value, store.impl())) {
    return api_error(ErrorKind::Generic, "global value has the wrong type");
  }
  to_slots(value, g_->value);
  return {};
}

ExternType Extern::type(const Store& store) const {
  switch (kind()) {
    case ExternKind::Func:
      return func()->type(store);
    case ExternKind::Table:
      return table()->type(store);
    case ExternKind::Memory:
      return memory()->type(store);
    case ExternKind::Global:
      break;
  }
  return global()->type(store);
}

// ---- modules ----

Result<Module> Module::compile(const Engine& engine, std::span<const uint8_t> bytes,
                               std::string_view name) {
  std::vector<uint8_t> text_binary;
  const bool is_binary = bytes.size() >= 4 && std::memcmp(bytes.data(), "\0asm", 4) == 0;
  if (!is_binary) {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    auto bin = decoder::text::wat_to_binary(text, name);
    if (!bin.ok()) {
      Error e;
      e.kind = ErrorKind::Decode;
      e.message = bin.error().to_string();
      return unexpected(std::move(e));
    }
    text_binary = std::move(*bin);
    bytes = text_binary;
  }
  return from_binary(engine, bytes, name);
}

namespace vm {

std::shared_ptr<const CompiledModule> compile_decoded(const std::shared_ptr<EngineImpl>& engine,
                                                      std::shared_ptr<const decoder::Module> module,
                                                      std::string_view name) {
  auto cm = std::make_shared<CompiledModule>();
  cm->module = std::move(module);
  cm->engine = engine;
  const decoder::Module& m = *cm->module;
  cm->name = m.names.module_name ? *m.names.module_name : std::string(name);
  cm->type_ids.reserve(m.types.size());
  for (const decoder::TypeDef& t : m.types) cm->type_ids.push_back(engine->types.intern(t.func));
  cm->code = std::make_unique<std::atomic<interp::FuncCode*>[]>(m.bodies.size());
  for (size_t i = 0; i < m.exports.size(); ++i) {
    cm->export_index.emplace(m.exports[i].name, static_cast<uint32_t>(i));
    cm->export_types.push_back(
        {m.exports[i].name, extern_type_of(m, m.exports[i].kind, m.exports[i].index)});
  }
  for (const decoder::Import& imp : m.imports) {
    cm->import_types.push_back({imp.module, imp.name, extern_type_of(m, imp.kind, imp.index)});
  }
  return cm;
}

}  // namespace vm

Result<Module> Module::from_binary(const Engine& engine, std::span<const uint8_t> bytes,
                                   std::string_view name) {
  if (decoder::detect_binary_kind(bytes) == decoder::BinaryKind::Component) {
    return api_error(ErrorKind::Decode, "this is a component, not a core module");
  }
  decoder::DecodeOptions options;
  options.features = engine.impl()->features;
  auto decoded = decoder::decode_module(bytes, options);
  if (!decoded.ok()) {
    const decoder::Error& de = decoded.error();
    Error e;
    e.kind = decoder::is_malformed(de.code) ? ErrorKind::Decode : ErrorKind::Validate;
    char off[32];
    std::snprintf(off, sizeof off, "0x%zx: ", de.offset);
    e.message = std::string(off) + de.message();
    if (de.func_index != decoder::Error::kNoFunc) {
      e.message += " (in function " + std::to_string(de.func_index) + ")";
    }
    return unexpected(std::move(e));
  }
  return Module(vm::compile_decoded(engine.shared_impl(), std::move(*decoded), name));
}

std::vector<ImportType> Module::imports() const { return impl_->import_types; }
std::vector<ExportType> Module::exports() const { return impl_->export_types; }
std::string Module::name() const { return impl_->name; }

// ---- instances ----

namespace {

Extern extern_of(vm::InstanceInst* inst, const decoder::Export& e) {
  switch (e.kind) {
    case decoder::ExternKind::Func:
      return Func(inst->funcs[e.index]);
    case decoder::ExternKind::Table:
      return Table(inst->tables[e.index]);
    case decoder::ExternKind::Memory:
      return Memory(inst->memories[e.index]);
    default:
      return Global(inst->globals[e.index]);
  }
}

}  // namespace

std::optional<Extern> Instance::get_export(const Store&, std::string_view name) const {
  const vm::CompiledModule& cm = *i_->module;
  auto it = cm.export_index.find(std::string(name));
  if (it == cm.export_index.end()) return std::nullopt;
  return extern_of(i_, cm.module->exports[it->second]);
}

std::optional<Func> Instance::get_func(const Store& s, std::string_view name) const {
  auto e = get_export(s, name);
  return e ? e->func() : std::nullopt;
}
std::optional<Memory> Instance::get_memory(const Store& s, std::string_view name) const {
  auto e = get_export(s, name);
  return e ? e->memory() : std::nullopt;
}
std::optional<Table> Instance::get_table(const Store& s, std::string_view name) const {
  auto e = get_export(s, name);
  return e ? e->table() : std::nullopt;
}
std::optional<Global> Instance::get_global(const Store& s, std::string_view name) const {
  auto e = get_export(s, name);
  return e ? e->global() : std::nullopt;
}

std::vector<std::pair<std::string, Extern>> Instance::exports(const Store&) const {
  std::vector<std::pair<std::string, Extern>> out;
  for (const decoder::Export& e : i_->module->module->exports) {
    out.emplace_back(e.name, extern_of(i_, e));
  }
  return out;
}

Result<Instance> instantiate(Store& store, const Module& module, std::span<const Extern> imports) {
  for (const Extern& e : imports) {
    bool ok = true;
    switch (e.kind()) {
      case ExternKind::Func:
        ok = e.func()->raw()->store == store.impl();
        break;
      case ExternKind::Table:
        ok = e.table()->raw()->store == store.impl();
        break;
      case ExternKind::Memory:
        ok = e.memory()->raw()->store == store.impl();
        break;
      case ExternKind::Global:
        ok = e.global()->raw()->store == store.impl();
        break;
    }
    if (!ok) return api_error(ErrorKind::Link, "import from another store");
  }
  auto inst = vm::instantiate_module(*store.impl(), module.impl(), imports);
  if (!inst.ok()) return unexpected(inst.error());
  return Instance(*inst);
}

// ---- Linker ----

Linker::Linker(const Engine& engine) : engine_(engine) {}

Result<void> Linker::add(std::string_view module, std::string_view name, Definition def) {
  auto key = std::make_pair(std::string(module), std::string(name));
  auto it = defs_.find(key);
  if (it != defs_.end()) {
    if (!allow_shadowing_) {
      return api_error(ErrorKind::Link, "`" + key.first + "::" + key.second + "` defined twice");
    }
    it->second = std::move(def);
    return {};
  }
  defs_.emplace(std::move(key), std::move(def));
  return {};
}

Result<void> Linker::define(std::string_view module, std::string_view name, const Extern& item) {
  Definition d;
  d.item = item;
  return add(module, name, std::move(d));
}

Result<void> Linker::define_instance(const Store& store, std::string_view module,
                                     Instance instance) {
  for (auto& [name, ext] : instance.exports(store)) {
    Definition d;
    d.item = ext;
    d.store = store.impl();
    Result<void> r = add(module, name, std::move(d));
    if (!r.ok()) return r;
  }
  return {};
}

Result<void> Linker::define_host_func(std::string_view module, std::string_view name,
                                      std::shared_ptr<const HostFuncDef> def) {
  Definition d;
  d.host = std::move(def);
  return add(module, name, std::move(d));
}

Result<void> Linker::func_new(std::string_view module, std::string_view name,
                              const FuncType& type, DynamicHostFunc fn) {
  // Built through a throwaway store-independent definition: func_new's callback only needs
  // the type, so reuse the store-bound builder's logic by wrapping it here.
  auto def = std::make_shared<HostFuncDef>();
  def->type = type;
  def->callback = [type, fn = std::move(fn)](Caller& caller, uint64_t* slots) -> Result<void> {
    std::vector<Val> args;
    size_t at = 0;
    for (ValType t : type.params) {
      args.push_back(from_slots(t, slots + at));
      at += t == ValType::V128 ? 2 : 1;
    }
    std::vector<Val> results;
    for (ValType t : type.results) results.push_back(Val::zero(t));
    Result<void> r = fn(caller, args, results);
    if (!r.ok()) return r;
    at = 0;
    for (size_t i = 0; i < type.results.size(); ++i) {
      if (results[i].type() != type.results[i]) {
        return api_error(ErrorKind::Trap, "host function returned a value of the wrong type");
      }
      to_slots(results[i], slots + at);
      at += type.results[i] == ValType::V128 ? 2 : 1;
    }
    return {};
  };
  return define_host_func(module, name, std::move(def));
}

std::optional<Extern> Linker::get(Store& store, std::string_view module,
                                  std::string_view name) const {
  auto it = defs_.find(std::make_pair(std::string(module), std::string(name)));
  if (it == defs_.end()) return std::nullopt;
  if (it->second.host) return Extern(Func(store.impl()->host_func_for(it->second.host)));
  return it->second.item;
}

Result<const Linker::Definition*> Linker::resolve(const ImportType& import) const {
  auto it = defs_.find(std::make_pair(import.module, import.name));
  if (it == defs_.end()) {
    return api_error(ErrorKind::Link, "unknown import: `" + import.module + "::" + import.name +
                                          "` has not been defined");
  }
  return &it->second;
}

Result<Instance> Linker::instantiate(Store& store, const Module& module) const {
  auto pre = instantiate_pre(module);
  if (!pre.ok()) return unexpected(pre.error());
  return pre->instantiate(store);
}

Result<InstancePre> Linker::instantiate_pre(const Module& module) const {
  std::vector<Definition> defs;
  for (const ImportType& imp : module.imports()) {
    auto d = resolve(imp);
    if (!d.ok()) return unexpected(d.error());
    const Definition& def = **d;
    // Kinds and function signatures are checked now; limits of store-bound memories and
    // tables (which can still grow) are checked again at instantiation.
    const std::string what = "incompatible import type for `" + imp.module + "::" + imp.name + "`";
    const ExternKind want = kind_of(imp.type);
    const ExternKind have = def.host ? ExternKind::Func : def.item->kind();
    if (want != have) {
      return api_error(ErrorKind::Link, what + ": expected " + to_string(want) + ", got " +
                                            to_string(have));
    }
    if (want == ExternKind::Func) {
      const FuncType& want_type = std::get<FuncType>(imp.type);
      const FuncType have_type =
          def.host ? def.host->type : vm::to_public(*def.item->func()->raw()->type);
      if (want_type != have_type) {
        return api_error(ErrorKind::Link, what + ": expected " + to_string(want_type) +
                                              ", got " + to_string(have_type));
      }
    }
    defs.push_back(def);
  }
  return InstancePre(module, std::move(defs));
}

Result<Instance> InstancePre::instantiate(Store& store) const {
  std::vector<Extern> imports;
  imports.reserve(imports_.size());
  for (const Linker::Definition& d : imports_) {
    if (d.host) {
      imports.emplace_back(Func(store.impl()->host_func_for(d.host)));
    } else {
      if (d.store != nullptr && d.store != store.impl()) {
        return api_error(ErrorKind::Link, "linker definition belongs to another store");
      }
      imports.push_back(*d.item);
    }
  }
  return zinc::instantiate(store, module_, imports);
}

}  // namespace zinc

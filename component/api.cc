// component/api.cc: the Component Model embedding API (zinc/component.h) over the runtime
// (runtime.h): compiling components, the component Linker, instances and calls.
#include <cstdio>
#include <cstring>

#include "component/decode.h"
#include "component/runtime.h"
#include "zinc/component.h"

namespace zinc::component {

namespace {

TypeTable& types_of(vm::EngineImpl& e) {
  std::lock_guard<std::mutex> lock(e.extension_mutex);
  if (!e.component_types) e.component_types = std::make_shared<TypeTable>();
  return *static_cast<TypeTable*>(e.component_types.get());
}

}  // namespace

TypeTable& types(const Engine& engine) { return types_of(*engine.impl()); }
TypeTable& types(const Store& store) { return types_of(*store.impl()->engine); }

bool func_compatible(const FuncType& want, const FuncType& have) {
  if (&want == &have) return true;
  if (want.params.size() != have.params.size() || want.result != have.result ||
      want.async != have.async) {
    return false;
  }
  for (size_t i = 0; i < want.params.size(); ++i) {
    if (want.params[i].type != have.params[i].type) return false;
  }
  return true;
}

namespace {

Error err(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return e;
}

/// Compiles every core module of the component tree `c` (nested components, inline outer
/// aliases) into `out`. Iterative: nesting depth is bounded only by the decoder's limit.
void compile_modules(const ComponentImpl& impl, const ComponentIR& root,
                     std::unordered_map<const decoder::Module*,
                                        std::shared_ptr<const vm::CompiledModule>>& out) {
  std::vector<const ComponentIR*> work{&root};
  while (!work.empty()) {
    const ComponentIR* c = work.back();
    work.pop_back();
    // Backtraces name a nested module's functions "COMPONENT/module N!function" unless the
    // module's name section names it.
    auto add_module = [&](const std::shared_ptr<const decoder::Module>& m) {
      if (!m || out.count(m.get())) return;
      const std::string name = impl.name + "/module " + std::to_string(out.size());
      out.emplace(m.get(), vm::compile_decoded(impl.engine, m, name));
    };
    for (const Definition& d : c->definitions) {
      if (const auto* m = std::get_if<CoreModuleDef>(&d.def)) add_module(m->module);
      if (const auto* cd = std::get_if<ComponentDef>(&d.def)) work.push_back(cd->component.get());
      if (const auto* a = std::get_if<AliasDef>(&d.def)) {
        add_module(a->module);
        // An outer alias of an inline component refers to one already in the tree.
      }
    }
  }
}

ExternInfo info_of(const Item& item) {
  ExternInfo info;
  info.name = item.name;
  switch (item.type.kind) {
    case ExternType::Kind::Func:
      info.kind = ExternInfo::Kind::Func;
      if (item.type.type) info.func = static_cast<const FuncTypeNode*>(item.type.type)->type;
      break;
    case ExternType::Kind::Instance:
      info.kind = ExternInfo::Kind::Instance;
      if (item.type.type) {
        for (const Item& e : static_cast<const InstanceTypeNode*>(item.type.type)->exports.items) {
          info.exports.push_back(info_of(e));
        }
      }
      break;
    case ExternType::Kind::Component: info.kind = ExternInfo::Kind::Component; break;
    case ExternType::Kind::Module: info.kind = ExternInfo::Kind::Module; break;
    case ExternType::Kind::Type: info.kind = ExternInfo::Kind::Type; break;
    case ExternType::Kind::Value: info.kind = ExternInfo::Kind::Value; break;
  }
  return info;
}

/// Splits "iface#func" at the last '#'.
std::pair<std::string_view, std::string_view> split_name(std::string_view name) {
  const size_t hash = name.rfind('#');
  if (hash == std::string_view::npos) return {{}, name};
  return {name.substr(0, hash), name.substr(hash + 1)};
}

/// The version-less prefix of an interface name ("wasi:cli/run@0.2.3" -> "wasi:cli/run") and
/// its version ("0.2.3").
std::pair<std::string_view, std::string_view> split_version(std::string_view name) {
  const size_t at = name.find('@');
  if (at == std::string_view::npos) return {name, {}};
  return {name.substr(0, at), name.substr(at + 1)};
}

/// Semver compatibility as Wasmtime applies it to interface names: the same major version,
/// and for 0.x the same minor version ("0.2.0" matches "0.2.12", "1.0.0" matches "1.3.1").
bool versions_compatible(std::string_view a, std::string_view b) {
  if (a == b) return true;
  auto parts = [](std::string_view v, unsigned out[2]) {
    out[0] = out[1] = 0;
    unsigned i = 0;
    for (size_t p = 0; p < v.size() && i < 2; ++p) {
      if (v[p] == '.') {
        ++i;
      } else if (v[p] >= '0' && v[p] <= '9') {
        out[i] = out[i] * 10 + static_cast<unsigned>(v[p] - '0');
      } else {
        return false;
      }
    }
    return true;
  };
  unsigned pa[2], pb[2];
  if (!parts(a, pa) || !parts(b, pb)) return false;
  if (pa[0] != pb[0]) return false;
  return pa[0] != 0 || pa[1] == pb[1];
}

/// The entry of `m` named `name`, else one whose name is the same interface at a
/// semver-compatible version (versions_compatible) and for which `ok` holds; null if none.
template <class Map, class Ok>
const typename Map::mapped_type* find_compatible(const Map& m, std::string_view name, Ok ok) {
  auto it = m.find(name);
  if (it != m.end()) return &it->second;
  auto [base, version] = split_version(name);
  for (const auto& [k, v] : m) {
    auto [kb, kv] = split_version(k);
    if (kb == base && versions_compatible(version, kv) && ok(v)) return &v;
  }
  return nullptr;
}

}  // namespace

// ---- Component ----

Result<Component> Component::compile(const Engine& engine, std::span<const uint8_t> bytes,
                                     std::string_view name) {
  if (bytes.size() < 4 || std::memcmp(bytes.data(), "\0asm", 4) != 0) {
    return unexpected(err(ErrorKind::Decode, "not a component binary (the text format "
                                                   "is read by `zinc wast` and `zinc run`)"));
  }
  auto decoded = decode_component(bytes, types(engine), engine.impl()->features);
  if (!decoded.ok()) {
    char off[32];
    std::snprintf(off, sizeof off, "0x%zx: ", decoded.error().offset);
    return unexpected(err(decoded.error().malformed() ? ErrorKind::Decode
                                                            : ErrorKind::Validate,
                                std::string(off) + decoded.error().message));
  }
  auto impl = std::make_shared<ComponentImpl>();
  impl->component = std::move(*decoded);
  impl->engine = engine.shared_impl();
  impl->name = std::string(name);
  compile_modules(*impl, *impl->component, impl->modules);
  return Component(std::move(impl));
}

std::vector<ExternInfo> Component::imports() const {
  std::vector<ExternInfo> out;
  if (impl_->component->type == nullptr) return out;
  for (const Item& i : impl_->component->type->imports.items) out.push_back(info_of(i));
  return out;
}

std::vector<ExternInfo> Component::exports() const {
  std::vector<ExternInfo> out;
  if (impl_->component->type == nullptr) return out;
  for (const Item& i : impl_->component->type->exports.items) out.push_back(info_of(i));
  return out;
}

// ---- calls ----

Result<std::vector<Val>> call_func(Store& store, const FuncImpl& f, std::span<const Val> args) {
  const FuncType& ft = *f.type;
  if (args.size() != ft.params.size()) {
    return unexpected(err(ErrorKind::Trap,
                                "wrong number of arguments: expected " +
                                    std::to_string(ft.params.size()) + ", got " +
                                    std::to_string(args.size()) + " for " + to_string(ft)));
  }
  for (size_t i = 0; i < args.size(); ++i) {
    if (!matches(args[i], ft.params[i].type)) {
      return unexpected(err(ErrorKind::Trap, "argument `" + ft.params[i].label +
                                                       "` is not a value of type " +
                                                       to_string(ft.params[i].type)));
    }
  }
  if (f.lifted != nullptr) {
    StoreState& ss = store_state(store);
    canon::HostHandles host;
    host.table = &ss.host;
    return canon::call_lifted(*f.lifted, args, &host, /*args_checked=*/true);
  }
  auto r = f.host->fn(store, args);
  if (!r.ok()) return unexpected(r.error());
  std::vector<Val> out;
  if (*r) out.push_back(std::move(**r));
  return out;
}

Result<void> drop_resource(Store& store, const Val& handle) {
  if (handle.kind != ValKind::Own || handle.resource == nullptr || handle.bits > 0xffffffffu) {
    return unexpected(err(ErrorKind::Trap, "not an owned resource handle"));
  }
  StoreState& ss = store_state(store);
  return canon::canon_resource_drop(ss.host, handle.resource, static_cast<uint32_t>(handle.bits));
}

// ---- the typed fast path ----

namespace detail {

bool FlatLower::value(const Val& v, TypeRef t) {
  auto& c = *static_cast<canon::Cx*>(cx);
  return canon::lower_flat(c, v, t, *static_cast<canon::FlatValues*>(out));
}

bool FlatLower::string(std::string_view s) {
  auto& c = *static_cast<canon::Cx*>(cx);
  uint32_t ptr = 0, tagged = 0;
  if (!canon::store_host_string(c, s, &ptr, &tagged)) return false;
  auto& flat = *static_cast<canon::FlatValues*>(out);
  flat.push_back(ptr);
  flat.push_back(tagged);
  return true;
}

bool FlatLift::value(TypeRef t, Val* out) {
  auto& c = *static_cast<canon::Cx*>(cx);
  return canon::lift_flat(c, *static_cast<canon::CoreValueIter*>(in), t, *out);
}

bool FlatLift::string(std::string* out) {
  auto& c = *static_cast<canon::Cx*>(cx);
  auto& vi = *static_cast<canon::CoreValueIter*>(in);
  // A string result is returned through memory: the flat result is a pointer to (ptr, len).
  const uint32_t ptr = static_cast<uint32_t>(vi.next(CoreType::I32));
  if (!c.opts.memory.valid()) return c.trap(canon::TrapKind::MemoryMissing);
  if (ptr % 4 != 0) return c.trap(canon::TrapKind::PointerUnaligned);
  if (!c.opts.memory.in_bounds(ptr, 8)) return c.trap(canon::TrapKind::PointerOutOfBounds);
  // A UTF-8 string that load_string_from_range accepts (length, bounds, well-formed) is
  // copied as is; anything else takes the general path, which also reports the exact trap.
  // The host budget of a fresh context exceeds any one string (lift_string_val's charge).
  if (c.opts.string_encoding == canon::StringEncoding::Utf8) {
    const uint32_t begin = static_cast<uint32_t>(canon::load_int(c, ptr, 4));
    const uint32_t len = static_cast<uint32_t>(canon::load_int(c, ptr + 4, 4));
    if (len <= canon::kMaxStringByteLength && c.opts.memory.in_bounds(begin, len)) {
      const uint8_t* bytes = c.mem() + begin;
      if (canon::utf8_valid(bytes, len)) {
        out->clear();  // append: cheaper than assign's aliasing cases
        out->append(reinterpret_cast<const char*>(bytes), len);
        return true;
      }
    }
  }
  canon::StringRef sref;
  if (!canon::load_string(c, ptr, &sref)) return false;
  if (sref.encoding == canon::StringEncoding::Utf8) {  // not reached: refused above
    out->assign(reinterpret_cast<const char*>(sref.bytes()), sref.byte_length());
    return true;
  }
  Val v;
  if (!canon::lift_string_val(c, sref, v)) return false;
  *out = std::move(v.str);
  return true;
}

bool flat_callable(const FuncImpl* f) {
  return f->lifted != nullptr && !f->lifted->opts.async && !f->lifted->opts.callback &&
         canon::flat_count(f->lifted->types.params) <= kMaxFlatParams;
}

Result<void> call_flat(Store& store, FuncImpl* f, LowerCallback lower, LiftCallback lift,
                       void* ctx) {
  (void)store;
  auto lower_fn = [&](canon::Cx& cx, canon::FlatValues& out) {
    FlatLower l;
    l.cx = &cx;
    l.out = &out;
    return lower(l, ctx);
  };
  auto lift_fn = [&](canon::Cx& cx, canon::CoreValueIter& in) {
    FlatLift l;
    l.cx = &cx;
    l.in = &in;
    l.type = f->type->result;
    return lift(l, ctx);
  };
  return canon::call_lifted_flat(*f->lifted, canon::LowerFn(lower_fn), canon::LiftFn(lift_fn));
}

}  // namespace detail

const FuncType& Func::type() const { return *f_->type; }

Result<std::optional<Val>> Func::call(Store& store, std::span<const Val> args) const {
  auto r = call_func(store, *f_, args);
  if (!r.ok()) return unexpected(r.error());
  if (r->empty()) return std::optional<Val>();
  return std::optional<Val>(std::move(r->front()));
}

// ---- Instance ----

std::optional<Func> Instance::get_func(Store& store, std::string_view name) const {
  auto [iface, fn] = split_name(name);
  const InstanceValue* inst = i_;
  if (!iface.empty()) {
    std::optional<Instance> exported = get_instance(store, iface);
    if (!exported) return std::nullopt;
    inst = exported->raw();
  }
  const ItemValue* f = inst->find(fn);
  if (f == nullptr || f->kind != ExternType::Kind::Func) return std::nullopt;
  return Func(f->func);
}

std::optional<Instance> Instance::get_instance(Store&, std::string_view name) const {
  const ItemValue* v = find_compatible(i_->exports, name, [](const ItemValue& item) {
    return item.kind == ExternType::Kind::Instance;
  });
  if (v == nullptr || v->kind != ExternType::Kind::Instance) return std::nullopt;
  return Instance(v->instance);
}

std::vector<std::pair<std::string, Func>> Instance::funcs(Store&) const {
  std::vector<std::pair<std::string, Func>> out;
  const InstanceValue* inst = i_;
  for (const std::string& n : inst->order) {
    const ItemValue& v = inst->exports.at(n);
    if (v.kind == ExternType::Kind::Func) {
      out.emplace_back(n, Func(v.func));
    } else if (v.kind == ExternType::Kind::Instance) {
      for (const std::string& m : v.instance->order) {
        const ItemValue& w = v.instance->exports.at(m);
        if (w.kind == ExternType::Kind::Func) out.emplace_back(n + "#" + m, Func(w.func));
      }
    }
  }
  return out;
}

// ---- Linker ----

/// Validation-time resource types of a component's imports -> the run-time (host) resource
/// types bound to them, filled in import order as imports are resolved.
using BoundResources = std::unordered_map<const ResourceType*, const ResourceType*>;

struct Linker::Impl {
  explicit Impl(const Engine& e) : engine(e) {}
  Engine engine;
  bool shadowing = false;
  /// "name" or "iface#name" -> host function.
  std::map<std::string, std::shared_ptr<const HostFuncEntry>, std::less<>> funcs;
  /// "name" or "iface#name" -> host resource type.
  std::map<std::string, std::shared_ptr<const HostResourceEntry>, std::less<>> resources;
  /// Instances of other components given as whole instance imports (define_instance).
  std::map<std::string, InstanceValue*, std::less<>> instances;

  /// The host item satisfying the import `item` of a component, created in `store`; the
  /// resources it binds are added to `bound`.
  Result<ItemValue> resolve(Store& store, const Item& item, BoundResources& bound) const;
  /// Binds the resource type export `e` of the imported instance `iface` (or the top-level
  /// type import `e` when `iface` is empty) to a host resource; null with `error` set when
  /// the host has none.
  const ResourceValue* bind_resource(Store& store, std::string_view iface, const Item& e,
                                     BoundResources& bound, Error* error) const;
  const HostFuncEntry* find_func(std::string_view iface, std::string_view name) const {
    return find_host(funcs, iface, name);
  }
  const HostResourceEntry* find_resource(std::string_view iface, std::string_view name) const {
    return find_host(resources, iface, name);
  }
  const InstanceValue* find_instance(std::string_view name) const;
  Result<void> check_instance(const Item& item, const InstanceValue& given) const;

  /// The entry "iface#name" (or "name") of `m`, the interface matched with semver
  /// compatibility.
  template <class Map>
  static const typename Map::mapped_type::element_type* find_host(const Map& m,
                                                                  std::string_view iface,
                                                                  std::string_view name);
};

template <class Map>
const typename Map::mapped_type::element_type* Linker::Impl::find_host(const Map& m,
                                                                       std::string_view iface,
                                                                       std::string_view name) {
  std::string key = iface.empty() ? std::string(name) : std::string(iface) + "#" + std::string(name);
  auto it = m.find(key);
  if (it != m.end()) return it->second.get();
  if (iface.empty()) return nullptr;
  auto [base, version] = split_version(iface);
  for (const auto& [k, v] : m) {
    auto [ki, kn] = split_name(k);
    if (kn != name) continue;
    auto [kb, kv] = split_version(ki);
    if (kb == base && versions_compatible(version, kv)) return v.get();
  }
  return nullptr;
}

const InstanceValue* Linker::Impl::find_instance(std::string_view name) const {
  InstanceValue* const* v = find_compatible(instances, name, [](InstanceValue*) { return true; });
  return v ? *v : nullptr;
}

namespace {

/// Structural equality of value types where resources only need the same handle kind: the
/// importer names a resource by its own validation-time type, the exporter by its run-time
/// one; which resource it is gets bound when the instance is imported (instantiate.cc).
bool same_shape(TypeRef a, TypeRef b, uint32_t depth = 0) {
  if (a == b) return true;
  if (a == nullptr || b == nullptr || a->kind != b->kind || depth > kMaxTypeDepth) return false;
  if (a->kind == ValKind::Own || a->kind == ValKind::Borrow) return true;
  if (!a->has_resource || !b->has_resource) return false;  // interned: equal iff same pointer
  if (a->length != b->length || a->labels != b->labels || a->fields.size() != b->fields.size() ||
      a->elems.size() != b->elems.size() || a->cases.size() != b->cases.size()) {
    return false;
  }
  for (size_t i = 0; i < a->fields.size(); ++i) {
    if (a->fields[i].label != b->fields[i].label ||
        !same_shape(a->fields[i].type, b->fields[i].type, depth + 1)) {
      return false;
    }
  }
  for (size_t i = 0; i < a->elems.size(); ++i) {
    if (!same_shape(a->elems[i], b->elems[i], depth + 1)) return false;
  }
  for (size_t i = 0; i < a->cases.size(); ++i) {
    if (a->cases[i].label != b->cases[i].label ||
        !same_shape(a->cases[i].type, b->cases[i].type, depth + 1)) {
      return false;
    }
  }
  return same_shape(a->elem, b->elem, depth + 1) && same_shape(a->key, b->key, depth + 1) &&
         same_shape(a->ok, b->ok, depth + 1) && same_shape(a->err, b->err, depth + 1);
}

bool same_func_shape(const FuncType& want, const FuncType& have) {
  if (want.params.size() != have.params.size() || want.async != have.async ||
      !same_shape(want.result, have.result)) {
    return false;
  }
  for (size_t i = 0; i < want.params.size(); ++i) {
    if (!same_shape(want.params[i].type, have.params[i].type)) return false;
  }
  return true;
}

}  // namespace

Result<void> Linker::Impl::check_instance(const Item& item, const InstanceValue& given) const {
  const auto* type = static_cast<const InstanceTypeNode*>(item.type.type);
  for (const Item& e : type->exports.items) {
    const ItemValue* v = given.find(e.name);
    if (v == nullptr) {
      return unexpected(err(ErrorKind::Link, "import `" + item.name + "`: the instance given "
                                             "has no export `" + e.name + "` (" +
                                             e.type.desc() + ")"));
    }
    if (v->kind != e.type.kind) {
      return unexpected(err(ErrorKind::Link, "import `" + item.name + "`: export `" + e.name +
                                                 "` is not a " + e.type.desc()));
    }
    if (e.type.kind == ExternType::Kind::Func) {
      const FuncType* want = static_cast<const FuncTypeNode*>(e.type.type)->type;
      if (!same_func_shape(*want, *v->func->type)) {
        return unexpected(err(ErrorKind::Link, "import `" + item.name + "#" + e.name +
                                                   "` has the wrong type: expected " +
                                                   to_string(*want) + ", the instance has " +
                                                   to_string(*v->func->type)));
      }
    }
  }
  return {};
}

namespace {

/// The run-time value of host resource `rt` in `store` (one per store), its destructor
/// registered in the store's resource registry.
const ResourceValue* host_resource_value(Store& store, const ResourceType* rt,
                                         const HostResourceEntry* entry) {
  StoreState& ss = store_state(store);
  auto it = ss.host_resources.find(rt);
  if (it != ss.host_resources.end()) return it->second;
  ResourceValue& rv = ss.resources.emplace_back();
  rv.rt = rt;
  if (entry != nullptr && entry->dtor) {
    HostDtor dtor = entry->dtor;
    Store* sp = &store;
    rv.dtor = [dtor, sp](uint32_t rep) { return dtor(*sp, rep); };
  }
  ss.registry.define(rt, nullptr, rv.dtor);
  ss.host_resources.emplace(rt, &rv);
  return &rv;
}

const ResourceType* resource_of(const TypeNode* node) {
  if (node == nullptr || node->kind != TypeNode::Kind::Resource) return nullptr;
  return static_cast<const ResourceAlias*>(node)->resource;
}

}  // namespace

const ResourceValue* Linker::Impl::bind_resource(Store& store, std::string_view iface,
                                                 const Item& e, BoundResources& bound,
                                                 Error* error) const {
  const ResourceType* named = resource_of(e.type.type);
  const ResourceType* created = resource_of(e.type.created);
  const std::string where = iface.empty() ? e.name : std::string(iface) + "#" + e.name;
  const ResourceType* run = nullptr;
  const HostResourceEntry* entry = nullptr;
  if (auto it = bound.find(named); it != bound.end()) {
    run = it->second;  // `eq` to a resource bound by an earlier import
  } else if (e.type.created == e.type.type) {
    entry = find_resource(iface, e.name);
    if (entry == nullptr) {
      *error = err(ErrorKind::Link, "import `" + where +
                                        "` is a resource type the host does not define");
      return nullptr;
    }
    run = entry->rt;
  } else {
    *error = err(ErrorKind::Link, "import `" + where +
                                      "` refers to a resource the host cannot provide");
    return nullptr;
  }
  bound[named] = run;
  if (created != nullptr) bound[created] = run;
  return host_resource_value(store, run, entry);
}

Result<ItemValue> Linker::Impl::resolve(Store& store, const Item& item,
                                        BoundResources& bound) const {
  StoreState& ss = store_state(store);
  TypeTable& tt = types(engine);
  ItemValue v;
  v.kind = item.type.kind;
  auto make_func = [&](const HostFuncEntry* h) {
    FuncImpl& fi = ss.funcs.emplace_back();
    fi.type = h->type;
    fi.host = h;
    fi.store = &store;
    return &fi;
  };
  auto type_error = [&](std::string_view name, const FuncType& want, const FuncType& have) {
    return err(ErrorKind::Link, "import `" + std::string(name) + "` has the wrong type: "
                                      "expected " + to_string(want) + ", the host defines " +
                                      to_string(have));
  };
  // The import's function type with the resources bound so far (the host's types name its
  // own resource types).
  auto bound_type = [&](const FuncType* want) {
    return subst_func(tt, want, [&](const ResourceType* rt) -> const ResourceType* {
      auto it = bound.find(rt);
      return it == bound.end() ? nullptr : it->second;
    });
  };
  switch (item.type.kind) {
    case ExternType::Kind::Func: {
      const HostFuncEntry* h = find_func({}, item.name);
      if (h == nullptr) break;
      const FuncType* want = bound_type(static_cast<const FuncTypeNode*>(item.type.type)->type);
      if (!func_compatible(*want, *h->type)) {
        return unexpected(type_error(item.name, *want, *h->type));
      }
      v.func = make_func(h);
      return v;
    }
    case ExternType::Kind::Instance: {
      if (const InstanceValue* given = find_instance(item.name)) {
        if (Result<void> r = check_instance(item, *given); !r.ok()) return unexpected(r.error());
        v.instance = const_cast<InstanceValue*>(given);
        return v;
      }
      InstanceValue& inst = ss.instances.emplace_back();
      const auto* it = static_cast<const InstanceTypeNode*>(item.type.type);
      for (const Item& e : it->exports.items) {
        ItemValue ev;
        ev.kind = e.type.kind;
        if (e.type.kind == ExternType::Kind::Type) {
          // A resource is bound to the host's; other types (records, variants, ... with an
          // `eq` bound) are just their structure.
          if (resource_of(e.type.type) != nullptr) {
            Error error;
            ev.resource = bind_resource(store, item.name, e, bound, &error);
            if (ev.resource == nullptr) return unexpected(std::move(error));
          }
          inst.add(e.name, ev);
          continue;
        }
        if (e.type.kind != ExternType::Kind::Func) {
          return unexpected(err(
              ErrorKind::Link, "import `" + item.name + "`: the host cannot provide its " +
                                   e.type.desc() + " export `" + e.name + "`"));
        }
        const HostFuncEntry* h = find_func(item.name, e.name);
        if (h == nullptr) {
          return unexpected(err(ErrorKind::Link, "import `" + item.name +
                                                           "` needs function `" + e.name +
                                                           "`, which the host does not define"));
        }
        const FuncType* want = bound_type(static_cast<const FuncTypeNode*>(e.type.type)->type);
        if (!func_compatible(*want, *h->type)) {
          return unexpected(type_error(item.name + "#" + e.name, *want, *h->type));
        }
        ev.func = make_func(h);
        inst.add(e.name, ev);
      }
      v.instance = &inst;
      return v;
    }
    case ExternType::Kind::Type: {
      // A type import with an `eq` bound is the type itself (wit-component imports the
      // records and variants a world uses this way); a resource is the host's.
      if (resource_of(item.type.type) == nullptr) return v;
      const bool fresh = item.type.created == item.type.type;
      if (fresh && find_resource({}, item.name) == nullptr) break;
      Error error;
      v.resource = bind_resource(store, {}, item, bound, &error);
      if (v.resource == nullptr) return unexpected(std::move(error));
      return v;
    }
    default:
      break;
  }
  return unexpected(err(ErrorKind::Link, "missing import `" + item.name + "` (" +
                                                   item.type.desc() + ")"));
}

Linker::Linker(const Engine& engine) : impl_(std::make_unique<Impl>(engine)) {}
Linker::~Linker() = default;
Linker::Linker(Linker&&) noexcept = default;
Linker& Linker::operator=(Linker&&) noexcept = default;

void Linker::allow_shadowing(bool allow) { impl_->shadowing = allow; }
const Engine& Linker::engine() const { return impl_->engine; }

Result<void> Linker::define_func(std::string_view name, const FuncType* type, HostFunc fn) {
  auto entry = std::make_shared<HostFuncEntry>();
  entry->type = type;
  entry->fn = std::move(fn);
  auto [it, inserted] = impl_->funcs.emplace(std::string(name), entry);
  if (!inserted) {
    if (!impl_->shadowing) {
      return unexpected(err(ErrorKind::Link, "`" + std::string(name) + "` is defined twice"));
    }
    it->second = entry;
  }
  return {};
}

Result<void> Linker::define_resource(std::string_view name, const ResourceType* rt,
                                     HostDtor dtor) {
  if (rt == nullptr) return unexpected(err(ErrorKind::Link, "define_resource: no resource type"));
  auto entry = std::make_shared<HostResourceEntry>();
  entry->rt = rt;
  entry->dtor = std::move(dtor);
  auto [it, inserted] = impl_->resources.emplace(std::string(name), entry);
  if (!inserted) {
    if (!impl_->shadowing) {
      return unexpected(err(ErrorKind::Link, "`" + std::string(name) + "` is defined twice"));
    }
    it->second = entry;
  }
  return {};
}

Result<void> Linker::define_instance(std::string_view name, Instance instance) {
  auto [it, inserted] = impl_->instances.emplace(std::string(name), instance.raw());
  if (!inserted) {
    if (!impl_->shadowing) {
      return unexpected(err(ErrorKind::Link, "`" + std::string(name) + "` is defined twice"));
    }
    it->second = instance.raw();
  }
  return {};
}

Result<Instance> Linker::instantiate(Store& store, const Component& component) const {
  std::map<std::string, ItemValue, std::less<>> imports;
  const Component& c = component;
  const ComponentTypeNode* type = c.impl()->component->type;
  if (type != nullptr) {
    BoundResources bound;
    for (const Item& item : type->imports.items) {
      auto v = impl_->resolve(store, item, bound);
      if (!v.ok()) return unexpected(v.error());
      imports.emplace(item.name, *v);
    }
  }
  auto inst = component::instantiate(store, *c.impl(), imports);
  if (!inst.ok()) return unexpected(inst.error());
  return Instance(*inst);
}

struct InstancePre::Impl {
  std::shared_ptr<const Linker::Impl> linker;
  Component component;
};

Result<InstancePre> Linker::instantiate_pre(const Component& component) const {
  const ComponentTypeNode* type = component.impl()->component->type;
  if (type != nullptr) {
    // Check now that every import can be resolved (functions exist with the right types).
    for (const Item& item : type->imports.items) {
      if (item.type.kind == ExternType::Kind::Func) {
        if (impl_->find_func({}, item.name) == nullptr) {
          return unexpected(err(ErrorKind::Link, "missing import `" + item.name + "`"));
        }
      }
    }
  }
  auto pre = std::make_shared<InstancePre::Impl>(
      InstancePre::Impl{std::make_shared<const Linker::Impl>(*impl_), component});
  return InstancePre(std::move(pre));
}

Result<Instance> InstancePre::instantiate(Store& store) const {
  std::map<std::string, ItemValue, std::less<>> imports;
  const ComponentTypeNode* type = impl_->component.impl()->component->type;
  if (type != nullptr) {
    BoundResources bound;
    for (const Item& item : type->imports.items) {
      auto v = impl_->linker->resolve(store, item, bound);
      if (!v.ok()) return unexpected(v.error());
      imports.emplace(item.name, *v);
    }
  }
  auto inst = component::instantiate(store, *impl_->component.impl(), imports);
  if (!inst.ok()) return unexpected(inst.error());
  return Instance(*inst);
}

}  // namespace zinc::component

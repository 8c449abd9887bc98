// component/instantiate.cc: instantiating a validated component (runtime.h).
//
// One pass over Component::definitions, appending to the Frame's index spaces in the same
// order as validation appended to IndexSpaces, so every index in the IR means the same entry
// at run time. Validation already type-checked every internal reference; what can fail here is
// what validation cannot see: a missing or mistyped top-level import, a trap in a core start
// function or segment initialisation, and built-ins this runtime does not run yet (the async
// ABI), which trap when called.
// Spec: design/mvp/Explainer.md "Instance Definitions", "Canonical Definitions".
#include <cstdio>

#include "component/decode.h"
#include "component/runtime.h"
#include "zinc/module.h"

namespace zinc::component {

const ItemValue* InstanceValue::find(std::string_view name) const {
  auto it = exports.find(name);
  return it == exports.end() ? nullptr : &it->second;
}

StoreState& store_state(Store& store) {
  vm::StoreImpl& s = *store.impl();
  if (!s.component_state) s.component_state = std::make_shared<StoreState>();
  return *static_cast<StoreState*>(s.component_state.get());
}

namespace {

Error link_error(std::string message) {
  Error e;
  e.kind = ErrorKind::Link;
  e.message = std::move(message);
  return e;
}

Error trap_message(std::string message) {
  Error e;
  e.kind = ErrorKind::Trap;
  e.message = std::move(message);
  return e;
}

canon::StringEncoding encoding_of(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return canon::StringEncoding::Utf8;
    case StringEncoding::Utf16: return canon::StringEncoding::Utf16;
    case StringEncoding::Latin1Utf16: return canon::StringEncoding::Latin1Utf16;
  }
  return canon::StringEncoding::Utf8;
}

class Instantiator {
 public:
  Instantiator(Store& store) : store_(store), ss_(store_state(store)) {}

  Result<InstanceValue*> run(const ComponentValue& cv,
                             const std::map<std::string, ItemValue, std::less<>>& args,
                             canon::InstanceState* parent_state, std::string_view name,
                             uint32_t depth);

 private:
  Result<void> definition(Frame& f, const Definition& d,
                          const std::map<std::string, ItemValue, std::less<>>& args,
                          uint32_t depth);
  Result<void> core_instance(Frame& f, const CoreInstanceDef& d);
  Result<void> alias(Frame& f, const AliasDef& d);
  Result<void> canon(Frame& f, const CanonDef& d);
  Result<void> import(Frame& f, const ImportDef& d,
                      const std::map<std::string, ItemValue, std::less<>>& args);
  void export_item(Frame& f, const ExportDef& d);

  ItemValue item_of(Frame& f, const SortIdx& s);
  void push_item(Frame& f, const ItemValue& v);
  void push_type(Frame& f, const ResourceValue* rv);
  void bind_resources(Frame& f, const ExternType& t, const ItemValue& v);
  canon::CanonicalOptions options(Frame& f, const CanonOptions& o);
  TypeTable& types() { return *static_cast<TypeTable*>(store_.impl()->engine->component_types.get()); }
  const ResourceType* subst_resource(const Frame& f, const ResourceType* rt) const;
  const FuncType* subst_func(const Frame& f, const FuncType* ft);
  Extern host_core_func(const decoder::FuncType& type, HostCallback cb);

  Store& store_;
  StoreState& ss_;
};

Result<InstanceValue*> Instantiator::run(
    const ComponentValue& cv, const std::map<std::string, ItemValue, std::less<>>& args,
    canon::InstanceState* parent_state, std::string_view name, uint32_t depth) {
  if (depth > kMaxComponentNesting) {
    return unexpected(link_error("component instances nested too deeply"));
  }
  Frame& f = ss_.frames.emplace_back();
  f.component = cv.component.get();
  f.compiled = cv.compiled;
  f.parent = cv.parent;
  f.state = &ss_.states.emplace_back(&ss_.registry, parent_state, std::string(name));
  ss_.keep.push_back(cv.component);
  for (const Definition& d : f.component->definitions) {
    Result<void> r = definition(f, d, args, depth);
    if (!r.ok()) return unexpected(r.error());
  }
  InstanceValue& inst = ss_.instances.emplace_back();
  inst.state = f.state;
  for (uint32_t di : f.component->exports) {
    const auto& e = std::get<ExportDef>(f.component->definitions[di].def);
    inst.add(e.item_def.name, item_of(f, e.item));
  }
  return &inst;
}

Result<void> Instantiator::definition(Frame& f, const Definition& d,
                                      const std::map<std::string, ItemValue, std::less<>>& args,
                                      uint32_t depth) {
  return std::visit(
      [&](const auto& def) -> Result<void> {
        using T = std::decay_t<decltype(def)>;
        if constexpr (std::is_same_v<T, CoreModuleDef>) {
          auto it = f.compiled->modules.find(def.module.get());
          if (it == f.compiled->modules.end()) {
            return unexpected(link_error("internal error: core module was not compiled"));
          }
          f.core_modules.push_back(it->second);
          return {};
        } else if constexpr (std::is_same_v<T, CoreInstanceDef>) {
          return core_instance(f, def);
        } else if constexpr (std::is_same_v<T, CoreTypeDef>) {
          return {};
        } else if constexpr (std::is_same_v<T, ComponentDef>) {
          f.components.push_back({def.component, f.compiled, &f});
          return {};
        } else if constexpr (std::is_same_v<T, InstanceDef>) {
          if (!def.instantiate) {
            InstanceValue& inst = ss_.instances.emplace_back();
            for (const auto& e : def.exports) inst.add(e.name, item_of(f, e.item));
            f.instances.push_back(&inst);
            return {};
          }
          std::map<std::string, ItemValue, std::less<>> nested_args;
          for (const auto& a : def.args) nested_args.emplace(a.name, item_of(f, a.item));
          const ComponentValue& cv = f.components.at(def.component);
          auto inst = run(cv, nested_args, f.state, "", depth + 1);
          if (!inst.ok()) return unexpected(inst.error());
          f.instances.push_back(*inst);
          return {};
        } else if constexpr (std::is_same_v<T, AliasDef>) {
          return alias(f, def);
        } else if constexpr (std::is_same_v<T, TypeDefinition>) {
          if (def.resource == nullptr) {
            push_type(f, nullptr);
            return {};
          }
          ResourceValue& rv = ss_.resources.emplace_back();
          rv.rt = types().new_resource(def.resource->debug_name);
          rv.impl = f.state;
          if (def.dtor) {
            vm::FuncInst* fi = f.core_funcs.at(*def.dtor).func()->raw();
            canon::CoreFn call = canon::core_fn(*store_.impl(), fi);
            rv.dtor = [call](uint32_t rep) -> Result<void> {
              uint64_t slot = rep;
              return call(&slot, 1);
            };
          }
          ss_.registry.define(rv.rt, rv.impl, rv.dtor);
          f.resources[def.resource] = &rv;
          push_type(f, &rv);
          return {};
        } else if constexpr (std::is_same_v<T, CanonDef>) {
          return canon(f, def);
        } else if constexpr (std::is_same_v<T, StartDef>) {
          return unexpected(link_error("component start functions (value imports) are not "
                                       "supported yet"));
        } else if constexpr (std::is_same_v<T, ImportDef>) {
          return import(f, def, args);
        } else if constexpr (std::is_same_v<T, ExportDef>) {
          export_item(f, def);
          return {};
        }
      },
      d.def);
}

Result<void> Instantiator::core_instance(Frame& f, const CoreInstanceDef& d) {
  CoreInstanceValue& ci = ss_.core_instances.emplace_back();
  if (!d.instantiate) {
    for (const auto& e : d.exports) {
      Extern x = zinc::Func(nullptr);
      switch (e.sort) {
        case CoreSort::Func: x = f.core_funcs.at(e.index); break;
        case CoreSort::Table: x = f.core_tables.at(e.index); break;
        case CoreSort::Memory: x = f.core_memories.at(e.index); break;
        case CoreSort::Global: x = f.core_globals.at(e.index); break;
        default:
          return unexpected(link_error(std::string("core ") + core_sort_name(e.sort) +
                                       " exports are not supported yet"));
      }
      ci.bundle.emplace(e.name, x);
    }
    f.core_instances.push_back(&ci);
    return {};
  }
  const auto& cm = f.core_modules.at(d.module);
  std::vector<Extern> imports;
  imports.reserve(cm->module->imports.size());
  for (const decoder::Import& imp : cm->module->imports) {
    const CoreInstanceValue* src = nullptr;
    for (const auto& a : d.args) {
      if (a.name == imp.module) src = f.core_instances.at(a.instance);
    }
    std::optional<Extern> x;
    if (src != nullptr) {
      if (src->inst != nullptr) {
        x = zinc::Instance(src->inst).get_export(store_, imp.name);
      } else {
        auto it = src->bundle.find(imp.name);
        if (it != src->bundle.end()) x = it->second;
      }
    }
    if (!x) {
      return unexpected(link_error("missing core import `" + imp.module + "` `" + imp.name + "`"));
    }
    imports.push_back(*x);
  }
  auto inst = vm::instantiate_module(*store_.impl(), cm, imports);
  if (!inst.ok()) return unexpected(inst.error());
  ci.inst = *inst;
  f.core_instances.push_back(&ci);
  return {};
}

Result<void> Instantiator::alias(Frame& f, const AliasDef& d) {
  switch (d.kind) {
    case AliasDef::Kind::Export: {
      const ItemValue* v = f.instances.at(d.instance)->find(d.name);
      if (v == nullptr) {
        return unexpected(link_error("instance has no export `" + d.name + "`"));
      }
      push_item(f, *v);
      return {};
    }
    case AliasDef::Kind::CoreExport: {
      const CoreInstanceValue* ci = f.core_instances.at(d.instance);
      std::optional<Extern> x;
      if (ci->inst != nullptr) {
        x = zinc::Instance(ci->inst).get_export(store_, d.name);
      } else {
        auto it = ci->bundle.find(d.name);
        if (it != ci->bundle.end()) x = it->second;
      }
      if (!x) return unexpected(link_error("core instance has no export `" + d.name + "`"));
      switch (d.core_sort) {
        case CoreSort::Func: f.core_funcs.push_back(*x); break;
        case CoreSort::Table: f.core_tables.push_back(*x); break;
        case CoreSort::Memory: f.core_memories.push_back(*x); break;
        case CoreSort::Global: f.core_globals.push_back(*x); break;
        default:
          return unexpected(link_error(std::string("core ") + core_sort_name(d.core_sort) +
                                       " aliases are not supported yet"));
      }
      return {};
    }
    case AliasDef::Kind::Outer: {
      Frame* target = &f;
      for (uint32_t i = 0; i < d.count && target != nullptr; ++i) target = target->parent;
      if (target == nullptr) return unexpected(link_error("outer alias out of range"));
      if (d.sort == Sort::Core && d.core_sort == CoreSort::Module) {
        if (d.module) {
          f.core_modules.push_back(f.compiled->modules.at(d.module.get()));
        } else {
          f.core_modules.push_back(target->core_modules.at(d.index));
        }
      } else if (d.sort == Sort::Component) {
        if (d.component) {
          f.components.push_back({d.component, f.compiled, target});
        } else {
          f.components.push_back(target->components.at(d.index));
        }
      } else if (d.sort == Sort::Type) {
        push_type(f, d.index < target->types.size() ? target->types[d.index] : nullptr);
      }
      // Core types: type-level only.
      return {};
    }
  }
  return {};
}

canon::CanonicalOptions Instantiator::options(Frame& f, const CanonOptions& o) {
  canon::CanonicalOptions r;
  r.string_encoding = encoding_of(o.string_encoding);
  if (o.memory) r.memory = canon::GuestMemory::of(*f.core_memories.at(*o.memory).memory()->raw());
  if (o.realloc) {
    r.realloc = canon::realloc_fn(*store_.impl(), f.core_funcs.at(*o.realloc).func()->raw());
  }
  if (o.post_return) {
    r.post_return = canon::core_fn(*store_.impl(), f.core_funcs.at(*o.post_return).func()->raw());
  }
  r.async = o.async;
  r.callback = o.callback.has_value();
  return r;
}

Extern Instantiator::host_core_func(const decoder::FuncType& type, HostCallback cb) {
  auto def = std::make_shared<HostFuncDef>();
  def->type = vm::to_public(type);
  def->callback = std::move(cb);
  return zinc::Func(store_.impl()->new_host_func(std::move(def)));
}

Result<void> Instantiator::canon(Frame& f, const CanonDef& d) {
  canon::InstanceState* state = f.state;
  switch (d.kind) {
    case CanonKind::Lift: {
      vm::FuncInst* core = f.core_funcs.at(d.func).func()->raw();
      const FuncType* type = subst_func(f, d.type->type);
      canon::LiftedFunc& lf = ss_.lifted.emplace_back(type, options(f, d.options), state,
                                                      canon::core_fn(*store_.impl(), core));
      FuncImpl& fi = ss_.funcs.emplace_back();
      fi.type = type;
      fi.lifted = &lf;
      fi.store = &store_;
      f.funcs.push_back(&fi);
      return {};
    }
    case CanonKind::Lower: {
      FuncImpl* callee = f.funcs.at(d.func);
      const canon::LoweredFunc& lowered =
          ss_.lowered.emplace_back(subst_func(f, d.type->type), options(f, d.options), state);
      const size_t num_slots =
          std::max(d.core_type->params.size(), d.core_type->results.size());
      Store* store = &store_;
      f.core_funcs.push_back(host_core_func(
          *d.core_type, [callee, &lowered, num_slots, store](Caller&, uint64_t* slots) {
            if (callee->lifted != nullptr) {
              const canon::LiftedFunc& lifted = *callee->lifted;
              // Component to component: values are copied from the caller's memory and flat
              // values into the callee's directly (canon_fused.cc), never through Vals. An
              // async lower keeps the spec's lower-of-lift path (call_fused refuses it).
              if (!lowered.opts.async) {
                return canon::call_fused(lowered, lifted, slots, num_slots);
              }
              auto call = [&lifted](canon::OnStart on_start, canon::OnResolve on_resolve,
                                    canon::InstanceState* caller) {
                return canon::canon_lift(lifted, caller, on_start, on_resolve);
              };
              return canon::canon_lower(lowered, canon::FuncInst(call), slots, num_slots,
                                        canon::Boundary::Component);
            }
            const HostFuncEntry* host = callee->host;
            auto call = [host, store](canon::OnStart on_start, canon::OnResolve on_resolve,
                                      canon::InstanceState*) -> Result<void> {
              std::vector<Val> args;
              Result<void> r = on_start(args);
              if (!r.ok()) return r;
              auto result = host->fn(*store, args);
              if (!result.ok()) return unexpected(result.error());
              std::vector<Val> results;
              if (*result) results.push_back(std::move(**result));
              return on_resolve(results);
            };
            return canon::canon_lower(lowered, canon::FuncInst(call), slots, num_slots,
                                      canon::Boundary::Host);
          }));
      return {};
    }
    case CanonKind::ResourceNew: {
      const ResourceType* rt = subst_resource(f, d.resource);
      f.core_funcs.push_back(host_core_func(*d.core_type, [state, rt](Caller&, uint64_t* slots) {
        auto r = canon::canon_resource_new(*state, rt, static_cast<uint32_t>(slots[0]));
        if (!r.ok()) return Result<void>(unexpected(r.error()));
        slots[0] = *r;
        return Result<void>();
      }));
      return {};
    }
    case CanonKind::ResourceDrop: {
      const ResourceType* rt = subst_resource(f, d.resource);
      f.core_funcs.push_back(host_core_func(*d.core_type, [state, rt](Caller&, uint64_t* slots) {
        return canon::canon_resource_drop(*state, rt, static_cast<uint32_t>(slots[0]));
      }));
      return {};
    }
    case CanonKind::ResourceRep: {
      const ResourceType* rt = subst_resource(f, d.resource);
      f.core_funcs.push_back(host_core_func(*d.core_type, [state, rt](Caller&, uint64_t* slots) {
        auto r = canon::canon_resource_rep(*state, rt, static_cast<uint32_t>(slots[0]));
        if (!r.ok()) return Result<void>(unexpected(r.error()));
        slots[0] = *r;
        return Result<void>();
      }));
      return {};
    }
    case CanonKind::ContextGet:
    case CanonKind::ContextSet: {
      // definitions.py: canon_context_get / canon_context_set (no may_leave check). Only i32
      // slots exist (validated); slot index validated < 2.
      const bool get = d.kind == CanonKind::ContextGet;
      const uint32_t slot = d.slot;
      f.core_funcs.push_back(host_core_func(*d.core_type, [get, slot, state](Caller&,
                                                                           uint64_t* slots) {
        if (slot >= 2) return Result<void>(unexpected(trap_message("context slot out of range")));
        if (get) {
          slots[0] = state->context[slot];
        } else {
          state->context[slot] = static_cast<uint32_t>(slots[0]);
        }
        return Result<void>();
      }));
      return {};
    }
    case CanonKind::BackpressureInc:
    case CanonKind::BackpressureDec: {
      // definitions.py: canon_backpressure_inc / _dec (no may_leave check). The counter only
      // gates async task starts, which this runtime does not have yet; its bounds are checked.
      const bool inc = d.kind == CanonKind::BackpressureInc;
      uint32_t* counter = &f.backpressure;
      f.core_funcs.push_back(host_core_func(*d.core_type, [inc, counter](Caller&, uint64_t*) {
        if (inc ? *counter == 0xffff : *counter == 0) {
          return Result<void>(unexpected(
              trap_message(inc ? "backpressure counter overflow" : "backpressure counter underflow")));
        }
        *counter += inc ? 1 : uint32_t(-1);
        return Result<void>();
      }));
      return {};
    }
    default: {
      // The async and threading built-ins: validated, not run yet. A component may define
      // them; calling one traps.
      // As every built-in, they first trap when the instance may not leave (during
      // post-return, definitions.py: `trap_if(not inst.may_leave)`).
      const std::string what = std::string("canon ") + canon_name(d.kind);
      f.core_funcs.push_back(host_core_func(*d.core_type, [what, state](Caller&, uint64_t*) {
        if (!state->may_leave) {
          return Result<void>(unexpected(
              canon::trap_error(canon::TrapKind::CannotLeave, canon::Boundary::Component)));
        }
        return Result<void>(
            unexpected(trap_message(what + " is not supported yet (async Component Model)")));
      }));
      return {};
    }
  }
}

const ResourceType* Instantiator::subst_resource(const Frame& f, const ResourceType* rt) const {
  auto it = f.resources.find(rt);
  return it == f.resources.end() ? rt : it->second->rt;
}

const FuncType* Instantiator::subst_func(const Frame& f, const FuncType* ft) {
  return component::subst_func(types(), ft, [&](const ResourceType* rt) {
    return subst_resource(f, rt);
  });
}

ItemValue Instantiator::item_of(Frame& f, const SortIdx& s) {
  ItemValue v;
  switch (s.sort) {
    case Sort::Func:
      v.kind = ExternType::Kind::Func;
      v.func = f.funcs.at(s.index);
      break;
    case Sort::Instance:
      v.kind = ExternType::Kind::Instance;
      v.instance = f.instances.at(s.index);
      break;
    case Sort::Component:
      v.kind = ExternType::Kind::Component;
      v.component = f.components.at(s.index);
      break;
    case Sort::Type:
      v.kind = ExternType::Kind::Type;
      v.resource = f.types.at(s.index);
      break;
    case Sort::Value:
      v.kind = ExternType::Kind::Value;
      break;
    case Sort::Core:
      v.kind = ExternType::Kind::Module;
      if (s.core_sort == CoreSort::Module) v.module = f.core_modules.at(s.index);
      break;
  }
  return v;
}

void Instantiator::push_item(Frame& f, const ItemValue& v) {
  switch (v.kind) {
    case ExternType::Kind::Func: f.funcs.push_back(v.func); break;
    case ExternType::Kind::Instance: f.instances.push_back(v.instance); break;
    case ExternType::Kind::Component: f.components.push_back(v.component); break;
    case ExternType::Kind::Module: f.core_modules.push_back(v.module); break;
    case ExternType::Kind::Type: push_type(f, v.resource); break;
    case ExternType::Kind::Value: break;
  }
}

void Instantiator::push_type(Frame& f, const ResourceValue* rv) {
  const size_t index = f.types.size();
  f.types.push_back(rv);
  if (rv == nullptr || index >= f.component->spaces.types.size()) return;
  const TypeNode* node = f.component->spaces.types[index].type;
  if (node != nullptr && node->kind == TypeNode::Kind::Resource) {
    f.resources[static_cast<const ResourceAlias*>(node)->resource] = rv;
  }
}

void Instantiator::bind_resources(Frame& f, const ExternType& t, const ItemValue& v) {
  if (t.kind == ExternType::Kind::Type && v.resource != nullptr) {
    for (const TypeNode* node : {t.type, t.created}) {
      if (node != nullptr && node->kind == TypeNode::Kind::Resource) {
        f.resources[static_cast<const ResourceAlias*>(node)->resource] = v.resource;
      }
    }
  } else if (t.kind == ExternType::Kind::Instance && v.instance != nullptr && t.type != nullptr) {
    const auto* it = static_cast<const InstanceTypeNode*>(t.type);
    for (const Item& e : it->exports.items) {
      if (const ItemValue* ev = v.instance->find(e.name)) bind_resources(f, e.type, *ev);
    }
  }
}

Result<void> Instantiator::import(Frame& f, const ImportDef& d,
                                  const std::map<std::string, ItemValue, std::less<>>& args) {
  auto it = args.find(d.item.name);
  if (it == args.end()) {
    return unexpected(link_error("missing import `" + d.item.name + "` (" +
                                 d.item.type.desc() + ")"));
  }
  const ItemValue& v = it->second;
  if (v.kind != d.item.type.kind) {
    return unexpected(link_error("import `" + d.item.name + "` expects a " +
                                 d.item.type.desc() + ", got another kind of item"));
  }
  bind_resources(f, d.item.type, v);
  push_item(f, v);
  return {};
}

void Instantiator::export_item(Frame& f, const ExportDef& d) {
  ItemValue v = item_of(f, d.item);
  if (v.kind == ExternType::Kind::Type) {
    push_type(f, v.resource);
  } else {
    push_item(f, v);
  }
}

}  // namespace

Result<InstanceValue*> instantiate(Store& store, const ComponentImpl& c,
                                   const std::map<std::string, ItemValue, std::less<>>& imports) {
  Instantiator in(store);
  ComponentValue cv{c.component, &c, nullptr};
  return in.run(cv, imports, nullptr, c.name, 0);
}

}  // namespace zinc::component

// component/runtime.h: component instances at run time -- what instantiating the validated IR
// (component/component.h) creates in a Store, and the implementation structs behind the
// embedding API (zinc/component.h).
//
// Instantiation walks a Component's `definitions` once, in order, appending to a `Frame`: the
// run-time counterpart of the IR's IndexSpaces (same order, same indices), holding core
// instances and externs, component functions, instances, components and resource types. Frames
// of enclosing components stay alive for outer aliases (a nested component value remembers the
// frame it was defined in). Everything created lives as long as the Store (`StoreState`, kept in
// vm::StoreImpl::component_state), so raw pointers between these objects never dangle.
//
// Resources. Resource types are generative: each instantiation of a resource definition
// creates a fresh run-time ResourceType (a `ResourceValue`, with its implementing instance and
// destructor, registered in the store's canon::ResourceRegistry). The validated IR names
// resources by validation-time ResourceTypes (one per definition, import or abstract export in
// each component's view), so each Frame keeps a substitution from those to the ResourceValues
// supplying them (its own definitions, what its imports were given), and the function types
// handed to the Canonical ABI (canon lift/lower, resource.new/drop/rep) are rewritten with the
// run-time resources. A handle's type is thus checked against the run-time resource whichever
// component's view produced it: two instances of one component have distinct resources, and a
// resource passed from its definer to an importer is the same on both sides.
//
// Spec: design/mvp/Explainer.md "Instance definitions", CanonicalABI.md "Runtime State".
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "component/canon.h"
#include "component/component.h"
#include "vm/runtime.h"
#include "zinc/component.h"
#include "zinc/engine.h"
#include "zinc/extern.h"

namespace zinc::component {

struct Frame;
struct InstanceValue;

/// A compiled component: the validated IR and the compiled core modules it contains.
struct ComponentImpl {
  std::shared_ptr<const ComponentIR> component;
  std::shared_ptr<vm::EngineImpl> engine;
  std::string name;
  /// Every core module of the component tree (CoreModuleDef and inline outer aliases),
  /// compiled once.
  std::unordered_map<const decoder::Module*, std::shared_ptr<const vm::CompiledModule>> modules;
};

/// A resource type at run time.
struct ResourceValue {
  const ResourceType* rt = nullptr;  // the defining component's identity (validation-time)
  canon::InstanceState* impl = nullptr;  // null: a host resource
  canon::DtorFn dtor;
};

/// A host function defined in a Linker.
struct HostFuncEntry {
  const FuncType* type = nullptr;
  HostFunc fn;
};

/// A resource type defined by the host in a Linker (Linker::define_resource).
struct HostResourceEntry {
  const ResourceType* rt = nullptr;
  HostDtor dtor;
};

/// A component-level function value.
struct FuncImpl {
  const FuncType* type = nullptr;
  canon::LiftedFunc* lifted = nullptr;     // a `canon lift` of some instance, or
  const HostFuncEntry* host = nullptr;     // a host function
  Store* store = nullptr;                  // the store it lives in
};

/// A component value of one sort (what imports, exports and aliases carry).
struct ComponentValue {
  std::shared_ptr<const ComponentIR> component;  // keeps nested IR alive
  const ComponentImpl* compiled = nullptr;     // where the core modules are
  Frame* parent = nullptr;                     // the frame it was defined in (outer aliases)
};

struct ItemValue {
  ExternType::Kind kind = ExternType::Kind::Func;
  FuncImpl* func = nullptr;
  InstanceValue* instance = nullptr;
  ComponentValue component;
  std::shared_ptr<const vm::CompiledModule> module;
  const ResourceValue* resource = nullptr;  // Type: a resource (null: a value type)
};

/// A component instance (or an instance bundled from items): its exports by name.
struct InstanceValue {
  std::map<std::string, ItemValue, std::less<>> exports;
  std::vector<std::string> order;  // export names in definition order
  canon::InstanceState* state = nullptr;  // the component instance (null for bundles)

  void add(std::string name, ItemValue v) {
    auto [it, inserted] = exports.emplace(name, std::move(v));
    if (inserted) order.push_back(std::move(name));
  }
  const ItemValue* find(std::string_view name) const;
};

/// A core instance: a module instance or a bundle of core externs.
struct CoreInstanceValue {
  vm::InstanceInst* inst = nullptr;
  std::map<std::string, Extern, std::less<>> bundle;
};

/// The run-time index spaces of one component instance (mirrors IndexSpaces).
struct Frame {
  const ComponentIR* component = nullptr;
  const ComponentImpl* compiled = nullptr;
  Frame* parent = nullptr;  // lexically enclosing component's frame
  canon::InstanceState* state = nullptr;

  std::vector<Extern> core_funcs, core_tables, core_memories, core_globals;
  std::vector<std::shared_ptr<const vm::CompiledModule>> core_modules;
  std::vector<CoreInstanceValue*> core_instances;
  std::vector<FuncImpl*> funcs;
  std::vector<const ResourceValue*> types;  // null for non-resource types
  std::vector<ComponentValue> components;
  std::vector<InstanceValue*> instances;
  uint32_t backpressure = 0;  // definitions.py: ComponentInstance.backpressure
  /// Validation-time resource (as this component names it) -> the run-time resource.
  std::unordered_map<const ResourceType*, const ResourceValue*> resources;
};

/// Everything the component layer creates in one Store.
struct StoreState {
  std::deque<Frame> frames;
  std::deque<canon::InstanceState> states;
  std::deque<FuncImpl> funcs;
  std::deque<InstanceValue> instances;
  std::deque<CoreInstanceValue> core_instances;
  std::deque<ResourceValue> resources;
  std::deque<canon::LiftedFunc> lifted;
  std::deque<canon::LoweredFunc> lowered;
  std::deque<std::shared_ptr<const HostFuncEntry>> host_funcs;
  std::vector<std::shared_ptr<const ComponentIR>> keep;
  /// Implementing instance and destructor of every run-time resource of the store.
  canon::ResourceRegistry registry;
  /// The host's handle table (resource handles the embedder holds).
  canon::InstanceState host{&registry, nullptr, "host"};
  /// The run-time value of each host-defined resource type used in this store.
  std::unordered_map<const ResourceType*, const ResourceValue*> host_resources;
};

/// `t` with every resource type `r` replaced by `map(r)` (null: kept), interned in `tt`.
template <class Map>
TypeRef subst_type(TypeTable& tt, TypeRef t, const Map& map, uint32_t depth = 0) {
  if (t == nullptr || !t->has_resource || depth > kMaxTypeDepth) return t;
  ValType u;
  u.kind = t->kind;
  u.length = t->length;
  u.labels = t->labels;
  u.elem = subst_type(tt, t->elem, map, depth + 1);
  u.key = subst_type(tt, t->key, map, depth + 1);
  u.ok = subst_type(tt, t->ok, map, depth + 1);
  u.err = subst_type(tt, t->err, map, depth + 1);
  for (const Field& x : t->fields) u.fields.push_back({x.label, subst_type(tt, x.type, map, depth + 1)});
  for (TypeRef e : t->elems) u.elems.push_back(subst_type(tt, e, map, depth + 1));
  for (const Case& c : t->cases) u.cases.push_back({c.label, subst_type(tt, c.type, map, depth + 1)});
  if (t->resource) {
    const ResourceType* r = map(t->resource);
    u.resource = r != nullptr ? r : t->resource;
  }
  TypeRef r = tt.intern(std::move(u), nullptr);
  return r != nullptr ? r : t;  // the structure was valid already; interning cannot fail
}

/// The function type `ft` with resources replaced as subst_type does.
template <class Map>
const FuncType* subst_func(TypeTable& tt, const FuncType* ft, const Map& map) {
  bool any = ft->result && ft->result->has_resource;
  for (const Field& p : ft->params) any |= p.type->has_resource;
  if (!any) return ft;
  FuncType u;
  u.async = ft->async;
  for (const Field& p : ft->params) u.params.push_back({p.label, subst_type(tt, p.type, map)});
  u.result = subst_type(tt, ft->result, map);
  return tt.intern_func(std::move(u));
}

StoreState& store_state(Store& store);

/// Instantiates `c` with the top-level imports given by name. Errors: Link (a missing or
/// mistyped import) or Trap (a trap in a core start function or segment initialisation).
Result<InstanceValue*> instantiate(Store& store, const ComponentImpl& c,
                                   const std::map<std::string, ItemValue, std::less<>>& imports);

/// Calls a component function from the host with `args`; returns its results (0 or 1).
Result<std::vector<Val>> call_func(Store& store, const FuncImpl& f, std::span<const Val> args);

}  // namespace zinc::component

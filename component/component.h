// component/component.h: the immutable, validated component IR that the runtime instantiates.
//
// A `Component` is produced by `decode_component` (component/decode.h). It lists its
// definitions in binary order (`definitions`), so the runtime instantiates by walking them once
// and appending to instance-time index spaces exactly as validation did; `spaces` says, for
// every index of every index space, which definition introduced it and its type. Nested
// components are `std::shared_ptr<const ComponentIR>` and nested core modules the core decoder's
// `std::shared_ptr<const decoder::Module>`, both immutable and shareable.
//
// Types. Component-level value and function types are the TypeTable's interned `TypeRef` and
// `const FuncType*` (O(1) equality). Around them, validation keeps a graph of `TypeNode`s that
// also records *which definition* a type came from (needed for the external-visibility rules,
// which compare definitions, not structures) and the structured types with no interned form:
// instance types, component types and core module types (name -> extern type). Every node is
// owned by a `TypeArena` shared by all the Components of one decode, so node pointers in the IR
// stay valid as long as any of them lives.
//
// Resources. A `ResourceType` (zinc/component/types.h) is created for each resource type
// definition `(type (resource ...))`, each abstract import/export `(type (sub resource))`
// and each fresh resource an instantiation or subtype check needs. The interned value types of
// the IR (own<R>/borrow<R>) use these validation-time resources; since resource types are
// generative, the runtime creates fresh runtime resource types per component instance for the
// resources the component defines (`TypeDefinition::resource`) and substitutes the resources its
// imports supply (`ComponentTypeNode::imported_resources` says where each one is imported).
//
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md and
//       .../design/mvp/Binary.md
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "decoder/module.h"
#include "decoder/types.h"
#include "zinc/component/types.h"

namespace zinc::component {

// ---------------------------------------------------------------------------------------------
// Sorts
// ---------------------------------------------------------------------------------------------

/// core:sort (Binary.md), with its binary values.
enum class CoreSort : uint8_t {
  Func = 0x00,
  Table = 0x01,
  Memory = 0x02,
  Global = 0x03,
  Tag = 0x04,
  Type = 0x10,
  Module = 0x11,
  Instance = 0x12,
};

/// sort (Binary.md): `Core` is followed by a CoreSort.
enum class Sort : uint8_t {
  Core = 0x00,
  Func = 0x01,
  Value = 0x02,
  Type = 0x03,
  Component = 0x04,
  Instance = 0x05,
};

/// A reference to an index space entry: `(sort idx)`.
struct SortIdx {
  Sort sort = Sort::Func;
  CoreSort core_sort = CoreSort::Func;  // when sort == Core
  uint32_t index = 0;
};

/// "func", "core module", "core func", ... (for messages and `zinc inspect`).
const char* sort_name(Sort s, CoreSort c = CoreSort::Func);
/// The core sort without the "core" prefix: "func", "table", "module", ...
const char* core_sort_name(CoreSort c);

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/// Base of every validation-time type node. Identity matters: two nodes may have equal
/// structure but different identities (e.g. a record type and the new type index an `export`
/// of it creates); equality of value types is decided on the interned `TypeRef`s.
struct TypeNode {
  enum class Kind : uint8_t { Defined, Func, Resource, Instance, Component, CoreModule };
  Kind kind = Kind::Defined;
  uint16_t depth = 1;  // nesting depth (<= kMaxTypeDepth)
  uint32_t size = 1;   // tree size with shared subtrees counted again (<= kMaxTypeSize)
};

struct ResourceAlias;

/// A defined value type (`defvaltype`) or a primitive used as a value type. `type` is the
/// interned type; `refs` are the value-type operands as written, in the order of `type`'s
/// structure: record fields, tuple elements, variant cases (null: no payload), list / option /
/// stream / future element (null: none), result ok and err (null: absent), map key and value.
/// Own and borrow handles refer to `resource` (a resource type *alias*, see ResourceAlias).
struct DefinedType : TypeNode {
  TypeRef type = nullptr;
  std::vector<const DefinedType*> refs;
  const ResourceAlias* resource = nullptr;  // Own, Borrow
};

/// A resource type as named by one type index. Several aliases may name the same underlying
/// resource (`resource`); which alias a handle uses decides the names that `[method]` /
/// `[constructor]` validation accepts.
struct ResourceAlias : TypeNode {
  const ResourceType* resource = nullptr;
};

/// A component function type. `type` is interned (labels, types, async); `params` holds the
/// parameter types as written (same order as type->params).
struct FuncTypeNode : TypeNode {
  const FuncType* type = nullptr;
  std::vector<const DefinedType*> params;
  const DefinedType* result = nullptr;
};

struct InstanceTypeNode;
struct ComponentTypeNode;
struct CoreModuleTypeNode;

/// What an import or export is (Binary.md `externtype`, wasmparser's ComponentEntityType).
struct ExternType {
  enum class Kind : uint8_t { Module, Func, Value, Type, Instance, Component };
  Kind kind = Kind::Func;
  /// Module: CoreModuleTypeNode. Func: FuncTypeNode. Value: DefinedType. Instance:
  /// InstanceTypeNode. Component: ComponentTypeNode. Type: the referenced type (a DefinedType,
  /// ResourceAlias, FuncTypeNode, InstanceTypeNode or ComponentTypeNode).
  const TypeNode* type = nullptr;
  /// Type only: the new type index the import/export introduces (a distinct identity for an
  /// `eq` bound; the same node as `type` for a fresh `sub resource`).
  const TypeNode* created = nullptr;

  const char* desc() const;  // "func", "type", "instance", "module", "component", "value"
};

/// WIT-like rendering of an extern type (messages, `zinc inspect`): "func(x: u32) -> string",
/// "type record { a: u32 }", "type resource", "instance { f: func() }", "component { import
/// x: ...; export y: ... }", "module". Nested instance/component types are printed in full
/// (their depth is bounded by kMaxTypeDepth).
std::string to_string(const ExternType& t);

/// A named import or export. Attributes are carried but ignored by type checking.
struct Item {
  std::string name;
  ExternType type;
  std::optional<std::string> implements;
  std::optional<std::string> external_id;
  std::optional<std::string> version_suffix;
};

/// Where a resource sits among a type's imports or exports: `path[0]` indexes the item list,
/// each further element an export of the (instance-typed) item before it.
struct ResourcePath {
  const ResourceType* resource = nullptr;
  std::vector<uint32_t> path;
};

/// An ordered list of named items with lookup by name.
struct ItemList {
  std::vector<Item> items;
  std::map<std::string, uint32_t, std::less<>> by_name;

  const Item* find(std::string_view name) const {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &items[it->second];
  }
  bool add(Item item);  // false if the name is already present
};

/// An instance type: its exports. `defined_resources` are the abstract resources the type
/// itself introduces (`(export "r" (type (sub resource)))` in an instance type declarator); a
/// concrete instance (or an imported one) has none, its resources belong to the enclosing
/// component. `explicit_resources` says which export path names each resource.
struct InstanceTypeNode : TypeNode {
  ItemList exports;
  std::vector<const ResourceType*> defined_resources;
  std::vector<ResourcePath> explicit_resources;
};

/// A component type: imports and exports. `imported_resources` are the abstract resources the
/// imports introduce (the type's parameters), `defined_resources` the resources the component
/// defines that its exports reveal (fresh per instance), `explicit_resources` where exports
/// name each resource.
struct ComponentTypeNode : TypeNode {
  ItemList imports;
  ItemList exports;
  std::vector<ResourcePath> imported_resources;
  std::vector<ResourcePath> defined_resources;
  std::vector<ResourcePath> explicit_resources;
};

/// A core extern type (core:externtype) as used by module types and core instances.
struct CoreExternType {
  decoder::ExternKind kind = decoder::ExternKind::Func;
  decoder::FuncType func;  // Func and Tag
  decoder::TableType table;
  decoder::MemoryType memory;
  decoder::GlobalType global;
};

struct CoreImportItem {
  std::string module;
  std::string name;
  CoreExternType type;
};

struct CoreExportItem {
  std::string name;
  CoreExternType type;
};

/// A core module type: the imports and exports of a core module (defined or declared).
struct CoreModuleTypeNode : TypeNode {
  std::vector<CoreImportItem> imports;
  std::vector<CoreExportItem> exports;
  std::map<std::string, uint32_t, std::less<>> export_by_name;
  const CoreExportItem* find_export(std::string_view name) const;
};

/// A core instance's type: its exports by name.
struct CoreInstanceType {
  std::vector<CoreExportItem> exports;
  std::map<std::string, uint32_t, std::less<>> by_name;
  const CoreExportItem* find(std::string_view name) const;
};

/// An entry of the core type index space: a function type or a module type.
struct CoreTypeEntry {
  const decoder::FuncType* func = nullptr;
  const CoreModuleTypeNode* module = nullptr;
};

/// Owner of every type node of one decode (shared by the Components it produced).
class TypeArena {
 public:
  template <typename T>
  T* make() {
    if constexpr (std::is_same_v<T, DefinedType>) return &defined_.emplace_back();
    if constexpr (std::is_same_v<T, ResourceAlias>) return &resources_.emplace_back();
    if constexpr (std::is_same_v<T, FuncTypeNode>) return &funcs_.emplace_back();
    if constexpr (std::is_same_v<T, InstanceTypeNode>) return &instances_.emplace_back();
    if constexpr (std::is_same_v<T, ComponentTypeNode>) return &components_.emplace_back();
    if constexpr (std::is_same_v<T, CoreModuleTypeNode>) return &modules_.emplace_back();
    if constexpr (std::is_same_v<T, CoreInstanceType>) return &core_instances_.emplace_back();
    if constexpr (std::is_same_v<T, decoder::FuncType>) return &core_funcs_.emplace_back();
  }
  size_t node_count() const {
    return defined_.size() + resources_.size() + funcs_.size() + instances_.size() +
           components_.size() + modules_.size() + core_instances_.size() + core_funcs_.size();
  }

 private:
  std::deque<DefinedType> defined_;
  std::deque<ResourceAlias> resources_;
  std::deque<FuncTypeNode> funcs_;
  std::deque<InstanceTypeNode> instances_;
  std::deque<ComponentTypeNode> components_;
  std::deque<CoreModuleTypeNode> modules_;
  std::deque<CoreInstanceType> core_instances_;
  std::deque<decoder::FuncType> core_funcs_;
};

// ---------------------------------------------------------------------------------------------
// Index spaces
// ---------------------------------------------------------------------------------------------

/// No definition (entries of type scopes, which have no definitions).
inline constexpr uint32_t kNoDef = UINT32_MAX;

/// One index of an index space: the definition (index into Component::definitions) that
/// introduced it and its type.
template <typename T>
struct IndexEntry {
  uint32_t def = kNoDef;
  T type{};
};

/// The 13 index spaces of a component (Explainer "Index Spaces"). Imports, aliases, exports,
/// instantiations and canon definitions all append; see each Definition for what it appends.
struct IndexSpaces {
  std::vector<IndexEntry<const decoder::FuncType*>> core_funcs;
  std::vector<IndexEntry<decoder::TableType>> core_tables;
  std::vector<IndexEntry<decoder::MemoryType>> core_memories;
  std::vector<IndexEntry<decoder::GlobalType>> core_globals;
  std::vector<IndexEntry<const decoder::FuncType*>> core_tags;
  std::vector<IndexEntry<CoreTypeEntry>> core_types;
  std::vector<IndexEntry<const CoreModuleTypeNode*>> core_modules;
  std::vector<IndexEntry<const CoreInstanceType*>> core_instances;
  std::vector<IndexEntry<const FuncTypeNode*>> funcs;
  std::vector<IndexEntry<const DefinedType*>> values;
  /// DefinedType, ResourceAlias, FuncTypeNode, InstanceTypeNode or ComponentTypeNode.
  std::vector<IndexEntry<const TypeNode*>> types;
  std::vector<IndexEntry<const ComponentTypeNode*>> components;
  std::vector<IndexEntry<const InstanceTypeNode*>> instances;
};

// ---------------------------------------------------------------------------------------------
// Definitions
// ---------------------------------------------------------------------------------------------

struct ComponentIR;

/// `(core module ...)`: appends to core_modules.
struct CoreModuleDef {
  std::shared_ptr<const decoder::Module> module;
};

/// `(core instance ...)`: appends to core_instances. Either instantiates `module` with
/// `args` (each names a core instance) or bundles `exports` (core sort indices).
struct CoreInstanceDef {
  struct Arg {
    std::string name;
    uint32_t instance = 0;  // core instance index
  };
  struct Export {
    std::string name;
    CoreSort sort = CoreSort::Func;
    uint32_t index = 0;
  };
  bool instantiate = true;
  uint32_t module = 0;
  std::vector<Arg> args;
  std::vector<Export> exports;
};

/// `(core type ...)`: appends to core_types (type-level only).
struct CoreTypeDef {
  CoreTypeEntry type;
};

/// `(component ...)`: appends to components.
struct ComponentDef {
  std::shared_ptr<const ComponentIR> component;
};

/// `(instance ...)`: appends to instances. Either instantiates `component` with `args`
/// (matched to its imports by name) or bundles `exports`. `type` is the instance's type, with
/// the resources of the instantiated component already substituted / freshened.
struct InstanceDef {
  struct Arg {
    std::string name;
    SortIdx item;
  };
  bool instantiate = true;
  uint32_t component = 0;
  std::vector<Arg> args;
  std::vector<Arg> exports;  // inline exports (name, item)
  const InstanceTypeNode* type = nullptr;
};

/// `(alias ...)`: appends to the index space of `sort`.
///  - Export: export `name` of component instance `instance`.
///  - CoreExport: export `name` of core instance `instance` (sort is Core).
///  - Outer: index `index` of the `count`-th enclosing component (0: this one); only core
///    modules, core types, components and types. When the target is a core module or component
///    *defined* inline in an enclosing component, `module` / `component` hold it; when it is an
///    import (or an alias of one) of the enclosing component, they are null and the runtime
///    resolves it in the enclosing component instance.
struct AliasDef {
  enum class Kind : uint8_t { Export, CoreExport, Outer };
  Kind kind = Kind::Export;
  Sort sort = Sort::Func;
  CoreSort core_sort = CoreSort::Func;
  uint32_t instance = 0;
  std::string name;
  uint32_t count = 0;
  uint32_t index = 0;
  std::shared_ptr<const decoder::Module> module;
  std::shared_ptr<const ComponentIR> component;
};

/// `(type ...)`: appends to types. For a resource type definition, `resource` is the
/// validation-time resource (fresh per instance at run time), `rep` its representation (i32)
/// and `dtor` the core function index of its destructor.
struct TypeDefinition {
  const TypeNode* type = nullptr;
  const ResourceType* resource = nullptr;
  decoder::ValType rep = decoder::kI32;
  std::optional<uint32_t> dtor;
};

enum class StringEncoding : uint8_t { Utf8, Utf16, Latin1Utf16 };
const char* string_encoding_name(StringEncoding e);

/// Canonical ABI options (Binary.md `canonopt`), validated.
struct CanonOptions {
  StringEncoding string_encoding = StringEncoding::Utf8;
  std::optional<uint32_t> memory;       // core memory index
  std::optional<uint32_t> realloc;      // core function index
  std::optional<uint32_t> post_return;  // core function index
  bool async = false;
  std::optional<uint32_t> callback;  // core function index
};

/// Canon definitions. Lift appends to funcs; all others append to core_funcs.
enum class CanonKind : uint8_t {
  Lift,
  Lower,
  ResourceNew,
  ResourceDrop,
  ResourceRep,
  // Async and threading built-ins (🔀🧵): decoded and validated, not run yet.
  BackpressureInc,
  BackpressureDec,
  TaskReturn,
  TaskCancel,
  ContextGet,
  ContextSet,
  SubtaskCancel,
  SubtaskDrop,
  StreamNew,
  StreamRead,
  StreamWrite,
  StreamCancelRead,
  StreamCancelWrite,
  StreamDropReadable,
  StreamDropWritable,
  FutureNew,
  FutureRead,
  FutureWrite,
  FutureCancelRead,
  FutureCancelWrite,
  FutureDropReadable,
  FutureDropWritable,
  ErrorContextNew,
  ErrorContextDebugMessage,
  ErrorContextDrop,
  WaitableSetNew,
  WaitableSetWait,
  WaitableSetPoll,
  WaitableSetDrop,
  WaitableJoin,
  ThreadIndex,
  ThreadNewIndirect,
  ThreadResumeLater,
  ThreadSuspend,
  ThreadYield,
  ThreadSuspendThenResume,
  ThreadYieldThenResume,
  ThreadSuspendThenPromote,
  ThreadYieldThenPromote,
};
const char* canon_name(CanonKind k);  // "lift", "resource.new", "stream.read", ...
/// Lift, Lower and the resource built-ins; the others are async/threading built-ins.
inline bool canon_is_supported(CanonKind k) {
  return k <= CanonKind::ResourceRep;
}

struct CanonDef {
  CanonKind kind = CanonKind::Lift;
  /// Lift: the core function lifted. Lower: the component function lowered.
  uint32_t func = 0;
  /// Lift: the component function type (the lifted function's type). Lower: the lowered
  /// function's component type. TaskReturn: a function type whose params are the result.
  const FuncTypeNode* type = nullptr;
  CanonOptions options;
  /// Resource built-ins: the resource (validation-time) and the type index that named it.
  const ResourceType* resource = nullptr;
  uint32_t type_index = 0;  // resource.*, stream.*, future.*: the type index immediate
  /// Built-in immediates: async (cancel-*/subtask.cancel), cancellable (waitable-set.*,
  /// thread.*), context slot (context.get/set), table (thread.new-indirect).
  bool async = false;
  bool cancellable = false;
  uint32_t slot = 0;
  uint32_t table = 0;
  /// The core function type the definition produces (Lower and the built-ins).
  const decoder::FuncType* core_type = nullptr;
};

/// `(start f (value arg)* (result (value))*)` (🪙).
struct StartDef {
  uint32_t func = 0;
  std::vector<uint32_t> args;
  uint32_t results = 0;
};

/// `(import "name" externtype)`: appends to the index space of the extern type's sort.
struct ImportDef {
  Item item;
};

/// `(export "name" sortidx externtype?)`: appends a new index to the exported sort's index
/// space, aliasing `item`. `item_def.type` is the export's type (the ascribed one if present).
struct ExportDef {
  Item item_def;
  SortIdx item;
};

/// One definition, in binary order. `offset` is the byte offset of its encoding in the
/// outermost binary.
struct Definition {
  size_t offset = 0;
  std::variant<CoreModuleDef, CoreInstanceDef, CoreTypeDef, ComponentDef, InstanceDef, AliasDef,
               TypeDefinition, CanonDef, StartDef, ImportDef, ExportDef>
      def;
};

/// A top-level section of a component (for `zinc inspect`).
struct SectionInfo {
  uint8_t id = 0;
  size_t offset = 0;   // of the id byte
  size_t payload = 0;  // first payload byte
  size_t size = 0;     // payload size
  std::string custom_name;
};

/// A validated component. (Named ComponentIR, not Component: zinc/component.h's public
/// `zinc::component::Component` is the compiled component users hold.)
struct ComponentIR {
  std::vector<Definition> definitions;
  IndexSpaces spaces;
  /// Indices into `definitions` of the imports and exports, in order.
  std::vector<uint32_t> imports;
  std::vector<uint32_t> exports;
  /// The component's type (what `zinc wit` and linkers look at).
  const ComponentTypeNode* type = nullptr;
  /// Where this component's bytes are in the outermost binary, and its sections.
  size_t offset = 0;
  size_t size = 0;
  std::vector<SectionInfo> sections;
  /// Owner of every type node; shared by the nested components of the same decode.
  std::shared_ptr<const TypeArena> arena;
};

}  // namespace zinc::component

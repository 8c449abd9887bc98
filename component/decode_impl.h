// component/decode_impl.h: the component decoder's internal state, shared by decode*.cc and
// validate*.cc (private to component/).
//
// One `Decoder` reads a whole binary. Scopes (a component being decoded, a component type, an
// instance type) form a stack `scopes_`: outer aliases index it from the top. Nested components
// are decoded with an explicit frame stack (decode.cc), never by recursion; type declarators
// recurse but their depth is capped (kMaxTypeDepth), so the C++ stack stays bounded. Every
// Reader is over the outermost buffer with base offset 0, so all offsets are absolute.
//
// Files: decode.cc (sections, preamble, nesting, core modules), decode_types.cc (type and core
// type definitions, type scopes), validate.cc (instances, aliases, canon, start, imports and
// exports, names, external visibility), validate_subtype.cc (subtyping and resource
// substitution).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "component/component.h"
#include "component/decode.h"
#include "component/errors.h"
#include "component/names.h"
#include "decoder/reader.h"

namespace zinc::component::internal {

using decoder::Reader;

/// One index-space scope: a component definition, a component type or an instance type.
struct Scope {
  enum class Kind : uint8_t { Component, ComponentType, InstanceType };
  Kind kind = Kind::Component;
  IndexSpaces spaces;
  ItemList imports;
  ItemList exports;
  std::map<std::string, std::string> import_keys;  // uniqueness key -> name as written
  std::map<std::string, std::string> export_keys;
  /// External visibility: type nodes (DefinedType, ResourceAlias) named by an import / export.
  std::set<const TypeNode*> imported_named;
  std::set<const TypeNode*> exported_named;
  /// Names of resources introduced by this scope's imports / exports ([method] etc.
  /// validation; imports and exports are separate contexts).
  /// The names under which each resource is imported / exported (a resource may have several:
  /// `type headers = fields` in WIT exports `fields` and then `headers` as an alias of it).
  std::map<const ResourceType*, std::vector<std::string>> import_resource_names;
  std::map<const ResourceType*, std::vector<std::string>> export_resource_names;
  /// Resources introduced by imports (component / component type), by `(sub resource)`
  /// exports (instance type) and by resource definitions (component).
  std::vector<const ResourceType*> imported_resources;
  std::vector<const ResourceType*> defined_resources;
  std::set<const ResourceType*> local_resources;  // component: `(type (resource ...))`
  /// Component scopes only: the component being built.
  std::shared_ptr<ComponentIR> comp;
  bool has_start = false;
};

/// Where a resource sits inside an extern type (see ResourcePath).
void find_resource_paths(const ExternType& t, std::vector<uint32_t>& prefix,
                         std::vector<ResourcePath>& out);

class Decoder {
 public:
  Decoder(std::span<const uint8_t> bytes, TypeTable& types, const decoder::Features& f);
  Result<std::shared_ptr<const ComponentIR>, ComponentError> run();

  // ---- decode.cc ----
  bool read_name(Reader& r, std::string* out);
  bool check(Reader& r);  // converts a reader error into the diagnostic
  bool read_u32(Reader& r, uint32_t* out);
  bool read_byte(Reader& r, uint8_t* out);
  bool read_count(Reader& r, uint32_t* out);
  bool expect_end(Reader& r);
  bool read_sort(Reader& r, Sort* sort, CoreSort* core_sort,
                 const char* what = "component external kind");
  bool read_core_sort(Reader& r, CoreSort* out, const char* what = "core sort");

  // ---- decode_types.cc ----
  bool type_definition(Reader& r, Scope& s, size_t at);       // one `type` (section 7 / decls)
  bool core_type_definition(Reader& r, Scope& s, size_t at);  // one `core:type`
  bool read_valtype(Reader& r, Scope& s, const DefinedType** out);
  bool read_externtype(Reader& r, Scope& s, ExternType* out, bool is_import);
  bool read_core_func_type(Reader& r, decoder::FuncType* out);
  bool read_core_externdesc(Reader& r, const std::vector<IndexEntry<CoreTypeEntry>>& types,
                            CoreExternType* out);
  const DefinedType* prim_node(ValKind k);
  const DefinedType* copy_defined(const DefinedType* t);

  // ---- validate.cc ----
  bool core_instance(Reader& r, Scope& s, size_t at);
  bool instance(Reader& r, Scope& s, size_t at);
  bool alias(Reader& r, Scope& s, size_t at);
  bool canon(Reader& r, Scope& s, size_t at);
  bool start(Reader& r, Scope& s, size_t at);
  bool import(Reader& r, Scope& s, size_t at);
  bool export_(Reader& r, Scope& s, size_t at);
  bool read_name_attributes(Reader& r, Item* item, size_t* name_at);
  /// Adds an import (is_import) or export item to a scope: names, uniqueness, visibility,
  /// index spaces. `item.type` is final. Returns false on error.
  bool add_extern(Scope& s, Item item, bool is_import, size_t at, uint32_t def);
  void push_sort_entry(Scope& s, const ExternType& t, uint32_t def);
  bool alias_entry(Scope& s, Sort sort, CoreSort cs, const ExternType& item_type, uint32_t def,
                   size_t at);
  bool item_type(Scope& s, const SortIdx& si, ExternType* out, size_t at);
  bool finish_component(Scope& s, size_t at);
  void add_resource_name(Scope& s, const Item& item, bool is_import);
  bool check_annotated_func(Scope& s, const ExternName& n, const ExternType& t, size_t at,
                            bool is_import);
  /// Name, attribute and annotation rules of one import/export item.
  bool check_item_name(Scope& s, const Item& item, bool is_import, size_t at, ExternName* n);
  /// elem_size with 64-bit pointers (Binary.md: must stay below 2^28).
  uint64_t elem_size64(TypeRef t, uint32_t* align);

  // ---- validate_subtype.cc ----
  bool sub_extern(const ExternType& a, const ExternType& b, size_t at);  // a <: b
  /// `top`: comparing two type definitions (not value types inside one), which words a
  /// primitive-vs-compound mismatch differently.
  bool sub_value(TypeRef a, TypeRef b, size_t at, bool top = false);
  bool sub_func(const FuncType* a, const FuncType* b, size_t at);
  bool sub_instance(const InstanceTypeNode* a, const InstanceTypeNode* b, size_t at);
  bool sub_component(const ComponentTypeNode* a, const ComponentTypeNode* b, size_t at);
  bool sub_core_module(const CoreModuleTypeNode* a, const CoreModuleTypeNode* b, size_t at);
  bool sub_core_extern(const CoreExternType& a, const CoreExternType& b, size_t at);
  bool sub_type_node(const TypeNode* a, const TypeNode* b, size_t at);
  /// Resource substitution (the map may grow: `fresh` makes unmapped resources fresh).
  using ResourceMap = std::unordered_map<const ResourceType*, const ResourceType*>;
  struct Subst {
    ResourceMap map;
    /// Type imports (`eq` bounds) replaced by the types supplied for them (keeps the
    /// supplied definitions' identities for the external visibility rules).
    std::unordered_map<const TypeNode*, const TypeNode*> nodes;
    bool fresh = false;
    std::unordered_map<const void*, const void*> memo;
  };
  TypeRef subst_val(TypeRef t, Subst& m);
  const TypeNode* subst_node(const TypeNode* t, Subst& m);
  ExternType subst_extern(const ExternType& t, Subst& m);
  const ResourceType* subst_resource(const ResourceType* r, Subst& m);
  bool budget(size_t n, size_t at);

  // ---- shared state ----
  template <typename... A>
  bool fail(ErrorCode code, size_t at, const A&... args) {
    return diag_.fail(code, at, args...);
  }
  bool intern_fail(const std::string& msg, size_t at);

  std::span<const uint8_t> bytes_;
  TypeTable& types_;
  decoder::Features features_;
  std::shared_ptr<TypeArena> arena_;
  Diag diag_;
  std::vector<Scope*> scopes_;  // innermost last
  size_t type_work_ = 0;
  std::unordered_map<TypeRef, std::pair<uint64_t, uint32_t>> size64_;
  const DefinedType* prims_[static_cast<size_t>(ValKind::ErrorContext) + 1] = {};
};

/// Follows `path` (after its first element, which selected `exp` and `act`) through instance
/// exports by name and returns the resource `act` has at its end, or null.
const ResourceType* resource_at(const ExternType& exp, const ExternType& act,
                                const std::vector<uint32_t>& path);

/// Lowercase hex without padding, as wasmparser prints bytes ("0x2", "0x7f").
std::string hex_byte(uint8_t b);

/// Rust-debug rendering of core value type lists ("[I32, I64]") for canon messages.
std::string core_types_debug(const std::vector<decoder::ValType>& v);
std::string core_func_string(const decoder::FuncType& f);

}  // namespace zinc::component::internal

// component/validate.cc: validation of the definitions that build index spaces: core
// instances, component instances (instantiation type-checks its arguments by subtyping, with
// type-import substitution), aliases, canonical definitions, start, imports and exports
// (extern names, strong uniqueness, annotated [constructor]/[method]/[static] functions, the
// external visibility of types), and the component's type when it is complete.
// Spec: Binary.md, Explainer.md "Import and Export Definitions", CanonicalABI.md "Canonical
// Definitions". Message wording follows wasmparser (the official tests check it).
#include <algorithm>
#include <utility>

#include "component/decode_impl.h"

namespace zinc::component::internal {

namespace {

uint32_t def_index(Scope& s) {
  return s.comp ? static_cast<uint32_t>(s.comp->definitions.size()) : kNoDef;
}

template <typename T>
void add_def(Scope& s, size_t at, T def) {
  if (s.comp) s.comp->definitions.push_back({at, std::move(def)});
}

// ---- external visibility (Explainer "External visibility of types") ----

struct Named {
  const std::set<const TypeNode*>* a;
  const std::set<const TypeNode*>* b;
  std::set<const TypeNode*> extra;
  bool has(const TypeNode* n) const { return a->count(n) || (b && b->count(n)) || extra.count(n); }
};

bool nominal(ValKind k) {
  return k == ValKind::Record || k == ValKind::Variant || k == ValKind::Flags || k == ValKind::Enum;
}

bool defined_inner_named(const DefinedType* t, const Named& set);

bool valtype_named(const DefinedType* t, const Named& set) {
  if (t == nullptr || is_primitive(t->type->kind) || set.has(t)) return true;
  if (nominal(t->type->kind)) return false;
  return defined_inner_named(t, set);
}

bool defined_inner_named(const DefinedType* t, const Named& set) {
  if (t->type->kind == ValKind::Own || t->type->kind == ValKind::Borrow) {
    return set.has(t->resource);
  }
  for (const DefinedType* x : t->refs) {
    if (!valtype_named(x, set)) return false;
  }
  return true;
}

bool func_named(const FuncTypeNode* f, const Named& set) {
  for (const DefinedType* p : f->params) {
    if (!valtype_named(p, set)) return false;
  }
  return valtype_named(f->result, set);
}

void instance_created(const InstanceTypeNode* it, std::set<const TypeNode*>& out) {
  for (const Item& i : it->exports.items) {
    if (i.type.kind == ExternType::Kind::Type && i.type.created) out.insert(i.type.created);
    if (i.type.kind == ExternType::Kind::Instance) {
      instance_created(static_cast<const InstanceTypeNode*>(i.type.type), out);
    }
  }
}

bool extern_named(const ExternType& t, Named& set) {
  switch (t.kind) {
    case ExternType::Kind::Module:
    case ExternType::Kind::Component:
      return true;
    case ExternType::Kind::Func:
      return func_named(static_cast<const FuncTypeNode*>(t.type), set);
    case ExternType::Kind::Value:
      return valtype_named(static_cast<const DefinedType*>(t.type), set);
    case ExternType::Kind::Type:
      if (t.type->kind == TypeNode::Kind::Defined) {
        return defined_inner_named(static_cast<const DefinedType*>(t.type), set);
      }
      if (t.type->kind == TypeNode::Kind::Func) {
        return func_named(static_cast<const FuncTypeNode*>(t.type), set);
      }
      if (t.type->kind == TypeNode::Kind::Instance) {
        return extern_named({ExternType::Kind::Instance, t.type, nullptr}, set);
      }
      return true;
    case ExternType::Kind::Instance: {
      const auto* it = static_cast<const InstanceTypeNode*>(t.type);
      instance_created(it, set.extra);
      for (const Item& i : it->exports.items) {
        if (!extern_named(i.type, set)) return false;
      }
      return true;
    }
  }
  return true;
}

void register_named(const ExternType& t, std::set<const TypeNode*>& set) {
  if (t.kind == ExternType::Kind::Type && t.created) set.insert(t.created);
  if (t.kind == ExternType::Kind::Instance) {
    instance_created(static_cast<const InstanceTypeNode*>(t.type), set);
  }
}

// Does a type node mention a resource (for outer aliases across components)?
bool mentions_resource(const TypeNode* n, size_t& work) {
  if (n == nullptr || ++work > kMaxTypeSize) return false;
  switch (n->kind) {
    case TypeNode::Kind::Defined:
      return static_cast<const DefinedType*>(n)->type->has_resource;
    case TypeNode::Kind::Resource:
      return true;
    case TypeNode::Kind::Func: {
      const auto* f = static_cast<const FuncTypeNode*>(n);
      for (const Field& p : f->type->params) {
        if (p.type->has_resource) return true;
      }
      return f->type->result && f->type->result->has_resource;
    }
    case TypeNode::Kind::Instance:
      for (const Item& i : static_cast<const InstanceTypeNode*>(n)->exports.items) {
        if (mentions_resource(i.type.type, work)) return true;
      }
      return false;
    case TypeNode::Kind::Component: {
      const auto* c = static_cast<const ComponentTypeNode*>(n);
      for (const ItemList* l : {&c->imports, &c->exports}) {
        for (const Item& i : l->items) {
          if (mentions_resource(i.type.type, work)) return true;
        }
      }
      return false;
    }
    case TypeNode::Kind::CoreModule:
      return false;
  }
  return false;
}

// Depth of a structured type built from items (instance and component types nest).
uint16_t items_depth(const ItemList& l, uint16_t depth) {
  for (const Item& i : l.items) {
    if (i.type.type)
      depth = std::max<uint16_t>(depth, static_cast<uint16_t>(i.type.type->depth + 1));
  }
  return depth;
}

}  // namespace

void find_resource_paths(const ExternType& t, std::vector<uint32_t>& prefix,
                         std::vector<ResourcePath>& out) {
  if (t.kind == ExternType::Kind::Type) {
    const TypeNode* n = t.created ? t.created : t.type;
    if (n && n->kind == TypeNode::Kind::Resource) {
      out.push_back({static_cast<const ResourceAlias*>(n)->resource, prefix});
    }
  } else if (t.kind == ExternType::Kind::Instance) {
    const auto* it = static_cast<const InstanceTypeNode*>(t.type);
    for (uint32_t i = 0; i < it->exports.items.size(); ++i) {
      prefix.push_back(i);
      find_resource_paths(it->exports.items[i].type, prefix, out);
      prefix.pop_back();
    }
  }
}

// ---- names ----

bool Decoder::read_name_attributes(Reader& r, Item* item, size_t* name_at) {
  const size_t at = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  if (b > 0x02) return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "component name");
  *name_at = r.offset();
  if (!read_name(r, &item->name)) return false;
  if (b != 0x02) return true;
  uint32_t n;
  if (!read_count(r, &n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    const size_t aat = r.offset();
    uint8_t k;
    std::string v;
    if (!read_byte(r, &k)) return false;
    if (k > 0x02) return fail(ErrorCode::InvalidLeadingByte, aat, hex_byte(k), "name option");
    if (!read_name(r, &v)) return false;
    std::optional<std::string>* slot = k == 0   ? &item->implements
                                       : k == 1 ? &item->version_suffix
                                                : &item->external_id;
    static const char* kNames[] = {"implements", "versionsuffix", "external-id"};
    if (slot->has_value()) return fail(ErrorCode::DuplicateNameAttribute, aat, kNames[k]);
    *slot = std::move(v);
  }
  return true;
}

void Decoder::add_resource_name(Scope& s, const Item& item, bool is_import) {
  if (item.type.kind != ExternType::Kind::Type) return;
  const TypeNode* n = item.type.created ? item.type.created : item.type.type;
  if (n->kind == TypeNode::Kind::Resource) {
    auto& names = is_import ? s.import_resource_names : s.export_resource_names;
    names[static_cast<const ResourceAlias*>(n)->resource].push_back(item.name);
  }
}

bool Decoder::check_annotated_func(Scope& s, const ExternName& n, const ExternType& t, size_t at,
                                   bool is_import) {
  if (n.kind == NameKind::Label || n.kind == NameKind::Interface) return true;
  if (t.kind != ExternType::Kind::Func) return fail(ErrorCode::NotAFunc, at);
  const auto& names = is_import ? s.import_resource_names : s.export_resource_names;
  const auto* f = static_cast<const FuncTypeNode*>(t.type);
  // The function's resource must be one of the resources named n.resource (any of its names
  // counts: wasmparser checks the resource's identity, not which alias names it).
  auto expect_name = [&](const ResourceType* r) {
    auto it = names.find(r);
    if (it == names.end() || it->second.empty()) return fail(ErrorCode::ResourceNoName, at);
    for (const std::string& name : it->second) {
      if (ascii_lower(name) == ascii_lower(n.resource)) return true;
    }
    return fail(ErrorCode::ResourceNameMismatch, at, it->second.back());
  };
  switch (n.kind) {
    case NameKind::Constructor: {
      if (f->type->async) return fail(ErrorCode::CtorAsync, at);
      TypeRef res = f->type->result;
      if (res == nullptr) return fail(ErrorCode::ShouldReturnOne, at);
      if (res->kind == ValKind::Result && res->ok) res = res->ok;
      if (res->kind != ValKind::Own) return fail(ErrorCode::CtorReturn, at);
      return expect_name(res->resource);
    }
    case NameKind::Method: {
      if (f->type->params.empty()) return fail(ErrorCode::MethodNoArgs, at);
      const Field& p = f->type->params[0];
      if (p.label != "self") return fail(ErrorCode::MethodSelfName, at);
      if (p.type->kind != ValKind::Borrow) return fail(ErrorCode::MethodSelfType, at);
      return expect_name(p.type->resource);
    }
    case NameKind::Static:
      for (const auto& [r, aliases] : names) {
        for (const std::string& name : aliases) {
          if (ascii_lower(name) == ascii_lower(n.resource)) return true;
        }
      }
      return fail(ErrorCode::StaticUnknown, at);
    default:
      return true;
  }
}

bool Decoder::check_item_name(Scope& s, const Item& item, bool is_import, size_t at,
                              ExternName* n) {
  const char* what = is_import ? "import" : "export";
  if (!parse_extern_name(item.name, n, diag_, at)) {
    return diag_.context(ErrorCode::CInvalidExternName, what, item.name);
  }
  if (item.implements) {
    if (item.type.kind != ExternType::Kind::Instance) return fail(ErrorCode::ImplementsKind, at);
    if (n->kind != NameKind::Label) return fail(ErrorCode::ImplementsName, at, item.name);
    ExternName in;
    if (!parse_extern_name(*item.implements, &in, diag_, at)) {
      return diag_.context(ErrorCode::CNotAValidName, *item.implements);
    }
    if (in.kind != NameKind::Interface) {
      return fail(ErrorCode::ImplementsNotInterface, at, *item.implements);
    }
  }
  if (item.version_suffix) {
    if (item.type.kind != ExternType::Kind::Instance) {
      return fail(ErrorCode::VersionSuffixKind, at);
    }
    if (n->kind != NameKind::Interface || !n->has_version) {
      return fail(ErrorCode::VersionSuffixName, at);
    }
    if (!parse_semver(std::string(n->version) + *item.version_suffix, diag_, at)) {
      return diag_.context(ErrorCode::InvalidInterfaceVersion, "");
    }
  }
  if (n->kind == NameKind::Interface && n->has_version && !parse_semver(n->version, diag_, at)) {
    return diag_.context(ErrorCode::CInvalidExternName, what, item.name);
  }
  if (!check_annotated_func(s, *n, item.type, at, is_import)) {
    return diag_.context(ErrorCode::CNameNotValid, what, item.name);
  }
  return true;
}

void Decoder::push_sort_entry(Scope& s, const ExternType& t, uint32_t def) {
  switch (t.kind) {
    case ExternType::Kind::Module:
      s.spaces.core_modules.push_back({def, static_cast<const CoreModuleTypeNode*>(t.type)});
      break;
    case ExternType::Kind::Func:
      s.spaces.funcs.push_back({def, static_cast<const FuncTypeNode*>(t.type)});
      break;
    case ExternType::Kind::Value:
      s.spaces.values.push_back({def, static_cast<const DefinedType*>(t.type)});
      break;
    case ExternType::Kind::Type:
      s.spaces.types.push_back({def, t.created ? t.created : t.type});
      break;
    case ExternType::Kind::Instance:
      s.spaces.instances.push_back({def, static_cast<const InstanceTypeNode*>(t.type)});
      break;
    case ExternType::Kind::Component:
      s.spaces.components.push_back({def, static_cast<const ComponentTypeNode*>(t.type)});
      break;
  }
}

bool Decoder::add_extern(Scope& s, Item item, bool is_import, size_t at, uint32_t def) {
  const char* what = is_import ? "import" : "export";
  ExternName n;
  if (!check_item_name(s, item, is_import, at, &n)) return false;
  auto& keys = is_import ? s.import_keys : s.export_keys;
  auto [kit, inserted] = keys.emplace(n.key(), item.name);
  if (!inserted) return fail(ErrorCode::NameConflict, at, what, item.name, kit->second);

  // An instance type's own abstract resources become this scope's (fresh ones).
  if (item.type.kind == ExternType::Kind::Instance) {
    const auto* it = static_cast<const InstanceTypeNode*>(item.type.type);
    if (!it->defined_resources.empty()) {
      Subst m;
      std::vector<const ResourceType*> fresh;
      for (const ResourceType* r : it->defined_resources) {
        const ResourceType* nr = types_.new_resource(item.name + "/" + r->debug_name);
        m.map[r] = nr;
        fresh.push_back(nr);
      }
      auto* copy = static_cast<InstanceTypeNode*>(const_cast<TypeNode*>(subst_node(it, m)));
      if (copy == nullptr) return false;
      if (copy == it) {
        InstanceTypeNode* c2 = arena_->make<InstanceTypeNode>();
        *c2 = *it;
        copy = c2;
      }
      copy->defined_resources.clear();
      item.type.type = copy;
      auto& dst = (is_import || s.kind == Scope::Kind::Component) ? s.imported_resources
                                                                  : s.defined_resources;
      dst.insert(dst.end(), fresh.begin(), fresh.end());
    }
  }
  // A fresh `(sub resource)` type import/export.
  if (item.type.kind == ExternType::Kind::Type && item.type.created &&
      item.type.created == item.type.type && item.type.type->kind == TypeNode::Kind::Resource) {
    const ResourceType* r = static_cast<const ResourceAlias*>(item.type.type)->resource;
    const bool fresh_here = std::find(s.imported_resources.begin(), s.imported_resources.end(),
                                      r) == s.imported_resources.end() &&
                            !s.local_resources.count(r);
    if (fresh_here) {
      (is_import ? s.imported_resources : s.defined_resources).push_back(r);
    }
  }

  // External visibility: every nominal type and resource must be named by an import (or, for
  // exports, an import or export).
  // Instance types defer the check until they are used by an import or export.
  Named set{is_import ? &s.imported_named : &s.exported_named,
            is_import ? nullptr : &s.imported_named,
            {}};
  if (s.kind != Scope::Kind::InstanceType && !extern_named(item.type, set)) {
    return fail(ErrorCode::NotValidAs, at, item.type.desc(), what);
  }
  register_named(item.type, is_import ? s.imported_named : s.exported_named);
  if (is_import) register_named(item.type, s.exported_named);
  if (n.kind == NameKind::Label) add_resource_name(s, item, is_import);

  push_sort_entry(s, item.type, def);
  ItemList& list = is_import ? s.imports : s.exports;
  list.add(std::move(item));
  return true;
}

// ---- sort indices ----

bool Decoder::item_type(Scope& s, const SortIdx& si, ExternType* out, size_t at) {
  const IndexSpaces& sp = s.spaces;
  const uint32_t i = si.index;
  switch (si.sort) {
    case Sort::Core:
      if (si.core_sort != CoreSort::Module) {
        return fail(ErrorCode::ExportCoreSort, at, core_sort_name(si.core_sort));
      }
      if (i >= sp.core_modules.size()) return fail(ErrorCode::UnknownModule, at, i);
      *out = {ExternType::Kind::Module, sp.core_modules[i].type, nullptr};
      return true;
    case Sort::Func:
      if (i >= sp.funcs.size()) return fail(ErrorCode::UnknownFunc, at, i);
      *out = {ExternType::Kind::Func, sp.funcs[i].type, nullptr};
      return true;
    case Sort::Value:
      return fail(ErrorCode::ValuesUnsupported, at);
    case Sort::Type:
      if (i >= sp.types.size()) return fail(ErrorCode::UnknownType, at, i);
      *out = {ExternType::Kind::Type, sp.types[i].type, sp.types[i].type};
      return true;
    case Sort::Component:
      if (i >= sp.components.size()) return fail(ErrorCode::UnknownComponent, at, i);
      *out = {ExternType::Kind::Component, sp.components[i].type, nullptr};
      return true;
    case Sort::Instance:
      if (i >= sp.instances.size()) return fail(ErrorCode::UnknownInstance, at, i);
      *out = {ExternType::Kind::Instance, sp.instances[i].type, nullptr};
      return true;
  }
  return false;
}

// ---- core instances ----

bool Decoder::core_instance(Reader& r, Scope& s, size_t at) {
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  CoreInstanceDef def;
  CoreInstanceType* type = arena_->make<CoreInstanceType>();
  if (b == 0x00) {
    const size_t mat = r.offset();
    uint32_t count;
    if (!read_u32(r, &def.module) || !read_count(r, &count)) return false;
    std::map<std::string, uint32_t, std::less<>> args;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t aat = r.offset();
      CoreInstanceDef::Arg a;
      uint8_t sort;
      if (!read_name(r, &a.name) || !read_byte(r, &sort)) return false;
      if (sort != 0x12) {
        return fail(ErrorCode::InvalidLeadingByte, aat, hex_byte(sort), "instantiation arg kind");
      }
      if (!read_u32(r, &a.instance)) return false;
      if (a.instance >= s.spaces.core_instances.size()) {
        return fail(ErrorCode::UnknownCoreInstance, aat, a.instance);
      }
      if (!args.emplace(a.name, a.instance).second) {
        return fail(ErrorCode::DuplicateModuleArg, aat, a.name);
      }
      def.args.push_back(std::move(a));
    }
    if (def.module >= s.spaces.core_modules.size()) {
      return fail(ErrorCode::UnknownModule, mat, def.module);
    }
    const CoreModuleTypeNode* mt = s.spaces.core_modules[def.module].type;
    for (const CoreImportItem& imp : mt->imports) {
      auto it = args.find(imp.module);
      if (it == args.end()) return fail(ErrorCode::MissingModuleArg, at, imp.module);
      const CoreExportItem* e = s.spaces.core_instances[it->second].type->find(imp.name);
      if (e == nullptr) return fail(ErrorCode::ModuleArgMissingExport, at, imp.module, imp.name);
      if (!sub_core_extern(e->type, imp.type, at)) {
        return diag_.context(ErrorCode::CModuleArgMismatch, imp.name, imp.module);
      }
    }
    for (const CoreExportItem& e : mt->exports) {
      type->by_name.emplace(e.name, static_cast<uint32_t>(type->exports.size()));
      type->exports.push_back(e);
    }
  } else if (b == 0x01) {
    def.instantiate = false;
    uint32_t count;
    if (!read_count(r, &count)) return false;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t eat = r.offset();
      CoreInstanceDef::Export e;
      if (!read_name(r, &e.name) || !read_core_sort(r, &e.sort) || !read_u32(r, &e.index)) {
        return false;
      }
      CoreExternType t;
      const IndexSpaces& sp = s.spaces;
      switch (e.sort) {
        case CoreSort::Func:
          if (e.index >= sp.core_funcs.size())
            return fail(ErrorCode::UnknownCoreFunc, eat, e.index);
          t.kind = decoder::ExternKind::Func;
          t.func = *sp.core_funcs[e.index].type;
          break;
        case CoreSort::Table:
          if (e.index >= sp.core_tables.size()) return fail(ErrorCode::UnknownTable, eat, e.index);
          t.kind = decoder::ExternKind::Table;
          t.table = sp.core_tables[e.index].type;
          break;
        case CoreSort::Memory:
          if (e.index >= sp.core_memories.size()) {
            return fail(ErrorCode::UnknownMemory, eat, e.index);
          }
          t.kind = decoder::ExternKind::Memory;
          t.memory = sp.core_memories[e.index].type;
          break;
        case CoreSort::Global:
          if (e.index >= sp.core_globals.size())
            return fail(ErrorCode::UnknownGlobal, eat, e.index);
          t.kind = decoder::ExternKind::Global;
          t.global = sp.core_globals[e.index].type;
          break;
        case CoreSort::Tag:
          if (e.index >= sp.core_tags.size()) return fail(ErrorCode::UnknownTag, eat, e.index);
          t.kind = decoder::ExternKind::Tag;
          t.func = *sp.core_tags[e.index].type;
          break;
        default:
          return fail(
              ErrorCode::Unsupported, eat,
              std::string("exporting a core ") + core_sort_name(e.sort) + " from a core instance");
      }
      if (!type->by_name.emplace(e.name, static_cast<uint32_t>(type->exports.size())).second) {
        return fail(ErrorCode::DuplicateCoreExport, eat, e.name);
      }
      type->exports.push_back({e.name, t});
      def.exports.push_back(std::move(e));
    }
  } else {
    return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "core instance");
  }
  const uint32_t idx = def_index(s);
  add_def(s, at, std::move(def));
  s.spaces.core_instances.push_back({idx, type});
  return true;
}

// ---- component instances ----

namespace {}  // namespace

bool Decoder::instance(Reader& r, Scope& s, size_t at) {
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  InstanceDef def;
  InstanceTypeNode* type = nullptr;
  if (b == 0x00) {
    const size_t cat = r.offset();
    uint32_t count;
    if (!read_u32(r, &def.component) || !read_count(r, &count)) return false;
    std::map<std::string, ExternType> args;
    std::map<std::string, std::string> keys;
    for (uint32_t i = 0; i < count; ++i) {
      const size_t aat = r.offset();
      InstanceDef::Arg a;
      if (!read_name(r, &a.name) || !read_sort(r, &a.item.sort, &a.item.core_sort) ||
          !read_u32(r, &a.item.index)) {
        return false;
      }
      ExternType t;
      if (!item_type(s, a.item, &t, aat)) return false;
      Diag scratch;
      ExternName n;
      const std::string key =
          parse_extern_name(a.name, &n, scratch, aat) ? n.key() : "raw:" + a.name;
      auto [kit, inserted] = keys.emplace(key, a.name);
      if (!inserted) return fail(ErrorCode::InstantiateArgConflict, aat, a.name, kit->second);
      args.emplace(a.name, t);
      def.args.push_back(std::move(a));
    }
    if (def.component >= s.spaces.components.size()) {
      return fail(ErrorCode::UnknownComponent, cat, def.component);
    }
    const ComponentTypeNode* ct = s.spaces.components[def.component].type;
    Subst m;
    for (uint32_t i = 0; i < ct->imports.items.size(); ++i) {
      const Item& imp = ct->imports.items[i];
      auto it = args.find(imp.name);
      if (it == args.end()) return fail(ErrorCode::MissingNamed, at, "import", imp.name);
      for (const ResourcePath& p : ct->imported_resources) {
        if (p.path.empty() || p.path[0] != i) continue;
        const ResourceType* actual = resource_at(imp.type, it->second, p.path);
        if (actual) m.map[p.resource] = actual;
      }
      const ExternType expected = subst_extern(imp.type, m);
      if (diag_.failed()) return false;
      if (!sub_extern(it->second, expected, at)) {
        return diag_.context(ErrorCode::CTypeMismatchFor, "import", imp.name);
      }
      // A type import (`eq` bound) now stands for the supplied type.
      if (imp.type.kind == ExternType::Kind::Type && imp.type.created &&
          imp.type.created->kind == TypeNode::Kind::Defined &&
          it->second.type->kind == TypeNode::Kind::Defined) {
        m.nodes[imp.type.created] = it->second.created ? it->second.created : it->second.type;
        m.memo.clear();  // earlier results may contain the replaced node
      }
    }
    // The instance's type: the exports with the imports substituted and fresh resources for
    // everything the component defines.
    m.fresh = true;
    type = arena_->make<InstanceTypeNode>();
    type->kind = TypeNode::Kind::Instance;
    uint32_t size = 1;
    for (const Item& e : ct->exports.items) {
      Item copy = e;
      copy.type = subst_extern(e.type, m);
      if (diag_.failed()) return false;
      if (copy.type.type) size += copy.type.type->size;
      type->exports.add(std::move(copy));
    }
    type->size = size;
    type->depth = items_depth(type->exports, 1);
    if (size > kMaxTypeSize) return fail(ErrorCode::TypeSizeTooLarge, at, kMaxTypeSize);
    if (type->depth > kMaxTypeDepth) return fail(ErrorCode::TypeNestingTooDeep, at);
    for (uint32_t i = 0; i < type->exports.items.size(); ++i) {
      std::vector<uint32_t> prefix{i};
      find_resource_paths(type->exports.items[i].type, prefix, type->explicit_resources);
    }
    if (!budget(size, at)) return false;
  } else if (b == 0x01) {
    def.instantiate = false;
    type = arena_->make<InstanceTypeNode>();
    type->kind = TypeNode::Kind::Instance;
    uint32_t count;
    if (!read_count(r, &count)) return false;
    std::map<std::string, std::string> keys;
    uint32_t size = 1;
    for (uint32_t i = 0; i < count; ++i) {
      InstanceDef::Arg e;
      Item item;
      size_t name_at;
      if (!read_name_attributes(r, &item, &name_at)) return false;
      e.name = item.name;
      const size_t sat = r.offset();
      if (!read_sort(r, &e.item.sort, &e.item.core_sort) || !read_u32(r, &e.item.index)) {
        return false;
      }
      if (!item_type(s, e.item, &item.type, sat)) return false;
      ExternName n;
      if (!check_item_name(s, item, false, name_at, &n)) return false;
      auto [kit, inserted] = keys.emplace(n.key(), item.name);
      if (!inserted)
        return fail(ErrorCode::NameConflict, name_at, "export", item.name, kit->second);
      if (item.type.type) size += item.type.type->size;
      type->exports.add(std::move(item));
      def.exports.push_back(std::move(e));
    }
    type->size = size;
    type->depth = items_depth(type->exports, 1);
    if (size > kMaxTypeSize) return fail(ErrorCode::TypeSizeTooLarge, at, kMaxTypeSize);
    if (type->depth > kMaxTypeDepth) return fail(ErrorCode::TypeNestingTooDeep, at);
    for (uint32_t i = 0; i < type->exports.items.size(); ++i) {
      std::vector<uint32_t> prefix{i};
      find_resource_paths(type->exports.items[i].type, prefix, type->explicit_resources);
    }
  } else {
    return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "instance");
  }
  def.type = type;
  const uint32_t idx = def_index(s);
  add_def(s, at, std::move(def));
  s.spaces.instances.push_back({idx, type});
  return true;
}

// ---- aliases ----

bool Decoder::alias_entry(Scope& s, Sort sort, CoreSort cs, const ExternType& t, uint32_t def,
                          size_t at) {
  (void)sort;
  (void)cs;
  (void)at;
  push_sort_entry(s, t, def);
  return true;
}

bool Decoder::alias(Reader& r, Scope& s, size_t at) {
  AliasDef def;
  if (!read_sort(r, &def.sort, &def.core_sort, "component outer alias kind")) return false;
  const size_t tat = r.offset();
  uint8_t tag;
  if (!read_byte(r, &tag)) return false;
  const bool type_scope = s.kind != Scope::Kind::Component;
  const uint32_t idx = def_index(s);
  IndexSpaces& sp = s.spaces;
  switch (tag) {
    case 0x00: {  // export of a component instance
      def.kind = AliasDef::Kind::Export;
      const size_t iat = r.offset();
      if (!read_u32(r, &def.instance) || !read_name(r, &def.name)) return false;
      if (type_scope && def.sort != Sort::Type && def.sort != Sort::Instance) {
        return fail(ErrorCode::AliasInTypeScope, at);
      }
      if (def.instance >= sp.instances.size()) {
        return fail(ErrorCode::UnknownInstance, iat, def.instance);
      }
      const Item* e = sp.instances[def.instance].type->exports.find(def.name);
      if (e == nullptr) return fail(ErrorCode::InstanceNoExport, iat, def.instance, def.name);
      static const ExternType::Kind kKinds[] = {
          ExternType::Kind::Module, ExternType::Kind::Func,      ExternType::Kind::Value,
          ExternType::Kind::Type,   ExternType::Kind::Component, ExternType::Kind::Instance};
      const bool match =
          def.sort == Sort::Core
              ? def.core_sort == CoreSort::Module && e->type.kind == ExternType::Kind::Module
              : kKinds[static_cast<int>(def.sort)] == e->type.kind;
      if (!match) {
        return fail(ErrorCode::ExportNotSort, iat, def.name, def.instance,
                    def.sort == Sort::Core ? core_sort_name(def.core_sort)
                                           : sort_name(def.sort, def.core_sort));
      }
      if (def.sort == Sort::Value) return fail(ErrorCode::ValuesUnsupported, iat);
      add_def(s, at, def);
      push_sort_entry(s, e->type, idx);
      return true;
    }
    case 0x01: {  // export of a core instance
      def.kind = AliasDef::Kind::CoreExport;
      const size_t iat = r.offset();
      if (!read_u32(r, &def.instance) || !read_name(r, &def.name)) return false;
      if (type_scope) return fail(ErrorCode::AliasInTypeScope, at);
      if (def.sort != Sort::Core || def.core_sort > CoreSort::Tag) {
        return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(static_cast<uint8_t>(def.sort)),
                    "core export alias");
      }
      if (def.instance >= sp.core_instances.size()) {
        return fail(ErrorCode::UnknownCoreInstance, iat, def.instance);
      }
      const CoreExportItem* e = sp.core_instances[def.instance].type->find(def.name);
      if (e == nullptr) return fail(ErrorCode::CoreInstanceNoExport, iat, def.instance, def.name);
      if (static_cast<uint8_t>(e->type.kind) != static_cast<uint8_t>(def.core_sort)) {
        return fail(ErrorCode::CoreExportNotSort, iat, def.name, def.instance,
                    core_sort_name(def.core_sort));
      }
      add_def(s, at, def);
      switch (e->type.kind) {
        case decoder::ExternKind::Func: {
          decoder::FuncType* ft = arena_->make<decoder::FuncType>();
          *ft = e->type.func;
          sp.core_funcs.push_back({idx, ft});
          break;
        }
        case decoder::ExternKind::Table:
          sp.core_tables.push_back({idx, e->type.table});
          break;
        case decoder::ExternKind::Memory:
          sp.core_memories.push_back({idx, e->type.memory});
          break;
        case decoder::ExternKind::Global:
          sp.core_globals.push_back({idx, e->type.global});
          break;
        case decoder::ExternKind::Tag: {
          decoder::FuncType* ft = arena_->make<decoder::FuncType>();
          *ft = e->type.func;
          sp.core_tags.push_back({idx, ft});
          break;
        }
      }
      return true;
    }
    case 0x02: {  // outer
      def.kind = AliasDef::Kind::Outer;
      const size_t cat = r.offset();
      if (!read_u32(r, &def.count) || !read_u32(r, &def.index)) return false;
      const bool core_ok = def.sort == Sort::Core &&
                           (def.core_sort == CoreSort::Type || def.core_sort == CoreSort::Module);
      if (!(core_ok || def.sort == Sort::Type || def.sort == Sort::Component)) {
        const uint8_t kind = def.sort == Sort::Core ? static_cast<uint8_t>(def.core_sort)
                                                    : static_cast<uint8_t>(def.sort);
        return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(kind),
                    "component outer alias kind");
      }
      if (type_scope && !(def.sort == Sort::Type ||
                          (def.sort == Sort::Core && def.core_sort == CoreSort::Type))) {
        return fail(ErrorCode::AliasInTypeScope, at);
      }
      if (def.count >= scopes_.size())
        return fail(ErrorCode::InvalidOuterAliasCount, cat, def.count);
      const size_t ti = scopes_.size() - 1 - def.count;
      Scope& target = *scopes_[ti];
      const IndexSpaces& tsp = target.spaces;
      auto defined_in_target = [&](uint32_t d) -> const Definition* {
        if (!target.comp || d == kNoDef) return nullptr;
        return &target.comp->definitions[d];
      };
      if (def.sort == Sort::Type) {
        if (def.index >= tsp.types.size()) return fail(ErrorCode::UnknownType, cat, def.index);
        const TypeNode* t = tsp.types[def.index].type;
        bool crosses = false;
        for (size_t k = ti + 1; k < scopes_.size(); ++k) {
          crosses |= scopes_[k]->kind == Scope::Kind::Component;
        }
        size_t work = 0;
        if (crosses && mentions_resource(t, work)) return fail(ErrorCode::OuterAliasResources, cat);
        add_def(s, at, def);
        sp.types.push_back({idx, t});
      } else if (def.sort == Sort::Component) {
        if (def.index >= tsp.components.size()) {
          return fail(ErrorCode::UnknownComponent, cat, def.index);
        }
        const auto& e = tsp.components[def.index];
        if (const Definition* d = defined_in_target(e.def)) {
          if (auto* c = std::get_if<ComponentDef>(&d->def)) def.component = c->component;
        }
        add_def(s, at, def);
        sp.components.push_back({idx, e.type});
      } else if (def.core_sort == CoreSort::Module) {
        if (def.index >= tsp.core_modules.size()) {
          return fail(ErrorCode::UnknownModule, cat, def.index);
        }
        const auto& e = tsp.core_modules[def.index];
        if (const Definition* d = defined_in_target(e.def)) {
          if (auto* m = std::get_if<CoreModuleDef>(&d->def)) def.module = m->module;
        }
        add_def(s, at, def);
        sp.core_modules.push_back({idx, e.type});
      } else {
        if (def.index >= tsp.core_types.size()) {
          return fail(ErrorCode::UnknownCoreType, cat, def.index);
        }
        const CoreTypeEntry e = tsp.core_types[def.index].type;
        add_def(s, at, def);
        sp.core_types.push_back({idx, e});
      }
      return true;
    }
    default:
      return fail(ErrorCode::InvalidLeadingByte, tat, hex_byte(tag), "alias");
  }
}

// ---- start ----

bool Decoder::start(Reader& r, Scope& s, size_t at) {
  StartDef def;
  uint32_t nargs;
  if (!read_u32(r, &def.func) || !read_count(r, &nargs)) return false;
  for (uint32_t i = 0; i < nargs; ++i) {
    uint32_t v;
    if (!read_u32(r, &v)) return false;
    def.args.push_back(v);
  }
  if (!read_u32(r, &def.results)) return false;
  if (s.has_start) return fail(ErrorCode::StartTwice, at);
  s.has_start = true;
  if (def.func >= s.spaces.funcs.size()) return fail(ErrorCode::UnknownFunc, at, def.func);
  if (!def.args.empty()) return fail(ErrorCode::ValuesUnsupported, at);
  const FuncType* ft = s.spaces.funcs[def.func].type->type;
  if (ft->params.size() != def.args.size()) {
    return fail(ErrorCode::StartArgs, at, ft->params.size(), def.args.size());
  }
  const uint32_t results = ft->result ? 1 : 0;
  if (results != def.results) return fail(ErrorCode::StartResults, at, def.results, results);
  if (results) return fail(ErrorCode::ValuesUnsupported, at);
  add_def(s, at, std::move(def));
  return true;
}

// ---- imports and exports ----

bool Decoder::import(Reader& r, Scope& s, size_t at) {
  Item item;
  size_t name_at;
  if (!read_name_attributes(r, &item, &name_at) || !read_externtype(r, s, &item.type, true)) {
    return false;
  }
  const uint32_t idx = def_index(s);
  ImportDef def{item};
  if (!add_extern(s, std::move(item), true, name_at, idx)) return false;
  def.item = s.imports.items.back();
  add_def(s, at, std::move(def));
  if (s.comp) s.comp->imports.push_back(idx);
  return true;
}

bool Decoder::read_externtype(Reader& r, Scope& s, ExternType* out, bool is_import) {
  (void)is_import;
  const size_t at = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  const size_t iat = r.offset();
  uint32_t idx;
  auto type_at = [&](TypeNode::Kind k, ErrorCode not_kind) -> const TypeNode* {
    if (!read_u32(r, &idx)) return nullptr;
    if (idx >= s.spaces.types.size()) {
      fail(ErrorCode::UnknownType, iat, idx);
      return nullptr;
    }
    const TypeNode* t = s.spaces.types[idx].type;
    if (t->kind != k) {
      fail(not_kind, iat, idx);
      return nullptr;
    }
    return t;
  };
  switch (b) {
    case 0x00: {
      uint8_t m;
      if (!read_byte(r, &m)) return false;
      if (m != 0x11) {
        return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "component external kind");
      }
      const size_t mat = r.offset();
      if (!read_u32(r, &idx)) return false;
      if (idx >= s.spaces.core_types.size()) return fail(ErrorCode::UnknownCoreType, mat, idx);
      const CoreModuleTypeNode* mt = s.spaces.core_types[idx].type.module;
      if (mt == nullptr) return fail(ErrorCode::NotModuleType, mat, idx);
      *out = {ExternType::Kind::Module, mt, nullptr};
      return true;
    }
    case 0x01:
      out->kind = ExternType::Kind::Func;
      out->type = type_at(TypeNode::Kind::Func, ErrorCode::NotFuncType);
      return out->type != nullptr;
    case 0x02:
      return fail(ErrorCode::ValuesUnsupported, at);
    case 0x03: {
      uint8_t bound;
      if (!read_byte(r, &bound)) return false;
      out->kind = ExternType::Kind::Type;
      if (bound == 0x00) {
        const size_t eat = r.offset();
        if (!read_u32(r, &idx)) return false;
        if (idx >= s.spaces.types.size()) return fail(ErrorCode::UnknownType, eat, idx);
        const TypeNode* t = s.spaces.types[idx].type;
        out->type = t;
        if (t->kind == TypeNode::Kind::Defined) {
          out->created = copy_defined(static_cast<const DefinedType*>(t));
        } else if (t->kind == TypeNode::Kind::Resource) {
          ResourceAlias* a = arena_->make<ResourceAlias>();
          *a = *static_cast<const ResourceAlias*>(t);
          out->created = a;
        } else {
          out->created = t;
        }
        return true;
      }
      if (bound == 0x01) {
        ResourceAlias* a = arena_->make<ResourceAlias>();
        a->kind = TypeNode::Kind::Resource;
        a->resource = types_.new_resource("resource " + std::to_string(s.spaces.types.size()));
        out->type = out->created = a;
        return true;
      }
      return fail(ErrorCode::InvalidLeadingByte, iat, hex_byte(bound), "type bound");
    }
    case 0x04:
      out->kind = ExternType::Kind::Component;
      out->type = type_at(TypeNode::Kind::Component, ErrorCode::NotComponentType);
      return out->type != nullptr;
    case 0x05:
      out->kind = ExternType::Kind::Instance;
      out->type = type_at(TypeNode::Kind::Instance, ErrorCode::NotInstanceType);
      return out->type != nullptr;
    default:
      return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "component external kind");
  }
}

bool Decoder::export_(Reader& r, Scope& s, size_t at) {
  ExportDef def;
  Item item;
  size_t name_at;
  if (!read_name_attributes(r, &item, &name_at)) return false;
  const size_t sat = r.offset();
  if (!read_sort(r, &def.item.sort, &def.item.core_sort) || !read_u32(r, &def.item.index)) {
    return false;
  }
  ExternType actual;
  if (!item_type(s, def.item, &actual, sat)) return false;
  const size_t aat = r.offset();
  uint8_t has;
  if (!read_byte(r, &has)) return false;
  if (has > 1) {
    return fail(ErrorCode::InvalidLeadingByte, aat, hex_byte(has),
                "optional component export type");
  }
  if (has) {
    ExternType asc;
    if (!read_externtype(r, s, &asc, false)) return false;
    // A `(sub resource)` ascription exports a fresh abstract resource (the component's type
    // hides that it is the one given); the item must be a resource.
    const bool abstract = asc.kind == ExternType::Kind::Type && asc.created == asc.type &&
                          asc.type->kind == TypeNode::Kind::Resource;
    if (abstract) {
      if (actual.kind != ExternType::Kind::Type) {
        fail(ErrorCode::ExpectedFound, aat, "type", actual.desc());
        return diag_.context(ErrorCode::CAscribed);
      }
      if (actual.type->kind != TypeNode::Kind::Resource) {
        fail(ErrorCode::ExpectedFound, aat, "resource", "defined type");
        return diag_.context(ErrorCode::CAscribed);
      }
    } else if (!sub_extern(actual, asc, aat)) {
      return diag_.context(ErrorCode::CAscribed);
    }
    item.type = asc;
  } else {
    item.type = actual;
    if (actual.kind == ExternType::Kind::Type) {
      // The export is a new type index: a new identity for the same type.
      if (actual.type->kind == TypeNode::Kind::Defined) {
        item.type.created = copy_defined(static_cast<const DefinedType*>(actual.type));
      } else if (actual.type->kind == TypeNode::Kind::Resource) {
        ResourceAlias* a = arena_->make<ResourceAlias>();
        *a = *static_cast<const ResourceAlias*>(actual.type);
        item.type.created = a;
      }
    }
  }
  const uint32_t idx = def_index(s);
  def.item_def = item;
  if (!add_extern(s, std::move(item), false, name_at, idx)) return false;
  def.item_def = s.exports.items.back();
  add_def(s, at, std::move(def));
  if (s.comp) s.comp->exports.push_back(idx);
  return true;
}

bool Decoder::finish_component(Scope& s, size_t at) {
  ComponentTypeNode* n = arena_->make<ComponentTypeNode>();
  n->kind = TypeNode::Kind::Component;
  n->imports = s.imports;
  n->exports = s.exports;
  std::set<const ResourceType*> imported(s.imported_resources.begin(), s.imported_resources.end());
  uint32_t size = 1;
  for (uint32_t i = 0; i < n->imports.items.size(); ++i) {
    std::vector<uint32_t> prefix{i};
    std::vector<ResourcePath> paths;
    find_resource_paths(n->imports.items[i].type, prefix, paths);
    for (ResourcePath& p : paths) {
      if (imported.erase(p.resource)) n->imported_resources.push_back(std::move(p));
    }
    if (n->imports.items[i].type.type) size += n->imports.items[i].type.type->size;
  }
  std::set<const ResourceType*> seen;
  for (uint32_t i = 0; i < n->exports.items.size(); ++i) {
    std::vector<uint32_t> prefix{i};
    std::vector<ResourcePath> paths;
    find_resource_paths(n->exports.items[i].type, prefix, paths);
    for (ResourcePath& p : paths) {
      bool from_import = false;
      for (const ResourcePath& ip : n->imported_resources) from_import |= ip.resource == p.resource;
      if (!from_import && seen.insert(p.resource).second) n->defined_resources.push_back(p);
      n->explicit_resources.push_back(std::move(p));
    }
    if (n->exports.items[i].type.type) size += n->exports.items[i].type.type->size;
  }
  n->size = size;
  n->depth = items_depth(n->exports, items_depth(n->imports, 1));
  if (size > kMaxTypeSize) return fail(ErrorCode::TypeSizeTooLarge, at, kMaxTypeSize);
  if (n->depth > kMaxTypeDepth) return fail(ErrorCode::TypeNestingTooDeep, at);
  s.comp->type = n;
  s.comp->spaces = std::move(s.spaces);
  return true;
}

}  // namespace zinc::component::internal

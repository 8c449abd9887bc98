// component/validate_subtype.cc: subtyping of component and core types (instantiation
// arguments, export ascriptions, module instantiation) and resource substitution (type
// imports supplied by instantiation, fresh resources per instance).
//
// `sub_*(a, b)` checks that `a` (what is supplied) can be used where `b` (what is expected) is
// required; on failure it records the innermost mismatch in wasmparser's words and callers add
// contexts on the way out ("type mismatch in record field `x`: expected u32, found tuple").
// Value types are interned, so equal types are equal pointers and the structural walk only
// runs to explain a mismatch; its depth is bounded by kMaxTypeDepth. Substitution rebuilds only
// the types that mention a substituted resource and is charged to the decode's type budget.
// Spec: Explainer.md "Type checking", wasmparser's subtype checks.
#include <algorithm>
#include <utility>

#include "component/decode_impl.h"

namespace zinc::component::internal {

namespace {

const char* extern_kind_name(decoder::ExternKind k) {
  switch (k) {
    case decoder::ExternKind::Func:
      return "func";
    case decoder::ExternKind::Table:
      return "table";
    case decoder::ExternKind::Memory:
      return "memory";
    case decoder::ExternKind::Global:
      return "global";
    case decoder::ExternKind::Tag:
      return "tag";
  }
  return "?";
}

const char* node_desc(const TypeNode* n) {
  switch (n->kind) {
    case TypeNode::Kind::Defined:
      return "defined type";
    case TypeNode::Kind::Func:
      return "func";
    case TypeNode::Kind::Resource:
      return "resource";
    case TypeNode::Kind::Instance:
      return "instance";
    case TypeNode::Kind::Component:
      return "component";
    case TypeNode::Kind::CoreModule:
      return "module";
  }
  return "?";
}

}  // namespace

const ResourceType* resource_at(const ExternType& exp, const ExternType& act,
                                const std::vector<uint32_t>& path) {
  const ExternType* e = &exp;
  const ExternType* a = &act;
  for (size_t k = 1; k < path.size(); ++k) {
    if (e->kind != ExternType::Kind::Instance || a->kind != ExternType::Kind::Instance) {
      return nullptr;
    }
    const auto* et = static_cast<const InstanceTypeNode*>(e->type);
    const auto* at = static_cast<const InstanceTypeNode*>(a->type);
    if (path[k] >= et->exports.items.size()) return nullptr;
    const Item& ei = et->exports.items[path[k]];
    const Item* ai = at->exports.find(ei.name);
    if (ai == nullptr) return nullptr;
    e = &ei.type;
    a = &ai->type;
  }
  if (a->kind != ExternType::Kind::Type) return nullptr;
  const TypeNode* n = a->created ? a->created : a->type;
  if (n->kind != TypeNode::Kind::Resource) return nullptr;
  return static_cast<const ResourceAlias*>(n)->resource;
}

std::string core_types_debug(const std::vector<decoder::ValType>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    switch (v[i].kind()) {
      case decoder::ValKind::I32:
        s += "I32";
        break;
      case decoder::ValKind::I64:
        s += "I64";
        break;
      case decoder::ValKind::F32:
        s += "F32";
        break;
      case decoder::ValKind::F64:
        s += "F64";
        break;
      case decoder::ValKind::V128:
        s += "V128";
        break;
      default:
        s += decoder::to_string(v[i]);
        break;
    }
  }
  return s + "]";
}

std::string core_func_string(const decoder::FuncType& f) {
  std::string s = "(func";
  if (!f.params.empty()) {
    s += " (param";
    for (auto t : f.params) s += " " + decoder::to_string(t);
    s += ")";
  }
  if (!f.results.empty()) {
    s += " (result";
    for (auto t : f.results) s += " " + decoder::to_string(t);
    s += ")";
  }
  return s + ")";
}

// ---- value types ----

bool Decoder::sub_value(TypeRef a, TypeRef b, size_t at, bool top) {
  if (a == b) return true;
  const bool pa = is_primitive(a->kind), pb = is_primitive(b->kind);
  if (pa && pb)
    return fail(ErrorCode::PrimitiveMismatch, at, kind_name(b->kind), kind_name(a->kind));
  if (pb) {
    return fail(ErrorCode::ExpectedFound, at, top ? "primitive" : kind_name(b->kind),
                kind_name(a->kind));
  }
  if (a->kind != b->kind)
    return fail(ErrorCode::ExpectedFound, at, kind_name(b->kind), kind_name(a->kind));
  switch (a->kind) {
    case ValKind::Record:
      if (a->fields.size() != b->fields.size()) {
        return fail(ErrorCode::FieldCount, at, b->fields.size(), a->fields.size());
      }
      for (size_t i = 0; i < a->fields.size(); ++i) {
        if (a->fields[i].label != b->fields[i].label) {
          return fail(ErrorCode::FieldName, at, b->fields[i].label, a->fields[i].label);
        }
        if (!sub_value(a->fields[i].type, b->fields[i].type, at)) {
          return diag_.context(ErrorCode::CRecordField, b->fields[i].label);
        }
      }
      return true;
    case ValKind::Variant:
      if (a->cases.size() != b->cases.size()) {
        return fail(ErrorCode::CaseCount, at, b->cases.size(), a->cases.size());
      }
      for (size_t i = 0; i < a->cases.size(); ++i) {
        const Case &ca = a->cases[i], &cb = b->cases[i];
        if (ca.label != cb.label) return fail(ErrorCode::CaseName, at, cb.label, ca.label);
        if (ca.type && cb.type) {
          if (!sub_value(ca.type, cb.type, at))
            return diag_.context(ErrorCode::CVariantCase, cb.label);
        } else if (cb.type) {
          return fail(ErrorCode::CaseTypeMissing, at, cb.label);
        } else if (ca.type) {
          return fail(ErrorCode::CaseTypeExtra, at, cb.label);
        }
      }
      return true;
    case ValKind::Tuple:
      if (a->elems.size() != b->elems.size()) {
        return fail(ErrorCode::TypeCount, at, b->elems.size(), a->elems.size());
      }
      for (size_t i = 0; i < a->elems.size(); ++i) {
        if (!sub_value(a->elems[i], b->elems[i], at))
          return diag_.context(ErrorCode::CTupleField, i);
      }
      return true;
    case ValKind::Flags:
    case ValKind::Enum:
      if (a->labels != b->labels) return fail(ErrorCode::ElementsMismatch, at, kind_name(a->kind));
      return true;
    case ValKind::List:
      if (a->length != b->length) {
        return fail(ErrorCode::FixedLengthMismatch, at,
                    b->length ? std::to_string(*b->length) : "0",
                    a->length ? std::to_string(*a->length) : "none");
      }
      return sub_value(a->elem, b->elem, at);
    case ValKind::Option:
      return sub_value(a->elem, b->elem, at);
    case ValKind::Stream:
    case ValKind::Future:
      if (a->elem && b->elem) return sub_value(a->elem, b->elem, at);
      if (b->elem) return fail(ErrorCode::OptionalMissing, at, kind_name(a->kind));
      if (a->elem) return fail(ErrorCode::OptionalExtra, at, kind_name(a->kind));
      return true;
    case ValKind::Result:
      for (int k = 0; k < 2; ++k) {
        TypeRef x = k ? a->err : a->ok, y = k ? b->err : b->ok;
        const char* what = k ? "err" : "ok";
        if (x && y) {
          if (!sub_value(x, y, at)) {
            return diag_.context(k ? ErrorCode::CResultErr : ErrorCode::CResultOk);
          }
        } else if (y) {
          return fail(ErrorCode::OptionalMissing, at, what);
        } else if (x) {
          return fail(ErrorCode::OptionalExtra, at, what);
        }
      }
      return true;
    case ValKind::Map:
      if (!sub_value(a->key, b->key, at)) return diag_.context(ErrorCode::CMapKey);
      if (!sub_value(a->elem, b->elem, at)) return diag_.context(ErrorCode::CMapValue);
      return true;
    case ValKind::Own:
    case ValKind::Borrow:
      if (a->resource != b->resource) return fail(ErrorCode::ResourceMismatch, at);
      return true;
    default:
      return fail(ErrorCode::ExpectedFound, at, kind_name(b->kind), kind_name(a->kind));
  }
}

bool Decoder::sub_func(const FuncType* a, const FuncType* b, size_t at) {
  if (a == b) return true;
  if (a->async != b->async) {
    return fail(ErrorCode::FuncAsyncMismatch, at, b->async ? "async" : "sync",
                a->async ? "async" : "sync");
  }
  if (a->params.size() != b->params.size()) {
    return fail(ErrorCode::ParamCount, at, b->params.size(), a->params.size());
  }
  for (size_t i = 0; i < a->params.size(); ++i) {
    if (a->params[i].label != b->params[i].label) {
      return fail(ErrorCode::ParamName, at, b->params[i].label, a->params[i].label);
    }
    if (!sub_value(a->params[i].type, b->params[i].type, at)) {
      return diag_.context(ErrorCode::CFuncParam, b->params[i].label);
    }
  }
  if (a->result && b->result) {
    if (!sub_value(a->result, b->result, at)) return diag_.context(ErrorCode::CFuncResult);
  } else if (a->result) {
    return fail(ErrorCode::ResultMissing, at);  // wasmparser's wording for this direction
  } else if (b->result) {
    return fail(ErrorCode::ResultExtra, at);
  }
  return true;
}

// ---- component-level types ----

bool Decoder::sub_type_node(const TypeNode* a, const TypeNode* b, size_t at) {
  if (a == b) return true;
  if (a->kind != b->kind) return fail(ErrorCode::ExpectedFound, at, node_desc(b), node_desc(a));
  switch (a->kind) {
    case TypeNode::Kind::Defined:
      return sub_value(static_cast<const DefinedType*>(a)->type,
                       static_cast<const DefinedType*>(b)->type, at, true);
    case TypeNode::Kind::Resource:
      if (static_cast<const ResourceAlias*>(a)->resource !=
          static_cast<const ResourceAlias*>(b)->resource) {
        return fail(ErrorCode::ResourceMismatch, at);
      }
      return true;
    case TypeNode::Kind::Func:
      return sub_func(static_cast<const FuncTypeNode*>(a)->type,
                      static_cast<const FuncTypeNode*>(b)->type, at);
    case TypeNode::Kind::Instance:
      return sub_instance(static_cast<const InstanceTypeNode*>(a),
                          static_cast<const InstanceTypeNode*>(b), at);
    case TypeNode::Kind::Component:
      return sub_component(static_cast<const ComponentTypeNode*>(a),
                           static_cast<const ComponentTypeNode*>(b), at);
    case TypeNode::Kind::CoreModule:
      return sub_core_module(static_cast<const CoreModuleTypeNode*>(a),
                             static_cast<const CoreModuleTypeNode*>(b), at);
  }
  return true;
}

bool Decoder::sub_extern(const ExternType& a, const ExternType& b, size_t at) {
  if (a.kind != b.kind) return fail(ErrorCode::ExpectedFound, at, b.desc(), a.desc());
  if (!budget(1, at)) return false;
  return sub_type_node(a.type, b.type, at);
}

bool Decoder::sub_instance(const InstanceTypeNode* a, const InstanceTypeNode* b, size_t at) {
  // Abstract resources of `b` are bound to those `a` exports at the same names.
  Subst m;
  for (const ResourceType* r : b->defined_resources) {
    for (const ResourcePath& p : b->explicit_resources) {
      if (p.resource != r) continue;
      ExternType ea{ExternType::Kind::Instance, a, nullptr};
      ExternType eb{ExternType::Kind::Instance, b, nullptr};
      // Path elements index b's exports; follow them by name in a.
      const ExternType* x = &eb;
      const ExternType* y = &ea;
      bool ok = true;
      for (uint32_t k : p.path) {
        if (x->kind != ExternType::Kind::Instance || y->kind != ExternType::Kind::Instance) {
          ok = false;
          break;
        }
        const auto* xt = static_cast<const InstanceTypeNode*>(x->type);
        const auto* yt = static_cast<const InstanceTypeNode*>(y->type);
        const Item& xi = xt->exports.items[k];
        const Item* yi = yt->exports.find(xi.name);
        if (!yi) {
          ok = false;
          break;
        }
        x = &xi.type;
        y = &yi->type;
      }
      if (ok && y->kind == ExternType::Kind::Type) {
        const TypeNode* n = y->created ? y->created : y->type;
        if (n->kind == TypeNode::Kind::Resource) {
          m.map[r] = static_cast<const ResourceAlias*>(n)->resource;
        }
      }
      break;
    }
  }
  for (const Item& e : b->exports.items) {
    const Item* f = a->exports.find(e.name);
    if (f == nullptr) return fail(ErrorCode::MissingExport, at, e.name);
    const ExternType expected = m.map.empty() ? e.type : subst_extern(e.type, m);
    if (diag_.failed()) return false;
    if (!sub_extern(f->type, expected, at))
      return diag_.context(ErrorCode::CInstanceExport, e.name);
  }
  return true;
}

bool Decoder::sub_component(const ComponentTypeNode* a0, const ComponentTypeNode* b0, size_t at) {
  // The abstract resources of `a`'s imports are bound to those of `b`'s imports at the same
  // names, and those `b`'s exports define to what `a` exports there.
  Subst ma, mb;
  for (const ResourcePath& p : a0->imported_resources) {
    const Item& i = a0->imports.items[p.path[0]];
    if (const Item* j = b0->imports.find(i.name)) {
      if (const ResourceType* r = resource_at(i.type, j->type, p.path)) ma.map[p.resource] = r;
    }
  }
  for (const ResourcePath& p : b0->defined_resources) {
    const Item& e = b0->exports.items[p.path[0]];
    if (const Item* f = a0->exports.find(e.name)) {
      if (const ResourceType* r = resource_at(e.type, f->type, p.path)) mb.map[p.resource] = r;
    }
  }
  const auto* a = ma.map.empty() ? a0 : static_cast<const ComponentTypeNode*>(subst_node(a0, ma));
  const auto* b = mb.map.empty() ? b0 : static_cast<const ComponentTypeNode*>(subst_node(b0, mb));
  if (diag_.failed()) return false;
  // Imports are contravariant: everything `a` imports, `b`'s imports must provide.
  for (const Item& i : a->imports.items) {
    const Item* j = b->imports.find(i.name);
    if (j == nullptr) return fail(ErrorCode::MissingNamed, at, "import", i.name);
    if (!sub_extern(j->type, i.type, at))
      return diag_.context(ErrorCode::CTypeMismatchFor, "import", i.name);
  }
  for (const Item& e : b->exports.items) {
    const Item* f = a->exports.find(e.name);
    if (f == nullptr) return fail(ErrorCode::MissingExport, at, e.name);
    if (!sub_extern(f->type, e.type, at))
      return diag_.context(ErrorCode::CTypeMismatchFor, "export", e.name);
  }
  return true;
}

// ---- core ----

bool Decoder::sub_core_extern(const CoreExternType& a, const CoreExternType& b, size_t at) {
  if (a.kind != b.kind) {
    return fail(ErrorCode::ExpectedFound, at, extern_kind_name(b.kind), extern_kind_name(a.kind));
  }
  switch (a.kind) {
    case decoder::ExternKind::Func:
    case decoder::ExternKind::Tag:
      if (!(a.func == b.func)) {
        return fail(ErrorCode::CoreFuncMismatch, at, core_func_string(b.func),
                    core_func_string(a.func));
      }
      return true;
    case decoder::ExternKind::Table: {
      if (!(a.table.elem == b.table.elem)) {
        return fail(ErrorCode::TableElemType, at, decoder::to_string(b.table.elem),
                    decoder::to_string(a.table.elem));
      }
      const decoder::Limits &x = a.table.limits, &y = b.table.limits;
      if (x.shared != y.shared) return fail(ErrorCode::TableShared, at);
      if (x.min < y.min || (y.has_max && (!x.has_max || x.max > y.max))) {
        return fail(ErrorCode::TableLimits, at);
      }
      return true;
    }
    case decoder::ExternKind::Memory: {
      const decoder::Limits &x = a.memory.limits, &y = b.memory.limits;
      if (x.shared != y.shared) return fail(ErrorCode::MemoryShared, at);
      if (x.is64 != y.is64) return fail(ErrorCode::Memory64, at);
      if (a.memory.page_size_log2 != b.memory.page_size_log2) {
        return fail(ErrorCode::MemoryPageSize, at);
      }
      if (x.min < y.min || (y.has_max && (!x.has_max || x.max > y.max))) {
        return fail(ErrorCode::MemoryLimits, at);
      }
      return true;
    }
    case decoder::ExternKind::Global:
      if (a.global.mut != b.global.mut) return fail(ErrorCode::GlobalMutability, at);
      if (!(a.global.type == b.global.type)) {
        return fail(ErrorCode::GlobalType, at, decoder::to_string(b.global.type),
                    decoder::to_string(a.global.type));
      }
      return true;
  }
  return true;
}

bool Decoder::sub_core_module(const CoreModuleTypeNode* a, const CoreModuleTypeNode* b, size_t at) {
  for (const CoreImportItem& i : a->imports) {
    const CoreImportItem* j = nullptr;
    for (const CoreImportItem& k : b->imports) {
      if (k.module == i.module && k.name == i.name) j = &k;
    }
    if (j == nullptr) return fail(ErrorCode::MissingImport, at, i.module, i.name);
    if (!sub_core_extern(j->type, i.type, at)) {
      return diag_.context(ErrorCode::CModuleImport, i.module, i.name);
    }
  }
  for (const CoreExportItem& e : b->exports) {
    const CoreExportItem* f = a->find_export(e.name);
    if (f == nullptr) return fail(ErrorCode::MissingExport, at, e.name);
    if (!sub_core_extern(f->type, e.type, at))
      return diag_.context(ErrorCode::CModuleExport, e.name);
  }
  return true;
}

// ---- substitution ----

const ResourceType* Decoder::subst_resource(const ResourceType* r, Subst& m) {
  auto it = m.map.find(r);
  if (it != m.map.end()) return it->second;
  if (!m.fresh) return r;
  const ResourceType* n = types_.new_resource(r->debug_name);
  m.map.emplace(r, n);
  return n;
}

TypeRef Decoder::subst_val(TypeRef t, Subst& m) {
  if (t == nullptr || !t->has_resource || diag_.failed()) return t;
  auto memo = m.memo.find(t);
  if (memo != m.memo.end()) return static_cast<TypeRef>(memo->second);
  ValType n;
  n.kind = t->kind;
  n.elem = subst_val(t->elem, m);
  n.key = subst_val(t->key, m);
  n.length = t->length;
  for (const Field& f : t->fields) n.fields.push_back({f.label, subst_val(f.type, m)});
  for (TypeRef e : t->elems) n.elems.push_back(subst_val(e, m));
  for (const Case& c : t->cases) n.cases.push_back({c.label, subst_val(c.type, m)});
  n.labels = t->labels;
  n.ok = subst_val(t->ok, m);
  n.err = subst_val(t->err, m);
  n.resource = t->resource ? subst_resource(t->resource, m) : nullptr;
  std::string err;
  TypeRef r = types_.intern(std::move(n), &err);
  if (r == nullptr) {
    intern_fail(err, 0);
    return t;
  }
  m.memo.emplace(t, r);
  return r;
}

ExternType Decoder::subst_extern(const ExternType& t, Subst& m) {
  ExternType r = t;
  r.type = subst_node(t.type, m);
  r.created = t.created == t.type ? r.type : subst_node(t.created, m);
  return r;
}

const TypeNode* Decoder::subst_node(const TypeNode* t, Subst& m) {
  if (t == nullptr || diag_.failed()) return t;
  auto memo = m.memo.find(t);
  if (memo != m.memo.end()) return static_cast<const TypeNode*>(memo->second);
  if (!budget(1, 0)) return t;
  const TypeNode* result = t;
  switch (t->kind) {
    case TypeNode::Kind::Defined: {
      const auto* d = static_cast<const DefinedType*>(t);
      if (auto it = m.nodes.find(t); it != m.nodes.end()) {
        result = it->second;
        break;
      }
      if (!d->type->has_resource && m.nodes.empty()) break;
      DefinedType n = *d;
      n.type = subst_val(d->type, m);
      bool changed = n.type != d->type;
      for (auto& ref : n.refs) {
        const DefinedType* x = static_cast<const DefinedType*>(subst_node(ref, m));
        changed |= x != ref;
        ref = x;
      }
      if (d->resource) {
        n.resource = static_cast<const ResourceAlias*>(subst_node(d->resource, m));
        changed |= n.resource != d->resource;
      }
      if (!changed) break;
      DefinedType* copy = arena_->make<DefinedType>();
      *copy = std::move(n);
      result = copy;
      break;
    }
    case TypeNode::Kind::Resource: {
      const auto* a = static_cast<const ResourceAlias*>(t);
      const ResourceType* r = subst_resource(a->resource, m);
      if (r == a->resource) break;
      ResourceAlias* n = arena_->make<ResourceAlias>();
      *n = *a;
      n->resource = r;
      result = n;
      break;
    }
    case TypeNode::Kind::Func: {
      const auto* f = static_cast<const FuncTypeNode*>(t);
      bool has = (f->type->result && f->type->result->has_resource) || !m.nodes.empty();
      for (const Field& p : f->type->params) has |= p.type->has_resource;
      if (!has) break;
      FuncTypeNode* n = arena_->make<FuncTypeNode>();
      *n = *f;
      FuncType ft = *f->type;
      for (Field& p : ft.params) p.type = subst_val(p.type, m);
      ft.result = subst_val(ft.result, m);
      n->type = types_.intern_func(std::move(ft));
      for (auto& p : n->params) p = static_cast<const DefinedType*>(subst_node(p, m));
      n->result = static_cast<const DefinedType*>(subst_node(n->result, m));
      result = n;
      break;
    }
    case TypeNode::Kind::Instance: {
      const auto* it = static_cast<const InstanceTypeNode*>(t);
      InstanceTypeNode* n = arena_->make<InstanceTypeNode>();
      n->kind = it->kind;
      n->size = it->size;
      n->depth = it->depth;
      for (const Item& i : it->exports.items) {
        Item c = i;
        c.type = subst_extern(i.type, m);
        n->exports.add(std::move(c));
      }
      for (const ResourceType* r : it->defined_resources) {
        n->defined_resources.push_back(subst_resource(r, m));
      }
      for (const ResourcePath& p : it->explicit_resources) {
        n->explicit_resources.push_back({subst_resource(p.resource, m), p.path});
      }
      result = n;
      break;
    }
    case TypeNode::Kind::Component: {
      const auto* ct = static_cast<const ComponentTypeNode*>(t);
      ComponentTypeNode* n = arena_->make<ComponentTypeNode>();
      n->kind = ct->kind;
      n->size = ct->size;
      n->depth = ct->depth;
      for (const Item& i : ct->imports.items) {
        Item c = i;
        c.type = subst_extern(i.type, m);
        n->imports.add(std::move(c));
      }
      for (const Item& i : ct->exports.items) {
        Item c = i;
        c.type = subst_extern(i.type, m);
        n->exports.add(std::move(c));
      }
      auto paths = [&](const std::vector<ResourcePath>& in, std::vector<ResourcePath>& out) {
        for (const ResourcePath& p : in) out.push_back({subst_resource(p.resource, m), p.path});
      };
      paths(ct->imported_resources, n->imported_resources);
      paths(ct->defined_resources, n->defined_resources);
      paths(ct->explicit_resources, n->explicit_resources);
      result = n;
      break;
    }
    case TypeNode::Kind::CoreModule:
      break;
  }
  m.memo.emplace(t, result);
  return result;
}

}  // namespace zinc::component::internal

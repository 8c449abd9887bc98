// component/decode_types.cc: type definitions (Binary.md "Type Definitions"): defined value
// types, function types, component and instance type declarators (each a fresh type scope on
// Decoder::scopes_), resource types, and core types (function and module types).
//
// Invariants: every DefinedType has an interned TypeRef whose depth is <= kMaxTypeDepth and
// whose tree size is <= kMaxTypeSize, so the recursive walks of the validator are bounded.
// Type declarators recurse; the recursion is bounded by kMaxTypeDepth scopes.
#include <algorithm>
#include <utility>

#include "component/decode_impl.h"
#include "decoder/type_reader.h"

namespace zinc::component::internal {

namespace {

bool prim_from_byte(uint8_t b, ValKind* out) {
  if (b >= 0x73 && b <= 0x7f) {
    *out = static_cast<ValKind>(0x7f - b);  // bool(0x7f) ... string(0x73) in ValKind order
    return true;
  }
  if (b == 0x64) {
    *out = ValKind::ErrorContext;
    return true;
  }
  return false;
}

uint32_t type_size(const TypeNode* n) {
  return n ? n->size : 0;
}
uint16_t type_depth(const TypeNode* n) {
  return n ? n->depth : 0;
}

}  // namespace

const DefinedType* Decoder::prim_node(ValKind k) {
  const size_t i = static_cast<size_t>(k);
  if (prims_[i] == nullptr) {
    DefinedType* n = arena_->make<DefinedType>();
    n->kind = TypeNode::Kind::Defined;
    n->type = types_.prim(k);
    prims_[i] = n;
  }
  return prims_[i];
}

const DefinedType* Decoder::copy_defined(const DefinedType* t) {
  DefinedType* n = arena_->make<DefinedType>();
  *n = *t;
  return n;
}

bool Decoder::read_valtype(Reader& r, Scope& s, const DefinedType** out) {
  const size_t at = r.offset();
  ValKind k;
  if (!r.at_end() && prim_from_byte(r.peek_u8(), &k)) {
    r.skip(1);
    *out = prim_node(k);
    return true;
  }
  const int64_t v = r.s33();
  if (!check(r)) return false;
  const uint32_t idx = static_cast<uint32_t>(v);
  if (v < 0 || idx >= s.spaces.types.size()) return fail(ErrorCode::UnknownType, at, idx);
  const TypeNode* n = s.spaces.types[idx].type;
  if (n->kind != TypeNode::Kind::Defined) return fail(ErrorCode::NotDefinedType, at, idx);
  *out = static_cast<const DefinedType*>(n);
  return true;
}

namespace {

// Label rules shared by record fields, cases, flags, enum tags and parameters.
struct LabelSet {
  const char* what;
  ErrorCode conflict;
  std::map<std::string, std::string> seen;  // lowercase -> as written

  bool add(Decoder& d, const std::string& l, size_t at) {
    if (l.empty()) return d.fail(ErrorCode::LabelEmpty, at, what);
    if (!is_kebab(l)) return d.fail(ErrorCode::LabelNotKebab, at, what, l);
    auto [it, inserted] = seen.emplace(ascii_lower(l), l);
    if (!inserted) return d.fail(conflict, at, l, it->second);
    return true;
  }
};

}  // namespace

// defvaltype (after the leading byte `b` was consumed, which is not a primitive).
static bool read_defvaltype(Decoder& d, Reader& r, Scope& s, uint8_t b, size_t at, DefinedType* n) {
  ValType t;
  std::vector<const DefinedType*>& refs = n->refs;
  auto valtype = [&](const DefinedType** out) { return d.read_valtype(r, s, out); };
  auto optional = [&](const DefinedType** out) {
    const size_t oat = r.offset();
    uint8_t flag;
    if (!d.read_byte(r, &flag)) return false;
    if (flag == 0) {
      *out = nullptr;
      return true;
    }
    if (flag != 1) return d.fail(ErrorCode::InvalidBoolean, oat, hex_byte(flag), "optional");
    return valtype(out);
  };
  auto label = [&](std::string* out) { return d.read_name(r, out); };
  auto resource_ref = [&](const ResourceAlias** out) {
    const size_t iat = r.offset();
    uint32_t idx;
    if (!d.read_u32(r, &idx)) return false;
    if (idx >= s.spaces.types.size()) return d.fail(ErrorCode::UnknownType, iat, idx);
    const TypeNode* x = s.spaces.types[idx].type;
    if (x->kind != TypeNode::Kind::Resource) return d.fail(ErrorCode::NotResourceType, iat, idx);
    *out = static_cast<const ResourceAlias*>(x);
    return true;
  };
  switch (b) {
    case 0x72: {  // record
      t.kind = ValKind::Record;
      uint32_t count;
      if (!d.read_count(r, &count)) return false;
      if (count == 0) return d.fail(ErrorCode::RecordEmpty, at);
      LabelSet labels{"record field", ErrorCode::FieldNameConflict, {}};
      for (uint32_t i = 0; i < count; ++i) {
        const size_t lat = r.offset();
        Field f;
        const DefinedType* ft;
        if (!label(&f.label) || !valtype(&ft) || !labels.add(d, f.label, lat)) return false;
        f.type = ft->type;
        refs.push_back(ft);
        t.fields.push_back(std::move(f));
      }
      break;
    }
    case 0x71: {  // variant
      t.kind = ValKind::Variant;
      uint32_t count;
      if (!d.read_count(r, &count)) return false;
      if (count == 0) return d.fail(ErrorCode::VariantEmpty, at);
      LabelSet labels{"variant case", ErrorCode::CaseNameConflict, {}};
      for (uint32_t i = 0; i < count; ++i) {
        const size_t lat = r.offset();
        Case c;
        const DefinedType* ct;
        if (!label(&c.label) || !optional(&ct)) return false;
        const size_t zat = r.offset();
        uint8_t z;
        if (!d.read_byte(r, &z)) return false;
        if (z != 0)
          return d.fail(ErrorCode::InvalidLeadingByte, zat, hex_byte(z), "zero byte required");
        if (!labels.add(d, c.label, lat)) return false;
        c.type = ct ? ct->type : nullptr;
        refs.push_back(ct);
        t.cases.push_back(std::move(c));
      }
      break;
    }
    case 0x70:  // list
    case 0x6b:  // option
    {
      t.kind = b == 0x70 ? ValKind::List : ValKind::Option;
      const DefinedType* e;
      if (!valtype(&e)) return false;
      t.elem = e->type;
      refs.push_back(e);
      break;
    }
    case 0x67: {  // fixed-length list
      t.kind = ValKind::List;
      const DefinedType* e;
      uint32_t len;
      if (!valtype(&e) || !d.read_u32(r, &len)) return false;
      if (len == 0) return d.fail(ErrorCode::FixedLengthZero, at);
      const uint64_t bytes = uint64_t{e->type->size} * len;
      if (bytes >= (1u << 28)) return d.fail(ErrorCode::ValueTooLarge, at, bytes);
      t.elem = e->type;
      t.length = len;
      refs.push_back(e);
      break;
    }
    case 0x6f: {  // tuple
      t.kind = ValKind::Tuple;
      uint32_t count;
      if (!d.read_count(r, &count)) return false;
      if (count == 0) return d.fail(ErrorCode::TupleEmpty, at);
      for (uint32_t i = 0; i < count; ++i) {
        const DefinedType* e;
        if (!valtype(&e)) return false;
        t.elems.push_back(e->type);
        refs.push_back(e);
      }
      break;
    }
    case 0x6e:  // flags
    case 0x6d:  // enum
    {
      const bool flags = b == 0x6e;
      t.kind = flags ? ValKind::Flags : ValKind::Enum;
      uint32_t count;
      if (!d.read_count(r, &count)) return false;
      if (count == 0) return d.fail(flags ? ErrorCode::FlagsEmpty : ErrorCode::EnumEmpty, at);
      if (flags && count > 32) return d.fail(ErrorCode::TooManyFlags, at);
      LabelSet labels{flags ? "flag" : "enum tag",
                      flags ? ErrorCode::FlagNameConflict : ErrorCode::EnumNameConflict,
                      {}};
      for (uint32_t i = 0; i < count; ++i) {
        const size_t lat = r.offset();
        std::string l;
        if (!label(&l) || !labels.add(d, l, lat)) return false;
        t.labels.push_back(std::move(l));
      }
      break;
    }
    case 0x6a: {  // result
      t.kind = ValKind::Result;
      const DefinedType *ok, *err;
      if (!optional(&ok) || !optional(&err)) return false;
      t.ok = ok ? ok->type : nullptr;
      t.err = err ? err->type : nullptr;
      refs = {ok, err};
      break;
    }
    case 0x69:  // own
    case 0x68:  // borrow
    {
      t.kind = b == 0x69 ? ValKind::Own : ValKind::Borrow;
      const ResourceAlias* ra;
      if (!resource_ref(&ra)) return false;
      t.resource = ra->resource;
      n->resource = ra;
      break;
    }
    case 0x66:  // stream
    case 0x65:  // future
    {
      t.kind = b == 0x66 ? ValKind::Stream : ValKind::Future;
      const DefinedType* e;
      if (!optional(&e)) return false;
      if (e) {
        if (t.kind == ValKind::Stream && e->type->kind == ValKind::Char) {
          return d.fail(ErrorCode::StreamChar, at);
        }
        if (e->type->has_borrow) return d.fail(ErrorCode::AsyncElemBorrow, at, kind_name(t.kind));
      }
      t.elem = e ? e->type : nullptr;
      refs.push_back(e);
      break;
    }
    case 0x63: {  // map
      t.kind = ValKind::Map;
      const DefinedType *k, *v;
      if (!valtype(&k) || !valtype(&v)) return false;
      const ValKind kk = k->type->kind;
      if (!(kk <= ValKind::U64 || kk == ValKind::Char || kk == ValKind::String)) {
        return d.fail(ErrorCode::MapKeyType, at);
      }
      t.key = k->type;
      t.elem = v->type;
      refs = {k, v};
      break;
    }
    default:
      return d.fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "component defined type");
  }
  uint32_t size = 1;
  uint16_t depth = 1;
  for (const DefinedType* x : refs) {
    size += type_size(x);
    depth = std::max<uint16_t>(depth, static_cast<uint16_t>(type_depth(x) + 1));
  }
  if (depth > kMaxTypeDepth) return d.fail(ErrorCode::TypeNestingTooDeep, at);
  if (size > kMaxTypeSize) return d.fail(ErrorCode::TypeSizeTooLarge, at, kMaxTypeSize);
  n->size = size;
  n->depth = depth;
  std::string err;
  n->type = d.types_.intern(std::move(t), &err);
  if (n->type == nullptr) {
    if (err.find("size") != std::string::npos) {
      return d.fail(ErrorCode::ValueTooLarge, at, ">= 268435456");
    }
    return d.intern_fail(err, at);
  }
  uint32_t align;
  const uint64_t size64 = d.elem_size64(n->type, &align);
  if (size64 >= (1u << 28)) return d.fail(ErrorCode::ValueTooLarge, at, size64);
  return true;
}

// definitions.py: elem_size and alignment with ptr_type 'i64' (Binary.md's limit uses it), for
// the types whose size depends on the pointer width; the others reuse the interned facts.
uint64_t Decoder::elem_size64(TypeRef t, uint32_t* align) {
  auto up = [](uint64_t n, uint32_t a) { return (n + a - 1) / a * a; };
  auto it = size64_.find(t);
  if (it != size64_.end()) {
    *align = it->second.second;
    return it->second.first;
  }
  uint64_t size = t->size;
  uint32_t al = t->align;
  switch (t->kind) {
    case ValKind::String:
    case ValKind::Map:
      size = 16;
      al = 8;
      break;
    case ValKind::List:
      if (t->length) {
        uint32_t ea;
        size = elem_size64(t->elem, &ea) * *t->length;
        al = ea;
      } else {
        size = 16;
        al = 8;
      }
      break;
    case ValKind::Record:
    case ValKind::Tuple: {
      uint64_t s = 0;
      al = 1;
      auto field = [&](TypeRef f) {
        uint32_t fa;
        const uint64_t fs = elem_size64(f, &fa);
        s = up(s, fa) + fs;
        al = std::max(al, fa);
      };
      for (const Field& f : t->fields) field(f.type);
      for (TypeRef e : t->elems) field(e);
      size = up(s, al);
      break;
    }
    case ValKind::Variant:
    case ValKind::Option:
    case ValKind::Result: {
      const TypeRef d = t->despecialized;
      const uint32_t disc = d->discriminant_size();
      uint64_t cs = 0;
      uint32_t ca = 1;
      for (const Case& c : d->cases) {
        if (c.type == nullptr) continue;
        uint32_t a;
        cs = std::max(cs, elem_size64(c.type, &a));
        ca = std::max(ca, a);
      }
      al = std::max(disc, ca);
      size = up(up(disc, ca) + cs, al);
      break;
    }
    default:
      break;
  }
  size64_.emplace(t, std::make_pair(size, al));
  *align = al;
  return size;
}

// functype (after 0x40 / 0x43).
static bool read_functype(Decoder& d, Reader& r, Scope& s, bool async, size_t at, FuncTypeNode* n) {
  FuncType ft;
  ft.async = async;
  uint32_t count;
  if (!d.read_count(r, &count)) return false;
  LabelSet labels{"function parameter", ErrorCode::ParamNameConflict, {}};
  uint32_t size = 1;
  uint16_t depth = 1;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t lat = r.offset();
    Field f;
    const DefinedType* t;
    if (!d.read_name(r, &f.label) || !d.read_valtype(r, s, &t) || !labels.add(d, f.label, lat)) {
      return false;
    }
    f.type = t->type;
    n->params.push_back(t);
    ft.params.push_back(std::move(f));
    size += t->size;
    depth = std::max<uint16_t>(depth, static_cast<uint16_t>(t->depth + 1));
  }
  const size_t rat = r.offset();
  uint8_t tag;
  if (!d.read_byte(r, &tag)) return false;
  if (tag == 0x00) {
    const DefinedType* t;
    if (!d.read_valtype(r, s, &t)) return false;
    if (t->type->has_borrow) return d.fail(ErrorCode::BorrowInResult, rat);
    n->result = t;
    ft.result = t->type;
    size += t->size;
    depth = std::max<uint16_t>(depth, static_cast<uint16_t>(t->depth + 1));
  } else if (tag == 0x01) {
    const size_t zat = r.offset();
    uint32_t zero;
    if (!d.read_u32(r, &zero)) return false;
    if (zero != 0)
      return d.fail(ErrorCode::InvalidLeadingByte, zat, hex_byte(0x01), "number of results");
  } else {
    return d.fail(ErrorCode::InvalidLeadingByte, rat, hex_byte(tag), "component function results");
  }
  if (size > kMaxTypeSize) return d.fail(ErrorCode::TypeSizeTooLarge, at, kMaxTypeSize);
  if (depth > kMaxTypeDepth) return d.fail(ErrorCode::TypeNestingTooDeep, at);
  n->kind = TypeNode::Kind::Func;
  n->size = size;
  n->depth = depth;
  n->type = d.types_.intern_func(std::move(ft));
  return true;
}

// The declarators of a component type (component == true) or an instance type.
static bool read_type_scope(Decoder& d, Reader& r, Scope& outer, bool component, size_t at,
                            const TypeNode** out) {
  size_t type_scopes = 0;
  for (const Scope* sc : d.scopes_) type_scopes += sc->kind != Scope::Kind::Component;
  if (type_scopes >= kMaxTypeDepth) return d.fail(ErrorCode::TypeNestingTooDeep, at);
  (void)outer;
  Scope s;
  s.kind = component ? Scope::Kind::ComponentType : Scope::Kind::InstanceType;
  d.scopes_.push_back(&s);
  struct Pop {
    Decoder& d;
    ~Pop() { d.scopes_.pop_back(); }
  } pop{d};
  uint32_t count;
  if (!d.read_count(r, &count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t dat = r.offset();
    uint8_t b;
    if (!d.read_byte(r, &b)) return false;
    bool ok;
    switch (b) {
      case 0x00:
        ok = d.core_type_definition(r, s, dat);
        break;
      case 0x01:
        ok = d.type_definition(r, s, dat);
        break;
      case 0x02:
        ok = d.alias(r, s, dat);
        break;
      case 0x03:
      case 0x04: {
        if (b == 0x03 && !component) {
          return d.fail(ErrorCode::InvalidLeadingByte, dat, hex_byte(b),
                        "component or instance type declaration");
        }
        Item item;
        size_t name_at;
        if (!d.read_name_attributes(r, &item, &name_at) ||
            !d.read_externtype(r, s, &item.type, b == 0x03)) {
          return false;
        }
        ok = d.add_extern(s, std::move(item), b == 0x03, name_at, kNoDef);
        break;
      }
      default:
        return d.fail(ErrorCode::InvalidLeadingByte, dat, hex_byte(b),
                      "component or instance type declaration");
    }
    if (!ok) return false;
  }
  uint32_t size = 1;
  uint16_t depth = 1;
  auto account = [&](const ItemList& l) {
    for (const Item& it : l.items) {
      if (it.type.type) {
        size += it.type.type->size;
        depth = std::max<uint16_t>(depth, static_cast<uint16_t>(it.type.type->depth + 1));
      }
    }
  };
  account(s.imports);
  account(s.exports);
  if (size > kMaxTypeSize) return d.fail(ErrorCode::TypeSizeTooLarge, at, kMaxTypeSize);
  if (depth > kMaxTypeDepth) return d.fail(ErrorCode::TypeNestingTooDeep, at);
  if (component) {
    ComponentTypeNode* n = d.arena_->make<ComponentTypeNode>();
    n->kind = TypeNode::Kind::Component;
    n->imports = std::move(s.imports);
    n->exports = std::move(s.exports);
    std::set<const ResourceType*> imported(s.imported_resources.begin(),
                                           s.imported_resources.end());
    std::set<const ResourceType*> defined(s.defined_resources.begin(), s.defined_resources.end());
    for (uint32_t i = 0; i < n->imports.items.size(); ++i) {
      std::vector<uint32_t> prefix{i};
      std::vector<ResourcePath> paths;
      find_resource_paths(n->imports.items[i].type, prefix, paths);
      for (ResourcePath& p : paths) {
        if (imported.erase(p.resource)) n->imported_resources.push_back(std::move(p));
      }
    }
    for (uint32_t i = 0; i < n->exports.items.size(); ++i) {
      std::vector<uint32_t> prefix{i};
      std::vector<ResourcePath> paths;
      find_resource_paths(n->exports.items[i].type, prefix, paths);
      for (ResourcePath& p : paths) {
        if (defined.erase(p.resource)) n->defined_resources.push_back(p);
        n->explicit_resources.push_back(std::move(p));
      }
    }
    n->size = size;
    n->depth = depth;
    *out = n;
  } else {
    InstanceTypeNode* n = d.arena_->make<InstanceTypeNode>();
    n->kind = TypeNode::Kind::Instance;
    n->exports = std::move(s.exports);
    n->defined_resources = std::move(s.defined_resources);
    for (uint32_t i = 0; i < n->exports.items.size(); ++i) {
      std::vector<uint32_t> prefix{i};
      find_resource_paths(n->exports.items[i].type, prefix, n->explicit_resources);
    }
    n->size = size;
    n->depth = depth;
    *out = n;
  }
  return d.budget(size, at);
}

bool Decoder::type_definition(Reader& r, Scope& s, size_t at) {
  const size_t bat = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  TypeDefinition def;
  ValKind k;
  if (prim_from_byte(b, &k)) {
    def.type = prim_node(k);
    // A new identity: `(type $t u32)` is its own (anonymous, structural) type.
    def.type = copy_defined(static_cast<const DefinedType*>(def.type));
  } else if (b == 0x40 || b == 0x43) {
    FuncTypeNode* n = arena_->make<FuncTypeNode>();
    if (!read_functype(*this, r, s, b == 0x43, bat, n)) return false;
    def.type = n;
  } else if (b == 0x41 || b == 0x42) {
    if (!read_type_scope(*this, r, s, b == 0x41, bat, &def.type)) return false;
  } else if (b == 0x3f) {
    const size_t rat = r.offset();
    decoder::ValType rep;
    if (!decoder::read_val_type(r, features_, &rep)) {
      return fail(ErrorCode::InvalidLeadingByte, rat, hex_byte(r.peek_u8()), "core value type");
    }
    uint8_t has_dtor;
    const size_t dat = r.offset();
    if (!read_byte(r, &has_dtor)) return false;
    if (has_dtor > 1) return fail(ErrorCode::InvalidBoolean, dat, hex_byte(has_dtor), "dtor");
    uint32_t dtor = 0;
    const size_t fat = r.offset();
    if (has_dtor && !read_u32(r, &dtor)) return false;
    if (s.kind != Scope::Kind::Component) return fail(ErrorCode::ResourceInTypeScope, bat);
    if (rep != decoder::kI32) return fail(ErrorCode::ResourceRep, rat);
    if (has_dtor) {
      if (dtor >= s.spaces.core_funcs.size()) return fail(ErrorCode::UnknownCoreFunc, fat, dtor);
      const decoder::FuncType* ft = s.spaces.core_funcs[dtor].type;
      if (!(ft->params == std::vector<decoder::ValType>{decoder::kI32} && ft->results.empty())) {
        return fail(ErrorCode::DtorSignature, fat, dtor);
      }
      def.dtor = dtor;
    }
    const ResourceType* res =
        types_.new_resource("resource " + std::to_string(s.spaces.types.size()));
    ResourceAlias* ra = arena_->make<ResourceAlias>();
    ra->kind = TypeNode::Kind::Resource;
    ra->resource = res;
    def.type = ra;
    def.resource = res;
    def.rep = rep;
    s.local_resources.insert(res);
    s.defined_resources.push_back(res);
  } else {
    DefinedType* n = arena_->make<DefinedType>();
    if (!read_defvaltype(*this, r, s, b, bat, n)) return false;
    def.type = n;
  }
  uint32_t idx = kNoDef;
  if (s.comp) {
    idx = static_cast<uint32_t>(s.comp->definitions.size());
    s.comp->definitions.push_back({at, def});
  }
  s.spaces.types.push_back({idx, def.type});
  return budget(1, at);
}

// ---- core types ----

bool Decoder::read_core_func_type(Reader& r, decoder::FuncType* out) {
  for (auto* list : {&out->params, &out->results}) {
    uint32_t n;
    if (!read_count(r, &n)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      decoder::ValType t;
      if (!decoder::read_val_type(r, features_, &t)) {
        return fail(ErrorCode::CoreMalformed, r.error().offset, "malformed value type");
      }
      list->push_back(t);
    }
  }
  return true;
}

namespace {

bool read_limits(Decoder& d, Reader& r, decoder::Limits* l, bool memory) {
  const size_t at = r.offset();
  uint8_t flags;
  if (!d.read_byte(r, &flags)) return false;
  if (flags > 7 || (!memory && (flags & 2))) {
    return d.fail(ErrorCode::CoreMalformed, at, "malformed limits flags");
  }
  l->has_max = flags & 1;
  l->shared = flags & 2;
  l->is64 = flags & 4;
  l->min = l->is64 ? r.u64() : r.u32();
  if (l->has_max) l->max = l->is64 ? r.u64() : r.u32();
  if (!d.check(r)) return false;
  if (memory && !l->is64 && (l->min > 65536 || (l->has_max && l->max > 65536))) {
    return d.fail(ErrorCode::CoreInvalid, at, "memory size must be at most 65536 pages (4GiB)");
  }
  if (l->has_max && l->min > l->max) {
    return d.fail(ErrorCode::CoreInvalid, at, "size minimum must not be greater than maximum");
  }
  if (l->shared && !l->has_max) {
    return d.fail(ErrorCode::CoreInvalid, at, "shared memory must have maximum size");
  }
  return true;
}

}  // namespace

bool Decoder::read_core_externdesc(Reader& r, const std::vector<IndexEntry<CoreTypeEntry>>& types,
                                   CoreExternType* out) {
  const size_t at = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  auto func_type = [&](decoder::FuncType* ft) {
    const size_t iat = r.offset();
    uint32_t idx;
    if (!read_u32(r, &idx)) return false;
    if (idx >= types.size()) return fail(ErrorCode::UnknownCoreType, iat, idx);
    if (types[idx].type.func == nullptr) return fail(ErrorCode::NotCoreFuncType, iat, idx);
    *ft = *types[idx].type.func;
    return true;
  };
  switch (b) {
    case 0x00:
      out->kind = decoder::ExternKind::Func;
      return func_type(&out->func);
    case 0x01: {
      out->kind = decoder::ExternKind::Table;
      if (!decoder::read_ref_type(r, features_, &out->table.elem)) {
        return fail(ErrorCode::CoreMalformed, r.error().offset, "malformed reference type");
      }
      return read_limits(*this, r, &out->table.limits, false);
    }
    case 0x02:
      out->kind = decoder::ExternKind::Memory;
      return read_limits(*this, r, &out->memory.limits, true);
    case 0x03: {
      out->kind = decoder::ExternKind::Global;
      if (!decoder::read_val_type(r, features_, &out->global.type)) {
        return fail(ErrorCode::CoreMalformed, r.error().offset, "malformed value type");
      }
      const size_t mat = r.offset();
      uint8_t m;
      if (!read_byte(r, &m)) return false;
      if (m > 1) return fail(ErrorCode::CoreMalformed, mat, "malformed mutability");
      out->global.mut = m == 1;
      return true;
    }
    case 0x04: {
      out->kind = decoder::ExternKind::Tag;
      uint8_t attr;
      if (!read_byte(r, &attr)) return false;
      if (attr != 0) return fail(ErrorCode::CoreMalformed, at, "malformed tag attribute");
      return func_type(&out->func);
    }
    default:
      return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "external kind");
  }
}

// core:moduletype (after 0x50): its own core type index space; outer aliases of core
// function types reach the enclosing scopes.
static bool read_module_type(Decoder& d, Reader& r, size_t at, const CoreModuleTypeNode** out) {
  CoreModuleTypeNode* n = d.arena_->make<CoreModuleTypeNode>();
  n->kind = TypeNode::Kind::CoreModule;
  std::vector<IndexEntry<CoreTypeEntry>> types;
  std::set<std::pair<std::string, std::string>> import_names;
  uint32_t count;
  if (!d.read_count(r, &count)) return false;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t dat = r.offset();
    uint8_t b;
    if (!d.read_byte(r, &b)) return false;
    switch (b) {
      case 0x00: {
        CoreImportItem imp;
        if (!d.read_name(r, &imp.module) || !d.read_name(r, &imp.name) ||
            !d.read_core_externdesc(r, types, &imp.type)) {
          return false;
        }
        if (!import_names.emplace(imp.module, imp.name).second) {
          return d.fail(ErrorCode::DuplicateCoreImport, dat, imp.module, imp.name);
        }
        n->imports.push_back(std::move(imp));
        break;
      }
      case 0x01: {
        const size_t tat = r.offset();
        uint8_t t;
        if (!d.read_byte(r, &t)) return false;
        if (t == 0x50) return d.fail(ErrorCode::ModuleTypeNested, tat);
        if (t != 0x60) {
          return d.fail(ErrorCode::Unsupported, tat, "this core type form in a module type");
        }
        decoder::FuncType* ft = d.arena_->make<decoder::FuncType>();
        if (!d.read_core_func_type(r, ft)) return false;
        types.push_back({kNoDef, CoreTypeEntry{ft, nullptr}});
        break;
      }
      case 0x02: {
        uint8_t sort, kind;
        if (!d.read_byte(r, &sort) || !d.read_byte(r, &kind)) return false;
        if (sort != 0x10) {
          return d.fail(ErrorCode::InvalidLeadingByte, dat + 1, hex_byte(sort), "outer alias kind");
        }
        if (kind != 0x01) {
          return d.fail(ErrorCode::InvalidLeadingByte, dat + 2, hex_byte(kind),
                        "outer alias target");
        }
        uint32_t ct, idx;
        const size_t cat = r.offset();
        if (!d.read_u32(r, &ct) || !d.read_u32(r, &idx)) return false;
        CoreTypeEntry e;
        if (ct == 0) {
          if (idx >= types.size()) return d.fail(ErrorCode::UnknownCoreType, cat, idx);
          e = types[idx].type;
        } else {
          if (ct > d.scopes_.size()) return d.fail(ErrorCode::InvalidOuterAliasCount, cat, ct);
          const Scope& target = *d.scopes_[d.scopes_.size() - ct];
          if (idx >= target.spaces.core_types.size()) {
            return d.fail(ErrorCode::UnknownCoreType, cat, idx);
          }
          e = target.spaces.core_types[idx].type;
          if (e.module) return d.fail(ErrorCode::OuterAliasModuleType, cat);
        }
        types.push_back({kNoDef, e});
        break;
      }
      case 0x03: {
        CoreExportItem exp;
        if (!d.read_name(r, &exp.name) || !d.read_core_externdesc(r, types, &exp.type)) {
          return false;
        }
        if (!n->export_by_name.emplace(exp.name, static_cast<uint32_t>(n->exports.size())).second) {
          return d.fail(ErrorCode::ModuleTypeDuplicateExport, dat, exp.name);
        }
        n->exports.push_back(std::move(exp));
        break;
      }
      default:
        return d.fail(ErrorCode::InvalidLeadingByte, dat, hex_byte(b), "type definition");
    }
  }
  n->size = static_cast<uint32_t>(1 + n->imports.size() + n->exports.size());
  *out = n;
  return d.budget(n->size, at);
}

bool Decoder::core_type_definition(Reader& r, Scope& s, size_t at) {
  const size_t bat = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  CoreTypeEntry e;
  if (b == 0x60) {
    decoder::FuncType* ft = arena_->make<decoder::FuncType>();
    if (!read_core_func_type(r, ft)) return false;
    e.func = ft;
  } else if (b == 0x50) {
    if (!read_module_type(*this, r, bat, &e.module)) return false;
  } else if (b == 0x00 || b == 0x4e || b == 0x4f || b == 0x5e || b == 0x5f) {
    return fail(ErrorCode::Unsupported, bat, "core GC types");
  } else {
    return fail(ErrorCode::InvalidLeadingByte, bat, hex_byte(b), "core type");
  }
  uint32_t idx = kNoDef;
  if (s.comp) {
    idx = static_cast<uint32_t>(s.comp->definitions.size());
    s.comp->definitions.push_back({at, CoreTypeDef{e}});
  }
  s.spaces.core_types.push_back({idx, e});
  return true;
}

}  // namespace zinc::component::internal

// component/types.cc: type interning and the Canonical ABI facts of each type (types.h).
// Spec: CanonicalABI.md "Despecialization", "Alignment", "Element Size", "Flattening".
#include "zinc/component/types.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <set>

namespace zinc::component {

namespace {

constexpr uint32_t kMaxElemSize = 1u << 28;  // Binary.md: elem_size(t) < 2^28

uint32_t align_to(uint64_t n, uint32_t a) { return static_cast<uint32_t>((n + a - 1) / a * a); }

void key_ptr(std::string& k, const void* p) {
  const uintptr_t v = reinterpret_cast<uintptr_t>(p);
  k.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void key_str(std::string& k, const std::string& s) {
  const uint32_t n = static_cast<uint32_t>(s.size());
  k.append(reinterpret_cast<const char*>(&n), 4);
  k += s;
}

std::string key_of(const ValType& t) {
  std::string k;
  k.push_back(static_cast<char>(t.kind));
  key_ptr(k, t.elem);
  key_ptr(k, t.key);
  k.push_back(t.length ? 1 : 0);
  if (t.length) k.append(reinterpret_cast<const char*>(&*t.length), 4);
  for (const Field& f : t.fields) {
    key_str(k, f.label);
    key_ptr(k, f.type);
  }
  k.push_back('|');
  for (TypeRef e : t.elems) key_ptr(k, e);
  k.push_back('|');
  for (const Case& c : t.cases) {
    key_str(k, c.label);
    key_ptr(k, c.type);
  }
  k.push_back('|');
  for (const std::string& l : t.labels) key_str(k, l);
  key_ptr(k, t.ok);
  key_ptr(k, t.err);
  key_ptr(k, t.resource);
  return k;
}

uint32_t discriminant_bytes(size_t cases) {
  if (cases <= 0x100) return 1;
  if (cases <= 0x10000) return 2;
  return 4;
}

/// definitions.py: join (flattening variants).
CoreType join(CoreType a, CoreType b) {
  if (a == b) return a;
  if ((a == CoreType::I32 && b == CoreType::F32) || (a == CoreType::F32 && b == CoreType::I32)) {
    return CoreType::I32;
  }
  return CoreType::I64;
}

// definitions.py: alignment_record, elem_size_record, flatten_type (record case).
void record_abi(ValType& t) {
  uint64_t s = 0;
  uint32_t a = 1;
  for (const Field& f : t.fields) {
    a = std::max(a, f.type->align);
    s = align_to(s, f.type->align);
    s += f.type->size;
    t.flat.insert(t.flat.end(), f.type->flat.begin(), f.type->flat.end());
    t.has_borrow |= f.type->has_borrow;
    t.has_async |= f.type->has_async;
    t.has_resource |= f.type->has_resource;
    if (s >= kMaxElemSize) break;
  }
  t.align = a;
  t.size = static_cast<uint32_t>(std::min<uint64_t>(align_to(s, a), UINT32_MAX));
}

// definitions.py: alignment_variant, elem_size_variant, flatten_variant.
void variant_abi(ValType& t) {
  const uint32_t disc = discriminant_bytes(t.cases.size());
  uint32_t case_align = 1;
  uint64_t case_size = 0;
  std::vector<CoreType> flat;
  for (const Case& c : t.cases) {
    if (c.type == nullptr) continue;
    case_align = std::max(case_align, c.type->align);
    case_size = std::max<uint64_t>(case_size, c.type->size);
    for (size_t i = 0; i < c.type->flat.size(); ++i) {
      if (i < flat.size()) {
        flat[i] = join(flat[i], c.type->flat[i]);
      } else {
        flat.push_back(c.type->flat[i]);
      }
    }
    t.has_borrow |= c.type->has_borrow;
    t.has_async |= c.type->has_async;
    t.has_resource |= c.type->has_resource;
  }
  const uint32_t a = std::max(disc, case_align);
  uint64_t s = align_to(disc, case_align) + case_size;
  t.align = a;
  t.size = static_cast<uint32_t>(std::min<uint64_t>(align_to(s, a), UINT32_MAX));
  t.flat = {CoreType::I32};
  t.flat.insert(t.flat.end(), flat.begin(), flat.end());
}

}  // namespace

const char* kind_name(ValKind k) {
  switch (k) {
    case ValKind::Bool: return "bool";
    case ValKind::S8: return "s8";
    case ValKind::U8: return "u8";
    case ValKind::S16: return "s16";
    case ValKind::U16: return "u16";
    case ValKind::S32: return "s32";
    case ValKind::U32: return "u32";
    case ValKind::S64: return "s64";
    case ValKind::U64: return "u64";
    case ValKind::F32: return "f32";
    case ValKind::F64: return "f64";
    case ValKind::Char: return "char";
    case ValKind::String: return "string";
    case ValKind::ErrorContext: return "error-context";
    case ValKind::List: return "list";
    case ValKind::Record: return "record";
    case ValKind::Tuple: return "tuple";
    case ValKind::Variant: return "variant";
    case ValKind::Enum: return "enum";
    case ValKind::Option: return "option";
    case ValKind::Result: return "result";
    case ValKind::Flags: return "flags";
    case ValKind::Own: return "own";
    case ValKind::Borrow: return "borrow";
    case ValKind::Stream: return "stream";
    case ValKind::Future: return "future";
    case ValKind::Map: return "map";
  }
  return "?";
}

uint32_t ValType::discriminant_size() const {
  const ValType& d = *despecialized;
  return d.kind == ValKind::Variant ? discriminant_bytes(d.cases.size()) : 0;
}

TypeTable::TypeTable() {
  static std::atomic<uint64_t> next_serial{1};
  serial_ = next_serial.fetch_add(1, std::memory_order_relaxed);
  for (int k = 0; k <= static_cast<int>(ValKind::ErrorContext); ++k) {
    ValType t;
    t.kind = static_cast<ValKind>(k);
    prims_[k] = store(std::move(t));
  }
}

TypeRef TypeTable::store(ValType t) {
  // Caller holds the lock or is the constructor.
  std::string key = key_of(t);
  auto it = by_key_.find(key);
  if (it != by_key_.end()) return it->second;
  compute_abi(t);
  types_.push_back(std::move(t));
  ValType* stored = &types_.back();
  if (stored->despecialized == nullptr) stored->despecialized = stored;
  by_key_.emplace(std::move(key), stored);
  return stored;
}

// definitions.py: alignment, elem_size, flatten_type, contains_borrow, contains_async_value.
void TypeTable::compute_abi(ValType& t) {
  auto merge_flags = [&t](TypeRef u) {
    if (u == nullptr) return;
    t.has_borrow |= u->has_borrow;
    t.has_async |= u->has_async;
    t.has_resource |= u->has_resource;
  };
  switch (t.kind) {
    case ValKind::Bool:
    case ValKind::S8:
    case ValKind::U8:
      t.align = t.size = 1;
      t.flat = {CoreType::I32};
      return;
    case ValKind::S16:
    case ValKind::U16:
      t.align = t.size = 2;
      t.flat = {CoreType::I32};
      return;
    case ValKind::S32:
    case ValKind::U32:
    case ValKind::Char:
    case ValKind::ErrorContext:
      t.align = t.size = 4;
      t.flat = {CoreType::I32};
      return;
    case ValKind::S64:
    case ValKind::U64:
      t.align = t.size = 8;
      t.flat = {CoreType::I64};
      return;
    case ValKind::F32:
      t.align = t.size = 4;
      t.flat = {CoreType::F32};
      return;
    case ValKind::F64:
      t.align = t.size = 8;
      t.flat = {CoreType::F64};
      return;
    case ValKind::String:
      t.align = 4;
      t.size = 8;
      t.flat = {CoreType::I32, CoreType::I32};
      return;
    case ValKind::Own:
    case ValKind::Borrow:
      t.align = t.size = 4;
      t.flat = {CoreType::I32};
      t.has_resource = true;
      t.has_borrow = t.kind == ValKind::Borrow;
      return;
    case ValKind::Stream:
    case ValKind::Future:
      t.align = t.size = 4;
      t.flat = {CoreType::I32};
      t.has_async = true;
      merge_flags(t.elem);
      return;
    case ValKind::List:
      merge_flags(t.elem);
      if (t.length) {
        t.align = t.elem->align;
        t.size = static_cast<uint32_t>(std::min<uint64_t>(uint64_t{*t.length} * t.elem->size,
                                                           UINT32_MAX));
        for (uint32_t i = 0; i < *t.length && t.flat.size() <= kMaxFlatParams; ++i) {
          t.flat.insert(t.flat.end(), t.elem->flat.begin(), t.elem->flat.end());
        }
      } else {
        t.align = 4;
        t.size = 8;
        t.flat = {CoreType::I32, CoreType::I32};
      }
      return;
    case ValKind::Record:
      record_abi(t);
      return;
    case ValKind::Variant:
      variant_abi(t);
      return;
    case ValKind::Map:
    case ValKind::Tuple: {
      // Computed on the despecialized record (Map: the list of its entry tuples).
      const ValType& d = *t.despecialized;
      t.align = d.align;
      t.size = d.size;
      t.flat = d.flat;
      t.has_borrow = d.has_borrow;
      t.has_async = d.has_async;
      t.has_resource = d.has_resource;
      return;
    }
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      const ValType& d = *t.despecialized;
      t.align = d.align;
      t.size = d.size;
      t.flat = d.flat;
      t.has_borrow = d.has_borrow;
      t.has_async = d.has_async;
      t.has_resource = d.has_resource;
      return;
    }
    case ValKind::Flags: {
      const size_t n = t.labels.size();
      t.align = t.size = n <= 8 ? 1 : n <= 16 ? 2 : 4;
      t.flat = {CoreType::I32};
      return;
    }
  }
}

TypeRef TypeTable::intern(ValType t, std::string* error) {
  auto fail = [error](std::string m) -> TypeRef {
    if (error) *error = std::move(m);
    return nullptr;
  };
  auto unique = [](const std::vector<std::string>& labels) {
    std::set<std::string> seen;
    for (const std::string& l : labels) {
      std::string lower = l;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      if (!seen.insert(lower).second) return false;
    }
    return true;
  };
  // Structural checks (Binary.md validation of defvaltype).
  switch (t.kind) {
    case ValKind::Record: {
      if (t.fields.empty()) return fail("record type must have at least one field");
      std::vector<std::string> labels;
      for (const Field& f : t.fields) labels.push_back(f.label);
      if (!unique(labels)) return fail("record field name conflicts with previous field name");
      break;
    }
    case ValKind::Variant: {
      if (t.cases.empty()) return fail("variant type must have at least one case");
      std::vector<std::string> labels;
      for (const Case& c : t.cases) labels.push_back(c.label);
      if (!unique(labels)) return fail("variant case name conflicts with previous case name");
      break;
    }
    case ValKind::Tuple:
      if (t.elems.empty()) return fail("tuple type must have at least one type");
      break;
    case ValKind::Enum:
      if (t.labels.empty()) return fail("enum type must have at least one variant");
      if (!unique(t.labels)) return fail("enum tag name conflicts with previous tag name");
      break;
    case ValKind::Flags:
      if (t.labels.empty()) return fail("flags must have at least one entry");
      if (t.labels.size() > 32) return fail("cannot have more than 32 flags");
      if (!unique(t.labels)) return fail("flag name conflicts with previous flag name");
      break;
    case ValKind::List:
      if (t.length && *t.length == 0) return fail("fixed-length list must have a length > 0");
      break;
    default:
      break;
  }

  std::lock_guard<std::mutex> lock(mutex_);
  // Despecialize first (definitions.py: despecialize), so the ABI facts come from it.
  if (t.kind == ValKind::Tuple) {
    ValType r;
    r.kind = ValKind::Record;
    for (size_t i = 0; i < t.elems.size(); ++i) r.fields.push_back({std::to_string(i), t.elems[i]});
    t.despecialized = store(std::move(r));
  } else if (t.kind == ValKind::Enum || t.kind == ValKind::Option || t.kind == ValKind::Result) {
    ValType v;
    v.kind = ValKind::Variant;
    if (t.kind == ValKind::Enum) {
      for (const std::string& l : t.labels) v.cases.push_back({l, nullptr});
    } else if (t.kind == ValKind::Option) {
      v.cases = {{"none", nullptr}, {"some", t.elem}};
    } else {
      v.cases = {{"ok", t.ok}, {"error", t.err}};
    }
    t.despecialized = store(std::move(v));
  } else if (t.kind == ValKind::Map) {
    ValType entry;
    entry.kind = ValKind::Record;
    entry.fields = {{"0", t.key}, {"1", t.elem}};
    TypeRef e = store(std::move(entry));
    ValType list;
    list.kind = ValKind::List;
    list.elem = e;
    t.despecialized = store(std::move(list));
  }
  TypeRef r = store(std::move(t));
  if (r->size >= kMaxElemSize) return fail("effective type size exceeds the limit");
  return r;
}

const ResourceType* TypeTable::new_resource(std::string debug_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  resources_.push_back({std::move(debug_name), static_cast<uint32_t>(resources_.size())});
  return &resources_.back();
}

const FuncType* TypeTable::intern_func(FuncType t) {
  std::string k;
  k.push_back(t.async ? 1 : 0);
  for (const Field& f : t.params) {
    key_str(k, f.label);
    key_ptr(k, f.type);
  }
  key_ptr(k, t.result);
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = funcs_by_key_.find(k);
  if (it != funcs_by_key_.end()) return it->second;
  funcs_.push_back(std::move(t));
  funcs_by_key_.emplace(std::move(k), &funcs_.back());
  return &funcs_.back();
}

// ---- printing ----

std::string to_string(TypeRef t) {
  if (t == nullptr) return "_";
  switch (t->kind) {
    case ValKind::List:
      return "list<" + to_string(t->elem) +
             (t->length ? ", " + std::to_string(*t->length) : std::string()) + ">";
    case ValKind::Option:
      return "option<" + to_string(t->elem) + ">";
    case ValKind::Result:
      if (!t->ok && !t->err) return "result";
      if (!t->err) return "result<" + to_string(t->ok) + ">";
      return "result<" + to_string(t->ok) + ", " + to_string(t->err) + ">";
    case ValKind::Tuple: {
      std::string s = "tuple<";
      for (size_t i = 0; i < t->elems.size(); ++i) s += (i ? ", " : "") + to_string(t->elems[i]);
      return s + ">";
    }
    case ValKind::Record: {
      std::string s = "record { ";
      for (size_t i = 0; i < t->fields.size(); ++i) {
        s += (i ? ", " : "") + t->fields[i].label + ": " + to_string(t->fields[i].type);
      }
      return s + " }";
    }
    case ValKind::Variant: {
      std::string s = "variant { ";
      for (size_t i = 0; i < t->cases.size(); ++i) {
        s += (i ? ", " : "") + t->cases[i].label;
        if (t->cases[i].type) s += "(" + to_string(t->cases[i].type) + ")";
      }
      return s + " }";
    }
    case ValKind::Enum:
    case ValKind::Flags: {
      std::string s = std::string(kind_name(t->kind)) + " { ";
      for (size_t i = 0; i < t->labels.size(); ++i) s += (i ? ", " : "") + t->labels[i];
      return s + " }";
    }
    case ValKind::Own:
    case ValKind::Borrow:
      return std::string(kind_name(t->kind)) + "<" + t->resource->debug_name + ">";
    case ValKind::Stream:
    case ValKind::Future:
      return t->elem ? std::string(kind_name(t->kind)) + "<" + to_string(t->elem) + ">"
                     : kind_name(t->kind);
    case ValKind::Map:
      return "map<" + to_string(t->key) + ", " + to_string(t->elem) + ">";
    default:
      return kind_name(t->kind);
  }
}

std::string to_string(const FuncType& t) {
  std::string s = t.async ? "async func(" : "func(";
  for (size_t i = 0; i < t.params.size(); ++i) {
    s += (i ? ", " : "") + t.params[i].label + ": " + to_string(t.params[i].type);
  }
  s += ")";
  if (t.result) s += " -> " + to_string(t.result);
  return s;
}

// definitions.py: flatten_functype (sync).
FlatSignature flatten_functype(const FuncType& ft, bool lower) {
  FlatSignature sig;
  for (const Field& p : ft.params) {
    sig.params.insert(sig.params.end(), p.type->flat.begin(), p.type->flat.end());
  }
  if (sig.params.size() > kMaxFlatParams) {
    sig.params = {CoreType::I32};
    sig.params_spilled = true;
  }
  if (ft.result) sig.results = ft.result->flat;
  if (sig.results.size() > kMaxFlatResults) {
    sig.results_spilled = true;
    if (lower) {
      sig.params.push_back(CoreType::I32);
      sig.results.clear();
    } else {
      sig.results = {CoreType::I32};
    }
  }
  return sig;
}

}  // namespace zinc::component

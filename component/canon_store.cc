// component/canon_store.cc: Canonical ABI storing -- writing Vals into linear memory
// (definitions.py "Storing").
//
// Invariants: `store` is only called on a pointer aligned and in bounds for the type. A Val
// comes from the host or from a lift; where the spec asserts the value's shape (match_case,
// char_to_i32, list lengths), a malformed Val traps with ValueMismatch instead, so a bad host
// value can never write out of bounds. Packed lists of the element's kind are stored with one
// memcpy. Floats are stored as given (a NaN keeps its bits: the deterministic profile's
// canonical NaN is what lifting produces).
// Spec: CanonicalABI.md "Storing".
#include <algorithm>
#include <cassert>

#include "component/canon.h"

namespace zinc::component::canon {

namespace {

inline TypeRef list_elem(TypeRef list_type) {
  return list_type->kind == ValKind::Map ? list_type->despecialized->elem : list_type->elem;
}

bool mismatch(Cx& cx, TypeRef t) {
  return cx.trap(TrapKind::ValueMismatch, {to_string(t)});
}

}  // namespace

// definitions.py: char_to_i32
bool char_to_i32(Cx& cx, uint64_t c, uint32_t* out) {
  if (c >= 0x110000 || (c >= 0xD800 && c <= 0xDFFF)) return cx.trap(TrapKind::InvalidChar);
  *out = static_cast<uint32_t>(c);
  return true;
}

// definitions.py: store
bool store(Cx& cx, const Val& v, TypeRef t, uint32_t ptr) {
  assert(ptr % t->align == 0 && uint64_t{ptr} + t->size <= cx.mem_size());
  if (v.kind != t->kind && !kind_compatible(v.kind, t->kind)) return mismatch(cx, t);
  switch (t->kind) {
    case ValKind::Bool:
      store_int(cx, v.bits != 0, ptr, 1);
      return true;
    case ValKind::U8:
    case ValKind::U16:
    case ValKind::U32:
    case ValKind::U64:
    case ValKind::S8:
    case ValKind::S16:
    case ValKind::S32:
    case ValKind::S64:
    case ValKind::F32:
    case ValKind::F64:
      store_int(cx, v.bits, ptr, t->size);
      return true;
    case ValKind::Char: {
      uint32_t c;
      if (!char_to_i32(cx, v.bits, &c)) return false;
      store_int(cx, c, ptr, 4);
      return true;
    }
    case ValKind::String:
      return store_string(cx, StringRef::utf8(v.str), ptr);
    case ValKind::List:
    case ValKind::Map:
      return store_list(cx, v, ptr, t);
    case ValKind::Record:
    case ValKind::Tuple:
      return store_record(cx, v, ptr, t);
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result:
      return store_variant(cx, v, ptr, t);
    case ValKind::Flags:
      return store_flags(cx, v, ptr, t);
    case ValKind::Own:
    case ValKind::Borrow: {
      uint32_t rep, i;
      if (!handle_rep(cx, v, t, &rep)) return false;
      if (!(t->kind == ValKind::Own ? lower_own(cx, rep, t, &i) : lower_borrow(cx, rep, t, &i))) {
        return false;
      }
      store_int(cx, i, ptr, 4);
      return true;
    }
    case ValKind::ErrorContext:
    case ValKind::Stream:
    case ValKind::Future:
      return cx.trap(TrapKind::NotImplemented, {kind_name(t->kind)});
  }
  return mismatch(cx, t);
}

// definitions.py: store_string
bool store_string(Cx& cx, const StringRef& v, uint32_t ptr) {
  uint32_t begin, tagged;
  if (!store_string_into_range(cx, v, &begin, &tagged)) return false;
  store_int(cx, begin, ptr, 4);
  store_int(cx, tagged, ptr + 4, 4);
  return true;
}

// definitions.py: store_list
bool store_list(Cx& cx, const Val& v, uint32_t ptr, TypeRef list_type) {
  const TypeRef elem = list_elem(list_type);
  if (list_type->length) {
    if (v.list_size() != *list_type->length) return mismatch(cx, list_type);
    return store_list_into_valid_range(cx, v, ptr, elem);
  }
  uint32_t begin, length;
  if (!store_list_into_range(cx, v, elem, &begin, &length)) return false;
  store_int(cx, begin, ptr, 4);
  store_int(cx, length, ptr + 4, 4);
  return true;
}

// definitions.py: store_list_into_range
bool store_list_into_range(Cx& cx, const Val& v, TypeRef elem_type, uint32_t* ptr,
                           uint32_t* length) {
  if (!cx.opts.memory.valid()) return cx.trap(TrapKind::MemoryMissing);
  const uint64_t n = v.list_size();
  const uint64_t byte_length = n * elem_type->size;
  // The spec asserts this of its (well-typed, in-memory) values; a host value may be larger.
  if (byte_length > kMaxListByteLength) {
    return cx.trap(TrapKind::ListTooLong, {std::to_string(byte_length)});
  }
  uint32_t p;
  if (!cx.allocate(elem_type->align, static_cast<uint32_t>(byte_length), &p)) return false;
  if (p % elem_type->align != 0) return cx.trap(TrapKind::ReallocUnaligned);
  if (!cx.opts.memory.in_bounds(p, byte_length)) return cx.trap(TrapKind::ReallocListOutOfBounds);
  if (!store_list_into_valid_range(cx, v, p, elem_type)) return false;
  *ptr = p;
  *length = static_cast<uint32_t>(n);
  return true;
}

// definitions.py: store_list_into_valid_range
bool store_list_into_valid_range(Cx& cx, const Val& v, uint32_t ptr, TypeRef elem_type) {
  if (v.packed) {
    if (v.packed_kind() != elem_type->kind) return mismatch(cx, elem_type);
    uint8_t* dst = cx.mem() + ptr;
    std::memcpy(dst, v.str.data(), v.str.size());
    if (elem_type->kind == ValKind::Bool) {
      for (size_t i = 0; i < v.str.size(); ++i) dst[i] = dst[i] != 0;
    } else if (elem_type->kind == ValKind::Char) {
      for (size_t i = 0; i < v.str.size(); i += 4) {
        uint32_t c;
        std::memcpy(&c, dst + i, 4);
        if (!char_to_i32(cx, c, &c)) return false;
      }
    }
    return true;
  }
  for (size_t i = 0; i < v.items.size(); ++i) {
    if (!store(cx, v.items[i], elem_type, ptr + static_cast<uint32_t>(i) * elem_type->size)) {
      return false;
    }
  }
  return true;
}

// definitions.py: store_record
bool store_record(Cx& cx, const Val& v, uint32_t ptr, TypeRef t) {
  const std::vector<Field>& fields = t->despecialized->fields;
  if (v.items.size() != fields.size()) return mismatch(cx, t);
  uint64_t p = ptr;
  for (size_t i = 0; i < fields.size(); ++i) {
    const TypeRef ft = fields[i].type;
    p = align_to(p, ft->align);
    if (!store(cx, v.items[i], ft, static_cast<uint32_t>(p))) return false;
    p += ft->size;
  }
  return true;
}

// definitions.py: store_variant
bool store_variant(Cx& cx, const Val& v, uint32_t ptr, TypeRef t) {
  uint32_t index;
  const Val* payload;
  if (!match_case(cx, v, t, &index, &payload)) return false;
  const ValType& d = *t->despecialized;
  store_int(cx, index, ptr, t->discriminant_size());
  const TypeRef ct = d.cases[index].type;
  if (ct != nullptr) return store(cx, *payload, ct, ptr + variant_payload_offset(d));
  return true;
}

// definitions.py: match_case
bool match_case(Cx& cx, const Val& v, TypeRef t, uint32_t* index, const Val** payload) {
  const ValType& d = *t->despecialized;
  size_t i = d.cases.size();
  switch (t->kind) {
    case ValKind::Variant:
      for (i = 0; i < d.cases.size() && d.cases[i].label != v.str; ++i) {
      }
      break;
    case ValKind::Enum:
      i = std::find(t->labels.begin(), t->labels.end(), v.str) - t->labels.begin();
      break;
    case ValKind::Option:
      i = v.items.empty() ? 0 : 1;
      break;
    case ValKind::Result:
      i = v.is_ok ? 0 : 1;
      break;
    default:
      break;
  }
  if (i >= d.cases.size()) return mismatch(cx, t);
  const bool has_payload = d.cases[i].type != nullptr;
  if (v.items.size() != (has_payload ? 1u : 0u)) return mismatch(cx, t);
  *index = static_cast<uint32_t>(i);
  *payload = has_payload ? &v.items[0] : nullptr;
  return true;
}

// definitions.py: store_flags
bool store_flags(Cx& cx, const Val& v, uint32_t ptr, TypeRef t) {
  uint32_t i;
  if (!pack_flags_into_int(cx, v, t, &i)) return false;
  store_int(cx, i, ptr, t->size);
  return true;
}

// definitions.py: pack_flags_into_int
bool pack_flags_into_int(Cx& cx, const Val& v, TypeRef t, uint32_t* out) {
  uint32_t i = 0;
  for (const std::string& name : v.names) {
    const size_t bit = std::find(t->labels.begin(), t->labels.end(), name) - t->labels.begin();
    if (bit >= t->labels.size()) return mismatch(cx, t);
    i |= uint32_t{1} << bit;
  }
  *out = i;
  return true;
}

// definitions.py: lower_own
bool lower_own(Cx& cx, uint32_t rep, TypeRef t, uint32_t* out) {
  ResourceHandle h;
  h.rt = t->resource;
  h.rep = rep;
  h.own = true;
  return add_handle(cx, *cx.inst, h, out);
}

// definitions.py: lower_borrow
bool lower_borrow(Cx& cx, uint32_t rep, TypeRef t, uint32_t* out) {
  if (cx.inst->implements(t->resource)) {
    *out = rep;
    return true;
  }
  ResourceHandle h;
  h.rt = t->resource;
  h.rep = rep;
  h.borrow_scope = cx.task;
  return add_handle(cx, *cx.inst, h, out);
}

bool handle_rep(Cx& cx, const Val& v, TypeRef t, uint32_t* rep) {
  if (v.resource != nullptr && v.resource != t->resource) return mismatch(cx, t);
  if (v.bits > 0xffffffffu) return mismatch(cx, t);
  const uint32_t i = static_cast<uint32_t>(v.bits);
  if (cx.host == nullptr || cx.host->table == nullptr) {
    *rep = i;
    return true;
  }
  // The host passes a handle of its own table (the spec's lift_own / lift_borrow with the host
  // as the lifting side).
  if (t->kind == ValKind::Own) return take_own(cx, *cx.host->table, i, t->resource, rep);
  return take_borrow(cx, *cx.host->table, cx.host->subtask, i, t->resource, rep);
}

}  // namespace zinc::component::canon

// component/canon_load.cc: Canonical ABI loading -- reading component values out of linear
// memory into Vals (definitions.py "Loading").
//
// Invariants: `load` is only called on a pointer that is aligned and in bounds for the type
// (the callers' range checks establish it, as the spec asserts); every allocation of host
// memory for a lifted value is charged to cx.host_budget before it is made, so a guest's claimed
// lengths cannot make the host allocate without bound. Lists of bool/numbers/char are lifted
// packed (one memcpy, then a validation pass where the element type needs one).
// Spec: CanonicalABI.md "Loading".
#include <cassert>

#include "component/canon.h"

namespace zinc::component::canon {

namespace {

inline uint64_t read_le(const uint8_t* p, uint32_t n) {
  uint64_t v = 0;
  std::memcpy(&v, p, n);  // little-endian host
  return v;
}

inline uint64_t sign_extend(uint64_t v, uint32_t nbytes) {
  if (nbytes >= 8) return v;
  const unsigned shift = 64 - 8 * nbytes;
  return static_cast<uint64_t>(static_cast<int64_t>(v << shift) >> shift);
}

// Validates (char) or normalises (bool, floats) the elements of a freshly copied packed list.
bool fix_packed(Cx& cx, ValKind k, std::string& bytes) {
  uint8_t* p = reinterpret_cast<uint8_t*>(bytes.data());
  const size_t n = bytes.size();
  switch (k) {
    case ValKind::Bool:
      for (size_t i = 0; i < n; ++i) p[i] = p[i] != 0;
      return true;
    case ValKind::Char:
      for (size_t i = 0; i < n; i += 4) {
        uint32_t c;
        std::memcpy(&c, p + i, 4);
        if (!convert_i32_to_char(cx, c, &c)) return false;
      }
      return true;
    case ValKind::F32:
      for (size_t i = 0; i < n; i += 4) {
        uint32_t b;
        std::memcpy(&b, p + i, 4);
        b = canonicalize_nan32(b);
        std::memcpy(p + i, &b, 4);
      }
      return true;
    case ValKind::F64:
      for (size_t i = 0; i < n; i += 8) {
        uint64_t b;
        std::memcpy(&b, p + i, 8);
        b = canonicalize_nan64(b);
        std::memcpy(p + i, &b, 8);
      }
      return true;
    default:
      return true;
  }
}

// The element type of a list or map (a map is a list of its entry records).
inline TypeRef list_elem(TypeRef list_type) {
  return list_type->kind == ValKind::Map ? list_type->despecialized->elem : list_type->elem;
}

}  // namespace

int64_t load_int_signed(const Cx& cx, uint32_t ptr, uint32_t nbytes) {
  return static_cast<int64_t>(sign_extend(read_le(cx.mem() + ptr, nbytes), nbytes));
}

// definitions.py: canonicalize_nan32
uint32_t canonicalize_nan32(uint32_t bits) {
  return (bits & 0x7fffffffu) > 0x7f800000u ? kCanonicalFloat32Nan : bits;
}

// definitions.py: canonicalize_nan64
uint64_t canonicalize_nan64(uint64_t bits) {
  return (bits & 0x7fffffffffffffffu) > 0x7ff0000000000000u ? kCanonicalFloat64Nan : bits;
}

// definitions.py: convert_i32_to_char
bool convert_i32_to_char(Cx& cx, uint32_t i, uint32_t* out) {
  if (i >= 0x110000 || (i >= 0xD800 && i <= 0xDFFF)) return cx.trap(TrapKind::InvalidChar);
  *out = i;
  return true;
}

// definitions.py: load
bool load(Cx& cx, uint32_t ptr, TypeRef t, Val& out) {
  assert(ptr % t->align == 0 && uint64_t{ptr} + t->size <= cx.mem_size());
  switch (t->kind) {
    case ValKind::Bool:
      out = Val::boolean(convert_int_to_bool(load_int(cx, ptr, 1)));
      return true;
    case ValKind::U8:
    case ValKind::U16:
    case ValKind::U32:
    case ValKind::U64:
      out.kind = t->kind;
      out.bits = load_int(cx, ptr, t->size);
      return true;
    case ValKind::S8:
    case ValKind::S16:
    case ValKind::S32:
    case ValKind::S64:
      out.kind = t->kind;
      out.bits = static_cast<uint64_t>(load_int_signed(cx, ptr, t->size));
      return true;
    case ValKind::F32:
      out.kind = ValKind::F32;
      out.bits = canonicalize_nan32(static_cast<uint32_t>(load_int(cx, ptr, 4)));
      return true;
    case ValKind::F64:
      out.kind = ValKind::F64;
      out.bits = canonicalize_nan64(load_int(cx, ptr, 8));
      return true;
    case ValKind::Char: {
      uint32_t c;
      if (!convert_i32_to_char(cx, static_cast<uint32_t>(load_int(cx, ptr, 4)), &c)) return false;
      out = Val::character(c);
      return true;
    }
    case ValKind::String: {
      StringRef s;
      return load_string(cx, ptr, &s) && lift_string_val(cx, s, out);
    }
    case ValKind::List:
    case ValKind::Map:
      return load_list(cx, ptr, t, out);
    case ValKind::Record:
    case ValKind::Tuple:
      return load_record(cx, ptr, t, out);
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result:
      return load_variant(cx, ptr, t, out);
    case ValKind::Flags:
      load_flags(cx, ptr, *t, out);
      return true;
    case ValKind::Own: {
      uint32_t rep;
      return lift_own(cx, static_cast<uint32_t>(load_int(cx, ptr, 4)), t, &rep) &&
             handle_val(cx, rep, t, out);
    }
    case ValKind::Borrow: {
      uint32_t rep;
      return lift_borrow(cx, static_cast<uint32_t>(load_int(cx, ptr, 4)), t, &rep) &&
             handle_val(cx, rep, t, out);
    }
    case ValKind::ErrorContext:
    case ValKind::Stream:
    case ValKind::Future:
      return cx.trap(TrapKind::NotImplemented, {kind_name(t->kind)});
  }
  return cx.trap(TrapKind::ValueMismatch, {to_string(t)});
}

// definitions.py: load_string
bool load_string(Cx& cx, uint32_t ptr, StringRef* out) {
  const uint32_t begin = static_cast<uint32_t>(load_int(cx, ptr, 4));
  const uint32_t tagged = static_cast<uint32_t>(load_int(cx, ptr + 4, 4));
  return load_string_from_range(cx, begin, tagged, out);
}

// definitions.py: load_string_from_range
bool load_string_from_range(Cx& cx, uint32_t ptr, uint32_t tagged_code_units, StringRef* out) {
  if (!cx.opts.memory.valid()) return cx.trap(TrapKind::MemoryMissing);
  StringRef s;
  s.encoding = cx.opts.string_encoding;
  s.tagged_code_units = tagged_code_units;
  s.memory = &cx.opts.memory;
  s.offset = ptr;
  const uint32_t alignment = s.encoding == StringEncoding::Utf8 ? 1 : 2;
  const uint64_t byte_length = s.byte_length();
  if (byte_length > kMaxStringByteLength) {
    return cx.trap(TrapKind::StringTooLong, {std::to_string(byte_length)});
  }
  if (ptr % alignment != 0) return cx.trap(TrapKind::StringUnaligned);
  if (!cx.opts.memory.in_bounds(ptr, byte_length)) return cx.trap(TrapKind::StringOutOfBounds);
  const uint8_t* bytes = cx.mem() + ptr;
  if (s.is_utf16()) {
    const size_t bad = find_unpaired_surrogate(bytes, s.code_units());
    if (bad != s.code_units()) return cx.trap(TrapKind::InvalidUtf16, {std::to_string(bad)});
  } else if (!s.is_latin1()) {
    const Utf8Check c = validate_utf8(bytes, byte_length);
    if (!c.ok) {
      if (c.incomplete) return cx.trap(TrapKind::IncompleteUtf8, {std::to_string(c.index)});
      return cx.trap(TrapKind::InvalidUtf8, {std::to_string(c.error_len), std::to_string(c.index)});
    }
  }
  *out = s;
  return true;
}

bool lift_string_val(Cx& cx, const StringRef& s, Val& out) {
  out.kind = ValKind::String;
  out.str.clear();
  const uint8_t* bytes = s.bytes();
  const size_t units = s.code_units();
  if (s.is_utf16()) {
    const uint64_t n = utf16_utf8_length(bytes, units);
    if (!cx.charge(n)) return false;
    out.str.reserve(n);
    append_utf16_as_utf8(out.str, bytes, units);
  } else if (s.is_latin1()) {
    if (!cx.charge(uint64_t{units} * 2)) return false;
    append_latin1_as_utf8(out.str, bytes, units);
  } else {
    if (!cx.charge(units)) return false;
    out.str.assign(reinterpret_cast<const char*>(bytes), units);
  }
  return true;
}

// definitions.py: load_list
bool load_list(Cx& cx, uint32_t ptr, TypeRef list_type, Val& out) {
  if (list_type->length)
    return load_list_from_valid_range(cx, ptr, *list_type->length, list_type, out);
  const uint32_t begin = static_cast<uint32_t>(load_int(cx, ptr, 4));
  const uint32_t length = static_cast<uint32_t>(load_int(cx, ptr + 4, 4));
  return load_list_from_range(cx, begin, length, list_type, out);
}

// definitions.py: load_list_from_range
bool load_list_from_range(Cx& cx, uint32_t ptr, uint32_t length, TypeRef list_type, Val& out) {
  if (!cx.opts.memory.valid()) return cx.trap(TrapKind::MemoryMissing);
  const TypeRef elem = list_elem(list_type);
  const uint64_t byte_length = uint64_t{length} * elem->size;
  if (byte_length > kMaxListByteLength) {
    return cx.trap(TrapKind::ListTooLong, {std::to_string(byte_length)});
  }
  if (ptr % elem->align != 0) return cx.trap(TrapKind::ListUnaligned);
  if (!cx.opts.memory.in_bounds(ptr, byte_length)) return cx.trap(TrapKind::ListOutOfBounds);
  return load_list_from_valid_range(cx, ptr, length, list_type, out);
}

// definitions.py: load_list_from_valid_range
bool load_list_from_valid_range(Cx& cx, uint32_t ptr, uint32_t length, TypeRef list_type,
                                Val& out) {
  const TypeRef elem = list_elem(list_type);
  const uint64_t byte_length = uint64_t{length} * elem->size;
  out.kind = list_type->kind;
  if (list_type->kind == ValKind::List && Val::packable(elem->kind)) {
    if (!cx.charge(byte_length)) return false;
    out.packed = true;
    out.bits = static_cast<uint64_t>(elem->kind);
    out.str.assign(reinterpret_cast<const char*>(cx.mem() + ptr), byte_length);
    return fix_packed(cx, elem->kind, out.str);
  }
  if (!cx.charge(uint64_t{length} * sizeof(Val))) return false;
  out.items.resize(length);
  for (uint32_t i = 0; i < length; ++i) {
    Val& e = out.items[i];
    if (!load(cx, ptr + i * elem->size, elem, e)) return false;
    if (list_type->kind == ValKind::Map) {  // entries are 2-tuples
      e.kind = ValKind::Tuple;
      e.names.clear();
    }
  }
  return true;
}

// definitions.py: load_record
bool load_record(Cx& cx, uint32_t ptr, TypeRef t, Val& out) {
  const std::vector<Field>& fields = t->despecialized->fields;
  if (!cx.charge(fields.size() * sizeof(Val))) return false;
  out.kind = t->kind;
  out.items.resize(fields.size());
  if (t->kind == ValKind::Record) {
    out.names.resize(fields.size());
    for (size_t i = 0; i < fields.size(); ++i) out.names[i] = fields[i].label;
  }
  uint64_t p = ptr;
  for (size_t i = 0; i < fields.size(); ++i) {
    const TypeRef ft = fields[i].type;
    p = align_to(p, ft->align);
    if (!load(cx, static_cast<uint32_t>(p), ft, out.items[i])) return false;
    p += ft->size;
  }
  return true;
}

// definitions.py: load_variant
bool load_variant(Cx& cx, uint32_t ptr, TypeRef t, Val& out) {
  const ValType& d = *t->despecialized;
  const uint32_t disc_size = t->discriminant_size();
  const uint64_t case_index = load_int(cx, ptr, disc_size);
  if (case_index >= d.cases.size()) return cx.trap(TrapKind::InvalidDiscriminant);
  const Case& c = d.cases[case_index];
  out.kind = t->kind;
  switch (t->kind) {
    case ValKind::Variant:
    case ValKind::Enum:
      out.str = c.label;
      break;
    case ValKind::Result:
      out.is_ok = case_index == 0;
      break;
    default:
      break;
  }
  if (c.type == nullptr) return true;
  if (!cx.charge(sizeof(Val))) return false;
  out.items.resize(1);
  return load(cx, ptr + variant_payload_offset(d), c.type, out.items[0]);
}

// definitions.py: load_flags
void load_flags(const Cx& cx, uint32_t ptr, const ValType& t, Val& out) {
  out = unpack_flags_from_int(load_int(cx, ptr, t.size), t);
}

// definitions.py: unpack_flags_from_int
Val unpack_flags_from_int(uint64_t i, const ValType& t) {
  Val v;
  v.kind = ValKind::Flags;
  for (const std::string& l : t.labels) {
    if (i & 1) v.names.push_back(l);
    i >>= 1;
  }
  return v;
}

// definitions.py: lift_own
bool lift_own(Cx& cx, uint32_t i, TypeRef t, uint32_t* rep) {
  return take_own(cx, *cx.inst, i, t->resource, rep);
}

// definitions.py: lift_borrow
bool lift_borrow(Cx& cx, uint32_t i, TypeRef t, uint32_t* rep) {
  return take_borrow(cx, *cx.inst, cx.subtask, i, t->resource, rep);
}

bool handle_val(Cx& cx, uint32_t rep, TypeRef t, Val& out) {
  out.kind = t->kind;
  out.resource = t->resource;
  if (cx.host == nullptr || cx.host->table == nullptr) {
    out.bits = rep;
    return true;
  }
  // The host receives the handle in its own table (the spec's lower_own / lower_borrow with
  // the host as the lowering side); a borrow is scoped to the host call's Task.
  ResourceHandle h;
  h.rt = t->resource;
  h.rep = rep;
  h.own = t->kind == ValKind::Own;
  if (!h.own) h.borrow_scope = cx.host->task;
  uint32_t index;
  if (!add_handle(cx, *cx.host->table, h, &index)) return false;
  out.bits = index;
  return true;
}

}  // namespace zinc::component::canon

// component/canon_flat.cc: flat lifting and lowering -- component values to and from core
// values (definitions.py "Flat Lifting", "Flat Lowering", "Lifting and Lowering Values").
//
// Invariants: core values are 8-byte slots (i32/f32 in the low half), so the variant joins of
// flatten_variant are bit-identities: a case payload is read and written with its own flat
// types and the unused joined slots are skipped (lift) or zero (lower). Reading past the flat
// values the caller passed is reported by CoreValueIter::overrun and trapped by the callers.
// Spec: CanonicalABI.md "Flat Lifting", "Flat Lowering", "Lifting and Lowering Values".
#include "component/canon.h"

namespace zinc::component::canon {

namespace {

inline uint64_t sign_extend(uint64_t v, unsigned bits) {
  const unsigned shift = 64 - bits;
  return static_cast<uint64_t>(static_cast<int64_t>(v << shift) >> shift);
}

bool mismatch(Cx& cx, TypeRef t) {
  return cx.trap(TrapKind::ValueMismatch, {to_string(t)});
}

// The flat payload slots of a variant (its flat types minus the discriminant).
inline size_t payload_slots(TypeRef t) {
  return t->flat.size() - 1;
}

}  // namespace

// definitions.py: lift_flat
bool lift_flat(Cx& cx, CoreValueIter& vi, TypeRef t, Val& out) {
  switch (t->kind) {
    case ValKind::Bool:
      out = Val::boolean(convert_int_to_bool(vi.next(CoreType::I32)));
      return true;
    case ValKind::U8:
      out.kind = t->kind, out.bits = vi.next(CoreType::I32) & 0xff;
      return true;
    case ValKind::U16:
      out.kind = t->kind, out.bits = vi.next(CoreType::I32) & 0xffff;
      return true;
    case ValKind::U32:
      out.kind = t->kind, out.bits = vi.next(CoreType::I32);
      return true;
    case ValKind::U64:
      out.kind = t->kind, out.bits = vi.next(CoreType::I64);
      return true;
    case ValKind::S8:
      out.kind = t->kind, out.bits = sign_extend(vi.next(CoreType::I32), 8);
      return true;
    case ValKind::S16:
      out.kind = t->kind, out.bits = sign_extend(vi.next(CoreType::I32), 16);
      return true;
    case ValKind::S32:
      out.kind = t->kind, out.bits = sign_extend(vi.next(CoreType::I32), 32);
      return true;
    case ValKind::S64:
      out.kind = t->kind, out.bits = vi.next(CoreType::I64);
      return true;
    case ValKind::F32:
      out.kind = t->kind;
      out.bits = canonicalize_nan32(static_cast<uint32_t>(vi.next(CoreType::F32)));
      return true;
    case ValKind::F64:
      out.kind = t->kind;
      out.bits = canonicalize_nan64(vi.next(CoreType::F64));
      return true;
    case ValKind::Char: {
      uint32_t c;
      if (!convert_i32_to_char(cx, static_cast<uint32_t>(vi.next(CoreType::I32)), &c)) {
        return false;
      }
      out = Val::character(c);
      return true;
    }
    case ValKind::String: {
      // definitions.py: lift_flat_string
      const uint32_t ptr = static_cast<uint32_t>(vi.next(CoreType::I32));
      const uint32_t packed_length = static_cast<uint32_t>(vi.next(CoreType::I32));
      StringRef s;
      return load_string_from_range(cx, ptr, packed_length, &s) && lift_string_val(cx, s, out);
    }
    case ValKind::List:
    case ValKind::Map: {
      // definitions.py: lift_flat_list
      if (t->length) {
        const uint32_t n = *t->length;
        if (Val::packable(t->elem->kind)) {
          const uint32_t size = Val::packed_size(t->elem->kind);
          if (!cx.charge(uint64_t{n} * size)) return false;
          out.kind = ValKind::List;
          out.packed = true;
          out.bits = static_cast<uint64_t>(t->elem->kind);
          out.str.resize(uint64_t{n} * size);
          for (uint32_t i = 0; i < n; ++i) {
            Val e;
            if (!lift_flat(cx, vi, t->elem, e)) return false;
            std::memcpy(out.str.data() + uint64_t{i} * size, &e.bits, size);
          }
          return true;
        }
        if (!cx.charge(uint64_t{n} * sizeof(Val))) return false;
        out.kind = ValKind::List;
        out.items.resize(n);
        for (uint32_t i = 0; i < n; ++i) {
          if (!lift_flat(cx, vi, t->elem, out.items[i])) return false;
        }
        return true;
      }
      const uint32_t ptr = static_cast<uint32_t>(vi.next(CoreType::I32));
      const uint32_t length = static_cast<uint32_t>(vi.next(CoreType::I32));
      return load_list_from_range(cx, ptr, length, t, out);
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      // definitions.py: lift_flat_record
      const std::vector<Field>& fields = t->despecialized->fields;
      if (!cx.charge(fields.size() * sizeof(Val))) return false;
      out.kind = t->kind;
      out.items.resize(fields.size());
      if (t->kind == ValKind::Record) {
        out.names.resize(fields.size());
        for (size_t i = 0; i < fields.size(); ++i) out.names[i] = fields[i].label;
      }
      for (size_t i = 0; i < fields.size(); ++i) {
        if (!lift_flat(cx, vi, fields[i].type, out.items[i])) return false;
      }
      return true;
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      // definitions.py: lift_flat_variant
      const ValType& d = *t->despecialized;
      const uint64_t case_index = vi.next(CoreType::I32);
      if (case_index >= d.cases.size()) return cx.trap(TrapKind::InvalidDiscriminant);
      const size_t start = vi.position();
      const Case& c = d.cases[case_index];
      out.kind = t->kind;
      if (t->kind == ValKind::Variant || t->kind == ValKind::Enum) out.str = c.label;
      if (t->kind == ValKind::Result) out.is_ok = case_index == 0;
      if (c.type != nullptr) {
        if (!cx.charge(sizeof(Val))) return false;
        out.items.resize(1);
        if (!lift_flat(cx, vi, c.type, out.items[0])) return false;
      }
      vi.seek(start + payload_slots(t));
      return true;
    }
    case ValKind::Flags:
      // definitions.py: lift_flat_flags
      out = unpack_flags_from_int(vi.next(CoreType::I32), *t);
      return true;
    case ValKind::Own:
    case ValKind::Borrow: {
      uint32_t rep;
      const uint32_t i = static_cast<uint32_t>(vi.next(CoreType::I32));
      const bool ok =
          t->kind == ValKind::Own ? lift_own(cx, i, t, &rep) : lift_borrow(cx, i, t, &rep);
      return ok && handle_val(cx, rep, t, out);
    }
    case ValKind::ErrorContext:
    case ValKind::Stream:
    case ValKind::Future:
      return cx.trap(TrapKind::NotImplemented, {kind_name(t->kind)});
  }
  return mismatch(cx, t);
}

// definitions.py: lower_flat
bool lower_flat(Cx& cx, const Val& v, TypeRef t, FlatValues& out) {
  if (v.kind != t->kind && !kind_compatible(v.kind, t->kind)) return mismatch(cx, t);
  switch (t->kind) {
    case ValKind::Bool:
      out.push_back(v.bits != 0);
      return true;
    case ValKind::U8:
    case ValKind::U16:
    case ValKind::U32:
    case ValKind::F32:
      out.push_back(v.bits & 0xffffffffu);
      return true;
    case ValKind::S8:
    case ValKind::S16:
    case ValKind::S32:
      out.push_back(v.bits & 0xffffffffu);
      return true;  // lower_flat_signed
    case ValKind::U64:
    case ValKind::S64:
    case ValKind::F64:
      out.push_back(v.bits);
      return true;
    case ValKind::Char: {
      uint32_t c;
      if (!char_to_i32(cx, v.bits, &c)) return false;
      out.push_back(c);
      return true;
    }
    case ValKind::String: {
      // definitions.py: lower_flat_string
      uint32_t ptr, packed_length;
      if (!store_string_into_range(cx, StringRef::utf8(v.str), &ptr, &packed_length)) {
        return false;
      }
      out.push_back(ptr);
      out.push_back(packed_length);
      return true;
    }
    case ValKind::List:
    case ValKind::Map: {
      // definitions.py: lower_flat_list
      if (t->length) {
        const size_t n = v.list_size();
        if (n != *t->length) return mismatch(cx, t);
        for (size_t i = 0; i < n; ++i) {
          if (!lower_flat(cx, v.packed ? v.list_item(i) : v.items[i], t->elem, out)) return false;
        }
        return true;
      }
      const TypeRef elem = t->kind == ValKind::Map ? t->despecialized->elem : t->elem;
      uint32_t ptr, length;
      if (!store_list_into_range(cx, v, elem, &ptr, &length)) return false;
      out.push_back(ptr);
      out.push_back(length);
      return true;
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      // definitions.py: lower_flat_record
      const std::vector<Field>& fields = t->despecialized->fields;
      if (v.items.size() != fields.size()) return mismatch(cx, t);
      for (size_t i = 0; i < fields.size(); ++i) {
        if (!lower_flat(cx, v.items[i], fields[i].type, out)) return false;
      }
      return true;
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      // definitions.py: lower_flat_variant
      uint32_t index;
      const Val* payload;
      if (!match_case(cx, v, t, &index, &payload)) return false;
      out.push_back(index);
      const size_t start = out.size();
      const TypeRef ct = t->despecialized->cases[index].type;
      if (ct != nullptr && !lower_flat(cx, *payload, ct, out)) return false;
      out.resize(start + payload_slots(t), 0);
      return true;
    }
    case ValKind::Flags: {
      uint32_t i;
      if (!pack_flags_into_int(cx, v, t, &i)) return false;
      out.push_back(i);
      return true;
    }
    case ValKind::Own:
    case ValKind::Borrow: {
      uint32_t rep, i;
      if (!handle_rep(cx, v, t, &rep)) return false;
      if (!(t->kind == ValKind::Own ? lower_own(cx, rep, t, &i) : lower_borrow(cx, rep, t, &i))) {
        return false;
      }
      out.push_back(i);
      return true;
    }
    case ValKind::ErrorContext:
    case ValKind::Stream:
    case ValKind::Future:
      return cx.trap(TrapKind::NotImplemented, {kind_name(t->kind)});
  }
  return mismatch(cx, t);
}

// definitions.py: lift_flat_values
bool lift_flat_values(Cx& cx, uint32_t max_flat, CoreValueIter& vi, std::span<const TypeRef> ts,
                      std::vector<Val>& out) {
  out.clear();
  out.resize(ts.size());
  if (flat_count(ts) > max_flat) {
    const uint32_t ptr = static_cast<uint32_t>(vi.next(CoreType::I32));
    if (!cx.opts.memory.valid()) return cx.trap(TrapKind::MemoryMissing);
    if (ts.size() == 1) {  // a single result: the tuple's layout is its element's
      if (ptr % ts[0]->align != 0) return cx.trap(TrapKind::PointerUnaligned);
      if (!cx.opts.memory.in_bounds(ptr, ts[0]->size)) {
        return cx.trap(TrapKind::PointerOutOfBounds);
      }
      if (!load(cx, ptr, ts[0], out[0])) return false;
      return !vi.overrun() || cx.trap(TrapKind::CoreValueCount);
    }
    const TupleLayout l = tuple_layout(ts);
    if (ptr % l.align != 0) return cx.trap(TrapKind::PointerUnaligned);
    if (!cx.opts.memory.in_bounds(ptr, l.size)) return cx.trap(TrapKind::PointerOutOfBounds);
    for (size_t i = 0; i < ts.size(); ++i) {
      if (!load(cx, ptr + l.offsets[i], ts[i], out[i])) return false;
    }
  } else {
    for (size_t i = 0; i < ts.size(); ++i) {
      if (!lift_flat(cx, vi, ts[i], out[i])) return false;
    }
  }
  if (vi.overrun()) return cx.trap(TrapKind::CoreValueCount);
  return true;
}

// definitions.py: lower_flat_values
bool lower_flat_values(Cx& cx, uint32_t max_flat, std::span<const Val> vs,
                       std::span<const TypeRef> ts, FlatValues& out, CoreValueIter* out_param) {
  if (vs.size() != ts.size()) return cx.trap(TrapKind::CoreValueCount);
  if (flat_count(ts) <= max_flat) {
    for (size_t i = 0; i < vs.size(); ++i) {
      if (!lower_flat(cx, vs[i], ts[i], out)) return false;
    }
    return true;
  }
  if (!cx.opts.memory.valid()) return cx.trap(TrapKind::MemoryMissing);
  const TupleLayout l = tuple_layout(ts);
  uint32_t ptr;
  if (out_param == nullptr) {
    if (!cx.allocate(l.align, l.size, &ptr)) return false;
    if (ptr % l.align != 0) return cx.trap(TrapKind::ReallocUnaligned);
    if (!cx.opts.memory.in_bounds(ptr, l.size)) return cx.trap(TrapKind::ReallocOutOfBounds);
    out.push_back(ptr);
  } else {
    ptr = static_cast<uint32_t>(out_param->next(CoreType::I32));
    if (out_param->overrun()) return cx.trap(TrapKind::CoreValueCount);
    if (ptr % l.align != 0) return cx.trap(TrapKind::PointerUnaligned);
    if (!cx.opts.memory.in_bounds(ptr, l.size)) return cx.trap(TrapKind::PointerOutOfBounds);
  }
  for (size_t i = 0; i < vs.size(); ++i) {
    if (!store(cx, vs[i], ts[i], ptr + l.offsets[i])) return false;
  }
  return true;
}

}  // namespace zinc::component::canon

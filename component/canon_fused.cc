// component/canon_fused.cc: component-to-component calls (a lowered import satisfied by
// another component's lifted export) with values copied directly from one instance's flat
// values and memory into the other's -- the fused lift+lower that an adapter compiler would
// generate, run by an interpreter of the types. No Val tree is built.
//
// Invariants: every copy step performs the lift side's checks (bounds, alignment, encodings,
// discriminants, chars, handles) on the source context and the lower side's (realloc results,
// handle tables) on the destination context, in the spec's order, so traps are those of
// canon_lower(canon_lift(...)). Both sides have the same interned function type, hence the
// same flattening: parameters (and results) are spilled on both sides or on neither.
// Strings are transcoded straight from the source memory (StringRef views it, re-read after
// each realloc); lists of integers are one memmove.
// Spec: CanonicalABI.md "canon lift", "canon lower" (composed).
#include <algorithm>

#include "component/canon.h"

namespace zinc::component::canon {

namespace {

inline uint64_t sign_extend(uint64_t v, unsigned bits) {
  const unsigned shift = 64 - bits;
  return static_cast<uint64_t>(static_cast<int64_t>(v << shift) >> shift);
}

inline uint32_t flags_mask(const ValType& t) {
  return t.labels.size() >= 32 ? 0xffffffffu : (uint32_t{1} << t.labels.size()) - 1;
}

inline TypeRef list_elem(TypeRef t) {
  return t->kind == ValKind::Map ? t->despecialized->elem : t->elem;
}

bool copy_mem(Cx& src, uint32_t sp, Cx& dst, uint32_t dp, TypeRef t);

// Elements of a list already range-checked on both sides.
bool copy_elems(Cx& src, uint32_t sp, Cx& dst, uint32_t dp, uint32_t n, TypeRef elem) {
  const uint64_t bytes = uint64_t{n} * elem->size;
  switch (elem->kind) {
    case ValKind::U8:
    case ValKind::S8:
    case ValKind::U16:
    case ValKind::S16:
    case ValKind::U32:
    case ValKind::S32:
    case ValKind::U64:
    case ValKind::S64:
      std::memmove(dst.mem() + dp, src.mem() + sp, bytes);
      return true;
    default:
      for (uint32_t i = 0; i < n; ++i) {
        if (!copy_mem(src, sp + i * elem->size, dst, dp + i * elem->size, elem)) return false;
      }
      return true;
  }
}

// load_list_from_range on `src` + store_list_into_range on `dst`: the new list's pointer.
bool copy_list_range(Cx& src, uint32_t ptr, uint32_t length, Cx& dst, TypeRef elem, uint32_t* out) {
  if (!src.opts.memory.valid()) return src.trap(TrapKind::MemoryMissing);
  if (!dst.opts.memory.valid()) return dst.trap(TrapKind::MemoryMissing);
  const uint64_t byte_length = uint64_t{length} * elem->size;
  if (byte_length > kMaxListByteLength) {
    return src.trap(TrapKind::ListTooLong, {std::to_string(byte_length)});
  }
  if (ptr % elem->align != 0) return src.trap(TrapKind::ListUnaligned);
  if (!src.opts.memory.in_bounds(ptr, byte_length)) return src.trap(TrapKind::ListOutOfBounds);
  uint32_t q;
  if (!dst.allocate(elem->align, static_cast<uint32_t>(byte_length), &q)) return false;
  if (q % elem->align != 0) return dst.trap(TrapKind::ReallocUnaligned);
  if (!dst.opts.memory.in_bounds(q, byte_length)) {
    return dst.trap(TrapKind::ReallocListOutOfBounds);
  }
  *out = q;
  return copy_elems(src, ptr, dst, q, length, elem);
}

bool copy_handle(Cx& src, uint32_t i, Cx& dst, TypeRef t, uint32_t* out) {
  uint32_t rep;
  if (t->kind == ValKind::Own) return lift_own(src, i, t, &rep) && lower_own(dst, rep, t, out);
  return lift_borrow(src, i, t, &rep) && lower_borrow(dst, rep, t, out);
}

// load from src at sp + store into dst at dp (both aligned and in bounds for t).
bool copy_mem(Cx& src, uint32_t sp, Cx& dst, uint32_t dp, TypeRef t) {
  switch (t->kind) {
    case ValKind::Bool:
      dst.mem()[dp] = src.mem()[sp] != 0;
      return true;
    case ValKind::U8:
    case ValKind::S8:
    case ValKind::U16:
    case ValKind::S16:
    case ValKind::U32:
    case ValKind::S32:
    case ValKind::U64:
    case ValKind::S64:
      std::memmove(dst.mem() + dp, src.mem() + sp, t->size);
      return true;
    case ValKind::F32:
      store_int(dst, canonicalize_nan32(static_cast<uint32_t>(load_int(src, sp, 4))), dp, 4);
      return true;
    case ValKind::F64:
      store_int(dst, canonicalize_nan64(load_int(src, sp, 8)), dp, 8);
      return true;
    case ValKind::Char: {
      uint32_t c;
      if (!convert_i32_to_char(src, static_cast<uint32_t>(load_int(src, sp, 4)), &c)) return false;
      store_int(dst, c, dp, 4);
      return true;
    }
    case ValKind::String: {
      StringRef s;
      return load_string(src, sp, &s) && store_string(dst, s, dp);
    }
    case ValKind::List:
    case ValKind::Map: {
      const TypeRef elem = list_elem(t);
      if (t->length) return copy_elems(src, sp, dst, dp, *t->length, elem);
      uint32_t q;
      const uint32_t length = static_cast<uint32_t>(load_int(src, sp + 4, 4));
      if (!copy_list_range(src, static_cast<uint32_t>(load_int(src, sp, 4)), length, dst, elem,
                           &q)) {
        return false;
      }
      store_int(dst, q, dp, 4);
      store_int(dst, length, dp + 4, 4);
      return true;
    }
    case ValKind::Record:
    case ValKind::Tuple: {
      uint64_t off = 0;
      for (const Field& f : t->despecialized->fields) {
        off = align_to(off, f.type->align);
        if (!copy_mem(src, sp + static_cast<uint32_t>(off), dst, dp + static_cast<uint32_t>(off),
                      f.type)) {
          return false;
        }
        off += f.type->size;
      }
      return true;
    }
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      const ValType& d = *t->despecialized;
      const uint32_t disc_size = t->discriminant_size();
      const uint64_t index = load_int(src, sp, disc_size);
      if (index >= d.cases.size()) return src.trap(TrapKind::InvalidDiscriminant);
      store_int(dst, index, dp, disc_size);
      const TypeRef ct = d.cases[index].type;
      if (ct == nullptr) return true;
      const uint32_t off = variant_payload_offset(d);
      return copy_mem(src, sp + off, dst, dp + off, ct);
    }
    case ValKind::Flags:
      store_int(dst, load_int(src, sp, t->size) & flags_mask(*t), dp, t->size);
      return true;
    case ValKind::Own:
    case ValKind::Borrow: {
      uint32_t i;
      if (!copy_handle(src, static_cast<uint32_t>(load_int(src, sp, 4)), dst, t, &i)) {
        return false;
      }
      store_int(dst, i, dp, 4);
      return true;
    }
    case ValKind::ErrorContext:
    case ValKind::Stream:
    case ValKind::Future:
      return src.trap(TrapKind::NotImplemented, {kind_name(t->kind)});
  }
  return src.trap(TrapKind::ValueMismatch, {to_string(t)});
}

// lift_flat from vi (src) + lower_flat into out (dst).
bool copy_flat(Cx& src, CoreValueIter& vi, Cx& dst, FlatValues& out, TypeRef t) {
  switch (t->kind) {
    case ValKind::Bool:
      out.push_back(vi.next(CoreType::I32) != 0);
      return true;
    case ValKind::U8:
      out.push_back(vi.next(CoreType::I32) & 0xff);
      return true;
    case ValKind::U16:
      out.push_back(vi.next(CoreType::I32) & 0xffff);
      return true;
    case ValKind::U32:
    case ValKind::S32:
      out.push_back(vi.next(CoreType::I32));
      return true;
    case ValKind::S8:
      out.push_back(sign_extend(vi.next(CoreType::I32), 8) & 0xffffffffu);
      return true;
    case ValKind::S16:
      out.push_back(sign_extend(vi.next(CoreType::I32), 16) & 0xffffffffu);
      return true;
    case ValKind::U64:
    case ValKind::S64:
      out.push_back(vi.next(CoreType::I64));
      return true;
    case ValKind::F32:
      out.push_back(canonicalize_nan32(static_cast<uint32_t>(vi.next(CoreType::F32))));
      return true;
    case ValKind::F64:
      out.push_back(canonicalize_nan64(vi.next(CoreType::F64)));
      return true;
    case ValKind::Char: {
      uint32_t c;
      if (!convert_i32_to_char(src, static_cast<uint32_t>(vi.next(CoreType::I32)), &c)) {
        return false;
      }
      out.push_back(c);
      return true;
    }
    case ValKind::String: {
      const uint32_t ptr = static_cast<uint32_t>(vi.next(CoreType::I32));
      const uint32_t tagged = static_cast<uint32_t>(vi.next(CoreType::I32));
      StringRef s;
      uint32_t q, units;
      if (!load_string_from_range(src, ptr, tagged, &s)) return false;
      if (!store_string_into_range(dst, s, &q, &units)) return false;
      out.push_back(q);
      out.push_back(units);
      return true;
    }
    case ValKind::List:
    case ValKind::Map: {
      const TypeRef elem = list_elem(t);
      if (t->length) {
        for (uint32_t i = 0; i < *t->length; ++i) {
          if (!copy_flat(src, vi, dst, out, elem)) return false;
        }
        return true;
      }
      const uint32_t ptr = static_cast<uint32_t>(vi.next(CoreType::I32));
      const uint32_t length = static_cast<uint32_t>(vi.next(CoreType::I32));
      uint32_t q;
      if (!copy_list_range(src, ptr, length, dst, elem, &q)) return false;
      out.push_back(q);
      out.push_back(length);
      return true;
    }
    case ValKind::Record:
    case ValKind::Tuple:
      for (const Field& f : t->despecialized->fields) {
        if (!copy_flat(src, vi, dst, out, f.type)) return false;
      }
      return true;
    case ValKind::Variant:
    case ValKind::Enum:
    case ValKind::Option:
    case ValKind::Result: {
      const ValType& d = *t->despecialized;
      const uint64_t index = vi.next(CoreType::I32);
      if (index >= d.cases.size()) return src.trap(TrapKind::InvalidDiscriminant);
      out.push_back(index);
      const size_t start = vi.position(), out_start = out.size();
      const size_t payload = t->flat.size() - 1;
      const TypeRef ct = d.cases[index].type;
      if (ct != nullptr && !copy_flat(src, vi, dst, out, ct)) return false;
      vi.seek(start + payload);
      out.resize(out_start + payload, 0);
      return true;
    }
    case ValKind::Flags:
      out.push_back(vi.next(CoreType::I32) & flags_mask(*t));
      return true;
    case ValKind::Own:
    case ValKind::Borrow: {
      uint32_t i;
      if (!copy_handle(src, static_cast<uint32_t>(vi.next(CoreType::I32)), dst, t, &i)) {
        return false;
      }
      out.push_back(i);
      return true;
    }
    case ValKind::ErrorContext:
    case ValKind::Stream:
    case ValKind::Future:
      return src.trap(TrapKind::NotImplemented, {kind_name(t->kind)});
  }
  return src.trap(TrapKind::ValueMismatch, {to_string(t)});
}

// Copies a spilled tuple: `sp` from the source's flat values, a fresh allocation (out_param
// null) or the destination's retptr.
bool copy_spilled(Cx& src, uint32_t sp, Cx& dst, CoreValueIter* out_param,
                  std::span<const TypeRef> ts, FlatValues& out) {
  if (!src.opts.memory.valid()) return src.trap(TrapKind::MemoryMissing);
  if (!dst.opts.memory.valid()) return dst.trap(TrapKind::MemoryMissing);
  const TupleLayout l = tuple_layout(ts);
  if (sp % l.align != 0) return src.trap(TrapKind::PointerUnaligned);
  if (!src.opts.memory.in_bounds(sp, l.size)) return src.trap(TrapKind::PointerOutOfBounds);
  uint32_t dp;
  if (out_param == nullptr) {
    if (!dst.allocate(l.align, l.size, &dp)) return false;
    if (dp % l.align != 0) return dst.trap(TrapKind::ReallocUnaligned);
    if (!dst.opts.memory.in_bounds(dp, l.size)) return dst.trap(TrapKind::ReallocOutOfBounds);
    out.push_back(dp);
  } else {
    dp = static_cast<uint32_t>(out_param->next(CoreType::I32));
    if (dp % l.align != 0) return dst.trap(TrapKind::PointerUnaligned);
    if (!dst.opts.memory.in_bounds(dp, l.size)) return dst.trap(TrapKind::PointerOutOfBounds);
  }
  for (size_t i = 0; i < ts.size(); ++i) {
    if (!copy_mem(src, sp + l.offsets[i], dst, dp + l.offsets[i], ts[i])) return false;
  }
  return true;
}

Error first_error(Cx& a, Cx& b) {
  return a.failed() ? a.take_error() : b.take_error();
}

}  // namespace

Result<void> call_fused(const LoweredFunc& lower, const LiftedFunc& lift, uint64_t* slots,
                        size_t num_slots) {
  constexpr Boundary b = Boundary::Component;
  InstanceState* caller = lower.inst;
  InstanceState* callee = lift.inst;
  if (!caller->may_leave) return unexpected(trap_error(TrapKind::CannotLeave, b));
  if (lower.opts.async || lower.opts.callback || lift.opts.async || lift.opts.callback) {
    return unexpected(trap_error(TrapKind::NotImplemented, b, {"an async call"}));
  }
  const std::vector<TypeRef>& params = lift.types.params;
  const std::vector<TypeRef>& results = lift.types.results;
  const size_t flat_params = flat_count(params);
  const size_t flat_results = flat_count(results);
  const bool params_spilled = flat_params > kMaxFlatParams;
  const bool results_spilled = flat_results > kMaxFlatResults;
  const size_t num_in = (params_spilled ? 1 : flat_params) + (results_spilled ? 1 : 0);
  if (num_slots < std::max<size_t>(num_in, results_spilled ? 0 : flat_results)) {
    return unexpected(trap_error(TrapKind::CoreValueCount, b));
  }
  if (!callee->may_enter_from(caller)) return unexpected(trap_error(TrapKind::CannotEnter, b));
  callee->enter_from(caller);
  struct Leave {
    InstanceState* callee;
    InstanceState* caller;
    ~Leave() { callee->leave_to(caller); }
  } leave{callee, caller};

  Subtask subtask(caller);
  Task task(callee);
  Cx low(lower.opts, caller, nullptr, &subtask);  // the caller's side
  Cx lif(lift.opts, callee, &task);               // the callee's side
  low.boundary = lif.boundary = b;

  // Arguments: caller -> callee.
  CoreValueIter args(slots, num_in);
  FlatValues flat;
  bool ok = true;
  if (params_spilled) {
    ok = copy_spilled(low, static_cast<uint32_t>(args.next(CoreType::I32)), lif, nullptr, params,
                      flat);
  } else {
    for (size_t i = 0; ok && i < params.size(); ++i)
      ok = copy_flat(low, args, lif, flat, params[i]);
  }
  if (!ok) return unexpected(first_error(low, lif));
  const size_t callee_results = results_spilled ? 1 : flat_results;
  if (flat.size() < std::max<size_t>(callee_results, 1)) {
    flat.resize(std::max<size_t>(callee_results, 1));
  }
  if (Result<void> r = lift.callee(flat.data(), flat.size()); !r) return r;
  Error e;
  if (!task.return_(b, &e)) return unexpected(std::move(e));

  // Results: callee -> caller.
  FlatValues out;
  if (results_spilled) {
    ok = copy_spilled(lif, static_cast<uint32_t>(flat[0]), low, &args, results, out);
  } else {
    CoreValueIter rv(flat.data(), callee_results);
    for (size_t i = 0; ok && i < results.size(); ++i) ok = copy_flat(lif, rv, low, out, results[i]);
  }
  if (!ok) return unexpected(first_error(low, lif));
  if (lift.opts.post_return) {
    callee->may_leave = false;
    Result<void> r = lift.opts.post_return(flat.data(), flat.size());
    callee->may_leave = true;
    if (!r) return r;
  }
  subtask.deliver_resolve();
  std::copy(out.begin(), out.end(), slots);
  return {};
}

}  // namespace zinc::component::canon

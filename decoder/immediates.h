// decoder/immediates.h: one struct per immediate kind (opcodes.h ImmKind) and one routine that
// decodes it, shared by every client of the function decoder (validator, interpreter
// translator, JIT, disassembler).
//
// The read_* functions only check the binary format (malformed errors); index bounds, alignment
// and lane ranges are validation and are checked by the function decoder, which knows the
// module. On error they call `r.fail(...)` (sticky) and leave defaults in the struct, so callers
// may test `r.ok()` once after the whole instruction.
// Spec: https://webassembly.github.io/spec/core/binary/instructions.html
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

#include "decoder/impl_limits.h"
#include "decoder/opcodes.h"
#include "decoder/reader.h"
#include "decoder/type_reader.h"
#include "decoder/types.h"
#include "decoder/wasm_features.h"

#if defined(__GNUC__)
#define ZINC_ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define ZINC_ALWAYS_INLINE inline
#endif

namespace zinc::decoder {

/// memarg: alignment exponent, memory index (multi-memory) and static offset.
struct MemArg {
  uint32_t align_log2 = 0;
  uint32_t mem_index = 0;
  uint64_t offset = 0;
};

/// blocktype: empty, one value type, or a type index (multi-value).
struct BlockType {
  enum class Kind : uint8_t { Empty, Value, TypeIndex };
  Kind kind = Kind::Empty;
  ValType type = kI32;      // Kind::Value
  uint32_t type_index = 0;  // Kind::TypeIndex
};

/// br_table: `count` targets (u32 LEBs starting at targets_begin) followed by the default.
/// Iterate with BrTableIterator; the default is the (count+1)-th entry.
struct BrTable {
  uint32_t count = 0;
  const uint8_t* targets_begin = nullptr;
};

struct CallIndirect {
  uint32_t type_index = 0;
  uint32_t table_index = 0;
};

/// select t: the single result type (a vector of length 1 in the binary).
struct SelectT {
  ValType type = kI32;
};

/// Two-index immediates: memory.init (data, memory), table.init (elem, table),
/// memory.copy (dst memory, src memory), table.copy (dst table, src table).
struct IndexPair {
  uint32_t first = 0;
  uint32_t second = 0;
};

struct V128 {
  uint8_t bytes[16] = {};
};

/// memarg followed by a lane index (v128.loadN_lane / storeN_lane).
struct MemArgLane {
  MemArg mem;
  uint8_t lane = 0;
};

/// br_on_cast / br_on_cast_fail: bit 0 of `flags` makes the source type nullable, bit 1 the
/// target type. Heap types are kept as their s33 encodings until the decoder reads GC types.
struct BrOnCast {
  uint8_t flags = 0;
  uint32_t label = 0;
  int64_t source = 0;
  int64_t target = 0;
};

/// One catch clause of try_table: `kind` is the binary's 0 catch, 1 catch_ref, 2 catch_all,
/// 3 catch_all_ref; `tag` is meaningful for the first two.
struct CatchClause {
  uint8_t kind = 0;
  uint32_t tag = 0;
  uint32_t label = 0;
};

// ---- Per-opcode facts derived from the table ----

/// log2 of the natural alignment (access size in bytes) of a memory instruction, derived from
/// its text name: "i64.load32_u" -> 2, "v128.load8x8_s" -> 3, "v128.store" -> 4,
/// "i64.atomic.rmw16.add_u" -> 1, "memory.atomic.wait64" -> 3.
constexpr uint32_t natural_alignment_log2(Opcode op) {
  const std::string_view t = opcode_text(op);
  if (t == "memory.atomic.notify") return 2;
  if (t.starts_with("memory.atomic.wait")) return t.ends_with("64") ? 3 : 2;
  size_t p = t.find(".load");
  size_t skip = 5;
  if (p == std::string_view::npos) {
    p = t.find(".store");
    skip = 6;
  }
  if (p == std::string_view::npos) {
    p = t.find(".rmw");
    skip = 4;
  }
  if (p == std::string_view::npos) return 0;
  size_t i = p + skip;
  uint32_t bits = 0;
  while (i < t.size() && t[i] >= '0' && t[i] <= '9') bits = bits * 10 + (t[i++] - '0');
  if (bits != 0 && i < t.size() && t[i] == 'x') {  // loadNxM: N*M bits
    uint32_t m = 0;
    ++i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') m = m * 10 + (t[i++] - '0');
    bits *= m;
  }
  if (bits == 0) bits = t.starts_with("v128") ? 128 : (t[1] == '3' ? 32 : 64);
  uint32_t log2 = 0;
  while ((8u << log2) < bits) ++log2;
  return log2;
}

/// Number of lanes addressed by a lane immediate: "i16x8.extract_lane_s" -> 8,
/// "v128.load32_lane" -> 4. Zero for instructions without one.
constexpr uint32_t lane_count(Opcode op) {
  const std::string_view t = opcode_text(op);
  if (t.starts_with("i8x16")) return 16;
  if (t.starts_with("i16x8")) return 8;
  if (t.starts_with("i32x4") || t.starts_with("f32x4")) return 4;
  if (t.starts_with("i64x2") || t.starts_with("f64x2")) return 2;
  if (t.ends_with("_lane")) return 128 / (8u << natural_alignment_log2(op));
  return 0;
}

/// Immediate kinds the function decoder's generic (table-driven) path reads; rows with a real
/// signature and another kind have no validator yet.
constexpr bool has_generic_decoder(ImmKind k) {
  switch (k) {
    case ImmKind::None:
    case ImmKind::MemArg:
    case ImmKind::MemArgLane:
    case ImmKind::Memory:
    case ImmKind::MemoryInit:
    case ImmKind::Data:
    case ImmKind::Elem:
    case ImmKind::I32:
    case ImmKind::I64:
    case ImmKind::F32:
    case ImmKind::F64:
    case ImmKind::V128:
    case ImmKind::Shuffle:
    case ImmKind::Lane:
      return true;
    default:
      return false;
  }
}

// ---- Decoding ----

/// Reads a memarg. Wasm 2.0: align u32, offset u32. With multi-memory, bit 6 of the flags
/// announces an explicit memory index; flags >= 128 are then malformed. With memory64 the
/// offset is a u64 (validation bounds it by the memory's address type).
ZINC_ALWAYS_INLINE void read_mem_arg(Reader& r, const Features& f, MemArg* out) {
  const size_t at = r.offset();
  uint32_t flags = r.u32();
  out->mem_index = 0;
  if (f.multi_memory && (flags & 0x40)) {
    flags &= ~0x40u;
    out->mem_index = r.u32();
  }
  if (f.multi_memory && flags >= 0x40) r.fail_at(at, ErrorCode::MalformedMemopFlags);
  out->align_log2 = flags;
  out->offset = f.memory64 ? r.u64() : r.u32();
}

/// Reads a memory index where Wasm 2.0 has a reserved byte: exactly 0x00 (a padded LEB zero is
/// malformed: "zero byte expected"). With multi-memory it is a u32 index.
inline uint32_t read_mem_index(Reader& r, const Features& f) {
  if (f.multi_memory) return r.u32();
  const size_t at = r.offset();
  if (r.u8() != 0 && r.ok()) r.fail_at(at, ErrorCode::ZeroByteExpected);
  return 0;
}

inline void read_block_type(Reader& r, const Features& f, BlockType* out) {
  if (r.at_end()) {
    r.fail(ErrorCode::UnexpectedEnd);
    return;
  }
  const uint8_t b = r.peek_u8();
  if (b == 0x40) {
    r.skip(1);
    out->kind = BlockType::Kind::Empty;
    return;
  }
  if (val_type_from_byte(b, f, &out->type)) {
    r.skip(1);
    out->kind = BlockType::Kind::Value;
    return;
  }
  const size_t at = r.offset();
  const int64_t index = r.s33();
  if (!r.ok()) return;
  if (index < 0 || !f.multi_value) {
    r.fail_at(at, ErrorCode::MalformedValueType);
    return;
  }
  out->kind = BlockType::Kind::TypeIndex;
  out->type_index = static_cast<uint32_t>(index);
}

/// Reads the br_table count and remembers where the targets start; the caller iterates them
/// (count + 1 LEBs including the default). Counts beyond the bytes present are rejected first.
inline void read_br_table(Reader& r, BrTable* out) {
  const size_t at = r.offset();
  out->count = r.count(1);
  if (r.ok() && out->count > limits::kMaxBrTableSize) {
    r.fail_at(at, ErrorCode::ImplementationLimit, "br_table size");
  }
  out->targets_begin = r.pos();
}

/// Walks the targets of an already validated br_table: `count` labels, then the default.
class BrTableIterator {
 public:
  BrTableIterator(const BrTable& imm, const uint8_t* body_end)
      : r_(imm.targets_begin, body_end), left_(imm.count + 1) {}
  bool has_next() const { return left_ != 0 && r_.ok(); }
  /// True when the next target is the default one.
  bool next_is_default() const { return left_ == 1; }
  uint32_t next() {
    --left_;
    return r_.u32();
  }

 private:
  Reader r_;
  uint32_t left_;
};

inline void read_call_indirect(Reader& r, const Features& f, CallIndirect* out) {
  out->type_index = r.u32();
  if (f.ref_types) {
    out->table_index = r.u32();
  } else {
    out->table_index = read_mem_index(r, Features{});  // reserved zero byte before 2.0
  }
}

/// select t*: the vector must have exactly one type ("invalid result arity" otherwise).
inline void read_select_t(Reader& r, const Features& f, SelectT* out) {
  const size_t at = r.offset();
  const uint32_t n = r.u32();
  if (!r.ok()) return;
  if (n != 1) {
    r.fail_at(at, ErrorCode::InvalidSelectType);
    return;
  }
  (void)read_val_type(r, f, &out->type);
}

inline void read_v128(Reader& r, V128* out) {
  if (const uint8_t* p = r.bytes(16)) std::memcpy(out->bytes, p, 16);
}

inline uint8_t read_lane(Reader& r) {
  return r.u8();
}

inline void read_mem_arg_lane(Reader& r, const Features& f, MemArgLane* out) {
  read_mem_arg(r, f, &out->mem);
  out->lane = r.u8();
}

/// Skips a heap type (s33: abstract types are negative one-byte codes, concrete ones indices).
inline int64_t read_heap_type_code(Reader& r) {
  return r.s33();
}

inline void read_br_on_cast(Reader& r, BrOnCast* out) {
  out->flags = r.u8();
  out->label = r.u32();
  out->source = read_heap_type_code(r);
  out->target = read_heap_type_code(r);
}

/// Reads the catch clauses of try_table (after its block type), calling `on_catch` for each.
/// An unknown clause kind is malformed.
template <typename OnCatch>
inline void read_catch_clauses(Reader& r, OnCatch&& on_catch) {
  const uint32_t n = r.count(2);
  for (uint32_t i = 0; i < n && r.ok(); ++i) {
    const size_t at = r.offset();
    CatchClause c;
    c.kind = r.u8();
    if (c.kind > 3) {
      if (r.ok()) r.fail_at(at, ErrorCode::IllegalOpcode, "catch clause kind");
      return;
    }
    if (c.kind < 2) c.tag = r.u32();
    c.label = r.u32();
    if (r.ok()) on_catch(c);
  }
}

/// Fast path for the overwhelmingly common one-byte i32.const / s32 immediates.
inline int32_t read_s32(Reader& r) {
  if (r.remaining() != 0) {
    const uint8_t b = *r.pos();
    if (b < 0x80) {
      r.skip(1);
      return static_cast<int32_t>(static_cast<int8_t>(static_cast<uint8_t>(b << 1))) >> 1;
    }
  }
  return r.s32();
}

inline int64_t read_s64(Reader& r) {
  if (r.remaining() != 0) {
    const uint8_t b = *r.pos();
    if (b < 0x80) {
      r.skip(1);
      return static_cast<int64_t>(static_cast<int8_t>(static_cast<uint8_t>(b << 1)) >> 1);
    }
  }
  return r.s64();
}

}  // namespace zinc::decoder

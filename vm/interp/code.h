// vm/interp/code.h: the interpreter's internal code: instruction numbering, encoding and the
// translated function.
//
// Internal opcodes (IOp) have their own numbering space (never reused wasm bytes). Every row of
// decoder/opcodes.def owns four IOps, `4*opcode + variant`:
//   computational rows: 0 all operands in slots; 1 the second operand an immediate; 2 the
//                       first operand an immediate (binary operators, kImmVariant/kImmLhs);
//   memory rows:        0 guard pages; 1 bounds checks; 2 and 3 the same with a constant
//                       address folded into the immediate offset (no address operand).
// Internal-only instructions (moves, branches, calls, ...) and superinstructions (fused
// compare+branch, fused address+load) follow. Rows and variants without an interpreter handler
// map to the invalid-instruction handler.
//
// Encoding (direct threaded code): an instruction is the address of its handler (8 bytes),
// then `operands` 32-bit fields, padded to a multiple of 8, then `imm_bytes` of immediate
// data (8-aligned). Slot operands are byte offsets from the frame pointer, so a handler reads
// `fp + offset` without scaling. Branch targets are byte offsets from the start of the
// function's code. Sizes are fixed per IOp (iop_layout), so the translator and the handlers
// agree by construction.
//
// Frame layout (a contract shared with the host-call convention and, later, the JIT):
//   fp[0 .. param_slots)            parameters; results are written back here on return
//   fp[param_slots .. local_slots)  declared locals, zeroed on entry
//   fp[local_slots .. frame_slots)  operand-stack slots; a value's home slot is fixed by its
//                                   stack position (v128 values take two slots)
// A call passes its arguments in the caller's operand slots; the callee's frame starts at the
// first argument, so arguments and results are never copied between frames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "decoder/opcodes.h"

namespace zinc::vm::interp {

/// Internal-only instructions: X(Name, operands, imm_bytes).
#define ZINC_INTERNAL_IOPS(X)                                                                 \
  X(Invalid, 0, 0)          /* never emitted: handler of rows without one */                 \
  X(Trap, 1, 0)             /* code */                                                       \
  X(Copy64, 2, 0)           /* dst, src */                                                   \
  X(Copy128, 2, 0)          /* dst, src */                                                   \
  X(Const64, 1, 8)          /* dst; imm64 */                                                 \
  X(Const128, 1, 16)        /* dst; v128 */                                                  \
  X(Br, 1, 0)               /* target */                                                     \
  X(BrIf, 2, 0)             /* cond, target: branch if cond (i32) != 0 */                    \
  X(BrUnless, 2, 0)         /* cond, target: branch if cond (i32) == 0 */                    \
  X(BrTable, 2, 0)          /* index, count; then count+1 int32 targets, padded */           \
  X(Return, 0, 0)           /* results are already in fp[0..] */                             \
  X(Call, 2, 0)             /* func index, frame offset of the first argument */             \
  X(CallIndirect, 4, 0)     /* table, type id, index slot, frame offset */                   \
  X(Select64, 4, 0)         /* dst, a, b, cond */                                            \
  X(Select128, 4, 0)        /* dst, a, b, cond */                                            \
  X(GlobalGet64, 2, 0)      /* dst, global */                                                \
  X(GlobalGet128, 2, 0)     /* dst, global */                                                \
  X(GlobalSet64, 2, 0)      /* src, global */                                                \
  X(GlobalSet128, 2, 0)     /* src, global */                                                \
  X(RefIsNull, 2, 0)        /* dst, src */                                                   \
  X(RefFunc, 2, 0)          /* dst, func index */                                            \
  X(TableGet, 3, 0)         /* dst, table, index */                                          \
  X(TableSet, 3, 0)         /* table, index, value */                                        \
  X(TableSize, 2, 0)        /* dst, table */                                                 \
  X(TableGrow, 4, 0)        /* dst, table, init, delta */                                    \
  X(TableFill, 4, 0)        /* table, index, value, count */                                 \
  X(TableCopy, 5, 0)        /* dst table, src table, d, s, n */                              \
  X(TableInit, 5, 0)        /* table, elem, d, s, n */                                       \
  X(ElemDrop, 1, 0)         /* elem */                                                       \
  X(MemorySize, 2, 0)       /* dst, memory */                                                \
  X(MemoryGrow, 3, 0)       /* dst, memory, delta */                                         \
  X(MemoryFill, 4, 0)       /* memory, d, value, n */                                        \
  X(MemoryCopy, 5, 0)       /* dst memory, src memory, d, s, n */                            \
  X(MemoryInit, 5, 0)       /* memory, data, d, s, n */                                      \
  X(DataDrop, 1, 0)         /* data */                                                       \
  X(Fuel, 1, 0)             /* instructions to charge */                                     \
  X(Epoch, 0, 0)            /* interrupt check */                                            \
  X(I8x16Shuffle, 3, 16)    /* dst, a, b; lane bytes */                                      \
  X(BrIfEqz64, 2, 0)        /* reserved */

/// Comparisons that fuse with a following conditional branch (compare+branch superinstructions:
/// `br_if (i32.lt_s a b)` is one dispatch). Each gets four IOps: branch when true / when false,
/// with the second operand in a slot / as an immediate. Layout: a, [b,] target [; imm].
#define ZINC_FUSED_COMPARES(C) \
  C(I32Eqz) C(I32Eq) C(I32Ne) C(I32LtS) C(I32LtU) C(I32GtS) C(I32GtU) C(I32LeS) C(I32LeU)    \
  C(I32GeS) C(I32GeU) C(I64Eqz) C(I64Eq) C(I64Ne) C(I64LtS) C(I64LtU) C(I64GtS) C(I64GtU)    \
  C(I64LeS) C(I64LeU) C(I64GeS) C(I64GeU)

/// Loads that fuse with the i32.add computing their address (`load (i32.add base k)` is the most
/// frequent instruction pair in compiled C): the handler adds with 32-bit wrap-around, exactly
/// as the separate i32.add would, then applies the memarg offset. Four IOps each: the addend an
/// immediate or a slot, times guard-page or bounds-checked memory. The sum is also stored to the
/// add's own destination (a local when the address was `local.tee`d, else a dead temporary), so
/// the fusion applies whether or not the address is reused. Layout: dst, base, addend
/// (immediate value or slot), sum; offset (8 bytes).
#define ZINC_FUSED_LOADS(L)                                                                    \
  L(I32Load) L(I64Load) L(F32Load) L(F64Load) L(I32Load8S) L(I32Load8U) L(I32Load16S)        \
  L(I32Load16U) L(I64Load8S) L(I64Load8U) L(I64Load16S) L(I64Load16U) L(I64Load32S)          \
  L(I64Load32U) L(V128Load)

enum class IOp : uint16_t {
#define V(N, P, C, T, I, S, F) N, N##_v1, N##_v2, N##_v3,
#include "decoder/opcodes.def"
#undef V
#define X(N, ops, imm) X_##N,
  ZINC_INTERNAL_IOPS(X)
#undef X
#define C(N) BrIf_##N, BrIfImm_##N, BrUnless_##N, BrUnlessImm_##N,
  ZINC_FUSED_COMPARES(C)
#undef C
#define L(N) LoadAddImm_##N, LoadAddImmChecked_##N, LoadAdd_##N, LoadAddChecked_##N,
  ZINC_FUSED_LOADS(L)
#undef L
      Count
};

constexpr bool is_fused_load(decoder::Opcode op) {
  switch (op) {
#define L(N) case decoder::Opcode::N:
    ZINC_FUSED_LOADS(L)
#undef L
    return true;
    default:
      return false;
  }
}
constexpr IOp fused_load(decoder::Opcode op, bool imm_addend, bool checked) {
  switch (op) {
#define L(N)                                                                    \
  case decoder::Opcode::N:                                                      \
    return imm_addend ? (checked ? IOp::LoadAddImmChecked_##N : IOp::LoadAddImm_##N) \
                      : (checked ? IOp::LoadAddChecked_##N : IOp::LoadAdd_##N);
    ZINC_FUSED_LOADS(L)
#undef L
    default:
      return IOp::X_Invalid;
  }
}

/// The fused compare-and-branch IOp for comparison `op` (which must be listed in
/// ZINC_FUSED_COMPARES): branch when the comparison is `when`, second operand immediate or not.
constexpr bool is_fused_compare(decoder::Opcode op) {
  switch (op) {
#define C(N) case decoder::Opcode::N:
    ZINC_FUSED_COMPARES(C)
#undef C
    return true;
    default:
      return false;
  }
}
constexpr IOp fused_branch(decoder::Opcode op, bool when, bool imm) {
  switch (op) {
#define C(N)                                                          \
  case decoder::Opcode::N:                                            \
    return when ? (imm ? IOp::BrIfImm_##N : IOp::BrIf_##N)            \
                : (imm ? IOp::BrUnlessImm_##N : IOp::BrUnless_##N);
    ZINC_FUSED_COMPARES(C)
#undef C
    default:
      return IOp::X_Invalid;
  }
}

/// Variants of a row (see the top of this file).
inline constexpr unsigned kVariantsPerRow = 4;
inline constexpr unsigned kImmVariant = 1;    // computational: second operand immediate
inline constexpr unsigned kImmLhsVariant = 2;  // computational: first operand immediate
inline constexpr unsigned kCheckedVariant = 1;  // memory: explicit bounds check
inline constexpr unsigned kAbsVariant = 2;      // memory: constant address (+ kCheckedVariant)

constexpr IOp iop_of(decoder::Opcode op, unsigned variant = 0) {
  return static_cast<IOp>(kVariantsPerRow * static_cast<unsigned>(op) + variant);
}
/// The row and variant of an IOp below kRowIOps.
inline constexpr unsigned kRowIOps = kVariantsPerRow * decoder::kNumOpcodes;
constexpr decoder::Opcode row_of(IOp op) {
  return static_cast<decoder::Opcode>(static_cast<unsigned>(op) / kVariantsPerRow);
}
constexpr unsigned variant_of(IOp op) { return static_cast<unsigned>(op) % kVariantsPerRow; }

struct IOpLayout {
  uint8_t operands = 0;   // 32-bit fields after the handler
  uint8_t imm_bytes = 0;  // immediate bytes after the (8-aligned) operands
  constexpr uint32_t imm_offset() const { return (8 + 4u * operands + 7) & ~7u; }
  constexpr uint32_t size() const { return imm_offset() + imm_bytes; }
};

/// Binary operators with immediate-operand variants: scalar operators whose two operands have
/// the same type (arithmetic, bitwise, shifts, comparisons of i32/i64/f32/f64), the
/// `x op const` and `const op x` forms that dominate real code. The immediate is the operand's
/// bit pattern in the low bytes of 8.
constexpr bool has_imm_variant(decoder::Opcode op) {
  using decoder::SigType;
  const decoder::OpcodeInfo& info = decoder::opcode_info(op);
  if (info.imm != decoder::ImmKind::None || info.sig.special || info.sig.num_params != 2) {
    return false;
  }
  const SigType a = info.sig.params[0];
  const SigType b = info.sig.params[1];
  return a == b && a != SigType::V128 && a != SigType::Addr;
}

/// Layout of row `op`, variant `variant`.
constexpr IOpLayout row_layout(decoder::Opcode op, unsigned variant) {
  using decoder::ImmKind;
  const decoder::OpcodeInfo& info = decoder::opcode_info(op);
  const uint8_t values = static_cast<uint8_t>(info.sig.num_params + info.sig.num_results);
  switch (info.imm) {
    case ImmKind::None:
      if (variant == 0) return {values, 0};
      if (variant <= kImmLhsVariant && has_imm_variant(op)) return {2, 8};  // dst, x; imm
      return {0, 0};
    case ImmKind::Lane:
      return variant == 0 ? IOpLayout{static_cast<uint8_t>(values + 1), 0} : IOpLayout{};
    case ImmKind::MemArg:  // [dst,] addr, [value]; offset -- constant address: no addr
      return {static_cast<uint8_t>(variant >= kAbsVariant ? values - 1 : values), 8};
    case ImmKind::MemArgLane:  // + lane
      return {static_cast<uint8_t>(variant >= kAbsVariant ? values : values + 1), 8};
    default:
      return {0, 0};
  }
}

/// Layout of the immediate variant of a binary operator: dst, a; imm (8 bytes).
inline constexpr IOpLayout kImmBinaryLayout{2, 8};

constexpr IOpLayout iop_layout(IOp op) {
  if (static_cast<unsigned>(op) < kRowIOps) return row_layout(row_of(op), variant_of(op));
  switch (op) {
#define X(N, ops, imm) \
  case IOp::X_##N:     \
    return {ops, imm};
    ZINC_INTERNAL_IOPS(X)
#undef X
#define C(N)                                                                            \
  case IOp::BrIf_##N:                                                                   \
  case IOp::BrUnless_##N:                                                               \
    return {static_cast<uint8_t>(decoder::opcode_info(decoder::Opcode::N).sig.num_params + 1), \
            0};                                                                         \
  case IOp::BrIfImm_##N:                                                                \
  case IOp::BrUnlessImm_##N:                                                            \
    return {2, 8};
    ZINC_FUSED_COMPARES(C)
#undef C
#define L(N)                      \
  case IOp::LoadAddImm_##N:       \
  case IOp::LoadAddImmChecked_##N: \
  case IOp::LoadAdd_##N:          \
  case IOp::LoadAddChecked_##N:   \
    return {4, 8};
    ZINC_FUSED_LOADS(L)
#undef L
    default:
      return {0, 0};
  }
}

namespace detail {
struct LayoutTable {
  IOpLayout entries[static_cast<size_t>(IOp::Count)];
  constexpr LayoutTable() : entries() {
    for (size_t i = 0; i < static_cast<size_t>(IOp::Count); ++i) {
      entries[i] = iop_layout(static_cast<IOp>(i));
    }
  }
};
inline constexpr LayoutTable kLayouts{};
}  // namespace detail

/// iop_layout by table lookup, for run-time IOps (the translator's hot path).
inline const IOpLayout& layout_at(IOp op) {
  return detail::kLayouts.entries[static_cast<size_t>(op)];
}

/// Maps an internal code offset back to the wasm instruction it came from.
struct OffsetEntry {
  uint32_t code_offset;  // start of the internal instruction
  uint32_t wasm_offset;  // module byte offset of the wasm instruction
};

/// A translated function. Immutable once published.
struct FuncCode {
  std::vector<uint8_t> bytes;      // the instructions (8-aligned storage)
  uint32_t param_slots = 0;
  uint32_t local_slots = 0;        // params + declared locals
  uint32_t frame_slots = 0;        // locals + deepest operand stack
  std::vector<OffsetEntry> offsets;  // sorted by code_offset: every trap or call site
  uint32_t func_index = 0;

  const uint8_t* start() const { return bytes.data(); }
  /// The wasm offset of the instruction containing `pc` (0 if unknown).
  uint32_t wasm_offset(const uint8_t* pc) const;
};

}  // namespace zinc::vm::interp

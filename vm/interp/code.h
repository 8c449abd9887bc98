// vm/interp/code.h: the interpreter's internal code: instruction numbering, encoding and the
// translated function.
//
// Internal opcodes (IOp) have their own numbering space (never reused wasm bytes). Every row of
// decoder/opcodes.def owns two IOps: `2*opcode` and `2*opcode + 1`; for computational rows the
// second is the variant whose last operand is an immediate, for memory rows it is the variant
// with explicit bounds checks. Internal-only instructions (moves, branches, calls, ...) follow,
// from iops.def. Rows without an interpreter handler map to the invalid-instruction handler.
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

enum class IOp : uint16_t {
#define V(N, P, C, T, I, S, F) N, N##_v1,
#include "decoder/opcodes.def"
#undef V
#define X(N, ops, imm) X_##N,
  ZINC_INTERNAL_IOPS(X)
#undef X
#define C(N) BrIf_##N, BrIfImm_##N, BrUnless_##N, BrUnlessImm_##N,
  ZINC_FUSED_COMPARES(C)
#undef C
      Count
};

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

constexpr IOp iop_of(decoder::Opcode op, unsigned variant = 0) {
  return static_cast<IOp>(2 * static_cast<unsigned>(op) + variant);
}

struct IOpLayout {
  uint8_t operands = 0;   // 32-bit fields after the handler
  uint8_t imm_bytes = 0;  // immediate bytes after the (8-aligned) operands
  constexpr uint32_t imm_offset() const { return (8 + 4u * operands + 7) & ~7u; }
  constexpr uint32_t size() const { return imm_offset() + imm_bytes; }
};

/// Layout of the instruction rows of opcodes.def, by immediate kind and signature.
constexpr IOpLayout row_layout(decoder::Opcode op) {
  using decoder::ImmKind;
  const decoder::OpcodeInfo& info = decoder::opcode_info(op);
  const uint8_t values = static_cast<uint8_t>(info.sig.num_params + info.sig.num_results);
  switch (info.imm) {
    case ImmKind::None:
      return {values, 0};
    case ImmKind::Lane:
      return {static_cast<uint8_t>(values + 1), 0};  // + lane index
    case ImmKind::MemArg:
      return {values, 8};  // + offset
    case ImmKind::MemArgLane:
      return {static_cast<uint8_t>(values + 1), 8};  // + lane; offset
    default:
      return {0, 0};
  }
}

/// Binary operators with an immediate-operand variant (`2*opcode + 1`): i32/i64 arithmetic,
/// bitwise, shifts and comparisons, the `x op const` forms that dominate real code.
constexpr bool has_imm_variant(decoder::Opcode op) {
  using decoder::SigType;
  const decoder::OpcodeInfo& info = decoder::opcode_info(op);
  if (info.imm != decoder::ImmKind::None || info.sig.special || info.sig.num_params != 2) {
    return false;
  }
  const SigType a = info.sig.params[0];
  const SigType b = info.sig.params[1];
  return (a == SigType::I32 && b == SigType::I32) || (a == SigType::I64 && b == SigType::I64);
}

/// Layout of the immediate variant of a binary operator: dst, a; imm (8 bytes).
inline constexpr IOpLayout kImmBinaryLayout{2, 8};

constexpr IOpLayout iop_layout(IOp op) {
  const unsigned n = static_cast<unsigned>(op);
  constexpr unsigned kRows = 2 * decoder::kNumOpcodes;
  if (n < kRows) {
    const auto row = static_cast<decoder::Opcode>(n / 2);
    if (n % 2 == 1 && decoder::opcode_info(row).imm == decoder::ImmKind::None) {
      return kImmBinaryLayout;
    }
    return row_layout(row);
  }
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
    default:
      return {0, 0};
  }
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

// vm/op_semantics.h: the operation-semantics contract shared by every execution tier.
//
// `OpSem<Opcode::X>` is specialised once per computational instruction (vm/semantics.h for the
// scalar ones, vm/simd_semantics.h for SIMD). The interpreter, constant expressions, the JIT's
// slow paths and the tests all call these, so each instruction's meaning is written once
// (STYLE.md "One semantics.h").
//
// Value representation by signature letter of opcodes.def:
//   i -> uint32_t, l -> uint64_t, f -> float, d -> double, v -> V128 (vm/v128.h).
// Integers are unsigned (wrap-around is defined); signed operations cast inside.
//
// Shapes of a specialisation:
//   non-trapping:  static R apply(A a, B b);           // arity as in the signature
//   trapping:      static constexpr bool kTraps = true;
//                  static TrapCode apply(A a, B b, R& out);  // TrapCode::None on success
//   lane ops:      static R apply(V128 v, uint8_t lane) / apply(V128 v, T x, uint8_t lane)
//   shuffle:       static V128 apply(V128 a, V128 b, const V128& lanes)
// Memory instructions are split: the tier does the access (bounds, guard pages); OpSem gives
// the value transformation where there is one (e.g. v128.load8x8_s from the 8 loaded bytes).
#pragma once

#include "decoder/opcodes.h"
#include "vm/traps.h"
#include "vm/v128.h"

namespace zinc::vm {

template <decoder::Opcode kOp>
struct OpSem;  // specialised per instruction; undefined for control/variable/memory ops

}  // namespace zinc::vm

// vm/semantics.h: the meaning of every scalar numeric instruction (OpSem, vm/op_semantics.h).
//
// Owns `OpSem<Opcode::X>` for each non-SIMD row of decoder/opcodes.def with immediate kind None
// and a real signature ("i:i", "dd:d", ...): comparisons, integer and float arithmetic, bit
// counting, shifts, conversions, sign extension and saturating truncation. Also the float bit
// helpers (float_bits, is_nan, canonical_nan, ...) and per-type helpers (float_min,
// trunc_checked<I>, trunc_sat<I>, ...) that SIMD lanes, constant folding and the JIT's slow
// paths reuse. Spec: https://webassembly.github.io/spec/core/exec/numerics.html
//
// Invariants:
// - No undefined behaviour for any input: integers are unsigned and signed views are taken by
//   C++20's modular conversion; shift counts are reduced modulo the width; div/rem rule out
//   x/0 and INT_MIN/-1 before dividing; float->int casts happen only after a range check.
// - abs, neg, copysign and the reinterpret ops are pure bit operations (NaN payloads survive).
// - A NaN result is an arithmetic (quiet) NaN; where the spec requires it (all NaN inputs
//   canonical) it is canonical. min/max quiet the first NaN operand, like x86 `addss`.
// - Needs IEEE 754 binary32/binary64 arithmetic evaluated at its own precision in
//   round-to-nearest-even (x86-64 SSE, AArch64), and no -ffast-math.
// tests/vm/semantics_test.cc checks every row of opcodes.def has a specialisation of the shape
// its signature says.
#pragma once

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "decoder/opcodes.h"
#include "vm/op_semantics.h"
#include "vm/traps.h"

#ifdef __FAST_MATH__
#error "vm/semantics.h needs IEEE 754 semantics: do not build Zinc with -ffast-math"
#endif

namespace zinc::vm {

static_assert(std::numeric_limits<float>::is_iec559 && std::numeric_limits<double>::is_iec559,
              "wasm f32/f64 are IEEE 754 binary32/binary64");
static_assert(FLT_EVAL_METHOD == 0, "float arithmetic must round at its own precision (no x87)");

// ---- Float bits ----------------------------------------------------------------------------

/// Bit layout of an IEEE 754 type: the unsigned integer of the same width and its fields.
template <typename F>
struct FloatLayout;
template <>
struct FloatLayout<float> {
  using Bits = uint32_t;
  static constexpr Bits kSign = 0x8000'0000u;
  static constexpr Bits kExponent = 0x7F80'0000u;
  static constexpr Bits kQuiet = 0x0040'0000u;  // top mantissa bit: set in quiet NaNs
};
template <>
struct FloatLayout<double> {
  using Bits = uint64_t;
  static constexpr Bits kSign = 0x8000'0000'0000'0000u;
  static constexpr Bits kExponent = 0x7FF0'0000'0000'0000u;
  static constexpr Bits kQuiet = 0x0008'0000'0000'0000u;
};

template <typename F>
using FloatBitsT = typename FloatLayout<F>::Bits;

/// The IEEE 754 encoding of a float / double.
constexpr uint32_t float_bits(float x) {
  return std::bit_cast<uint32_t>(x);
}
constexpr uint64_t float_bits(double x) {
  return std::bit_cast<uint64_t>(x);
}

/// The float / double with the given encoding.
template <typename F>
constexpr F float_from_bits(FloatBitsT<F> bits) {
  return std::bit_cast<F>(bits);
}

/// True for any NaN (quiet or signalling). Decided on the bits, so it holds under any flags.
template <typename F>
constexpr bool is_nan(F x) {
  using L = FloatLayout<F>;
  return (float_bits(x) & ~L::kSign) > L::kExponent;
}

/// The spec's canonical NaN: positive, quiet bit only (f32 0x7fc00000, f64 0x7ff8000000000000).
template <typename F>
constexpr F canonical_nan() {
  using L = FloatLayout<F>;
  return float_from_bits<F>(L::kExponent | L::kQuiet);
}

/// A canonical NaN of either sign (the spec's `nan:canonical`).
template <typename F>
constexpr bool is_canonical_nan(F x) {
  using L = FloatLayout<F>;
  return (float_bits(x) & ~L::kSign) == (L::kExponent | L::kQuiet);
}

/// A NaN with the quiet bit set, any payload and sign (the spec's `nan:arithmetic`).
template <typename F>
constexpr bool is_arithmetic_nan(F x) {
  using L = FloatLayout<F>;
  return (float_bits(x) & (L::kExponent | L::kQuiet)) == (L::kExponent | L::kQuiet);
}

/// `x` with the quiet bit set: turns any NaN into an arithmetic NaN with the same payload.
template <typename F>
constexpr F quiet_nan(F x) {
  return float_from_bits<F>(float_bits(x) | FloatLayout<F>::kQuiet);
}

// ---- Integer helpers -----------------------------------------------------------------------
// T is uint32_t or uint64_t throughout (the value representation of i32 / i64).

/// The two's-complement signed view of an unsigned value (modular conversion in C++20).
template <typename T>
constexpr std::make_signed_t<T> as_signed(T x) {
  return static_cast<std::make_signed_t<T>>(x);
}

/// A shift or rotate count reduced modulo the bit width, as the spec requires.
template <typename T>
constexpr T shift_count(T count) {
  return count & static_cast<T>(std::numeric_limits<T>::digits - 1);
}

template <typename T>
constexpr T int_shl(T a, T b) {
  return static_cast<T>(a << shift_count(b));
}
template <typename T>
constexpr T int_shr_s(T a, T b) {
  return static_cast<T>(as_signed(a) >> shift_count(b));  // arithmetic shift: defined in C++20
}
template <typename T>
constexpr T int_shr_u(T a, T b) {
  return static_cast<T>(a >> shift_count(b));
}
template <typename T>
constexpr T int_rotl(T a, T b) {
  return std::rotl(a, static_cast<int>(shift_count(b)));
}
template <typename T>
constexpr T int_rotr(T a, T b) {
  return std::rotr(a, static_cast<int>(shift_count(b)));
}

template <typename T>
constexpr TrapCode int_div_u(T a, T b, T& out) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  out = a / b;
  return TrapCode::None;
}
template <typename T>
constexpr TrapCode int_rem_u(T a, T b, T& out) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  out = a % b;
  return TrapCode::None;
}
template <typename T>
constexpr TrapCode int_div_s(T a, T b, T& out) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  constexpr T kMin = T{1} << (std::numeric_limits<T>::digits - 1);
  if (a == kMin && b == static_cast<T>(-1)) return TrapCode::IntegerOverflow;  // 2^(N-1)
  out = static_cast<T>(as_signed(a) / as_signed(b));
  return TrapCode::None;
}
template <typename T>
constexpr TrapCode int_rem_s(T a, T b, T& out) {
  if (b == 0) return TrapCode::IntegerDivideByZero;
  // INT_MIN % -1 is 0 in wasm but undefined in C++; x % -1 is 0 for every x.
  out = b == static_cast<T>(-1) ? T{0} : static_cast<T>(as_signed(a) % as_signed(b));
  return TrapCode::None;
}

/// Sign-extends the low `Narrow` bits of `x` to all of T (i32.extend8_s, i64.extend32_s, ...).
template <typename Narrow, typename T>
constexpr T sign_extend(T x) {
  return static_cast<T>(static_cast<std::make_signed_t<T>>(static_cast<Narrow>(x)));
}

// ---- Float helpers -------------------------------------------------------------------------

template <typename F>
constexpr F float_abs(F x) {
  return float_from_bits<F>(float_bits(x) & ~FloatLayout<F>::kSign);
}
template <typename F>
constexpr F float_neg(F x) {
  return float_from_bits<F>(float_bits(x) ^ FloatLayout<F>::kSign);
}
template <typename F>
constexpr F float_copysign(F magnitude, F sign) {
  constexpr auto kSign = FloatLayout<F>::kSign;
  return float_from_bits<F>((float_bits(magnitude) & ~kSign) | (float_bits(sign) & kSign));
}

/// wasm fmin: NaN if either operand is (the first NaN operand, quieted); -0 < +0.
/// std::fmin is not this: it returns the other operand when one is NaN.
template <typename F>
constexpr F float_min(F a, F b) {
  if (is_nan(a)) return quiet_nan(a);
  if (is_nan(b)) return quiet_nan(b);
  // Equal operands are identical except for ±0, where OR-ing the bits picks -0.
  if (a == b) return float_from_bits<F>(float_bits(a) | float_bits(b));
  return a < b ? a : b;
}

/// wasm fmax: NaN if either operand is (the first NaN operand, quieted); +0 > -0.
template <typename F>
constexpr F float_max(F a, F b) {
  if (is_nan(a)) return quiet_nan(a);
  if (is_nan(b)) return quiet_nan(b);
  if (a == b) return float_from_bits<F>(float_bits(a) & float_bits(b));  // ±0 -> +0
  return a > b ? a : b;
}

// Rounding functions. The spec wants a NaN operand to come back quieted (an arithmetic NaN);
// glibc's ceil/floor/trunc/rint return a signalling NaN unchanged (only the SSE4.1 / AArch64
// rounding instructions quiet it), so NaNs are handled here. Zeros keep their sign. Not
// constexpr (<cmath>).
template <typename F>
inline F float_ceil(F x) {
  return is_nan(x) ? quiet_nan(x) : std::ceil(x);
}
template <typename F>
inline F float_floor(F x) {
  return is_nan(x) ? quiet_nan(x) : std::floor(x);
}
template <typename F>
inline F float_trunc(F x) {
  return is_nan(x) ? quiet_nan(x) : std::trunc(x);
}
/// Round to nearest, ties to even. std::rint rounds in the current mode, which wasm code can
/// never change from round-to-nearest-even; unlike nearbyint it need not save and restore the
/// floating-point environment (the inexact flag it may raise is invisible to wasm).
template <typename F>
inline F float_nearest(F x) {
  return is_nan(x) ? quiet_nan(x) : std::rint(x);
}
/// sqrt is one hardware instruction (sqrtss/sqrtsd, fsqrt), which quiets NaNs itself.
template <typename F>
inline F float_sqrt(F x) {
  return std::sqrt(x);
}

// ---- Float -> integer truncation -----------------------------------------------------------

/// Whether trunc(x) fits the integer type I (int32_t, uint32_t, int64_t or uint64_t), for a
/// non-NaN x. The bounds are exact in F: 2^N and 2^(N-1) are powers of two, -1 is exact, and
/// -2^(N-1)-1 is used only when F has the N significant bits to hold it; otherwise no F lies
/// strictly between -2^(N-1)-1 and -2^(N-1), so `x >= -2^(N-1)` is the same test.
template <typename I, typename F>
constexpr bool trunc_in_range(F x) {
  constexpr int kBits = std::numeric_limits<I>::digits;  // excludes the sign bit
  constexpr F kUpper = static_cast<F>(std::numeric_limits<I>::max() / 2 + 1) * F{2};  // 2^kBits
  if constexpr (std::is_unsigned_v<I>) {
    return x > F{-1} && x < kUpper;
  } else if constexpr (std::numeric_limits<F>::digits > kBits) {
    return x > -kUpper - F{1} && x < kUpper;
  } else {
    return x >= -kUpper && x < kUpper;
  }
}

/// The trapping truncation (i32.trunc_f32_s, ...): I selects the range and signedness, the
/// result is stored in I's unsigned representation.
template <typename I, typename F>
constexpr TrapCode trunc_checked(F x, std::make_unsigned_t<I>& out) {
  if (is_nan(x)) return TrapCode::InvalidConversion;
  if (!trunc_in_range<I>(x)) return TrapCode::IntegerOverflow;
  out = static_cast<std::make_unsigned_t<I>>(static_cast<I>(x));
  return TrapCode::None;
}

/// The saturating truncation (i32.trunc_sat_f32_s, ...): NaN -> 0, out of range -> I's min or
/// max, in I's unsigned representation.
template <typename I, typename F>
constexpr std::make_unsigned_t<I> trunc_sat(F x) {
  using U = std::make_unsigned_t<I>;
  if (is_nan(x)) return 0;
  if (trunc_in_range<I>(x)) return static_cast<U>(static_cast<I>(x));
  return static_cast<U>(x < F{0} ? std::numeric_limits<I>::min() : std::numeric_limits<I>::max());
}

// ---- OpSem specialisations -----------------------------------------------------------------
// Generated per family from small macros; the names follow opcodes.def. Operands are `a`
// (and `b`), the second one on top of the wasm stack.

// clang-format off
#define ZINC_SEM_SPEC(Op) template <> struct OpSem<decoder::Opcode::Op>

// Non-trapping: constexpr (CX = constexpr) or not (CX empty, for <cmath> calls).
#define ZINC_SEM_UNARY(Op, CX, R, A, expr)                                                     \
  ZINC_SEM_SPEC(Op) {                                                                          \
    [[gnu::always_inline]] static CX inline R apply(A a) { return expr; }                      \
  };
#define ZINC_SEM_BINARY(Op, CX, R, A, expr)                                                    \
  ZINC_SEM_SPEC(Op) {                                                                          \
    [[gnu::always_inline]] static CX inline R apply(A a, A b) { return expr; }                 \
  };
// Trapping: `fn(operands..., out)` returns the TrapCode.
#define ZINC_SEM_TRAP_UNARY(Op, R, A, fn)                                                      \
  ZINC_SEM_SPEC(Op) {                                                                          \
    static constexpr bool kTraps = true;                                                       \
    [[gnu::always_inline]] static constexpr TrapCode apply(A a, R& out) { return fn(a, out); } \
  };
#define ZINC_SEM_TRAP_BINARY(Op, T, fn)                                                        \
  ZINC_SEM_SPEC(Op) {                                                                          \
    static constexpr bool kTraps = true;                                                       \
    [[gnu::always_inline]] static constexpr TrapCode apply(T a, T b, T& out) {                 \
      return fn(a, b, out);                                                                    \
    }                                                                                          \
  };

// i32 (P = I32, T = uint32_t) and i64 (P = I64, T = uint64_t). Comparisons yield an i32.
#define ZINC_SEM_INT_FAMILY(P, T)                                                              \
  ZINC_SEM_UNARY(P##Eqz, constexpr, uint32_t, T, a == 0)                                       \
  ZINC_SEM_BINARY(P##Eq, constexpr, uint32_t, T, a == b)                                       \
  ZINC_SEM_BINARY(P##Ne, constexpr, uint32_t, T, a != b)                                       \
  ZINC_SEM_BINARY(P##LtS, constexpr, uint32_t, T, as_signed(a) < as_signed(b))                 \
  ZINC_SEM_BINARY(P##LtU, constexpr, uint32_t, T, a < b)                                       \
  ZINC_SEM_BINARY(P##GtS, constexpr, uint32_t, T, as_signed(a) > as_signed(b))                 \
  ZINC_SEM_BINARY(P##GtU, constexpr, uint32_t, T, a > b)                                       \
  ZINC_SEM_BINARY(P##LeS, constexpr, uint32_t, T, as_signed(a) <= as_signed(b))                \
  ZINC_SEM_BINARY(P##LeU, constexpr, uint32_t, T, a <= b)                                      \
  ZINC_SEM_BINARY(P##GeS, constexpr, uint32_t, T, as_signed(a) >= as_signed(b))                \
  ZINC_SEM_BINARY(P##GeU, constexpr, uint32_t, T, a >= b)                                      \
  ZINC_SEM_UNARY(P##Clz, constexpr, T, T, static_cast<T>(std::countl_zero(a)))                 \
  ZINC_SEM_UNARY(P##Ctz, constexpr, T, T, static_cast<T>(std::countr_zero(a)))                 \
  ZINC_SEM_UNARY(P##Popcnt, constexpr, T, T, static_cast<T>(std::popcount(a)))                 \
  ZINC_SEM_BINARY(P##Add, constexpr, T, T, static_cast<T>(a + b))                              \
  ZINC_SEM_BINARY(P##Sub, constexpr, T, T, static_cast<T>(a - b))                              \
  ZINC_SEM_BINARY(P##Mul, constexpr, T, T, static_cast<T>(a * b))                              \
  ZINC_SEM_TRAP_BINARY(P##DivS, T, int_div_s)                                                  \
  ZINC_SEM_TRAP_BINARY(P##DivU, T, int_div_u)                                                  \
  ZINC_SEM_TRAP_BINARY(P##RemS, T, int_rem_s)                                                  \
  ZINC_SEM_TRAP_BINARY(P##RemU, T, int_rem_u)                                                  \
  ZINC_SEM_BINARY(P##And, constexpr, T, T, a & b)                                              \
  ZINC_SEM_BINARY(P##Or, constexpr, T, T, a | b)                                               \
  ZINC_SEM_BINARY(P##Xor, constexpr, T, T, a ^ b)                                              \
  ZINC_SEM_BINARY(P##Shl, constexpr, T, T, int_shl(a, b))                                      \
  ZINC_SEM_BINARY(P##ShrS, constexpr, T, T, int_shr_s(a, b))                                   \
  ZINC_SEM_BINARY(P##ShrU, constexpr, T, T, int_shr_u(a, b))                                   \
  ZINC_SEM_BINARY(P##Rotl, constexpr, T, T, int_rotl(a, b))                                    \
  ZINC_SEM_BINARY(P##Rotr, constexpr, T, T, int_rotr(a, b))                                    \
  ZINC_SEM_UNARY(P##Extend8S, constexpr, T, T, sign_extend<int8_t>(a))                         \
  ZINC_SEM_UNARY(P##Extend16S, constexpr, T, T, sign_extend<int16_t>(a))

// f32 (P = F32, T = float) and f64 (P = F64, T = double). IEEE comparisons are false on NaN
// (ne is true); add/sub/mul/div are the hardware's round-to-nearest operations.
#define ZINC_SEM_FLOAT_FAMILY(P, T)                                                            \
  ZINC_SEM_BINARY(P##Eq, constexpr, uint32_t, T, a == b)                                       \
  ZINC_SEM_BINARY(P##Ne, constexpr, uint32_t, T, a != b)                                       \
  ZINC_SEM_BINARY(P##Lt, constexpr, uint32_t, T, a < b)                                        \
  ZINC_SEM_BINARY(P##Gt, constexpr, uint32_t, T, a > b)                                        \
  ZINC_SEM_BINARY(P##Le, constexpr, uint32_t, T, a <= b)                                       \
  ZINC_SEM_BINARY(P##Ge, constexpr, uint32_t, T, a >= b)                                       \
  ZINC_SEM_UNARY(P##Abs, constexpr, T, T, float_abs(a))                                        \
  ZINC_SEM_UNARY(P##Neg, constexpr, T, T, float_neg(a))                                        \
  ZINC_SEM_UNARY(P##Ceil, , T, T, float_ceil(a))                                               \
  ZINC_SEM_UNARY(P##Floor, , T, T, float_floor(a))                                             \
  ZINC_SEM_UNARY(P##Trunc, , T, T, float_trunc(a))                                             \
  ZINC_SEM_UNARY(P##Nearest, , T, T, float_nearest(a))                                         \
  ZINC_SEM_UNARY(P##Sqrt, , T, T, float_sqrt(a))                                               \
  ZINC_SEM_BINARY(P##Add, constexpr, T, T, a + b)                                              \
  ZINC_SEM_BINARY(P##Sub, constexpr, T, T, a - b)                                              \
  ZINC_SEM_BINARY(P##Mul, constexpr, T, T, a * b)                                              \
  ZINC_SEM_BINARY(P##Div, constexpr, T, T, a / b)                                              \
  ZINC_SEM_BINARY(P##Min, constexpr, T, T, float_min(a, b))                                    \
  ZINC_SEM_BINARY(P##Max, constexpr, T, T, float_max(a, b))                                    \
  ZINC_SEM_BINARY(P##Copysign, constexpr, T, T, float_copysign(a, b))

// Float -> integer truncations, trapping and saturating, for one integer result type:
// R = I32 / I64, S / U = the signed / unsigned C++ type.
#define ZINC_SEM_TRUNC_FAMILY(R, S, U)                                                         \
  ZINC_SEM_TRAP_UNARY(R##TruncF32S, U, float, trunc_checked<S>)                                \
  ZINC_SEM_TRAP_UNARY(R##TruncF32U, U, float, trunc_checked<U>)                                \
  ZINC_SEM_TRAP_UNARY(R##TruncF64S, U, double, trunc_checked<S>)                               \
  ZINC_SEM_TRAP_UNARY(R##TruncF64U, U, double, trunc_checked<U>)                               \
  ZINC_SEM_UNARY(R##TruncSatF32S, constexpr, U, float, trunc_sat<S>(a))                        \
  ZINC_SEM_UNARY(R##TruncSatF32U, constexpr, U, float, trunc_sat<U>(a))                        \
  ZINC_SEM_UNARY(R##TruncSatF64S, constexpr, U, double, trunc_sat<S>(a))                       \
  ZINC_SEM_UNARY(R##TruncSatF64U, constexpr, U, double, trunc_sat<U>(a))

// Integer -> float conversions for one float result type F (P = F32 / F64). A single C++ cast
// from a 32- or 64-bit integer is one correctly rounded conversion (cvtsi2ss/sd, scvtf/ucvtf;
// GCC's u64 sequence halves with a sticky bit); never go through another float type, which
// would round twice.
#define ZINC_SEM_CONVERT_FAMILY(P, F)                                                          \
  ZINC_SEM_UNARY(P##ConvertI32S, constexpr, F, uint32_t, static_cast<F>(as_signed(a)))        \
  ZINC_SEM_UNARY(P##ConvertI32U, constexpr, F, uint32_t, static_cast<F>(a))                    \
  ZINC_SEM_UNARY(P##ConvertI64S, constexpr, F, uint64_t, static_cast<F>(as_signed(a)))        \
  ZINC_SEM_UNARY(P##ConvertI64U, constexpr, F, uint64_t, static_cast<F>(a))

ZINC_SEM_INT_FAMILY(I32, uint32_t)
ZINC_SEM_INT_FAMILY(I64, uint64_t)
ZINC_SEM_UNARY(I64Extend32S, constexpr, uint64_t, uint64_t, sign_extend<int32_t>(a))

ZINC_SEM_FLOAT_FAMILY(F32, float)
ZINC_SEM_FLOAT_FAMILY(F64, double)

ZINC_SEM_TRUNC_FAMILY(I32, int32_t, uint32_t)
ZINC_SEM_TRUNC_FAMILY(I64, int64_t, uint64_t)
ZINC_SEM_CONVERT_FAMILY(F32, float)
ZINC_SEM_CONVERT_FAMILY(F64, double)

ZINC_SEM_UNARY(I32WrapI64, constexpr, uint32_t, uint64_t, static_cast<uint32_t>(a))
ZINC_SEM_UNARY(I64ExtendI32S, constexpr, uint64_t, uint32_t, sign_extend<int32_t>(uint64_t{a}))
ZINC_SEM_UNARY(I64ExtendI32U, constexpr, uint64_t, uint32_t, uint64_t{a})
// demote rounds to nearest (overflow -> ±inf); both directions quiet a NaN and keep the top of
// its payload, so a canonical NaN stays canonical.
ZINC_SEM_UNARY(F32DemoteF64, constexpr, float, double, static_cast<float>(a))
ZINC_SEM_UNARY(F64PromoteF32, constexpr, double, float, static_cast<double>(a))
ZINC_SEM_UNARY(I32ReinterpretF32, constexpr, uint32_t, float, std::bit_cast<uint32_t>(a))
ZINC_SEM_UNARY(I64ReinterpretF64, constexpr, uint64_t, double, std::bit_cast<uint64_t>(a))
ZINC_SEM_UNARY(F32ReinterpretI32, constexpr, float, uint32_t, std::bit_cast<float>(a))
ZINC_SEM_UNARY(F64ReinterpretI64, constexpr, double, uint64_t, std::bit_cast<double>(a))

// clang-format on

#undef ZINC_SEM_CONVERT_FAMILY
#undef ZINC_SEM_TRUNC_FAMILY
#undef ZINC_SEM_FLOAT_FAMILY
#undef ZINC_SEM_INT_FAMILY
#undef ZINC_SEM_TRAP_BINARY
#undef ZINC_SEM_TRAP_UNARY
#undef ZINC_SEM_BINARY
#undef ZINC_SEM_UNARY
#undef ZINC_SEM_SPEC

}  // namespace zinc::vm

// vm/simd_semantics.h: OpSem specialisations for the fixed-width SIMD instructions (Wasm 2.0).
//
// Every row of decoder/opcodes_simd.def except v128.load, v128.store and v128.const has an
// `OpSem<Opcode::X>` here (tests/vm/simd_semantics_test.cc checks this against the table). The
// bodies are a handful of family templates over (lane type, operation); the list at the end of
// this file maps each instruction to its family.
//
// Invariants:
//   - No undefined behaviour for any operand: integer arithmetic runs on unsigned lanes (wraps),
//     shift counts are reduced modulo the lane width, float->int conversions are range-checked
//     before the cast, lane indices are masked to the lane count (validation already bounds them).
//   - Float lanes follow the scalar numerics: arithmetic, sqrt and rounding use the host's IEEE
//     operations, whose NaN results are canonical when every NaN input is canonical and
//     arithmetic (quiet) otherwise; min/max return the positive canonical NaN for any NaN operand
//     and order -0 below +0; pmin/pmax, abs and neg are exact bit operations (NaNs pass through).
//   - Lane-wise integer and bitwise ops are written on GCC/Clang vector types
//     (`vector_size(16)`), so they compile to one SSE/NEON instruction where the ISA has one;
//     values move between V128 and vector types with std::bit_cast (no type punning).
//
// Memory instructions: the execution tier does the access (bounds, guard pages) and OpSem gives
// the value transformation. `OpSem<X>::Mem` is the type the tier loads or stores (its
// little-endian value as it sits in memory):
//   v128.load8x8_s/u, load16x4_s/u, load32x2_s/u: static V128 apply(uint64_t loaded)
//   v128.loadN_splat, v128.load32_zero/load64_zero: static V128 apply(Mem loaded)
//   v128.loadN_lane:  static V128 apply(V128 v, Mem loaded, uint8_t lane)
//   v128.storeN_lane: static Mem apply(V128 v, uint8_t lane)   // the value to store
//
// Spec: https://webassembly.github.io/spec/core/exec/instructions.html#vector-instructions and
//       https://webassembly.github.io/spec/core/exec/numerics.html
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "decoder/opcodes.h"
#include "vm/op_semantics.h"
#include "vm/semantics.h"
#include "vm/v128.h"

namespace zinc::vm {
namespace simd {

// ---------------------------------------------------------------------------------------------
// Vector types and conversions

template <typename L>
struct VecOf;
#define ZINC_SIMD_VEC_OF(L)                          \
  template <>                                        \
  struct VecOf<L> {                                  \
    typedef L type __attribute__((vector_size(16))); \
  };
ZINC_SIMD_VEC_OF(int8_t)
ZINC_SIMD_VEC_OF(uint8_t)
ZINC_SIMD_VEC_OF(int16_t)
ZINC_SIMD_VEC_OF(uint16_t)
ZINC_SIMD_VEC_OF(int32_t)
ZINC_SIMD_VEC_OF(uint32_t)
ZINC_SIMD_VEC_OF(int64_t)
ZINC_SIMD_VEC_OF(uint64_t)
ZINC_SIMD_VEC_OF(float)
ZINC_SIMD_VEC_OF(double)
#undef ZINC_SIMD_VEC_OF

/// The 16-byte GCC/Clang vector of lanes of type L.
template <typename L>
using Vec = typename VecOf<L>::type;

template <std::size_t kSize>
struct IntOfSize;
template <>
struct IntOfSize<1> {
  using S = int8_t;
  using U = uint8_t;
};
template <>
struct IntOfSize<2> {
  using S = int16_t;
  using U = uint16_t;
};
template <>
struct IntOfSize<4> {
  using S = int32_t;
  using U = uint32_t;
};
template <>
struct IntOfSize<8> {
  using S = int64_t;
  using U = uint64_t;
};

/// Signed/unsigned integer lane of the same width as L (L may be float).
template <typename L>
using SignedOf = typename IntOfSize<sizeof(L)>::S;
template <typename L>
using UnsignedOf = typename IntOfSize<sizeof(L)>::U;

template <typename L>
inline constexpr unsigned kLanes = 16 / sizeof(L);
template <typename L>
inline constexpr unsigned kLaneBits = 8 * sizeof(L);

/// Reinterprets one 16-byte value as another (V128, vector types, lane arrays).
template <typename To, typename From>
inline To cast16(const From& from) {
  static_assert(sizeof(To) == 16 && sizeof(From) == 16);
  return std::bit_cast<To>(from);
}

template <typename L>
inline Vec<L> vec(const V128& v) {
  return cast16<Vec<L>>(v);
}
template <typename T>
inline V128 v128(const T& x) {
  return cast16<V128>(x);
}

/// The lanes of a v128 as an array, for the families that work lane by lane.
template <typename L>
using Lanes = std::array<L, kLanes<L>>;
template <typename L>
inline Lanes<L> lanes(const V128& v) {
  return cast16<Lanes<L>>(v);
}

template <typename L>
inline Vec<L> splat_vec(L x) {
  Vec<L> r = {};
  for (unsigned i = 0; i < kLanes<L>; ++i) r[i] = x;
  return r;
}

/// Lanes of `a` where `mask` (a comparison result: all-ones or zero per lane) is set, else `b`.
template <typename L, typename M>
inline Vec<L> select(M mask, Vec<L> a, Vec<L> b) {
  using U = Vec<UnsignedOf<L>>;
  U m = cast16<U>(mask), ai = cast16<U>(a), bi = cast16<U>(b);
  return cast16<Vec<L>>((m & ai) | (~m & bi));
}

// ---------------------------------------------------------------------------------------------
// Scalar helpers (one lane)

/// Clamps a signed integer into the range of the (narrower) lane type D.
template <typename D, typename S>
inline D saturate(S x) {
  constexpr S kMin = static_cast<S>(std::numeric_limits<D>::min());
  constexpr S kMax = static_cast<S>(std::numeric_limits<D>::max());
  return static_cast<D>(std::clamp(x, kMin, kMax));
}

// ---------------------------------------------------------------------------------------------
// Operations. `run` is generic over its operand type; the family using an operation fixes it
// (a vector type for the Vec* families, a lane type for the Lane* ones).

#define ZINC_SIMD_OP1(Name, expr) \
  struct Name {                   \
    template <typename T>         \
    static auto run(T a) {        \
      return expr;                \
    }                             \
  };
#define ZINC_SIMD_OP2(Name, expr) \
  struct Name {                   \
    template <typename T>         \
    static auto run(T a, T b) {   \
      return expr;                \
    }                             \
  };

// On whole vectors. Comparisons yield all-ones / zero lanes, which is Wasm's result; float `!=`
// is true for NaN (unordered) and the ordered comparisons false, as Wasm requires.
ZINC_SIMD_OP2(OpAdd, a + b)
ZINC_SIMD_OP2(OpSub, a - b)
ZINC_SIMD_OP2(OpMul, (a * b))
ZINC_SIMD_OP2(OpDiv, a / b)
ZINC_SIMD_OP1(OpNeg, T{} - a)
ZINC_SIMD_OP1(OpNot, ~a)
ZINC_SIMD_OP2(OpAnd, (a & b))
ZINC_SIMD_OP2(OpAndNot, a & ~b)
ZINC_SIMD_OP2(OpOr, a | b)
ZINC_SIMD_OP2(OpXor, a ^ b)
ZINC_SIMD_OP2(OpEq, a == b)
ZINC_SIMD_OP2(OpNe, a != b)
ZINC_SIMD_OP2(OpLt, a < b)
ZINC_SIMD_OP2(OpGt, a > b)
ZINC_SIMD_OP2(OpLe, a <= b)
ZINC_SIMD_OP2(OpGe, a >= b)

// On one lane (integer lanes of 8 or 16 bits promote to int32_t without overflow).
ZINC_SIMD_OP2(OpAvgrU, static_cast<T>((uint32_t{a} + uint32_t{b} + 1) >> 1))
// (a * b + 2^14) >> 15 rounds to nearest; only INT16_MIN * INT16_MIN saturates.
ZINC_SIMD_OP2(OpQ15MulrSat, saturate<T>((int32_t{a} * int32_t{b} + 0x4000) >> 15))
// The scalar float helpers of vm/semantics.h.
ZINC_SIMD_OP1(OpSqrt, float_sqrt(a))
ZINC_SIMD_OP1(OpCeil, float_ceil(a))
ZINC_SIMD_OP1(OpFloor, float_floor(a))
ZINC_SIMD_OP1(OpTrunc, float_trunc(a))
ZINC_SIMD_OP1(OpNearest, float_nearest(a))

#undef ZINC_SIMD_OP1
#undef ZINC_SIMD_OP2

/// Shifts by a count already reduced modulo the lane width: arithmetic right shift on signed
/// lanes, logical on unsigned ones.
struct OpShl {
  template <typename V>
  static V run(V a, int n) {
    return a << n;
  }
};
struct OpShr {
  template <typename V>
  static V run(V a, int n) {
    return a >> n;
  }
};
template <typename I>  // I gives range and signedness; the lane holds its unsigned form
struct OpTruncSat {
  template <typename F>
  static std::make_unsigned_t<I> run(F x) {
    return trunc_sat<I>(x);
  }
};
template <typename F>
struct OpConvert {  // int -> float, rounded to nearest-even by the host
  template <typename I>
  static F run(I x) {
    return static_cast<F>(x);
  }
};

// ---------------------------------------------------------------------------------------------
// Families: each provides the single `apply` of the OpSem contract

/// Lane-wise unary op on the whole vector of lanes L.
template <typename L, typename Op>
struct VecUnary {
  static V128 apply(V128 a) { return v128(Op::run(vec<L>(a))); }
};

/// Lane-wise binary op (arithmetic, bitwise, comparison) on the whole vector of lanes L.
template <typename L, typename Op>
struct VecBinary {
  static V128 apply(V128 a, V128 b) { return v128(Op::run(vec<L>(a), vec<L>(b))); }
};

/// Unary op lane by lane, L lanes in, R lanes out (same lane count).
template <typename L, typename R, typename Op>
struct LaneUnary {
  static_assert(kLanes<L> == kLanes<R>);
  static V128 apply(V128 a) {
    Lanes<L> x = lanes<L>(a);
    Lanes<R> r;
    for (unsigned i = 0; i < kLanes<L>; ++i) r[i] = Op::run(x[i]);
    return v128(r);
  }
};

/// Binary op lane by lane.
template <typename L, typename Op>
struct LaneBinary {
  static V128 apply(V128 a, V128 b) {
    Lanes<L> x = lanes<L>(a), y = lanes<L>(b), r;
    for (unsigned i = 0; i < kLanes<L>; ++i) r[i] = Op::run(x[i], y[i]);
    return v128(r);
  }
};

/// Shift of every lane by a count taken modulo the lane width.
template <typename L, typename Op>
struct Shift {
  static V128 apply(V128 a, uint32_t count) {
    return v128(Op::run(vec<L>(a), static_cast<int>(count & (kLaneBits<L> - 1))));
  }
};

template <typename L, typename A>
struct Splat {
  static V128 apply(A x) { return v128(splat_vec<L>(static_cast<L>(x))); }
};

/// Reads lane `lane` as L and widens it to the result type R (sign-extending for signed L).
template <typename L, typename R>
struct ExtractLane {
  static R apply(V128 v, uint8_t lane) { return static_cast<R>(v.lane<L>(lane & (kLanes<L> - 1))); }
};

/// Replaces lane `lane` with x narrowed to L (wrapping).
template <typename L, typename A>
struct ReplaceLane {
  static V128 apply(V128 v, A x, uint8_t lane) {
    v.set_lane<L>(lane & (kLanes<L> - 1), static_cast<L>(x));
    return v;
  }
};

template <typename L, bool kMax>
struct IntMinMax {
  static V128 apply(V128 a, V128 b) {
    Vec<L> x = vec<L>(a), y = vec<L>(b);
    auto lt = x < y;
    return v128(kMax ? select<L>(lt, y, x) : select<L>(lt, x, y));
  }
};

/// add_sat / sub_sat on wrapping sums. Signed: the sum overflowed iff both operands have the
/// same sign (add) or different signs (sub) and the result's sign differs from the first
/// operand's; it then saturates towards that operand's sign. Unsigned: clamp at 0 or the max.
template <typename L, bool kSub>
struct SatAddSub {
  static V128 apply(V128 a, V128 b) {
    using U = Vec<UnsignedOf<L>>;
    using S = Vec<SignedOf<L>>;
    U x = vec<UnsignedOf<L>>(a), y = vec<UnsignedOf<L>>(b);
    U r = kSub ? x - y : x + y;
    if constexpr (std::is_signed_v<L>) {
      U sign_differs = kSub ? (x ^ y) & (x ^ r) : ~(x ^ y) & (x ^ r);
      auto overflow = cast16<S>(sign_differs) < S{};
      U saturated =
          splat_vec<UnsignedOf<L>>(std::numeric_limits<L>::max()) ^ cast16<U>(cast16<S>(x) < S{});
      return v128(select<UnsignedOf<L>>(overflow, saturated, r));
    } else if constexpr (kSub) {
      return v128(r & ~cast16<U>(x < y));  // borrow -> 0
    } else {
      return v128(r | cast16<U>(r < x));  // carry -> all ones
    }
  }
};

template <typename L>
struct IntAbs {  // abs(INT_MIN) wraps to INT_MIN
  static V128 apply(V128 a) {
    using U = Vec<UnsignedOf<L>>;
    U sign = cast16<U>(vec<SignedOf<L>>(a) >> static_cast<int>(kLaneBits<L> - 1));
    return v128((vec<UnsignedOf<L>>(a) ^ sign) - sign);
  }
};

struct Popcnt {  // per byte, the usual SWAR sum of bit pairs, nibbles, bytes
  static V128 apply(V128 a) {
    Vec<uint8_t> x = vec<uint8_t>(a);
    x = x - ((x >> 1) & 0x55);
    x = (x & 0x33) + ((x >> 2) & 0x33);
    return v128((x + (x >> 4)) & 0x0F);
  }
};

struct Bitselect {  // bits of a where c is 1, of b where c is 0
  static V128 apply(V128 a, V128 b, V128 c) {
    Vec<uint64_t> x = vec<uint64_t>(a), y = vec<uint64_t>(b), m = vec<uint64_t>(c);
    return v128((x & m) | (y & ~m));
  }
};

struct AnyTrue {
  static uint32_t apply(V128 a) {
    Vec<uint64_t> x = vec<uint64_t>(a);
    return (x[0] | x[1]) != 0;
  }
};

template <typename L>
struct AllTrue {
  static uint32_t apply(V128 a) {
    Vec<uint64_t> zero_lanes = cast16<Vec<uint64_t>>(vec<L>(a) == Vec<L>{});
    return (zero_lanes[0] | zero_lanes[1]) == 0;
  }
};

/// Bit i of the result is the sign bit of lane i.
template <typename L>
struct Bitmask {
  static uint32_t apply(V128 a) {
    if constexpr (sizeof(L) == 1) {
      // Gather the 8 sign bits of each half into its top byte: bit 8i times 2^(56 - 7i) lands
      // on bit 56 + i, and no two partial products share a bit, so nothing carries.
      Vec<uint64_t> x = vec<uint64_t>(a);
      constexpr uint64_t kLsbs = 0x0101010101010101u, kGather = 0x0102040810204080u;
      uint64_t lo = (((x[0] >> 7) & kLsbs) * kGather) >> 56;
      uint64_t hi = (((x[1] >> 7) & kLsbs) * kGather) >> 56;
      return static_cast<uint32_t>(lo | (hi << 8));
    } else {
      Lanes<UnsignedOf<L>> x = lanes<UnsignedOf<L>>(a);
      uint32_t r = 0;
      for (unsigned i = 0; i < kLanes<L>; ++i) {
        r |= static_cast<uint32_t>(x[i] >> (kLaneBits<L> - 1)) << i;
      }
      return r;
    }
  }
};

/// Narrows the signed lanes S of a (low half) and b (high half) to D with saturation.
template <typename S, typename D>
struct Narrow {
  static V128 apply(V128 a, V128 b) {
    Lanes<S> x = lanes<S>(a), y = lanes<S>(b);
    Lanes<D> r;
    for (unsigned i = 0; i < kLanes<S>; ++i) {
      r[i] = saturate<D>(x[i]);
      r[kLanes<S> + i] = saturate<D>(y[i]);
    }
    return v128(r);
  }
};

/// Widens the low or high half of the S lanes to D (sign or zero extension by S's type).
template <typename S, typename D, bool kHigh>
struct Extend {
  static V128 apply(V128 a) {
    constexpr unsigned kFirst = kHigh ? kLanes<D> : 0;
    Lanes<S> x = lanes<S>(a);
    Lanes<D> r;
    for (unsigned i = 0; i < kLanes<D>; ++i) r[i] = static_cast<D>(x[kFirst + i]);
    return v128(r);
  }
};

/// Widening multiply of the low or high halves. Products of lanes from S always fit D; with D of
/// 16 bits the operands promote to int, where 255 * 255 or (-128) * (-128) cannot overflow.
template <typename S, typename D, bool kHigh>
struct ExtMul {
  static V128 apply(V128 a, V128 b) {
    constexpr unsigned kFirst = kHigh ? kLanes<D> : 0;
    Lanes<S> x = lanes<S>(a), y = lanes<S>(b);
    Lanes<D> r;
    for (unsigned i = 0; i < kLanes<D>; ++i) {
      r[i] = static_cast<D>(static_cast<D>(x[kFirst + i]) * static_cast<D>(y[kFirst + i]));
    }
    return v128(r);
  }
};

/// Sums adjacent lane pairs into lanes twice as wide.
template <typename S, typename D>
struct ExtaddPairwise {
  static V128 apply(V128 a) {
    Lanes<S> x = lanes<S>(a);
    Lanes<D> r;
    for (unsigned i = 0; i < kLanes<D>; ++i) {
      r[i] = static_cast<D>(static_cast<D>(x[2 * i]) + static_cast<D>(x[2 * i + 1]));
    }
    return v128(r);
  }
};

/// i32x4.dot_i16x8_s: each product fits int32; the pair sum (2^31 at most) wraps.
struct Dot {
  static V128 apply(V128 a, V128 b) {
    Lanes<int16_t> x = lanes<int16_t>(a), y = lanes<int16_t>(b);
    Lanes<uint32_t> r;
    for (unsigned i = 0; i < 4; ++i) {
      r[i] = static_cast<uint32_t>(int32_t{x[2 * i]} * int32_t{y[2 * i]}) +
             static_cast<uint32_t>(int32_t{x[2 * i + 1]} * int32_t{y[2 * i + 1]});
    }
    return v128(r);
  }
};

struct Swizzle {  // indices >= 16 select 0
  static V128 apply(V128 a, V128 s) {
    V128 r;
    for (unsigned i = 0; i < 16; ++i) {
      uint8_t idx = s.bytes[i];
      r.bytes[i] = idx < 16 ? a.bytes[idx] : 0;
    }
    return r;
  }
};

struct Shuffle {  // lane indices select from a (0-15) then b (16-31); validation bounds them
  static V128 apply(V128 a, V128 b, const V128& lane_indices) {
    uint8_t both[32];
    std::memcpy(both, a.bytes, 16);
    std::memcpy(both + 16, b.bytes, 16);
    V128 r;
    for (unsigned i = 0; i < 16; ++i) r.bytes[i] = both[lane_indices.bytes[i] & 31];
    return r;
  }
};

// ----- float families

template <typename F>
struct FloatAbs {
  static V128 apply(V128 a) {
    using U = UnsignedOf<F>;
    return v128(vec<U>(a) & splat_vec<U>(static_cast<U>(~FloatLayout<F>::kSign)));
  }
};

template <typename F>
struct FloatNeg {
  static V128 apply(V128 a) {
    using U = UnsignedOf<F>;
    return v128(vec<U>(a) ^ splat_vec<U>(FloatLayout<F>::kSign));
  }
};

/// Wasm fmin/fmax: NaN if either operand is NaN (here always the positive canonical NaN, which
/// is both canonical and arithmetic), -0 < +0, else the smaller/larger operand. Each lane is in
/// exactly one of lt, gt, eq or unordered; on eq the operands differ at most in the sign of
/// zero, so OR (min) or AND (max) of their bits picks the right zero.
template <typename F, bool kMax>
struct FloatMinMax {
  static V128 apply(V128 a, V128 b) {
    using U = Vec<UnsignedOf<F>>;
    Vec<F> x = vec<F>(a), y = vec<F>(b);
    U lt = cast16<U>(x < y), gt = cast16<U>(x > y), eq = cast16<U>(x == y);
    U unordered = ~(lt | gt | eq);
    U xi = cast16<U>(x), yi = cast16<U>(y);
    U nan = splat_vec<UnsignedOf<F>>(FloatLayout<F>::kExponent | FloatLayout<F>::kQuiet);
    U r =
        kMax ? (lt & yi) | (gt & xi) | (eq & (xi & yi)) : (lt & xi) | (gt & yi) | (eq & (xi | yi));
    return v128(r | (unordered & nan));
  }
};

/// Pseudo-min/max: pmin = b < a ? b : a, pmax = a < b ? b : a, operand bits returned unchanged.
template <typename F, bool kMax>
struct FloatPMinMax {
  static V128 apply(V128 a, V128 b) {
    Vec<F> x = vec<F>(a), y = vec<F>(b);
    return v128(select<F>(kMax ? x < y : y < x, y, x));
  }
};

/// f64x2 lanes -> the low two i32 lanes, upper lanes zero (trunc_sat_f64x2_*_zero).
template <typename I>
struct TruncSatZero {
  static V128 apply(V128 a) {
    Lanes<double> x = lanes<double>(a);
    Lanes<uint32_t> r = {trunc_sat<I>(x[0]), trunc_sat<I>(x[1]), 0, 0};
    return v128(r);
  }
};

/// The low two i32 lanes -> f64x2 (exact).
template <typename I>
struct ConvertLow {
  static V128 apply(V128 a) {
    Lanes<I> x = lanes<I>(a);
    Lanes<double> r = {static_cast<double>(x[0]), static_cast<double>(x[1])};
    return v128(r);
  }
};

// IEEE 754 conversion (static_assert in vm/semantics.h): round to nearest even, overflow to
// infinity, NaNs quieted.
struct DemoteZero {  // upper lanes +0
  static V128 apply(V128 a) {
    Lanes<double> x = lanes<double>(a);
    Lanes<float> r = {static_cast<float>(x[0]), static_cast<float>(x[1]), 0.0f, 0.0f};
    return v128(r);
  }
};

struct PromoteLow {  // exact; NaNs quieted
  static V128 apply(V128 a) {
    Lanes<float> x = lanes<float>(a);
    Lanes<double> r = {static_cast<double>(x[0]), static_cast<double>(x[1])};
    return v128(r);
  }
};

// ----- value transformations of memory instructions

/// v128.loadMxN_s/u: the 8 loaded bytes as N lanes of S widened to twice their width.
template <typename S>
struct LoadExtend {
  using Mem = uint64_t;
  using Wide = IntOfSize<2 * sizeof(S)>;
  using D = std::conditional_t<std::is_signed_v<S>, typename Wide::S, typename Wide::U>;
  static V128 apply(uint64_t loaded) {
    constexpr unsigned kCount = 8 / sizeof(S);
    Lanes<D> r;
    for (unsigned i = 0; i < kCount; ++i) {
      auto bits = static_cast<UnsignedOf<S>>(loaded >> (i * kLaneBits<S>));
      r[i] = static_cast<D>(static_cast<S>(bits));
    }
    return v128(r);
  }
};

template <typename T>
struct LoadSplat : Splat<T, T> {
  using Mem = T;
};

template <typename T>
struct LoadZero {
  using Mem = T;
  static V128 apply(T loaded) {
    V128 r;
    r.set_lane<T>(0, loaded);
    return r;
  }
};

template <typename T>
struct LoadLane : ReplaceLane<T, T> {
  using Mem = T;
};

template <typename T>
struct StoreLane : ExtractLane<T, T> {
  using Mem = T;
};

// ---------------------------------------------------------------------------------------------
// The instruction -> family table, in opcodes_simd.def order. OpSem<X> derives from Sem<X>.

/// The family of SIMD instruction kOp; kDefined is false for instructions without one.
template <decoder::Opcode kOp>
struct Sem {
  static constexpr bool kDefined = false;
};

#define ZINC_SIMD_SEM(Name, ...)                    \
  template <>                                       \
  struct Sem<decoder::Opcode::Name> : __VA_ARGS__ { \
    static constexpr bool kDefined = true;          \
  };

ZINC_SIMD_SEM(V128Load8x8S, LoadExtend<int8_t>)
ZINC_SIMD_SEM(V128Load8x8U, LoadExtend<uint8_t>)
ZINC_SIMD_SEM(V128Load16x4S, LoadExtend<int16_t>)
ZINC_SIMD_SEM(V128Load16x4U, LoadExtend<uint16_t>)
ZINC_SIMD_SEM(V128Load32x2S, LoadExtend<int32_t>)
ZINC_SIMD_SEM(V128Load32x2U, LoadExtend<uint32_t>)
ZINC_SIMD_SEM(V128Load8Splat, LoadSplat<uint8_t>)
ZINC_SIMD_SEM(V128Load16Splat, LoadSplat<uint16_t>)
ZINC_SIMD_SEM(V128Load32Splat, LoadSplat<uint32_t>)
ZINC_SIMD_SEM(V128Load64Splat, LoadSplat<uint64_t>)
ZINC_SIMD_SEM(I8x16Shuffle, Shuffle)
ZINC_SIMD_SEM(I8x16Swizzle, Swizzle)
ZINC_SIMD_SEM(I8x16Splat, Splat<uint8_t, uint32_t>)
ZINC_SIMD_SEM(I16x8Splat, Splat<uint16_t, uint32_t>)
ZINC_SIMD_SEM(I32x4Splat, Splat<uint32_t, uint32_t>)
ZINC_SIMD_SEM(I64x2Splat, Splat<uint64_t, uint64_t>)
ZINC_SIMD_SEM(F32x4Splat, Splat<float, float>)
ZINC_SIMD_SEM(F64x2Splat, Splat<double, double>)
ZINC_SIMD_SEM(I8x16ExtractLaneS, ExtractLane<int8_t, uint32_t>)
ZINC_SIMD_SEM(I8x16ExtractLaneU, ExtractLane<uint8_t, uint32_t>)
ZINC_SIMD_SEM(I8x16ReplaceLane, ReplaceLane<uint8_t, uint32_t>)
ZINC_SIMD_SEM(I16x8ExtractLaneS, ExtractLane<int16_t, uint32_t>)
ZINC_SIMD_SEM(I16x8ExtractLaneU, ExtractLane<uint16_t, uint32_t>)
ZINC_SIMD_SEM(I16x8ReplaceLane, ReplaceLane<uint16_t, uint32_t>)
ZINC_SIMD_SEM(I32x4ExtractLane, ExtractLane<uint32_t, uint32_t>)
ZINC_SIMD_SEM(I32x4ReplaceLane, ReplaceLane<uint32_t, uint32_t>)
ZINC_SIMD_SEM(I64x2ExtractLane, ExtractLane<uint64_t, uint64_t>)
ZINC_SIMD_SEM(I64x2ReplaceLane, ReplaceLane<uint64_t, uint64_t>)
ZINC_SIMD_SEM(F32x4ExtractLane, ExtractLane<float, float>)
ZINC_SIMD_SEM(F32x4ReplaceLane, ReplaceLane<float, float>)
ZINC_SIMD_SEM(F64x2ExtractLane, ExtractLane<double, double>)
ZINC_SIMD_SEM(F64x2ReplaceLane, ReplaceLane<double, double>)
ZINC_SIMD_SEM(I8x16Eq, VecBinary<uint8_t, OpEq>)
ZINC_SIMD_SEM(I8x16Ne, VecBinary<uint8_t, OpNe>)
ZINC_SIMD_SEM(I8x16LtS, VecBinary<int8_t, OpLt>)
ZINC_SIMD_SEM(I8x16LtU, VecBinary<uint8_t, OpLt>)
ZINC_SIMD_SEM(I8x16GtS, VecBinary<int8_t, OpGt>)
ZINC_SIMD_SEM(I8x16GtU, VecBinary<uint8_t, OpGt>)
ZINC_SIMD_SEM(I8x16LeS, VecBinary<int8_t, OpLe>)
ZINC_SIMD_SEM(I8x16LeU, VecBinary<uint8_t, OpLe>)
ZINC_SIMD_SEM(I8x16GeS, VecBinary<int8_t, OpGe>)
ZINC_SIMD_SEM(I8x16GeU, VecBinary<uint8_t, OpGe>)
ZINC_SIMD_SEM(I16x8Eq, VecBinary<uint16_t, OpEq>)
ZINC_SIMD_SEM(I16x8Ne, VecBinary<uint16_t, OpNe>)
ZINC_SIMD_SEM(I16x8LtS, VecBinary<int16_t, OpLt>)
ZINC_SIMD_SEM(I16x8LtU, VecBinary<uint16_t, OpLt>)
ZINC_SIMD_SEM(I16x8GtS, VecBinary<int16_t, OpGt>)
ZINC_SIMD_SEM(I16x8GtU, VecBinary<uint16_t, OpGt>)
ZINC_SIMD_SEM(I16x8LeS, VecBinary<int16_t, OpLe>)
ZINC_SIMD_SEM(I16x8LeU, VecBinary<uint16_t, OpLe>)
ZINC_SIMD_SEM(I16x8GeS, VecBinary<int16_t, OpGe>)
ZINC_SIMD_SEM(I16x8GeU, VecBinary<uint16_t, OpGe>)
ZINC_SIMD_SEM(I32x4Eq, VecBinary<uint32_t, OpEq>)
ZINC_SIMD_SEM(I32x4Ne, VecBinary<uint32_t, OpNe>)
ZINC_SIMD_SEM(I32x4LtS, VecBinary<int32_t, OpLt>)
ZINC_SIMD_SEM(I32x4LtU, VecBinary<uint32_t, OpLt>)
ZINC_SIMD_SEM(I32x4GtS, VecBinary<int32_t, OpGt>)
ZINC_SIMD_SEM(I32x4GtU, VecBinary<uint32_t, OpGt>)
ZINC_SIMD_SEM(I32x4LeS, VecBinary<int32_t, OpLe>)
ZINC_SIMD_SEM(I32x4LeU, VecBinary<uint32_t, OpLe>)
ZINC_SIMD_SEM(I32x4GeS, VecBinary<int32_t, OpGe>)
ZINC_SIMD_SEM(I32x4GeU, VecBinary<uint32_t, OpGe>)
ZINC_SIMD_SEM(F32x4Eq, VecBinary<float, OpEq>)
ZINC_SIMD_SEM(F32x4Ne, VecBinary<float, OpNe>)
ZINC_SIMD_SEM(F32x4Lt, VecBinary<float, OpLt>)
ZINC_SIMD_SEM(F32x4Gt, VecBinary<float, OpGt>)
ZINC_SIMD_SEM(F32x4Le, VecBinary<float, OpLe>)
ZINC_SIMD_SEM(F32x4Ge, VecBinary<float, OpGe>)
ZINC_SIMD_SEM(F64x2Eq, VecBinary<double, OpEq>)
ZINC_SIMD_SEM(F64x2Ne, VecBinary<double, OpNe>)
ZINC_SIMD_SEM(F64x2Lt, VecBinary<double, OpLt>)
ZINC_SIMD_SEM(F64x2Gt, VecBinary<double, OpGt>)
ZINC_SIMD_SEM(F64x2Le, VecBinary<double, OpLe>)
ZINC_SIMD_SEM(F64x2Ge, VecBinary<double, OpGe>)
ZINC_SIMD_SEM(V128Not, VecUnary<uint64_t, OpNot>)
ZINC_SIMD_SEM(V128And, VecBinary<uint64_t, OpAnd>)
ZINC_SIMD_SEM(V128Andnot, VecBinary<uint64_t, OpAndNot>)
ZINC_SIMD_SEM(V128Or, VecBinary<uint64_t, OpOr>)
ZINC_SIMD_SEM(V128Xor, VecBinary<uint64_t, OpXor>)
ZINC_SIMD_SEM(V128Bitselect, Bitselect)
ZINC_SIMD_SEM(V128AnyTrue, AnyTrue)
ZINC_SIMD_SEM(V128Load8Lane, LoadLane<uint8_t>)
ZINC_SIMD_SEM(V128Load16Lane, LoadLane<uint16_t>)
ZINC_SIMD_SEM(V128Load32Lane, LoadLane<uint32_t>)
ZINC_SIMD_SEM(V128Load64Lane, LoadLane<uint64_t>)
ZINC_SIMD_SEM(V128Store8Lane, StoreLane<uint8_t>)
ZINC_SIMD_SEM(V128Store16Lane, StoreLane<uint16_t>)
ZINC_SIMD_SEM(V128Store32Lane, StoreLane<uint32_t>)
ZINC_SIMD_SEM(V128Store64Lane, StoreLane<uint64_t>)
ZINC_SIMD_SEM(V128Load32Zero, LoadZero<uint32_t>)
ZINC_SIMD_SEM(V128Load64Zero, LoadZero<uint64_t>)
ZINC_SIMD_SEM(F32x4DemoteF64x2Zero, DemoteZero)
ZINC_SIMD_SEM(F64x2PromoteLowF32x4, PromoteLow)
ZINC_SIMD_SEM(I8x16Abs, IntAbs<int8_t>)
ZINC_SIMD_SEM(I8x16Neg, VecUnary<uint8_t, OpNeg>)
ZINC_SIMD_SEM(I8x16Popcnt, Popcnt)
ZINC_SIMD_SEM(I8x16AllTrue, AllTrue<uint8_t>)
ZINC_SIMD_SEM(I8x16Bitmask, Bitmask<uint8_t>)
ZINC_SIMD_SEM(I8x16NarrowI16x8S, Narrow<int16_t, int8_t>)
ZINC_SIMD_SEM(I8x16NarrowI16x8U, Narrow<int16_t, uint8_t>)
ZINC_SIMD_SEM(F32x4Ceil, LaneUnary<float, float, OpCeil>)
ZINC_SIMD_SEM(F32x4Floor, LaneUnary<float, float, OpFloor>)
ZINC_SIMD_SEM(F32x4Trunc, LaneUnary<float, float, OpTrunc>)
ZINC_SIMD_SEM(F32x4Nearest, LaneUnary<float, float, OpNearest>)
ZINC_SIMD_SEM(I8x16Shl, Shift<uint8_t, OpShl>)
ZINC_SIMD_SEM(I8x16ShrS, Shift<int8_t, OpShr>)
ZINC_SIMD_SEM(I8x16ShrU, Shift<uint8_t, OpShr>)
ZINC_SIMD_SEM(I8x16Add, VecBinary<uint8_t, OpAdd>)
ZINC_SIMD_SEM(I8x16AddSatS, SatAddSub<int8_t, false>)
ZINC_SIMD_SEM(I8x16AddSatU, SatAddSub<uint8_t, false>)
ZINC_SIMD_SEM(I8x16Sub, VecBinary<uint8_t, OpSub>)
ZINC_SIMD_SEM(I8x16SubSatS, SatAddSub<int8_t, true>)
ZINC_SIMD_SEM(I8x16SubSatU, SatAddSub<uint8_t, true>)
ZINC_SIMD_SEM(F64x2Ceil, LaneUnary<double, double, OpCeil>)
ZINC_SIMD_SEM(F64x2Floor, LaneUnary<double, double, OpFloor>)
ZINC_SIMD_SEM(I8x16MinS, IntMinMax<int8_t, false>)
ZINC_SIMD_SEM(I8x16MinU, IntMinMax<uint8_t, false>)
ZINC_SIMD_SEM(I8x16MaxS, IntMinMax<int8_t, true>)
ZINC_SIMD_SEM(I8x16MaxU, IntMinMax<uint8_t, true>)
ZINC_SIMD_SEM(F64x2Trunc, LaneUnary<double, double, OpTrunc>)
ZINC_SIMD_SEM(I8x16AvgrU, LaneBinary<uint8_t, OpAvgrU>)
ZINC_SIMD_SEM(I16x8ExtaddPairwiseI8x16S, ExtaddPairwise<int8_t, int16_t>)
ZINC_SIMD_SEM(I16x8ExtaddPairwiseI8x16U, ExtaddPairwise<uint8_t, uint16_t>)
ZINC_SIMD_SEM(I32x4ExtaddPairwiseI16x8S, ExtaddPairwise<int16_t, int32_t>)
ZINC_SIMD_SEM(I32x4ExtaddPairwiseI16x8U, ExtaddPairwise<uint16_t, uint32_t>)
ZINC_SIMD_SEM(I16x8Abs, IntAbs<int16_t>)
ZINC_SIMD_SEM(I16x8Neg, VecUnary<uint16_t, OpNeg>)
ZINC_SIMD_SEM(I16x8Q15mulrSatS, LaneBinary<int16_t, OpQ15MulrSat>)
ZINC_SIMD_SEM(I16x8AllTrue, AllTrue<uint16_t>)
ZINC_SIMD_SEM(I16x8Bitmask, Bitmask<uint16_t>)
ZINC_SIMD_SEM(I16x8NarrowI32x4S, Narrow<int32_t, int16_t>)
ZINC_SIMD_SEM(I16x8NarrowI32x4U, Narrow<int32_t, uint16_t>)
ZINC_SIMD_SEM(I16x8ExtendLowI8x16S, Extend<int8_t, int16_t, false>)
ZINC_SIMD_SEM(I16x8ExtendHighI8x16S, Extend<int8_t, int16_t, true>)
ZINC_SIMD_SEM(I16x8ExtendLowI8x16U, Extend<uint8_t, uint16_t, false>)
ZINC_SIMD_SEM(I16x8ExtendHighI8x16U, Extend<uint8_t, uint16_t, true>)
ZINC_SIMD_SEM(I16x8Shl, Shift<uint16_t, OpShl>)
ZINC_SIMD_SEM(I16x8ShrS, Shift<int16_t, OpShr>)
ZINC_SIMD_SEM(I16x8ShrU, Shift<uint16_t, OpShr>)
ZINC_SIMD_SEM(I16x8Add, VecBinary<uint16_t, OpAdd>)
ZINC_SIMD_SEM(I16x8AddSatS, SatAddSub<int16_t, false>)
ZINC_SIMD_SEM(I16x8AddSatU, SatAddSub<uint16_t, false>)
ZINC_SIMD_SEM(I16x8Sub, VecBinary<uint16_t, OpSub>)
ZINC_SIMD_SEM(I16x8SubSatS, SatAddSub<int16_t, true>)
ZINC_SIMD_SEM(I16x8SubSatU, SatAddSub<uint16_t, true>)
ZINC_SIMD_SEM(F64x2Nearest, LaneUnary<double, double, OpNearest>)
ZINC_SIMD_SEM(I16x8Mul, VecBinary<uint16_t, OpMul>)
ZINC_SIMD_SEM(I16x8MinS, IntMinMax<int16_t, false>)
ZINC_SIMD_SEM(I16x8MinU, IntMinMax<uint16_t, false>)
ZINC_SIMD_SEM(I16x8MaxS, IntMinMax<int16_t, true>)
ZINC_SIMD_SEM(I16x8MaxU, IntMinMax<uint16_t, true>)
ZINC_SIMD_SEM(I16x8AvgrU, LaneBinary<uint16_t, OpAvgrU>)
ZINC_SIMD_SEM(I16x8ExtmulLowI8x16S, ExtMul<int8_t, int16_t, false>)
ZINC_SIMD_SEM(I16x8ExtmulHighI8x16S, ExtMul<int8_t, int16_t, true>)
ZINC_SIMD_SEM(I16x8ExtmulLowI8x16U, ExtMul<uint8_t, uint16_t, false>)
ZINC_SIMD_SEM(I16x8ExtmulHighI8x16U, ExtMul<uint8_t, uint16_t, true>)
ZINC_SIMD_SEM(I32x4Abs, IntAbs<int32_t>)
ZINC_SIMD_SEM(I32x4Neg, VecUnary<uint32_t, OpNeg>)
ZINC_SIMD_SEM(I32x4AllTrue, AllTrue<uint32_t>)
ZINC_SIMD_SEM(I32x4Bitmask, Bitmask<uint32_t>)
ZINC_SIMD_SEM(I32x4ExtendLowI16x8S, Extend<int16_t, int32_t, false>)
ZINC_SIMD_SEM(I32x4ExtendHighI16x8S, Extend<int16_t, int32_t, true>)
ZINC_SIMD_SEM(I32x4ExtendLowI16x8U, Extend<uint16_t, uint32_t, false>)
ZINC_SIMD_SEM(I32x4ExtendHighI16x8U, Extend<uint16_t, uint32_t, true>)
ZINC_SIMD_SEM(I32x4Shl, Shift<uint32_t, OpShl>)
ZINC_SIMD_SEM(I32x4ShrS, Shift<int32_t, OpShr>)
ZINC_SIMD_SEM(I32x4ShrU, Shift<uint32_t, OpShr>)
ZINC_SIMD_SEM(I32x4Add, VecBinary<uint32_t, OpAdd>)
ZINC_SIMD_SEM(I32x4Sub, VecBinary<uint32_t, OpSub>)
ZINC_SIMD_SEM(I32x4Mul, VecBinary<uint32_t, OpMul>)
ZINC_SIMD_SEM(I32x4MinS, IntMinMax<int32_t, false>)
ZINC_SIMD_SEM(I32x4MinU, IntMinMax<uint32_t, false>)
ZINC_SIMD_SEM(I32x4MaxS, IntMinMax<int32_t, true>)
ZINC_SIMD_SEM(I32x4MaxU, IntMinMax<uint32_t, true>)
ZINC_SIMD_SEM(I32x4DotI16x8S, Dot)
ZINC_SIMD_SEM(I32x4ExtmulLowI16x8S, ExtMul<int16_t, int32_t, false>)
ZINC_SIMD_SEM(I32x4ExtmulHighI16x8S, ExtMul<int16_t, int32_t, true>)
ZINC_SIMD_SEM(I32x4ExtmulLowI16x8U, ExtMul<uint16_t, uint32_t, false>)
ZINC_SIMD_SEM(I32x4ExtmulHighI16x8U, ExtMul<uint16_t, uint32_t, true>)
ZINC_SIMD_SEM(I64x2Abs, IntAbs<int64_t>)
ZINC_SIMD_SEM(I64x2Neg, VecUnary<uint64_t, OpNeg>)
ZINC_SIMD_SEM(I64x2AllTrue, AllTrue<uint64_t>)
ZINC_SIMD_SEM(I64x2Bitmask, Bitmask<uint64_t>)
ZINC_SIMD_SEM(I64x2ExtendLowI32x4S, Extend<int32_t, int64_t, false>)
ZINC_SIMD_SEM(I64x2ExtendHighI32x4S, Extend<int32_t, int64_t, true>)
ZINC_SIMD_SEM(I64x2ExtendLowI32x4U, Extend<uint32_t, uint64_t, false>)
ZINC_SIMD_SEM(I64x2ExtendHighI32x4U, Extend<uint32_t, uint64_t, true>)
ZINC_SIMD_SEM(I64x2Shl, Shift<uint64_t, OpShl>)
ZINC_SIMD_SEM(I64x2ShrS, Shift<int64_t, OpShr>)
ZINC_SIMD_SEM(I64x2ShrU, Shift<uint64_t, OpShr>)
ZINC_SIMD_SEM(I64x2Add, VecBinary<uint64_t, OpAdd>)
ZINC_SIMD_SEM(I64x2Sub, VecBinary<uint64_t, OpSub>)
ZINC_SIMD_SEM(I64x2Mul, VecBinary<uint64_t, OpMul>)
ZINC_SIMD_SEM(I64x2Eq, VecBinary<uint64_t, OpEq>)
ZINC_SIMD_SEM(I64x2Ne, VecBinary<uint64_t, OpNe>)
ZINC_SIMD_SEM(I64x2LtS, VecBinary<int64_t, OpLt>)
ZINC_SIMD_SEM(I64x2GtS, VecBinary<int64_t, OpGt>)
ZINC_SIMD_SEM(I64x2LeS, VecBinary<int64_t, OpLe>)
ZINC_SIMD_SEM(I64x2GeS, VecBinary<int64_t, OpGe>)
ZINC_SIMD_SEM(I64x2ExtmulLowI32x4S, ExtMul<int32_t, int64_t, false>)
ZINC_SIMD_SEM(I64x2ExtmulHighI32x4S, ExtMul<int32_t, int64_t, true>)
ZINC_SIMD_SEM(I64x2ExtmulLowI32x4U, ExtMul<uint32_t, uint64_t, false>)
ZINC_SIMD_SEM(I64x2ExtmulHighI32x4U, ExtMul<uint32_t, uint64_t, true>)
ZINC_SIMD_SEM(F32x4Abs, FloatAbs<float>)
ZINC_SIMD_SEM(F32x4Neg, FloatNeg<float>)
ZINC_SIMD_SEM(F32x4Sqrt, LaneUnary<float, float, OpSqrt>)
ZINC_SIMD_SEM(F32x4Add, VecBinary<float, OpAdd>)
ZINC_SIMD_SEM(F32x4Sub, VecBinary<float, OpSub>)
ZINC_SIMD_SEM(F32x4Mul, VecBinary<float, OpMul>)
ZINC_SIMD_SEM(F32x4Div, VecBinary<float, OpDiv>)
ZINC_SIMD_SEM(F32x4Min, FloatMinMax<float, false>)
ZINC_SIMD_SEM(F32x4Max, FloatMinMax<float, true>)
ZINC_SIMD_SEM(F32x4Pmin, FloatPMinMax<float, false>)
ZINC_SIMD_SEM(F32x4Pmax, FloatPMinMax<float, true>)
ZINC_SIMD_SEM(F64x2Abs, FloatAbs<double>)
ZINC_SIMD_SEM(F64x2Neg, FloatNeg<double>)
ZINC_SIMD_SEM(F64x2Sqrt, LaneUnary<double, double, OpSqrt>)
ZINC_SIMD_SEM(F64x2Add, VecBinary<double, OpAdd>)
ZINC_SIMD_SEM(F64x2Sub, VecBinary<double, OpSub>)
ZINC_SIMD_SEM(F64x2Mul, VecBinary<double, OpMul>)
ZINC_SIMD_SEM(F64x2Div, VecBinary<double, OpDiv>)
ZINC_SIMD_SEM(F64x2Min, FloatMinMax<double, false>)
ZINC_SIMD_SEM(F64x2Max, FloatMinMax<double, true>)
ZINC_SIMD_SEM(F64x2Pmin, FloatPMinMax<double, false>)
ZINC_SIMD_SEM(F64x2Pmax, FloatPMinMax<double, true>)
ZINC_SIMD_SEM(I32x4TruncSatF32x4S, LaneUnary<float, uint32_t, OpTruncSat<int32_t>>)
ZINC_SIMD_SEM(I32x4TruncSatF32x4U, LaneUnary<float, uint32_t, OpTruncSat<uint32_t>>)
ZINC_SIMD_SEM(F32x4ConvertI32x4S, LaneUnary<int32_t, float, OpConvert<float>>)
ZINC_SIMD_SEM(F32x4ConvertI32x4U, LaneUnary<uint32_t, float, OpConvert<float>>)
ZINC_SIMD_SEM(I32x4TruncSatF64x2SZero, TruncSatZero<int32_t>)
ZINC_SIMD_SEM(I32x4TruncSatF64x2UZero, TruncSatZero<uint32_t>)
ZINC_SIMD_SEM(F64x2ConvertLowI32x4S, ConvertLow<int32_t>)
ZINC_SIMD_SEM(F64x2ConvertLowI32x4U, ConvertLow<uint32_t>)

#undef ZINC_SIMD_SEM

}  // namespace simd

template <decoder::Opcode kOp>
requires(simd::Sem<kOp>::kDefined) struct OpSem<kOp> : simd::Sem<kOp> {
};

}  // namespace zinc::vm

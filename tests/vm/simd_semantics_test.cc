// tests/vm/simd_semantics_test.cc: unit tests of vm/simd_semantics.h.
//
// First the table checks (every row of opcodes_simd.def but v128.load/store/const has an
// OpSem whose apply has the shape its immediate kind and signature say), then edge cases per
// family. Expected values were worked out from the spec's numerics and cross-checked against
// the official simd_*.wast scripts.
#include "vm/simd_semantics.h"

#include <bit>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace Catch {
template <>
struct StringMaker<zinc::V128> {
  static std::string convert(const zinc::V128& v) {
    std::string s = "v128[";
    char buf[4];
    for (unsigned i = 0; i < 16; ++i) {
      std::snprintf(buf, sizeof buf, "%02x", v.bytes[i]);
      s += buf;
      if (i % 4 == 3 && i != 15) s += ' ';
    }
    return s + "]";
  }
};
}  // namespace Catch

namespace zinc::vm {
namespace {

using decoder::ImmKind;
using decoder::Opcode;
using decoder::SigType;

// ---- helpers ---------------------------------------------------------------------------------

/// A v128 from its lanes of type L (each value converted to L, wrapping for integers).
template <typename L, typename... Ts>
V128 make(Ts... xs) {
  static_assert(sizeof...(xs) * sizeof(L) == 16);
  V128 v;
  unsigned i = 0;
  (v.set_lane<L>(i++, static_cast<L>(xs)), ...);
  return v;
}
template <typename... Ts>
V128 i8(Ts... xs) {
  return make<uint8_t>(xs...);
}
template <typename... Ts>
V128 i16(Ts... xs) {
  return make<uint16_t>(xs...);
}
template <typename... Ts>
V128 i32(Ts... xs) {
  return make<uint32_t>(xs...);
}
template <typename... Ts>
V128 i64(Ts... xs) {
  return make<uint64_t>(xs...);
}
template <typename... Ts>
V128 f32(Ts... xs) {
  return make<float>(xs...);
}
template <typename... Ts>
V128 f64(Ts... xs) {
  return make<double>(xs...);
}

template <typename L>
V128 splat(L x) {
  V128 v;
  for (unsigned i = 0; i < 16 / sizeof(L); ++i) v.set_lane<L>(i, x);
  return v;
}

float f32_bits(uint32_t b) {
  return std::bit_cast<float>(b);
}
double f64_bits(uint64_t b) {
  return std::bit_cast<double>(b);
}
uint32_t bits_of(float x) {
  return std::bit_cast<uint32_t>(x);
}
uint64_t bits_of(double x) {
  return std::bit_cast<uint64_t>(x);
}

constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();
const float kNanF = f32_bits(0x7FC00000);          // canonical
const float kSNanF = f32_bits(0x7FA00001);         // signalling, payload 0x200001
const float kNegArithNanF = f32_bits(0xFFC12345);  // quiet, non-canonical payload
const double kNanD = f64_bits(0x7FF8000000000000);
const double kSNanD = f64_bits(0x7FF4000000000001);

#define SEM(Name) OpSem<Opcode::Name>::apply

// ---- the table -------------------------------------------------------------------------------

template <Opcode kOp>
constexpr bool kHasApply = requires {
  &OpSem<kOp>::apply;
};

template <SigType kT>
struct CppOf;
template <>
struct CppOf<SigType::I32> {
  using type = uint32_t;
};
template <>
struct CppOf<SigType::I64> {
  using type = uint64_t;
};
template <>
struct CppOf<SigType::F32> {
  using type = float;
};
template <>
struct CppOf<SigType::F64> {
  using type = double;
};
template <>
struct CppOf<SigType::V128> {
  using type = V128;
};
template <SigType kT>
using Cpp = typename CppOf<kT>::type;

/// Whether `&OpSem<kOp>::apply` has the type the contract (vm/op_semantics.h and the memory
/// forms in vm/simd_semantics.h) gives for kOp's immediate kind and signature.
template <Opcode kOp>
constexpr bool has_contract_shape() {
  constexpr decoder::OpcodeInfo kInfo = decoder::opcode_info(kOp);
  constexpr decoder::Signature kSig = kInfo.sig;
  using Fn = decltype(&OpSem<kOp>::apply);
  if constexpr (kInfo.imm == ImmKind::None) {
    using R = Cpp<kSig.results[0]>;
    if constexpr (kSig.num_params == 1) {
      return std::is_same_v<Fn, R (*)(Cpp<kSig.params[0]>)>;
    } else if constexpr (kSig.num_params == 2) {
      return std::is_same_v<Fn, R (*)(Cpp<kSig.params[0]>, Cpp<kSig.params[1]>)>;
    } else {
      return std::is_same_v<Fn,
                            R (*)(Cpp<kSig.params[0]>, Cpp<kSig.params[1]>, Cpp<kSig.params[2]>)>;
    }
  } else if constexpr (kInfo.imm == ImmKind::Lane) {
    using R = Cpp<kSig.results[0]>;
    if constexpr (kSig.num_params == 1) {
      return std::is_same_v<Fn, R (*)(V128, uint8_t)>;
    } else {
      return std::is_same_v<Fn, R (*)(V128, Cpp<kSig.params[1]>, uint8_t)>;
    }
  } else if constexpr (kInfo.imm == ImmKind::Shuffle) {
    return std::is_same_v<Fn, V128 (*)(V128, V128, const V128&)>;
  } else {
    using Mem = typename OpSem<kOp>::Mem;
    if constexpr (kSig.num_results == 0) {  // storeN_lane
      return std::is_same_v<Fn, Mem (*)(V128, uint8_t)>;
    } else if constexpr (kInfo.imm == ImmKind::MemArgLane) {  // loadN_lane
      return std::is_same_v<Fn, V128 (*)(V128, Mem, uint8_t)>;
    } else {  // extending, splatting and zero-filling loads
      return std::is_same_v<Fn, V128 (*)(Mem)>;
    }
  }
}

bool is_plain_memory_or_const(Opcode op) {
  return op == Opcode::V128Load || op == Opcode::V128Store || op == Opcode::V128Const;
}

struct TableCheck {
  size_t checked = 0;
  std::vector<std::string_view> missing, wrong_shape;

  template <Opcode kOp>
  void row(std::string_view name) {
    if (is_plain_memory_or_const(kOp)) return;
    ++checked;
    if constexpr (kHasApply<kOp>) {
      if (!has_contract_shape<kOp>()) wrong_shape.push_back(name);
    } else {
      missing.push_back(name);
    }
  }
};

TEST_CASE("every SIMD instruction has an OpSem of the contract's shape", "[simd]") {
  TableCheck t;
#define V(N, P, C, T, I, S, F) t.row<Opcode::N>(#N);
#include "decoder/opcodes_simd.def"
#undef V
  CAPTURE(t.missing, t.wrong_shape);
  CHECK(t.checked == 233);
  CHECK(t.missing.empty());
  CHECK(t.wrong_shape.empty());
  // The plain accesses and v128.const have no value transformation.
  CHECK_FALSE(kHasApply<Opcode::V128Load>);
  CHECK_FALSE(kHasApply<Opcode::V128Store>);
  CHECK_FALSE(kHasApply<Opcode::V128Const>);
}

TEST_CASE("memory forms name the width the tier accesses", "[simd]") {
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load8x8S>::Mem, uint64_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load32x2U>::Mem, uint64_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load8Splat>::Mem, uint8_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load16Splat>::Mem, uint16_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load32Splat>::Mem, uint32_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load64Splat>::Mem, uint64_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load32Zero>::Mem, uint32_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load64Zero>::Mem, uint64_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load8Lane>::Mem, uint8_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Load64Lane>::Mem, uint64_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Store16Lane>::Mem, uint16_t>);
  STATIC_REQUIRE(std::is_same_v<OpSem<Opcode::V128Store32Lane>::Mem, uint32_t>);
}

// ---- splat, lanes, shuffle, swizzle ----------------------------------------------------------

TEST_CASE("splat truncates integers and copies float bits", "[simd]") {
  CHECK(SEM(I8x16Splat)(0x1FF) == splat<uint8_t>(0xFF));
  CHECK(SEM(I16x8Splat)(0x12345) == splat<uint16_t>(0x2345));
  CHECK(SEM(I32x4Splat)(0x80000001) == splat<uint32_t>(0x80000001));
  CHECK(SEM(I64x2Splat)(0x0123456789ABCDEF) == splat<uint64_t>(0x0123456789ABCDEF));
  CHECK(SEM(F32x4Splat)(-0.0f) == splat<uint32_t>(0x80000000));
  CHECK(SEM(F32x4Splat)(kSNanF) == splat<uint32_t>(0x7FA00001));
  CHECK(SEM(F64x2Splat)(kSNanD) == splat<uint64_t>(0x7FF4000000000001));
}

TEST_CASE("extract_lane sign- or zero-extends; replace_lane wraps", "[simd]") {
  V128 v = i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x7F, 0x80);
  CHECK(SEM(I8x16ExtractLaneS)(v, 15) == 0xFFFFFF80u);
  CHECK(SEM(I8x16ExtractLaneU)(v, 15) == 0x80u);
  CHECK(SEM(I8x16ExtractLaneS)(v, 14) == 0x7Fu);
  CHECK(SEM(I8x16ExtractLaneU)(v, 3) == 3u);
  CHECK(SEM(I8x16ReplaceLane)(v, 0x1234, 0) ==
        i8(0x34, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 0x7F, 0x80));

  V128 w = i16(0, 1, 2, 3, 4, 5, 0x7FFF, 0x8000);
  CHECK(SEM(I16x8ExtractLaneS)(w, 7) == 0xFFFF8000u);
  CHECK(SEM(I16x8ExtractLaneU)(w, 7) == 0x8000u);
  CHECK(SEM(I16x8ExtractLaneS)(w, 6) == 0x7FFFu);
  CHECK(SEM(I16x8ReplaceLane)(w, 0xABCD1234, 7) == i16(0, 1, 2, 3, 4, 5, 0x7FFF, 0x1234));

  V128 x = i32(10, 20, 0xFFFFFFFF, 40);
  CHECK(SEM(I32x4ExtractLane)(x, 2) == 0xFFFFFFFFu);
  CHECK(SEM(I32x4ReplaceLane)(x, 7, 3) == i32(10, 20, 0xFFFFFFFF, 7));
  V128 y = i64(1, 0x8000000000000000);
  CHECK(SEM(I64x2ExtractLane)(y, 1) == 0x8000000000000000u);
  CHECK(SEM(I64x2ReplaceLane)(y, 5, 0) == i64(5, 0x8000000000000000));

  V128 f = f32(1.0f, -0.0f, kSNanF, kInfF);
  CHECK(bits_of(SEM(F32x4ExtractLane)(f, 1)) == 0x80000000u);
  CHECK(bits_of(SEM(F32x4ExtractLane)(f, 2)) == 0x7FA00001u);
  CHECK(SEM(F32x4ReplaceLane)(f, kNegArithNanF, 0) ==
        i32(0xFFC12345, 0x80000000, 0x7FA00001, 0x7F800000));
  V128 d = f64(-0.0, kSNanD);
  CHECK(bits_of(SEM(F64x2ExtractLane)(d, 0)) == 0x8000000000000000u);
  CHECK(bits_of(SEM(F64x2ExtractLane)(d, 1)) == 0x7FF4000000000001u);
  CHECK(SEM(F64x2ReplaceLane)(d, 2.5, 1) == f64(-0.0, 2.5));
}

TEST_CASE("swizzle selects bytes of the first operand; indices >= 16 give 0", "[simd]") {
  V128 a = i8(0xF0, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD,
              0xFE, 0xFF);
  CHECK(SEM(I8x16Swizzle)(a, i8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)) ==
        i8(0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8, 0xF7, 0xF6, 0xF5, 0xF4, 0xF3, 0xF2, 0xF1,
           0xF0));
  CHECK(SEM(I8x16Swizzle)(a, i8(16, 17, 0x7F, 0x80, 0xFF, 0, 1, 31, 32, 15, 64, 2, 3, 4, 5, 6)) ==
        i8(0, 0, 0, 0, 0, 0xF0, 0xF1, 0, 0, 0xFF, 0, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6));
}

TEST_CASE("shuffle indexes the concatenation of both operands", "[simd]") {
  V128 a = i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  V128 b = i8(16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31);
  V128 interleave = i8(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
  CHECK(SEM(I8x16Shuffle)(a, b, interleave) == interleave);
  V128 reverse_b = i8(31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16);
  CHECK(SEM(I8x16Shuffle)(a, splat<uint8_t>(0xAA), reverse_b) == splat<uint8_t>(0xAA));
  CHECK(SEM(I8x16Shuffle)(splat<uint8_t>(7), b, splat<uint8_t>(0)) == splat<uint8_t>(7));
  CHECK(SEM(I8x16Shuffle)(a, b, splat<uint8_t>(31)) == splat<uint8_t>(31));
}

// ---- bitwise and boolean reductions ----------------------------------------------------------

TEST_CASE("v128 bitwise operations", "[simd]") {
  V128 a = i64(0xFF00FF00F0F0CCCC, 0x0123456789ABCDEF);
  V128 b = i64(0x0F0F0F0F0F0F0F0F, 0xFFFFFFFF00000000);
  CHECK(SEM(V128Not)(a) == i64(0x00FF00FF0F0F3333, 0xFEDCBA9876543210));
  CHECK(SEM(V128And)(a, b) == i64(0x0F000F0000000C0C, 0x0123456700000000));
  CHECK(SEM(V128Andnot)(a, b) == i64(0xF000F000F0F0C0C0, 0x0000000089ABCDEF));
  CHECK(SEM(V128Or)(a, b) == i64(0xFF0FFF0FFFFFCFCF, 0xFFFFFFFF89ABCDEF));
  CHECK(SEM(V128Xor)(a, b) == i64(0xF00FF00FFFFFC3C3, 0xFEDCBA9889ABCDEF));
  V128 mask = i64(0xFFFFFFFF00000000, 0x00000000FFFFFFFF);
  CHECK(SEM(V128Bitselect)(a, b, mask) == i64(0xFF00FF000F0F0F0F, 0xFFFFFFFF89ABCDEF));
  CHECK(SEM(V128Bitselect)(splat<uint8_t>(0xAA), splat<uint8_t>(0x55), splat<uint8_t>(0xF0)) ==
        splat<uint8_t>(0xA5));
}

TEST_CASE("any_true, all_true and bitmask", "[simd]") {
  CHECK(SEM(V128AnyTrue)(V128{}) == 0u);
  CHECK(SEM(V128AnyTrue)(i64(0, 0x8000000000000000)) == 1u);
  CHECK(SEM(V128AnyTrue)(i8(0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0)) == 1u);

  CHECK(SEM(I8x16AllTrue)(splat<uint8_t>(1)) == 1u);
  CHECK(SEM(I8x16AllTrue)(i8(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0)) == 0u);
  CHECK(SEM(I8x16AllTrue)(splat<uint16_t>(0x0100)) == 0u);
  CHECK(SEM(I16x8AllTrue)(splat<uint16_t>(0x0100)) == 1u);
  CHECK(SEM(I16x8AllTrue)(i16(1, 1, 1, 1, 0, 1, 1, 1)) == 0u);
  CHECK(SEM(I32x4AllTrue)(splat<uint32_t>(0x00010000)) == 1u);
  CHECK(SEM(I32x4AllTrue)(i32(0x80000000, 1, 0, 1)) == 0u);
  CHECK(SEM(I16x8AllTrue)(splat<uint32_t>(0x00010000)) == 0u);
  CHECK(SEM(I64x2AllTrue)(splat<uint64_t>(0x0000000100000000)) == 1u);
  CHECK(SEM(I32x4AllTrue)(splat<uint64_t>(0x0000000100000000)) == 0u);
  CHECK(SEM(I64x2AllTrue)(i64(0, 1)) == 0u);

  CHECK(SEM(I8x16Bitmask)(V128{}) == 0u);
  CHECK(SEM(I8x16Bitmask)(splat<uint8_t>(0x80)) == 0xFFFFu);
  CHECK(SEM(I8x16Bitmask)(splat<uint8_t>(0x7F)) == 0u);
  CHECK(SEM(I8x16Bitmask)(i8(0x80, 0, 0xFF, 0, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 0, 0x80, 0xC0)) ==
        0xC085u);
  for (unsigned lane = 0; lane < 16; ++lane) {
    V128 one;
    one.bytes[lane] = 0x80;
    CHECK(SEM(I8x16Bitmask)(one) == 1u << lane);
  }
  CHECK(SEM(I16x8Bitmask)(i16(0x8000, 0x7FFF, 0xFFFF, 0, 0, 0, 0, 0x8001)) == 0x85u);
  CHECK(SEM(I16x8Bitmask)(splat<uint8_t>(0x80)) == 0xFFu);
  CHECK(SEM(I32x4Bitmask)(i32(0, 0x80000000, 0x7FFFFFFF, 0xFFFFFFFF)) == 0xAu);
  CHECK(SEM(I64x2Bitmask)(i64(0x8000000000000000, 0x7FFFFFFFFFFFFFFF)) == 0x1u);
  CHECK(SEM(I64x2Bitmask)(splat<uint8_t>(0x80)) == 0x3u);
}

// ---- integer comparisons ---------------------------------------------------------------------

TEST_CASE("integer comparisons distinguish signed and unsigned lanes", "[simd]") {
  V128 a = splat<uint8_t>(0x80), b = splat<uint8_t>(0x01);
  V128 t = splat<uint8_t>(0xFF), f = V128{};
  CHECK(SEM(I8x16Eq)(a, a) == t);
  CHECK(SEM(I8x16Ne)(a, a) == f);
  CHECK(SEM(I8x16LtS)(a, b) == t);
  CHECK(SEM(I8x16LtU)(a, b) == f);
  CHECK(SEM(I8x16GtS)(a, b) == f);
  CHECK(SEM(I8x16GtU)(a, b) == t);
  CHECK(SEM(I8x16LeS)(a, a) == t);
  CHECK(SEM(I8x16LeU)(b, a) == t);
  CHECK(SEM(I8x16GeS)(b, a) == t);
  CHECK(SEM(I8x16GeU)(b, a) == f);
  CHECK(SEM(I8x16Eq)(i8(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16),
                     i8(1, 0, 3, 0, 5, 0, 7, 0, 9, 0, 11, 0, 13, 0, 15, 0)) ==
        i16(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF));

  V128 c = i16(0x8000, 0x7FFF, 0xFFFF, 0, 1, 2, 3, 4);
  V128 d = i16(0x7FFF, 0x8000, 0, 0xFFFF, 1, 3, 2, 4);
  CHECK(SEM(I16x8LtS)(c, d) == i16(-1, 0, -1, 0, 0, -1, 0, 0));
  CHECK(SEM(I16x8LtU)(c, d) == i16(0, -1, 0, -1, 0, -1, 0, 0));
  CHECK(SEM(I16x8GtS)(c, d) == i16(0, -1, 0, -1, 0, 0, -1, 0));
  CHECK(SEM(I16x8GtU)(c, d) == i16(-1, 0, -1, 0, 0, 0, -1, 0));
  CHECK(SEM(I16x8LeS)(c, d) == i16(-1, 0, -1, 0, -1, -1, 0, -1));
  CHECK(SEM(I16x8LeU)(c, d) == i16(0, -1, 0, -1, -1, -1, 0, -1));
  CHECK(SEM(I16x8GeS)(c, d) == i16(0, -1, 0, -1, -1, 0, -1, -1));
  CHECK(SEM(I16x8GeU)(c, d) == i16(-1, 0, -1, 0, -1, 0, -1, -1));
  CHECK(SEM(I16x8Eq)(c, d) == i16(0, 0, 0, 0, -1, 0, 0, -1));
  CHECK(SEM(I16x8Ne)(c, d) == i16(-1, -1, -1, -1, 0, -1, -1, 0));

  V128 e = i32(0x80000000, 0xFFFFFFFF, 5, 7), g = i32(1, 0, 5, 6);
  CHECK(SEM(I32x4Eq)(e, g) == i32(0, 0, -1, 0));
  CHECK(SEM(I32x4Ne)(e, g) == i32(-1, -1, 0, -1));
  CHECK(SEM(I32x4LtS)(e, g) == i32(-1, -1, 0, 0));
  CHECK(SEM(I32x4LtU)(e, g) == i32(0, 0, 0, 0));
  CHECK(SEM(I32x4GtS)(e, g) == i32(0, 0, 0, -1));
  CHECK(SEM(I32x4GtU)(e, g) == i32(-1, -1, 0, -1));
  CHECK(SEM(I32x4LeS)(e, g) == i32(-1, -1, -1, 0));
  CHECK(SEM(I32x4LeU)(e, g) == i32(0, 0, -1, 0));
  CHECK(SEM(I32x4GeS)(e, g) == i32(0, 0, -1, -1));
  CHECK(SEM(I32x4GeU)(e, g) == i32(-1, -1, -1, -1));

  V128 h = i64(0x8000000000000000, 3), k = i64(0x7FFFFFFFFFFFFFFF, 3);
  CHECK(SEM(I64x2Eq)(h, k) == i64(0, -1));
  CHECK(SEM(I64x2Ne)(h, k) == i64(-1, 0));
  CHECK(SEM(I64x2LtS)(h, k) == i64(-1, 0));
  CHECK(SEM(I64x2GtS)(h, k) == i64(0, 0));
  CHECK(SEM(I64x2LeS)(h, k) == i64(-1, -1));
  CHECK(SEM(I64x2GeS)(h, k) == i64(0, -1));
  CHECK(SEM(I64x2GtS)(i64(0, -1), i64(-1, 0)) == i64(-1, 0));
}

// ---- integer arithmetic ----------------------------------------------------------------------

TEST_CASE("add, sub, mul and neg wrap", "[simd]") {
  CHECK(SEM(I8x16Add)(splat<uint8_t>(0x7F), splat<uint8_t>(1)) == splat<uint8_t>(0x80));
  CHECK(SEM(I8x16Add)(splat<uint8_t>(0xFF), splat<uint8_t>(2)) == splat<uint8_t>(1));
  CHECK(SEM(I8x16Sub)(splat<uint8_t>(0x80), splat<uint8_t>(1)) == splat<uint8_t>(0x7F));
  CHECK(SEM(I16x8Add)(splat<uint16_t>(0xFFFF), splat<uint16_t>(1)) == V128{});
  CHECK(SEM(I16x8Sub)(V128{}, splat<uint16_t>(1)) == splat<uint16_t>(0xFFFF));
  CHECK(SEM(I16x8Mul)(splat<uint16_t>(0x8000), splat<uint16_t>(2)) == V128{});
  CHECK(SEM(I16x8Mul)(splat<uint16_t>(0xFFFF), splat<uint16_t>(0xFFFF)) == splat<uint16_t>(1));
  CHECK(SEM(I16x8Mul)(i16(1, 2, 3, 4, 5, 6, 7, 0x100), i16(-1, 2, -3, 4, 5, 0, 7, 0x100)) ==
        i16(-1, 4, -9, 16, 25, 0, 49, 0));
  CHECK(SEM(I32x4Add)(i32(0x7FFFFFFF, 1, 2, 3), i32(1, 1, 1, 0xFFFFFFFF)) ==
        i32(0x80000000, 2, 3, 2));
  CHECK(SEM(I32x4Sub)(i32(0x80000000, 0, 5, 3), i32(1, 1, 10, 3)) ==
        i32(0x7FFFFFFF, 0xFFFFFFFF, -5, 0));
  CHECK(SEM(I32x4Mul)(i32(0x7FFFFFFF, 0x10000, -3, 123456789), i32(2, 0x10000, 7, 987654321)) ==
        i32(0xFFFFFFFE, 0, -21, static_cast<uint32_t>(123456789ull * 987654321ull)));
  CHECK(SEM(I64x2Add)(i64(0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF), i64(2, 1)) ==
        i64(1, 0x8000000000000000));
  CHECK(SEM(I64x2Sub)(i64(0, 0x8000000000000000), i64(1, 1)) ==
        i64(0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF));
  CHECK(SEM(I64x2Mul)(i64(0xFFFFFFFFFFFFFFFF, 0x100000000), i64(2, 0x100000001)) ==
        i64(0xFFFFFFFFFFFFFFFE, 0x100000000));
  CHECK(SEM(I64x2Mul)(i64(0x0123456789ABCDEF, 3), i64(0xFEDCBA9876543210, -5)) ==
        i64(0x0123456789ABCDEFull * 0xFEDCBA9876543210ull, -15));

  CHECK(SEM(I8x16Neg)(i8(0x80, 0x7F, 1, 0, 0xFF, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)) ==
        i8(0x80, 0x81, 0xFF, 0, 1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12));
  CHECK(SEM(I16x8Neg)(i16(0x8000, 0x7FFF, 1, 0, -1, 5, 6, 7)) ==
        i16(0x8000, 0x8001, -1, 0, 1, -5, -6, -7));
  CHECK(SEM(I32x4Neg)(i32(0x80000000, 0x7FFFFFFF, 1, 0)) == i32(0x80000000, 0x80000001, -1, 0));
  CHECK(SEM(I64x2Neg)(i64(0x8000000000000000, 1)) == i64(0x8000000000000000, -1));
}

TEST_CASE("abs keeps INT_MIN", "[simd]") {
  CHECK(SEM(I8x16Abs)(i8(0x80, 0x81, 0xFF, 0, 1, 0x7F, -5, 5, -100, 100, -127, 3, 2, 1, 0, -1)) ==
        i8(0x80, 0x7F, 1, 0, 1, 0x7F, 5, 5, 100, 100, 127, 3, 2, 1, 0, 1));
  CHECK(SEM(I16x8Abs)(i16(0x8000, 0x8001, -1, 0, 1, 0x7FFF, -300, 300)) ==
        i16(0x8000, 0x7FFF, 1, 0, 1, 0x7FFF, 300, 300));
  CHECK(SEM(I32x4Abs)(i32(0x80000000, 0x80000001, -1, 7)) == i32(0x80000000, 0x7FFFFFFF, 1, 7));
  CHECK(SEM(I64x2Abs)(i64(0x8000000000000000, -12345678901ll)) ==
        i64(0x8000000000000000, 12345678901ll));
}

TEST_CASE("integer min and max", "[simd]") {
  V128 a = i8(0x80, 0x7F, 0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
  V128 b = i8(0x7F, 0x80, 0, 0xFF, 1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 0);
  CHECK(SEM(I8x16MinS)(a, b) == i8(0x80, 0x80, 0xFF, 0xFF, 1, 2, 2, 4, 5, 6, 7, 8, 9, 10, 11, 0));
  CHECK(SEM(I8x16MinU)(a, b) == i8(0x7F, 0x7F, 0, 0, 1, 2, 2, 4, 5, 6, 7, 8, 9, 10, 11, 0));
  CHECK(SEM(I8x16MaxS)(a, b) == i8(0x7F, 0x7F, 0, 0, 1, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
  CHECK(SEM(I8x16MaxU)(a, b) == i8(0x80, 0x80, 0xFF, 0xFF, 1, 3, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
  V128 c = i16(0x8000, 0x7FFF, 0xFFFF, 0, 1, 2, 3, 4),
       d = i16(0x7FFF, 0x8000, 0, 0xFFFF, 1, 3, 2, 4);
  CHECK(SEM(I16x8MinS)(c, d) == i16(0x8000, 0x8000, 0xFFFF, 0xFFFF, 1, 2, 2, 4));
  CHECK(SEM(I16x8MinU)(c, d) == i16(0x7FFF, 0x7FFF, 0, 0, 1, 2, 2, 4));
  CHECK(SEM(I16x8MaxS)(c, d) == i16(0x7FFF, 0x7FFF, 0, 0, 1, 3, 3, 4));
  CHECK(SEM(I16x8MaxU)(c, d) == i16(0x8000, 0x8000, 0xFFFF, 0xFFFF, 1, 3, 3, 4));
  V128 e = i32(0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 4), g = i32(0x7FFFFFFF, 0x80000000, 0, 4);
  CHECK(SEM(I32x4MinS)(e, g) == i32(0x80000000, 0x80000000, 0xFFFFFFFF, 4));
  CHECK(SEM(I32x4MinU)(e, g) == i32(0x7FFFFFFF, 0x7FFFFFFF, 0, 4));
  CHECK(SEM(I32x4MaxS)(e, g) == i32(0x7FFFFFFF, 0x7FFFFFFF, 0, 4));
  CHECK(SEM(I32x4MaxU)(e, g) == i32(0x80000000, 0x80000000, 0xFFFFFFFF, 4));
}

TEST_CASE("saturating add and sub clamp at the lane bounds", "[simd]") {
  V128 a = i8(0x7F, 0x80, 0x80, 0x7F, 100, -100, 0, 1, 0xFF, 0xFE, 5, 6, 7, 8, 9, 10);
  V128 b = i8(1, 0xFF, 0x80, 0x7F, 27, -28, 0, 0xFF, 1, 2, 5, 6, 7, 8, 9, 10);
  CHECK(SEM(I8x16AddSatS)(a, b) ==
        i8(0x7F, 0x80, 0x80, 0x7F, 127, -128, 0, 0, 0, 0, 10, 12, 14, 16, 18, 20));
  CHECK(SEM(I8x16AddSatU)(a, b) ==
        i8(0x80, 0xFF, 0xFF, 0xFE, 127, 0xFF, 0, 0xFF, 0xFF, 0xFF, 10, 12, 14, 16, 18, 20));
  CHECK(SEM(I8x16SubSatS)(a, b) == i8(0x7E, 0x81, 0, 0, 73, -72, 0, 2, -2, -4, 0, 0, 0, 0, 0, 0));
  CHECK(SEM(I8x16SubSatS)(splat<uint8_t>(0x80), splat<uint8_t>(1)) == splat<uint8_t>(0x80));
  CHECK(SEM(I8x16SubSatS)(splat<uint8_t>(0x7F), splat<uint8_t>(0xFF)) == splat<uint8_t>(0x7F));
  CHECK(SEM(I8x16SubSatU)(a, b) == i8(0x7E, 0, 0, 0, 73, 0, 0, 0, 0xFE, 0xFC, 0, 0, 0, 0, 0, 0));

  V128 c = i16(0x7FFF, 0x8000, 0x8000, 0xFFFF, 30000, -30000, 0, 1);
  V128 d = i16(1, 0xFFFF, 0x8000, 1, 30000, 30000, 0xFFFF, 0xFFFF);
  CHECK(SEM(I16x8AddSatS)(c, d) == i16(0x7FFF, 0x8000, 0x8000, 0, 0x7FFF, 0, -1, 0));
  CHECK(SEM(I16x8AddSatU)(c, d) ==
        i16(0x8000, 0xFFFF, 0xFFFF, 0xFFFF, 60000, 0xFFFF, 0xFFFF, 0xFFFF));
  CHECK(SEM(I16x8SubSatS)(c, d) == i16(0x7FFE, 0x8001, 0, -2, 0, 0x8000, 1, 2));
  CHECK(SEM(I16x8SubSatU)(c, d) == i16(0x7FFE, 0, 0, 0xFFFE, 0, 5536, 0, 0));
}

/// Runs a lane-wise binary op over every pair (a, b) of 8-bit values, 16 pairs per call, and
/// compares each lane with `ref(a, b)` (ints holding the lane's value, wrapped to 8 bits).
template <typename Ref>
bool every_byte_pair_matches(V128 (*op)(V128, V128), Ref ref) {
  for (unsigned a = 0; a < 256; ++a) {
    for (unsigned b0 = 0; b0 < 256; b0 += 16) {
      V128 x = splat<uint8_t>(static_cast<uint8_t>(a)), y;
      for (unsigned i = 0; i < 16; ++i) y.bytes[i] = static_cast<uint8_t>(b0 + i);
      V128 r = op(x, y);
      for (unsigned i = 0; i < 16; ++i) {
        int expected = ref(static_cast<int>(a), static_cast<int>(b0 + i));
        if (r.bytes[i] != static_cast<uint8_t>(expected)) {
          UNSCOPED_INFO("a=" << a << " b=" << b0 + i << " got " << int{r.bytes[i]} << " expected "
                             << expected);
          return false;
        }
      }
    }
  }
  return true;
}

/// The same over 16-bit lanes: every a against a set of boundary values b.
template <typename Ref>
bool every_i16_against_boundaries(V128 (*op)(V128, V128), Ref ref) {
  const uint16_t bs[8] = {0, 1, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x4000, 0xC000};
  V128 y;
  for (unsigned i = 0; i < 8; ++i) y.set_lane<uint16_t>(i, bs[i]);
  for (unsigned a = 0; a < 0x10000; ++a) {
    V128 r = op(splat<uint16_t>(static_cast<uint16_t>(a)), y);
    for (unsigned i = 0; i < 8; ++i) {
      int expected = ref(static_cast<int>(a), static_cast<int>(bs[i]));
      if (r.lane<uint16_t>(i) != static_cast<uint16_t>(expected)) {
        UNSCOPED_INFO("a=" << a << " b=" << bs[i] << " got " << r.lane<uint16_t>(i) << " expected "
                           << expected);
        return false;
      }
    }
  }
  return true;
}

int s8(int x) {
  return static_cast<int8_t>(x);
}
int s16(int x) {
  return static_cast<int16_t>(x);
}
int clamp_to(int x, int lo, int hi) {
  return x < lo ? lo : x > hi ? hi : x;
}

TEST_CASE("8-bit lane ops agree with a scalar reference on every operand pair", "[simd]") {
  CHECK(every_byte_pair_matches(SEM(I8x16AddSatS),
                                [](int a, int b) { return clamp_to(s8(a) + s8(b), -128, 127); }));
  CHECK(every_byte_pair_matches(SEM(I8x16SubSatS),
                                [](int a, int b) { return clamp_to(s8(a) - s8(b), -128, 127); }));
  CHECK(every_byte_pair_matches(SEM(I8x16AddSatU),
                                [](int a, int b) { return clamp_to(a + b, 0, 255); }));
  CHECK(every_byte_pair_matches(SEM(I8x16SubSatU),
                                [](int a, int b) { return clamp_to(a - b, 0, 255); }));
  CHECK(every_byte_pair_matches(SEM(I8x16AvgrU), [](int a, int b) { return (a + b + 1) / 2; }));
  CHECK(every_byte_pair_matches(SEM(I8x16Add), [](int a, int b) { return a + b; }));
  CHECK(every_byte_pair_matches(SEM(I8x16Sub), [](int a, int b) { return a - b; }));
  CHECK(
      every_byte_pair_matches(SEM(I8x16MinS), [](int a, int b) { return s8(a) < s8(b) ? a : b; }));
  CHECK(
      every_byte_pair_matches(SEM(I8x16MaxS), [](int a, int b) { return s8(a) > s8(b) ? a : b; }));
  CHECK(every_byte_pair_matches(SEM(I8x16MinU), [](int a, int b) { return a < b ? a : b; }));
  CHECK(every_byte_pair_matches(SEM(I8x16MaxU), [](int a, int b) { return a > b ? a : b; }));
  CHECK(every_byte_pair_matches(SEM(I8x16LtS), [](int a, int b) { return -(s8(a) < s8(b)); }));
  CHECK(every_byte_pair_matches(SEM(I8x16GeU), [](int a, int b) { return -(a >= b); }));
  // Shifts: the second operand's byte is the count (0-255 covers every residue many times).
  auto shift_by_lane = [](auto op) {
    return [op](V128 x, V128 y) {
      V128 r;
      for (unsigned i = 0; i < 16; ++i) r.bytes[i] = op(x, y.bytes[i]).bytes[i];
      return r;
    };
  };
  static auto shl = shift_by_lane(SEM(I8x16Shl));
  static auto shr_s = shift_by_lane(SEM(I8x16ShrS));
  static auto shr_u = shift_by_lane(SEM(I8x16ShrU));
  CHECK(every_byte_pair_matches([](V128 x, V128 y) { return shl(x, y); },
                                [](int a, int b) { return a << (b % 8); }));
  CHECK(every_byte_pair_matches([](V128 x, V128 y) { return shr_s(x, y); },
                                [](int a, int b) { return s8(a) >> (b % 8); }));
  CHECK(every_byte_pair_matches([](V128 x, V128 y) { return shr_u(x, y); },
                                [](int a, int b) { return a >> (b % 8); }));
}

TEST_CASE("16-bit lane ops agree with a scalar reference at the boundaries", "[simd]") {
  CHECK(every_i16_against_boundaries(
      SEM(I16x8AddSatS), [](int a, int b) { return clamp_to(s16(a) + s16(b), -32768, 32767); }));
  CHECK(every_i16_against_boundaries(
      SEM(I16x8SubSatS), [](int a, int b) { return clamp_to(s16(a) - s16(b), -32768, 32767); }));
  CHECK(every_i16_against_boundaries(SEM(I16x8AddSatU),
                                     [](int a, int b) { return clamp_to(a + b, 0, 65535); }));
  CHECK(every_i16_against_boundaries(SEM(I16x8SubSatU),
                                     [](int a, int b) { return clamp_to(a - b, 0, 65535); }));
  CHECK(
      every_i16_against_boundaries(SEM(I16x8AvgrU), [](int a, int b) { return (a + b + 1) / 2; }));
  CHECK(every_i16_against_boundaries(SEM(I16x8Q15mulrSatS), [](int a, int b) {
    // floor((a * b + 2^14) / 2^15) without relying on >> of negatives
    int p = s16(a) * s16(b) + 0x4000;
    int q = p >= 0 ? p / 32768 : -((-p + 32767) / 32768);
    return clamp_to(q, -32768, 32767);
  }));
  CHECK(every_i16_against_boundaries(SEM(I16x8Mul), [](int a, int b) {
    return static_cast<int>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b) & 0xFFFF);
  }));
  CHECK(every_i16_against_boundaries(SEM(I16x8MinS),
                                     [](int a, int b) { return s16(a) < s16(b) ? a : b; }));
  CHECK(every_i16_against_boundaries(SEM(I16x8MaxU), [](int a, int b) { return a > b ? a : b; }));
}

TEST_CASE("avgr_u rounds up without overflowing", "[simd]") {
  CHECK(SEM(I8x16AvgrU)(i8(0xFF, 0xFF, 0, 0, 1, 2, 3, 200, 0, 0, 0, 0, 0, 0, 0, 0x80),
                        i8(0xFF, 0xFE, 0, 1, 2, 2, 4, 100, 0, 0, 0, 0, 0, 0, 0, 0x7F)) ==
        i8(0xFF, 0xFF, 0, 1, 2, 2, 4, 150, 0, 0, 0, 0, 0, 0, 0, 0x80));
  CHECK(SEM(I16x8AvgrU)(i16(0xFFFF, 0xFFFF, 0, 0, 1, 40000, 3, 0x8000),
                        i16(0xFFFF, 0xFFFE, 0, 1, 2, 20001, 4, 0x7FFF)) ==
        i16(0xFFFF, 0xFFFF, 0, 1, 2, 30001, 4, 0x8000));
}

TEST_CASE("q15mulr_sat_s rounds and saturates INT16_MIN squared", "[simd]") {
  CHECK(SEM(I16x8Q15mulrSatS)(splat<uint16_t>(0x8000), splat<uint16_t>(0x8000)) ==
        splat<uint16_t>(0x7FFF));
  CHECK(SEM(I16x8Q15mulrSatS)(i16(0x8000, 0x7FFF, 16384, 1, -1, 16384, -16384, 0),
                              i16(0x7FFF, 0x7FFF, 16384, 16384, 16384, -1, -1, 0x8000)) ==
        i16(-32767, 32766, 8192, 1, 0, 0, 1, 0));
}

TEST_CASE("popcnt counts the bits of every byte", "[simd]") {
  for (unsigned base = 0; base < 256; base += 16) {
    V128 v, expected;
    for (unsigned i = 0; i < 16; ++i) {
      v.bytes[i] = static_cast<uint8_t>(base + i);
      expected.bytes[i] = static_cast<uint8_t>(std::popcount(base + i));
    }
    CHECK(SEM(I8x16Popcnt)(v) == expected);
  }
}

TEST_CASE("shift counts are taken modulo the lane width", "[simd]") {
  V128 a = i8(0x80, 0x7F, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x81);
  CHECK(SEM(I8x16Shl)(a, 8) == a);
  CHECK(SEM(I8x16ShrS)(a, 8) == a);
  CHECK(SEM(I8x16ShrU)(a, 0x100) == a);
  CHECK(SEM(I8x16Shl)(a, 9) == i8(0, 0xFE, 0xFE, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 2));
  CHECK(SEM(I8x16ShrS)(a, 7) == i8(0xFF, 0, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF));
  CHECK(SEM(I8x16ShrS)(a, 0xFFFFFFFF) == SEM(I8x16ShrS)(a, 7));
  CHECK(SEM(I8x16ShrU)(a, 7) == i8(1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1));
  CHECK(SEM(I8x16ShrS)(a, 1) == i8(0xC0, 0x3F, 0xFF, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 0xC0));
  CHECK(SEM(I8x16ShrU)(a, 1) == i8(0x40, 0x3F, 0x7F, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 0x40));

  V128 b = i16(0x8000, 0x7FFF, 0xFFFF, 1, 0x8001, 0x4000, 3, 0x1234);
  CHECK(SEM(I16x8Shl)(b, 16) == b);
  CHECK(SEM(I16x8Shl)(b, 17) == i16(0, 0xFFFE, 0xFFFE, 2, 2, 0x8000, 6, 0x2468));
  CHECK(SEM(I16x8ShrS)(b, 15) == i16(-1, 0, -1, 0, -1, 0, 0, 0));
  CHECK(SEM(I16x8ShrS)(b, 31) == SEM(I16x8ShrS)(b, 15));
  CHECK(SEM(I16x8ShrU)(b, 15) == i16(1, 0, 1, 0, 1, 0, 0, 0));
  CHECK(SEM(I16x8ShrU)(b, 0x20) == b);

  V128 c = i32(0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 0x12345678);
  CHECK(SEM(I32x4Shl)(c, 32) == c);
  CHECK(SEM(I32x4Shl)(c, 33) == i32(0, 0xFFFFFFFE, 0xFFFFFFFE, 0x2468ACF0));
  CHECK(SEM(I32x4ShrS)(c, 31) == i32(-1, 0, -1, 0));
  CHECK(SEM(I32x4ShrS)(c, 0xFFFFFFFF) == i32(-1, 0, -1, 0));
  CHECK(SEM(I32x4ShrU)(c, 31) == i32(1, 0, 1, 0));
  CHECK(SEM(I32x4ShrU)(c, 4) == i32(0x08000000, 0x07FFFFFF, 0x0FFFFFFF, 0x01234567));
  CHECK(SEM(I32x4ShrS)(c, 4) == i32(0xF8000000, 0x07FFFFFF, 0xFFFFFFFF, 0x01234567));

  V128 d = i64(0x8000000000000000, 0x0123456789ABCDEF);
  CHECK(SEM(I64x2Shl)(d, 64) == d);
  CHECK(SEM(I64x2Shl)(d, 68) == i64(0, 0x123456789ABCDEF0));
  CHECK(SEM(I64x2ShrS)(d, 63) == i64(-1, 0));
  CHECK(SEM(I64x2ShrS)(d, 127) == i64(-1, 0));
  CHECK(SEM(I64x2ShrS)(d, 4) == i64(0xF800000000000000, 0x00123456789ABCDE));
  CHECK(SEM(I64x2ShrU)(d, 4) == i64(0x0800000000000000, 0x00123456789ABCDE));
  CHECK(SEM(I64x2ShrU)(d, 0x80000040) == d);
}

// ---- narrowing and widening ------------------------------------------------------------------

TEST_CASE("narrow saturates signed input", "[simd]") {
  V128 a = i16(-32768, -129, -128, -1, 0, 127, 128, 32767);
  V128 b = i16(255, 256, 1, 2, 0x7FFF, 0x8000, -2, 100);
  CHECK(SEM(I8x16NarrowI16x8S)(a, b) ==
        i8(-128, -128, -128, -1, 0, 127, 127, 127, 127, 127, 1, 2, 127, -128, -2, 100));
  CHECK(SEM(I8x16NarrowI16x8U)(a, b) ==
        i8(0, 0, 0, 0, 0, 127, 128, 255, 255, 255, 1, 2, 255, 0, 0, 100));
  V128 c = i32(0x80000000, -32769, -32768, 65535), d = i32(32767, 32768, 65536, 0x7FFFFFFF);
  CHECK(SEM(I16x8NarrowI32x4S)(c, d) ==
        i16(-32768, -32768, -32768, 32767, 32767, 32767, 32767, 32767));
  CHECK(SEM(I16x8NarrowI32x4U)(c, d) == i16(0, 0, 0, 65535, 32767, 32768, 65535, 65535));
}

TEST_CASE("extend widens the low or high half", "[simd]") {
  V128 a = i8(0x80, 0x7F, 0xFF, 0, 1, 2, 3, 4, 0x81, 0xFE, 5, 6, 7, 8, 9, 0x90);
  CHECK(SEM(I16x8ExtendLowI8x16S)(a) == i16(-128, 127, -1, 0, 1, 2, 3, 4));
  CHECK(SEM(I16x8ExtendHighI8x16S)(a) == i16(-127, -2, 5, 6, 7, 8, 9, -112));
  CHECK(SEM(I16x8ExtendLowI8x16U)(a) == i16(128, 127, 255, 0, 1, 2, 3, 4));
  CHECK(SEM(I16x8ExtendHighI8x16U)(a) == i16(129, 254, 5, 6, 7, 8, 9, 144));
  V128 b = i16(0x8000, 0x7FFF, 0xFFFF, 1, 0x8001, 2, 0xFFFE, 3);
  CHECK(SEM(I32x4ExtendLowI16x8S)(b) == i32(-32768, 32767, -1, 1));
  CHECK(SEM(I32x4ExtendHighI16x8S)(b) == i32(-32767, 2, -2, 3));
  CHECK(SEM(I32x4ExtendLowI16x8U)(b) == i32(32768, 32767, 65535, 1));
  CHECK(SEM(I32x4ExtendHighI16x8U)(b) == i32(32769, 2, 65534, 3));
  V128 c = i32(0x80000000, 0x7FFFFFFF, 0xFFFFFFFF, 5);
  CHECK(SEM(I64x2ExtendLowI32x4S)(c) == i64(0xFFFFFFFF80000000, 0x7FFFFFFF));
  CHECK(SEM(I64x2ExtendHighI32x4S)(c) == i64(-1, 5));
  CHECK(SEM(I64x2ExtendLowI32x4U)(c) == i64(0x80000000, 0x7FFFFFFF));
  CHECK(SEM(I64x2ExtendHighI32x4U)(c) == i64(0xFFFFFFFF, 5));
}

TEST_CASE("extmul multiplies widened halves exactly", "[simd]") {
  V128 a = i8(0x80, 0x80, 0x7F, 0xFF, 2, 3, 0xFF, 10, 0x80, 0xFF, 0x7F, 0, 1, 2, 3, 4);
  V128 b = i8(0x80, 0x7F, 0x7F, 0xFF, -3, 4, 0xFF, 10, 0xFF, 0xFF, 0x80, 9, 1, 2, 3, 4);
  CHECK(SEM(I16x8ExtmulLowI8x16S)(a, b) == i16(16384, -16256, 16129, 1, -6, 12, 1, 100));
  CHECK(SEM(I16x8ExtmulHighI8x16S)(a, b) == i16(128, 1, -16256, 0, 1, 4, 9, 16));
  CHECK(SEM(I16x8ExtmulLowI8x16U)(a, b) == i16(16384, 16256, 16129, 65025, 506, 12, 65025, 100));
  CHECK(SEM(I16x8ExtmulHighI8x16U)(a, b) == i16(32640, 65025, 16256, 0, 1, 4, 9, 16));

  V128 c = i16(0x8000, 0xFFFF, 0x7FFF, 3, 0x8000, 0xFFFF, 2, 0x7FFF);
  V128 d = i16(0x8000, 0xFFFF, 0x8000, -4, 0x7FFF, 1, 0xFFFF, 0x7FFF);
  CHECK(SEM(I32x4ExtmulLowI16x8S)(c, d) == i32(0x40000000, 1, -1073709056, -12));
  CHECK(SEM(I32x4ExtmulHighI16x8S)(c, d) == i32(-1073709056, -1, -2, 1073676289));
  CHECK(SEM(I32x4ExtmulLowI16x8U)(c, d) == i32(0x40000000, 0xFFFE0001, 0x3FFF8000, 196596));
  CHECK(SEM(I32x4ExtmulHighI16x8U)(c, d) == i32(0x3FFF8000, 65535, 131070, 1073676289));

  V128 e = i32(0x80000000, 0xFFFFFFFF, 0x7FFFFFFF, 0x80000000);
  V128 g = i32(0x80000000, 0xFFFFFFFF, 0x80000000, 2);
  CHECK(SEM(I64x2ExtmulLowI32x4S)(e, g) == i64(0x4000000000000000, 1));
  CHECK(SEM(I64x2ExtmulHighI32x4S)(e, g) == i64(-0x3FFFFFFF80000000ll, -0x100000000ll));
  CHECK(SEM(I64x2ExtmulLowI32x4U)(e, g) == i64(0x4000000000000000, 0xFFFFFFFE00000001));
  CHECK(SEM(I64x2ExtmulHighI32x4U)(e, g) == i64(0x3FFFFFFF80000000, 0x100000000));
}

TEST_CASE("extadd_pairwise sums neighbours in wider lanes", "[simd]") {
  V128 a = i8(0x80, 0x80, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 1, 0, 0, 5, -7, 0x80, 0x7F, 3, 4);
  CHECK(SEM(I16x8ExtaddPairwiseI8x16S)(a) == i16(-256, 254, -2, 0, 0, -2, -1, 7));
  CHECK(SEM(I16x8ExtaddPairwiseI8x16U)(a) == i16(256, 254, 510, 256, 0, 254, 255, 7));
  V128 b = i16(0x8000, 0x8000, 0x7FFF, 0x7FFF, 0xFFFF, 0xFFFF, 1, -3);
  CHECK(SEM(I32x4ExtaddPairwiseI16x8S)(b) == i32(-65536, 65534, -2, -2));
  CHECK(SEM(I32x4ExtaddPairwiseI16x8U)(b) == i32(65536, 65534, 131070, 65534));
}

TEST_CASE("dot wraps the one overflowing pair sum", "[simd]") {
  CHECK(SEM(I32x4DotI16x8S)(splat<uint16_t>(0x8000), splat<uint16_t>(0x8000)) ==
        splat<uint32_t>(0x80000000));
  CHECK(SEM(I32x4DotI16x8S)(i16(1, 2, 3, 4, -5, 6, 0x7FFF, 0x7FFF),
                            i16(7, 8, -9, 10, 11, 12, 0x7FFF, 0x8000)) == i32(23, 13, 17, -32767));
}

// ---- float arithmetic ------------------------------------------------------------------------

TEST_CASE("float arithmetic follows IEEE, NaN results canonical or arithmetic", "[simd]") {
  V128 r = SEM(F32x4Add)(f32(1.5f, kInfF, kNanF, -0.0f), f32(2.25f, -kInfF, 1.0f, -0.0f));
  CHECK(r.lane<float>(0) == 3.75f);
  CHECK(is_canonical_nan(r.lane<float>(1)));  // inf - inf: no NaN input, so canonical
  CHECK(is_canonical_nan(r.lane<float>(2)));
  CHECK(bits_of(r.lane<float>(3)) == 0x80000000u);
  r = SEM(F32x4Sub)(f32(1.0f, kInfF, kSNanF, 0.0f), f32(3.0f, kInfF, 1.0f, 0.0f));
  CHECK(r.lane<float>(0) == -2.0f);
  CHECK(is_canonical_nan(r.lane<float>(1)));
  CHECK(is_arithmetic_nan(r.lane<float>(2)));
  CHECK(bits_of(r.lane<float>(3)) == 0u);
  r = SEM(F32x4Mul)(f32(-0.0f, kInfF, 3.0f, 1e30f), f32(5.0f, 0.0f, kNegArithNanF, 1e30f));
  CHECK(bits_of(r.lane<float>(0)) == 0x80000000u);
  CHECK(is_canonical_nan(r.lane<float>(1)));
  CHECK(is_arithmetic_nan(r.lane<float>(2)));
  CHECK(r.lane<float>(3) == kInfF);
  r = SEM(F32x4Div)(f32(1.0f, 0.0f, -1.0f, 1.0f), f32(0.0f, 0.0f, 0.0f, 3.0f));
  CHECK(r.lane<float>(0) == kInfF);
  CHECK(is_canonical_nan(r.lane<float>(1)));
  CHECK(r.lane<float>(2) == -kInfF);
  CHECK(r.lane<float>(3) == 1.0f / 3.0f);

  V128 d = SEM(F64x2Add)(f64(0.1, kInfD), f64(0.2, -kInfD));
  CHECK(d.lane<double>(0) == 0.1 + 0.2);
  CHECK(is_canonical_nan(d.lane<double>(1)));
  d = SEM(F64x2Sub)(f64(kSNanD, 1.0), f64(1.0, 1.0));
  CHECK(is_arithmetic_nan(d.lane<double>(0)));
  CHECK(bits_of(d.lane<double>(1)) == 0u);
  d = SEM(F64x2Mul)(f64(-0.0, 1e300), f64(0.0, 1e300));
  CHECK(bits_of(d.lane<double>(0)) == 0x8000000000000000u);
  CHECK(d.lane<double>(1) == kInfD);
  d = SEM(F64x2Div)(f64(-1.0, kInfD), f64(0.0, kInfD));
  CHECK(d.lane<double>(0) == -kInfD);
  CHECK(is_canonical_nan(d.lane<double>(1)));
}

TEST_CASE("sqrt, abs and neg", "[simd]") {
  V128 r = SEM(F32x4Sqrt)(f32(4.0f, -1.0f, -0.0f, kSNanF));
  CHECK(r.lane<float>(0) == 2.0f);
  CHECK(is_canonical_nan(r.lane<float>(1)));
  CHECK(bits_of(r.lane<float>(2)) == 0x80000000u);
  CHECK(is_arithmetic_nan(r.lane<float>(3)));
  V128 d = SEM(F64x2Sqrt)(f64(2.0, -kInfD));
  CHECK(d.lane<double>(0) == std::sqrt(2.0));
  CHECK(is_canonical_nan(d.lane<double>(1)));

  // abs and neg only touch the sign bit, NaN payloads included.
  CHECK(SEM(F32x4Abs)(i32(0xFFC12345, 0x80000000, 0x7FA00001, 0xBF800000)) ==
        i32(0x7FC12345, 0, 0x7FA00001, 0x3F800000));
  CHECK(SEM(F32x4Neg)(i32(0xFFC12345, 0x80000000, 0x7FA00001, 0)) ==
        i32(0x7FC12345, 0, 0xFFA00001, 0x80000000));
  CHECK(SEM(F64x2Abs)(i64(0xFFF4000000000001, 0x8000000000000000)) == i64(0x7FF4000000000001, 0));
  CHECK(SEM(F64x2Neg)(i64(0x7FF4000000000001, 0)) == i64(0xFFF4000000000001, 0x8000000000000000));
}

TEST_CASE("float min and max propagate NaN and order -0 below +0", "[simd]") {
  V128 a = f32(-0.0f, 0.0f, kNanF, 1.0f), b = f32(0.0f, -0.0f, 1.0f, kSNanF);
  V128 mn = SEM(F32x4Min)(a, b), mx = SEM(F32x4Max)(a, b);
  CHECK(bits_of(mn.lane<float>(0)) == 0x80000000u);
  CHECK(bits_of(mn.lane<float>(1)) == 0x80000000u);
  CHECK(is_canonical_nan(mn.lane<float>(2)));
  CHECK(is_arithmetic_nan(mn.lane<float>(3)));
  CHECK(bits_of(mx.lane<float>(0)) == 0u);
  CHECK(bits_of(mx.lane<float>(1)) == 0u);
  CHECK(is_canonical_nan(mx.lane<float>(2)));
  CHECK(is_arithmetic_nan(mx.lane<float>(3)));
  CHECK(SEM(F32x4Min)(f32(1.0f, -kInfF, 3.0f, -0.0f), f32(2.0f, kInfF, -3.0f, -0.0f)) ==
        f32(1.0f, -kInfF, -3.0f, -0.0f));
  CHECK(SEM(F32x4Max)(f32(1.0f, -kInfF, 3.0f, -0.0f), f32(2.0f, kInfF, -3.0f, -0.0f)) ==
        f32(2.0f, kInfF, 3.0f, -0.0f));
  CHECK(is_arithmetic_nan(SEM(F32x4Min)(splat(kNegArithNanF), splat(kNanF)).lane<float>(0)));

  V128 c = f64(-0.0, kSNanD), d = f64(0.0, -5.0);
  V128 dmn = SEM(F64x2Min)(c, d), dmx = SEM(F64x2Max)(c, d);
  CHECK(bits_of(dmn.lane<double>(0)) == 0x8000000000000000u);
  CHECK(is_arithmetic_nan(dmn.lane<double>(1)));
  CHECK(bits_of(dmx.lane<double>(0)) == 0u);
  CHECK(is_arithmetic_nan(dmx.lane<double>(1)));
  CHECK(is_canonical_nan(SEM(F64x2Max)(f64(kNanD, 1.0), f64(2.0, kNanD)).lane<double>(1)));
  CHECK(SEM(F64x2Min)(f64(1.0, -1.0), f64(2.0, -2.0)) == f64(1.0, -2.0));
  CHECK(SEM(F64x2Max)(f64(1.0, -1.0), f64(2.0, -2.0)) == f64(2.0, -1.0));
}

TEST_CASE("pmin and pmax are b < a ? b : a and a < b ? b : a on the bits", "[simd]") {
  V128 a = f32(-0.0f, 0.0f, kSNanF, 1.0f), b = f32(0.0f, -0.0f, 1.0f, kNegArithNanF);
  CHECK(SEM(F32x4Pmin)(a, b) == i32(0x80000000, 0, 0x7FA00001, 0x3F800000));
  CHECK(SEM(F32x4Pmax)(a, b) == i32(0x80000000, 0, 0x7FA00001, 0x3F800000));
  CHECK(SEM(F32x4Pmin)(f32(2.0f, -1.0f, kInfF, -kInfF), f32(1.0f, 3.0f, 0.0f, 0.0f)) ==
        f32(1.0f, -1.0f, 0.0f, -kInfF));
  CHECK(SEM(F32x4Pmax)(f32(2.0f, -1.0f, kInfF, -kInfF), f32(1.0f, 3.0f, 0.0f, 0.0f)) ==
        f32(2.0f, 3.0f, kInfF, 0.0f));
  CHECK(SEM(F64x2Pmin)(f64(kSNanD, 5.0), f64(1.0, kSNanD)) ==
        i64(0x7FF4000000000001, bits_of(5.0)));
  CHECK(SEM(F64x2Pmax)(f64(0.0, 5.0), f64(-0.0, 6.0)) == f64(0.0, 6.0));
  CHECK(SEM(F64x2Pmin)(f64(0.0, 5.0), f64(-0.0, 4.0)) == f64(0.0, 4.0));
}

TEST_CASE("float comparisons are false on NaN except ne, and -0 == +0", "[simd]") {
  V128 a = f32(kNanF, -0.0f, 1.0f, 2.0f), b = f32(kNanF, 0.0f, 2.0f, 1.0f);
  CHECK(SEM(F32x4Eq)(a, b) == i32(0, -1, 0, 0));
  CHECK(SEM(F32x4Ne)(a, b) == i32(-1, 0, -1, -1));
  CHECK(SEM(F32x4Lt)(a, b) == i32(0, 0, -1, 0));
  CHECK(SEM(F32x4Gt)(a, b) == i32(0, 0, 0, -1));
  CHECK(SEM(F32x4Le)(a, b) == i32(0, -1, -1, 0));
  CHECK(SEM(F32x4Ge)(a, b) == i32(0, -1, 0, -1));
  CHECK(SEM(F32x4Lt)(f32(-kInfF, 1.0f, kSNanF, 0.0f), f32(kInfF, kNanF, 1.0f, -0.0f)) ==
        i32(-1, 0, 0, 0));
  V128 c = f64(kSNanD, -0.0), d = f64(1.0, 0.0);
  CHECK(SEM(F64x2Eq)(c, d) == i64(0, -1));
  CHECK(SEM(F64x2Ne)(c, d) == i64(-1, 0));
  CHECK(SEM(F64x2Lt)(c, d) == i64(0, 0));
  CHECK(SEM(F64x2Gt)(c, d) == i64(0, 0));
  CHECK(SEM(F64x2Le)(c, d) == i64(0, -1));
  CHECK(SEM(F64x2Ge)(c, d) == i64(0, -1));
  CHECK(SEM(F64x2Lt)(f64(1.0, 2.0), f64(2.0, 1.0)) == i64(-1, 0));
  CHECK(SEM(F64x2Gt)(f64(1.0, 2.0), f64(2.0, 1.0)) == i64(0, -1));
}

TEST_CASE("ceil, floor, trunc and nearest (ties to even)", "[simd]") {
  CHECK(SEM(F32x4Ceil)(f32(-0.5f, 0.5f, -1.5f, 8388607.5f)) == f32(-0.0f, 1.0f, -1.0f, 8388608.0f));
  CHECK(SEM(F32x4Floor)(f32(-0.5f, 0.5f, -1.5f, -0.0f)) == f32(-1.0f, 0.0f, -2.0f, -0.0f));
  CHECK(SEM(F32x4Trunc)(f32(-0.5f, 0.5f, -1.5f, 1e30f)) == f32(-0.0f, 0.0f, -1.0f, 1e30f));
  CHECK(SEM(F32x4Nearest)(f32(0.5f, 1.5f, 2.5f, -0.5f)) == f32(0.0f, 2.0f, 2.0f, -0.0f));
  CHECK(SEM(F32x4Nearest)(f32(-2.5f, 8388609.0f, -kInfF, 3.5f)) ==
        f32(-2.0f, 8388609.0f, -kInfF, 4.0f));
  CHECK(SEM(F64x2Ceil)(f64(-0.5, 4503599627370495.5)) == f64(-0.0, 4503599627370496.0));
  CHECK(SEM(F64x2Floor)(f64(-0.5, 0.5)) == f64(-1.0, 0.0));
  CHECK(SEM(F64x2Trunc)(f64(-0.99, 2.99)) == f64(-0.0, 2.0));
  CHECK(SEM(F64x2Nearest)(f64(0.5, -2.5)) == f64(0.0, -2.0));
  CHECK(SEM(F64x2Nearest)(f64(4503599627370497.0, -1.5)) == f64(4503599627370497.0, -2.0));
  // NaN in, arithmetic NaN out (a signalling input is quieted).
  V128 n = SEM(F32x4Nearest)(f32(kSNanF, kNanF, kNegArithNanF, 0.0f));
  CHECK(is_arithmetic_nan(n.lane<float>(0)));
  CHECK(is_canonical_nan(n.lane<float>(1)));
  CHECK(is_arithmetic_nan(n.lane<float>(2)));
  CHECK(is_arithmetic_nan(SEM(F32x4Ceil)(splat(kSNanF)).lane<float>(3)));
  CHECK(is_arithmetic_nan(SEM(F32x4Floor)(splat(kSNanF)).lane<float>(3)));
  CHECK(is_arithmetic_nan(SEM(F32x4Trunc)(splat(kSNanF)).lane<float>(3)));
  CHECK(is_arithmetic_nan(SEM(F64x2Ceil)(splat(kSNanD)).lane<double>(1)));
  CHECK(is_arithmetic_nan(SEM(F64x2Floor)(splat(kSNanD)).lane<double>(1)));
  CHECK(is_arithmetic_nan(SEM(F64x2Trunc)(splat(kSNanD)).lane<double>(1)));
  CHECK(is_arithmetic_nan(SEM(F64x2Nearest)(splat(kSNanD)).lane<double>(1)));
}

// ---- conversions -----------------------------------------------------------------------------

TEST_CASE("trunc_sat maps NaN to 0 and saturates", "[simd]") {
  CHECK(SEM(I32x4TruncSatF32x4S)(f32(kNanF, kInfF, -kInfF, -1.9f)) ==
        i32(0, 0x7FFFFFFF, 0x80000000, -1));
  CHECK(SEM(I32x4TruncSatF32x4S)(f32(2147483648.0f, -2147483648.0f, 2147483520.0f, -0.9f)) ==
        i32(0x7FFFFFFF, 0x80000000, 2147483520, 0));
  CHECK(SEM(I32x4TruncSatF32x4S)(f32(-2147483904.0f, kSNanF, 1e10f, 123.99f)) ==
        i32(0x80000000, 0, 0x7FFFFFFF, 123));
  CHECK(SEM(I32x4TruncSatF32x4U)(f32(kNanF, kInfF, -kInfF, -1.9f)) == i32(0, 0xFFFFFFFF, 0, 0));
  CHECK(SEM(I32x4TruncSatF32x4U)(f32(4294967296.0f, 4294967040.0f, -0.9f, 2147483648.0f)) ==
        i32(0xFFFFFFFF, 4294967040u, 0, 0x80000000));
  CHECK(SEM(I32x4TruncSatF32x4U)(f32(-0.0f, 1.5f, kNegArithNanF, 1e10f)) ==
        i32(0, 1, 0, 0xFFFFFFFF));

  CHECK(SEM(I32x4TruncSatF64x2SZero)(f64(-2147483648.9, 2147483647.9)) ==
        i32(0x80000000, 0x7FFFFFFF, 0, 0));
  CHECK(SEM(I32x4TruncSatF64x2SZero)(f64(-2147483649.0, 2147483648.0)) ==
        i32(0x80000000, 0x7FFFFFFF, 0, 0));
  CHECK(SEM(I32x4TruncSatF64x2SZero)(f64(kNanD, -1.5)) == i32(0, -1, 0, 0));
  CHECK(SEM(I32x4TruncSatF64x2SZero)(f64(kInfD, -kInfD)) == i32(0x7FFFFFFF, 0x80000000, 0, 0));
  CHECK(SEM(I32x4TruncSatF64x2UZero)(f64(4294967295.9, 4294967296.0)) ==
        i32(0xFFFFFFFF, 0xFFFFFFFF, 0, 0));
  CHECK(SEM(I32x4TruncSatF64x2UZero)(f64(-0.9, -1.0)) == i32(0, 0, 0, 0));
  CHECK(SEM(I32x4TruncSatF64x2UZero)(f64(kSNanD, 12.7)) == i32(0, 12, 0, 0));
}

TEST_CASE("integer to float conversions round to nearest even", "[simd]") {
  CHECK(SEM(F32x4ConvertI32x4S)(i32(16777217, 16777219, 0x80000000, -1)) ==
        f32(16777216.0f, 16777220.0f, -2147483648.0f, -1.0f));
  CHECK(SEM(F32x4ConvertI32x4S)(i32(0x7FFFFFFF, 0, -16777217, 0x7FFFFF80)) ==
        f32(2147483648.0f, 0.0f, -16777216.0f, 2147483520.0f));
  CHECK(SEM(F32x4ConvertI32x4U)(i32(0xFFFFFFFF, 0x80000000, 2147483777u, 16777219)) ==
        f32(4294967296.0f, 2147483648.0f, 2147483904.0f, 16777220.0f));
  CHECK(SEM(F32x4ConvertI32x4U)(i32(0xFFFFFF7F, 0xFFFFFF80, 0x80000080, 1)) ==
        f32(4294967040.0f, 4294967296.0f, 2147483648.0f, 1.0f));
  CHECK(SEM(F64x2ConvertLowI32x4S)(i32(0x80000000, 0x7FFFFFFF, 5, 6)) ==
        f64(-2147483648.0, 2147483647.0));
  CHECK(SEM(F64x2ConvertLowI32x4U)(i32(0x80000000, 0xFFFFFFFF, 5, 6)) ==
        f64(2147483648.0, 4294967295.0));
}

TEST_CASE("demote rounds and zeroes the upper lanes; promote is exact", "[simd]") {
  CHECK(SEM(F32x4DemoteF64x2Zero)(f64(1e300, -1e300)) == f32(kInfF, -kInfF, 0.0f, 0.0f));
  CHECK(SEM(F32x4DemoteF64x2Zero)(f64(1.0 + 0x1p-24, 1.0 + 0x3p-24)) ==
        f32(1.0f, 1.0f + 0x1p-22f, 0.0f, 0.0f));
  CHECK(SEM(F32x4DemoteF64x2Zero)(f64(0x1p-1074, -0x1p-150)) == f32(0.0f, -0.0f, 0.0f, 0.0f));
  CHECK(SEM(F32x4DemoteF64x2Zero)(f64(0x1.fffffefffffffp127, 0x1.ffffffp127)) ==
        f32(0x1.fffffep127f, kInfF, 0.0f, 0.0f));
  V128 n = SEM(F32x4DemoteF64x2Zero)(f64(kNanD, kSNanD));
  CHECK(is_canonical_nan(n.lane<float>(0)));
  CHECK(is_arithmetic_nan(n.lane<float>(1)));
  CHECK(n.lane<uint64_t>(1) == 0u);

  CHECK(SEM(F64x2PromoteLowF32x4)(f32(0x1.fffffep127f, -0.0f, 1.0f, 2.0f)) ==
        f64(0x1.fffffep127, -0.0));
  CHECK(SEM(F64x2PromoteLowF32x4)(f32(0x1p-149f, -kInfF, 1.0f, 2.0f)) == f64(0x1p-149, -kInfD));
  V128 p = SEM(F64x2PromoteLowF32x4)(f32(kNanF, kSNanF, 0.0f, 0.0f));
  CHECK(is_canonical_nan(p.lane<double>(0)));
  CHECK(is_arithmetic_nan(p.lane<double>(1)));
}

// ---- memory value transformations ------------------------------------------------------------

TEST_CASE("extending loads widen the 8 loaded bytes", "[simd]") {
  uint64_t bytes = 0x8081FF7F01020304;  // byte 0 is 0x04, byte 7 is 0x80
  CHECK(SEM(V128Load8x8S)(bytes) == i16(4, 3, 2, 1, 0x7F, -1, -127, -128));
  CHECK(SEM(V128Load8x8U)(bytes) == i16(4, 3, 2, 1, 0x7F, 0xFF, 0x81, 0x80));
  CHECK(SEM(V128Load16x4S)(bytes) == i32(0x0304, 0x0102, 0xFFFFFF7F, 0xFFFF8081));
  CHECK(SEM(V128Load16x4U)(bytes) == i32(0x0304, 0x0102, 0xFF7F, 0x8081));
  CHECK(SEM(V128Load32x2S)(bytes) == i64(0x01020304, 0xFFFFFFFF8081FF7F));
  CHECK(SEM(V128Load32x2U)(bytes) == i64(0x01020304, 0x8081FF7F));
}

TEST_CASE("splat, zero and lane loads; lane stores", "[simd]") {
  CHECK(SEM(V128Load8Splat)(0x80) == splat<uint8_t>(0x80));
  CHECK(SEM(V128Load16Splat)(0xBEEF) == splat<uint16_t>(0xBEEF));
  CHECK(SEM(V128Load32Splat)(0xDEADBEEF) == splat<uint32_t>(0xDEADBEEF));
  CHECK(SEM(V128Load64Splat)(0x0123456789ABCDEF) == splat<uint64_t>(0x0123456789ABCDEF));
  CHECK(SEM(V128Load32Zero)(0xDEADBEEF) == i32(0xDEADBEEF, 0, 0, 0));
  CHECK(SEM(V128Load64Zero)(0x0123456789ABCDEF) == i64(0x0123456789ABCDEF, 0));

  V128 v = i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  CHECK(SEM(V128Load8Lane)(v, 0xAA, 15) ==
        i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 0xAA));
  CHECK(SEM(V128Load16Lane)(v, 0xBBAA, 1) ==
        i8(0, 1, 0xAA, 0xBB, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  CHECK(SEM(V128Load32Lane)(v, 0xDDCCBBAA, 3) ==
        i8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0xAA, 0xBB, 0xCC, 0xDD));
  CHECK(SEM(V128Load64Lane)(v, 0x1122334455667788, 0) ==
        i8(0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 8, 9, 10, 11, 12, 13, 14, 15));

  CHECK(SEM(V128Store8Lane)(v, 9) == 9);
  CHECK(SEM(V128Store16Lane)(v, 7) == 0x0F0E);
  CHECK(SEM(V128Store32Lane)(v, 1) == 0x07060504u);
  CHECK(SEM(V128Store64Lane)(v, 1) == 0x0F0E0D0C0B0A0908u);
}

}  // namespace
}  // namespace zinc::vm

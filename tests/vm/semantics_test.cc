// tests/vm/semantics_test.cc: unit tests of vm/semantics.h, the scalar OpSem specialisations.
//
// First a completeness check driven by decoder/opcodes.def (every scalar computational row has
// an OpSem of the shape its signature says), then edge cases per family, following
// https://webassembly.github.io/spec/core/exec/numerics.html. Floats are compared by bits
// wherever the sign of zero or a NaN payload matters.
#include "vm/semantics.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace zinc::vm {
namespace {

using decoder::ImmKind;
using decoder::Opcode;
using decoder::SigType;

// ---- Completeness: one OpSem per scalar row of opcodes.def ----------------------------------

template <SigType kType>
struct SigCType;
template <>
struct SigCType<SigType::I32> {
  using Type = uint32_t;
};
template <>
struct SigCType<SigType::I64> {
  using Type = uint64_t;
};
template <>
struct SigCType<SigType::F32> {
  using Type = float;
};
template <>
struct SigCType<SigType::F64> {
  using Type = double;
};
template <SigType kType>
using CType = typename SigCType<kType>::Type;

template <Opcode kOp>
concept HasOpSem = requires {
  &OpSem<kOp>::apply;
};

template <Opcode kOp>
concept TrapsOpSem = requires {
  requires OpSem<kOp>::kTraps;
};

// Rows OpSem must cover: not SIMD, no immediates, a real signature producing one value
// (this leaves out nop, ":"; control and variable instructions are "*").
constexpr bool needs_op_sem(Opcode op) {
  const auto& info = decoder::opcode_info(op);
  return info.prefix != 0xFD && info.imm == ImmKind::None && !info.sig.special &&
         info.sig.num_results == 1;
}

// apply's exact type: R(A...) when it cannot trap, TrapCode(A..., R&) when it can.
template <Opcode kOp>
constexpr bool op_sem_shape_matches() {
  constexpr decoder::Signature kSig = decoder::opcode_info(kOp).sig;
  using R = CType<kSig.results[0]>;
  using Fn = decltype(&OpSem<kOp>::apply);
  if constexpr (kSig.num_params == 1) {
    using A = CType<kSig.params[0]>;
    if constexpr (TrapsOpSem<kOp>) return std::is_same_v<Fn, TrapCode (*)(A, R&)>;
    return std::is_same_v<Fn, R (*)(A)>;
  } else if constexpr (kSig.num_params == 2) {
    using A = CType<kSig.params[0]>;
    using B = CType<kSig.params[1]>;
    if constexpr (TrapsOpSem<kOp>) return std::is_same_v<Fn, TrapCode (*)(A, B, R&)>;
    return std::is_same_v<Fn, R (*)(A, B)>;
  } else {
    return false;
  }
}

struct RowCheck {
  std::string_view name;
  bool needed;
  bool present;
  bool shape_ok;
};

template <Opcode kOp>
constexpr RowCheck check_row(std::string_view name) {
  if constexpr (!needs_op_sem(kOp)) {
    return {name, false, HasOpSem<kOp>, false};
  } else if constexpr (!HasOpSem<kOp>) {
    return {name, true, false, false};
  } else {
    return {name, true, true, op_sem_shape_matches<kOp>()};
  }
}

constexpr RowCheck kRowChecks[] = {
#define V(N, P, C, T, I, S, F) check_row<Opcode::N>(#N),
#include "decoder/opcodes.def"
#undef V
};

TEST_CASE("every scalar computational opcode has an OpSem of the right shape", "[semantics]") {
  std::vector<std::string> missing, wrong_shape;
  int covered = 0;
  for (const RowCheck& row : kRowChecks) {
    if (!row.needed) continue;
    if (!row.present) {
      missing.emplace_back(row.name);
    } else if (!row.shape_ok) {
      wrong_shape.emplace_back(row.name);
    } else {
      ++covered;
    }
  }
  INFO("missing: " << Catch::Detail::stringify(missing));
  INFO("wrong apply signature: " << Catch::Detail::stringify(wrong_shape));
  CHECK(missing.empty());
  CHECK(wrong_shape.empty());
  // 34 comparisons + 64 arithmetic + 25 conversions + 5 sign extensions + 8 trunc_sat.
  CHECK(covered == 136);
}

// ---- Helpers --------------------------------------------------------------------------------

template <Opcode kOp, typename... A>
constexpr auto sem(A... a) {
  return OpSem<kOp>::apply(a...);
}

// Runs a trapping op: {trap code, result (0 when trapped)}.
template <typename R>
struct Trapped {
  TrapCode code;
  R value;
};
template <Opcode kOp, typename R, typename... A>
constexpr Trapped<R> trap_sem(A... a) {
  static_assert(OpSem<kOp>::kTraps);
  R out{};
  TrapCode code = OpSem<kOp>::apply(a..., out);
  return {code, code == TrapCode::None ? out : R{}};
}

constexpr uint32_t kI32Min = 0x8000'0000u;
constexpr uint64_t kI64Min = 0x8000'0000'0000'0000u;
constexpr uint32_t kAll32 = 0xFFFF'FFFFu;
constexpr uint64_t kAll64 = ~uint64_t{0};

constexpr float f32(uint32_t bits) {
  return float_from_bits<float>(bits);
}
constexpr double f64(uint64_t bits) {
  return float_from_bits<double>(bits);
}
constexpr float kInfF = std::numeric_limits<float>::infinity();
constexpr double kInfD = std::numeric_limits<double>::infinity();
constexpr uint32_t kSNanF = 0x7FA0'0001u;  // signalling, payload 0x200001
constexpr uint64_t kSNanD = 0x7FF4'0000'0000'0001u;

// The integer type's bit pattern of a signed value.
constexpr uint32_t u32(int32_t v) {
  return static_cast<uint32_t>(v);
}
constexpr uint64_t u64(int64_t v) {
  return static_cast<uint64_t>(v);
}

// Some ops are usable in constant expressions (constant folding, const exprs).
static_assert(sem<Opcode::I32Add>(kAll32, 2u) == 1u);
static_assert(sem<Opcode::I64Rotl>(kI64Min, uint64_t{65}) == 1u);
static_assert(trap_sem<Opcode::I32DivS, uint32_t>(kI32Min, kAll32).code ==
              TrapCode::IntegerOverflow);
static_assert(float_bits(sem<Opcode::F32Min>(0.0f, -0.0f)) == 0x8000'0000u);
static_assert(sem<Opcode::I32TruncSatF64U>(-3.0) == 0u);
static_assert(float_bits(canonical_nan<float>()) == 0x7FC0'0000u);
static_assert(float_bits(canonical_nan<double>()) == 0x7FF8'0000'0000'0000u);

// ---- Float bit helpers ----------------------------------------------------------------------

TEST_CASE("float bit helpers", "[semantics]") {
  CHECK(float_bits(1.0f) == 0x3F80'0000u);
  CHECK(float_bits(-0.0) == 0x8000'0000'0000'0000u);
  CHECK(float_from_bits<float>(0x4000'0000u) == 2.0f);
  CHECK(is_nan(f32(kSNanF)));
  CHECK(is_nan(f32(0xFFFF'FFFFu)));
  CHECK(is_nan(canonical_nan<double>()));
  CHECK_FALSE(is_nan(kInfF));
  CHECK_FALSE(is_nan(-kInfD));
  CHECK_FALSE(is_nan(0.0f));
  CHECK(is_canonical_nan(f32(0xFFC0'0000u)));
  CHECK_FALSE(is_canonical_nan(f32(0x7FC0'0001u)));
  CHECK(is_arithmetic_nan(f32(0x7FC0'0001u)));
  CHECK_FALSE(is_arithmetic_nan(f32(kSNanF)));
  CHECK_FALSE(is_arithmetic_nan(kInfF));
  CHECK(float_bits(quiet_nan(f32(kSNanF))) == 0x7FE0'0001u);
  CHECK(float_bits(quiet_nan(f64(kSNanD))) == 0x7FFC'0000'0000'0001u);
}

// ---- Integer operations ---------------------------------------------------------------------

TEST_CASE("integer comparisons", "[semantics]") {
  CHECK(sem<Opcode::I32Eqz>(0u) == 1u);
  CHECK(sem<Opcode::I32Eqz>(kI32Min) == 0u);
  CHECK(sem<Opcode::I64Eqz>(uint64_t{0}) == 1u);
  CHECK(sem<Opcode::I64Eqz>(uint64_t{1} << 32) == 0u);  // not just the low half
  CHECK(sem<Opcode::I32Eq>(5u, 5u) == 1u);
  CHECK(sem<Opcode::I32Ne>(5u, 5u) == 0u);
  CHECK(sem<Opcode::I64Eq>(uint64_t{1}, uint64_t{1} | (uint64_t{1} << 32)) == 0u);
  CHECK(sem<Opcode::I64Ne>(uint64_t{1}, uint64_t{1} | (uint64_t{1} << 32)) == 1u);

  // 0x80000000 is INT_MIN signed but 2^31 unsigned.
  CHECK(sem<Opcode::I32LtS>(kI32Min, 0u) == 1u);
  CHECK(sem<Opcode::I32LtU>(kI32Min, 0u) == 0u);
  CHECK(sem<Opcode::I32GtS>(kI32Min, 0u) == 0u);
  CHECK(sem<Opcode::I32GtU>(kI32Min, 0u) == 1u);
  CHECK(sem<Opcode::I32LeS>(kAll32, kAll32) == 1u);
  CHECK(sem<Opcode::I32LeS>(0u, kAll32) == 0u);
  CHECK(sem<Opcode::I32LeU>(0u, kAll32) == 1u);
  CHECK(sem<Opcode::I32GeS>(u32(-1), u32(-2)) == 1u);
  CHECK(sem<Opcode::I32GeU>(1u, kAll32) == 0u);
  CHECK(sem<Opcode::I32GeU>(kAll32, kAll32) == 1u);

  CHECK(sem<Opcode::I64LtS>(kI64Min, uint64_t{0}) == 1u);
  CHECK(sem<Opcode::I64LtU>(kI64Min, uint64_t{0}) == 0u);
  CHECK(sem<Opcode::I64GtS>(uint64_t{1}, kAll64) == 1u);
  CHECK(sem<Opcode::I64GtU>(uint64_t{1}, kAll64) == 0u);
  CHECK(sem<Opcode::I64LeS>(kAll64, uint64_t{0}) == 1u);
  CHECK(sem<Opcode::I64LeU>(kAll64, uint64_t{0}) == 0u);
  CHECK(sem<Opcode::I64GeS>(kI64Min, kI64Min) == 1u);
  CHECK(sem<Opcode::I64GeU>(kI64Min, kI64Min - 1) == 1u);
  CHECK(sem<Opcode::I64GeS>(kI64Min, kI64Min - 1) == 0u);
}

TEST_CASE("clz, ctz, popcnt", "[semantics]") {
  CHECK(sem<Opcode::I32Clz>(0u) == 32u);
  CHECK(sem<Opcode::I32Ctz>(0u) == 32u);
  CHECK(sem<Opcode::I32Popcnt>(0u) == 0u);
  CHECK(sem<Opcode::I32Clz>(1u) == 31u);
  CHECK(sem<Opcode::I32Ctz>(kI32Min) == 31u);
  CHECK(sem<Opcode::I32Clz>(kI32Min) == 0u);
  CHECK(sem<Opcode::I32Ctz>(1u) == 0u);
  CHECK(sem<Opcode::I32Popcnt>(kAll32) == 32u);
  CHECK(sem<Opcode::I32Popcnt>(0x8000'8000u) == 2u);
  CHECK(sem<Opcode::I32Clz>(0x0000'8000u) == 16u);

  CHECK(sem<Opcode::I64Clz>(uint64_t{0}) == 64u);
  CHECK(sem<Opcode::I64Ctz>(uint64_t{0}) == 64u);
  CHECK(sem<Opcode::I64Popcnt>(uint64_t{0}) == 0u);
  CHECK(sem<Opcode::I64Clz>(uint64_t{1}) == 63u);
  CHECK(sem<Opcode::I64Ctz>(kI64Min) == 63u);
  CHECK(sem<Opcode::I64Clz>(uint64_t{0xFFFF'FFFF}) == 32u);
  CHECK(sem<Opcode::I64Ctz>(uint64_t{1} << 32) == 32u);
  CHECK(sem<Opcode::I64Popcnt>(kAll64) == 64u);
  CHECK(sem<Opcode::I64Popcnt>(0x8000'0000'0000'8001u) == 3u);
}

TEST_CASE("integer add, sub, mul wrap around", "[semantics]") {
  CHECK(sem<Opcode::I32Add>(kAll32, 1u) == 0u);
  CHECK(sem<Opcode::I32Add>(0x7FFF'FFFFu, 1u) == kI32Min);
  CHECK(sem<Opcode::I32Sub>(0u, 1u) == kAll32);
  CHECK(sem<Opcode::I32Sub>(kI32Min, 1u) == 0x7FFF'FFFFu);
  CHECK(sem<Opcode::I32Mul>(0x1234'5678u, 0x9ABC'DEF0u) == 0x242D'2080u);
  CHECK(sem<Opcode::I32Mul>(kI32Min, kAll32) == kI32Min);
  CHECK(sem<Opcode::I32Mul>(0x7FFF'FFFFu, 0x7FFF'FFFFu) == 1u);

  CHECK(sem<Opcode::I64Add>(kAll64, uint64_t{1}) == 0u);
  CHECK(sem<Opcode::I64Add>(kI64Min - 1, uint64_t{1}) == kI64Min);
  CHECK(sem<Opcode::I64Sub>(uint64_t{0}, uint64_t{1}) == kAll64);
  CHECK(sem<Opcode::I64Mul>(0x0123'4567'89AB'CDEFu, 0xFEDC'BA98'7654'3210u) ==
        0x2236'D88F'E561'8CF0u);
  CHECK(sem<Opcode::I64Mul>(kI64Min, kAll64) == kI64Min);
}

TEST_CASE("division and remainder", "[semantics]") {
  using enum TrapCode;
  SECTION("by zero traps, whatever the dividend") {
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(1u, 0u).code == IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I32DivU, uint32_t>(0u, 0u).code == IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I32RemS, uint32_t>(kI32Min, 0u).code == IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I32RemU, uint32_t>(kAll32, 0u).code == IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I64DivS, uint64_t>(kI64Min, uint64_t{0}).code == IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I64DivU, uint64_t>(uint64_t{1}, uint64_t{0}).code ==
          IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I64RemS, uint64_t>(uint64_t{0}, uint64_t{0}).code ==
          IntegerDivideByZero);
    CHECK(trap_sem<Opcode::I64RemU, uint64_t>(kAll64, uint64_t{0}).code == IntegerDivideByZero);
    // A divisor whose low half is zero is not zero.
    CHECK(trap_sem<Opcode::I64DivU, uint64_t>(kAll64, uint64_t{1} << 32).value == 0xFFFF'FFFFu);
  }
  SECTION("INT_MIN / -1 overflows, INT_MIN % -1 is 0") {
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(kI32Min, kAll32).code == IntegerOverflow);
    CHECK(trap_sem<Opcode::I64DivS, uint64_t>(kI64Min, kAll64).code == IntegerOverflow);
    auto r32 = trap_sem<Opcode::I32RemS, uint32_t>(kI32Min, kAll32);
    CHECK(r32.code == None);
    CHECK(r32.value == 0u);
    auto r64 = trap_sem<Opcode::I64RemS, uint64_t>(kI64Min, kAll64);
    CHECK(r64.code == None);
    CHECK(r64.value == 0u);
    // Unsigned, the same bits are ordinary.
    CHECK(trap_sem<Opcode::I32DivU, uint32_t>(kI32Min, kAll32).value == 0u);
    CHECK(trap_sem<Opcode::I32RemU, uint32_t>(kI32Min, kAll32).value == kI32Min);
    CHECK(trap_sem<Opcode::I64DivU, uint64_t>(kAll64, kAll64).value == 1u);
    // Other divisions of INT_MIN are fine.
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(kI32Min, 2u).value == u32(-0x4000'0000));
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(kI32Min, 1u).value == kI32Min);
    CHECK(trap_sem<Opcode::I64DivS, uint64_t>(kI64Min, u64(-2)).value == uint64_t{1} << 62);
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(1u, kAll32).value == kAll32);
  }
  SECTION("signed division truncates toward zero, remainder takes the dividend's sign") {
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(u32(-7), 2u).value == u32(-3));
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(7u, u32(-2)).value == u32(-3));
    CHECK(trap_sem<Opcode::I32DivS, uint32_t>(u32(-7), u32(-2)).value == 3u);
    CHECK(trap_sem<Opcode::I32RemS, uint32_t>(u32(-7), 2u).value == u32(-1));
    CHECK(trap_sem<Opcode::I32RemS, uint32_t>(7u, u32(-2)).value == 1u);
    CHECK(trap_sem<Opcode::I32RemS, uint32_t>(u32(-7), u32(-2)).value == u32(-1));
    CHECK(trap_sem<Opcode::I64DivS, uint64_t>(u64(-7), uint64_t{2}).value == u64(-3));
    CHECK(trap_sem<Opcode::I64RemS, uint64_t>(u64(-7), uint64_t{2}).value == u64(-1));
    CHECK(trap_sem<Opcode::I64RemS, uint64_t>(uint64_t{7}, u64(-2)).value == 1u);
    CHECK(trap_sem<Opcode::I64RemS, uint64_t>(kI64Min, uint64_t{3}).value == u64(-2));
  }
  SECTION("unsigned") {
    CHECK(trap_sem<Opcode::I32DivU, uint32_t>(kAll32, 2u).value == 0x7FFF'FFFFu);
    CHECK(trap_sem<Opcode::I32RemU, uint32_t>(kAll32, 2u).value == 1u);
    CHECK(trap_sem<Opcode::I32DivU, uint32_t>(u32(-7), 2u).value == 0x7FFF'FFFCu);
    CHECK(trap_sem<Opcode::I64DivU, uint64_t>(kAll64, uint64_t{2}).value == kI64Min - 1);
    CHECK(trap_sem<Opcode::I64RemU, uint64_t>(kAll64, uint64_t{10}).value == 5u);
    CHECK(trap_sem<Opcode::I64DivU, uint64_t>(kI64Min, uint64_t{3}).value ==
          0x2AAA'AAAA'AAAA'AAAAu);
  }
}

TEST_CASE("bitwise and shifts", "[semantics]") {
  CHECK(sem<Opcode::I32And>(0xF0F0'FFFFu, 0xFF00'0F0Fu) == 0xF000'0F0Fu);
  CHECK(sem<Opcode::I32Or>(0xF0F0'0000u, 0x0F00'0001u) == 0xFFF0'0001u);
  CHECK(sem<Opcode::I32Xor>(0xFFFF'0000u, 0xF0F0'F0F0u) == 0x0F0F'F0F0u);
  CHECK(sem<Opcode::I64And>(kAll64, 0x1234'5678'9ABC'DEF0u) == 0x1234'5678'9ABC'DEF0u);
  CHECK(sem<Opcode::I64Or>(kI64Min, uint64_t{1}) == kI64Min + 1);
  CHECK(sem<Opcode::I64Xor>(kAll64, kI64Min) == kI64Min - 1);

  SECTION("i32 shift counts are taken modulo 32") {
    CHECK(sem<Opcode::I32Shl>(1u, 31u) == kI32Min);
    CHECK(sem<Opcode::I32Shl>(1u, 32u) == 1u);
    CHECK(sem<Opcode::I32Shl>(1u, 33u) == 2u);
    CHECK(sem<Opcode::I32Shl>(1u, kAll32) == kI32Min);  // -1 -> 31
    CHECK(sem<Opcode::I32ShrU>(kI32Min, 31u) == 1u);
    CHECK(sem<Opcode::I32ShrU>(kI32Min, 32u) == kI32Min);
    CHECK(sem<Opcode::I32ShrU>(kAll32, 0x8000'0001u) == 0x7FFF'FFFFu);
    CHECK(sem<Opcode::I32ShrS>(kI32Min, 31u) == kAll32);
    CHECK(sem<Opcode::I32ShrS>(kI32Min, 32u) == kI32Min);
    CHECK(sem<Opcode::I32ShrS>(kI32Min, 1u) == 0xC000'0000u);
    CHECK(sem<Opcode::I32ShrS>(0x4000'0000u, 30u) == 1u);  // positive: zero fill
    CHECK(sem<Opcode::I32ShrS>(u32(-2), kAll32) == kAll32);
    CHECK(sem<Opcode::I32Rotl>(0x8000'0001u, 1u) == 3u);
    CHECK(sem<Opcode::I32Rotl>(0x8000'0001u, 33u) == 3u);
    CHECK(sem<Opcode::I32Rotl>(0x1234'5678u, 0u) == 0x1234'5678u);
    CHECK(sem<Opcode::I32Rotl>(0x1234'5678u, 32u) == 0x1234'5678u);
    CHECK(sem<Opcode::I32Rotl>(0x1234'5678u, 4u) == 0x2345'6781u);
    CHECK(sem<Opcode::I32Rotr>(0x8000'0001u, 1u) == 0xC000'0000u);
    CHECK(sem<Opcode::I32Rotr>(0x1234'5678u, 36u) == 0x8123'4567u);
    CHECK(sem<Opcode::I32Rotr>(0x1234'5678u, kAll32) == 0x2468'ACF0u);  // rotr 31 == rotl 1
  }
  SECTION("i64 shift counts are taken modulo 64, high count bits ignored") {
    CHECK(sem<Opcode::I64Shl>(uint64_t{1}, uint64_t{63}) == kI64Min);
    CHECK(sem<Opcode::I64Shl>(uint64_t{1}, uint64_t{64}) == 1u);
    CHECK(sem<Opcode::I64Shl>(uint64_t{1}, uint64_t{32}) == uint64_t{1} << 32);
    CHECK(sem<Opcode::I64Shl>(uint64_t{1}, (uint64_t{1} << 32) + 1) == 2u);
    CHECK(sem<Opcode::I64Shl>(uint64_t{1}, kAll64) == kI64Min);
    CHECK(sem<Opcode::I64ShrU>(kI64Min, uint64_t{63}) == 1u);
    CHECK(sem<Opcode::I64ShrU>(kI64Min, uint64_t{64}) == kI64Min);
    CHECK(sem<Opcode::I64ShrS>(kI64Min, uint64_t{63}) == kAll64);
    CHECK(sem<Opcode::I64ShrS>(kI64Min, uint64_t{65}) == 0xC000'0000'0000'0000u);
    CHECK(sem<Opcode::I64ShrS>(uint64_t{0x7FFF'FFFF'FFFF'FFFF}, uint64_t{62}) == 1u);
    CHECK(sem<Opcode::I64Rotl>(0x8000'0000'0000'0001u, uint64_t{1}) == 3u);
    CHECK(sem<Opcode::I64Rotl>(0x0123'4567'89AB'CDEFu, uint64_t{68}) == 0x1234'5678'9ABC'DEF0u);
    CHECK(sem<Opcode::I64Rotl>(0x0123'4567'89AB'CDEFu, uint64_t{0}) == 0x0123'4567'89AB'CDEFu);
    CHECK(sem<Opcode::I64Rotr>(0x0123'4567'89AB'CDEFu, uint64_t{4}) == 0xF012'3456'789A'BCDEu);
    CHECK(sem<Opcode::I64Rotr>(uint64_t{1}, uint64_t{64}) == 1u);
    CHECK(sem<Opcode::I64Rotr>(uint64_t{1}, kAll64) == 2u);
  }
}

TEST_CASE("sign extension", "[semantics]") {
  CHECK(sem<Opcode::I32Extend8S>(0x7Fu) == 0x7Fu);
  CHECK(sem<Opcode::I32Extend8S>(0x80u) == 0xFFFF'FF80u);
  CHECK(sem<Opcode::I32Extend8S>(0x1234'5680u) == 0xFFFF'FF80u);  // high bits ignored
  CHECK(sem<Opcode::I32Extend8S>(0xFFFF'FF01u) == 1u);
  CHECK(sem<Opcode::I32Extend16S>(0x7FFFu) == 0x7FFFu);
  CHECK(sem<Opcode::I32Extend16S>(0x8000u) == 0xFFFF'8000u);
  CHECK(sem<Opcode::I32Extend16S>(0xABCD'0123u) == 0x0123u);
  CHECK(sem<Opcode::I64Extend8S>(uint64_t{0x80}) == 0xFFFF'FFFF'FFFF'FF80u);
  CHECK(sem<Opcode::I64Extend8S>(0x0123'4567'89AB'CD7Fu) == 0x7Fu);
  CHECK(sem<Opcode::I64Extend16S>(uint64_t{0xFFFF}) == kAll64);
  CHECK(sem<Opcode::I64Extend16S>(0xFFFF'FFFF'FFFF'7FFFu) == 0x7FFFu);
  CHECK(sem<Opcode::I64Extend32S>(uint64_t{0x8000'0000}) == 0xFFFF'FFFF'8000'0000u);
  CHECK(sem<Opcode::I64Extend32S>(0xABCD'EF01'7FFF'FFFFu) == 0x7FFF'FFFFu);
  CHECK(sem<Opcode::I64ExtendI32S>(kI32Min) == 0xFFFF'FFFF'8000'0000u);
  CHECK(sem<Opcode::I64ExtendI32S>(0x7FFF'FFFFu) == 0x7FFF'FFFFu);
  CHECK(sem<Opcode::I64ExtendI32U>(kAll32) == 0xFFFF'FFFFu);
  CHECK(sem<Opcode::I32WrapI64>(0xABCD'EF01'2345'6789u) == 0x2345'6789u);
  CHECK(sem<Opcode::I32WrapI64>(kAll64) == kAll32);
}

// ---- Float operations -----------------------------------------------------------------------

TEST_CASE("float comparisons", "[semantics]") {
  const float nan_f = canonical_nan<float>();
  const double nan_d = canonical_nan<double>();
  CHECK(sem<Opcode::F32Eq>(0.0f, -0.0f) == 1u);
  CHECK(sem<Opcode::F32Eq>(nan_f, nan_f) == 0u);
  CHECK(sem<Opcode::F32Ne>(nan_f, nan_f) == 1u);
  CHECK(sem<Opcode::F32Ne>(1.0f, 1.0f) == 0u);
  CHECK(sem<Opcode::F32Lt>(-kInfF, kInfF) == 1u);
  CHECK(sem<Opcode::F32Lt>(nan_f, kInfF) == 0u);
  CHECK(sem<Opcode::F32Gt>(kInfF, nan_f) == 0u);
  CHECK(sem<Opcode::F32Gt>(1.0f, -0.0f) == 1u);
  CHECK(sem<Opcode::F32Le>(-0.0f, 0.0f) == 1u);
  CHECK(sem<Opcode::F32Le>(f32(kSNanF), 0.0f) == 0u);
  CHECK(sem<Opcode::F32Ge>(0.0f, -0.0f) == 1u);
  CHECK(sem<Opcode::F32Ge>(0.0f, nan_f) == 0u);

  CHECK(sem<Opcode::F64Eq>(-0.0, 0.0) == 1u);
  CHECK(sem<Opcode::F64Eq>(nan_d, nan_d) == 0u);
  CHECK(sem<Opcode::F64Ne>(nan_d, 1.0) == 1u);
  CHECK(sem<Opcode::F64Lt>(1.0, 1.0 + 0x1p-52) == 1u);
  CHECK(sem<Opcode::F64Lt>(1.0, nan_d) == 0u);
  CHECK(sem<Opcode::F64Gt>(nan_d, 1.0) == 0u);
  CHECK(sem<Opcode::F64Le>(-kInfD, -kInfD) == 1u);
  CHECK(sem<Opcode::F64Le>(f64(kSNanD), f64(kSNanD)) == 0u);
  CHECK(sem<Opcode::F64Ge>(kInfD, 1e308) == 1u);
  CHECK(sem<Opcode::F64Ge>(nan_d, nan_d) == 0u);
}

TEST_CASE("abs, neg, copysign are bit operations", "[semantics]") {
  SECTION("f32") {
    CHECK(float_bits(sem<Opcode::F32Abs>(-1.5f)) == float_bits(1.5f));
    CHECK(float_bits(sem<Opcode::F32Abs>(-0.0f)) == 0u);
    CHECK(float_bits(sem<Opcode::F32Neg>(0.0f)) == 0x8000'0000u);
    CHECK(float_bits(sem<Opcode::F32Neg>(-kInfF)) == float_bits(kInfF));
    // NaN payloads (even signalling ones) pass through untouched.
    CHECK(float_bits(sem<Opcode::F32Abs>(f32(0xFFA0'0001u))) == 0x7FA0'0001u);
    CHECK(float_bits(sem<Opcode::F32Abs>(f32(0x7FC0'1234u))) == 0x7FC0'1234u);
    CHECK(float_bits(sem<Opcode::F32Neg>(f32(kSNanF))) == 0xFFA0'0001u);
    CHECK(float_bits(sem<Opcode::F32Neg>(f32(0xFFC0'0000u))) == 0x7FC0'0000u);
    CHECK(float_bits(sem<Opcode::F32Copysign>(f32(kSNanF), -1.0f)) == 0xFFA0'0001u);
    CHECK(float_bits(sem<Opcode::F32Copysign>(f32(0xFFC0'0005u), 0.0f)) == 0x7FC0'0005u);
    CHECK(float_bits(sem<Opcode::F32Copysign>(2.0f, f32(0xFFC0'0000u))) == float_bits(-2.0f));
    CHECK(float_bits(sem<Opcode::F32Copysign>(-2.0f, canonical_nan<float>())) == float_bits(2.0f));
    CHECK(float_bits(sem<Opcode::F32Copysign>(0.0f, -0.0f)) == 0x8000'0000u);
    CHECK(float_bits(sem<Opcode::F32Copysign>(-kInfF, 1.0f)) == float_bits(kInfF));
  }
  SECTION("f64") {
    CHECK(float_bits(sem<Opcode::F64Abs>(-2.5)) == float_bits(2.5));
    CHECK(float_bits(sem<Opcode::F64Abs>(-0.0)) == 0u);
    CHECK(float_bits(sem<Opcode::F64Neg>(0.0)) == 0x8000'0000'0000'0000u);
    CHECK(float_bits(sem<Opcode::F64Abs>(f64(0xFFF4'0000'0000'0001u))) == kSNanD);
    CHECK(float_bits(sem<Opcode::F64Neg>(f64(kSNanD))) == 0xFFF4'0000'0000'0001u);
    CHECK(float_bits(sem<Opcode::F64Neg>(f64(0x7FF8'0000'0000'ABCDu))) == 0xFFF8'0000'0000'ABCDu);
    CHECK(float_bits(sem<Opcode::F64Copysign>(f64(kSNanD), -0.0)) == 0xFFF4'0000'0000'0001u);
    CHECK(float_bits(sem<Opcode::F64Copysign>(1.0, f64(0xFFF8'0000'0000'0000u))) ==
          float_bits(-1.0));
    CHECK(float_bits(sem<Opcode::F64Copysign>(-3.0, 0.0)) == float_bits(3.0));
  }
}

TEST_CASE("ceil, floor, trunc, sqrt", "[semantics]") {
  CHECK(sem<Opcode::F32Ceil>(1.25f) == 2.0f);
  CHECK(sem<Opcode::F32Ceil>(-1.75f) == -1.0f);
  CHECK(float_bits(sem<Opcode::F32Ceil>(-0.5f)) == 0x8000'0000u);  // -0, not +0
  CHECK(sem<Opcode::F32Floor>(-0.5f) == -1.0f);
  CHECK(float_bits(sem<Opcode::F32Floor>(-0.0f)) == 0x8000'0000u);
  CHECK(sem<Opcode::F32Floor>(8388607.5f) == 8388607.0f);
  CHECK(float_bits(sem<Opcode::F32Trunc>(-0.7f)) == 0x8000'0000u);
  CHECK(sem<Opcode::F32Trunc>(-1.7f) == -1.0f);
  CHECK(sem<Opcode::F32Trunc>(kInfF) == kInfF);
  CHECK(sem<Opcode::F32Sqrt>(4.0f) == 2.0f);
  CHECK(sem<Opcode::F32Sqrt>(2.0f) == 1.41421353816986083984375f);
  CHECK(float_bits(sem<Opcode::F32Sqrt>(-0.0f)) == 0x8000'0000u);
  CHECK(is_nan(sem<Opcode::F32Sqrt>(-1.0f)));
  CHECK(sem<Opcode::F32Sqrt>(kInfF) == kInfF);

  CHECK(sem<Opcode::F64Ceil>(0x1p51 + 0.5) == 0x1p51 + 1);  // ulp 0.5: largest fractions
  CHECK(float_bits(sem<Opcode::F64Ceil>(-0.25)) == 0x8000'0000'0000'0000u);
  CHECK(sem<Opcode::F64Floor>(-0x1p-1074) == -1.0);
  CHECK(sem<Opcode::F64Floor>(2.999999999) == 2.0);
  CHECK(float_bits(sem<Opcode::F64Trunc>(-0.999)) == 0x8000'0000'0000'0000u);
  CHECK(sem<Opcode::F64Trunc>(1e300) == 1e300);
  CHECK(sem<Opcode::F64Sqrt>(0x1p-1074) == 0x1p-537);
  CHECK(is_nan(sem<Opcode::F64Sqrt>(-kInfD)));

  SECTION("NaN in, arithmetic NaN out") {
    CHECK(is_arithmetic_nan(sem<Opcode::F32Ceil>(f32(kSNanF))));
    CHECK(is_arithmetic_nan(sem<Opcode::F32Floor>(f32(kSNanF))));
    CHECK(is_arithmetic_nan(sem<Opcode::F32Trunc>(f32(kSNanF))));
    CHECK(is_arithmetic_nan(sem<Opcode::F32Nearest>(f32(kSNanF))));
    CHECK(is_arithmetic_nan(sem<Opcode::F32Sqrt>(f32(kSNanF))));
    CHECK(is_arithmetic_nan(sem<Opcode::F64Ceil>(f64(kSNanD))));
    CHECK(is_arithmetic_nan(sem<Opcode::F64Floor>(f64(kSNanD))));
    CHECK(is_arithmetic_nan(sem<Opcode::F64Trunc>(f64(kSNanD))));
    CHECK(is_arithmetic_nan(sem<Opcode::F64Nearest>(f64(kSNanD))));
    CHECK(is_arithmetic_nan(sem<Opcode::F64Sqrt>(f64(kSNanD))));
    // Canonical in, canonical out.
    CHECK(is_canonical_nan(sem<Opcode::F32Ceil>(canonical_nan<float>())));
    CHECK(is_canonical_nan(sem<Opcode::F64Sqrt>(canonical_nan<double>())));
  }
}

TEST_CASE("nearest rounds half to even", "[semantics]") {
  CHECK(float_bits(sem<Opcode::F32Nearest>(0.5f)) == 0u);
  CHECK(sem<Opcode::F32Nearest>(1.5f) == 2.0f);
  CHECK(sem<Opcode::F32Nearest>(2.5f) == 2.0f);
  CHECK(sem<Opcode::F32Nearest>(3.5f) == 4.0f);
  CHECK(float_bits(sem<Opcode::F32Nearest>(-0.5f)) == 0x8000'0000u);
  CHECK(float_bits(sem<Opcode::F32Nearest>(-0.25f)) == 0x8000'0000u);
  CHECK(sem<Opcode::F32Nearest>(-1.5f) == -2.0f);
  CHECK(sem<Opcode::F32Nearest>(-2.5f) == -2.0f);
  CHECK(sem<Opcode::F32Nearest>(0.49999997f) == 0.0f);       // not floor(x + 0.5), which gives 1
  CHECK(sem<Opcode::F32Nearest>(8388609.0f) == 8388609.0f);  // 2^23 + 1: already integral
  CHECK(sem<Opcode::F32Nearest>(-kInfF) == -kInfF);

  CHECK(float_bits(sem<Opcode::F64Nearest>(0.5)) == 0u);
  CHECK(sem<Opcode::F64Nearest>(1.5) == 2.0);
  CHECK(sem<Opcode::F64Nearest>(2.5) == 2.0);
  CHECK(float_bits(sem<Opcode::F64Nearest>(-0.5)) == 0x8000'0000'0000'0000u);
  CHECK(sem<Opcode::F64Nearest>(-3.5) == -4.0);
  CHECK(sem<Opcode::F64Nearest>(0.49999999999999994) == 0.0);
  CHECK(sem<Opcode::F64Nearest>(4503599627370497.0) == 4503599627370497.0);  // 2^52 + 1
  CHECK(sem<Opcode::F64Nearest>(0x1p52 - 0.5) == 0x1p52);                    // tie, 2^52 is even
  CHECK(sem<Opcode::F64Nearest>(kInfD) == kInfD);
}

TEST_CASE("float add, sub, mul, div", "[semantics]") {
  CHECK(sem<Opcode::F32Add>(1.0f, 0x1p-24f) == 1.0f);  // tie to even
  CHECK(sem<Opcode::F32Add>(1.0f, 0x1.000002p-24f) == 1.0f + 0x1p-23f);
  CHECK(float_bits(sem<Opcode::F32Add>(-0.0f, -0.0f)) == 0x8000'0000u);
  CHECK(float_bits(sem<Opcode::F32Add>(-0.0f, 0.0f)) == 0u);
  CHECK(is_nan(sem<Opcode::F32Add>(kInfF, -kInfF)));
  CHECK(float_bits(sem<Opcode::F32Sub>(0.0f, 0.0f)) == 0u);
  CHECK(sem<Opcode::F32Sub>(kInfF, 1e38f) == kInfF);
  CHECK(sem<Opcode::F32Mul>(1e20f, 1e20f) == kInfF);
  CHECK(float_bits(sem<Opcode::F32Mul>(-0.0f, 5.0f)) == 0x8000'0000u);
  CHECK(is_nan(sem<Opcode::F32Mul>(0.0f, kInfF)));
  CHECK(sem<Opcode::F32Div>(1.0f, 0.0f) == kInfF);
  CHECK(sem<Opcode::F32Div>(1.0f, -0.0f) == -kInfF);
  CHECK(is_nan(sem<Opcode::F32Div>(0.0f, 0.0f)));
  CHECK(sem<Opcode::F32Div>(1.0f, 3.0f) == 0x1.555556p-2f);
  CHECK(is_arithmetic_nan(sem<Opcode::F32Add>(f32(kSNanF), 1.0f)));

  CHECK(sem<Opcode::F64Add>(1.0, 0x1p-53) == 1.0);
  CHECK(sem<Opcode::F64Add>(0.1, 0.2) == 0.30000000000000004);
  CHECK(sem<Opcode::F64Sub>(1.0, 0x1p-54) == 1.0);
  CHECK(sem<Opcode::F64Mul>(0x1p-1022, 0x1p-52) == 0x1p-1074);  // subnormals are kept
  CHECK(sem<Opcode::F64Mul>(1e300, -1e300) == -kInfD);
  CHECK(sem<Opcode::F64Div>(-1.0, 0.0) == -kInfD);
  CHECK(sem<Opcode::F64Div>(1.0, 3.0) == 0x1.5555555555555p-2);
  CHECK(is_nan(sem<Opcode::F64Div>(kInfD, kInfD)));
  CHECK(is_arithmetic_nan(sem<Opcode::F64Mul>(2.0, f64(kSNanD))));
}

TEST_CASE("min and max propagate NaN and order -0 below +0", "[semantics]") {
  SECTION("f32") {
    const float qnan = f32(0x7FC0'1234u);
    for (float x : {0.0f, -0.0f, 1.0f, -kInfF, kInfF}) {
      CAPTURE(x);
      CHECK(is_arithmetic_nan(sem<Opcode::F32Min>(qnan, x)));
      CHECK(is_arithmetic_nan(sem<Opcode::F32Min>(x, qnan)));
      CHECK(is_arithmetic_nan(sem<Opcode::F32Max>(qnan, x)));
      CHECK(is_arithmetic_nan(sem<Opcode::F32Max>(x, qnan)));
      CHECK(is_arithmetic_nan(sem<Opcode::F32Min>(f32(kSNanF), x)));
      CHECK(is_arithmetic_nan(sem<Opcode::F32Max>(x, f32(kSNanF))));
    }
    // The NaN's payload is kept (quieted) and canonical NaNs stay canonical.
    CHECK(float_bits(sem<Opcode::F32Min>(1.0f, f32(kSNanF))) == 0x7FE0'0001u);
    CHECK(is_canonical_nan(sem<Opcode::F32Max>(canonical_nan<float>(), 1.0f)));
    CHECK(is_canonical_nan(sem<Opcode::F32Min>(-kInfF, canonical_nan<float>())));
    CHECK(float_bits(sem<Opcode::F32Min>(0.0f, -0.0f)) == 0x8000'0000u);
    CHECK(float_bits(sem<Opcode::F32Min>(-0.0f, 0.0f)) == 0x8000'0000u);
    CHECK(float_bits(sem<Opcode::F32Max>(0.0f, -0.0f)) == 0u);
    CHECK(float_bits(sem<Opcode::F32Max>(-0.0f, 0.0f)) == 0u);
    CHECK(float_bits(sem<Opcode::F32Max>(-0.0f, -0.0f)) == 0x8000'0000u);
    CHECK(sem<Opcode::F32Min>(1.0f, 2.0f) == 1.0f);
    CHECK(sem<Opcode::F32Min>(2.0f, -kInfF) == -kInfF);
    CHECK(sem<Opcode::F32Max>(1.0f, 2.0f) == 2.0f);
    CHECK(sem<Opcode::F32Max>(kInfF, 2.0f) == kInfF);
    CHECK(sem<Opcode::F32Max>(-1.0f, -2.0f) == -1.0f);
  }
  SECTION("f64") {
    const double qnan = f64(0xFFF8'0000'0000'0042u);
    for (double x : {0.0, -0.0, -1.0, kInfD}) {
      CAPTURE(x);
      CHECK(is_arithmetic_nan(sem<Opcode::F64Min>(qnan, x)));
      CHECK(is_arithmetic_nan(sem<Opcode::F64Min>(x, qnan)));
      CHECK(is_arithmetic_nan(sem<Opcode::F64Max>(qnan, x)));
      CHECK(is_arithmetic_nan(sem<Opcode::F64Max>(x, f64(kSNanD))));
    }
    CHECK(float_bits(sem<Opcode::F64Max>(f64(kSNanD), qnan)) == 0x7FFC'0000'0000'0001u);
    CHECK(float_bits(sem<Opcode::F64Min>(0.0, -0.0)) == 0x8000'0000'0000'0000u);
    CHECK(float_bits(sem<Opcode::F64Max>(-0.0, 0.0)) == 0u);
    CHECK(sem<Opcode::F64Min>(-1e308, 1e308) == -1e308);
    CHECK(sem<Opcode::F64Max>(0x1p-1074, 0.0) == 0x1p-1074);
  }
}

// ---- Conversions ----------------------------------------------------------------------------

TEST_CASE("integer to float conversions round correctly", "[semantics]") {
  CHECK(sem<Opcode::F32ConvertI32S>(kAll32) == -1.0f);
  CHECK(sem<Opcode::F32ConvertI32S>(kI32Min) == -0x1p31f);
  CHECK(sem<Opcode::F32ConvertI32U>(kAll32) == 0x1p32f);
  CHECK(sem<Opcode::F32ConvertI32U>(kI32Min) == 0x1p31f);
  CHECK(sem<Opcode::F32ConvertI32S>(16777217u) == 16777216.0f);        // 2^24 + 1: tie to even
  CHECK(sem<Opcode::F32ConvertI32S>(16777219u) == 16777220.0f);        // tie, up to even
  CHECK(sem<Opcode::F32ConvertI32U>(0xFFFF'FF7Fu) == 0x1.fffffep31f);  // below the tie
  CHECK(sem<Opcode::F32ConvertI32U>(0xFFFF'FF80u) == 0x1p32f);         // tie to even
  CHECK(sem<Opcode::F64ConvertI32S>(kI32Min) == -2147483648.0);
  CHECK(sem<Opcode::F64ConvertI32U>(kAll32) == 4294967295.0);
  CHECK(sem<Opcode::F64ConvertI32S>(kAll32) == -1.0);

  SECTION("i64 -> f32 rounds once, not via f64") {
    // 2^53 + 2^29 + 1: just above the f32 tie; through f64 it would round to the tie and then
    // to even (2^53).
    CHECK(float_bits(sem<Opcode::F32ConvertI64S>(uint64_t{0x0020'0000'2000'0001})) == 0x5A00'0001u);
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(uint64_t{0x0020'0000'2000'0001})) == 0x5A00'0001u);
    CHECK(float_bits(sem<Opcode::F32ConvertI64S>(u64(-0x0020'0000'2000'0001))) == 0xDA00'0001u);
    CHECK(sem<Opcode::F32ConvertI64S>(uint64_t{0x7FFF'FFC0'0000'0000}) == 0x1p63f);  // tie
    CHECK(sem<Opcode::F32ConvertI64S>(uint64_t{0x7FFF'FF40'0000'0000}) == 0x1p63f - 0x1p40f);
    CHECK(sem<Opcode::F32ConvertI64S>(kI64Min) == -0x1p63f);
    CHECK(sem<Opcode::F32ConvertI64S>(kAll64) == -1.0f);
    CHECK(sem<Opcode::F32ConvertI64S>(uint64_t{0x7FFF'FFFF'FFFF'FFFF}) == 0x1p63f);
  }
  SECTION("u64 values with the top bit set") {
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(kAll64)) == 0x5F80'0000u);  // 2^64
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(kI64Min)) == 0x5F00'0000u);
    // 2^63 + 2^39 is the tie between 2^63 and its successor: to even. One more unit is above
    // the tie (the low bit only counts if the conversion keeps a sticky bit).
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(0x8000'0080'0000'0000u)) == 0x5F00'0000u);
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(0x8000'0080'0000'0001u)) == 0x5F00'0001u);
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(0x8000'0180'0000'0000u)) == 0x5F00'0002u);
    CHECK(float_bits(sem<Opcode::F32ConvertI64U>(0xFFFF'FF7F'FFFF'FFFFu)) == 0x5F7F'FFFFu);
    CHECK(float_bits(sem<Opcode::F64ConvertI64U>(kAll64)) == 0x43F0'0000'0000'0000u);  // 2^64
    CHECK(float_bits(sem<Opcode::F64ConvertI64U>(0x8000'0000'0000'0400u)) ==
          0x43E0'0000'0000'0000u);  // tie to even
    CHECK(float_bits(sem<Opcode::F64ConvertI64U>(0x8000'0000'0000'0401u)) ==
          0x43E0'0000'0000'0001u);  // above the tie by the lowest bit
    CHECK(float_bits(sem<Opcode::F64ConvertI64U>(0xFFFF'FFFF'FFFF'FBFFu)) ==
          0x43EF'FFFF'FFFF'FFFFu);
  }
  SECTION("i64 -> f64") {
    CHECK(sem<Opcode::F64ConvertI64S>(kI64Min) == -0x1p63);
    CHECK(sem<Opcode::F64ConvertI64S>(kAll64) == -1.0);
    CHECK(sem<Opcode::F64ConvertI64S>(uint64_t{9007199254740993}) == 9007199254740992.0);
    CHECK(sem<Opcode::F64ConvertI64S>(uint64_t{9007199254740995}) == 9007199254740996.0);
    CHECK(sem<Opcode::F64ConvertI64U>(uint64_t{9007199254740993}) == 9007199254740992.0);
    CHECK(sem<Opcode::F64ConvertI64S>(u64(-9007199254740993)) == -9007199254740992.0);
  }
}

TEST_CASE("demote and promote", "[semantics]") {
  CHECK(sem<Opcode::F32DemoteF64>(1.0 + 0x1p-24) == 1.0f);                       // tie to even
  CHECK(sem<Opcode::F32DemoteF64>(1.0 + 0x1p-24 + 0x1p-50) == 1.0f + 0x1p-23f);  // above tie
  CHECK(sem<Opcode::F32DemoteF64>(1.0 + 3 * 0x1p-24) == 1.0f + 0x1p-22f);        // tie, up to even
  CHECK(sem<Opcode::F32DemoteF64>(1e300) == kInfF);
  CHECK(sem<Opcode::F32DemoteF64>(-1e300) == -kInfF);
  CHECK(sem<Opcode::F32DemoteF64>(0x1.fffffefffffffp127) == 0x1.fffffep127f);  // below the tie
  CHECK(sem<Opcode::F32DemoteF64>(0x1.ffffffp127) == kInfF);     // tie rounds to even = overflow
  CHECK(float_bits(sem<Opcode::F32DemoteF64>(0x1p-150)) == 0u);  // tie with 0: to even
  CHECK(float_bits(sem<Opcode::F32DemoteF64>(0x1.0000000000001p-150)) == 1u);
  CHECK(float_bits(sem<Opcode::F32DemoteF64>(-0x1p-1074)) == 0x8000'0000u);
  CHECK(is_canonical_nan(sem<Opcode::F32DemoteF64>(canonical_nan<double>())));
  CHECK(is_arithmetic_nan(sem<Opcode::F32DemoteF64>(f64(kSNanD))));
  CHECK(is_arithmetic_nan(sem<Opcode::F32DemoteF64>(f64(0x7FF0'0000'0000'0001u))));

  CHECK(sem<Opcode::F64PromoteF32>(0x1.fffffep127f) == 0x1.fffffep127);
  CHECK(sem<Opcode::F64PromoteF32>(0x1p-149f) == 0x1p-149);
  CHECK(float_bits(sem<Opcode::F64PromoteF32>(-0.0f)) == 0x8000'0000'0000'0000u);
  CHECK(sem<Opcode::F64PromoteF32>(-kInfF) == -kInfD);
  CHECK(is_canonical_nan(sem<Opcode::F64PromoteF32>(canonical_nan<float>())));
  CHECK(is_arithmetic_nan(sem<Opcode::F64PromoteF32>(f32(kSNanF))));
}

TEST_CASE("reinterpret keeps every bit", "[semantics]") {
  CHECK(sem<Opcode::I32ReinterpretF32>(f32(kSNanF)) == kSNanF);
  CHECK(sem<Opcode::I32ReinterpretF32>(-0.0f) == 0x8000'0000u);
  CHECK(sem<Opcode::I64ReinterpretF64>(f64(kSNanD)) == kSNanD);
  CHECK(sem<Opcode::I64ReinterpretF64>(1.0) == 0x3FF0'0000'0000'0000u);
  CHECK(float_bits(sem<Opcode::F32ReinterpretI32>(0xFFA0'0001u)) == 0xFFA0'0001u);
  CHECK(sem<Opcode::F32ReinterpretI32>(0x3F80'0000u) == 1.0f);
  CHECK(float_bits(sem<Opcode::F64ReinterpretI64>(0xFFF4'0000'0000'0001u)) ==
        0xFFF4'0000'0000'0001u);
  CHECK(sem<Opcode::F64ReinterpretI64>(uint64_t{1}) == 0x1p-1074);
}

// Trapping truncation: each of the 8 conversions at just inside / just outside both bounds.
template <Opcode kOp, typename R, typename F>
void check_trunc(F x, R expected) {
  CAPTURE(x);
  auto r = trap_sem<kOp, R>(x);
  CHECK(r.code == TrapCode::None);
  CHECK(r.value == expected);
}
template <Opcode kOp, typename R, typename F>
void check_trunc_traps(F x, TrapCode code) {
  CAPTURE(x);
  CHECK(trap_sem<kOp, R>(x).code == code);
}
template <Opcode kOp, typename R, typename F>
void check_trunc_nan_inf() {
  check_trunc_traps<kOp, R>(canonical_nan<F>(), TrapCode::InvalidConversion);
  check_trunc_traps<kOp, R>(-canonical_nan<F>(), TrapCode::InvalidConversion);
  check_trunc_traps<kOp, R>(float_from_bits<F>(FloatLayout<F>::kExponent | 1),
                            TrapCode::InvalidConversion);  // signalling
  check_trunc_traps<kOp, R>(std::numeric_limits<F>::infinity(), TrapCode::IntegerOverflow);
  check_trunc_traps<kOp, R>(-std::numeric_limits<F>::infinity(), TrapCode::IntegerOverflow);
  check_trunc<kOp, R>(F{-0.0}, R{0});
  check_trunc<kOp, R>(F{0.75}, R{0});
}

TEST_CASE("trapping truncation ranges", "[semantics]") {
  using enum TrapCode;
  SECTION("i32.trunc_f32_s") {
    constexpr auto kOp = Opcode::I32TruncF32S;
    check_trunc_nan_inf<kOp, uint32_t, float>();
    check_trunc<kOp>(std::nextafter(0x1p31f, 0.0f), 2147483520u);
    check_trunc<kOp>(-0x1p31f, kI32Min);
    check_trunc<kOp>(-1.9f, u32(-1));
    check_trunc_traps<kOp, uint32_t>(0x1p31f, IntegerOverflow);  // 2147483647.5f rounds here
    check_trunc_traps<kOp, uint32_t>(2147483647.5f, IntegerOverflow);
    check_trunc_traps<kOp, uint32_t>(std::nextafter(-0x1p31f, -kInfF), IntegerOverflow);
  }
  SECTION("i32.trunc_f32_u") {
    constexpr auto kOp = Opcode::I32TruncF32U;
    check_trunc_nan_inf<kOp, uint32_t, float>();
    check_trunc<kOp>(std::nextafter(0x1p32f, 0.0f), 4294967040u);
    check_trunc<kOp>(std::nextafter(-1.0f, 0.0f), 0u);  // -0.99999994 truncates to 0
    check_trunc<kOp>(-0.9f, 0u);
    check_trunc<kOp>(0x1p31f, kI32Min);
    check_trunc_traps<kOp, uint32_t>(0x1p32f, IntegerOverflow);
    check_trunc_traps<kOp, uint32_t>(-1.0f, IntegerOverflow);
  }
  SECTION("i32.trunc_f64_s") {
    constexpr auto kOp = Opcode::I32TruncF64S;
    check_trunc_nan_inf<kOp, uint32_t, double>();
    check_trunc<kOp>(std::nextafter(0x1p31, 0.0), 0x7FFF'FFFFu);  // 2147483647.9999998
    check_trunc<kOp>(2147483647.0, 0x7FFF'FFFFu);
    check_trunc<kOp>(std::nextafter(-0x1p31 - 1, 0.0), kI32Min);  // -2147483648.9999998
    check_trunc<kOp>(-2147483648.0, kI32Min);
    check_trunc_traps<kOp, uint32_t>(0x1p31, IntegerOverflow);
    check_trunc_traps<kOp, uint32_t>(-0x1p31 - 1, IntegerOverflow);  // -2147483649
  }
  SECTION("i32.trunc_f64_u") {
    constexpr auto kOp = Opcode::I32TruncF64U;
    check_trunc_nan_inf<kOp, uint32_t, double>();
    check_trunc<kOp>(std::nextafter(0x1p32, 0.0), kAll32);  // 4294967295.9999995
    check_trunc<kOp>(std::nextafter(-1.0, 0.0), 0u);
    check_trunc<kOp>(-0.9, 0u);
    check_trunc<kOp>(1e-300, 0u);
    check_trunc_traps<kOp, uint32_t>(0x1p32, IntegerOverflow);  // 4294967296.0
    check_trunc_traps<kOp, uint32_t>(-1.0, IntegerOverflow);
    check_trunc_traps<kOp, uint32_t>(1e10, IntegerOverflow);
  }
  SECTION("i64.trunc_f32_s") {
    constexpr auto kOp = Opcode::I64TruncF32S;
    check_trunc_nan_inf<kOp, uint64_t, float>();
    check_trunc<kOp>(std::nextafter(0x1p63f, 0.0f), uint64_t{0x7FFF'FF80'0000'0000});
    check_trunc<kOp>(-0x1p63f, kI64Min);
    check_trunc<kOp>(-1.5f, kAll64);
    check_trunc_traps<kOp, uint64_t>(0x1p63f, IntegerOverflow);
    check_trunc_traps<kOp, uint64_t>(std::nextafter(-0x1p63f, -kInfF), IntegerOverflow);
  }
  SECTION("i64.trunc_f32_u") {
    constexpr auto kOp = Opcode::I64TruncF32U;
    check_trunc_nan_inf<kOp, uint64_t, float>();
    check_trunc<kOp>(std::nextafter(0x1p64f, 0.0f), 0xFFFF'FF00'0000'0000u);
    check_trunc<kOp>(0x1p63f, kI64Min);
    check_trunc<kOp>(std::nextafter(-1.0f, 0.0f), uint64_t{0});
    check_trunc_traps<kOp, uint64_t>(0x1p64f, IntegerOverflow);
    check_trunc_traps<kOp, uint64_t>(-1.0f, IntegerOverflow);
  }
  SECTION("i64.trunc_f64_s") {
    constexpr auto kOp = Opcode::I64TruncF64S;
    check_trunc_nan_inf<kOp, uint64_t, double>();
    check_trunc<kOp>(std::nextafter(0x1p63, 0.0), uint64_t{0x7FFF'FFFF'FFFF'FC00});
    check_trunc<kOp>(-0x1p63, kI64Min);
    check_trunc<kOp>(-4.5, u64(-4));
    check_trunc_traps<kOp, uint64_t>(0x1p63, IntegerOverflow);  // 9223372036854775807.0 too
    check_trunc_traps<kOp, uint64_t>(std::nextafter(-0x1p63, -kInfD), IntegerOverflow);
  }
  SECTION("i64.trunc_f64_u") {
    constexpr auto kOp = Opcode::I64TruncF64U;
    check_trunc_nan_inf<kOp, uint64_t, double>();
    check_trunc<kOp>(std::nextafter(0x1p64, 0.0), 0xFFFF'FFFF'FFFF'F800u);
    check_trunc<kOp>(0x1p63, kI64Min);
    check_trunc<kOp>(std::nextafter(-1.0, 0.0), uint64_t{0});
    check_trunc_traps<kOp, uint64_t>(0x1p64, IntegerOverflow);
    check_trunc_traps<kOp, uint64_t>(-1.0, IntegerOverflow);
  }
}

TEST_CASE("saturating truncation", "[semantics]") {
  const float nan_f = canonical_nan<float>();
  const double nan_d = canonical_nan<double>();
  SECTION("to i32") {
    CHECK(sem<Opcode::I32TruncSatF32S>(nan_f) == 0u);
    CHECK(sem<Opcode::I32TruncSatF32S>(f32(0xFFA0'0000u)) == 0u);
    CHECK(sem<Opcode::I32TruncSatF32S>(kInfF) == 0x7FFF'FFFFu);
    CHECK(sem<Opcode::I32TruncSatF32S>(-kInfF) == kI32Min);
    CHECK(sem<Opcode::I32TruncSatF32S>(0x1p31f) == 0x7FFF'FFFFu);
    CHECK(sem<Opcode::I32TruncSatF32S>(std::nextafter(0x1p31f, 0.0f)) == 2147483520u);
    CHECK(sem<Opcode::I32TruncSatF32S>(-0x1p31f) == kI32Min);
    CHECK(sem<Opcode::I32TruncSatF32S>(std::nextafter(-0x1p31f, -kInfF)) == kI32Min);
    CHECK(sem<Opcode::I32TruncSatF32S>(-1.9f) == kAll32);

    CHECK(sem<Opcode::I32TruncSatF32U>(nan_f) == 0u);
    CHECK(sem<Opcode::I32TruncSatF32U>(kInfF) == kAll32);
    CHECK(sem<Opcode::I32TruncSatF32U>(-kInfF) == 0u);
    CHECK(sem<Opcode::I32TruncSatF32U>(0x1p32f) == kAll32);
    CHECK(sem<Opcode::I32TruncSatF32U>(std::nextafter(0x1p32f, 0.0f)) == 4294967040u);
    CHECK(sem<Opcode::I32TruncSatF32U>(-0.9f) == 0u);
    CHECK(sem<Opcode::I32TruncSatF32U>(-1.0f) == 0u);
    CHECK(sem<Opcode::I32TruncSatF32U>(-1e30f) == 0u);

    CHECK(sem<Opcode::I32TruncSatF64S>(nan_d) == 0u);
    CHECK(sem<Opcode::I32TruncSatF64S>(-nan_d) == 0u);
    CHECK(sem<Opcode::I32TruncSatF64S>(0x1p31) == 0x7FFF'FFFFu);
    CHECK(sem<Opcode::I32TruncSatF64S>(2147483647.9) == 0x7FFF'FFFFu);
    CHECK(sem<Opcode::I32TruncSatF64S>(-2147483648.9) == kI32Min);
    CHECK(sem<Opcode::I32TruncSatF64S>(-2147483649.0) == kI32Min);
    CHECK(sem<Opcode::I32TruncSatF64S>(1e300) == 0x7FFF'FFFFu);
    CHECK(sem<Opcode::I32TruncSatF64S>(-1e300) == kI32Min);
    CHECK(sem<Opcode::I32TruncSatF64S>(-0.5) == 0u);

    CHECK(sem<Opcode::I32TruncSatF64U>(nan_d) == 0u);
    CHECK(sem<Opcode::I32TruncSatF64U>(4294967295.9) == kAll32);
    CHECK(sem<Opcode::I32TruncSatF64U>(0x1p32) == kAll32);
    CHECK(sem<Opcode::I32TruncSatF64U>(-0.9) == 0u);
    CHECK(sem<Opcode::I32TruncSatF64U>(-1.0) == 0u);
    CHECK(sem<Opcode::I32TruncSatF64U>(-kInfD) == 0u);
    CHECK(sem<Opcode::I32TruncSatF64U>(kInfD) == kAll32);
    CHECK(sem<Opcode::I32TruncSatF64U>(1234.99) == 1234u);
  }
  SECTION("to i64") {
    constexpr uint64_t kI64Max = 0x7FFF'FFFF'FFFF'FFFFu;
    CHECK(sem<Opcode::I64TruncSatF32S>(nan_f) == 0u);
    CHECK(sem<Opcode::I64TruncSatF32S>(kInfF) == kI64Max);
    CHECK(sem<Opcode::I64TruncSatF32S>(-kInfF) == kI64Min);
    CHECK(sem<Opcode::I64TruncSatF32S>(0x1p63f) == kI64Max);
    CHECK(sem<Opcode::I64TruncSatF32S>(std::nextafter(0x1p63f, 0.0f)) ==
          uint64_t{0x7FFF'FF80'0000'0000});
    CHECK(sem<Opcode::I64TruncSatF32S>(-0x1p63f) == kI64Min);
    CHECK(sem<Opcode::I64TruncSatF32S>(std::nextafter(-0x1p63f, -kInfF)) == kI64Min);

    CHECK(sem<Opcode::I64TruncSatF32U>(nan_f) == 0u);
    CHECK(sem<Opcode::I64TruncSatF32U>(kInfF) == kAll64);
    CHECK(sem<Opcode::I64TruncSatF32U>(0x1p64f) == kAll64);
    CHECK(sem<Opcode::I64TruncSatF32U>(std::nextafter(0x1p64f, 0.0f)) == 0xFFFF'FF00'0000'0000u);
    CHECK(sem<Opcode::I64TruncSatF32U>(-0.5f) == 0u);
    CHECK(sem<Opcode::I64TruncSatF32U>(-kInfF) == 0u);

    CHECK(sem<Opcode::I64TruncSatF64S>(nan_d) == 0u);
    CHECK(sem<Opcode::I64TruncSatF64S>(f64(kSNanD)) == 0u);
    CHECK(sem<Opcode::I64TruncSatF64S>(0x1p63) == kI64Max);
    CHECK(sem<Opcode::I64TruncSatF64S>(std::nextafter(0x1p63, 0.0)) ==
          uint64_t{0x7FFF'FFFF'FFFF'FC00});
    CHECK(sem<Opcode::I64TruncSatF64S>(-0x1p63) == kI64Min);
    CHECK(sem<Opcode::I64TruncSatF64S>(std::nextafter(-0x1p63, -kInfD)) == kI64Min);
    CHECK(sem<Opcode::I64TruncSatF64S>(-kInfD) == kI64Min);
    CHECK(sem<Opcode::I64TruncSatF64S>(-7.9) == u64(-7));

    CHECK(sem<Opcode::I64TruncSatF64U>(nan_d) == 0u);
    CHECK(sem<Opcode::I64TruncSatF64U>(0x1p64) == kAll64);
    CHECK(sem<Opcode::I64TruncSatF64U>(std::nextafter(0x1p64, 0.0)) == 0xFFFF'FFFF'FFFF'F800u);
    CHECK(sem<Opcode::I64TruncSatF64U>(0x1p63) == kI64Min);
    CHECK(sem<Opcode::I64TruncSatF64U>(-0.99) == 0u);
    CHECK(sem<Opcode::I64TruncSatF64U>(-1e20) == 0u);
    CHECK(sem<Opcode::I64TruncSatF64U>(kInfD) == kAll64);
  }
}

}  // namespace
}  // namespace zinc::vm

// tests/decoder/opcodes_test.cc: the instruction table (opcodes.def and the .def files it
// includes: SIMD, relaxed SIMD, GC, atomics) is complete and consistent, and the byte -> Opcode
// maps round-trip every row.
#include "decoder/opcodes.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <string_view>

#include "decoder/immediates.h"

using namespace zinc::decoder;

namespace {

size_t count_feature(Feature f) {
  size_t n = 0;
  for (const auto& info : kOpcodeInfo) n += info.feature == f;
  return n;
}

}  // namespace

TEST_CASE("instruction counts per proposal match the spec", "[opcodes]") {
  // MVP: 13 control, drop/select, 5 variable, 25 memory, 4 const, 34 comparisons, 64 numeric,
  // 25 conversions.
  CHECK(count_feature(Feature::Mvp) == 172);
  CHECK(count_feature(Feature::SignExt) == 5);
  CHECK(count_feature(Feature::SatConv) == 8);
  CHECK(count_feature(Feature::BulkMemory) == 7);
  // select t, table.get/set, ref.null/is_null/func, table.grow/size/fill.
  CHECK(count_feature(Feature::RefTypes) == 9);
  CHECK(count_feature(Feature::Simd) == 236);
  // Wasm 3.0.
  CHECK(count_feature(Feature::TailCall) == 2);         // return_call, return_call_indirect
  CHECK(count_feature(Feature::TypedFuncRefs) == 5);    // call_ref, return_call_ref, 3 ref ops
  CHECK(count_feature(Feature::Exceptions) == 3);       // throw, throw_ref, try_table
  // ref.eq + 31 0xFB codes 0-30, ref.test and ref.cast counted twice (two rows, two encodings).
  CHECK(count_feature(Feature::Gc) == 1 + 31);
  CHECK(count_feature(Feature::RelaxedSimd) == 20);
  CHECK(count_feature(Feature::Memory64) == 0);         // no instructions of their own
  CHECK(count_feature(Feature::MultiMemory) == 0);
  CHECK(count_feature(Feature::ExtendedConst) == 0);
  // Later proposals.
  CHECK(count_feature(Feature::LegacyExceptions) == 5);  // try, catch, catch_all, delegate,
                                                         // rethrow
  CHECK(count_feature(Feature::Threads) == 4 + 7 + 7 + 7 * 7);
  CHECK(count_feature(Feature::WideArithmetic) == 4);
  CHECK(count_feature(Feature::CustomPageSizes) == 0);
  CHECK(count_feature(Feature::CustomDescriptors) == 7);
  CHECK(kNumOpcodes == 172 + 5 + 8 + 7 + 9 + 236 + 2 + 5 + 3 + 32 + 20 + 5 + 67 + 4 + 7);
}

TEST_CASE("Features::has follows the fields; 3.0 features are off by default", "[opcodes]") {
  const Features f = Features::wasm2();
  for (size_t i = 0; i < kNumFeatures; ++i) {
    const Feature feature = static_cast<Feature>(i);
    INFO(i);
    CHECK(f.has(feature) == (feature <= Feature::Simd));
  }
  Features g;
  g.gc = true;
  g.threads = true;
  CHECK(g.has(Feature::Gc));
  CHECK(g.has(Feature::Threads));
  CHECK_FALSE(g.has(Feature::TailCall));
  CHECK(prefix_feature(0xFB) == Feature::Gc);
  CHECK(prefix_feature(0xFE) == Feature::Threads);
  CHECK(prefix_feature(0xFC) == Feature::Mvp);
  CHECK(prefix_feature(0xFD) == Feature::Mvp);
}

TEST_CASE("SIMD rows are exactly the 0xFD instructions", "[opcodes]") {
  size_t fd = 0;
  for (const auto& info : kOpcodeInfo) {
    if (info.prefix == 0xFD) {
      ++fd;
      CHECK(info.feature == (info.code < 0x100 ? Feature::Simd : Feature::RelaxedSimd));
    } else {
      CHECK(info.feature != Feature::Simd);
      CHECK(info.feature != Feature::RelaxedSimd);
    }
  }
  CHECK(fd == 236 + 20);
  // The 20 reserved codes between 0x00 and 0xFF are exactly the ones missing.
  const std::set<uint32_t> reserved{0x9A, 0xA2, 0xA5, 0xA6, 0xAF, 0xB0, 0xB2, 0xB3, 0xB4, 0xBB,
                                    0xC2, 0xC5, 0xC6, 0xCF, 0xD0, 0xD2, 0xD3, 0xD4, 0xE2, 0xEE};
  for (uint32_t code = 0; code < 0x100; ++code) {
    INFO("0xFD " << code);
    CHECK(decode_prefixed_opcode(0xFD, code).has_value() == (reserved.count(code) == 0));
  }
  // Relaxed SIMD: 0x100-0x113, contiguous.
  for (uint32_t code = 0x100; code <= 0x113; ++code) {
    INFO("0xFD " << code);
    CHECK(decode_prefixed_opcode(0xFD, code).has_value());
  }
  CHECK_FALSE(decode_prefixed_opcode(0xFD, 0x114).has_value());
  CHECK_FALSE(decode_prefixed_opcode(0xFD, 0xFFFFFFFF).has_value());
}

TEST_CASE("GC and atomic prefix spaces", "[opcodes]") {
  // 0xFB: GC codes 0-30 (31 is unassigned), custom descriptors 32-38.
  for (uint32_t code = 0; code <= 38; ++code) {
    INFO("0xFB " << code);
    CHECK(decode_prefixed_opcode(0xFB, code).has_value() == (code != 31));
  }
  CHECK_FALSE(decode_prefixed_opcode(0xFB, 39).has_value());
  // 0xFE: 0-3, then 0x10-0x4E.
  for (uint32_t code = 0; code < 0x60; ++code) {
    INFO("0xFE " << code);
    CHECK(decode_prefixed_opcode(0xFE, code).has_value() ==
          (code <= 3 || (code >= 0x10 && code <= 0x4E)));
  }
  // Every atomic memory row's alignment is its access size.
  CHECK(natural_alignment_log2(Opcode::MemoryAtomicNotify) == 2);
  CHECK(natural_alignment_log2(Opcode::MemoryAtomicWait32) == 2);
  CHECK(natural_alignment_log2(Opcode::MemoryAtomicWait64) == 3);
  CHECK(natural_alignment_log2(Opcode::I64AtomicLoad) == 3);
  CHECK(natural_alignment_log2(Opcode::I32AtomicLoad16U) == 1);
  CHECK(natural_alignment_log2(Opcode::I64AtomicStore32) == 2);
  CHECK(natural_alignment_log2(Opcode::I32AtomicRmwAdd) == 2);
  CHECK(natural_alignment_log2(Opcode::I64AtomicRmwXchg) == 3);
  CHECK(natural_alignment_log2(Opcode::I64AtomicRmw8CmpxchgU) == 0);
  CHECK(natural_alignment_log2(Opcode::I32AtomicRmw16SubU) == 1);
  CHECK(natural_alignment_log2(Opcode::I64AtomicRmw32OrU) == 2);
  for (const auto& info : kOpcodeInfo) {
    if (info.prefix != 0xFE) continue;
    INFO(info.text);
    CHECK(info.feature == Feature::Threads);
    CHECK(info.imm == (info.text == "atomic.fence" ? ImmKind::ZeroByte : ImmKind::AtomicMemArg));
    CHECK_FALSE(info.sig.special);
  }
  for (const auto& info : kOpcodeInfo) {
    if (info.prefix != 0xFB) continue;
    INFO(info.text);
    CHECK(info.sig.special);  // types come from the type immediates
    CHECK((info.feature == Feature::Gc || info.feature == Feature::CustomDescriptors));
  }
}

TEST_CASE("every encoding is unique and round-trips through the maps", "[opcodes]") {
  std::set<std::pair<uint8_t, uint32_t>> seen;
  for (uint16_t i = 0; i < kNumOpcodes; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    INFO(info.name);
    CHECK(seen.insert({info.prefix, info.code}).second);
    if (info.prefix == 0) {
      REQUIRE(info.code < 256);
      CHECK(kSingleByteOpcodes[info.code] == i);
    } else {
      CHECK(is_prefix_byte(info.prefix));
      auto op = decode_prefixed_opcode(info.prefix, info.code);
      REQUIRE(op.has_value());
      CHECK(static_cast<uint16_t>(*op) == i);
    }
  }
  // Map slots that are not rows are invalid, including the prefix bytes themselves.
  size_t single = 0;
  for (unsigned b = 0; b < 256; ++b) single += kSingleByteOpcodes[b] != kInvalidOpcode;
  // MVP + sign-ext + select t, table.get/set, ref.null/is_null/func; then 3.0: tail calls (2),
  // typed function references (5), exceptions (3), legacy exceptions (5), ref.eq.
  CHECK(single == 172 + 5 + 6 + 2 + 5 + 3 + 5 + 1);
  for (uint8_t prefix : {0xFB, 0xFC, 0xFD, 0xFE}) CHECK(kSingleByteOpcodes[prefix] == kInvalidOpcode);
  CHECK(kSingleByteOpcodes[0x16] == kInvalidOpcode);
  CHECK(kSingleByteOpcodes[0x06] == static_cast<uint16_t>(Opcode::Try));
  CHECK_FALSE(decode_prefixed_opcode(0xFC, 18).has_value());
  CHECK_FALSE(decode_prefixed_opcode(0xFC, 23).has_value());
  CHECK_FALSE(decode_prefixed_opcode(0xFF, 0).has_value());
}

TEST_CASE("text names are unique except the two-row instructions", "[opcodes]") {
  // select / select t, and the casts whose target nullability picks the encoding.
  const std::set<std::string_view> two_rows{"select", "ref.test", "ref.cast", "ref.cast_desc_eq"};
  std::map<std::string_view, int> uses;
  for (const auto& info : kOpcodeInfo) ++uses[info.text];
  for (const auto& [text, n] : uses) {
    INFO(text);
    CHECK(n == (two_rows.count(text) ? 2 : 1));
  }
  std::set<std::string_view> names;
  for (const auto& info : kOpcodeInfo) CHECK(names.insert(info.name).second);
}

TEST_CASE("spot checks against the spec's opcode list", "[opcodes]") {
  struct Row {
    Opcode op;
    uint8_t prefix;
    uint32_t code;
    std::string_view text;
  };
  const Row rows[] = {
      {Opcode::I32Add, 0, 0x6A, "i32.add"},
      {Opcode::RefFunc, 0, 0xD2, "ref.func"},
      {Opcode::TableFill, 0xFC, 17, "table.fill"},
      {Opcode::V128Load, 0xFD, 0x00, "v128.load"},
      {Opcode::V128Const, 0xFD, 0x0C, "v128.const"},
      {Opcode::I8x16Shuffle, 0xFD, 0x0D, "i8x16.shuffle"},
      {Opcode::V128AnyTrue, 0xFD, 0x53, "v128.any_true"},
      {Opcode::V128Load8Lane, 0xFD, 0x54, "v128.load8_lane"},
      {Opcode::V128Store64Lane, 0xFD, 0x5B, "v128.store64_lane"},
      {Opcode::V128Load64Zero, 0xFD, 0x5D, "v128.load64_zero"},
      {Opcode::F64x2Nearest, 0xFD, 0x94, "f64x2.nearest"},
      {Opcode::I16x8AvgrU, 0xFD, 0x9B, "i16x8.avgr_u"},
      {Opcode::I32x4DotI16x8S, 0xFD, 0xBA, "i32x4.dot_i16x8_s"},
      {Opcode::I64x2Eq, 0xFD, 0xD6, "i64x2.eq"},
      {Opcode::I64x2GeS, 0xFD, 0xDB, "i64x2.ge_s"},
      {Opcode::F32x4Pmax, 0xFD, 0xEB, "f32x4.pmax"},
      {Opcode::I32x4TruncSatF64x2UZero, 0xFD, 0xFD, "i32x4.trunc_sat_f64x2_u_zero"},
      {Opcode::F64x2ConvertLowI32x4U, 0xFD, 0xFF, "f64x2.convert_low_i32x4_u"},
      {Opcode::ReturnCall, 0, 0x12, "return_call"},
      {Opcode::CallRef, 0, 0x14, "call_ref"},
      {Opcode::Throw, 0, 0x08, "throw"},
      {Opcode::ThrowRef, 0, 0x0A, "throw_ref"},
      {Opcode::TryTable, 0, 0x1F, "try_table"},
      {Opcode::Delegate, 0, 0x18, "delegate"},
      {Opcode::CatchAll, 0, 0x19, "catch_all"},
      {Opcode::RefEq, 0, 0xD3, "ref.eq"},
      {Opcode::BrOnNonNull, 0, 0xD6, "br_on_non_null"},
      {Opcode::StructNew, 0xFB, 0, "struct.new"},
      {Opcode::ArrayNewFixed, 0xFB, 8, "array.new_fixed"},
      {Opcode::ArrayInitElem, 0xFB, 19, "array.init_elem"},
      {Opcode::RefCastNull, 0xFB, 23, "ref.cast"},
      {Opcode::BrOnCastFail, 0xFB, 25, "br_on_cast_fail"},
      {Opcode::I31GetU, 0xFB, 30, "i31.get_u"},
      {Opcode::I64MulWideU, 0xFC, 22, "i64.mul_wide_u"},
      {Opcode::I8x16RelaxedSwizzle, 0xFD, 0x100, "i8x16.relaxed_swizzle"},
      {Opcode::I32x4RelaxedDotI8x16I7x16AddS, 0xFD, 0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s"},
      {Opcode::AtomicFence, 0xFE, 0x03, "atomic.fence"},
      {Opcode::I32AtomicStore16, 0xFE, 0x1A, "i32.atomic.store16"},
      {Opcode::I64AtomicRmwCmpxchg, 0xFE, 0x49, "i64.atomic.rmw.cmpxchg"},
  };
  for (const Row& r : rows) {
    const OpcodeInfo& info = opcode_info(r.op);
    INFO(r.text);
    CHECK(info.prefix == r.prefix);
    CHECK(info.code == r.code);
    CHECK(info.text == r.text);
  }
}

TEST_CASE("SIMD immediates and signatures follow the shapes", "[opcodes]") {
  for (const auto& info : kOpcodeInfo) {
    if (info.prefix != 0xFD || info.feature != Feature::Simd) continue;
    const std::string_view t = info.text;
    INFO(t);
    const bool lane_mem = t.ends_with("_lane") && t.starts_with("v128.");
    if (lane_mem) {
      CHECK(info.imm == ImmKind::MemArgLane);
    } else if (t.starts_with("v128.load") || t.starts_with("v128.store")) {
      CHECK(info.imm == ImmKind::MemArg);
    } else if (t.find("_lane") != std::string_view::npos) {
      CHECK(info.imm == ImmKind::Lane);
    } else if (t == "v128.const") {
      CHECK(info.imm == ImmKind::V128);
    } else if (t == "i8x16.shuffle") {
      CHECK(info.imm == ImmKind::Shuffle);
    } else {
      CHECK(info.imm == ImmKind::None);
    }
    CHECK_FALSE(info.sig.special);
    if (t.ends_with("all_true") || t.ends_with("any_true") || t.ends_with("bitmask")) {
      CHECK(info.sig.num_params == 1);
      CHECK(info.sig.results[0] == SigType::I32);
    }
  }
  CHECK(opcode_info(Opcode::I64x2ReplaceLane).sig.params[1] == SigType::I64);
  CHECK(opcode_info(Opcode::F64x2Splat).sig.params[0] == SigType::F64);
  CHECK(opcode_info(Opcode::I32x4Shl).sig.params[1] == SigType::I32);
  CHECK(opcode_info(Opcode::V128Bitselect).sig.num_params == 3);
  CHECK(opcode_info(Opcode::V128Store8Lane).sig.num_results == 0);
  CHECK(opcode_info(Opcode::V128Load32Lane).sig.num_results == 1);
  // Relaxed SIMD: no immediates, v128 operands only, typed signatures.
  for (const auto& info : kOpcodeInfo) {
    if (info.feature != Feature::RelaxedSimd) continue;
    INFO(info.text);
    CHECK(info.imm == ImmKind::None);
    CHECK_FALSE(info.sig.special);
    CHECK(info.sig.num_results == 1);
    for (uint8_t i = 0; i < info.sig.num_params; ++i) CHECK(info.sig.params[i] == SigType::V128);
    const bool ternary = info.text.find("madd") != std::string_view::npos ||
                         info.text.find("laneselect") != std::string_view::npos ||
                         info.text.ends_with("_add_s");
    const bool unary = info.text.find("trunc") != std::string_view::npos;
    CHECK(info.sig.num_params == (ternary ? 3 : unary ? 1 : 2));
  }
}

TEST_CASE("natural alignment and lane counts derive from the table", "[opcodes]") {
  CHECK(natural_alignment_log2(Opcode::I32Load) == 2);
  CHECK(natural_alignment_log2(Opcode::I64Load) == 3);
  CHECK(natural_alignment_log2(Opcode::F32Store) == 2);
  CHECK(natural_alignment_log2(Opcode::I64Load32U) == 2);
  CHECK(natural_alignment_log2(Opcode::I32Load8S) == 0);
  CHECK(natural_alignment_log2(Opcode::I64Store16) == 1);
  CHECK(natural_alignment_log2(Opcode::V128Load) == 4);
  CHECK(natural_alignment_log2(Opcode::V128Store) == 4);
  CHECK(natural_alignment_log2(Opcode::V128Load8x8S) == 3);
  CHECK(natural_alignment_log2(Opcode::V128Load16Splat) == 1);
  CHECK(natural_alignment_log2(Opcode::V128Load32Zero) == 2);
  CHECK(natural_alignment_log2(Opcode::V128Load64Lane) == 3);
  CHECK(natural_alignment_log2(Opcode::V128Store8Lane) == 0);
  CHECK(lane_count(Opcode::I8x16ExtractLaneS) == 16);
  CHECK(lane_count(Opcode::I16x8ReplaceLane) == 8);
  CHECK(lane_count(Opcode::F32x4ExtractLane) == 4);
  CHECK(lane_count(Opcode::I64x2ReplaceLane) == 2);
  CHECK(lane_count(Opcode::V128Load8Lane) == 16);
  CHECK(lane_count(Opcode::V128Store64Lane) == 2);
  // Every memory instruction has an alignment no larger than 16 bytes.
  for (uint16_t i = 0; i < kNumOpcodes; ++i) {
    const auto& info = kOpcodeInfo[i];
    if (info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane ||
        info.imm == ImmKind::AtomicMemArg) {
      INFO(info.text);
      CHECK(natural_alignment_log2(static_cast<Opcode>(i)) <= 4);
    }
  }
}

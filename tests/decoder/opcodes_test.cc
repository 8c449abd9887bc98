// tests/decoder/opcodes_test.cc: the instruction table (opcodes.def + opcodes_simd.def) is
// complete and consistent, and the byte -> Opcode maps round-trip every row.
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
  CHECK(kNumOpcodes == 172 + 5 + 8 + 7 + 9 + 236);
}

TEST_CASE("SIMD rows are exactly the 0xFD instructions", "[opcodes]") {
  size_t fd = 0;
  for (const auto& info : kOpcodeInfo) {
    if (info.prefix == 0xFD) {
      ++fd;
      CHECK(info.feature == Feature::Simd);
    } else {
      CHECK(info.feature != Feature::Simd);
    }
  }
  CHECK(fd == 236);
  // The 20 reserved codes between 0x00 and 0xFF are exactly the ones missing.
  const std::set<uint32_t> reserved{0x9A, 0xA2, 0xA5, 0xA6, 0xAF, 0xB0, 0xB2, 0xB3, 0xB4, 0xBB,
                                    0xC2, 0xC5, 0xC6, 0xCF, 0xD0, 0xD2, 0xD3, 0xD4, 0xE2, 0xEE};
  for (uint32_t code = 0; code < 0x100; ++code) {
    INFO("0xFD " << code);
    CHECK(decode_prefixed_opcode(0xFD, code).has_value() == (reserved.count(code) == 0));
  }
  CHECK_FALSE(decode_prefixed_opcode(0xFD, 0x100).has_value());
  CHECK_FALSE(decode_prefixed_opcode(0xFD, 0xFFFFFFFF).has_value());
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
  CHECK(single == 172 + 5 + 6);  // MVP + sign-ext + select t, table.get/set, ref.null/is_null/func
  CHECK(kSingleByteOpcodes[0xFC] == kInvalidOpcode);
  CHECK(kSingleByteOpcodes[0xFD] == kInvalidOpcode);
  CHECK(kSingleByteOpcodes[0x06] == kInvalidOpcode);
  CHECK_FALSE(decode_prefixed_opcode(0xFC, 18).has_value());
  CHECK_FALSE(decode_prefixed_opcode(0xFE, 0).has_value());
}

TEST_CASE("text names are unique except select", "[opcodes]") {
  std::map<std::string_view, int> uses;
  for (const auto& info : kOpcodeInfo) ++uses[info.text];
  for (const auto& [text, n] : uses) {
    INFO(text);
    CHECK(n == (text == "select" ? 2 : 1));
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
    if (info.prefix != 0xFD) continue;
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
    if (info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane) {
      INFO(info.text);
      CHECK(natural_alignment_log2(static_cast<Opcode>(i)) <= 4);
    }
  }
}

// decoder/opcodes.cc: binary encoding -> Opcode maps, generated at compile time from
// opcodes.def (no hand-written per-opcode code).
//
// Invariant: every row of the table appears in exactly one map slot; slots of unused encodings
// and of the prefix bytes hold kInvalidOpcode. A duplicate encoding in the table fails to compile.
#include "decoder/opcodes.h"

#include <array>

namespace zinc::decoder {
namespace {

constexpr uint32_t kMaxFbCode = 64;
constexpr uint32_t kMaxFcCode = 32;
constexpr uint32_t kMaxFdCode = 0x114;  // 2.0 SIMD, then relaxed SIMD up to 0x113
constexpr uint32_t kMaxFeCode = 0x50;

template <size_t N>
constexpr std::array<uint16_t, N> build_map(uint8_t prefix) {
  std::array<uint16_t, N> map{};
  for (auto& slot : map) slot = kInvalidOpcode;
  for (uint16_t i = 0; i < kNumOpcodes; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    if (info.prefix != prefix) continue;
    if (info.code >= N) throw "opcode code out of map range";
    if (map[info.code] != kInvalidOpcode) throw "duplicate encoding in opcodes.def";
    map[info.code] = i;
  }
  return map;
}

constexpr auto kSingleByteMap = build_map<256>(0);
constexpr auto kFbMap = build_map<kMaxFbCode>(0xFB);
constexpr auto kFcMap = build_map<kMaxFcCode>(0xFC);
constexpr auto kFdMap = build_map<kMaxFdCode>(0xFD);
constexpr auto kFeMap = build_map<kMaxFeCode>(0xFE);

static_assert(kSingleByteMap[0xFB] == kInvalidOpcode && kSingleByteMap[0xFC] == kInvalidOpcode &&
              kSingleByteMap[0xFD] == kInvalidOpcode && kSingleByteMap[0xFE] == kInvalidOpcode);

}  // namespace

const uint16_t kSingleByteOpcodes[256] = {
#define ZINC_ROW(i) kSingleByteMap[i]
#define ZINC_ROW8(i)                                                               \
  ZINC_ROW(i), ZINC_ROW(i + 1), ZINC_ROW(i + 2), ZINC_ROW(i + 3), ZINC_ROW(i + 4), \
      ZINC_ROW(i + 5), ZINC_ROW(i + 6), ZINC_ROW(i + 7)
#define ZINC_ROW64(i)                                                                      \
  ZINC_ROW8(i), ZINC_ROW8(i + 8), ZINC_ROW8(i + 16), ZINC_ROW8(i + 24), ZINC_ROW8(i + 32), \
      ZINC_ROW8(i + 40), ZINC_ROW8(i + 48), ZINC_ROW8(i + 56)
    ZINC_ROW64(0),
    ZINC_ROW64(64),
    ZINC_ROW64(128),
    ZINC_ROW64(192),
#undef ZINC_ROW64
#undef ZINC_ROW8
#undef ZINC_ROW
};

std::optional<Opcode> decode_prefixed_opcode(uint8_t prefix, uint32_t code) {
  uint16_t op = kInvalidOpcode;
  if (prefix == 0xFC) {
    if (code < kMaxFcCode) op = kFcMap[code];
  } else if (prefix == 0xFD) {
    if (code < kMaxFdCode) op = kFdMap[code];
  } else if (prefix == 0xFB) {
    if (code < kMaxFbCode) op = kFbMap[code];
  } else if (prefix == 0xFE) {
    if (code < kMaxFeCode) op = kFeMap[code];
  }
  if (op == kInvalidOpcode) return std::nullopt;
  return static_cast<Opcode>(op);
}

}  // namespace zinc::decoder

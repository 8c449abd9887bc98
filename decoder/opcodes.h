// decoder/opcodes.h: the instruction table (opcodes.def) turned into C++.
//
// `Opcode` numbers instructions densely in table order; it is Zinc's own numbering, not the
// binary encoding. `opcode_info(op)` gives encoding, text, immediate kind, signature and feature.
// `decode_opcode_byte` / `decode_prefixed_opcode` map binary encodings back to `Opcode`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace zinc::decoder {

/// Immediate kinds: which immediates follow an opcode in the binary format.
enum class ImmKind : uint8_t {
  None,
  BlockType,     // blocktype (empty, value type, or s33 type index)
  Label,         // labelidx
  BrTable,       // vec(labelidx) labelidx
  Func,          // funcidx
  CallIndirect,  // typeidx tableidx
  Local,         // localidx
  Global,        // globalidx
  Table,         // tableidx
  MemArg,        // memarg (align flags [memidx] offset)
  Memory,        // memidx (a 0x00 byte before multi-memory)
  I32,           // i32 (signed LEB128)
  I64,           // i64 (signed LEB128)
  F32,           // 4 bytes
  F64,           // 8 bytes
  V128,          // 16 bytes
  SelectT,       // vec(valtype)
  HeapType,      // heaptype (ref.null)
  Elem,          // elemidx
  Data,          // dataidx
  MemoryInit,    // dataidx memidx
  MemoryCopy,    // memidx memidx
  TableInit,     // elemidx tableidx
  TableCopy,     // tableidx tableidx
  Shuffle,       // 16 lane-index bytes
  Lane,          // one lane-index byte
  MemArgLane,    // memarg laneidx
  // Wasm 3.0 and proposals.
  TypeIndex,     // typeidx (call_ref, struct.new, array.get, ...)
  StructField,   // typeidx fieldidx (struct.get/set)
  ArrayCopy,     // typeidx typeidx (dst, src)
  ArrayNewFixed, // typeidx u32 (element count)
  ArrayData,     // typeidx dataidx
  ArrayElem,     // typeidx elemidx
  BrOnCast,      // castflags labelidx heaptype heaptype
  Tag,           // tagidx
  TryTable,      // blocktype vec(catch)
  AtomicMemArg,  // memarg whose alignment must be the natural one
  ZeroByte,      // a reserved 0x00 byte (atomic.fence)
};

/// The proposal that introduced an instruction; lets a configuration reject newer instructions.
enum class Feature : uint8_t {
  Mvp,
  SignExt,
  SatConv,
  BulkMemory,
  RefTypes,
  Simd,
  // Wasm 3.0 (features without instructions of their own still get an enumerator).
  TailCall,
  Exceptions,
  TypedFuncRefs,
  Gc,
  Memory64,
  MultiMemory,
  RelaxedSimd,
  ExtendedConst,
  // Proposals after 3.0.
  LegacyExceptions,
  Threads,
  WideArithmetic,
  CustomPageSizes,
  CustomDescriptors,
};

inline constexpr size_t kNumFeatures = static_cast<size_t>(Feature::CustomDescriptors) + 1;

/// One type in an instruction's stack signature.
enum class SigType : uint8_t { I32, I64, F32, F64, V128, Addr };

/// A parsed stack signature: pop `params` (last one on top), push `results`.
struct Signature {
  bool special = false;  // "*": the validator handles the instruction by hand
  uint8_t num_params = 0;
  uint8_t num_results = 0;
  SigType params[3] = {};
  SigType results[1] = {};
};

enum class Opcode : uint16_t {
#define V(Name, prefix, code, text, imm, sig, feature) Name,
#include "decoder/opcodes.def"
#undef V
};

inline constexpr uint16_t kNumOpcodes = 0
#define V(Name, prefix, code, text, imm, sig, feature) +1
#include "decoder/opcodes.def"
#undef V
    ;

/// Everything opcodes.def says about one instruction.
struct OpcodeInfo {
  uint8_t prefix;  // 0, or a prefix byte (0xFB GC, 0xFC misc, 0xFD SIMD, 0xFE threads)
  uint32_t code;
  std::string_view text;
  ImmKind imm;
  Signature sig;
  Feature feature;
  std::string_view name;  // C++ enumerator name, for tests and debugging
};

/// Parses a signature string from opcodes.def at compile time. Invalid strings fail to compile
/// (the throw is never evaluated at run time).
constexpr Signature parse_signature(std::string_view s) {
  Signature sig;
  if (s == "*") {
    sig.special = true;
    return sig;
  }
  bool after_colon = false;
  for (char c : s) {
    if (c == ':') {
      after_colon = true;
      continue;
    }
    SigType t{};
    switch (c) {
      case 'i': t = SigType::I32; break;
      case 'l': t = SigType::I64; break;
      case 'f': t = SigType::F32; break;
      case 'd': t = SigType::F64; break;
      case 'v': t = SigType::V128; break;
      case 'a': t = SigType::Addr; break;
      default: throw "bad signature character in opcodes.def";
    }
    if (after_colon) {
      if (sig.num_results >= 1) throw "too many results in opcodes.def signature";
      sig.results[sig.num_results++] = t;
    } else {
      if (sig.num_params >= 3) throw "too many params in opcodes.def signature";
      sig.params[sig.num_params++] = t;
    }
  }
  if (!after_colon) throw "signature in opcodes.def needs ':'";
  return sig;
}

inline constexpr OpcodeInfo kOpcodeInfo[] = {
#define V(Name, prefix, code, text, imm, sig, feature) \
  {prefix, code, text, ImmKind::imm, parse_signature(sig), Feature::feature, #Name},
#include "decoder/opcodes.def"
#undef V
};

constexpr const OpcodeInfo& opcode_info(Opcode op) { return kOpcodeInfo[static_cast<size_t>(op)]; }
constexpr std::string_view opcode_text(Opcode op) { return opcode_info(op).text; }

/// Sentinel stored in the byte maps for encodings that are not instructions.
inline constexpr uint16_t kInvalidOpcode = 0xFFFF;

/// Maps a single-byte opcode to its Opcode; kInvalidOpcode for prefixes and unused bytes.
extern const uint16_t kSingleByteOpcodes[256];

/// The Opcode of a single-byte encoding, or kInvalidOpcode; usable in constant expressions
/// (the function decoder specialises its handlers per byte with it).
constexpr uint16_t single_byte_opcode(uint8_t byte) {
#define ZINC_SB_0(N, C) \
  case C:               \
    return static_cast<uint16_t>(Opcode::N);
#define ZINC_SB_0xFB(N, C)
#define ZINC_SB_0xFC(N, C)
#define ZINC_SB_0xFD(N, C)
#define ZINC_SB_0xFE(N, C)
  switch (byte) {
#define V(N, P, C, T, I, S, F) ZINC_SB_##P(N, C)
#include "decoder/opcodes.def"
#undef V
    default:
      return kInvalidOpcode;
  }
#undef ZINC_SB_0
#undef ZINC_SB_0xFB
#undef ZINC_SB_0xFC
#undef ZINC_SB_0xFD
#undef ZINC_SB_0xFE
}

/// Maps (prefix, code) to an Opcode, or nullopt for an unknown instruction.
std::optional<Opcode> decode_prefixed_opcode(uint8_t prefix, uint32_t code);

/// True for the prefix bytes of the table (0xFB GC, 0xFC misc, 0xFD SIMD, 0xFE threads).
constexpr bool is_prefix_byte(uint8_t b) { return b >= 0xFB && b <= 0xFE; }

/// The feature that owns every instruction behind prefix `b`, or Mvp when the prefix is shared
/// by several features (0xFC, 0xFD: each row is then checked on its own). Decoders treat a
/// prefix whose feature is off as the illegal single-byte opcode it was before the feature.
constexpr Feature prefix_feature(uint8_t b) {
  return b == 0xFB ? Feature::Gc : b == 0xFE ? Feature::Threads : Feature::Mvp;
}

}  // namespace zinc::decoder

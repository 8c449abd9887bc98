// decoder/wasm_features.h: which WebAssembly proposals the decoder accepts.
//
// Defaults are Wasm 2.0 (every proposal merged into 2.0 on). Wasm 3.0 proposals and later ones
// have fields defaulting to off until the decoder, validator and runtime implement them; a
// module using a disabled feature is rejected with the same error the spec gives when the
// feature does not exist (usually malformed, e.g. "illegal opcode" for its instructions).
// `has(Feature)` maps the opcode table's Feature column onto these fields.
#pragma once

#include "decoder/opcodes.h"

namespace zinc::decoder {

struct Features {
  bool sign_ext = true;
  bool sat_conv = true;
  bool multi_value = true;
  bool bulk_memory = true;
  bool ref_types = true;
  bool simd = true;
  bool mutable_globals = true;
  // Wasm 3.0; not implemented by the decoder yet (the text format parses all of them).
  bool tail_call = false;
  bool exceptions = false;
  bool typed_func_refs = false;
  bool gc = false;
  bool memory64 = false;
  bool multi_memory = false;  // issue 3 shapes for it
  bool relaxed_simd = false;
  bool extended_const = false;
  // Proposals beyond 3.0 (../shared/wasm-testsuite/proposals and legacy/).
  bool legacy_exceptions = false;
  bool threads = false;
  bool wide_arithmetic = false;
  bool custom_page_sizes = false;
  bool custom_descriptors = false;

  static Features wasm2() { return {}; }

  /// Whether instructions of `f` (the opcode table's Feature column) are accepted.
  constexpr bool has(Feature f) const {
    switch (f) {
      case Feature::Mvp: return true;
      case Feature::SignExt: return sign_ext;
      case Feature::SatConv: return sat_conv;
      case Feature::BulkMemory: return bulk_memory;
      case Feature::RefTypes: return ref_types;
      case Feature::Simd: return simd;
      case Feature::TailCall: return tail_call;
      case Feature::Exceptions: return exceptions;
      case Feature::TypedFuncRefs: return typed_func_refs;
      case Feature::Gc: return gc;
      case Feature::Memory64: return memory64;
      case Feature::MultiMemory: return multi_memory;
      case Feature::RelaxedSimd: return relaxed_simd;
      case Feature::ExtendedConst: return extended_const;
      case Feature::LegacyExceptions: return legacy_exceptions;
      case Feature::Threads: return threads;
      case Feature::WideArithmetic: return wide_arithmetic;
      case Feature::CustomPageSizes: return custom_page_sizes;
      case Feature::CustomDescriptors: return custom_descriptors;
    }
    return false;
  }
};

}  // namespace zinc::decoder

// decoder/wasm_features.h: which WebAssembly proposals the decoder accepts.
//
// Defaults are Wasm 2.0 (every proposal merged into 2.0 on). Wasm 3.0 proposals get fields here
// as they land; a module using a disabled feature is rejected with the same error the spec gives
// when the feature does not exist (usually malformed, e.g. "illegal opcode").
#pragma once

namespace zinc::decoder {

struct Features {
  bool sign_ext = true;
  bool sat_conv = true;
  bool multi_value = true;
  bool bulk_memory = true;
  bool ref_types = true;
  bool simd = true;
  bool mutable_globals = true;
  bool multi_memory = false;  // Wasm 3.0; not implemented yet (issue 3 shapes for it)

  static Features wasm2() { return {}; }
};

}  // namespace zinc::decoder

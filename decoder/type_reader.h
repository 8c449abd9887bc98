// decoder/type_reader.h: binary decoding of value and reference types, shared by the module
// decoder (type/import/table/global/elem sections) and the function decoder (locals, block
// types, select, ref.null).
//
// Wasm 2.0 encodings: 0x7F i32, 0x7E i64, 0x7D f32, 0x7C f64, 0x7B v128 (simd), 0x70 funcref,
// 0x6F externref (reference types). Anything else, or a type whose feature is disabled, is
// malformed. On error the functions call `r.fail(...)` and return false; `*out` is untouched.
// Spec: https://webassembly.github.io/spec/core/binary/types.html
#pragma once

#include <cstdint>

#include "decoder/reader.h"
#include "decoder/types.h"
#include "decoder/wasm_features.h"

namespace zinc::decoder {

/// Decodes a value type from its (already consumed) first byte. Returns false for bytes that
/// are not a value type under `f`; does not touch any reader.
inline bool val_type_from_byte(uint8_t b, const Features& f, ValType* out) {
  switch (b) {
    case 0x7F:
      *out = kI32;
      return true;
    case 0x7E:
      *out = kI64;
      return true;
    case 0x7D:
      *out = kF32;
      return true;
    case 0x7C:
      *out = kF64;
      return true;
    case 0x7B:
      if (!f.simd) return false;
      *out = kV128;
      return true;
    case 0x70:
      if (!f.ref_types) return false;
      *out = kFuncRef;
      return true;
    case 0x6F:
      if (!f.ref_types) return false;
      *out = kExternRef;
      return true;
    default:
      return false;
  }
}

/// Reads a `valtype`. Fails with "malformed value type" at the type's byte.
inline bool read_val_type(Reader& r, const Features& f, ValType* out) {
  const size_t at = r.offset();
  const uint8_t b = r.u8();
  if (!r.ok()) return false;
  if (val_type_from_byte(b, f, out)) return true;
  r.fail_at(at, ErrorCode::MalformedValueType);
  return false;
}

/// Reads a `reftype` (table element types, element segment types). funcref is always allowed;
/// externref needs reference types. Fails with "malformed reference type".
inline bool read_ref_type(Reader& r, const Features& f, ValType* out) {
  const size_t at = r.offset();
  const uint8_t b = r.u8();
  if (!r.ok()) return false;
  if (b == 0x70) {
    *out = kFuncRef;
    return true;
  }
  if (b == 0x6F && f.ref_types) {
    *out = kExternRef;
    return true;
  }
  r.fail_at(at, ErrorCode::MalformedReferenceType);
  return false;
}

/// Reads a Wasm 2.0 `heaptype` as used by ref.null: 0x70 func or 0x6F extern. Fails with
/// "malformed reference type" (the spec interpreter's wording for a bad ref.null operand).
inline bool read_heap_type(Reader& r, const Features& f, HeapType* out) {
  ValType t;
  if (!read_ref_type(r, f, &t)) return false;
  *out = t.heap();
  return true;
}

}  // namespace zinc::decoder

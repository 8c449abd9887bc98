// decoder/text/encoder.h: the binary encoder behind the text format.
//
// The WAT parser emits instructions and section entries straight into a ModuleEncoder (no
// intermediate AST: identifiers are resolved by the parser's first pass, so forward references
// are already indices). `finish()` assembles the sections in the binary format's order, adding
// the data count section when a body uses `memory.init` or `data.drop`. The encoder performs
// no validation: invalid modules are encoded faithfully so the decoder reports their errors.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "decoder/types.h"

namespace zinc::decoder::text {

/// Append-only byte buffer with the binary format's primitive encodings.
class ByteWriter {
 public:
  void u8(uint8_t b) { buf_.push_back(b); }
  void u32(uint32_t v) { u64(v); }
  void u64(uint64_t v) {
    do {
      uint8_t b = v & 0x7F;
      v >>= 7;
      if (v != 0) b |= 0x80;
      buf_.push_back(b);
    } while (v != 0);
  }
  void s32(int32_t v) { s64(v); }
  void s64(int64_t v) {
    while (true) {
      uint8_t b = v & 0x7F;
      v >>= 7;  // arithmetic shift
      bool done = (v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40));
      if (!done) b |= 0x80;
      buf_.push_back(b);
      if (done) return;
    }
  }
  void fixed32(uint32_t v) {
    for (int i = 0; i < 4; ++i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void fixed64(uint64_t v) {
    for (int i = 0; i < 8; ++i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  void bytes(const uint8_t* p, size_t n) { buf_.insert(buf_.end(), p, p + n); }
  void bytes(std::string_view s) {
    bytes(reinterpret_cast<const uint8_t*>(s.data()), s.size());
  }
  /// vec(byte): length then bytes.
  void name(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    bytes(s);
  }
  void append(const ByteWriter& w) { bytes(w.buf_.data(), w.buf_.size()); }

  size_t size() const { return buf_.size(); }
  bool empty() const { return buf_.empty(); }
  void clear() { buf_.clear(); }
  void truncate(size_t n) { buf_.resize(n); }
  const uint8_t* data() const { return buf_.data(); }
  std::vector<uint8_t>& vec() { return buf_; }
  const std::vector<uint8_t>& vec() const { return buf_; }

 private:
  std::vector<uint8_t> buf_;
};

/// Encodes a heap type (abstract kinds as their one-byte codes, concrete as s33, exact ones
/// with the custom-descriptors 0x62 prefix).
void write_heap_type(ByteWriter& w, HeapType h);
/// Encodes a value type, using the one-byte shorthands for nullable abstract references.
void write_val_type(ByteWriter& w, ValType t);

/// Storage type of a struct field or array element: a value type or a packed integer.
enum class Packed : uint8_t { None, I8, I16 };

struct FieldType {
  ValType type = kI32;  // when packed == None
  Packed packed = Packed::None;
  bool mut = false;
};

/// A type definition as the text wrote it.
struct TextType {
  TypeDef def;                    // kind, func (Func), is_final, rec group
  std::vector<uint32_t> supers;   // as written (validation allows at most one)
  std::vector<FieldType> fields;  // Struct: the fields; Array: the element field
  std::optional<uint32_t> describes, descriptor;  // custom descriptors
};

/// A recursion group: `size` consecutive types from `start`. Explicit groups were written as
/// `(rec ...)` (even of one type, or none) and get the 0x4E prefix.
struct RecGroup {
  uint32_t start = 0;
  uint32_t size = 0;
  bool explicit_rec = false;
};

/// A section body under construction: entry count plus the encoded entries.
struct SectionBuffer {
  uint32_t count = 0;
  ByteWriter bytes;
};

/// All sections of a module being encoded from text.
struct ModuleEncoder {
  std::vector<TextType> types;  // explicit types first, implicit ones appended in text order
  std::vector<RecGroup> groups;  // the type section's entries
  SectionBuffer imports;
  SectionBuffer funcs;  // type index per defined function
  SectionBuffer tables;
  SectionBuffer memories;
  SectionBuffer tags;
  SectionBuffer globals;
  SectionBuffer exports;
  std::optional<uint32_t> start;
  SectionBuffer elems;
  SectionBuffer code;
  SectionBuffer datas;
  bool needs_data_count = false;

  /// The first type index whose type is the function type `ft` alone in its recursion group
  /// (final, no supertype), appending such a type if none is.
  uint32_t intern_func_type(const FuncType& ft);
  /// Adds a type to the current (last) recursion group; the group is begun by begin_group.
  void begin_group(bool explicit_rec);
  uint32_t add_type(TextType t);

  /// The complete binary module.
  std::vector<uint8_t> finish() const;
};

}  // namespace zinc::decoder::text

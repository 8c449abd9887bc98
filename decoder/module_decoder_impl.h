// decoder/module_decoder_impl.h: the module (section) decoder's private interface.
//
// `ModuleDecoder` walks the sections of a core module in one pass, filling a Module whose
// `bytes` already hold the input. As in the reference interpreter, a section's contents are
// read with a Reader that ends at the module's end and the declared size is checked after
// ("section size mismatch"), so an entry overrunning its section reports the error it runs
// into; running off the module is "unexpected end of section or function".
// Module-level validation (index bounds, limits, constant expressions, start function, export
// names) happens as each section is read, because every section only refers to earlier ones.
// Split across module_decoder.cc (driver, code section, final checks), sections.cc (the other
// known sections), const_expr.cc (constant expressions) and name_section.cc.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "decoder/decode.h"
#include "decoder/reader.h"
#include "decoder/type_reader.h"

namespace zinc::decoder::internal {

/// Reads a name section payload into `out`. Never fails the module: on malformed contents the
/// names read so far are dropped and false is returned (custom sections carry no semantics).
bool parse_name_section(const Module& module, ByteRange payload, NameSection* out);

/// Reserves room for `count` more entries, but never more than the bytes left could hold at
/// `min_size` bytes per entry: capacity follows the input, not the count it claims.
template <typename V>
void reserve_bounded(V& v, uint32_t count, const Reader& r, size_t min_size) {
  v.reserve(v.size() + std::min<size_t>(count, r.remaining() / min_size));
}

class ModuleDecoder {
 public:
  ModuleDecoder(Module& module, const DecodeOptions& options)
      : m_(module), options_(options), features_(options.features) {}

  /// Decodes (and validates) m_.bytes. The first error is returned.
  Result<void> decode();

 private:
  // module_decoder.cc
  bool decode_preamble(Reader& r);
  void decode_section(SectionId id, Reader& r);
  void decode_custom_section(Reader& r, SectionInfo& info);
  void decode_code_section(Reader& r);  // frames the bodies
  void validate_bodies();               // after the code section's size was checked
  void prepare_declared_func_refs();
  void finish(Reader& r);

  // sections.cc
  void decode_type_section(Reader& r);
  void decode_import_section(Reader& r);
  void decode_function_section(Reader& r);
  void decode_table_section(Reader& r);
  void decode_memory_section(Reader& r);
  void decode_global_section(Reader& r);
  void decode_export_section(Reader& r);
  void decode_start_section(Reader& r);
  void decode_element_section(Reader& r);
  void decode_data_count_section(Reader& r);
  void decode_data_section(Reader& r);
  bool read_limits(Reader& r, Limits* out);
  bool read_table_type(Reader& r, TableType* out);
  bool read_memory_type(Reader& r, MemoryType* out);
  bool read_global_type(Reader& r, GlobalType* out);
  bool read_elem_segment(Reader& r, ElemSegment* seg);
  bool check_memory_count(Reader& r, size_t offset);
  bool add_function(Reader& r, size_t offset, uint32_t type_index, bool imported);

  // const_expr.cc
  /// Reads a constant expression up to and including its `end`, checks it is constant and
  /// produces exactly one value of type `expected`, and records ref.func targets.
  bool read_const_expr(Reader& r, ValType expected, ConstExpr* out);

  Module& m_;
  const DecodeOptions& options_;
  const Features& features_;
  /// Function indices named by ref.func in constant expressions, element segments and
  /// exports, seen before the code section; folded into m_.declared_func_refs.
  std::vector<uint32_t> func_refs_;
  uint32_t declared_funcs_ = 0;  // entries of the function section
  bool seen_function_section_ = false;
  bool seen_code_section_ = false;
  bool seen_data_section_ = false;
  bool seen_name_section_ = false;
  /// First error from validate_function (carries the function index, so kept whole).
  std::optional<Error> body_error_;
};

}  // namespace zinc::decoder::internal

// decoder/module.h: the decoded, validated module (immutable IR).
//
// A Module owns a copy of the binary; function bodies, constant expressions, data segment
// payloads and custom sections are byte ranges into it, so later tiers decode bodies with the
// same FunctionDecoder the validator used. Index spaces follow the spec: imports come first in
// `funcs`, `tables`, `memories` and `globals`. Once `decode_module` returns, the Module is shared
// as `std::shared_ptr<const Module>` and never written again; per-function side outputs of
// validation (max operand stack height, max control depth) are stored in `FunctionBody`.
// Spec: https://webassembly.github.io/spec/core/syntax/modules.html
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "decoder/types.h"

namespace zinc::decoder {

/// A byte range [offset, offset + size) in Module::bytes.
struct ByteRange {
  uint32_t offset = 0;
  uint32_t size = 0;
  uint32_t end() const { return offset + size; }
};

/// A constant expression (global initialisers, segment offsets, element items): the bytes of
/// the instruction sequence including the final `end`, validated and typed.
struct ConstExpr {
  ByteRange range;
  ValType type = kI32;
};

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;  // index in the kind's index space (funcs/tables/memories/globals/tags)
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;
};

/// One entry of the function index space.
struct Function {
  uint32_t type_index = 0;
  bool imported = false;
};

struct Global {
  GlobalType type;
  bool imported = false;
  ConstExpr init;  // only for defined globals
};

/// Locals of one function body as (count, type) runs, as in the binary.
struct LocalRun {
  uint32_t count = 0;
  ValType type = kI32;
};

/// A defined function's body, plus what validation learned about it.
struct FunctionBody {
  uint32_t func_index = 0;   // index in the function index space
  ByteRange range;           // whole body entry (locals + code), after the size LEB
  ByteRange code;            // instructions only, up to and including the final `end`
  std::vector<LocalRun> local_runs;
  uint32_t num_locals = 0;   // declared locals, excluding params
  uint32_t max_stack_height = 0;   // operand stack high-water mark (values)
  uint32_t max_control_depth = 0;  // control stack high-water mark (frames, incl. the body)
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t table_index = 0;  // active only
  ConstExpr offset;          // active only
  ValType type = kFuncRef;
  /// Exactly one of these is used: function indices (the `elemkind 0x00` encodings) or
  /// constant expressions (the expression encodings).
  std::vector<uint32_t> func_indices;
  std::vector<ConstExpr> exprs;
  bool uses_exprs = false;
  uint32_t size() const {
    return static_cast<uint32_t>(uses_exprs ? exprs.size() : func_indices.size());
  }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive;
  uint32_t memory_index = 0;  // active only
  ConstExpr offset;           // active only
  ByteRange bytes;
};

/// Section ids of the binary format.
enum class SectionId : uint8_t {
  Custom = 0,
  Type = 1,
  Import = 2,
  Function = 3,
  Table = 4,
  Memory = 5,
  Global = 6,
  Export = 7,
  Start = 8,
  Element = 9,
  Code = 10,
  Data = 11,
  DataCount = 12,
  Tag = 13,
};

const char* section_name(SectionId id);

/// Where a section sits in the binary (header included), for `zinc inspect`.
struct SectionInfo {
  SectionId id = SectionId::Custom;
  uint32_t header_offset = 0;  // offset of the id byte
  ByteRange payload;           // contents after the size LEB
  std::string custom_name;     // custom sections only
};

/// Names from the `name` custom section (subsections 0, 1 and 2; others are skipped).
struct NameSection {
  std::optional<std::string> module_name;
  std::vector<std::pair<uint32_t, std::string>> function_names;  // sorted by index
  /// (function index, [(local index, name)]) sorted by function index.
  std::vector<std::pair<uint32_t, std::vector<std::pair<uint32_t, std::string>>>> local_names;
};

struct CustomSection {
  std::string name;
  ByteRange payload;  // after the name
};

struct Module {
  std::vector<uint8_t> bytes;

  std::vector<TypeDef> types;
  std::vector<Import> imports;
  std::vector<Function> funcs;
  std::vector<TableType> tables;
  std::vector<MemoryType> memories;
  std::vector<Global> globals;
  std::vector<Export> exports;
  std::optional<uint32_t> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> data_count;
  std::vector<FunctionBody> bodies;  // one per defined function, in order

  uint32_t num_imported_funcs = 0;
  uint32_t num_imported_tables = 0;
  uint32_t num_imported_memories = 0;
  uint32_t num_imported_globals = 0;

  /// Functions that may be referenced by `ref.func` in bodies: those named in element
  /// segments, exports or global initialisers (C.refs in the spec). Indexed by function index.
  std::vector<bool> declared_func_refs;

  std::vector<SectionInfo> sections;
  std::vector<CustomSection> customs;
  NameSection names;

  const FuncType& func_type(uint32_t func_index) const {
    return types[funcs[func_index].type_index].func;
  }
  std::span<const uint8_t> slice(ByteRange r) const {
    return {bytes.data() + r.offset, r.size};
  }
  /// The function's name from the name section, or empty.
  std::string_view func_name(uint32_t func_index) const;
  uint32_t num_defined_funcs() const { return static_cast<uint32_t>(bodies.size()); }
};

}  // namespace zinc::decoder

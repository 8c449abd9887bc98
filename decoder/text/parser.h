// decoder/text/parser.h: the WAT module parser's internal state (private to decoder/text/).
//
// Two passes over the tokens of one module. Pass 1 (`scan_fields`) records every field and binds
// identifiers in all index spaces (so forward references resolve); then the type definitions
// (`type` and `rec` fields) are parsed, binding struct field names per type. Pass 2 parses each
// other field in text order and emits binary entries into a ModuleEncoder; implicit function
// types from type uses are appended in the order they appear, as the spec requires.
// Errors are sticky: the first is kept and every parse function returns false after it.
// Split by seam: parser.cc (cursor, names, driver), wat_types.cc (types and type uses),
// wat_module.cc (module fields), wat_instr.cc (instruction sequences and blocks),
// wat_immediates.cc (the immediates of each ImmKind).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "decoder/opcodes.h"
#include "decoder/text/encoder.h"
#include "decoder/text/lexer.h"

namespace zinc::decoder::text {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// One index space: identifiers bound to indices, and how many entries pass 1 saw.
struct IndexSpace {
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> names;
  uint32_t count = 0;
};

/// A parsed type use: `(type x)?` followed by inline `(param ...)* (result ...)*`.
struct TypeUse {
  bool has_index = false;
  uint32_t index = 0;
  bool has_inline = false;
  FuncType inline_type;
  std::vector<const Token*> param_ids;  // per inline param: its id token or nullptr
  const Token* where = nullptr;
};

/// Block type as encoded: empty, one value type, or a type index.
struct BlockType {
  enum Kind : uint8_t { Empty, Value, Index } kind = Empty;
  ValType type;
  uint32_t index = 0;
};

/// Folded instructions (and WAST `either` patterns) nest by recursion, so deeper text is refused
/// with an implementation-limit error instead of overflowing the stack on hostile input. Flat
/// `block`/`loop`/`if` nesting uses an explicit stack and is bounded only by the validator's
/// control-depth limit. The spec suites nest at most 43 deep.
inline constexpr uint32_t kMaxFoldedDepth = 1000;

/// True for instruction mnemonics of the opcode table (wat_instr.cc).
bool is_instruction_keyword(std::string_view text);
/// True for any keyword of the text format, mnemonics included (parser.cc).
bool is_known_keyword(std::string_view text);

class WatParser;
using FieldFn = bool (WatParser::*)();

/// A module field kind: keyword, pass-1 scanner and pass-2 parser. New field kinds (tags, rec
/// groups, components' sub-fields) are added as rows of the table in wat_module.cc.
struct FieldKind {
  std::string_view keyword;
  FieldFn scan;
  FieldFn parse;
};

class WatParser {
 public:
  explicit WatParser(std::span<const Token> tokens);
  TextResult<std::vector<uint8_t>> run();

  // ---- cursor (parser.cc) ----
  const Token& peek(size_t k = 0) const {
    return pos_ + k < end_ ? tokens_[pos_ + k] : eof_;
  }
  const Token& next() { return pos_ < end_ ? tokens_[pos_++] : eof_; }
  bool at(TokenKind k) const { return peek().kind == k; }
  bool at_keyword(std::string_view kw) const {
    return peek().kind == TokenKind::Keyword && peek().text == kw;
  }
  bool at_lparen_keyword(std::string_view kw) const {
    return peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword &&
           peek(1).text == kw;
  }
  bool at_index() const { return at(TokenKind::Int) || at(TokenKind::Id); }
  bool expect(TokenKind k);
  bool expect_keyword(std::string_view kw);
  bool expect_lparen_keyword(std::string_view kw);
  bool expect_rparen() { return expect(TokenKind::RParen); }
  bool skip_balanced();

  // ---- errors ----
  bool fail(ErrorCode code, const Token& t, std::string detail = {});
  bool fail_unexpected(const Token& t);
  bool ok() const { return !error_; }

  // ---- identifiers and indices ----
  std::string_view key(const Token& id);
  bool bind(IndexSpace& space, const Token& id, uint32_t index, ErrorCode duplicate);
  bool parse_index(const IndexSpace& space, ErrorCode unknown, uint32_t* out);
  bool parse_u32(uint32_t* out);
  bool parse_string(std::string* out);
  bool parse_name(std::string* out);  // a string that must be valid UTF-8

  // ---- types (wat_types.cc) ----
  bool parse_val_type(ValType* out);
  bool parse_ref_type(ValType* out);
  bool parse_heap_type(HeapType* out);
  bool at_ref_type() const;
  bool parse_storage_type(FieldType* out);
  bool parse_field_type(FieldType* out);
  bool parse_comp_type(TextType* t, uint32_t index);
  bool parse_typedef();
  bool parse_type_field();  // a `type` or `rec` field
  bool parse_memory_type(MemoryType* m);
  bool parse_memory_type_tail(MemoryType* m);  // `shared`, `(pagesize N)`
  void write_memory_type(ByteWriter& w, const MemoryType& m);
  bool parse_func_sig(FuncType* ft, std::vector<const Token*>* param_ids);
  bool parse_type_use(TypeUse* tu);
  bool resolve_type_use(const TypeUse& tu, uint32_t* type_index);
  bool parse_block_type(BlockType* bt);
  void write_block_type(const BlockType& bt);
  bool parse_limits(Limits* l);
  bool parse_table_type(TableType* t);
  bool parse_global_type(GlobalType* g);
  void write_limits(ByteWriter& w, const Limits& l);
  /// Whether memory `memory`'s offsets may exceed 32 bits in the text (an i64 memory, or any
  /// memory once memory64 is on: the validator then reports "offset out of range").
  bool allows_wide_address(uint32_t memory) const;

  // ---- module fields (wat_module.cc) ----
  bool scan_fields(size_t end);
  bool parse_fields();
  bool scan_type();
  bool scan_func();
  bool scan_table();
  bool scan_memory();
  bool scan_global();
  bool scan_import();
  bool scan_elem();
  bool scan_data();
  bool scan_rec();
  bool scan_tag();
  bool scan_nothing() { return true; }
  bool parse_skip() { return skip_balanced(); }
  bool parse_func();
  bool parse_table();
  bool parse_memory();
  bool parse_global();
  bool parse_import();
  bool parse_export();
  bool parse_start();
  bool parse_elem();
  bool parse_data();
  bool parse_tag();
  bool note_definition(ErrorCode import_after);
  bool note_import(const Token& at);
  bool skip_inline_exports_and_check_import(bool* is_import);
  bool parse_inline_exports(ExternKind kind, uint32_t index);
  bool parse_inline_import(std::string* module, std::string* name);
  bool parse_offset_expr();
  bool parse_elem_list(bool allow_bare_indices, ValType* type, bool* uses_exprs,
                       uint32_t* count, ByteWriter* items);
  bool scan_is64();  // pass 1: an `i64` address type before the memory's limits
  void write_import_header(const std::string& module, const std::string& name, ExternKind k);
  bool parse_func_import_type(uint32_t* type_index, bool* exact);

  // ---- instructions (wat_instr.cc) ----
  bool parse_instrs();
  bool parse_expr_end();  // instructions up to `)`, then `end`
  bool parse_plain_instr();
  bool parse_folded_instr();
  bool open_block_plain(Opcode op);
  bool close_block_plain(const Token& t);
  bool parse_block_folded(Opcode op);
  bool parse_try_folded();
  bool parse_block_header(Opcode op);  // label, block type (and try_table's catch clauses)
  bool parse_catch_clauses(ByteWriter* out);
  bool emit_op(Opcode op, const Token& t);
  bool check_end_label(std::string_view label);
  void write_opcode(Opcode op);

  // ---- immediates (wat_immediates.cc) ----
  bool parse_immediates(Opcode op, const Token& t);
  bool parse_label(uint32_t* out);
  bool parse_mem_arg(Opcode op);
  bool parse_lane(uint8_t* out);
  bool parse_v128_const();
  bool parse_int_imm(unsigned bits, uint64_t* out);
  bool parse_f32_imm(uint32_t* out);
  bool parse_f64_imm(uint64_t* out);
  bool parse_field_index(uint32_t type_index, uint32_t* out);
  bool parse_cast_op(Opcode op);  // ref.test/ref.cast: the reference type picks the row

  // ---- state ----
  const Token* tokens_;
  size_t end_;
  size_t pos_ = 0;
  Token eof_;
  std::optional<TextError> error_;
  std::deque<std::string> arena_;  // decoded quoted identifiers

  IndexSpace types_, funcs_, tables_, memories_, globals_, elems_, datas_, tags_;
  std::vector<IndexSpace> field_names_;  // per type index: struct field names
  std::vector<bool> memory64_;           // per memory index (pass 1): i64 address type
  struct Field {
    size_t pos;
    const FieldKind* kind;
  };
  std::vector<Field> fields_;
  std::vector<size_t> type_fields_;
  std::optional<ErrorCode> last_definition_;  // "import after <kind>" once a definition is seen
  std::optional<size_t> stray_token_;         // a non-field token found by pass 1

  // Pass-2 counters (index of the next entry in each space).
  uint32_t next_func_ = 0, next_table_ = 0, next_memory_ = 0, next_global_ = 0;
  uint32_t next_elem_ = 0, next_data_ = 0, next_tag_ = 0;

  ModuleEncoder enc_;
  // Current function.
  IndexSpace locals_;
  std::vector<std::string_view> labels_;  // innermost last; empty for unnamed
  // Open flat blocks (parse_instrs); each call of parse_instrs owns the frames above its base.
  // `in_else` is set after `else`, or after a legacy `catch`/`catch_all` of a `try`.
  struct FlatBlock {
    Opcode op;
    bool in_else;
    bool catch_all = false;
  };
  std::vector<FlatBlock> flat_blocks_;
  uint32_t folded_depth_ = 0;
  ByteWriter body_;
  std::vector<uint8_t> fold_stack_;  // opcode bytes of folded instructions awaiting operands
};

}  // namespace zinc::decoder::text

// decoder/text/wat_module.cc: module fields (type, rec, import, func, table, memory, tag,
// global, export, start, elem, data) with their abbreviations: inline imports/exports, inline
// element segments in tables, inline data in memories, offset and item abbreviations, table
// initialiser expressions.
//
// The field dispatcher is the kFieldKinds table: each row scans (pass 1: bind ids, count
// entries, check import order) and parses (pass 2: emit binary entries).
// Spec: https://webassembly.github.io/spec/core/text/modules.html
#include <algorithm>

#include "decoder/text/numbers.h"
#include "decoder/text/parser.h"

namespace zinc::decoder::text {
namespace {

// Custom descriptors: the import kind byte of an exact function import.
constexpr uint8_t kExactFuncImport = 0x20;

const FieldKind kFieldKinds[] = {
    {"type", &WatParser::scan_type, &WatParser::parse_skip},
    {"rec", &WatParser::scan_rec, &WatParser::parse_skip},
    {"tag", &WatParser::scan_tag, &WatParser::parse_tag},
    {"import", &WatParser::scan_import, &WatParser::parse_import},
    {"func", &WatParser::scan_func, &WatParser::parse_func},
    {"table", &WatParser::scan_table, &WatParser::parse_table},
    {"memory", &WatParser::scan_memory, &WatParser::parse_memory},
    {"global", &WatParser::scan_global, &WatParser::parse_global},
    {"export", &WatParser::scan_nothing, &WatParser::parse_export},
    {"start", &WatParser::scan_nothing, &WatParser::parse_start},
    {"elem", &WatParser::scan_elem, &WatParser::parse_elem},
    {"data", &WatParser::scan_data, &WatParser::parse_data},
};

// True when the tokens at `p` open a child list `( kw` at depth 1 of the field at `field`.
bool field_has_child(const Token* tokens, size_t begin, size_t end, std::string_view kw) {
  uint32_t depth = 0;
  for (size_t i = begin; i < end; ++i) {
    TokenKind k = tokens[i].kind;
    if (k == TokenKind::LParen) {
      ++depth;
      if (depth == 2 && i + 1 < end && tokens[i + 1].kind == TokenKind::Keyword &&
          tokens[i + 1].text == kw) {
        return true;
      }
    } else if (k == TokenKind::RParen) {
      if (--depth == 0) return false;
    }
  }
  return false;
}

}  // namespace

// ---- pass 1 ----

bool WatParser::scan_fields(size_t end) {
  while (ok() && pos_ < end) {
    if (!at(TokenKind::LParen)) {
      // Reported after pass 2, so errors inside earlier fields come first (as in a one-pass
      // parser).
      stray_token_ = pos_;
      return true;
    }
    const Token& kw = peek(1);
    const FieldKind* kind = nullptr;
    if (kw.kind == TokenKind::Keyword) {
      for (const FieldKind& f : kFieldKinds) {
        if (f.keyword == kw.text) kind = &f;
      }
    }
    if (!kind) return fail_unexpected(kw);
    size_t start = pos_;
    fields_.push_back({start, kind});
    if (!(this->*kind->scan)()) return false;
    pos_ = start;
    if (!skip_balanced()) return false;
  }
  return ok();
}

bool WatParser::note_definition(ErrorCode import_after) {
  last_definition_ = import_after;
  return true;
}

bool WatParser::note_import(const Token& at) {
  if (last_definition_) return fail(*last_definition_, at);
  return true;
}

bool WatParser::skip_inline_exports_and_check_import(bool* is_import) {
  while (at_lparen_keyword("export")) {
    if (!skip_balanced()) return false;
  }
  *is_import = at_lparen_keyword("import");
  return true;
}

bool WatParser::scan_type() {
  pos_ += 2;
  type_fields_.push_back(pos_ - 2);
  if (at(TokenKind::Id) && !bind(types_, peek(), types_.count, ErrorCode::DuplicateType)) {
    return false;
  }
  ++types_.count;
  return true;
}

// `(rec (type $id? ...)*)`: one type field whose types are bound in order.
bool WatParser::scan_rec() {
  type_fields_.push_back(pos_);
  pos_ += 2;
  while (at_lparen_keyword("type")) {
    const size_t start = pos_;
    pos_ += 2;
    if (at(TokenKind::Id) && !bind(types_, peek(), types_.count, ErrorCode::DuplicateType)) {
      return false;
    }
    ++types_.count;
    pos_ = start;
    if (!skip_balanced()) return false;
  }
  return true;  // anything else inside is reported when the group is parsed
}

// After a memory's id and inline exports/import: whether its address type is i64.
bool WatParser::scan_is64() {
  while (at_lparen_keyword("export") || at_lparen_keyword("import")) {
    if (!skip_balanced()) return false;
  }
  return at_keyword("i64");
}

// Shared scan for func/table/memory/global: bind the id, classify import vs definition.
#define ZINC_SCAN_ENTITY(space, dup, after)                                        \
  const Token& field = peek();                                                     \
  pos_ += 2;                                                                       \
  if (at(TokenKind::Id) && !bind(space, peek(), space.count, ErrorCode::dup)) {    \
    return false;                                                                  \
  }                                                                                \
  if (at(TokenKind::Id)) ++pos_;                                                   \
  ++space.count;                                                                   \
  bool is_import = false;                                                          \
  if (!skip_inline_exports_and_check_import(&is_import)) return false;             \
  if (is_import ? !note_import(field) : !note_definition(ErrorCode::after)) return false;

bool WatParser::scan_func() {
  ZINC_SCAN_ENTITY(funcs_, DuplicateFunc, ImportAfterFunction)
  return true;
}

bool WatParser::scan_global() {
  ZINC_SCAN_ENTITY(globals_, DuplicateGlobal, ImportAfterGlobal)
  return true;
}

bool WatParser::scan_table() {
  size_t start = pos_;
  ZINC_SCAN_ENTITY(tables_, DuplicateTable, ImportAfterTable)
  if (!is_import && field_has_child(tokens_, start, end_, "elem")) ++elems_.count;
  return true;
}

bool WatParser::scan_memory() {
  size_t start = pos_;
  ZINC_SCAN_ENTITY(memories_, DuplicateMemory, ImportAfterMemory)
  if (!is_import && field_has_child(tokens_, start, end_, "data")) ++datas_.count;
  memory64_.push_back(scan_is64());
  return ok();
}

bool WatParser::scan_tag() {
  ZINC_SCAN_ENTITY(tags_, DuplicateTag, ImportAfterTag)
  return true;
}

#undef ZINC_SCAN_ENTITY

bool WatParser::scan_import() {
  const Token& field = peek();
  pos_ += 2;
  if (!note_import(field)) return false;
  while (at(TokenKind::String)) ++pos_;
  if (!at(TokenKind::LParen) || peek(1).kind != TokenKind::Keyword) return true;  // pass 2 fails
  std::string_view kind = peek(1).text;
  IndexSpace* space = nullptr;
  ErrorCode dup = ErrorCode::DuplicateFunc;
  if (kind == "func") {
    space = &funcs_;
  } else if (kind == "table") {
    space = &tables_;
    dup = ErrorCode::DuplicateTable;
  } else if (kind == "memory") {
    space = &memories_;
    dup = ErrorCode::DuplicateMemory;
  } else if (kind == "global") {
    space = &globals_;
    dup = ErrorCode::DuplicateGlobal;
  } else if (kind == "tag") {
    space = &tags_;
    dup = ErrorCode::DuplicateTag;
  } else {
    return true;
  }
  pos_ += 2;
  if (at(TokenKind::Id) && !bind(*space, peek(), space->count, dup)) return false;
  ++space->count;
  if (space == &memories_) {
    if (at(TokenKind::Id)) ++pos_;
    memory64_.push_back(at_keyword("i64"));
  }
  return true;
}

bool WatParser::scan_elem() {
  pos_ += 2;
  if (at(TokenKind::Id) && !bind(elems_, peek(), elems_.count, ErrorCode::DuplicateElem)) {
    return false;
  }
  ++elems_.count;
  return true;
}

bool WatParser::scan_data() {
  pos_ += 2;
  if (at(TokenKind::Id) && !bind(datas_, peek(), datas_.count, ErrorCode::DuplicateData)) {
    return false;
  }
  ++datas_.count;
  return true;
}

// ---- pass 2 ----

bool WatParser::parse_fields() {
  for (const Field& f : fields_) {
    pos_ = f.pos;
    if (!(this->*f.kind->parse)()) return false;
  }
  if (stray_token_) return fail_unexpected(tokens_[*stray_token_]);
  return ok();
}

bool WatParser::parse_inline_exports(ExternKind kind, uint32_t index) {
  while (at_lparen_keyword("export")) {
    pos_ += 2;
    std::string name;
    if (!parse_name(&name) || !expect_rparen()) return false;
    enc_.exports.bytes.name(name);
    enc_.exports.bytes.u8(static_cast<uint8_t>(kind));
    enc_.exports.bytes.u32(index);
    ++enc_.exports.count;
  }
  return true;
}

bool WatParser::parse_inline_import(std::string* module, std::string* name) {
  pos_ += 2;  // `(` `import`
  return parse_name(module) && parse_name(name) && expect_rparen();
}

void WatParser::write_import_header(const std::string& module, const std::string& name,
                                    ExternKind k) {
  enc_.imports.bytes.name(module);
  enc_.imports.bytes.name(name);
  enc_.imports.bytes.u8(static_cast<uint8_t>(k));
  ++enc_.imports.count;
}

// An imported function's type: a type use, or the custom-descriptors `(exact typeuse)`.
bool WatParser::parse_func_import_type(uint32_t* type_index, bool* exact) {
  *exact = at_lparen_keyword("exact");
  if (*exact) pos_ += 2;
  TypeUse tu;
  if (!parse_type_use(&tu) || !resolve_type_use(tu, type_index)) return false;
  return !*exact || expect_rparen();
}

bool WatParser::parse_import() {
  pos_ += 2;
  std::string module, name;
  if (!parse_name(&module) || !parse_name(&name)) return false;
  if (!at(TokenKind::LParen)) return fail_unexpected(peek());
  const Token& kind = peek(1);
  pos_ += 2;
  if (at(TokenKind::Id)) ++pos_;
  ByteWriter& w = enc_.imports.bytes;
  if (kind.kind == TokenKind::Keyword && kind.text == "func") {
    uint32_t type_index = 0;
    bool exact = false;
    if (!parse_func_import_type(&type_index, &exact)) return false;
    write_import_header(module, name, ExternKind::Func);
    if (exact) w.vec().back() = kExactFuncImport;
    w.u32(type_index);
    ++next_func_;
  } else if (kind.kind == TokenKind::Keyword && kind.text == "table") {
    TableType t;
    if (!parse_table_type(&t)) return false;
    write_import_header(module, name, ExternKind::Table);
    write_val_type(w, t.elem);
    write_limits(w, t.limits);
    ++next_table_;
  } else if (kind.kind == TokenKind::Keyword && kind.text == "memory") {
    MemoryType m;
    if (!parse_memory_type(&m)) return false;
    write_import_header(module, name, ExternKind::Memory);
    write_memory_type(w, m);
    ++next_memory_;
  } else if (kind.kind == TokenKind::Keyword && kind.text == "tag") {
    TypeUse tu;
    uint32_t type_index = 0;
    if (!parse_type_use(&tu) || !resolve_type_use(tu, &type_index)) return false;
    write_import_header(module, name, ExternKind::Tag);
    w.u8(0);  // attribute: exception
    w.u32(type_index);
    ++next_tag_;
  } else if (kind.kind == TokenKind::Keyword && kind.text == "global") {
    GlobalType g;
    if (!parse_global_type(&g)) return false;
    write_import_header(module, name, ExternKind::Global);
    write_val_type(w, g.type);
    w.u8(g.mut ? 1 : 0);
    ++next_global_;
  } else {
    return fail_unexpected(kind);
  }
  return expect_rparen() && expect_rparen();
}

bool WatParser::parse_func() {
  pos_ += 2;
  uint32_t index = next_func_++;
  if (at(TokenKind::Id)) ++pos_;
  if (!parse_inline_exports(ExternKind::Func, index)) return false;
  std::string module, name;
  bool imported = at_lparen_keyword("import");
  if (imported && !parse_inline_import(&module, &name)) return false;
  uint32_t type_index = 0;
  if (imported) {
    bool exact = false;
    if (!parse_func_import_type(&type_index, &exact)) return false;
    write_import_header(module, name, ExternKind::Func);
    if (exact) enc_.imports.bytes.vec().back() = kExactFuncImport;
    enc_.imports.bytes.u32(type_index);
    return expect_rparen();
  }
  TypeUse tu;
  if (!parse_type_use(&tu) || !resolve_type_use(tu, &type_index)) return false;
  // A numeric type index that does not exist is encoded as written: the validator reports it
  // ("unknown type", invalid rather than malformed). Its parameters are then unknown here, so
  // only numeric local indices can be used.
  enc_.funcs.bytes.u32(type_index);
  ++enc_.funcs.count;

  // Locals: parameters first (named from the inline signature), then declared locals.
  locals_ = IndexSpace{};
  uint32_t num_params = 0;
  if (tu.has_inline) {
    num_params = static_cast<uint32_t>(tu.inline_type.params.size());
    for (uint32_t i = 0; i < num_params; ++i) {
      if (tu.param_ids[i] && !bind(locals_, *tu.param_ids[i], i, ErrorCode::DuplicateLocal)) {
        return false;
      }
    }
  } else if (type_index < enc_.types.size()) {
    num_params = static_cast<uint32_t>(enc_.types[type_index].def.func.params.size());
  }
  std::vector<ValType> locals;
  while (at_lparen_keyword("local")) {
    pos_ += 2;
    if (at(TokenKind::Id)) {
      const Token& id = next();
      if (!bind(locals_, id, num_params + static_cast<uint32_t>(locals.size()),
                ErrorCode::DuplicateLocal)) {
        return false;
      }
      ValType t;
      if (!parse_val_type(&t)) return false;
      locals.push_back(t);
    } else {
      while (!at(TokenKind::RParen)) {
        ValType t;
        if (!parse_val_type(&t)) return false;
        locals.push_back(t);
      }
    }
    if (!expect_rparen()) return false;
  }
  body_.clear();
  // Local runs: consecutive equal types share one (count, type) entry.
  uint32_t runs = 0;
  for (size_t i = 0; i < locals.size(); ++i) {
    if (i == 0 || !(locals[i] == locals[i - 1])) ++runs;
  }
  body_.u32(runs);
  for (size_t i = 0; i < locals.size();) {
    size_t j = i;
    while (j < locals.size() && locals[j] == locals[i]) ++j;
    body_.u32(static_cast<uint32_t>(j - i));
    write_val_type(body_, locals[i]);
    i = j;
  }
  labels_.clear();
  flat_blocks_.clear();
  if (!parse_instrs()) return false;
  if (!expect_rparen()) return false;
  body_.u8(0x0B);
  enc_.code.bytes.u32(static_cast<uint32_t>(body_.size()));
  enc_.code.bytes.append(body_);
  ++enc_.code.count;
  return true;
}

bool WatParser::parse_global() {
  pos_ += 2;
  uint32_t index = next_global_++;
  if (at(TokenKind::Id)) ++pos_;
  if (!parse_inline_exports(ExternKind::Global, index)) return false;
  std::string module, name;
  bool imported = at_lparen_keyword("import");
  if (imported && !parse_inline_import(&module, &name)) return false;
  GlobalType g;
  if (!parse_global_type(&g)) return false;
  ByteWriter& w = imported ? enc_.imports.bytes : enc_.globals.bytes;
  if (imported) write_import_header(module, name, ExternKind::Global);
  write_val_type(w, g.type);
  w.u8(g.mut ? 1 : 0);
  if (imported) return expect_rparen();
  body_.clear();
  labels_.clear();
  locals_ = IndexSpace{};
  if (!parse_expr_end()) return false;
  w.append(body_);
  ++enc_.globals.count;
  return expect_rparen();
}

bool WatParser::parse_memory() {
  pos_ += 2;
  uint32_t index = next_memory_++;
  if (at(TokenKind::Id)) ++pos_;
  if (!parse_inline_exports(ExternKind::Memory, index)) return false;
  std::string module, name;
  bool imported = at_lparen_keyword("import");
  if (imported && !parse_inline_import(&module, &name)) return false;
  MemoryType m;
  bool is64 = false;
  if (!imported && (at_keyword("i64") || at_keyword("i32")) && peek(1).kind == TokenKind::LParen) {
    is64 = next().text == "i64";
  }
  if (!imported && (at_lparen_keyword("data") || at_lparen_keyword("pagesize"))) {
    // `(memory (pagesize N)? (data "..."))`: min = max = the data's size in pages; one active
    // segment at 0.
    if (at_lparen_keyword("pagesize") && !parse_memory_type_tail(&m)) return false;
    if (!expect_lparen_keyword("data")) return false;
    std::string bytes;
    while (at(TokenKind::String)) bytes += decode_string(next().text);
    if (!expect_rparen()) return false;
    const uint64_t page = uint64_t{1} << std::min<uint32_t>(m.page_size_log2, 63);
    const uint64_t pages = bytes.size() / page + (bytes.size() % page != 0 ? 1 : 0);
    m.limits.min = m.limits.max = pages;
    m.limits.has_max = true;
    m.limits.is64 = is64;
    write_memory_type(enc_.memories.bytes, m);
    ++enc_.memories.count;
    ByteWriter& d = enc_.datas.bytes;
    if (index == 0) {
      d.u8(0);
    } else {
      d.u8(2);
      d.u32(index);
    }
    d.u8(is64 ? 0x42 : 0x41);
    d.u8(0);
    d.u8(0x0B);
    d.name(bytes);
    ++enc_.datas.count;
    ++next_data_;
    return expect_rparen();
  }
  if (!parse_memory_type(&m)) return false;
  if (imported) {
    write_import_header(module, name, ExternKind::Memory);
    write_memory_type(enc_.imports.bytes, m);
  } else {
    write_memory_type(enc_.memories.bytes, m);
    ++enc_.memories.count;
  }
  return expect_rparen();
}

bool WatParser::parse_table() {
  pos_ += 2;
  uint32_t index = next_table_++;
  if (at(TokenKind::Id)) ++pos_;
  if (!parse_inline_exports(ExternKind::Table, index)) return false;
  std::string module, name;
  bool imported = at_lparen_keyword("import");
  if (imported && !parse_inline_import(&module, &name)) return false;
  bool is64 = false;
  if (!imported && (at_keyword("i64") || at_keyword("i32")) && peek(1).kind != TokenKind::Int) {
    is64 = next().text == "i64";
  }
  if (!imported && at_ref_type()) {
    // `(table reftype (elem ...))`: min = max = number of items; one active segment at 0.
    ValType elem_type;
    if (!parse_ref_type(&elem_type) || !expect_lparen_keyword("elem")) return false;
    ByteWriter items;
    bool uses_exprs = false;
    uint32_t count = 0;
    ValType list_type = elem_type;
    if (!parse_elem_list(true, &list_type, &uses_exprs, &count, &items)) return false;
    if (!expect_rparen()) return false;
    Limits l;
    l.min = l.max = count;
    l.has_max = true;
    l.is64 = is64;
    write_val_type(enc_.tables.bytes, elem_type);
    write_limits(enc_.tables.bytes, l);
    ++enc_.tables.count;
    ByteWriter& w = enc_.elems.bytes;
    bool short_form = index == 0 && (!uses_exprs || elem_type == kFuncRef);
    w.u8(uses_exprs ? (short_form ? 4 : 6) : (short_form ? 0 : 2));
    if (!short_form) w.u32(index);
    w.u8(is64 ? 0x42 : 0x41);
    w.u8(0);
    w.u8(0x0B);
    if (!short_form) {
      if (uses_exprs) {
        write_val_type(w, elem_type);
      } else {
        w.u8(0);
      }
    }
    w.u32(count);
    w.append(items);
    ++enc_.elems.count;
    ++next_elem_;
    return expect_rparen();
  }
  TableType t;
  if (!parse_table_type(&t)) return false;
  t.limits.is64 = t.limits.is64 || is64;
  ByteWriter& w = imported ? enc_.imports.bytes : enc_.tables.bytes;
  if (imported) {
    write_import_header(module, name, ExternKind::Table);
  } else {
    ++enc_.tables.count;
  }
  // 3.0: `(table limits reftype expr)` initialises every element with the expression:
  // 0x40 0x00 tabletype expr.
  const bool has_init = !imported && !at(TokenKind::RParen);
  if (has_init) {
    w.u8(0x40);
    w.u8(0x00);
  }
  write_val_type(w, t.elem);
  write_limits(w, t.limits);
  if (has_init) {
    body_.clear();
    labels_.clear();
    locals_ = IndexSpace{};
    if (!parse_instrs()) return false;
    body_.u8(0x0B);
    w.append(body_);
  }
  return expect_rparen();
}

bool WatParser::parse_tag() {
  pos_ += 2;
  uint32_t index = next_tag_++;
  if (at(TokenKind::Id)) ++pos_;
  if (!parse_inline_exports(ExternKind::Tag, index)) return false;
  std::string module, name;
  bool imported = at_lparen_keyword("import");
  if (imported && !parse_inline_import(&module, &name)) return false;
  TypeUse tu;
  uint32_t type_index = 0;
  if (!parse_type_use(&tu) || !resolve_type_use(tu, &type_index)) return false;
  ByteWriter& w = imported ? enc_.imports.bytes : enc_.tags.bytes;
  if (imported) {
    write_import_header(module, name, ExternKind::Tag);
  } else {
    ++enc_.tags.count;
  }
  w.u8(0);  // attribute: exception
  w.u32(type_index);
  return expect_rparen();
}

bool WatParser::parse_export() {
  pos_ += 2;
  std::string name;
  if (!parse_name(&name)) return false;
  if (!at(TokenKind::LParen)) return fail_unexpected(peek());
  const Token& kind = peek(1);
  pos_ += 2;
  uint32_t index = 0;
  ExternKind k;
  bool ok_index = false;
  if (kind.text == "func") {
    k = ExternKind::Func;
    ok_index = parse_index(funcs_, ErrorCode::UnknownFunction, &index);
  } else if (kind.text == "table") {
    k = ExternKind::Table;
    ok_index = parse_index(tables_, ErrorCode::UnknownTable, &index);
  } else if (kind.text == "memory") {
    k = ExternKind::Memory;
    ok_index = parse_index(memories_, ErrorCode::UnknownMemory, &index);
  } else if (kind.text == "global") {
    k = ExternKind::Global;
    ok_index = parse_index(globals_, ErrorCode::UnknownGlobal, &index);
  } else if (kind.text == "tag") {
    k = ExternKind::Tag;
    ok_index = parse_index(tags_, ErrorCode::UnknownTag, &index);
  } else {
    return fail_unexpected(kind);
  }
  if (!ok_index || !expect_rparen() || !expect_rparen()) return false;
  enc_.exports.bytes.name(name);
  enc_.exports.bytes.u8(static_cast<uint8_t>(k));
  enc_.exports.bytes.u32(index);
  ++enc_.exports.count;
  return true;
}

bool WatParser::parse_start() {
  const Token& field = peek();
  pos_ += 2;
  uint32_t index = 0;
  if (!parse_index(funcs_, ErrorCode::UnknownFunction, &index) || !expect_rparen()) return false;
  if (enc_.start) return fail(ErrorCode::MultipleStartSections, field);
  enc_.start = index;
  return true;
}

// `(offset instr*)` or one folded instruction; emits the expression with `end` into body_.
bool WatParser::parse_offset_expr() {
  body_.clear();
  labels_.clear();
  locals_ = IndexSpace{};
  if (at_lparen_keyword("offset")) {
    pos_ += 2;
    return parse_expr_end() && expect_rparen();
  }
  if (!parse_folded_instr()) return false;
  body_.u8(0x0B);
  return true;
}

// Element list: `func x*`, `reftype elemexpr*`, or (when allowed) bare function indices.
// Items go to `items`; `type` gets the list's reference type.
bool WatParser::parse_elem_list(bool allow_bare_indices, ValType* type, bool* uses_exprs,
                                uint32_t* count, ByteWriter* items) {
  bool func_list = false;
  if (at_keyword("func")) {
    ++pos_;
    func_list = true;
    *type = kFuncRef;
  } else if (at_ref_type()) {
    if (!parse_ref_type(type)) return false;
  } else if (allow_bare_indices) {
    func_list = at_index() || !at(TokenKind::LParen);
  } else {
    return fail_unexpected(peek());
  }
  // A list of plain indices stays in the compact encoding; anything else uses expressions.
  if (func_list || at_index()) {
    *uses_exprs = false;
    while (at_index()) {
      uint32_t f = 0;
      if (!parse_index(funcs_, ErrorCode::UnknownFunction, &f)) return false;
      items->u32(f);
      ++*count;
    }
    return true;
  }
  *uses_exprs = true;
  while (at(TokenKind::LParen)) {
    body_.clear();
    labels_.clear();
    if (at_lparen_keyword("item")) {
      pos_ += 2;
      if (!parse_expr_end() || !expect_rparen()) return false;
    } else {
      if (!parse_folded_instr()) return false;
      body_.u8(0x0B);
    }
    items->append(body_);
    ++*count;
  }
  return true;
}

bool WatParser::parse_elem() {
  pos_ += 2;
  next_elem_++;
  if (at(TokenKind::Id)) ++pos_;
  enum { Passive, Active, Declare } mode = Passive;
  uint32_t table = 0;
  bool explicit_table = false;
  ByteWriter offset;
  if (at_keyword("declare")) {
    ++pos_;
    mode = Declare;
  } else {
    if (at_lparen_keyword("table")) {
      pos_ += 2;
      if (!parse_index(tables_, ErrorCode::UnknownTable, &table) || !expect_rparen()) return false;
      explicit_table = true;
    } else if (at_index() && peek(1).kind == TokenKind::LParen) {
      if (!parse_index(tables_, ErrorCode::UnknownTable, &table)) return false;
      explicit_table = true;
    }
    bool has_offset = at_lparen_keyword("offset") ||
                      (at(TokenKind::LParen) && peek(1).kind == TokenKind::Keyword &&
                       peek(1).text != "ref" && peek(1).text != "item");
    if (explicit_table && !has_offset) return fail_unexpected(peek());
    if (has_offset) {
      mode = Active;
      if (!parse_offset_expr()) return false;
      offset.append(body_);
    }
  }
  ValType type = kFuncRef;
  bool uses_exprs = false;
  uint32_t count = 0;
  ByteWriter items;
  if (!parse_elem_list(mode == Active, &type, &uses_exprs, &count, &items)) return false;
  if (!expect_rparen()) return false;
  ByteWriter& w = enc_.elems.bytes;
  uint8_t flags = uses_exprs ? 4 : 0;
  if (mode == Passive) flags |= 1;
  if (mode == Declare) flags |= 3;
  bool short_active =
      mode == Active && table == 0 && (uses_exprs ? type == kFuncRef : true) && !explicit_table;
  if (mode == Active && !short_active) flags |= 2;
  w.u8(flags);
  if (mode == Active) {
    if (!short_active) w.u32(table);
    w.append(offset);
  }
  if (!(mode == Active && short_active)) {
    if (uses_exprs) {
      write_val_type(w, type);
    } else {
      w.u8(0);
    }
  }
  w.u32(count);
  w.append(items);
  ++enc_.elems.count;
  return true;
}

bool WatParser::parse_data() {
  pos_ += 2;
  next_data_++;
  if (at(TokenKind::Id)) ++pos_;
  uint32_t memory = 0;
  bool active = false;
  if (at_lparen_keyword("memory")) {
    pos_ += 2;
    if (!parse_index(memories_, ErrorCode::UnknownMemory, &memory) || !expect_rparen()) {
      return false;
    }
    active = true;
  } else if (at_index()) {
    if (!parse_index(memories_, ErrorCode::UnknownMemory, &memory)) return false;
    active = true;
  }
  ByteWriter offset;
  if (at(TokenKind::LParen)) {
    if (!parse_offset_expr()) return false;
    offset.append(body_);
    active = true;
  } else if (active) {
    return fail_unexpected(peek());
  }
  std::string bytes;
  while (at(TokenKind::String)) bytes += decode_string(next().text);
  if (!expect_rparen()) return false;
  ByteWriter& w = enc_.datas.bytes;
  if (!active) {
    w.u8(1);
  } else if (memory == 0) {
    w.u8(0);
    w.append(offset);
  } else {
    w.u8(2);
    w.u32(memory);
    w.append(offset);
  }
  w.name(bytes);
  ++enc_.datas.count;
  return true;
}

}  // namespace zinc::decoder::text

// decoder/text/wat_types.cc: value, reference, heap, storage, table, memory and global types;
// function signatures, type uses (with the implicit-type rule), block types and type
// definitions (recursion groups, sub types, func/struct/array composites, and the
// custom-descriptors `describes`/`descriptor` clauses and `(exact $t)` heap types).
// Spec: https://webassembly.github.io/spec/core/text/types.html
#include <bit>

#include "decoder/text/numbers.h"
#include "decoder/wasm_features.h"
#include "decoder/text/parser.h"

namespace zinc::decoder::text {
namespace {

// Wasm 2.0 text requires 32-bit limits and offsets for 32-bit memories and tables ("i32
// constant out of range"); Wasm 3.0 reads them as u64 and leaves the range to the validator.
// The text follows the decoder: 3.0 rules once memory64 is on by default.
constexpr bool kWideLiterals = Features{}.memory64;

struct NamedValType {
  std::string_view text;
  ValType type;
};

constexpr ValType abstract_ref(HeapKind k) { return ValType::ref(HeapType::abstract(k), true); }

constexpr NamedValType kValTypes[] = {
    {"i32", kI32},
    {"i64", kI64},
    {"f32", kF32},
    {"f64", kF64},
    {"v128", kV128},
    {"funcref", kFuncRef},
    {"externref", kExternRef},
    {"anyref", abstract_ref(HeapKind::Any)},
    {"eqref", abstract_ref(HeapKind::Eq)},
    {"i31ref", abstract_ref(HeapKind::I31)},
    {"structref", abstract_ref(HeapKind::Struct)},
    {"arrayref", abstract_ref(HeapKind::Array)},
    {"exnref", abstract_ref(HeapKind::Exn)},
    {"nullref", abstract_ref(HeapKind::None)},
    {"nullfuncref", abstract_ref(HeapKind::NoFunc)},
    {"nullexternref", abstract_ref(HeapKind::NoExtern)},
    {"nullexnref", abstract_ref(HeapKind::NoExn)},
};

struct NamedHeapKind {
  std::string_view text;
  HeapKind kind;
};

constexpr NamedHeapKind kHeapTypes[] = {
    {"func", HeapKind::Func},       {"extern", HeapKind::Extern},
    {"any", HeapKind::Any},         {"eq", HeapKind::Eq},
    {"i31", HeapKind::I31},         {"struct", HeapKind::Struct},
    {"array", HeapKind::Array},     {"exn", HeapKind::Exn},
    {"none", HeapKind::None},       {"nofunc", HeapKind::NoFunc},
    {"noextern", HeapKind::NoExtern}, {"noexn", HeapKind::NoExn},
};

const ValType* find_val_type(std::string_view text) {
  for (const auto& v : kValTypes) {
    if (v.text == text) return &v.type;
  }
  return nullptr;
}

}  // namespace

bool WatParser::at_ref_type() const {
  if (at_lparen_keyword("ref")) return true;
  if (!at(TokenKind::Keyword)) return false;
  const ValType* t = find_val_type(peek().text);
  return t && t->is_ref();
}

bool WatParser::parse_heap_type(HeapType* out) {
  if (at_lparen_keyword("exact")) {  // custom descriptors: `(exact $t)`
    pos_ += 2;
    uint32_t index = 0;
    if (!parse_index(types_, ErrorCode::UnknownType, &index) || !expect_rparen()) return false;
    *out = HeapType::concrete(index);
    out->exact = true;
    return true;
  }
  const Token& t = peek();
  if (t.kind == TokenKind::Keyword) {
    for (const auto& h : kHeapTypes) {
      if (h.text == t.text) {
        *out = HeapType::abstract(h.kind);
        ++pos_;
        return true;
      }
    }
    return fail_unexpected(t);
  }
  uint32_t index = 0;
  if (!parse_index(types_, ErrorCode::UnknownType, &index)) return false;
  *out = HeapType::concrete(index);
  return true;
}

bool WatParser::parse_ref_type(ValType* out) {
  if (at_lparen_keyword("ref")) {
    pos_ += 2;
    bool nullable = false;
    if (at_keyword("null")) {
      nullable = true;
      ++pos_;
    }
    HeapType h;
    if (!parse_heap_type(&h)) return false;
    *out = ValType::ref(h, nullable);
    return expect_rparen();
  }
  const Token& t = peek();
  const ValType* v = t.kind == TokenKind::Keyword ? find_val_type(t.text) : nullptr;
  if (!v || !v->is_ref()) return fail_unexpected(t);
  *out = *v;
  ++pos_;
  return true;
}

bool WatParser::parse_val_type(ValType* out) {
  if (at(TokenKind::LParen)) return parse_ref_type(out);
  const Token& t = peek();
  const ValType* v = t.kind == TokenKind::Keyword ? find_val_type(t.text) : nullptr;
  if (!v) return fail_unexpected(t);
  *out = *v;
  ++pos_;
  return true;
}

bool WatParser::parse_func_sig(FuncType* ft, std::vector<const Token*>* param_ids) {
  while (at_lparen_keyword("param")) {
    pos_ += 2;
    if (at(TokenKind::Id)) {
      const Token* id = &next();
      ValType t;
      if (!parse_val_type(&t)) return false;
      ft->params.push_back(t);
      if (param_ids) param_ids->push_back(id);
    } else {
      while (!at(TokenKind::RParen)) {
        ValType t;
        if (!parse_val_type(&t)) return false;
        ft->params.push_back(t);
        if (param_ids) param_ids->push_back(nullptr);
      }
    }
    if (!expect_rparen()) return false;
  }
  while (at_lparen_keyword("result")) {
    pos_ += 2;
    while (!at(TokenKind::RParen)) {
      ValType t;
      if (!parse_val_type(&t)) return false;
      ft->results.push_back(t);
    }
    if (!expect_rparen()) return false;
  }
  if (at_lparen_keyword("param")) return fail(ErrorCode::UnexpectedToken, peek(1), "param");
  return true;
}

bool WatParser::parse_type_use(TypeUse* tu) {
  tu->where = &peek();
  if (at_lparen_keyword("type")) {
    pos_ += 2;
    if (!parse_index(types_, ErrorCode::UnknownType, &tu->index)) return false;
    if (!expect_rparen()) return false;
    tu->has_index = true;
  }
  if (at_lparen_keyword("param") || at_lparen_keyword("result")) {
    tu->has_inline = true;
    if (!parse_func_sig(&tu->inline_type, &tu->param_ids)) return false;
  }
  return true;
}

bool WatParser::resolve_type_use(const TypeUse& tu, uint32_t* type_index) {
  if (tu.has_index) {
    *type_index = tu.index;
    // With an inline signature the text must check it against the type: a missing type is
    // then a text error (a bare numeric index is left to the validator).
    if (tu.has_inline && tu.index >= enc_.types.size()) {
      return fail(ErrorCode::UnknownType, *tu.where);
    }
    if (tu.has_inline && tu.index < enc_.types.size() &&
        !(enc_.types[tu.index].def.kind == CompositeKind::Func &&
          enc_.types[tu.index].def.func == tu.inline_type)) {
      return fail(ErrorCode::InlineFunctionType, *tu.where);
    }
    return true;
  }
  *type_index = enc_.intern_func_type(tu.inline_type);
  return true;
}

bool WatParser::parse_block_type(BlockType* bt) {
  TypeUse tu;
  if (!parse_type_use(&tu)) return false;
  for (const Token* id : tu.param_ids) {
    if (id) return fail(ErrorCode::UnexpectedToken, *id, std::string(id->text));
  }
  if (!tu.has_index && tu.inline_type.params.empty() && tu.inline_type.results.size() <= 1) {
    if (tu.inline_type.results.empty()) {
      bt->kind = BlockType::Empty;
    } else {
      bt->kind = BlockType::Value;
      bt->type = tu.inline_type.results[0];
    }
    return true;
  }
  bt->kind = BlockType::Index;
  return resolve_type_use(tu, &bt->index);
}

void WatParser::write_block_type(const BlockType& bt) {
  switch (bt.kind) {
    case BlockType::Empty: body_.u8(0x40); break;
    case BlockType::Value: write_val_type(body_, bt.type); break;
    case BlockType::Index: body_.s64(bt.index); break;
  }
}

bool WatParser::parse_limits(Limits* l) {
  if (at_keyword("i32")) {
    ++pos_;
  } else if (at_keyword("i64")) {
    l->is64 = true;
    ++pos_;
  }
  auto parse_bound = [&](uint64_t* v) {
    const Token& t = peek();
    if (t.kind != TokenKind::Int) return fail_unexpected(t);
    auto n = parse_uint(t.text);
    if (!n) {
      return fail(l->is64 ? ErrorCode::I64ConstantOutOfRange : ErrorCode::I32ConstantOutOfRange,
                  t, std::string(t.text));
    }
    if (!l->is64 && !kWideLiterals && *n > UINT32_MAX) {
      return fail(ErrorCode::I32ConstantOutOfRange, t,
                  std::string(t.text) + " (64-bit limits need memory64)");
    }
    *v = *n;
    ++pos_;
    return true;
  };
  if (!parse_bound(&l->min)) return false;
  if (at(TokenKind::Int)) {
    l->has_max = true;
    if (!parse_bound(&l->max)) return false;
  }
  if (at_keyword("shared")) {
    l->shared = true;
    ++pos_;
  }
  return true;
}

bool WatParser::allows_wide_address(uint32_t memory) const {
  return kWideLiterals || (memory < memory64_.size() && memory64_[memory]);
}

void WatParser::write_limits(ByteWriter& w, const Limits& l) {
  uint8_t flags = (l.has_max ? 1 : 0) | (l.shared ? 2 : 0) | (l.is64 ? 4 : 0);
  w.u8(flags);
  w.u64(l.min);
  if (l.has_max) w.u64(l.max);
}

// Limits, then `shared` and the custom-page-sizes `(pagesize N)` in either order. N must be a
// power of two (malformed otherwise); whether it is one the validator accepts is left to it.
bool WatParser::parse_memory_type(MemoryType* m) {
  return parse_limits(&m->limits) && parse_memory_type_tail(m);
}

bool WatParser::parse_memory_type_tail(MemoryType* m) {
  while (true) {
    if (at_keyword("shared")) {
      m->limits.shared = true;
      ++pos_;
    } else if (at_lparen_keyword("pagesize")) {
      pos_ += 2;
      const Token& t = peek();
      if (t.kind != TokenKind::Int) return fail_unexpected(t);
      auto n = parse_uint(t.text);
      if (!n || *n == 0 || (*n & (*n - 1)) != 0) {
        return fail(ErrorCode::MalformedCustomPageSize, t, std::string(t.text));
      }
      m->page_size_log2 = static_cast<uint8_t>(std::countr_zero(*n));
      ++pos_;
      if (!expect_rparen()) return false;
    } else {
      return true;
    }
  }
}

// The custom-page-sizes encoding (flag bit 3, then the page size's log2) is only used for a
// page size other than the default 64 KiB, so every other memory encodes as in 2.0.
void WatParser::write_memory_type(ByteWriter& w, const MemoryType& m) {
  const bool custom = m.page_size_log2 != 16;
  const Limits& l = m.limits;
  w.u8((l.has_max ? 1 : 0) | (l.shared ? 2 : 0) | (l.is64 ? 4 : 0) | (custom ? 8 : 0));
  w.u64(l.min);
  if (l.has_max) w.u64(l.max);
  if (custom) w.u32(m.page_size_log2);
}

bool WatParser::parse_table_type(TableType* t) {
  return parse_limits(&t->limits) && parse_ref_type(&t->elem);
}

bool WatParser::parse_global_type(GlobalType* g) {
  if (at_lparen_keyword("mut")) {
    pos_ += 2;
    g->mut = true;
    return parse_val_type(&g->type) && expect_rparen();
  }
  return parse_val_type(&g->type);
}

bool WatParser::parse_storage_type(FieldType* out) {
  if (at_keyword("i8") || at_keyword("i16")) {
    out->packed = next().text == "i8" ? Packed::I8 : Packed::I16;
    return true;
  }
  return parse_val_type(&out->type);
}

bool WatParser::parse_field_type(FieldType* out) {
  if (at_lparen_keyword("mut")) {
    pos_ += 2;
    out->mut = true;
    return parse_storage_type(out) && expect_rparen();
  }
  return parse_storage_type(out);
}

// `(func sig)`, `(struct field*)` or `(array fieldtype)`; struct field names are bound in
// field_names_[index].
bool WatParser::parse_comp_type(TextType* t, uint32_t index) {
  if (!at(TokenKind::LParen)) return fail_unexpected(peek());
  if (at_lparen_keyword("func")) {
    pos_ += 2;
    t->def.kind = CompositeKind::Func;
    std::vector<const Token*> ids;
    if (!parse_func_sig(&t->def.func, &ids)) return false;
    IndexSpace names;
    for (size_t i = 0; i < ids.size(); ++i) {
      if (ids[i] && !bind(names, *ids[i], static_cast<uint32_t>(i), ErrorCode::DuplicateLocal)) {
        return false;
      }
    }
    return expect_rparen();
  }
  if (at_lparen_keyword("struct")) {
    pos_ += 2;
    t->def.kind = CompositeKind::Struct;
    while (at_lparen_keyword("field")) {
      pos_ += 2;
      if (at(TokenKind::Id)) {
        const Token& id = next();
        if (!bind(field_names_[index], id, static_cast<uint32_t>(t->fields.size()),
                  ErrorCode::DuplicateField)) {
          return false;
        }
        FieldType f;
        if (!parse_field_type(&f)) return false;
        t->fields.push_back(f);
      } else {
        while (!at(TokenKind::RParen)) {
          FieldType f;
          if (!parse_field_type(&f)) return false;
          t->fields.push_back(f);
        }
      }
      if (!expect_rparen()) return false;
    }
    return expect_rparen();
  }
  if (at_lparen_keyword("array")) {
    pos_ += 2;
    t->def.kind = CompositeKind::Array;
    FieldType f;
    if (!parse_field_type(&f)) return false;
    t->fields.push_back(f);
    return expect_rparen();
  }
  return fail_unexpected(peek());
}

// `(type $id? subtype)` with subtype `(sub final? typeidx* clauses comptype)` or
// `clauses comptype` (final, no supertypes); clauses are the custom-descriptors
// `(describes x)? (descriptor y)?`, in that order.
bool WatParser::parse_typedef() {
  if (!expect_lparen_keyword("type")) return false;
  if (at(TokenKind::Id)) ++pos_;
  const uint32_t index = static_cast<uint32_t>(enc_.types.size());
  if (index >= field_names_.size()) field_names_.resize(index + 1);
  TextType t;
  const bool sub = at_lparen_keyword("sub");
  if (sub) {
    pos_ += 2;
    t.def.is_final = at_keyword("final");
    if (t.def.is_final) ++pos_;
    while (at_index()) {
      uint32_t super = 0;
      if (!parse_index(types_, ErrorCode::UnknownType, &super)) return false;
      t.supers.push_back(super);
    }
    if (!t.supers.empty()) t.def.super = t.supers[0];
  }
  auto clause = [&](std::string_view kw, std::optional<uint32_t>* out) {
    if (!at_lparen_keyword(kw)) return true;
    pos_ += 2;
    uint32_t x = 0;
    if (!parse_index(types_, ErrorCode::UnknownType, &x) || !expect_rparen()) return false;
    *out = x;
    return true;
  };
  if (!clause("describes", &t.describes) || !clause("descriptor", &t.descriptor)) return false;
  if (!parse_comp_type(&t, index)) return false;
  if (sub && !expect_rparen()) return false;
  if (!expect_rparen()) return false;
  enc_.add_type(std::move(t));
  return true;
}

// A `type` field (its own recursion group) or `(rec typedef*)`. Identifiers were bound by the
// scan pass; types are appended in order.
bool WatParser::parse_type_field() {
  if (at_lparen_keyword("rec")) {
    pos_ += 2;
    enc_.begin_group(true);
    while (at_lparen_keyword("type")) {
      if (!parse_typedef()) return false;
    }
    return expect_rparen();
  }
  enc_.begin_group(false);
  return parse_typedef();
}

}  // namespace zinc::decoder::text

// decoder/text/wat_types.cc: value, reference, heap, table, memory and global types; function
// signatures, type uses (with the implicit-type rule), block types and type definitions.
//
// Wasm 3.0 extends this file (rec/sub groups, struct/array composites, `(ref null? ht)` with
// concrete heap types already parses), not the field or instruction parsers.
// Spec: https://webassembly.github.io/spec/core/text/types.html
#include "decoder/text/numbers.h"
#include "decoder/text/parser.h"

namespace zinc::decoder::text {
namespace {

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
        !(enc_.types[tu.index].kind == CompositeKind::Func &&
          enc_.types[tu.index].func == tu.inline_type)) {
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
    if (!n || (!l->is64 && *n > UINT32_MAX)) {
      return fail(l->is64 ? ErrorCode::ConstantOutOfRange : ErrorCode::I32ConstantOutOfRange, t,
                  std::string(t.text));
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

void WatParser::write_limits(ByteWriter& w, const Limits& l) {
  uint8_t flags = (l.has_max ? 1 : 0) | (l.shared ? 2 : 0) | (l.is64 ? 4 : 0);
  w.u8(flags);
  w.u64(l.min);
  if (l.has_max) w.u64(l.max);
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

// `(type $id? (func sig))`, already bound by the scan pass. Types are appended in order.
bool WatParser::parse_type_definition() {
  pos_ += 2;  // `(` `type`
  if (at(TokenKind::Id)) ++pos_;
  if (!expect_lparen_keyword("func")) return false;
  TypeDef def;
  def.rec_group_start = static_cast<uint32_t>(enc_.types.size());
  std::vector<const Token*> ids;
  if (!parse_func_sig(&def.func, &ids)) return false;
  IndexSpace names;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] && !bind(names, *ids[i], static_cast<uint32_t>(i), ErrorCode::DuplicateLocal)) {
      return false;
    }
  }
  if (!expect_rparen() || !expect_rparen()) return false;
  enc_.types.push_back(std::move(def));
  return true;
}

}  // namespace zinc::decoder::text

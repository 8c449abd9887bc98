// component/text/types.cc: component types in text (Explainer.md "Type Definitions"): value
// types (primitive, inline defined types), function, component, instance and resource types,
// type uses and extern types (item signatures), and the core types a component may define
// (function types and module types).
#include "component/text/parser.h"
#include "decoder/text/numbers.h"

namespace zinc::component::text {

namespace {

// Primitive value types: keyword and Binary.md `primvaltype` code.
struct Prim {
  std::string_view text;
  uint8_t code;
};
constexpr Prim kPrims[] = {
    {"bool", 0x7f},    {"s8", 0x7e},   {"u8", 0x7d},     {"s16", 0x7c},
    {"u16", 0x7b},     {"s32", 0x7a},  {"u32", 0x79},    {"s64", 0x78},
    {"u64", 0x77},     {"f32", 0x76},  {"f64", 0x75},    {"float32", 0x76},
    {"float64", 0x75}, {"char", 0x74}, {"string", 0x73}, {"error-context", 0x64},
};

const Prim* find_prim(const Token& t) {
  if (t.kind != TokenKind::Keyword) return nullptr;
  for (const Prim& p : kPrims) {
    if (p.text == t.text) return &p;
  }
  return nullptr;
}

// Core value types with a one-byte form, and abstract heap types (core binary codes).
constexpr Prim kCoreValTypes[] = {
    {"i32", 0x7f},        {"i64", 0x7e},     {"f32", 0x7d},         {"f64", 0x7c},
    {"v128", 0x7b},       {"funcref", 0x70}, {"externref", 0x6f},   {"anyref", 0x6e},
    {"eqref", 0x6d},      {"i31ref", 0x6c},  {"structref", 0x6b},   {"arrayref", 0x6a},
    {"exnref", 0x69},     {"nullref", 0x71}, {"nullfuncref", 0x73}, {"nullexternref", 0x72},
    {"nullexnref", 0x74},
};
constexpr Prim kHeapTypes[] = {
    {"func", 0x70}, {"extern", 0x6f}, {"any", 0x6e},      {"eq", 0x6d},
    {"i31", 0x6c},  {"struct", 0x6b}, {"array", 0x6a},    {"exn", 0x69},
    {"none", 0x71}, {"nofunc", 0x73}, {"noextern", 0x72}, {"noexn", 0x74},
};

}  // namespace

// ---- value types ----

bool CParser::parse_val_type(ValRef* out) {
  const Token& t = peek();
  if (at_index()) {
    out->kind = ValRef::Ref;
    out->ref = &next();
    return true;
  }
  if (const Prim* p = find_prim(t)) {
    next();
    out->kind = ValRef::Prim;
    out->prim = p->code;
    return true;
  }
  if (!at(TokenKind::LParen)) return fail_unexpected(t);
  // An inline defined type: a type definition of its own, emitted before its user.
  if (!enter(t)) return false;
  next();
  Tpl def;
  bool good = parse_val_type_paren(&def) && expect_rparen();
  leave();
  if (!good) return false;
  out->kind = ValRef::Index;
  return emit(Item::Type, def, Ns::Type, nullptr, &out->index);
}

bool CParser::parse_val_type_paren(Tpl* t) {
  const Token& kw = peek();
  if (kw.kind != TokenKind::Keyword) return fail_unexpected(kw);
  std::string_view k = next().text;
  auto opt_val = [&](bool allowed_here) {
    // `t?` of stream/future/result-ok: a value type unless at `)` (or `(error`).
    if (!allowed_here || at(TokenKind::RParen) || at_lparen_keyword("error")) {
      t->w.u8(0x00);
      return true;
    }
    ValRef v;
    if (!parse_val_type(&v)) return false;
    t->w.u8(0x01);
    t->val(v);
    return true;
  };
  if (k == "record" || k == "variant") {
    bool record = k == "record";
    Tpl items;
    uint32_t count = 0;
    while (ok() && at(TokenKind::LParen)) {
      next();
      std::string name;
      if (!expect_keyword(record ? "field" : "case")) return false;
      if (!record) parse_opt_id();
      if (!parse_name(&name)) return false;
      items.w.name(name);
      if (record) {
        ValRef v;
        if (!parse_val_type(&v)) return false;
        items.val(v);
      } else {
        if (at(TokenKind::RParen)) {
          items.w.u8(0x00);
        } else {
          ValRef v;
          if (!parse_val_type(&v)) return false;
          items.w.u8(0x01);
          items.val(v);
        }
        items.w.u8(0x00);
      }
      if (!expect_rparen()) return false;
      ++count;
    }
    t->w.u8(record ? 0x72 : 0x71);
    t->w.u32(count);
    t->append(items);
    return ok();
  }
  if (k == "list") {
    ValRef v;
    if (!parse_val_type(&v)) return false;
    if (at(TokenKind::Int)) {
      uint32_t n = 0;
      if (!parse_u32(&n)) return false;
      t->w.u8(0x67);
      t->val(v);
      t->w.u32(n);
    } else {
      t->w.u8(0x70);
      t->val(v);
    }
    return true;
  }
  if (k == "map" || k == "option") {
    t->w.u8(k == "map" ? 0x63 : 0x6b);
    for (int i = k == "map" ? 2 : 1; i > 0; --i) {
      ValRef v;
      if (!parse_val_type(&v)) return false;
      t->val(v);
    }
    return true;
  }
  if (k == "tuple") {
    Tpl items;
    uint32_t count = 0;
    while (ok() && !at(TokenKind::RParen)) {
      ValRef v;
      if (!parse_val_type(&v)) return false;
      items.val(v);
      ++count;
    }
    t->w.u8(0x6f);
    t->w.u32(count);
    t->append(items);
    return ok();
  }
  if (k == "flags" || k == "enum") {
    ByteWriter items;
    uint32_t count = 0;
    while (ok() && at(TokenKind::String)) {
      std::string name;
      if (!parse_name(&name)) return false;
      items.name(name);
      ++count;
    }
    t->w.u8(k == "flags" ? 0x6e : 0x6d);
    t->w.u32(count);
    t->w.append(items);
    return true;
  }
  if (k == "result") {
    t->w.u8(0x6a);
    if (!opt_val(true)) return false;
    if (at_lparen_keyword("error")) {
      pos_ += 2;
      ValRef v;
      if (!parse_val_type(&v) || !expect_rparen()) return false;
      t->w.u8(0x01);
      t->val(v);
    } else {
      t->w.u8(0x00);
    }
    return true;
  }
  if (k == "own" || k == "borrow") {
    if (!at_index()) return fail_unexpected(peek());
    t->w.u8(k == "own" ? 0x69 : 0x68);
    Ref r;
    r.ns = Ns::Type;
    r.idx = &next();
    t->ref(std::move(r));
    return true;
  }
  if (k == "stream" || k == "future") {
    t->w.u8(k == "stream" ? 0x66 : 0x65);
    return opt_val(true);
  }
  return fail_unexpected(kw);
}

bool CParser::parse_func_type(Tpl* t) {
  bool async = at_keyword("async");
  if (async) next();
  Tpl params;
  uint32_t count = 0;
  while (ok() && at_lparen_keyword("param")) {
    pos_ += 2;
    std::string name;
    ValRef v;
    if (!parse_name(&name) || !parse_val_type(&v) || !expect_rparen()) return false;
    params.w.name(name);
    params.val(v);
    ++count;
  }
  t->w.u8(async ? 0x43 : 0x40);
  t->w.u32(count);
  t->append(params);
  if (at_lparen_keyword("result")) {
    pos_ += 2;
    ValRef v;
    if (!parse_val_type(&v) || !expect_rparen()) return false;
    t->w.u8(0x00);
    t->val(v);
  } else {
    t->w.u8(0x01);
    t->w.u8(0x00);
  }
  return ok();
}

bool CParser::parse_type_def(Tpl* t, const Token* id) {
  if (const Prim* p = find_prim(peek())) {
    next();
    t->w.u8(p->code);
    return true;
  }
  const Token& open = peek();
  if (!expect(TokenKind::LParen)) return false;
  if (at_keyword("func")) {
    next();
    return parse_func_type(t) && expect_rparen();
  }
  if (at_keyword("component") || at_keyword("instance")) {
    bool component = next().text == "component";
    if (!enter(open)) return false;
    Scope::Kind kind = component ? Scope::Kind::ComponentType : Scope::Kind::InstanceType;
    push_scope(kind, id);
    bool good = parse_decls(kind) && expect_rparen();
    Scope s = std::move(cur());
    scopes_.pop_back();
    leave();
    if (!good) return false;
    t->w.u8(component ? 0x41 : 0x42);
    t->w.u32(s.decls);
    t->w.append(s.out);
    return true;
  }
  if (at_keyword("resource")) {
    next();
    if (!expect(TokenKind::LParen) || !expect_keyword("rep")) return false;
    t->w.u8(0x3f);
    if (!parse_core_val_type(&t->w) || !expect_rparen()) return false;
    if (at_lparen_keyword("dtor")) {
      pos_ += 2;
      Ref r;
      if (!parse_core_ref(Ns::CoreFunc, &r) || !expect_rparen()) return false;
      t->w.u8(0x01);
      t->ref(std::move(r));
    } else {
      t->w.u8(0x00);
    }
    return expect_rparen();
  }
  return parse_val_type_paren(t) && expect_rparen();
}

bool CParser::parse_decls(Scope::Kind kind) {
  while (ok() && at(TokenKind::LParen)) {
    const Token& kw = peek(1);
    if (at_keyword("core", 1) && at_keyword("type", 2)) {
      parse_core_type_field();
    } else if (at_keyword("type", 1)) {
      parse_type_field();
    } else if (at_keyword("alias", 1)) {
      parse_alias();
    } else if (at_keyword("import", 1) && kind == Scope::Kind::ComponentType) {
      parse_import();
    } else if (at_keyword("export", 1)) {
      parse_export();
    } else {
      return fail_unexpected(kw);
    }
  }
  return ok();
}

bool CParser::parse_type_use(UseKind kind, Tpl* t, int phase) {
  // `(type idx names*)` is a reference; anything else is an inline type.
  if (at_lparen_keyword("type") && at_index(2) &&
      (peek(3).kind == TokenKind::RParen || peek(3).kind == TokenKind::String)) {
    pos_ += 2;
    Ref r;
    if (!parse_item_ref(Ns::Type, &r)) return false;
    t->ref(std::move(r), phase);
    return true;
  }
  const Token& at_tok = peek();
  Tpl def;
  if (kind == UseKind::Func) {
    if (!parse_func_type(&def)) return false;
  } else {
    if (!enter(at_tok)) return false;
    Scope::Kind sk =
        kind == UseKind::Component ? Scope::Kind::ComponentType : Scope::Kind::InstanceType;
    push_scope(sk, nullptr);
    bool good = parse_decls(sk);
    Scope s = std::move(cur());
    scopes_.pop_back();
    leave();
    if (!good) return false;
    def.w.u8(kind == UseKind::Component ? 0x41 : 0x42);
    def.w.u32(s.decls);
    def.w.append(s.out);
  }
  uint32_t index = 0;
  if (!emit(Item::Type, def, Ns::Type, nullptr, &index)) return false;
  t->w.u32(index);
  return true;
}

bool CParser::parse_item_sig(bool allow_id, Tpl* t, Ns* ns, const Token** id) {
  if (!expect(TokenKind::LParen)) return false;
  const Token& kw = peek();
  if (kw.kind != TokenKind::Keyword) return fail_unexpected(kw);
  next();
  if (kw.text == "core") {
    if (!expect_keyword("module")) return false;
    *ns = Ns::CoreModule;
  } else if (kw.text == "func") {
    *ns = Ns::Func;
  } else if (kw.text == "component") {
    *ns = Ns::Component;
  } else if (kw.text == "instance") {
    *ns = Ns::Instance;
  } else if (kw.text == "value") {
    *ns = Ns::Value;
  } else if (kw.text == "type") {
    *ns = Ns::Type;
  } else {
    return fail_unexpected(kw);
  }
  if (allow_id) *id = parse_opt_id();
  switch (*ns) {
    case Ns::CoreModule:
      t->w.u8(0x00);
      t->w.u8(0x11);
      if (!parse_core_module_type_use(t)) return false;
      break;
    case Ns::Func:
      t->w.u8(0x01);
      if (!parse_type_use(UseKind::Func, t)) return false;
      break;
    case Ns::Component:
      t->w.u8(0x04);
      if (!parse_type_use(UseKind::Component, t)) return false;
      break;
    case Ns::Instance:
      t->w.u8(0x05);
      if (!parse_type_use(UseKind::Instance, t)) return false;
      break;
    case Ns::Value: {
      t->w.u8(0x02);
      if (at_lparen_keyword("eq")) {
        pos_ += 2;
        Ref r;
        if (!parse_item_ref(Ns::Value, &r)) return false;
        t->w.u8(0x00);
        t->ref(std::move(r));
      } else {
        ValRef v;
        if (at_lparen_keyword("type") && at_index(2) && peek(3).kind == TokenKind::RParen) {
          pos_ += 2;
          v.kind = ValRef::Ref;
          v.ref = &next();
          if (!expect_rparen()) return false;
        } else if (!parse_val_type(&v)) {
          return false;
        }
        t->w.u8(0x01);
        t->val(v);
      }
      break;
    }
    case Ns::Type: {
      if (!expect(TokenKind::LParen)) return false;
      t->w.u8(0x03);
      if (at_keyword("eq")) {
        next();
        if (!at_index()) return fail_unexpected(peek());
        Ref r;
        r.ns = Ns::Type;
        r.idx = &next();
        t->w.u8(0x00);
        t->ref(std::move(r));
      } else if (at_keyword("sub")) {
        next();
        if (!expect_keyword("resource")) return false;
        t->w.u8(0x01);
      } else {
        return fail_unexpected(peek());
      }
      if (!expect_rparen()) return false;
      break;
    }
    default:
      break;
  }
  return expect_rparen();
}

// ---- core types ----

bool CParser::parse_core_val_type(ByteWriter* w) {
  const Token& t = peek();
  if (t.kind == TokenKind::Keyword) {
    for (const Prim& p : kCoreValTypes) {
      if (p.text == t.text) {
        next();
        w->u8(p.code);
        return true;
      }
    }
    return fail_unexpected(t);
  }
  if (!at_lparen_keyword("ref")) return fail_unexpected(t);
  pos_ += 2;
  bool null = at_keyword("null");
  if (null) next();
  w->u8(null ? 0x63 : 0x64);
  const Token& h = peek();
  if (at_index()) {
    uint32_t i = 0;
    if (!resolve_ns(Ns::CoreType, next(), &i)) return false;
    w->s64(i);
  } else {
    bool found = false;
    for (const Prim& p : kHeapTypes) {
      if (h.kind == TokenKind::Keyword && p.text == h.text) {
        next();
        w->u8(p.code);
        found = true;
        break;
      }
    }
    if (!found) return fail_unexpected(h);
  }
  return expect_rparen();
}

bool CParser::parse_core_func_type(ByteWriter* w) {
  ByteWriter params, results;
  uint32_t np = 0, nr = 0;
  for (int pass = 0; pass < 2; ++pass) {
    std::string_view kw = pass == 0 ? "param" : "result";
    while (ok() && at_lparen_keyword(kw)) {
      pos_ += 2;
      if (pass == 0 && at(TokenKind::Id)) {
        next();  // a named parameter has exactly one type
        if (!parse_core_val_type(&params)) return false;
        ++np;
      } else {
        while (ok() && !at(TokenKind::RParen)) {
          if (!parse_core_val_type(pass == 0 ? &params : &results)) return false;
          ++(pass == 0 ? np : nr);
        }
      }
      if (!expect_rparen()) return false;
    }
  }
  w->u8(0x60);
  w->u32(np);
  w->append(params);
  w->u32(nr);
  w->append(results);
  return ok();
}

bool CParser::parse_core_limits(ByteWriter* w, bool memory) {
  bool is64 = at_keyword("i64");
  if (is64 || at_keyword("i32")) next();
  uint64_t bounds[2] = {0, 0};
  int n = 0;
  while (n < 2 && at(TokenKind::Int)) {
    auto v = decoder::text::parse_uint(peek().text);
    if (!v || (!is64 && *v > UINT32_MAX)) return fail(ErrorCode::I32ConstantOutOfRange, peek());
    bounds[n++] = *v;
    next();
  }
  if (n == 0) return fail_unexpected(peek());
  bool shared = memory && at_keyword("shared");
  if (shared) next();
  w->u8((n == 2 ? 1 : 0) | (shared ? 2 : 0) | (is64 ? 4 : 0));
  w->u64(bounds[0]);
  if (n == 2) w->u64(bounds[1]);
  return true;
}

bool CParser::parse_core_extern_type(ByteWriter* w) {
  if (!expect(TokenKind::LParen)) return false;
  const Token& kw = peek();
  if (kw.kind != TokenKind::Keyword) return fail_unexpected(kw);
  next();
  parse_opt_id();
  if (kw.text == "func" || kw.text == "tag") {
    w->u8(kw.text == "func" ? 0x00 : 0x04);
    if (kw.text == "tag") w->u8(0x00);
    uint32_t index = 0;
    if (at_lparen_keyword("type")) {
      pos_ += 2;
      if (!at_index() || !resolve_ns(Ns::CoreType, next(), &index) || !expect_rparen()) {
        return false;
      }
    } else {
      // An inline function type: an equal explicit `(type (func ...))` of this module type if
      // there is one (the last such), else a new type (never shared with other inline ones).
      ByteWriter ft;
      if (!parse_core_func_type(&ft)) return false;
      auto& known = module_func_types_.back();
      auto it = known.find(std::string(reinterpret_cast<const char*>(ft.data()), ft.size()));
      if (it != known.end()) {
        index = it->second;
      } else {
        Tpl def;
        def.w.append(ft);
        if (!emit(Item::CoreType, def, Ns::CoreType, nullptr, &index)) return false;
      }
    }
    w->u32(index);
  } else if (kw.text == "memory") {
    w->u8(0x02);
    if (!parse_core_limits(w, true)) return false;
  } else if (kw.text == "table") {
    w->u8(0x01);
    ByteWriter limits;
    if (!parse_core_limits(&limits, false) || !parse_core_val_type(w)) return false;
    w->append(limits);
  } else if (kw.text == "global") {
    w->u8(0x03);
    bool mut = at_lparen_keyword("mut");
    if (mut) pos_ += 2;
    if (!parse_core_val_type(w) || (mut && !expect_rparen())) return false;
    w->u8(mut ? 0x01 : 0x00);
  } else {
    return fail_unexpected(kw);
  }
  return expect_rparen();
}

bool CParser::parse_module_type_decls() {
  while (ok() && at(TokenKind::LParen)) {
    const Token& kw = peek(1);
    if (at_keyword("type", 1)) {
      pos_ += 2;
      const Token* id = parse_opt_id();
      ByteWriter ft;
      if (!expect(TokenKind::LParen) || !expect_keyword("func") || !parse_core_func_type(&ft) ||
          !expect_rparen() || !expect_rparen()) {
        return false;
      }
      Tpl def;
      def.w.append(ft);
      uint32_t index = 0;
      if (!emit(Item::CoreType, def, Ns::CoreType, id, &index)) return false;
      module_func_types_.back()[std::string(reinterpret_cast<const char*>(ft.data()), ft.size())] =
          index;
    } else if (at_keyword("import", 1)) {
      pos_ += 2;
      std::string module, name;
      Tpl t;
      if (!parse_name(&module) || !parse_name(&name)) return false;
      t.w.name(module);
      t.w.name(name);
      if (!parse_core_extern_type(&t.w) || !expect_rparen() || !emit(Item::Import, t)) {
        return false;
      }
    } else if (at_keyword("export", 1)) {
      pos_ += 2;
      std::string name;
      Tpl t;
      if (!parse_name(&name)) return false;
      t.w.name(name);
      if (!parse_core_extern_type(&t.w) || !expect_rparen() || !emit(Item::Export, t)) {
        return false;
      }
    } else if (at_keyword("alias", 1)) {
      parse_alias();
    } else {
      return fail_unexpected(kw);
    }
  }
  return ok();
}

bool CParser::parse_core_module_type_use(Tpl* t) {
  if (at_lparen_keyword("type") && at_index(2)) {
    pos_ += 2;
    Ref r;
    if (!parse_item_ref(Ns::CoreType, &r)) return false;
    t->ref(std::move(r));
    return true;
  }
  const Token& at_tok = peek();
  if (!enter(at_tok)) return false;
  push_scope(Scope::Kind::ModuleType, nullptr);
  module_func_types_.emplace_back();
  bool good = parse_module_type_decls();
  Scope s = std::move(cur());
  scopes_.pop_back();
  module_func_types_.pop_back();
  leave();
  if (!good) return false;
  Tpl def;
  def.w.u8(0x50);
  def.w.u32(s.decls);
  def.w.append(s.out);
  uint32_t index = 0;
  if (!emit(Item::CoreType, def, Ns::CoreType, nullptr, &index)) return false;
  t->w.u32(index);
  return true;
}

bool CParser::parse_core_type_field() {
  const Token& open = peek();
  pos_ += 3;
  const Token* id = parse_opt_id();
  Tpl t;
  if (!expect(TokenKind::LParen)) return false;
  if (at_keyword("func")) {
    next();
    if (!parse_core_func_type(&t.w) || !expect_rparen()) return false;
  } else if (at_keyword("module")) {
    next();
    if (!enter(open)) return false;
    push_scope(Scope::Kind::ModuleType, id);
    module_func_types_.emplace_back();
    bool good = parse_module_type_decls() && expect_rparen();
    Scope s = std::move(cur());
    scopes_.pop_back();
    module_func_types_.pop_back();
    leave();
    if (!good) return false;
    t.w.u8(0x50);
    t.w.u32(s.decls);
    t.w.append(s.out);
  } else {
    return fail_unexpected(peek());
  }
  if (!expect_rparen()) return false;
  return emit(Item::CoreType, t, Ns::CoreType, id);
}

}  // namespace zinc::component::text

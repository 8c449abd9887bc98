// component/text/fields.cc: component definitions (Explainer.md "Component Definitions"):
// core modules, core instances, nested components, instances, aliases, canon definitions
// and their built-ins, funcs, start, imports and exports, with their abbreviations.
#include "component/text/parser.h"
#include "decoder/text/wat_parser.h"

namespace zinc::component::text {

namespace {

// Immediates of a canon built-in that produces a core function (Binary.md `canon`).
enum class Imm : uint8_t {
  None,
  Lower,          // 0x00 funcidx opts
  Type,           // typeidx
  TypeOpts,       // typeidx opts
  TypeAsync,      // typeidx async?
  Opts,           // opts
  ResultOpts,     // resultlist opts
  CoreValU32,     // core:valtype u32
  Async,          // async?
  Cancel,         // cancel?
  CancelMemory,   // cancel? core:memoryidx
  CoreType,       // core:typeidx
  CoreTypeTable,  // core:typeidx core:tableidx
};

struct Builtin {
  std::string_view name;
  uint8_t code;
  Imm imm;
};

// One row per built-in, in Binary.md order (codes as wasm-tools encodes them).
constexpr Builtin kBuiltins[] = {
    {"lower", 0x01, Imm::Lower},
    {"resource.new", 0x02, Imm::Type},
    {"resource.drop", 0x03, Imm::Type},
    {"resource.rep", 0x04, Imm::Type},
    {"backpressure.inc", 0x24, Imm::None},
    {"backpressure.dec", 0x25, Imm::None},
    {"task.return", 0x09, Imm::ResultOpts},
    {"task.cancel", 0x05, Imm::None},
    {"context.get", 0x0a, Imm::CoreValU32},
    {"context.set", 0x0b, Imm::CoreValU32},
    {"subtask.cancel", 0x06, Imm::Async},
    {"subtask.drop", 0x0d, Imm::None},
    {"stream.new", 0x0e, Imm::Type},
    {"stream.read", 0x0f, Imm::TypeOpts},
    {"stream.write", 0x10, Imm::TypeOpts},
    {"stream.cancel-read", 0x11, Imm::TypeAsync},
    {"stream.cancel-write", 0x12, Imm::TypeAsync},
    {"stream.drop-readable", 0x13, Imm::Type},
    {"stream.drop-writable", 0x14, Imm::Type},
    {"future.new", 0x15, Imm::Type},
    {"future.read", 0x16, Imm::TypeOpts},
    {"future.write", 0x17, Imm::TypeOpts},
    {"future.cancel-read", 0x18, Imm::TypeAsync},
    {"future.cancel-write", 0x19, Imm::TypeAsync},
    {"future.drop-readable", 0x1a, Imm::Type},
    {"future.drop-writable", 0x1b, Imm::Type},
    {"error-context.new", 0x1c, Imm::Opts},
    {"error-context.debug-message", 0x1d, Imm::Opts},
    {"error-context.drop", 0x1e, Imm::None},
    {"waitable-set.new", 0x1f, Imm::None},
    {"waitable-set.wait", 0x20, Imm::CancelMemory},
    {"waitable-set.poll", 0x21, Imm::CancelMemory},
    {"waitable-set.drop", 0x22, Imm::None},
    {"waitable.join", 0x23, Imm::None},
    {"thread.index", 0x26, Imm::None},
    {"thread.new-indirect", 0x27, Imm::CoreTypeTable},
    {"thread.resume-later", 0x28, Imm::None},
    {"thread.suspend", 0x29, Imm::Cancel},
    {"thread.yield", 0x0c, Imm::Cancel},
    {"thread.suspend-then-resume", 0x2a, Imm::Cancel},
    {"thread.yield-then-resume", 0x2b, Imm::Cancel},
    {"thread.suspend-then-promote", 0x2c, Imm::Cancel},
    {"thread.yield-then-promote", 0x2d, Imm::Cancel},
    {"thread.spawn-ref", 0x40, Imm::CoreType},
    {"thread.spawn-indirect", 0x41, Imm::CoreTypeTable},
    {"thread.available-parallelism", 0x42, Imm::None},
};

// Canon options without parentheses and with one (Binary.md canonopt).
struct CanonFlag {
  std::string_view text;
  uint8_t code;
};
constexpr CanonFlag kCanonFlags[] = {
    {"string-encoding=utf8", 0x00},
    {"string-encoding=utf16", 0x01},
    {"string-encoding=latin1+utf16", 0x02},
    {"async", 0x06},
    {"gc", 0x09},
};
struct CanonRefOpt {
  std::string_view text;
  uint8_t code;
  Ns ns;
};
constexpr CanonRefOpt kCanonRefOpts[] = {
    {"memory", 0x03, Ns::CoreMemory},    {"realloc", 0x04, Ns::CoreFunc},
    {"post-return", 0x05, Ns::CoreFunc}, {"callback", 0x07, Ns::CoreFunc},
    {"core-type", 0x08, Ns::CoreType},
};

void write_sort(ByteWriter& w, Ns ns) {
  if (ns_info(ns).core) w.u8(0x00);
  w.u8(ns_info(ns).sort);
}

}  // namespace

// ---- references ----

bool CParser::parse_sort(Ns* out, bool core_only) {
  bool core = at_keyword("core");
  if (core) next();
  if (core_only && !core) return fail_unexpected(peek());
  const Token& t = peek();
  if (t.kind != TokenKind::Keyword) return fail_unexpected(t);
  for (size_t i = 0; i < kNsCount; ++i) {
    Ns ns = static_cast<Ns>(i);
    if (ns_info(ns).core == core && ns_info(ns).keyword == t.text) {
      next();
      *out = ns;
      return true;
    }
  }
  return fail_unexpected(t);
}

bool CParser::parse_item_ref(Ns ns, Ref* out) {
  out->ns = ns;
  if (!at_index()) return fail_unexpected(peek());
  out->idx = &next();
  while (ok() && at(TokenKind::String)) {
    std::string n;
    if (!parse_name(&n)) return false;
    out->names.push_back(std::move(n));
  }
  if (ns_info(ns).core && ns_info(ns).sort <= 0x04 && out->names.size() > 1) {
    return fail_unexpected(peek());
  }
  return expect_rparen();
}

bool CParser::parse_index_or_ref(Ns ns, Ref* out) {
  out->ns = ns;
  if (at_index()) {
    out->idx = &next();
    return true;
  }
  if (!expect(TokenKind::LParen) || !expect_keyword(ns_info(ns).keyword)) return false;
  return parse_item_ref(ns, out);
}

bool CParser::parse_core_ref(Ns ns, Ref* out) {
  out->ns = ns;
  if (at_index()) {
    out->idx = &next();
    return true;
  }
  if (!expect(TokenKind::LParen)) return false;
  if (at_keyword("core")) next();  // the legacy form omits `core`
  if (!expect_keyword(ns_info(ns).keyword)) return false;
  return parse_item_ref(ns, out);
}

bool CParser::parse_core_contents(Ns ns, Ref* out) {
  out->ns = ns;
  if (at_index()) {
    out->idx = &next();
    if (at(TokenKind::String)) {
      std::string n;
      if (!parse_name(&n)) return false;
      out->names.push_back(std::move(n));
    }
    return true;
  }
  if (!expect(TokenKind::LParen) || !expect_keyword("core") ||
      !expect_keyword(ns_info(ns).keyword)) {
    return false;
  }
  return parse_item_ref(ns, out);
}

// ---- names ----

bool CParser::parse_extern_name(ByteWriter* out) {
  std::string name;
  if (at_lparen_keyword("interface")) {
    pos_ += 2;
    if (!parse_name(&name) || !expect_rparen()) return false;
  } else if (!parse_name(&name)) {
    return false;
  }
  static constexpr std::string_view kAttrs[] = {"implements", "versionsuffix", "external-id"};
  ByteWriter attrs;
  uint32_t count = 0;
  for (uint8_t code = 0; code < 3; ++code) {
    if (!at_lparen_keyword(kAttrs[code])) continue;
    pos_ += 2;
    std::string v;
    if (!parse_name(&v) || !expect_rparen()) return false;
    attrs.u8(code);
    attrs.name(v);
    ++count;
  }
  out->u8(count == 0 ? 0x00 : 0x02);
  out->name(name);
  if (count > 0) {
    out->u32(count);
    out->append(attrs);
  }
  return true;
}

bool CParser::parse_inline_exports(std::vector<ByteWriter>* names) {
  // `(export "name")` or `(export (interface "name"))`, nothing else inside.
  while (ok() && at_lparen_keyword("export") &&
         ((peek(2).kind == TokenKind::String && peek(3).kind == TokenKind::RParen) ||
          (at_keyword("interface", 3) && peek(2).kind == TokenKind::LParen))) {
    pos_ += 2;
    ByteWriter n;
    if (!parse_extern_name(&n) || !expect_rparen()) return false;
    names->push_back(std::move(n));
  }
  return ok();
}

bool CParser::parse_inline_import(ByteWriter* name) {
  // `(import "name")` alone; `(import "name" (sig))` is an import definition.
  if (!at_lparen_keyword("import") || peek(2).kind != TokenKind::String ||
      peek(3).kind != TokenKind::RParen) {
    return true;
  }
  pos_ += 2;
  return parse_extern_name(name) && expect_rparen();
}

void CParser::add_tail_exports(std::vector<ByteWriter>& names, Ns ns, uint32_t index) {
  for (ByteWriter& n : names) cur().tail.push_back({std::move(n), ns, index});
}

template <typename Body>
bool CParser::parse_importable(Ns ns, Body body) {
  pos_ += 2;
  const Token* id = parse_opt_id();
  std::vector<ByteWriter> exports;
  ByteWriter import;
  if (!parse_inline_exports(&exports) || !parse_inline_import(&import)) return false;
  uint32_t index = 0;
  if (!import.empty()) {
    const UseKind use = ns == Ns::Func        ? UseKind::Func
                        : ns == Ns::Component ? UseKind::Component
                                              : UseKind::Instance;
    Tpl t;
    t.w.append(import);
    t.w.u8(ns_info(ns).sort);  // the externdesc byte of func, component and instance
    if (!parse_type_use(use, &t) || !expect_rparen() || !emit(Item::Import, t, ns, id, &index)) {
      return false;
    }
  } else if (!body(id, &index)) {
    return false;
  }
  add_tail_exports(exports, ns, index);
  return true;
}

bool CParser::parse_alias_export(bool core, Ref* inst, std::string* name) {
  if ((core && !expect_keyword("core")) || !expect_keyword("export")) return false;
  inst->ns = core ? Ns::CoreInstance : Ns::Instance;
  if (!at_index()) return fail_unexpected(peek());
  inst->idx = &next();
  return parse_name(name);
}

bool CParser::emit_export_alias(Ns ns, bool core, Ref inst, const std::string& name,
                                const Token* id, uint32_t* index) {
  Tpl t;
  write_sort(t.w, ns);
  t.w.u8(core ? 0x01 : 0x00);
  t.ref(std::move(inst));
  t.w.name(name);
  return emit(Item::Alias, t, ns, id, index);
}

// ---- fields ----

bool CParser::parse_fields() {
  while (ok() && at(TokenKind::LParen)) {
    if (!parse_field()) return false;
  }
  return ok();
}

bool CParser::parse_field() {
  const Token& kw = peek(1);
  if (kw.kind != TokenKind::Keyword) return fail_unexpected(kw);
  if (kw.text == "core") {
    if (at_keyword("module", 2)) return parse_core_module();
    if (at_keyword("instance", 2)) return parse_core_instance();
    if (at_keyword("type", 2)) return parse_core_type_field();
    if (at_keyword("func", 2)) return parse_core_func();
    return fail_unexpected(peek(2));
  }
  if (kw.text == "component") return parse_component();
  if (kw.text == "instance") return parse_instance();
  if (kw.text == "alias") return parse_alias();
  if (kw.text == "type") return parse_type_field();
  if (kw.text == "canon") return parse_canon();
  if (kw.text == "func") return parse_func();
  if (kw.text == "start") return parse_start();
  if (kw.text == "import") return parse_import();
  if (kw.text == "export") return parse_export();
  return fail_unexpected(kw);
}

bool CParser::parse_core_module() {
  pos_ += 3;
  const Token* id = parse_opt_id();
  std::vector<ByteWriter> exports;
  if (!parse_inline_exports(&exports)) return false;
  ByteWriter body;
  if (at_keyword("binary")) {
    next();
    while (at(TokenKind::String)) body.bytes(decoder::text::decode_string(next().text));
  } else {
    size_t first = pos_;
    uint32_t depth = 0;
    while (pos_ < end_ && !(depth == 0 && at(TokenKind::RParen))) {
      if (at(TokenKind::LParen)) ++depth;
      if (at(TokenKind::RParen)) --depth;
      ++pos_;
    }
    auto r =
        decoder::text::encode_module_tokens(std::span<const Token>(tokens_ + first, pos_ - first));
    if (!r) {
      if (!error_) error_ = r.error();
      pos_ = end_;
      return false;
    }
    body.bytes(r->data(), r->size());
  }
  if (!expect_rparen()) return false;
  emit_section(1, body);
  uint32_t index = 0;
  if (!add(Ns::CoreModule, id, &index)) return false;
  add_tail_exports(exports, Ns::CoreModule, index);
  return true;
}

bool CParser::parse_core_exports(Tpl* t) {
  // `(export "name" (kind idx name?))*` up to the closing `)` (not consumed); kind is a core
  // sort written without `core`.
  Tpl items;
  uint32_t count = 0;
  while (ok() && at_lparen_keyword("export")) {
    pos_ += 2;
    std::string name;
    if (!parse_name(&name) || !expect(TokenKind::LParen)) return false;
    const Token& kw = peek();
    std::optional<Ns> ns;
    for (Ns c : {Ns::CoreFunc, Ns::CoreTable, Ns::CoreMemory, Ns::CoreGlobal, Ns::CoreTag}) {
      if (at_keyword(ns_info(c).keyword)) ns = c;
    }
    if (!ns) return fail_unexpected(kw);
    next();
    Ref r;
    if (!parse_item_ref(*ns, &r) || !expect_rparen()) return false;
    items.w.name(name);
    items.w.u8(ns_info(*ns).sort);
    items.ref(std::move(r));
    ++count;
  }
  t->w.u8(0x01);
  t->w.u32(count);
  t->append(items);
  return ok();
}

bool CParser::parse_core_instance() {
  pos_ += 3;
  const Token* id = parse_opt_id();
  Tpl t;
  if (!at_lparen_keyword("instantiate")) {
    return parse_core_exports(&t) && expect_rparen() &&
           emit(Item::CoreInstance, t, Ns::CoreInstance, id);
  }
  pos_ += 2;
  t.w.u8(0x00);
  Ref module;
  if (!parse_index_or_ref(Ns::CoreModule, &module)) return false;
  t.ref(std::move(module));
  Tpl args;
  uint32_t count = 0;
  while (ok() && at_lparen_keyword("with")) {
    pos_ += 2;
    std::string name;
    if (!parse_name(&name) || !expect(TokenKind::LParen) || !expect_keyword("instance")) {
      return false;
    }
    args.w.name(name);
    args.w.u8(0x12);
    if (at_index()) {
      Ref r;
      if (!parse_item_ref(Ns::CoreInstance, &r)) return false;
      args.ref(std::move(r));
    } else {
      // An inline bundle: an instance of its own, defined before this one.
      Tpl bundle;
      uint32_t index = 0;
      if (!parse_core_exports(&bundle) || !expect_rparen() ||
          !emit(Item::CoreInstance, bundle, Ns::CoreInstance, nullptr, &index)) {
        return false;
      }
      args.w.u32(index);
    }
    if (!expect_rparen()) return false;
    ++count;
  }
  if (!expect_rparen() || !expect_rparen()) return false;
  t.w.u32(count);
  t.append(args);
  return emit(Item::CoreInstance, t, Ns::CoreInstance, id);
}

bool CParser::parse_canon_opts(Tpl* t) {
  Tpl opts;
  uint32_t count = 0;
  while (ok()) {
    bool found = false;
    for (const CanonFlag& f : kCanonFlags) {
      if (at_keyword(f.text)) {
        next();
        opts.w.u8(f.code);
        found = true;
        break;
      }
    }
    if (!found && at(TokenKind::LParen)) {
      for (const CanonRefOpt& o : kCanonRefOpts) {
        if (!at_keyword(o.text, 1)) continue;
        pos_ += 2;
        Ref r;
        bool good =
            o.ns == Ns::CoreMemory ? parse_core_contents(o.ns, &r) : parse_core_ref(o.ns, &r);
        if (!good || !expect_rparen()) return false;
        opts.w.u8(o.code);
        opts.ref(std::move(r), 1);
        found = true;
        break;
      }
    }
    if (!found) break;
    ++count;
  }
  t->w.u32(count);
  t->append(opts);
  return ok();
}

bool CParser::parse_canon_lift(Tpl* t) {
  if (!expect_keyword("lift") || !expect(TokenKind::LParen) || !expect_keyword("core") ||
      !expect_keyword("func")) {
    return false;
  }
  Ref f;
  if (!parse_item_ref(Ns::CoreFunc, &f)) return false;
  t->w.u8(0x00);
  t->w.u8(0x00);
  t->ref(std::move(f), 1);
  return parse_canon_opts(t);
}

bool CParser::parse_canon_core(const Token& kw, Tpl* t) {
  const Builtin* b = nullptr;
  for (const Builtin& row : kBuiltins) {
    if (kw.kind == TokenKind::Keyword && row.name == kw.text) b = &row;
  }
  if (b == nullptr) return fail_unexpected(kw);
  next();
  t->w.u8(b->code);
  auto flag = [&](std::string_view word) {
    bool set = at_keyword(word);
    if (set) next();
    t->w.u8(set ? 0x01 : 0x00);
  };
  auto type_ref = [&](Ns ns, bool core) {
    Ref r;
    if (!(core ? parse_core_ref(ns, &r) : parse_index_or_ref(ns, &r))) return false;
    t->ref(std::move(r));
    return true;
  };
  switch (b->imm) {
    case Imm::None:
      return true;
    case Imm::Lower: {
      Ref f;
      if (!expect(TokenKind::LParen) || !expect_keyword("func") || !parse_item_ref(Ns::Func, &f)) {
        return false;
      }
      t->w.u8(0x00);
      t->ref(std::move(f));
      return parse_canon_opts(t);
    }
    case Imm::Type:
      return type_ref(Ns::Type, false);
    case Imm::TypeOpts:
      return type_ref(Ns::Type, false) && parse_canon_opts(t);
    case Imm::TypeAsync:
      if (!type_ref(Ns::Type, false)) return false;
      flag("async");
      return true;
    case Imm::Opts:
      return parse_canon_opts(t);
    case Imm::ResultOpts:
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
      return parse_canon_opts(t);
    case Imm::CoreValU32: {
      uint32_t n = 0;
      if (!parse_core_val_type(&t->w) || !parse_u32(&n)) return false;
      t->w.u32(n);
      return true;
    }
    case Imm::Async:
      flag("async");
      return true;
    case Imm::Cancel:
      flag("cancellable");
      return true;
    case Imm::CancelMemory: {
      flag("cancellable");
      Ref r;
      if (!expect(TokenKind::LParen) || !expect_keyword("memory") ||
          !parse_core_contents(Ns::CoreMemory, &r) || !expect_rparen()) {
        return false;
      }
      t->ref(std::move(r));
      return true;
    }
    case Imm::CoreType:
      return type_ref(Ns::CoreType, true);
    case Imm::CoreTypeTable:
      return type_ref(Ns::CoreType, true) && type_ref(Ns::CoreTable, true);
  }
  return true;
}

bool CParser::parse_core_func() {
  pos_ += 3;
  const Token* id = parse_opt_id();
  if (!expect(TokenKind::LParen)) return false;
  Tpl t;
  if (at_keyword("alias")) {
    // `(alias core export $i "name")`
    next();
    Ref inst;
    std::string name;
    if (!parse_alias_export(true, &inst, &name) || !expect_rparen() || !expect_rparen()) {
      return false;
    }
    return emit_export_alias(Ns::CoreFunc, true, std::move(inst), name, id);
  }
  if (!expect_keyword("canon") || !parse_canon_core(peek(), &t) || !expect_rparen() ||
      !expect_rparen()) {
    return false;
  }
  return emit(Item::Canon, t, Ns::CoreFunc, id);
}

bool CParser::parse_canon() {
  pos_ += 2;
  Tpl t;
  if (at_keyword("lift")) {
    if (!parse_canon_lift(&t) || !expect(TokenKind::LParen) || !expect_keyword("func")) {
      return false;
    }
    const Token* id = parse_opt_id();
    if (!parse_type_use(UseKind::Func, &t, 0) || !expect_rparen() || !expect_rparen()) {
      return false;
    }
    return emit(Item::Canon, t, Ns::Func, id);
  }
  if (!parse_canon_core(peek(), &t)) return false;
  if (!expect(TokenKind::LParen) || !expect_keyword("core") || !expect_keyword("func")) {
    return false;
  }
  const Token* id = parse_opt_id();
  if (!expect_rparen() || !expect_rparen()) return false;
  return emit(Item::Canon, t, Ns::CoreFunc, id);
}

bool CParser::parse_func() {
  return parse_importable(Ns::Func, [&](const Token* id, uint32_t* index) {
    if (at_lparen_keyword("alias")) {
      // `(alias export $i "name")`
      pos_ += 2;
      Ref inst;
      std::string name;
      if (!parse_alias_export(false, &inst, &name) || !expect_rparen() || !expect_rparen()) {
        return false;
      }
      return emit_export_alias(Ns::Func, false, std::move(inst), name, id, index);
    }
    Tpl type;
    Tpl t;
    if (!parse_type_use(UseKind::Func, &type, 0) || !expect(TokenKind::LParen) ||
        !expect_keyword("canon") || !parse_canon_lift(&t) || !expect_rparen() || !expect_rparen()) {
      return false;
    }
    t.append(type);
    return emit(Item::Canon, t, Ns::Func, id, index);
  });
}

bool CParser::parse_component() {
  const Token& open = peek();
  return parse_importable(Ns::Component, [&](const Token* id, uint32_t* index) {
    ByteWriter body;
    if (at_keyword("binary")) {
      // `(component $id? binary "..."*)`: the nested component's bytes as written.
      next();
      while (at(TokenKind::String)) body.bytes(decoder::text::decode_string(next().text));
      if (!expect_rparen()) return false;
    } else {
      if (!enter(open)) return false;
      push_scope(Scope::Kind::Component, id);
      std::vector<uint8_t> bytes;
      if (parse_fields() && expect_rparen()) bytes = finish_component();
      scopes_.pop_back();
      leave();
      if (!ok()) return false;
      body.bytes(bytes.data(), bytes.size());
    }
    emit_section(4, body);
    return add(Ns::Component, id, index);
  });
}

bool CParser::parse_component_export_item(Tpl* t, Ns* ns) {
  Ref r;
  if (!expect(TokenKind::LParen) || !parse_sort(ns, false)) return false;
  if (ns_info(*ns).core && *ns != Ns::CoreModule) return fail_unexpected(peek());
  if (!parse_item_ref(*ns, &r)) return false;
  write_sort(t->w, *ns);
  t->ref(std::move(r), 1);
  return true;
}

bool CParser::parse_instance_exports(Tpl* t) {
  // `(export $id? "name" (sort idx names*))*` up to the closing `)` (not consumed).
  Tpl items;
  uint32_t count = 0;
  while (ok() && at_lparen_keyword("export")) {
    pos_ += 2;
    parse_opt_id();
    Ns ns;
    if (!parse_extern_name(&items.w) || !parse_component_export_item(&items, &ns) ||
        !expect_rparen()) {
      return false;
    }
    ++count;
  }
  t->w.u8(0x01);
  t->w.u32(count);
  t->append(items);
  return ok();
}

bool CParser::parse_instance() {
  return parse_importable(Ns::Instance, [&](const Token* id, uint32_t* index) {
    Tpl t;
    if (!at_lparen_keyword("instantiate")) {
      return parse_instance_exports(&t) && expect_rparen() &&
             emit(Item::Instance, t, Ns::Instance, id, index);
    }
    pos_ += 2;
    t.w.u8(0x00);
    Ref c;
    if (!parse_index_or_ref(Ns::Component, &c)) return false;
    t.ref(std::move(c));
    Tpl args;
    uint32_t count = 0;
    while (ok() && at_lparen_keyword("with")) {
      pos_ += 2;
      std::string name;
      if (!parse_name(&name)) return false;
      args.w.name(name);
      if (at_lparen_keyword("instance") && !at_index(2)) {
        // An inline bundle: an instance of its own, defined before this one.
        pos_ += 2;
        Tpl exports;
        uint32_t bundle = 0;
        if (!parse_instance_exports(&exports) || !expect_rparen() ||
            !emit(Item::Instance, exports, Ns::Instance, nullptr, &bundle)) {
          return false;
        }
        write_sort(args.w, Ns::Instance);
        args.w.u32(bundle);
      } else {
        Ns ns;
        if (!parse_component_export_item(&args, &ns)) return false;
      }
      if (!expect_rparen()) return false;
      ++count;
    }
    if (!expect_rparen() || !expect_rparen()) return false;
    t.w.u32(count);
    t.append(args);
    return emit(Item::Instance, t, Ns::Instance, id, index);
  });
}

bool CParser::parse_alias() {
  pos_ += 2;
  Tpl t;
  if (at_keyword("outer")) {
    next();
    const Token& outer = peek();
    const Token& target = peek(1);
    if (!at_index() || !at_index(1)) return fail_unexpected(at_index() ? target : outer);
    pos_ += 2;
    Ns ns;
    if (!expect(TokenKind::LParen) || !parse_sort(&ns, false)) return false;
    const Token* id = parse_opt_id();
    if (!expect_rparen() || !expect_rparen()) return false;
    bool module_type = cur().kind == Scope::Kind::ModuleType;
    if (module_type && ns == Ns::Type) ns = Ns::CoreType;
    if (ns != Ns::CoreModule && ns != Ns::CoreType && ns != Ns::Type && ns != Ns::Component) {
      return fail_unexpected(target);
    }
    uint32_t depth = 0;
    uint32_t index = 0;
    if (outer.kind == TokenKind::Int && target.kind == TokenKind::Int) {
      // Plain indices are written as they are; the validator checks them.
      if (!resolve_ns(ns, outer, &depth) || !resolve_ns(ns, target, &index)) return false;
    } else if (outer.kind == TokenKind::Int) {
      if (!resolve_ns(ns, outer, &depth)) return false;
    } else {
      std::string key = decoder::text::id_name(outer.text);
      while (depth < scopes_.size() && scopes_[scopes_.size() - 1 - depth].id != key) ++depth;
      if (depth == scopes_.size()) {
        return fail(ErrorCode::UnexpectedToken, outer, "outer component `" + key + "` not found");
      }
    }
    if (target.kind != TokenKind::Int && depth >= scopes_.size()) {
      return fail(ErrorCode::UnexpectedToken, outer,
                  "outer count of `" + std::to_string(depth) + "` is too large");
    }
    if (target.kind == TokenKind::Int) {
      if (!resolve_ns(ns, target, &index)) return false;
    } else {
      const auto& names = scopes_[scopes_.size() - 1 - depth].spaces[static_cast<size_t>(ns)].names;
      auto it = names.find(decoder::text::id_name(target.text));
      if (it == names.end()) {
        return fail(ErrorCode::UnknownType, target,
                    "failed to find " + std::string(ns_info(ns).desc) + " named " +
                        std::string(target.text));
      }
      index = it->second;
    }
    if (module_type) {
      t.w.u8(0x10);
      t.w.u8(0x01);
    } else {
      write_sort(t.w, ns);
      t.w.u8(0x02);
    }
    t.w.u32(depth);
    t.w.u32(index);
    return emit(Item::Alias, t, ns, id);
  }
  const bool core = at_keyword("core");
  Ref inst;
  std::string name;
  Ns ns;
  if (!parse_alias_export(core, &inst, &name) || !expect(TokenKind::LParen) ||
      !parse_sort(&ns, core)) {
    return false;
  }
  const Token* id = parse_opt_id();
  if (!expect_rparen() || !expect_rparen()) return false;
  return emit_export_alias(ns, core, std::move(inst), name, id);
}

bool CParser::parse_type_field() {
  pos_ += 2;
  const Token* id = parse_opt_id();
  std::vector<ByteWriter> exports;
  if (cur().kind == Scope::Kind::Component && !parse_inline_exports(&exports)) return false;
  Tpl t;
  uint32_t index = 0;
  if (!parse_type_def(&t, id) || !expect_rparen() || !emit(Item::Type, t, Ns::Type, id, &index)) {
    return false;
  }
  add_tail_exports(exports, Ns::Type, index);
  return true;
}

bool CParser::parse_start() {
  pos_ += 2;
  Ref f;
  f.ns = Ns::Func;
  if (!at_index()) return fail_unexpected(peek());
  f.idx = &next();
  std::vector<Ref> args;
  while (ok() && at_lparen_keyword("value")) {
    pos_ += 2;
    Ref v;
    if (!parse_item_ref(Ns::Value, &v)) return false;
    args.push_back(std::move(v));
  }
  std::vector<const Token*> results;
  while (ok() && at_lparen_keyword("result")) {
    pos_ += 2;
    if (!expect(TokenKind::LParen) || !expect_keyword("value")) return false;
    results.push_back(parse_opt_id());
    if (!expect_rparen() || !expect_rparen()) return false;
  }
  if (!expect_rparen()) return false;
  ByteWriter body;
  uint32_t i = 0;
  if (!resolve_ref(f, &i)) return false;
  body.u32(i);
  body.u32(static_cast<uint32_t>(args.size()));
  for (const Ref& a : args) {
    if (!resolve_ref(a, &i)) return false;
    body.u32(i);
  }
  body.u32(static_cast<uint32_t>(results.size()));
  emit_section(9, body);
  for (const Token* r : results) {
    if (!add(Ns::Value, r)) return false;
  }
  return true;
}

bool CParser::parse_extern_decl(Item item) {
  Tpl t;
  if (!parse_extern_name(&t.w)) return false;
  Ns ns;
  const Token* id = nullptr;
  if (!parse_item_sig(true, &t, &ns, &id) || !expect_rparen()) return false;
  return emit(item, t, ns, id);
}

bool CParser::parse_import() {
  pos_ += 2;
  return parse_extern_decl(Item::Import);
}

bool CParser::parse_export() {
  pos_ += 2;
  // An export declarator of a component or instance type: name and extern type.
  if (cur().kind != Scope::Kind::Component) return parse_extern_decl(Item::Export);
  Tpl t;
  const Token* id = parse_opt_id();
  Ns ns;
  if (!parse_extern_name(&t.w) || !parse_component_export_item(&t, &ns)) return false;
  if (at(TokenKind::LParen)) {
    t.w.u8(0x01);
    Ns sig_ns;
    const Token* sig_id = nullptr;
    if (!parse_item_sig(false, &t, &sig_ns, &sig_id)) return false;
  } else {
    t.w.u8(0x00);
  }
  if (!expect_rparen()) return false;
  return emit(Item::Export, t, ns, id);
}

}  // namespace zinc::component::text

// component/text/parser.cc: CParser cursor, errors, scopes, identifier resolution (with the
// implicit `alias outer` of identifiers from enclosing scopes), section emission and the
// driver, plus the entry points of component_text.h.
#include "component/text/parser.h"

#include <algorithm>

#include "decoder/reader.h"
#include "decoder/text/numbers.h"

namespace zinc::component::text {

namespace {

// One row per index space (Ns order): keyword, message name, core?, binary sort.
constexpr NsInfo kNsInfo[kNsCount] = {
    {"func", "core func", true, 0x00},     {"table", "core table", true, 0x01},
    {"memory", "core memory", true, 0x02}, {"global", "core global", true, 0x03},
    {"tag", "core tag", true, 0x04},       {"type", "core type", true, 0x10},
    {"module", "core module", true, 0x11}, {"instance", "core instance", true, 0x12},
    {"func", "func", false, 0x01},         {"value", "value", false, 0x02},
    {"type", "type", false, 0x03},         {"component", "component", false, 0x04},
    {"instance", "instance", false, 0x05},
};

ErrorCode unknown_code(Ns ns) {
  switch (ns) {
    case Ns::CoreFunc:
    case Ns::Func:
      return ErrorCode::UnknownFunction;
    case Ns::CoreTable:
      return ErrorCode::UnknownTable;
    case Ns::CoreMemory:
      return ErrorCode::UnknownMemory;
    case Ns::CoreGlobal:
      return ErrorCode::UnknownGlobal;
    case Ns::CoreTag:
      return ErrorCode::UnknownTag;
    case Ns::CoreType:
    case Ns::Type:
      return ErrorCode::UnknownType;
    default:
      return ErrorCode::UnexpectedToken;
  }
}

// The declarator prefix of an item inside a component or instance type (Binary.md
// componentdecl/instancedecl) and inside a core module type (core:moduledecl).
int decl_prefix(Scope::Kind scope, Item item) {
  if (scope == Scope::Kind::ModuleType) {
    switch (item) {
      case Item::Import:
        return 0x00;
      case Item::CoreType:
        return 0x01;
      case Item::Alias:
        return 0x02;
      case Item::Export:
        return 0x03;
      default:
        return -1;
    }
  }
  switch (item) {
    case Item::CoreType:
      return 0x00;
    case Item::Type:
      return 0x01;
    case Item::Alias:
      return 0x02;
    case Item::Import:
      return scope == Scope::Kind::ComponentType ? 0x03 : -1;
    case Item::Export:
      return 0x04;
    default:
      return -1;
  }
}

std::string key_of(const Token& id) {
  return decoder::text::id_name(id.text);
}

}  // namespace

const NsInfo& ns_info(Ns ns) {
  return kNsInfo[static_cast<size_t>(ns)];
}

CParser::CParser(std::span<const Token> tokens) : tokens_(tokens.data()), end_(tokens.size()) {
  while (end_ > 0 && tokens_[end_ - 1].kind == TokenKind::Eof) --end_;
  eof_.kind = TokenKind::Eof;
  if (!tokens.empty()) eof_.pos = tokens.back().pos;
}

// ---- cursor and errors ----

bool CParser::fail(ErrorCode code, const Token& t, std::string detail) {
  if (!error_) error_ = TextError{code, t.pos, {}, std::move(detail)};
  pos_ = end_;
  return false;
}

bool CParser::fail_unexpected(const Token& t) {
  if (t.kind == TokenKind::Reserved)
    return fail(ErrorCode::UnknownOperator, t, std::string(t.text));
  return fail(ErrorCode::UnexpectedToken, t,
              t.kind == TokenKind::Eof ? std::string("end of text") : std::string(t.text));
}

bool CParser::expect(TokenKind k) {
  if (peek().kind != k) return fail_unexpected(peek());
  ++pos_;
  return true;
}

bool CParser::expect_keyword(std::string_view kw) {
  if (!at_keyword(kw)) return fail_unexpected(peek());
  ++pos_;
  return true;
}

bool CParser::parse_u32(uint32_t* out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Int) return fail_unexpected(t);
  auto v = decoder::text::parse_uint(t.text);
  if (!v || *v > UINT32_MAX) {
    return fail(ErrorCode::I32ConstantOutOfRange, t, std::string(t.text));
  }
  *out = static_cast<uint32_t>(*v);
  ++pos_;
  return true;
}

bool CParser::parse_string(std::string* out) {
  if (!at(TokenKind::String)) return fail_unexpected(peek());
  *out = decoder::text::decode_string(next().text);
  return true;
}

bool CParser::parse_name(std::string* out) {
  const Token& t = peek();
  if (!parse_string(out)) return false;
  if (!decoder::is_valid_utf8(reinterpret_cast<const uint8_t*>(out->data()), out->size())) {
    return fail(ErrorCode::MalformedUtf8, t);
  }
  return true;
}

const Token* CParser::parse_opt_id() {
  return at(TokenKind::Id) ? &next() : nullptr;
}

bool CParser::enter(const Token& at) {
  if (depth_ >= kMaxTextNesting) {
    return fail(ErrorCode::ImplementationLimit, at, "component text nested too deeply");
  }
  ++depth_;
  return true;
}

// ---- scopes and resolution ----

void CParser::push_scope(Scope::Kind kind, const Token* id) {
  scopes_.emplace_back();
  scopes_.back().kind = kind;
  if (id != nullptr) scopes_.back().id = key_of(*id);
}

bool CParser::add(Ns ns, const Token* id, uint32_t* index) {
  Scope::Space& s = cur().spaces[static_cast<size_t>(ns)];
  uint32_t i = s.count++;
  if (index != nullptr) *index = i;
  if (id != nullptr && !s.names.try_emplace(key_of(*id), i).second) {
    return fail(
        ErrorCode::UnexpectedToken, *id,
        "duplicate " + std::string(ns_info(ns).desc) + " identifier " + std::string(id->text));
  }
  return true;
}

bool CParser::resolve_ns(Ns ns, const Token& t, uint32_t* out) {
  if (t.kind == TokenKind::Int) {
    auto v = decoder::text::parse_uint(t.text);
    if (!v || *v > UINT32_MAX) {
      return fail(ErrorCode::I32ConstantOutOfRange, t, std::string(t.text));
    }
    *out = static_cast<uint32_t>(*v);
    return true;
  }
  if (t.kind != TokenKind::Id) return fail_unexpected(t);
  std::string key = key_of(t);
  for (size_t depth = 0; depth < scopes_.size(); ++depth) {
    const Scope& s = scopes_[scopes_.size() - 1 - depth];
    const auto& names = s.spaces[static_cast<size_t>(ns)].names;
    auto it = names.find(key);
    if (it == names.end()) continue;
    if (depth == 0) {
      *out = it->second;
      return true;
    }
    if (ns != Ns::CoreModule && ns != Ns::CoreType && ns != Ns::Type && ns != Ns::Component) {
      return fail(ErrorCode::UnexpectedToken, t,
                  "outer item `" + key + "` is not a module, type, or component");
    }
    // An identifier of an enclosing scope: an outer alias, bound to the same identifier here.
    Tpl a;
    if (cur().kind == Scope::Kind::ModuleType) {
      a.w.u8(0x10);
      a.w.u8(0x01);
    } else {
      if (ns_info(ns).core) a.w.u8(0x00);
      a.w.u8(ns_info(ns).sort);
      a.w.u8(0x02);
    }
    a.w.u32(static_cast<uint32_t>(depth));
    a.w.u32(it->second);
    return emit(Item::Alias, a, ns, &t, out);
  }
  return fail(unknown_code(ns), t,
              "failed to find " + std::string(ns_info(ns).desc) + " named " + std::string(t.text));
}

bool CParser::resolve_ref(const Ref& r, uint32_t* out) {
  if (r.names.empty()) return resolve_ns(r.ns, *r.idx, out);
  // Core instances export only funcs, tables, memories, globals and tags; other sorts (a core
  // module) are exports of component instances.
  bool core = ns_info(r.ns).core && ns_info(r.ns).sort <= 0x04;
  uint32_t index = 0;
  if (!resolve_ns(core ? Ns::CoreInstance : Ns::Instance, *r.idx, &index)) return false;
  for (size_t i = 0; i < r.names.size(); ++i) {
    Ns ns = i + 1 == r.names.size() ? r.ns : Ns::Instance;
    Tpl a;
    if (core) {
      a.w.u8(0x00);
      a.w.u8(ns_info(ns).sort);
      a.w.u8(0x01);
    } else {
      if (ns_info(ns).core) a.w.u8(0x00);  // `core module` from a component instance
      a.w.u8(ns_info(ns).sort);
      a.w.u8(0x00);
    }
    a.w.u32(index);
    a.w.name(r.names[i]);
    if (!emit(Item::Alias, a, ns, nullptr, &index)) return false;
  }
  *out = index;
  return true;
}

bool CParser::resolve_val(const ValRef& v, ByteWriter* w) {
  switch (v.kind) {
    case ValRef::Prim:
      w->u8(v.prim);
      return true;
    case ValRef::Index:
      w->u32(v.index);
      return true;
    case ValRef::Ref: {
      uint32_t i = 0;
      if (!resolve_ns(Ns::Type, *v.ref, &i)) return false;
      w->u32(i);
      return true;
    }
  }
  return true;
}

// ---- emission ----

bool CParser::emit(Item item, const Tpl& t, std::optional<Ns> ns, const Token* id,
                   uint32_t* index) {
  // Resolve holes by phase, then position; each becomes the bytes written at its place.
  std::vector<ByteWriter> filled(t.holes.size());
  int max_phase = 0;
  for (const Tpl::Hole& h : t.holes) max_phase = std::max(max_phase, h.phase);
  for (int phase = 0; phase <= max_phase; ++phase) {
    for (size_t i = 0; i < t.holes.size(); ++i) {
      const Tpl::Hole& h = t.holes[i];
      if (h.phase != phase) continue;
      if (h.is_val) {
        if (!resolve_val(h.val, &filled[i])) return false;
      } else {
        uint32_t v = 0;
        if (!resolve_ref(h.ref, &v)) return false;
        filled[i].u32(v);
      }
    }
  }
  if (decl_prefix(cur().kind, item) < 0 && cur().kind != Scope::Kind::Component) {
    return fail(ErrorCode::UnexpectedToken, peek(), "definition not allowed in a type");
  }
  ByteWriter& w = begin(item);
  size_t from = 0;
  for (size_t i = 0; i < t.holes.size(); ++i) {
    w.bytes(t.w.data() + from, t.holes[i].at - from);
    w.append(filled[i]);
    from = t.holes[i].at;
  }
  w.bytes(t.w.data() + from, t.w.size() - from);
  if (ns) return add(*ns, id, index);
  return true;
}

ByteWriter& CParser::begin(Item item) {
  Scope& s = cur();
  if (s.kind != Scope::Kind::Component) {
    s.out.u8(static_cast<uint8_t>(decl_prefix(s.kind, item)));
    ++s.decls;
    return s.out;
  }
  int id = static_cast<int>(item);
  if (s.section != id) {
    flush();
    s.section = id;
  }
  ++s.sec_count;
  return s.sec;
}

void CParser::flush() {
  Scope& s = cur();
  if (s.section < 0) return;
  ByteWriter body;
  body.u32(s.sec_count);
  body.append(s.sec);
  s.out.u8(static_cast<uint8_t>(s.section));
  s.out.u32(static_cast<uint32_t>(body.size()));
  s.out.append(body);
  s.section = -1;
  s.sec.clear();
  s.sec_count = 0;
}

void CParser::emit_section(uint8_t id, const ByteWriter& body) {
  flush();
  Scope& s = cur();
  s.out.u8(id);
  s.out.u32(static_cast<uint32_t>(body.size()));
  s.out.append(body);
}

std::vector<uint8_t> CParser::finish_component() {
  // Inline exports, in text order, after every other definition (wast's expansion).
  std::vector<Scope::TailExport> tail = std::move(cur().tail);
  for (Scope::TailExport& e : tail) {
    Tpl t;
    t.w.append(e.name);
    if (ns_info(e.ns).core) t.w.u8(0x00);
    t.w.u8(ns_info(e.ns).sort);
    t.w.u32(e.index);
    t.w.u8(0x00);  // no ascribed type
    if (!emit(Item::Export, t, e.ns)) break;
  }
  flush();
  ByteWriter w;
  static constexpr uint8_t kPreamble[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  w.bytes(kPreamble, sizeof kPreamble);
  w.append(cur().out);
  return std::move(w.vec());
}

TextResult<std::vector<uint8_t>> CParser::run(std::string_view id) {
  Token id_token;
  id_token.kind = TokenKind::Id;
  id_token.text = id;
  push_scope(Scope::Kind::Component, id.empty() ? nullptr : &id_token);
  if (parse_fields() && !at(TokenKind::Eof)) fail_unexpected(peek());
  std::vector<uint8_t> bytes;
  if (ok()) bytes = finish_component();
  if (error_) return Unexpected<TextError>{std::move(*error_)};
  return bytes;
}

TextResult<std::vector<uint8_t>> encode_component_tokens(std::span<const Token> tokens,
                                                         std::string_view id) {
  CParser p(tokens);
  return p.run(id);
}

TextResult<std::vector<uint8_t>> component_wat_to_binary(std::string_view text,
                                                         std::string_view filename,
                                                         Position start) {
  auto with_file = [&](TextError e) {
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  };
  auto tokens = decoder::text::tokenize(text, start);
  if (!tokens) return with_file(tokens.error());
  std::span<const Token> body(*tokens);
  std::string_view id;
  // `(component $id? field*)`: strip the wrapper; anything after its `)` is an error.
  if (body.size() >= 2 && body[0].kind == TokenKind::LParen && body[1].kind == TokenKind::Keyword &&
      body[1].text == "component") {
    size_t i = 2;
    if (body.size() > i && body[i].kind == TokenKind::Id) id = body[i++].text;
    size_t first = i;
    uint32_t depth = 1;
    for (; i < body.size() && depth > 0; ++i) {
      if (body[i].kind == TokenKind::LParen) ++depth;
      if (body[i].kind == TokenKind::RParen) --depth;
    }
    if (depth > 0) {
      return with_file(TextError{ErrorCode::UnexpectedToken, body.back().pos, {}, "end of text"});
    }
    if (i < body.size() && body[i].kind != TokenKind::Eof) {
      return with_file(
          TextError{ErrorCode::UnexpectedToken, body[i].pos, {}, std::string(body[i].text)});
    }
    body = body.subspan(first, i - 1 - first);
  }
  auto r = encode_component_tokens(body, id);
  if (!r) return with_file(r.error());
  return r;
}

}  // namespace zinc::component::text

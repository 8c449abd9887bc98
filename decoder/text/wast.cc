// decoder/text/wast.cc: the WAST script parser.
//
// Tokenizes the whole script once and walks its commands. Module bodies are not parsed here:
// a text module is skipped with balanced parentheses and kept as source text, so a malformed
// module only fails when the runner encodes it (as assert_malformed expects).
#include "decoder/text/wast.h"

#include "decoder/text/numbers.h"
#include "decoder/text/wat_parser.h"

namespace zinc::decoder::text {
namespace {

// `(either ...)` patterns nest by recursion; the suites never nest them, so a small bound keeps
// hostile scripts from overflowing the stack.
constexpr uint32_t kMaxEitherDepth = 100;

class WastParser {
 public:
  WastParser(std::string_view src, const std::vector<Token>& tokens)
      : src_(src), toks_(tokens) {}

  TextResult<Script> run() {
    Script script;
    if (starts_with_module_field()) {
      // A script made of bare module fields is one module (inline-module.wast).
      Command c;
      c.line = peek().pos.line;
      c.has_module = true;
      c.module.text = std::string(src_);
      script.commands.push_back(std::move(c));
      return script;
    }
    while (ok() && peek().kind != TokenKind::Eof) {
      Command c;
      if (!parse_command(&c)) break;
      script.commands.push_back(std::move(c));
    }
    if (error_) return Unexpected<TextError>{std::move(*error_)};
    return script;
  }

 private:
  const Token& peek(size_t k = 0) const {
    size_t i = pos_ + k;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ < toks_.size() - 1) ++pos_;
    return t;
  }
  bool ok() const { return !error_; }
  bool starts_with_module_field() const {
    static constexpr std::string_view kFields[] = {"type",  "rec",    "import", "func",
                                                   "table", "memory", "tag",    "global",
                                                   "export", "start", "elem",   "data"};
    if (peek().kind != TokenKind::LParen || peek(1).kind != TokenKind::Keyword) return false;
    for (std::string_view f : kFields) {
      if (peek(1).text == f) return true;
    }
    return false;
  }
  bool fail(ErrorCode code, const Token& t, std::string detail = {}) {
    if (!error_) error_ = TextError{code, t.pos, {}, std::move(detail)};
    return false;
  }
  bool unexpected(const Token& t) {
    return fail(t.kind == TokenKind::Keyword || t.kind == TokenKind::Reserved
                    ? ErrorCode::UnknownOperator
                    : ErrorCode::UnexpectedToken,
                t, std::string(t.text));
  }
  bool expect(TokenKind k) {
    if (peek().kind != k) return unexpected(peek());
    next();
    return true;
  }
  bool at_lparen_keyword(std::string_view kw) const {
    return peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword &&
           peek(1).text == kw;
  }
  bool at_keyword(std::string_view kw) const {
    return peek().kind == TokenKind::Keyword && peek().text == kw;
  }
  size_t offset_of(const Token& t) const {
    return static_cast<size_t>(t.text.data() - src_.data());
  }

  // Skips a balanced list starting at `(`; returns the index of its `)`.
  bool skip_balanced(size_t* close) {
    if (!expect(TokenKind::LParen)) return false;
    uint32_t depth = 1;
    while (peek().kind != TokenKind::Eof) {
      const Token& t = next();
      if (t.kind == TokenKind::LParen) ++depth;
      if (t.kind == TokenKind::RParen && --depth == 0) {
        *close = pos_ - 1;
        return true;
      }
    }
    return unexpected(peek());
  }

  bool parse_string(std::string* out) {
    if (peek().kind != TokenKind::String) return unexpected(peek());
    *out = decode_string(next().text);
    return true;
  }

  // `(module $id? [definition] (binary|quote) string* | field*)`, or the same with `component`.
  bool parse_module(ScriptModule* m) {
    const Token& open = peek();
    m->pos = open.pos;
    next();
    m->component = next().text == "component";  // else `module`
    if (at_keyword("definition")) {
      m->definition = true;
      next();
    }
    if (peek().kind == TokenKind::Id) m->id = std::string(next().text);
    if (at_keyword("binary") || at_keyword("quote")) {
      m->format = next().text == "binary" ? ModuleFormat::Binary : ModuleFormat::Quote;
      while (peek().kind == TokenKind::String) {
        std::string s = decode_string(next().text);
        if (m->format == ModuleFormat::Binary) {
          m->binary.insert(m->binary.end(), s.begin(), s.end());
        } else {
          m->text += s;
          m->text += ' ';
        }
      }
      return expect(TokenKind::RParen);
    }
    m->format = ModuleFormat::Text;
    const Token& first = peek();
    size_t begin = offset_of(first);
    m->pos = first.pos;
    uint32_t depth = 1;
    while (true) {
      const Token& t = peek();
      if (t.kind == TokenKind::Eof) return unexpected(t);
      if (t.kind == TokenKind::LParen) ++depth;
      if (t.kind == TokenKind::RParen && --depth == 0) {
        m->text = std::string(src_.substr(begin, offset_of(t) - begin));
        next();
        return true;
      }
      next();
    }
  }

  bool parse_value(Value* v, bool expected, uint32_t depth = 0) {
    if (peek().kind == TokenKind::LParen && peek(1).kind == TokenKind::Keyword &&
        is_component_value_keyword(peek(1).text)) {
      // A component value: kept as source, parsed by component/text (see wast.h).
      v->kind = Value::Kind::Component;
      v->pos = peek().pos;
      size_t begin = offset_of(peek());
      size_t close = 0;
      if (!skip_balanced(&close)) return false;
      const Token& end = toks_[close];
      v->text = std::string(src_.substr(begin, offset_of(end) + 1 - begin));
      return true;
    }
    if (!expect(TokenKind::LParen)) return false;
    const Token& op = next();
    if (op.kind != TokenKind::Keyword) return unexpected(op);
    std::string_view name = op.text;
    auto number = [&](auto parse, Value::Kind kind) {
      const Token& t = peek();
      v->kind = kind;
      if (expected && (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
        v->nan[0] = t.text == "nan:canonical" ? Value::NanPattern::Canonical
                                              : Value::NanPattern::Arithmetic;
        next();
        return true;
      }
      if (t.kind != TokenKind::Int && t.kind != TokenKind::Float) return unexpected(t);
      auto bits = parse(t.text);
      if (!bits) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
      v->bits[0] = *bits;
      next();
      return true;
    };
    bool good = true;
    if (name == "i32.const") {
      good = peek().kind == TokenKind::Int ? number([](auto s) { return parse_int_bits(s, 32); },
                                                    Value::Kind::I32)
                                           : unexpected(peek());
    } else if (name == "i64.const") {
      good = peek().kind == TokenKind::Int ? number([](auto s) { return parse_int_bits(s, 64); },
                                                    Value::Kind::I64)
                                           : unexpected(peek());
    } else if (name == "f32.const") {
      good = number([](auto s) -> std::optional<uint64_t> {
        auto b = parse_f32_bits(s);
        if (!b) return std::nullopt;
        return *b;
      }, Value::Kind::F32);
    } else if (name == "f64.const") {
      good = number([](auto s) { return parse_f64_bits(s); }, Value::Kind::F64);
    } else if (name == "v128.const") {
      good = parse_v128(v, expected);
    } else if (name == "ref.null") {
      v->kind = Value::Kind::RefNull;
      if (expected && peek().kind == TokenKind::RParen) {
        // `(ref.null)`: the current suites' result pattern for a null of any type.
        v->heap = HeapType::abstract(HeapKind::Any);
        return expect(TokenKind::RParen);
      }
      const Token& t = next();
      if (t.text == "func" || t.text == "nofunc") {
        v->heap = HeapType::abstract(t.text == "func" ? HeapKind::Func : HeapKind::NoFunc);
      } else if (t.text == "extern" || t.text == "noextern") {
        v->heap = HeapType::abstract(t.text == "extern" ? HeapKind::Extern : HeapKind::NoExtern);
      } else if (t.text == "any" || t.text == "none") {
        v->heap = HeapType::abstract(t.text == "any" ? HeapKind::Any : HeapKind::None);
      } else if (t.text == "exn" || t.text == "noexn") {
        v->heap = HeapType::abstract(t.text == "exn" ? HeapKind::Exn : HeapKind::NoExn);
      } else if (t.kind == TokenKind::Keyword || t.kind == TokenKind::Id) {
        // Other abstract heap types and (3.0) type names: compared as "any null".
        v->heap = HeapType::abstract(HeapKind::Any);
      } else {
        good = unexpected(t);
      }
    } else if (name == "either" && expected) {
      if (depth >= kMaxEitherDepth) {
        return fail(ErrorCode::ImplementationLimit, op, "either nested too deeply");
      }
      v->kind = Value::Kind::Either;
      while (good && peek().kind == TokenKind::LParen) {
        Value alt;
        good = parse_value(&alt, true, depth + 1);
        v->either.push_back(std::move(alt));
      }
      return good && expect(TokenKind::RParen);
    } else if (name.starts_with("ref.")) {
      std::string_view kind = name.substr(4);
      v->kind = kind == "func"     ? Value::Kind::RefFunc
                : kind == "extern" ? Value::Kind::RefExtern
                : kind == "host"   ? Value::Kind::RefHost
                                   : Value::Kind::RefOther;
      v->ref_kind = std::string(kind);
      if (peek().kind == TokenKind::Int) {
        auto n = parse_uint(peek().text);
        if (!n || *n > UINT32_MAX) return fail(ErrorCode::ConstantOutOfRange, peek());
        v->has_index = true;
        v->index = static_cast<uint32_t>(*n);
        next();
      }
    } else {
      return unexpected(op);
    }
    return good && expect(TokenKind::RParen);
  }

  bool parse_v128(Value* v, bool expected) {
    v->kind = Value::Kind::V128;
    const Token& shape = next();
    unsigned lanes = 0, bits = 0;
    bool is_float = false;
    if (shape.text == "i8x16") lanes = 16, bits = 8;
    if (shape.text == "i16x8") lanes = 8, bits = 16;
    if (shape.text == "i32x4") lanes = 4, bits = 32;
    if (shape.text == "i64x2") lanes = 2, bits = 64;
    if (shape.text == "f32x4") lanes = 4, bits = 32, is_float = true;
    if (shape.text == "f64x2") lanes = 2, bits = 64, is_float = true;
    if (lanes == 0) return unexpected(shape);
    v->lane_shape = static_cast<uint8_t>(lanes);
    v->lane_float = is_float;
    for (unsigned i = 0; i < lanes; ++i) {
      const Token& t = peek();
      uint64_t lane = 0;
      if (expected && is_float && (t.text == "nan:canonical" || t.text == "nan:arithmetic")) {
        v->nan[i] = t.text == "nan:canonical" ? Value::NanPattern::Canonical
                                              : Value::NanPattern::Arithmetic;
        next();
        continue;
      }
      std::optional<uint64_t> b;
      if (t.kind == TokenKind::Int || (is_float && t.kind == TokenKind::Float)) {
        if (!is_float) {
          b = parse_int_bits(t.text, bits);
        } else if (bits == 32) {
          auto f = parse_f32_bits(t.text);
          if (f) b = *f;
        } else {
          b = parse_f64_bits(t.text);
        }
      } else {
        return unexpected(t);
      }
      if (!b) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
      lane = *b;
      next();
      unsigned bit = i * bits;
      v->bits[bit / 64] |= lane << (bit % 64);
    }
    return true;
  }

  bool parse_action(Action* a) {
    if (!expect(TokenKind::LParen)) return false;
    const Token& kw = next();
    if (kw.text == "invoke") {
      a->kind = Action::Kind::Invoke;
    } else if (kw.text == "get") {
      a->kind = Action::Kind::Get;
    } else {
      return unexpected(kw);
    }
    if (peek().kind == TokenKind::Id) a->module = std::string(next().text);
    if (!parse_string(&a->name)) return false;
    while (ok() && peek().kind == TokenKind::LParen) {
      Value v;
      if (!parse_value(&v, false)) return false;
      a->args.push_back(std::move(v));
    }
    return expect(TokenKind::RParen);
  }

  bool parse_message(Command* c) { return parse_string(&c->message); }

  bool parse_command(Command* c) {
    const Token& open = peek();
    c->line = open.pos.line;
    if (open.kind != TokenKind::LParen) return unexpected(open);
    const Token& kw = peek(1);
    std::string_view k = kw.text;
    if (kw.kind != TokenKind::Keyword) return unexpected(kw);
    if (k == "module" || k == "component") {
      if (peek(2).kind == TokenKind::Keyword && peek(2).text == "instance") {
        c->kind = CommandKind::ModuleInstance;
        c->module.component = k == "component";
        pos_ += 3;
        if (peek().kind == TokenKind::Id) c->instance_id = std::string(next().text);
        if (peek().kind == TokenKind::Id) c->module_ref = std::string(next().text);
        return expect(TokenKind::RParen);
      }
      c->kind = CommandKind::Module;
      c->has_module = true;
      return parse_module(&c->module);
    }
    if (k == "invoke" || k == "get") {
      c->kind = CommandKind::Action;
      return parse_action(&c->action);
    }
    pos_ += 2;
    if (k == "register") {
      c->kind = CommandKind::Register;
      if (!parse_string(&c->register_name)) return false;
      if (peek().kind == TokenKind::Id) c->instance_id = std::string(next().text);
      return expect(TokenKind::RParen);
    }
    if (k == "assert_return") {
      c->kind = CommandKind::AssertReturn;
      if (!parse_action(&c->action)) return false;
      while (ok() && peek().kind == TokenKind::LParen) {
        Value v;
        if (!parse_value(&v, true)) return false;
        c->expected.push_back(std::move(v));
      }
      return expect(TokenKind::RParen);
    }
    struct Assert {
      std::string_view name;
      CommandKind kind;
      bool module_allowed;
      bool action_allowed;
      bool has_message;
    };
    static constexpr Assert kAsserts[] = {
        {"assert_trap", CommandKind::AssertTrap, true, true, true},
        {"assert_exhaustion", CommandKind::AssertExhaustion, false, true, true},
        {"assert_exception", CommandKind::AssertException, false, true, false},
        {"assert_invalid", CommandKind::AssertInvalid, true, false, true},
        {"assert_malformed", CommandKind::AssertMalformed, true, false, true},
        {"assert_unlinkable", CommandKind::AssertUnlinkable, true, false, true},
        {"assert_uninstantiable", CommandKind::AssertUninstantiable, true, false, true},
        {"assert_malformed_custom", CommandKind::AssertMalformed, true, false, true},
        {"assert_invalid_custom", CommandKind::AssertInvalid, true, false, true},
    };
    for (const Assert& a : kAsserts) {
      if (a.name != k) continue;
      c->kind = a.kind;
      c->custom_annotation = k.ends_with("_custom");
      if (a.module_allowed && (at_lparen_keyword("module") || at_lparen_keyword("component"))) {
        c->has_module = true;
        if (!parse_module(&c->module)) return false;
      } else if (a.action_allowed) {
        if (!parse_action(&c->action)) return false;
      } else {
        return unexpected(peek());
      }
      if (a.has_message && !parse_message(c)) return false;
      return expect(TokenKind::RParen);
    }
    return unexpected(kw);
  }

  std::string_view src_;
  const std::vector<Token>& toks_;
  size_t pos_ = 0;
  std::optional<TextError> error_;
};

}  // namespace

bool is_component_value_keyword(std::string_view keyword) {
  // The component values of WAST scripts (wasm-tools' `WastVal`); f32.const and f64.const are
  // parsed as core values and converted by component/text.
  static constexpr std::string_view kKeywords[] = {
      "bool.const", "u8.const",    "s8.const",    "u16.const",     "s16.const",
      "u32.const",  "s32.const",   "u64.const",   "s64.const",     "char.const",
      "str.const",  "list.const",  "record.const", "tuple.const",  "variant.const",
      "enum.const", "option.none", "option.some", "result.ok",     "result.err",
      "flags.const"};
  for (std::string_view k : kKeywords) {
    if (k == keyword) return true;
  }
  return false;
}

TextResult<std::vector<uint8_t>> encode_script_module(const ScriptModule& m,
                                                      std::string_view filename) {
  if (m.component) {
    return Unexpected<TextError>{TextError{ErrorCode::UnexpectedToken, m.pos,
                                           std::string(filename),
                                           "a component (use component::text)"}};
  }
  switch (m.format) {
    case ModuleFormat::Binary:
      return m.binary;
    case ModuleFormat::Quote:
      return wat_to_binary(m.text, filename);
    case ModuleFormat::Text:
      return wat_to_binary(m.text, filename, m.pos);
  }
  return m.binary;
}

TextResult<Script> parse_wast(std::string_view text, std::string_view filename) {
  auto tokens = tokenize(text);
  if (!tokens) {
    TextError e = tokens.error();
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  }
  auto r = WastParser(text, *tokens).run();
  if (!r) {
    TextError e = r.error();
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  }
  return r;
}

}  // namespace zinc::decoder::text

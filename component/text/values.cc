// component/text/values.cc: WAST component values to Val trees and script components to
// binaries (see values.h).
#include "component/text/values.h"

#include "decoder/reader.h"
#include "decoder/text/numbers.h"

namespace zinc::component::text {

namespace {

using decoder::ErrorCode;
using decoder::text::TokenKind;

// Integer kinds: keyword, Val kind, width, signed.
struct IntKind {
  std::string_view keyword;
  ValKind kind;
  unsigned bits;
  bool is_signed;
};
constexpr IntKind kIntKinds[] = {
    {"u8.const", ValKind::U8, 8, false},    {"s8.const", ValKind::S8, 8, true},
    {"u16.const", ValKind::U16, 16, false}, {"s16.const", ValKind::S16, 16, true},
    {"u32.const", ValKind::U32, 32, false}, {"s32.const", ValKind::S32, 32, true},
    {"u64.const", ValKind::U64, 64, false}, {"s64.const", ValKind::S64, 64, true},
};

// Decodes the single Unicode scalar value of `s`, or returns false.
bool single_scalar(const std::string& s, uint32_t* out) {
  auto p = reinterpret_cast<const uint8_t*>(s.data());
  if (s.empty() || !decoder::is_valid_utf8(p, s.size())) return false;
  size_t len = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
  if (len != s.size()) return false;
  static constexpr uint8_t kMask[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t c = p[0] & kMask[len];
  for (size_t i = 1; i < len; ++i) c = (c << 6) | (p[i] & 0x3F);
  *out = c;
  return true;
}

class ValueParser {
 public:
  explicit ValueParser(const std::vector<Token>& toks) : toks_(toks) {}

  TextResult<Val> run() {
    Val v;
    if (parse(&v, 0) && peek().kind != TokenKind::Eof) unexpected(peek());
    if (error_) return Unexpected<TextError>{std::move(*error_)};
    return v;
  }

 private:
  const Token& peek(size_t k = 0) const {
    return pos_ + k < toks_.size() ? toks_[pos_ + k] : toks_.back();
  }
  const Token& next() {
    const Token& t = peek();
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  bool fail(ErrorCode code, const Token& t, std::string detail) {
    if (!error_) error_ = TextError{code, t.pos, {}, std::move(detail)};
    return false;
  }
  bool unexpected(const Token& t) {
    return fail(ErrorCode::UnexpectedToken, t,
                t.kind == TokenKind::Eof ? "end of text" : std::string(t.text));
  }
  bool expect(TokenKind k) {
    if (peek().kind != k) return unexpected(peek());
    next();
    return true;
  }
  bool string(std::string* out) {
    const Token& t = peek();
    if (t.kind != TokenKind::String) return unexpected(t);
    *out = decoder::text::decode_string(next().text);
    if (!decoder::is_valid_utf8(reinterpret_cast<const uint8_t*>(out->data()), out->size())) {
      return fail(ErrorCode::MalformedUtf8, t, "");
    }
    return true;
  }
  // Values until `)`, each parenthesized.
  bool list(std::vector<Val>* out, uint32_t depth) {
    while (peek().kind == TokenKind::LParen) {
      Val v;
      if (!parse(&v, depth + 1)) return false;
      out->push_back(std::move(v));
    }
    return !error_;
  }
  bool optional_payload(std::vector<Val>* out, uint32_t depth) {
    if (peek().kind != TokenKind::LParen) return true;
    Val v;
    if (!parse(&v, depth + 1)) return false;
    out->push_back(std::move(v));
    return true;
  }

  bool parse(Val* v, uint32_t depth) {
    const Token& open = peek();
    if (depth >= kMaxTextNesting) {
      return fail(ErrorCode::ImplementationLimit, open, "component value nested too deeply");
    }
    return expect(TokenKind::LParen) && parse_bare(v, depth) && expect(TokenKind::RParen);
  }

  // A value without its parentheses: `kind.const ...` (how record fields write theirs).
  bool parse_bare(Val* v, uint32_t depth) {
    const Token& kw = next();
    if (kw.kind != TokenKind::Keyword) return unexpected(kw);
    return parse_body(kw.text, kw, v, depth);
  }

  bool parse_body(std::string_view k, const Token& kw, Val* v, uint32_t depth) {
    for (const IntKind& ik : kIntKinds) {
      if (ik.keyword != k) continue;
      const Token& t = peek();
      if (t.kind != TokenKind::Int) return unexpected(t);
      bool negative = t.text.starts_with("-");
      auto bits = decoder::text::parse_int_bits(t.text, ik.bits);
      if (!bits || (negative && !ik.is_signed)) {
        return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
      }
      uint64_t b = *bits;
      if (ik.is_signed && ik.bits < 64 && (b >> (ik.bits - 1)) & 1) b |= ~uint64_t{0} << ik.bits;
      *v = Val::u64(b);
      v->kind = ik.kind;
      next();
      return true;
    }
    if (k == "bool.const") {
      const Token& t = next();
      if (t.text != "true" && t.text != "false") return unexpected(t);
      *v = Val::boolean(t.text == "true");
      return true;
    }
    if (k == "f32.const" || k == "f64.const") {
      const Token& t = peek();
      if (t.kind != TokenKind::Int && t.kind != TokenKind::Float) return unexpected(t);
      if (k == "f32.const") {
        auto b = decoder::text::parse_f32_bits(t.text);
        if (!b) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
        *v = Val::u32(*b);
        v->kind = ValKind::F32;
      } else {
        auto b = decoder::text::parse_f64_bits(t.text);
        if (!b) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
        *v = Val::u64(*b);
        v->kind = ValKind::F64;
      }
      next();
      return true;
    }
    if (k == "char.const") {
      const Token& t = peek();
      std::string s;
      uint32_t c = 0;
      if (!string(&s)) return false;
      if (!single_scalar(s, &c)) {
        return fail(ErrorCode::UnexpectedToken, t, "char.const needs exactly one character");
      }
      *v = Val::character(c);
      return true;
    }
    if (k == "str.const") {
      std::string s;
      if (!string(&s)) return false;
      *v = Val::string(std::move(s));
      return true;
    }
    if (k == "list.const" || k == "tuple.const") {
      std::vector<Val> items;
      if (!list(&items, depth)) return false;
      *v = k == "list.const" ? Val::list(std::move(items)) : Val::tuple(std::move(items));
      return true;
    }
    if (k == "record.const") {
      std::vector<std::string> names;
      std::vector<Val> items;
      while (peek().kind == TokenKind::LParen) {
        next();
        const Token& f = next();
        if (f.kind != TokenKind::Keyword || f.text != "field") return unexpected(f);
        // `(field "name" kind.const ...)`; a parenthesized value is accepted too.
        std::string name;
        Val item;
        if (!string(&name)) return false;
        bool good = peek().kind == TokenKind::LParen ? parse(&item, depth + 1)
                                                     : parse_bare(&item, depth + 1);
        if (!good || !expect(TokenKind::RParen)) return false;
        names.push_back(std::move(name));
        items.push_back(std::move(item));
      }
      *v = Val::record(std::move(names), std::move(items));
      return !error_;
    }
    if (k == "variant.const") {
      std::string label;
      std::vector<Val> payload;
      if (!string(&label) || !optional_payload(&payload, depth)) return false;
      *v = Val::variant(std::move(label), std::move(payload));
      return true;
    }
    if (k == "enum.const") {
      std::string label;
      if (!string(&label)) return false;
      *v = Val::enumeration(std::move(label));
      return true;
    }
    if (k == "option.none") {
      *v = Val::option({});
      return true;
    }
    if (k == "option.some") {
      std::vector<Val> payload;
      if (peek().kind != TokenKind::LParen) return unexpected(peek());
      if (!optional_payload(&payload, depth)) return false;
      *v = Val::option(std::move(payload));
      return true;
    }
    if (k == "result.ok" || k == "result.err") {
      std::vector<Val> payload;
      if (!optional_payload(&payload, depth)) return false;
      *v = Val::result(k == "result.ok", std::move(payload));
      return true;
    }
    if (k == "flags.const") {
      std::vector<std::string> set;
      while (peek().kind == TokenKind::String) {
        std::string s;
        if (!string(&s)) return false;
        set.push_back(std::move(s));
      }
      *v = Val::flags(std::move(set));
      return true;
    }
    return fail(ErrorCode::UnknownOperator, kw, std::string(k));
  }

  const std::vector<Token>& toks_;
  size_t pos_ = 0;
  std::optional<TextError> error_;
};

}  // namespace

TextResult<Val> parse_component_value(std::string_view text, Position start) {
  auto tokens = decoder::text::tokenize(text, start);
  if (!tokens) return Unexpected<TextError>{tokens.error()};
  return ValueParser(*tokens).run();
}

TextResult<Val> script_value(const decoder::text::Value& v, std::string_view filename) {
  using Kind = decoder::text::Value::Kind;
  TextResult<Val> r = Val{};
  if (v.kind == Kind::Component) {
    r = parse_component_value(v.text, v.pos);
  } else if (v.kind == Kind::F32 && v.nan[0] == decoder::text::Value::NanPattern::None) {
    Val f = Val::u32(static_cast<uint32_t>(v.bits[0]));
    f.kind = ValKind::F32;
    r = f;
  } else if (v.kind == Kind::F64 && v.nan[0] == decoder::text::Value::NanPattern::None) {
    Val f = Val::u64(v.bits[0]);
    f.kind = ValKind::F64;
    r = f;
  } else {
    r = Unexpected<TextError>{TextError{
        ErrorCode::UnexpectedToken, v.pos, {}, "core value where a component value is expected"}};
  }
  if (!r) {
    TextError e = r.error();
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  }
  return r;
}

TextResult<std::vector<uint8_t>> encode_script_component(const decoder::text::ScriptModule& m,
                                                         std::string_view filename) {
  using decoder::text::ModuleFormat;
  TextResult<std::vector<uint8_t>> r = m.binary;
  switch (m.format) {
    case ModuleFormat::Binary:
      return m.binary;
    case ModuleFormat::Quote:
      r = component_wat_to_binary(m.text, filename);
      break;
    case ModuleFormat::Text: {
      auto tokens = decoder::text::tokenize(m.text, m.pos);
      if (!tokens) {
        r = Unexpected<TextError>{tokens.error()};
      } else {
        r = encode_component_tokens(*tokens, m.id);
      }
      break;
    }
  }
  if (!r) {
    TextError e = r.error();
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  }
  return r;
}

}  // namespace zinc::component::text

// decoder/text/parser.cc: WatParser cursor, errors, identifier binding and the module driver,
// plus the public entry points of wat_parser.h.
#include <bit>

#include "decoder/reader.h"
#include "decoder/text/numbers.h"
#include "decoder/text/parser.h"
#include "decoder/text/wat_parser.h"

namespace zinc::decoder::text {

WatParser::WatParser(std::span<const Token> tokens)
    : tokens_(tokens.data()), end_(tokens.size()) {
  // Trailing Eof tokens are not part of the module.
  while (end_ > 0 && tokens_[end_ - 1].kind == TokenKind::Eof) --end_;
  eof_.kind = TokenKind::Eof;
  if (!tokens.empty()) eof_.pos = tokens.back().pos;
}

bool WatParser::fail(ErrorCode code, const Token& t, std::string detail) {
  if (!error_) error_ = TextError{code, t.pos, {}, std::move(detail)};
  pos_ = end_;
  return false;
}

// Keywords of the text format other than instruction mnemonics. A keyword out of place is an
// "unexpected token" when it is one of these or a mnemonic, else an "unknown operator".
bool is_known_keyword(std::string_view t) {
  static constexpr std::string_view kKeywords[] = {
      "module", "type", "func", "param", "result", "local", "global", "table", "memory",
      "elem", "data", "import", "export", "start", "mut", "offset", "item", "declare", "then",
      "else", "end", "funcref", "externref", "extern", "ref", "null", "i32", "i64", "f32",
      "f64", "v128", "i8x16", "i16x8", "i32x4", "i64x2", "f32x4", "f64x2", "shared",
      "nan:canonical", "nan:arithmetic", "binary", "quote", "definition", "instance", "inf",
      "nan", "rec", "sub", "final", "struct", "array", "field", "any", "eq", "i31", "none",
      "nofunc", "noextern", "anyref", "eqref", "i31ref", "structref", "arrayref", "nullref",
      "nullfuncref", "nullexternref", "exn", "exnref", "noexn", "nullexnref", "tag", "i8", "i16",
      "pagesize", "do", "catch_ref", "catch_all_ref", "exact", "describes", "descriptor"};
  for (std::string_view k : kKeywords) {
    if (k == t) return true;
  }
  return t.starts_with("offset=") || t.starts_with("align=") || is_instruction_keyword(t);
}

bool WatParser::fail_unexpected(const Token& t) {
  // The reference lexer reports tokens it cannot classify (malformed numbers, unknown
  // keywords) as unknown operators; anything else out of place is an unexpected token.
  if (t.kind == TokenKind::Reserved ||
      (t.kind == TokenKind::Keyword && !is_known_keyword(t.text))) {
    return fail(ErrorCode::UnknownOperator, t, std::string(t.text));
  }
  return fail(ErrorCode::UnexpectedToken, t,
              t.kind == TokenKind::Eof ? std::string("end of text") : std::string(t.text));
}

bool WatParser::expect(TokenKind k) {
  if (peek().kind != k) return fail_unexpected(peek());
  ++pos_;
  return true;
}

bool WatParser::expect_keyword(std::string_view kw) {
  if (!at_keyword(kw)) return fail_unexpected(peek());
  ++pos_;
  return true;
}

bool WatParser::expect_lparen_keyword(std::string_view kw) {
  if (!at(TokenKind::LParen)) return fail_unexpected(peek());
  if (!(peek(1).kind == TokenKind::Keyword && peek(1).text == kw)) return fail_unexpected(peek(1));
  pos_ += 2;
  return true;
}

bool WatParser::skip_balanced() {
  if (!expect(TokenKind::LParen)) return false;
  uint32_t depth = 1;
  while (pos_ < end_) {
    TokenKind k = tokens_[pos_++].kind;
    if (k == TokenKind::LParen) {
      ++depth;
    } else if (k == TokenKind::RParen && --depth == 0) {
      return true;
    }
  }
  return fail_unexpected(eof_);
}

std::string_view WatParser::key(const Token& id) {
  if (id.text.size() >= 2 && id.text[1] == '"') {
    arena_.push_back(id_name(id.text));
    return arena_.back();
  }
  return id.text.substr(1);
}

bool WatParser::bind(IndexSpace& space, const Token& id, uint32_t index, ErrorCode duplicate) {
  std::string_view k = key(id);
  auto [it, inserted] = space.names.try_emplace(std::string(k), index);
  if (!inserted) return fail(duplicate, id, std::string(id.text));
  return true;
}

bool WatParser::parse_u32(uint32_t* out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Int) return fail_unexpected(t);
  auto v = parse_uint(t.text);
  if (!v || *v > UINT32_MAX) return fail(ErrorCode::I32ConstantOutOfRange, t, std::string(t.text));
  *out = static_cast<uint32_t>(*v);
  ++pos_;
  return true;
}

bool WatParser::parse_index(const IndexSpace& space, ErrorCode unknown, uint32_t* out) {
  const Token& t = peek();
  if (t.kind == TokenKind::Int) return parse_u32(out);
  if (t.kind != TokenKind::Id) return fail_unexpected(t);
  auto it = space.names.find(key(t));
  if (it == space.names.end()) return fail(unknown, t, std::string(t.text));
  *out = it->second;
  ++pos_;
  return true;
}

bool WatParser::parse_string(std::string* out) {
  if (!at(TokenKind::String)) return fail_unexpected(peek());
  *out = decode_string(next().text);
  return true;
}

bool WatParser::parse_name(std::string* out) {
  const Token& t = peek();
  if (!parse_string(out)) return false;
  if (!is_valid_utf8(reinterpret_cast<const uint8_t*>(out->data()), out->size())) {
    return fail(ErrorCode::MalformedUtf8, t);
  }
  return true;
}

TextResult<std::vector<uint8_t>> WatParser::run() {
  size_t fields_end = end_;
  bool wrapped = at_lparen_keyword("module");
  if (wrapped) {
    pos_ += 2;
    if (at(TokenKind::Id)) ++pos_;
    if (at_keyword("binary") || at_keyword("quote")) {
      fail(ErrorCode::UnexpectedToken, peek(), "binary and quote modules belong to scripts");
    }
    // Find the module's closing parenthesis; nothing may follow it.
    uint32_t depth = 1;
    size_t i = pos_;
    for (; i < end_ && depth > 0; ++i) {
      if (tokens_[i].kind == TokenKind::LParen) ++depth;
      if (tokens_[i].kind == TokenKind::RParen) --depth;
    }
    if (depth > 0) {
      fail_unexpected(eof_);
    } else if (i < end_) {
      fail_unexpected(tokens_[i]);
    }
    fields_end = i - 1;
  }
  size_t first_field = pos_;
  if (ok()) scan_fields(fields_end);
  field_names_.resize(types_.count);
  for (size_t p : type_fields_) {
    if (!ok()) break;
    pos_ = p;
    parse_type_field();
  }
  if (ok()) {
    pos_ = first_field;
    parse_fields();
  }
  if (error_) return Unexpected<TextError>{std::move(*error_)};
  return enc_.finish();
}

TextResult<std::vector<uint8_t>> encode_module_tokens(std::span<const Token> tokens) {
  WatParser p(tokens);
  return p.run();
}

bool looks_like_text_module(std::span<const uint8_t> bytes) {
  std::string_view s(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (s.starts_with(std::string_view("\0asm", 4))) return false;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (s.substr(i, 2) == ";;") {
      while (i < s.size() && s[i] != '\n' && s[i] != '\r') ++i;
    } else if (s.substr(i, 2) == "(;") {
      // A block comment (nested); if it never closes, the lexer reports that.
      uint32_t depth = 0;
      do {
        if (s.substr(i, 2) == "(;") {
          ++depth;
          i += 2;
        } else if (s.substr(i, 2) == ";)") {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (depth > 0 && i < s.size());
      if (depth > 0) return true;
    } else {
      return c == '(';
    }
  }
  return false;
}

TextResult<std::vector<uint8_t>> wat_to_binary(std::string_view text, std::string_view filename,
                                               Position start) {
  auto tokens = tokenize(text, start);
  if (!tokens) {
    TextError e = tokens.error();
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  }
  auto r = encode_module_tokens(*tokens);
  if (!r) {
    TextError e = r.error();
    e.file = filename;
    return Unexpected<TextError>{std::move(e)};
  }
  return r;
}

}  // namespace zinc::decoder::text

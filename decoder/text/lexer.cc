// decoder/text/lexer.cc: the text-format tokenizer.
//
// One linear pass over the source with a character-class table; no allocation besides the
// token vector. Positions are tracked per token (the column counts bytes, as wabt does).
// Spec: https://webassembly.github.io/spec/core/text/lexical.html
#include "decoder/text/lexer.h"

#include <array>

#include "decoder/reader.h"

namespace zinc::decoder::text {
namespace {

constexpr std::array<bool, 256> make_idchar_table() {
  std::array<bool, 256> t{};
  for (int c = '0'; c <= '9'; ++c) t[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) t[c] = true;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] = true;
  for (char c : std::string_view("!#$%&'*+-./:<=>?@\\^_`|~")) t[static_cast<uint8_t>(c)] = true;
  return t;
}
constexpr std::array<bool, 256> kIdChar = make_idchar_table();

bool is_digit(char c) { return c >= '0' && c <= '9'; }
// Characters that form reserved tokens besides idchars (`,` `;` `[` `]` `{` `}`); they can only
// appear inside annotations, which are skipped token by token.
bool is_reserved_punct(char c) {
  return c == ',' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}';
}
bool is_hex_digit(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_value(char c) {
  if (is_digit(c)) return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// Consumes `digit ('_'? digit)*` from s[i]; returns false when no digit is there or a `_` is
// not followed by a digit.
bool scan_digits(std::string_view s, size_t& i, bool hex) {
  auto ok = [&](char c) { return hex ? is_hex_digit(c) : is_digit(c); };
  if (i >= s.size() || !ok(s[i])) return false;
  ++i;
  while (i < s.size()) {
    if (s[i] == '_') {
      if (i + 1 >= s.size() || !ok(s[i + 1])) return false;
      i += 2;
    } else if (ok(s[i])) {
      ++i;
    } else {
      break;
    }
  }
  return true;
}

// Int, Float or Reserved for a run of idchars that starts with a digit, sign or `inf`/`nan`.
TokenKind classify_number(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::string_view rest = s.substr(i);
  if (rest == "inf" || rest == "nan") return TokenKind::Float;
  if (rest.starts_with("nan:0x")) {
    size_t j = i + 6;
    return scan_digits(s, j, true) && j == s.size() ? TokenKind::Float : TokenKind::Reserved;
  }
  bool hex = rest.starts_with("0x");
  if (hex) i += 2;
  if (!scan_digits(s, i, hex)) return TokenKind::Reserved;
  if (i == s.size()) return TokenKind::Int;
  if (s[i] == '.') {
    ++i;
    if (i < s.size() && (hex ? is_hex_digit(s[i]) : is_digit(s[i]))) {
      if (!scan_digits(s, i, hex)) return TokenKind::Reserved;
    }
    if (i == s.size()) return TokenKind::Float;
  }
  char e = s[i];
  bool is_exp = hex ? (e == 'p' || e == 'P') : (e == 'e' || e == 'E');
  if (!is_exp) return TokenKind::Reserved;
  ++i;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  if (!scan_digits(s, i, false)) return TokenKind::Reserved;
  return i == s.size() ? TokenKind::Float : TokenKind::Reserved;
}

class Lexer {
 public:
  Lexer(std::string_view src, Position start) : src_(src), line_(start.line) {
    // Column of offset 0 is start.col: line_start_ is "virtually" before the text.
    line_start_ = -static_cast<int64_t>(start.col - 1);
  }

  TextResult<std::vector<Token>> run() {
    std::vector<Token> tokens;
    tokens.reserve(src_.size() / 4 + 2);
    while (true) {
      if (!skip_space()) return Unexpected<TextError>{std::move(error_)};
      Token t;
      t.pos = here();
      if (pos_ >= src_.size()) {
        t.kind = TokenKind::Eof;
        tokens.push_back(t);
        return tokens;
      }
      char c = src_[pos_];
      if (c == '(') {
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '@') {
          if (!skip_annotation()) return Unexpected<TextError>{std::move(error_)};
          continue;
        }
        t.kind = TokenKind::LParen;
        t.text = src_.substr(pos_++, 1);
      } else if (c == ')') {
        t.kind = TokenKind::RParen;
        t.text = src_.substr(pos_++, 1);
      } else if (c == '"') {
        size_t begin = pos_;
        if (!scan_string()) return Unexpected<TextError>{std::move(error_)};
        t.kind = TokenKind::String;
        t.text = src_.substr(begin, pos_ - begin);
        if (!glue(t, begin)) return Unexpected<TextError>{std::move(error_)};
      } else if (kIdChar[static_cast<uint8_t>(c)]) {
        size_t begin = pos_;
        if (c == '$' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '"') {
          ++pos_;
          if (!scan_string()) {
            // The reference lexer reads `$` before a string that is not a string token (a raw
            // control character inside) as a lone `$`: an empty identifier.
            if (error_.code == ErrorCode::UnexpectedToken) {
              return fail(t.pos, ErrorCode::EmptyIdentifier);
            }
            return Unexpected<TextError>{std::move(error_)};
          }
          if (pos_ - begin == 3) return fail(t.pos, ErrorCode::EmptyIdentifier);
          // A quoted identifier is a name: its bytes (escapes resolved) must be UTF-8.
          std::string name = decode_string(src_.substr(begin + 1, pos_ - begin - 1));
          if (!is_valid_utf8(reinterpret_cast<const uint8_t*>(name.data()), name.size())) {
            return fail(t.pos, ErrorCode::MalformedUtf8, "identifier");
          }
        } else {
          while (pos_ < src_.size() && kIdChar[static_cast<uint8_t>(src_[pos_])]) ++pos_;
        }
        t.text = src_.substr(begin, pos_ - begin);
        if (t.text == "$") return fail(t.pos, ErrorCode::EmptyIdentifier);
        t.kind = classify(t.text);
        if (!glue(t, begin)) return Unexpected<TextError>{std::move(error_)};
      } else {
        fail_character();
        return Unexpected<TextError>{std::move(error_)};
      }
      tokens.push_back(t);
    }
  }

 private:
  static TokenKind classify(std::string_view s) {
    char c = s[0];
    if (c == '$') return s.size() > 1 ? TokenKind::Id : TokenKind::Reserved;
    if (is_digit(c) || c == '+' || c == '-') return classify_number(s);
    if (s == "inf" || s == "nan" || s.starts_with("nan:0x")) return classify_number(s);
    if (c >= 'a' && c <= 'z') return TokenKind::Keyword;
    return TokenKind::Reserved;
  }

  // Tokens must be separated: a string or idchar run glued to a string (`"a""b"`, `x"a"`,
  // `"a"0`) forms one reserved token, as in the reference lexer.
  bool glue(Token& t, size_t begin) {
    bool glued = false;
    while (pos_ < src_.size() && (src_[pos_] == '"' || kIdChar[static_cast<uint8_t>(src_[pos_])])) {
      if (src_[pos_] == '"') {
        if (!scan_string()) return false;
      } else {
        while (pos_ < src_.size() && kIdChar[static_cast<uint8_t>(src_[pos_])]) ++pos_;
      }
      glued = true;
    }
    if (glued) {
      t.kind = TokenKind::Reserved;
      t.text = src_.substr(begin, pos_ - begin);
    }
    return true;
  }

  Position here() const {
    return {line_, static_cast<uint32_t>(static_cast<int64_t>(pos_) - line_start_ + 1)};
  }

  Unexpected<TextError> fail(Position p, ErrorCode code, std::string detail = {}) {
    error_ = TextError{code, p, {}, std::move(detail)};
    return {error_};
  }
  bool fail_bool(Position p, ErrorCode code, std::string detail = {}) {
    error_ = TextError{code, p, {}, std::move(detail)};
    return false;
  }

  void newline() {
    ++line_;
    line_start_ = static_cast<int64_t>(pos_) + 1;
  }

  // Skips whitespace and comments; false on an unterminated block comment.
  bool skip_space() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else if (c == '\n') {
        newline();
        ++pos_;
      } else if (c == ';' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ';') {
        // A line comment ends at any newline: LF, CR or CR LF.
        while (pos_ < src_.size() && src_[pos_] != '\n' && src_[pos_] != '\r') ++pos_;
      } else if (c == '(' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ';') {
        if (!skip_block_comment()) return false;
      } else {
        return true;
      }
    }
    return true;
  }

  bool skip_block_comment() {
    Position start = here();
    pos_ += 2;
    uint32_t depth = 1;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == '(' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ';') {
        ++depth;
        pos_ += 2;
      } else if (c == ';' && pos_ + 1 < src_.size() && src_[pos_ + 1] == ')') {
        pos_ += 2;
        if (--depth == 0) return true;
      } else {
        if (c == '\n') newline();
        ++pos_;
      }
    }
    return fail_bool(start, ErrorCode::UnterminatedText, "unterminated block comment");
  }

  // A character no token can hold, at pos_: malformed UTF-8, or an illegal character.
  bool fail_character() {
    uint8_t c = static_cast<uint8_t>(src_[pos_]);
    if (c >= 0x80) {
      size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      if (pos_ + len > src_.size() ||
          !is_valid_utf8(reinterpret_cast<const uint8_t*>(src_.data() + pos_), len)) {
        return fail_bool(here(), ErrorCode::MalformedUtf8);
      }
      return fail_bool(here(), ErrorCode::IllegalCharacter, "non-ASCII character");
    }
    return fail_bool(here(), ErrorCode::IllegalCharacter);
  }

  // Skips `(@id ...)` with balanced parentheses, strings and comments inside. The id follows
  // `@` directly: idchars or a non-empty string naming valid UTF-8.
  bool skip_annotation() {
    Position start = here();
    pos_ += 2;
    size_t id_begin = pos_;
    if (pos_ < src_.size() && src_[pos_] == '"') {
      if (!scan_string()) {
        // As for identifiers: `(@` before a string that is not a string token has no id.
        if (error_.code == ErrorCode::UnexpectedToken) {
          return fail_bool(start, ErrorCode::EmptyAnnotationId);
        }
        return false;
      }
      std::string id = decode_string(src_.substr(id_begin, pos_ - id_begin));
      if (!is_valid_utf8(reinterpret_cast<const uint8_t*>(id.data()), id.size())) {
        return fail_bool(start, ErrorCode::MalformedUtf8);
      }
      if (id.empty()) pos_ = id_begin;
    } else {
      while (pos_ < src_.size() && kIdChar[static_cast<uint8_t>(src_[pos_])]) ++pos_;
    }
    if (pos_ == id_begin) {
      return fail_bool(start, ErrorCode::EmptyAnnotationId);
    }
    uint32_t depth = 1;
    while (true) {
      if (!skip_space()) return false;
      if (pos_ >= src_.size()) {
        return fail_bool(start, ErrorCode::UnclosedAnnotation);
      }
      char c = src_[pos_];
      if (c == '(') {
        ++depth;
        ++pos_;
      } else if (c == ')') {
        ++pos_;
        if (--depth == 0) return true;
      } else if (c == '"') {
        if (!scan_string()) return false;
      } else if (kIdChar[static_cast<uint8_t>(c)] || is_reserved_punct(c)) {
        ++pos_;
      } else {
        return fail_character();
      }
    }
  }

  // Scans a string literal starting at the opening quote; checks escapes and UTF-8.
  bool scan_string() {
    Position start = here();
    ++pos_;
    while (true) {
      if (pos_ >= src_.size()) {
        return fail_bool(start, ErrorCode::UnclosedString);
      }
      uint8_t c = static_cast<uint8_t>(src_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\n' || c < 0x20 || c == 0x7F) {
        return fail_bool(here(), ErrorCode::UnexpectedToken, "control character in string");
      }
      if (c == '\\') {
        if (!scan_escape()) return false;
        continue;
      }
      if (c >= 0x80) {
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (pos_ + len > src_.size() ||
            !is_valid_utf8(reinterpret_cast<const uint8_t*>(src_.data() + pos_), len)) {
          return fail_bool(here(), ErrorCode::MalformedUtf8);
        }
        pos_ += len;
        continue;
      }
      ++pos_;
    }
  }

  bool scan_escape() {
    Position p = here();
    ++pos_;
    if (pos_ >= src_.size()) return fail_bool(p, ErrorCode::UnterminatedText);
    char e = src_[pos_];
    switch (e) {
      case 't': case 'n': case 'r': case '"': case '\'': case '\\': ++pos_; return true;
      case 'u': {
        ++pos_;
        if (pos_ >= src_.size() || src_[pos_] != '{') {
          return fail_bool(p, ErrorCode::UnexpectedToken, "malformed unicode escape");
        }
        ++pos_;
        size_t i = pos_;
        if (!scan_digits(src_, i, true) || i >= src_.size() || src_[i] != '}') {
          return fail_bool(p, ErrorCode::UnexpectedToken, "malformed unicode escape");
        }
        uint64_t v = 0;
        for (size_t k = pos_; k < i; ++k) {
          if (src_[k] == '_') continue;
          v = v * 16 + hex_value(src_[k]);
          if (v >= 0x110000) break;
        }
        if (v >= 0x110000 || (v >= 0xD800 && v < 0xE000)) {
          return fail_bool(p, ErrorCode::UnexpectedToken, "invalid unicode scalar value");
        }
        pos_ = i + 1;
        return true;
      }
      default:
        if (pos_ + 1 < src_.size() && is_hex_digit(e) && is_hex_digit(src_[pos_ + 1])) {
          pos_ += 2;
          return true;
        }
        return fail_bool(p, ErrorCode::UnexpectedToken, "unknown escape");
    }
  }

  std::string_view src_;
  size_t pos_ = 0;
  uint32_t line_ = 1;
  int64_t line_start_ = 0;
  TextError error_;
};

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

std::string TextError::message() const {
  std::string m(error_text(code));
  if (!detail.empty()) {
    // The spec writes "unknown operator <name>"; other errors get "<text>: <detail>".
    m += code == ErrorCode::UnknownOperator ? " " : ": ";
    m += detail;
  }
  return m;
}

std::string TextError::to_string() const {
  return (file.empty() ? std::string("<text>") : file) + ":" + std::to_string(pos.line) + ":" +
         std::to_string(pos.col) + ": " + message();
}

TextResult<std::vector<Token>> tokenize(std::string_view source, Position start) {
  return Lexer(source, start).run();
}

std::string decode_string(std::string_view t) {
  std::string out;
  if (t.size() < 2) return out;
  t = t.substr(1, t.size() - 2);
  out.reserve(t.size());
  for (size_t i = 0; i < t.size(); ++i) {
    char c = t[i];
    if (c != '\\') {
      out += c;
      continue;
    }
    char e = t[++i];
    switch (e) {
      case 't': out += '\t'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case '"': out += '"'; break;
      case '\'': out += '\''; break;
      case '\\': out += '\\'; break;
      case 'u': {
        i += 2;  // skip "u{"
        uint32_t v = 0;
        for (; t[i] != '}'; ++i) {
          if (t[i] != '_') v = v * 16 + hex_value(t[i]);
        }
        append_utf8(out, v);
        break;
      }
      default:
        out += static_cast<char>(hex_value(e) * 16 + hex_value(t[i + 1]));
        ++i;
    }
  }
  return out;
}

std::string id_name(std::string_view t) {
  if (t.size() >= 2 && t[1] == '"') return decode_string(t.substr(1));
  return std::string(t.substr(1));
}

}  // namespace zinc::decoder::text

// component/wit/lexer.cc: WIT tokens (WIT.md "Lexical structure"): whitespace, nested block
// comments, doc comments (attached to the next token), operators, keywords, `%`-escaped
// identifiers (validated as kebab-case labels), numbers/semvers and string literals.
// Invariant: every token's text is a view into the source, which outlives the tokens.
#include <algorithm>
#include <array>

#include "component/wit/ast.h"

namespace zinc::component::wit {

namespace {

// WIT.md "Keywords", sorted for binary search.
constexpr std::array<std::string_view, 43> kKeywords = {
    "as",        "async", "bool",         "borrow", "char", "constructor", "enum",   "export",
    "f32",       "f64",   "flags",        "from",   "func", "future",      "import", "include",
    "interface", "list",  "map",          "option", "own",  "package",     "record", "resource",
    "result",    "s16",   "s32",          "s64",    "s8",   "static",      "stream", "string",
    "tuple",     "type",  "u16",          "u32",    "u64",  "u8",          "use",    "variant",
    "with",      "world", "error-context"};

// The primitive types by keyword (one row per kind).
struct PrimRow {
  std::string_view name;
  ValKind kind;
};
constexpr PrimRow kPrims[] = {
    {"bool", ValKind::Bool},     {"s8", ValKind::S8},
    {"u8", ValKind::U8},         {"s16", ValKind::S16},
    {"u16", ValKind::U16},       {"s32", ValKind::S32},
    {"u32", ValKind::U32},       {"s64", ValKind::S64},
    {"u64", ValKind::U64},       {"f32", ValKind::F32},
    {"f64", ValKind::F64},       {"char", ValKind::Char},
    {"string", ValKind::String}, {"error-context", ValKind::ErrorContext},
};

bool is_lower(char c) {
  return c >= 'a' && c <= 'z';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_id_char(char c) {
  return is_lower(c) || is_upper(c) || is_digit(c) || c == '-';
}

// Explainer.md `label`: fragments joined by '-', each `[a-z][0-9a-z]*` or `[A-Z][0-9A-Z]*`.
bool is_kebab(std::string_view s) {
  if (s.empty()) return false;
  size_t i = 0;
  while (true) {
    if (i >= s.size()) return false;
    const bool lower = is_lower(s[i]);
    if (!lower && !is_upper(s[i])) return false;
    ++i;
    while (i < s.size() && s[i] != '-') {
      if (!is_digit(s[i]) && (lower ? !is_lower(s[i]) : !is_upper(s[i]))) return false;
      ++i;
    }
    if (i == s.size()) return true;
    ++i;  // '-'
  }
}

class Lexer {
 public:
  Lexer(std::string_view src, uint32_t file) : src_(src), file_(file) {}

  bool run(std::vector<Token>* out, std::string* error, Pos* error_pos) {
    while (true) {
      if (!skip_space()) break;
      Token t;
      t.pos = pos();
      t.docs = std::move(docs_);
      docs_.clear();
      if (at_ >= src_.size()) {
        out->push_back(std::move(t));
        return true;
      }
      if (!next(&t)) break;
      out->push_back(std::move(t));
    }
    *error = error_;
    *error_pos = error_pos_;
    return false;
  }

 private:
  Pos pos() const { return Pos{file_, line_, static_cast<uint32_t>(at_ - line_start_ + 1)}; }

  bool fail(std::string m) {
    if (error_.empty()) {
      error_ = std::move(m);
      error_pos_ = pos();
    }
    return false;
  }

  void advance() {
    if (src_[at_] == '\n') {
      ++line_;
      line_start_ = at_ + 1;
    }
    ++at_;
  }

  // Rejects control codes (other than \t \n \r) and bidirectional overrides (WIT.md).
  bool check_char() {
    const unsigned char c = static_cast<unsigned char>(src_[at_]);
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
      return fail("control character in WIT source");
    }
    if (c == 0xE2 && at_ + 2 < src_.size()) {
      const unsigned char c1 = static_cast<unsigned char>(src_[at_ + 1]);
      const unsigned char c2 = static_cast<unsigned char>(src_[at_ + 2]);
      if ((c1 == 0x80 && c2 >= 0xAA && c2 <= 0xAE) || (c1 == 0x81 && c2 >= 0xA6 && c2 <= 0xA9)) {
        return fail("bidirectional override character in WIT source");
      }
    }
    return true;
  }

  bool starts(std::string_view s) const { return src_.substr(at_).starts_with(s); }

  // Skips whitespace and comments, collecting doc comments. False on an error.
  bool skip_space() {
    while (at_ < src_.size()) {
      const char c = src_[at_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        advance();
      } else if (starts("//")) {
        const bool doc = starts("///") && !starts("////");
        const size_t begin = at_ + (doc ? 3 : 2);
        while (at_ < src_.size() && src_[at_] != '\n') {
          if (!check_char()) return false;
          advance();
        }
        if (doc) {
          std::string_view line = src_.substr(begin, at_ - begin);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
          docs_ += line;
          docs_ += '\n';
        }
      } else if (starts("/*")) {
        if (!block_comment()) return false;
      } else {
        return true;
      }
    }
    return true;
  }

  bool block_comment() {
    const Pos start = pos();
    const bool doc = starts("/**") && !starts("/**/") && !starts("/***");
    const size_t begin = at_ + (doc ? 3 : 2);
    advance();
    advance();
    uint32_t depth = 1;
    while (at_ < src_.size()) {
      if (starts("/*")) {
        if (++depth > kMaxNesting) return fail("block comments nested too deeply");
        advance();
        advance();
      } else if (starts("*/")) {
        advance();
        advance();
        if (--depth == 0) {
          if (doc) {
            docs_ += src_.substr(begin, at_ - 2 - begin);
            docs_ += '\n';
          }
          return true;
        }
      } else {
        if (!check_char()) return false;
        advance();
      }
    }
    error_pos_ = start;
    error_ = "unterminated block comment";
    return false;
  }

  bool next(Token* t) {
    const size_t begin = at_;
    const char c = src_[at_];
    if (c == '%' || is_lower(c) || is_upper(c)) {
      const bool escaped = c == '%';
      if (escaped) advance();
      const size_t id_begin = at_;
      // '_' is scanned too, so `a_b` is reported as one bad identifier.
      while (at_ < src_.size() && (is_id_char(src_[at_]) || src_[at_] == '_')) advance();
      t->text = src_.substr(id_begin, at_ - id_begin);
      if (!escaped && is_keyword(t->text)) {
        t->kind = Tok::Keyword;
        return true;
      }
      if (!is_kebab(t->text)) {
        error_pos_ = t->pos;
        error_ = "`" + std::string(src_.substr(begin, at_ - begin)) +
                 "` is not a valid WIT identifier (kebab-case words like `my-name`)";
        return false;
      }
      t->kind = Tok::Id;
      t->escaped = escaped;
      return true;
    }
    if (is_digit(c)) {
      while (at_ < src_.size() && (is_id_char(src_[at_]) || src_[at_] == '.' || src_[at_] == '+')) {
        advance();
      }
      // `@0.2.12.{a, b}`: a trailing '.' belongs to the `use`, not to the version.
      if (src_[at_ - 1] == '.') --at_;
      t->kind = Tok::Number;
      t->text = src_.substr(begin, at_ - begin);
      return true;
    }
    if (c == '"') return string(t);
    if (starts("->")) {
      advance();
      advance();
      t->kind = Tok::Punct;
      t->text = src_.substr(begin, 2);
      return true;
    }
    static constexpr std::string_view kPunct = "=,:;(){}<>*/.@_";
    if (kPunct.find(c) != std::string_view::npos) {
      advance();
      t->kind = Tok::Punct;
      t->text = src_.substr(begin, 1);
      return true;
    }
    if (!check_char()) return false;
    std::string shown = static_cast<unsigned char>(c) < 0x80 ? std::string(1, c) : "non-ASCII";
    return fail("unexpected character `" + shown + "`");
  }

  // A core:name-like string literal; escapes \t \n \r \" \' \\ \u{hex} and \hh are decoded.
  bool string(Token* t) {
    advance();
    while (at_ < src_.size() && src_[at_] != '"') {
      if (!check_char()) return false;
      if (src_[at_] == '\n') return fail("newline in string literal");
      if (src_[at_] == '\\') {
        advance();
        if (at_ >= src_.size()) break;
        const char e = src_[at_];
        if (e == 't' || e == 'n' || e == 'r' || e == '"' || e == '\'' || e == '\\') {
          t->decoded += e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e;
          advance();
          continue;
        }
        return fail("unsupported escape in string literal");
      }
      t->decoded += src_[at_];
      advance();
    }
    if (at_ >= src_.size()) return fail("unterminated string literal");
    advance();
    t->kind = Tok::String;  // the contents are in `decoded` (text stays empty)
    return true;
  }

  std::string_view src_;
  uint32_t file_;
  size_t at_ = 0;
  uint32_t line_ = 1;
  size_t line_start_ = 0;
  std::string docs_;
  std::string error_;
  Pos error_pos_;
};

}  // namespace

bool is_keyword(std::string_view s) {
  return std::find(kKeywords.begin(), kKeywords.end(), s) != kKeywords.end();
}

std::optional<ValKind> prim_kind(std::string_view s) {
  for (const PrimRow& r : kPrims) {
    if (r.name == s) return r.kind;
  }
  return std::nullopt;
}

bool lex(std::string_view src, uint32_t file, std::vector<Token>* out, std::string* error,
         Pos* error_pos) {
  return Lexer(src, file).run(out, error, error_pos);
}

}  // namespace zinc::component::wit

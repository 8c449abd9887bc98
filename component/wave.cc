// component/wave.cc: type-directed WAVE parser (wave.h).
#include "component/wave.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

namespace zinc::component {

namespace {

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

void append_utf8(std::string& s, uint32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Parser {
 public:
  explicit Parser(std::string_view text) : s_(text) {}

  Result<Val> value(TypeRef t, int depth = 0) {
    if (depth > 200) return fail("value nested too deeply");
    skip_ws();
    switch (t->kind) {
      case ValKind::Bool: {
        std::string l = label();
        if (l == "true") return Val::boolean(true);
        if (l == "false") return Val::boolean(false);
        return fail("expected a bool (true or false)");
      }
      case ValKind::S8:
      case ValKind::S16:
      case ValKind::S32:
      case ValKind::S64:
      case ValKind::U8:
      case ValKind::U16:
      case ValKind::U32:
      case ValKind::U64:
        return integer(t->kind);
      case ValKind::F32:
      case ValKind::F64:
        return floating(t->kind);
      case ValKind::Char:
        return character();
      case ValKind::String: {
        auto s = string();
        if (!s.ok()) return unexpected(s.error());
        return Val::string(std::move(*s));
      }
      case ValKind::List:
        return list(t, depth);
      case ValKind::Tuple:
        return tuple(t, depth);
      case ValKind::Record:
        return record(t, depth);
      case ValKind::Variant:
        return variant(t, depth);
      case ValKind::Enum: {
        const std::string l = case_label();
        for (const std::string& c : t->labels) {
          if (c == l) return Val::enumeration(l);
        }
        return fail("unknown enum case `" + l + "`");
      }
      case ValKind::Option:
        return option(t, depth);
      case ValKind::Result:
        return result(t, depth);
      case ValKind::Flags:
        return flags(t);
      default:
        return fail(std::string("values of type ") + kind_name(t->kind) +
                    " cannot be written in WAVE");
    }
  }

  void skip_ws() {
    for (;;) {
      while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' ||
                                  s_[pos_] == '\r')) {
        ++pos_;
      }
      if (pos_ + 1 < s_.size() && s_[pos_] == '/' && s_[pos_ + 1] == '/') {
        while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
        continue;
      }
      return;
    }
  }
  bool at_end() {
    skip_ws();
    return pos_ >= s_.size();
  }
  size_t pos() const { return pos_; }
  Error error_at(std::string msg) const {
    Error e;
    e.message = "WAVE value, column " + std::to_string(pos_ + 1) + ": " + std::move(msg);
    return e;
  }
  Unexpected<Error> fail(std::string msg) const { return unexpected(error_at(std::move(msg))); }

 private:
  bool eat(char c) {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char peek() {
    skip_ws();
    return pos_ < s_.size() ? s_[pos_] : '\0';
  }
  /// A label or keyword: kebab-case run (no `%`).
  std::string label() {
    skip_ws();
    const size_t start = pos_;
    while (pos_ < s_.size() && is_label_char(s_[pos_])) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  /// A case/field label, where `%` escapes keywords.
  std::string case_label() {
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '%') ++pos_;
    return label();
  }

  Result<Val> integer(ValKind k) {
    skip_ws();
    const size_t start = pos_;
    bool neg = false;
    if (pos_ < s_.size() && s_[pos_] == '-') {
      neg = true;
      ++pos_;
    }
    const size_t digits = pos_;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
    if (pos_ == digits) return fail("expected an integer");
    if (pos_ - digits > 1 && s_[digits] == '0') return fail("integers have no leading zeros");
    unsigned __int128 mag = 0;
    for (size_t i = digits; i < pos_; ++i) {
      mag = mag * 10 + static_cast<unsigned>(s_[i] - '0');
      if (mag > (static_cast<unsigned __int128>(1) << 64)) return fail("integer out of range");
    }
    const bool is_signed = k == ValKind::S8 || k == ValKind::S16 || k == ValKind::S32 ||
                           k == ValKind::S64;
    const unsigned bits = (k == ValKind::S8 || k == ValKind::U8)     ? 8
                          : (k == ValKind::S16 || k == ValKind::U16) ? 16
                          : (k == ValKind::S32 || k == ValKind::U32) ? 32
                                                                     : 64;
    std::string text(s_.substr(start, pos_ - start));
    if (is_signed) {
      const unsigned __int128 max_pos = (static_cast<unsigned __int128>(1) << (bits - 1)) - 1;
      if ((!neg && mag > max_pos) || (neg && mag > max_pos + 1)) {
        return fail(text + " is out of range for " + kind_name(k));
      }
      const int64_t v = neg ? static_cast<int64_t>(-static_cast<__int128>(mag))
                            : static_cast<int64_t>(mag);
      Val r;
      r.kind = k;
      r.bits = static_cast<uint64_t>(v);
      return r;
    }
    if (neg && mag != 0) return fail(text + " is out of range for " + kind_name(k));
    const unsigned __int128 max = (static_cast<unsigned __int128>(1) << bits) - 1;
    if (mag > max) return fail(text + " is out of range for " + kind_name(k));
    Val r;
    r.kind = k;
    r.bits = static_cast<uint64_t>(mag);
    return r;
  }

  Result<Val> floating(ValKind k) {
    skip_ws();
    const size_t start = pos_;
    double v;
    if (s_.substr(pos_, 3) == "nan") {
      pos_ += 3;
      v = std::numeric_limits<double>::quiet_NaN();
    } else if (s_.substr(pos_, 3) == "inf") {
      pos_ += 3;
      v = std::numeric_limits<double>::infinity();
    } else if (s_.substr(pos_, 4) == "-inf") {
      pos_ += 4;
      v = -std::numeric_limits<double>::infinity();
    } else {
      if (pos_ < s_.size() && s_[pos_] == '-') ++pos_;
      const size_t digits = pos_;
      while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
      if (pos_ == digits) return fail("expected a number");
      if (pos_ < s_.size() && s_[pos_] == '.') {
        ++pos_;
        const size_t frac = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        if (pos_ == frac) return fail("expected digits after '.'");
      }
      if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
        ++pos_;
        if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) ++pos_;
        const size_t exp = pos_;
        while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') ++pos_;
        if (pos_ == exp) return fail("expected an exponent");
      }
      const std::string text(s_.substr(start, pos_ - start));
      v = std::strtod(text.c_str(), nullptr);
      if (k == ValKind::F32) {
        const float f = std::strtof(text.c_str(), nullptr);
        if (std::isinf(f)) return fail(text + " is out of range for f32");
        return Val::f32(f);
      }
      if (std::isinf(v)) return fail(text + " is out of range for f64");
    }
    if (k == ValKind::F32) return Val::f32(static_cast<float>(v));
    return Val::f64(v);
  }

  /// One character of a char or string literal (after the opening quote).
  Result<uint32_t> literal_char(char quote) {
    if (pos_ >= s_.size()) return fail("unterminated literal");
    const unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c == '\\') {
      ++pos_;
      if (pos_ >= s_.size()) return fail("unterminated escape");
      const char e = s_[pos_++];
      switch (e) {
        case 'n':
          return uint32_t{'\n'};
        case 't':
          return uint32_t{'\t'};
        case 'r':
          return uint32_t{'\r'};
        case '\\':
          return uint32_t{'\\'};
        case '\'':
          return uint32_t{'\''};
        case '"':
          return uint32_t{'"'};
        case 'u': {
          if (pos_ >= s_.size() || s_[pos_] != '{') return fail("expected `{` after \\u");
          ++pos_;
          uint32_t cp = 0;
          size_t n = 0;
          while (pos_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[pos_]))) {
            cp = cp * 16 + static_cast<uint32_t>(std::isdigit(static_cast<unsigned char>(s_[pos_]))
                                                     ? s_[pos_] - '0'
                                                     : (std::tolower(s_[pos_]) - 'a' + 10));
            if (++n > 6) return fail("unicode escape too long");
            ++pos_;
          }
          if (n == 0 || pos_ >= s_.size() || s_[pos_] != '}') return fail("malformed \\u{...}");
          ++pos_;
          if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return fail("escape is not a Unicode scalar value");
          }
          return cp;
        }
        default:
          return fail(std::string("unknown escape \\") + e);
      }
    }
    if (c == '\n' || static_cast<char>(c) == quote) return fail("unexpected character");
    // UTF-8 decode one scalar.
    uint32_t cp;
    size_t len;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return fail("invalid UTF-8");
    }
    if (pos_ + len > s_.size()) return fail("invalid UTF-8");
    for (size_t i = 1; i < len; ++i) {
      const unsigned char cc = static_cast<unsigned char>(s_[pos_ + i]);
      if ((cc & 0xC0) != 0x80) return fail("invalid UTF-8");
      cp = (cp << 6) | (cc & 0x3F);
    }
    pos_ += len;
    return cp;
  }

  Result<Val> character() {
    if (!eat('\'')) return fail("expected a char ('x')");
    auto cp = literal_char('\'');
    if (!cp.ok()) return unexpected(cp.error());
    if (pos_ >= s_.size() || s_[pos_] != '\'') return fail("expected `'` closing the char");
    ++pos_;
    return Val::character(*cp);
  }

  Result<std::string> string() {
    skip_ws();
    if (s_.substr(pos_, 3) == "\"\"\"") return multiline_string();
    if (!eat('"')) return fail("expected a string (\"...\")");
    std::string out;
    while (pos_ < s_.size() && s_[pos_] != '"') {
      auto cp = literal_char('"');
      if (!cp.ok()) return unexpected(cp.error());
      append_utf8(out, *cp);
    }
    if (pos_ >= s_.size()) return fail("unterminated string");
    ++pos_;
    return out;
  }

  Result<std::string> multiline_string() {
    pos_ += 3;
    if (s_.substr(pos_, 2) == "\r\n") {
      pos_ += 2;
    } else if (pos_ < s_.size() && s_[pos_] == '\n') {
      ++pos_;
    } else {
      return fail("a multi-line string starts with a line break after \"\"\"");
    }
    std::string out;
    for (;;) {
      if (pos_ >= s_.size()) return fail("unterminated multi-line string");
      if (s_.substr(pos_, 3) == "\"\"\"") {
        pos_ += 3;
        if (!out.empty() && out.back() == '\n') out.pop_back();
        return out;
      }
      if (s_[pos_] == '\n') {
        out.push_back('\n');
        ++pos_;
        continue;
      }
      if (s_[pos_] == '"') {
        out.push_back('"');
        ++pos_;
        continue;
      }
      auto cp = literal_char('\0');
      if (!cp.ok()) return unexpected(cp.error());
      append_utf8(out, *cp);
    }
  }

  /// Comma-separated values until `close`, each parsed by `item`.
  template <typename F>
  Result<void> sequence(char close, F&& item) {
    if (eat(close)) return {};
    for (;;) {
      Result<void> r = item();
      if (!r.ok()) return r;
      if (eat(close)) return {};
      if (!eat(',')) return fail(std::string("expected `,` or `") + close + "`");
      if (eat(close)) return {};  // trailing comma
    }
  }

  Result<Val> list(TypeRef t, int depth) {
    if (!eat('[')) return fail("expected a list ([...])");
    std::vector<Val> items;
    Result<void> r = sequence(']', [&]() -> Result<void> {
      auto v = value(t->elem, depth + 1);
      if (!v.ok()) return unexpected(v.error());
      items.push_back(std::move(*v));
      return {};
    });
    if (!r.ok()) return unexpected(r.error());
    if (t->length && items.size() != *t->length) {
      return fail("expected " + std::to_string(*t->length) + " list elements, got " +
                  std::to_string(items.size()));
    }
    return Val::list(std::move(items));
  }

  Result<Val> tuple(TypeRef t, int depth) {
    if (!eat('(')) return fail("expected a tuple ((...))");
    std::vector<Val> items;
    Result<void> r = sequence(')', [&]() -> Result<void> {
      if (items.size() >= t->elems.size()) return fail("too many tuple elements");
      auto v = value(t->elems[items.size()], depth + 1);
      if (!v.ok()) return unexpected(v.error());
      items.push_back(std::move(*v));
      return {};
    });
    if (!r.ok()) return unexpected(r.error());
    if (items.size() != t->elems.size()) return fail("too few tuple elements");
    return Val::tuple(std::move(items));
  }

  Result<Val> record(TypeRef t, int depth) {
    if (!eat('{')) return fail("expected a record ({field: value, ...})");
    std::vector<std::optional<Val>> values(t->fields.size());
    Result<void> r = sequence('}', [&]() -> Result<void> {
      const std::string name = case_label();
      if (!eat(':')) return fail("expected `:` after field `" + name + "`");
      for (size_t i = 0; i < t->fields.size(); ++i) {
        if (t->fields[i].label != name) continue;
        if (values[i]) return fail("field `" + name + "` given twice");
        auto v = value(t->fields[i].type, depth + 1);
        if (!v.ok()) return unexpected(v.error());
        values[i] = std::move(*v);
        return {};
      }
      return fail("unknown field `" + name + "`");
    });
    if (!r.ok()) return unexpected(r.error());
    std::vector<std::string> names;
    std::vector<Val> items;
    for (size_t i = 0; i < t->fields.size(); ++i) {
      if (!values[i]) {
        // Option fields may be omitted: none.
        if (t->fields[i].type->kind != ValKind::Option) {
          return fail("missing field `" + t->fields[i].label + "`");
        }
        values[i] = Val::option({});
      }
      names.push_back(t->fields[i].label);
      items.push_back(std::move(*values[i]));
    }
    return Val::record(std::move(names), std::move(items));
  }

  Result<Val> variant(TypeRef t, int depth) {
    const std::string l = case_label();
    for (const Case& c : t->cases) {
      if (c.label != l) continue;
      if (c.type == nullptr) return Val::variant(l);
      if (!eat('(')) return fail("case `" + l + "` needs a payload: " + l + "(...)");
      auto v = value(c.type, depth + 1);
      if (!v.ok()) return unexpected(v.error());
      if (!eat(')')) return fail("expected `)`");
      return Val::variant(l, {std::move(*v)});
    }
    return fail("unknown variant case `" + l + "`");
  }

  Result<Val> option(TypeRef t, int depth) {
    const size_t save = pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] != '%') {
      const std::string l = label();
      if (l == "none") return Val::option({});
      if (l == "some") {
        if (!eat('(')) return fail("expected `(` after some");
        auto v = value(t->elem, depth + 1);
        if (!v.ok()) return unexpected(v.error());
        if (!eat(')')) return fail("expected `)`");
        return Val::option({std::move(*v)});
      }
      pos_ = save;
    }
    // A "flat" some: the payload itself (only when it cannot be confused with none/some).
    auto v = value(t->elem, depth + 1);
    if (!v.ok()) return unexpected(v.error());
    return Val::option({std::move(*v)});
  }

  Result<Val> result(TypeRef t, int depth) {
    const size_t save = pos_;
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] != '%') {
      const std::string l = label();
      if (l == "ok" || l == "err") {
        const bool ok = l == "ok";
        TypeRef payload = ok ? t->ok : t->err;
        if (payload == nullptr) return Val::result(ok);
        if (!eat('(')) return fail("expected `(` after " + l);
        auto v = value(payload, depth + 1);
        if (!v.ok()) return unexpected(v.error());
        if (!eat(')')) return fail("expected `)`");
        return Val::result(ok, {std::move(*v)});
      }
      pos_ = save;
    }
    if (t->ok == nullptr) return fail("expected ok or err");
    auto v = value(t->ok, depth + 1);  // a "flat" ok
    if (!v.ok()) return unexpected(v.error());
    return Val::result(true, {std::move(*v)});
  }

  Result<Val> flags(TypeRef t) {
    if (!eat('{')) return fail("expected flags ({flag, ...})");
    std::vector<std::string> set;
    Result<void> r = sequence('}', [&]() -> Result<void> {
      const std::string l = case_label();
      bool known = false;
      for (const std::string& f : t->labels) known |= f == l;
      if (!known) return fail("unknown flag `" + l + "`");
      for (const std::string& s : set) {
        if (s == l) return fail("flag `" + l + "` given twice");
      }
      set.push_back(l);
      return {};
    });
    if (!r.ok()) return unexpected(r.error());
    // Flags in type order.
    std::vector<std::string> ordered;
    for (const std::string& f : t->labels) {
      for (const std::string& s : set) {
        if (s == f) ordered.push_back(f);
      }
    }
    return Val::flags(std::move(ordered));
  }

  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace

Result<Val> parse_wave(std::string_view text, TypeRef t) {
  Parser p(text);
  auto v = p.value(t);
  if (!v.ok()) return v;
  if (!p.at_end()) return p.fail("unexpected text after the value");
  return v;
}

Result<Invocation> parse_invocation(std::string_view text) {
  Invocation inv;
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  const size_t start = i;
  while (i < text.size() && text[i] != '(' && !std::isspace(static_cast<unsigned char>(text[i]))) {
    ++i;
  }
  inv.name = std::string(text.substr(start, i - start));
  if (!inv.name.empty() && inv.name[0] == '%') inv.name.erase(0, 1);
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  auto fail = [&](const std::string& m) {
    Error e;
    e.message = "invocation `" + std::string(text) + "`: " + m;
    return unexpected(std::move(e));
  };
  if (inv.name.empty()) return fail("expected a function name");
  if (i >= text.size() || text[i] != '(') return fail("expected `(` after the function name");
  ++i;
  // Split the arguments at commas outside brackets, strings and chars.
  int depth = 0;
  size_t arg_start = i;
  bool any = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"' || c == '\'') {
      const char q = c;
      for (++i; i < text.size() && text[i] != q; ++i) {
        if (text[i] == '\\') ++i;
      }
      if (i >= text.size()) return fail("unterminated literal");
      any = true;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
      --depth;
    } else if (c == ')' && depth == 0) {
      std::string last(text.substr(arg_start, i - arg_start));
      if (last.find_first_not_of(" \t\r\n") != std::string::npos) {
        inv.args.push_back(std::move(last));
      } else if (!inv.args.empty() || any) {
        return fail("empty argument");
      }
      for (++i; i < text.size(); ++i) {
        if (!std::isspace(static_cast<unsigned char>(text[i]))) return fail("text after `)`");
      }
      return inv;
    } else if (c == ',' && depth == 0) {
      inv.args.emplace_back(text.substr(arg_start, i - arg_start));
      if (inv.args.back().find_first_not_of(" \t\r\n") == std::string::npos) {
        return fail("empty argument");
      }
      arg_start = i + 1;
      continue;
    }
    if (!std::isspace(static_cast<unsigned char>(c))) any = true;
  }
  return fail("expected `)`");
}

}  // namespace zinc::component

// component/names.cc: see names.h. The parsing order and messages follow wasm-tools'
// ComponentNameParser and the semver crate, since the official tests check their wording.
#include "component/names.h"

#include <cstdint>

namespace zinc::component {

namespace {

bool is_kebab_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

class NameParser {
 public:
  NameParser(std::string_view s, Diag& d, size_t offset) : next_(s), d_(d), offset_(offset) {}

  bool parse(ExternName* out) {
    out->raw = next_;
    if (eat("[constructor]")) {
      out->kind = NameKind::Constructor;
      return expect_kebab(&out->resource) && finish();
    }
    for (auto [prefix, kind] :
         {std::pair{"[method]", NameKind::Method}, std::pair{"[static]", NameKind::Static}}) {
      if (eat(prefix)) {
        out->kind = kind;
        std::string_view resource;
        if (!take_until('.', &resource) || !kebab(resource)) return false;
        out->resource = resource;
        return expect_kebab(&out->method) && finish();
      }
    }
    if (next_.find(':') != std::string_view::npos) {
      out->kind = NameKind::Interface;
      if (!pkg_path()) return false;
      if (eat("@")) {
        out->has_version = true;
        out->version = next_;
        next_ = {};
      }
      return finish();
    }
    out->kind = NameKind::Label;
    std::string_view label;
    return expect_kebab(&label) && finish();
  }

 private:
  bool finish() {
    if (!next_.empty()) return d_.fail(ErrorCode::TrailingChars, offset_, next_);
    return true;
  }
  bool eat(std::string_view prefix) {
    if (next_.substr(0, prefix.size()) != prefix) return false;
    next_.remove_prefix(prefix.size());
    return true;
  }
  bool kebab(std::string_view s) {
    if (is_kebab(s)) return true;
    return d_.fail(ErrorCode::NotKebab, offset_, s);
  }
  bool take_until(char c, std::string_view* out) {
    const size_t i = next_.find(c);
    if (i == std::string_view::npos) return d_.fail(ErrorCode::FailedToFind, offset_, c);
    *out = next_.substr(0, i);
    next_.remove_prefix(i + 1);
    return true;
  }
  bool expect_kebab(std::string_view* out) {
    *out = next_;
    next_ = {};
    return kebab(*out);
  }
  bool take_kebab(std::string_view* out) {
    size_t i = 0;
    while (i < next_.size() && is_kebab_char(next_[i])) ++i;
    if (i == next_.size()) return expect_kebab(out);
    *out = next_.substr(0, i);
    next_.remove_prefix(i);
    return kebab(*out);
  }
  bool take_lowercase_kebab() {
    std::string_view s;
    if (!take_kebab(&s)) return false;
    for (char c : s) {
      if (c >= 'A' && c <= 'Z') return d_.fail(ErrorCode::NotLowercase, offset_, c);
    }
    return true;
  }
  // pkgpath ::= <namespace> <label> <projection>   (the 🪺 nested forms are not enabled)
  bool pkg_path() {
    if (!take_lowercase_kebab()) return false;
    if (!eat(":")) {
      return d_.fail(ErrorCode::ExpectedStr, offset_, ":", next_);
    }
    if (!take_lowercase_kebab()) return false;
    if (!eat("/")) return d_.fail(ErrorCode::ExpectedSlash, offset_);
    std::string_view iface;
    return take_kebab(&iface);
  }

  std::string_view next_;
  Diag& d_;
  size_t offset_;
};

// Semantic versions, as the semver crate parses them (its positions and messages).
enum class Pos { Major, Minor, Patch, Pre, Build };

const char* pos_name(Pos p) {
  switch (p) {
    case Pos::Major:
      return "major version number";
    case Pos::Minor:
      return "minor version number";
    case Pos::Patch:
      return "patch version number";
    case Pos::Pre:
      return "pre-release identifier";
    case Pos::Build:
      return "build metadata";
  }
  return "";
}

std::string quoted(char c) {
  return std::string("'") + c + "'";
}

class SemverParser {
 public:
  SemverParser(std::string_view s, Diag& d, size_t offset) : s_(s), d_(d), offset_(offset) {}

  bool parse() {
    if (s_.empty()) return d_.fail(ErrorCode::SemverEmpty, offset_);
    if (!numeric(Pos::Major) || !dot(Pos::Major) || !numeric(Pos::Minor) || !dot(Pos::Minor) ||
        !numeric(Pos::Patch)) {
      return false;
    }
    Pos pos = Pos::Patch;
    if (!s_.empty() && s_[0] == '-') {
      s_.remove_prefix(1);
      pos = Pos::Pre;
      if (!identifier(pos)) return false;
    }
    if (!s_.empty() && s_[0] == '+') {
      s_.remove_prefix(1);
      pos = Pos::Build;
      if (!identifier(pos)) return false;
    }
    if (!s_.empty())
      return d_.fail(ErrorCode::SemverCharAfter, offset_, quoted(s_[0]), pos_name(pos));
    return true;
  }

 private:
  bool numeric(Pos pos) {
    uint64_t value = 0;
    size_t len = 0;
    while (len < s_.size() && s_[len] >= '0' && s_[len] <= '9') {
      if (value == 0 && len > 0)
        return d_.fail(ErrorCode::SemverLeadingZero, offset_, pos_name(pos));
      const uint64_t digit = static_cast<uint64_t>(s_[len] - '0');
      if (value > (UINT64_MAX - digit) / 10) {
        return d_.fail(ErrorCode::SemverOverflow, offset_, pos_name(pos));
      }
      value = value * 10 + digit;
      ++len;
    }
    if (len > 0) {
      s_.remove_prefix(len);
      return true;
    }
    if (!s_.empty()) return d_.fail(ErrorCode::SemverChar, offset_, quoted(s_[0]), pos_name(pos));
    return d_.fail(ErrorCode::SemverEnd, offset_, pos_name(pos));
  }
  bool dot(Pos pos) {
    if (!s_.empty() && s_[0] == '.') {
      s_.remove_prefix(1);
      return true;
    }
    if (!s_.empty()) {
      return d_.fail(ErrorCode::SemverCharAfter, offset_, quoted(s_[0]), pos_name(pos));
    }
    return d_.fail(ErrorCode::SemverEnd, offset_, pos_name(pos));
  }
  // Dot-separated segments of [0-9A-Za-z-]; numeric pre-release segments have no leading 0.
  bool identifier(Pos pos) {
    size_t accumulated = 0;
    size_t segment = 0;
    bool nondigit = false;
    for (;;) {
      const size_t i = accumulated + segment;
      const char c = i < s_.size() ? s_[i] : '\0';
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-') {
        ++segment;
        nondigit = true;
        continue;
      }
      if (c >= '0' && c <= '9') {
        ++segment;
        continue;
      }
      if (segment == 0) return d_.fail(ErrorCode::SemverEmptySegment, offset_, pos_name(pos));
      if (pos == Pos::Pre && segment > 1 && !nondigit && s_[accumulated] == '0') {
        return d_.fail(ErrorCode::SemverLeadingZero, offset_, pos_name(pos));
      }
      accumulated += segment;
      if (c == '.') {
        ++accumulated;
        segment = 0;
        nondigit = false;
        continue;
      }
      s_.remove_prefix(accumulated);
      return true;
    }
  }

  std::string_view s_;
  Diag& d_;
  size_t offset_;
};

}  // namespace

bool is_kebab(std::string_view s) {
  bool lower = false, upper = false, first = true, digit = false;
  for (char c : s) {
    const bool is_lower = c >= 'a' && c <= 'z';
    const bool is_upper = c >= 'A' && c <= 'Z';
    const bool is_digit = c >= '0' && c <= '9';
    if (is_lower && !lower && !upper) {
      lower = true;
    } else if (is_upper && !lower && !upper) {
      upper = true;
    } else if (is_digit && !lower && !upper && !first) {
      digit = true;
    } else if ((is_lower && lower) || (is_upper && upper)) {
      // continues the word / acronym
    } else if (is_digit && (lower || upper)) {
      digit = true;
    } else if (c == '-' && (lower || upper || digit)) {
      lower = upper = digit = false;
      first = false;
    } else {
      return false;
    }
  }
  return !s.empty() && s.back() != '-';
}

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string ExternName::key() const {
  switch (kind) {
    case NameKind::Label:
      return "l:" + ascii_lower(raw);
    case NameKind::Constructor:
      return "c:" + ascii_lower(resource);
    case NameKind::Method:
    case NameKind::Static:
      if (ascii_lower(resource) == ascii_lower(method)) return "l:" + ascii_lower(resource);
      return "m:" + ascii_lower(resource) + "." + ascii_lower(method);
    case NameKind::Interface:
      return "i:" + std::string(raw);
  }
  return {};
}

bool parse_extern_name(std::string_view name, ExternName* out, Diag& d, size_t offset) {
  return NameParser(name, d, offset).parse(out);
}

bool parse_semver(std::string_view s, Diag& d, size_t offset) {
  return SemverParser(s, d, offset).parse();
}

}  // namespace zinc::component

// component/val.cc: the component value tree (zinc/component/val.h): packed-list access,
// structural equality, type checking (`matches`) and the WAVE text form (`to_wave`).
//
// Invariants: a packed list's `str` holds whole elements (size a multiple of packed_size);
// `matches` never trusts a Val (a host builds them): it checks every range, label and
// encoding so the canonical ABI can store a matching Val without further checks.
// WAVE: https://github.com/bytecodealliance/wasm-tools/tree/main/crates/wasm-wave
#include "zinc/component/val.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace zinc::component {

namespace {

bool is_signed_kind(ValKind k) {
  return k == ValKind::S8 || k == ValKind::S16 || k == ValKind::S32 || k == ValKind::S64;
}

bool valid_scalar(uint64_t c) {
  return c < 0xD800 || (c >= 0xE000 && c < 0x110000);
}

// Whether `s` is well-formed UTF-8 (the same rules as canon_string.cc's validator; kept
// separate because val.cc must not depend on the canonical ABI).
bool valid_utf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    if (i + 8 <= n) {  // ASCII, a word at a time
      uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080u) == 0) {
        i += 8;
        continue;
      }
    }
    const uint8_t c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return false;
    }
    if (i + len > n) return false;
    const uint8_t c1 = static_cast<uint8_t>(s[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (size_t j = 2; j < len; ++j) {
      const uint8_t cj = static_cast<uint8_t>(s[i + j]);
      if (cj < 0x80 || cj > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

// Whether integer bits `b` fit kind `k` (signed kinds hold sign-extended values).
bool int_in_range(ValKind k, uint64_t b) {
  const int64_t s = static_cast<int64_t>(b);
  switch (k) {
    case ValKind::Bool:
      return b <= 1;
    case ValKind::U8:
      return b <= 0xff;
    case ValKind::U16:
      return b <= 0xffff;
    case ValKind::U32:
      return b <= 0xffffffffu;
    case ValKind::S8:
      return s >= -128 && s <= 127;
    case ValKind::S16:
      return s >= -32768 && s <= 32767;
    case ValKind::S32:
      return s >= INT32_MIN && s <= INT32_MAX;
    case ValKind::F32:
      return b <= 0xffffffffu;
    case ValKind::Char:
      return valid_scalar(b);
    default:
      return true;  // s64, u64, f64
  }
}

bool same_label_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

uint32_t Val::packed_size(ValKind k) {
  switch (k) {
    case ValKind::Bool:
    case ValKind::S8:
    case ValKind::U8:
      return 1;
    case ValKind::S16:
    case ValKind::U16:
      return 2;
    case ValKind::S32:
    case ValKind::U32:
    case ValKind::F32:
    case ValKind::Char:
      return 4;
    default:
      return 8;  // s64, u64, f64
  }
}

size_t Val::list_size() const {
  return packed ? str.size() / packed_size(packed_kind()) : items.size();
}

Val Val::list_item(size_t i) const {
  if (!packed) return items[i];
  const ValKind k = packed_kind();
  const uint32_t n = packed_size(k);
  uint64_t b = 0;
  std::memcpy(&b, str.data() + i * n, n);  // little-endian host (as the interpreter assumes)
  if (is_signed_kind(k) && n < 8) {
    const unsigned shift = 64 - 8 * n;
    b = static_cast<uint64_t>(static_cast<int64_t>(b << shift) >> shift);
  }
  if (k == ValKind::Bool) b = b != 0;
  return num(k, b);
}

bool operator==(const Val& a, const Val& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValKind::List: {
      if (a.packed && b.packed && a.packed_kind() == b.packed_kind() &&
          a.packed_kind() != ValKind::Bool) {
        return a.str == b.str;
      }
      const size_t n = a.list_size();
      if (n != b.list_size()) return false;
      if (!a.packed && !b.packed) return a.items == b.items;
      for (size_t i = 0; i < n; ++i) {
        if (!(a.list_item(i) == b.list_item(i))) return false;
      }
      return true;
    }
    case ValKind::String:
      return a.str == b.str;
    case ValKind::Record:
      return a.items == b.items && (a.names.empty() || b.names.empty() || a.names == b.names);
    case ValKind::Tuple:
    case ValKind::Option:
    case ValKind::Map:
      return a.items == b.items;
    case ValKind::Variant:
      return a.str == b.str && a.items == b.items;
    case ValKind::Enum:
      return a.str == b.str;
    case ValKind::Result:
      return a.is_ok == b.is_ok && a.items == b.items;
    case ValKind::Flags:
      return same_label_set(a.names, b.names);
    case ValKind::Bool:
      return (a.bits != 0) == (b.bits != 0);
    default:
      return a.bits == b.bits;  // numbers (floats by bits), char, handles
  }
}

bool matches(const Val& v, TypeRef t) {
  if (t == nullptr) return false;
  // A map may be given as a list of its entries (the Val of `map` is a list of 2-tuples).
  if (v.kind != t->kind && !(v.kind == ValKind::List && t->kind == ValKind::Map)) return false;
  switch (t->kind) {
    case ValKind::String:
      return valid_utf8(v.str);
    case ValKind::List: {
      if (v.packed) {
        const ValKind k = v.packed_kind();
        if (!Val::packable(k) || k != t->elem->kind) return false;
        const uint32_t n = Val::packed_size(k);
        if (v.str.size() % n != 0) return false;
        if (t->length && v.str.size() / n != *t->length) return false;
        if (k == ValKind::Bool || k == ValKind::Char) {
          for (size_t i = 0; i < v.str.size() / n; ++i) {
            uint64_t b = 0;
            std::memcpy(&b, v.str.data() + i * n, n);
            if (!int_in_range(k, b)) return false;
          }
        }
        return true;
      }
      if (t->length && v.items.size() != *t->length) return false;
      for (const Val& e : v.items) {
        if (!matches(e, t->elem)) return false;
      }
      return true;
    }
    case ValKind::Record: {
      if (v.items.size() != t->fields.size()) return false;
      if (!v.names.empty() && v.names.size() != t->fields.size()) return false;
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (!v.names.empty() && v.names[i] != t->fields[i].label) return false;
        if (!matches(v.items[i], t->fields[i].type)) return false;
      }
      return true;
    }
    case ValKind::Tuple: {
      if (v.items.size() != t->elems.size()) return false;
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (!matches(v.items[i], t->elems[i])) return false;
      }
      return true;
    }
    case ValKind::Variant: {
      for (const Case& c : t->cases) {
        if (c.label != v.str) continue;
        if (c.type == nullptr) return v.items.empty();
        return v.items.size() == 1 && matches(v.items[0], c.type);
      }
      return false;
    }
    case ValKind::Enum:
      return std::find(t->labels.begin(), t->labels.end(), v.str) != t->labels.end();
    case ValKind::Option:
      return v.items.empty() || (v.items.size() == 1 && matches(v.items[0], t->elem));
    case ValKind::Result: {
      TypeRef p = v.is_ok ? t->ok : t->err;
      if (p == nullptr) return v.items.empty();
      return v.items.size() == 1 && matches(v.items[0], p);
    }
    case ValKind::Flags: {
      for (size_t i = 0; i < v.names.size(); ++i) {
        if (std::find(t->labels.begin(), t->labels.end(), v.names[i]) == t->labels.end()) {
          return false;
        }
        for (size_t j = 0; j < i; ++j) {
          if (v.names[j] == v.names[i]) return false;
        }
      }
      return true;
    }
    case ValKind::Map: {
      if (v.packed) return false;
      for (const Val& e : v.items) {
        if (e.kind != ValKind::Tuple || e.items.size() != 2) return false;
        if (!matches(e.items[0], t->key) || !matches(e.items[1], t->elem)) return false;
      }
      return true;
    }
    case ValKind::Own:
    case ValKind::Borrow:
    case ValKind::Stream:
    case ValKind::Future:
    case ValKind::ErrorContext:
      return v.bits <= 0xffffffffu;
    default:
      return int_in_range(t->kind, v.bits);
  }
}

// ---- WAVE ----

namespace {

bool is_wave_keyword(std::string_view l) {
  return l == "true" || l == "false" || l == "some" || l == "none" || l == "ok" || l == "err" ||
         l == "inf" || l == "nan";
}

void wave_label(std::string& out, const std::string& l) {
  if (is_wave_keyword(l)) out += '%';
  out += l;
}

void append_utf8(std::string& out, uint32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// Escapes one character inside quotes `q` (WAVE: \t \n \r \' \" \\ \u{X}); other characters
// (already UTF-8 in strings) are copied.
void wave_escape_ascii(std::string& out, uint8_t c, char q) {
  switch (c) {
    case '\t':
      out += "\\t";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\\':
      out += "\\\\";
      return;
    default:
      break;
  }
  if (c == static_cast<uint8_t>(q)) {
    out += '\\';
    out += static_cast<char>(c);
  } else if (c < 0x20 || c == 0x7f) {
    char buf[16];
    const auto r = std::to_chars(buf, buf + sizeof buf, c, 16);
    out += "\\u{";
    out.append(buf, r.ptr);
    out += '}';
  } else {
    out += static_cast<char>(c);
  }
}

template <class F>
void wave_float(std::string& out, F f) {
  if (std::isnan(f)) {
    out += "nan";
  } else if (std::isinf(f)) {
    out += f < 0 ? "-inf" : "inf";
  } else {
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, f);
    out.append(buf, r.ptr);
  }
}

void wave(std::string& out, const Val& v);

void wave_seq(std::string& out, const std::vector<Val>& items, char open, char close) {
  out += open;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += ", ";
    wave(out, items[i]);
  }
  out += close;
}

void wave_payload(std::string& out, const std::vector<Val>& items) {
  if (items.empty()) return;
  out += '(';
  wave(out, items[0]);
  out += ')';
}

void wave(std::string& out, const Val& v) {
  switch (v.kind) {
    case ValKind::Bool:
      out += v.bits ? "true" : "false";
      return;
    case ValKind::S8:
    case ValKind::S16:
    case ValKind::S32:
    case ValKind::S64:
      out += std::to_string(v.as_signed());
      return;
    case ValKind::U8:
    case ValKind::U16:
    case ValKind::U32:
    case ValKind::U64:
      out += std::to_string(v.as_unsigned());
      return;
    case ValKind::F32:
      wave_float(out, v.as_f32());
      return;
    case ValKind::F64:
      wave_float(out, v.as_f64());
      return;
    case ValKind::Char:
      out += '\'';
      if (v.bits < 0x80) {
        wave_escape_ascii(out, static_cast<uint8_t>(v.bits), '\'');
      } else {
        append_utf8(out, static_cast<uint32_t>(v.bits));
      }
      out += '\'';
      return;
    case ValKind::String:
      out += '"';
      for (char c : v.str) wave_escape_ascii(out, static_cast<uint8_t>(c), '"');
      out += '"';
      return;
    case ValKind::List:
      if (v.packed) {
        out += '[';
        for (size_t i = 0; i < v.list_size(); ++i) {
          if (i) out += ", ";
          wave(out, v.list_item(i));
        }
        out += ']';
      } else {
        wave_seq(out, v.items, '[', ']');
      }
      return;
    case ValKind::Map:
      wave_seq(out, v.items, '[', ']');
      return;
    case ValKind::Tuple:
      wave_seq(out, v.items, '(', ')');
      return;
    case ValKind::Record:
      out += '{';
      for (size_t i = 0; i < v.items.size(); ++i) {
        if (i) out += ", ";
        wave_label(out, i < v.names.size() ? v.names[i] : std::to_string(i));
        out += ": ";
        wave(out, v.items[i]);
      }
      out += '}';
      return;
    case ValKind::Variant:
      wave_label(out, v.str);
      wave_payload(out, v.items);
      return;
    case ValKind::Enum:
      wave_label(out, v.str);
      return;
    case ValKind::Option:
      if (v.items.empty()) {
        out += "none";
      } else {
        out += "some";
        wave_payload(out, v.items);
      }
      return;
    case ValKind::Result:
      out += v.is_ok ? "ok" : "err";
      wave_payload(out, v.items);
      return;
    case ValKind::Flags:
      out += '{';
      for (size_t i = 0; i < v.names.size(); ++i) {
        if (i) out += ", ";
        wave_label(out, v.names[i]);
      }
      out += '}';
      return;
    case ValKind::Own:
    case ValKind::Borrow:
    case ValKind::Stream:
    case ValKind::Future:
    case ValKind::ErrorContext:
      // WAVE has no syntax for handles: a readable, unparseable placeholder.
      out += '<';
      out += kind_name(v.kind);
      out += ' ';
      out += std::to_string(v.bits);
      out += '>';
      return;
  }
}

}  // namespace

std::string to_wave(const Val& v) {
  std::string out;
  wave(out, v);
  return out;
}

}  // namespace zinc::component

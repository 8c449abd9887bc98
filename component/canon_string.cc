// component/canon_string.cc: strings in the Canonical ABI -- UTF-8/UTF-16 validation and the
// store_string_into_range cases, transcoding between utf8, utf16 and latin1+utf16 in every
// direction (definitions.py store_string_*).
//
// Invariants: a source StringRef from guest memory was validated by load_string_from_range;
// a host source (StringRef::host) is UTF-8 and validated here, so the encoders below may
// assume well-formed input. Guest memory pointers (source and destination) are re-read after
// every realloc call, which may grow (move) a memory. Every realloc result is checked for
// alignment and bounds exactly where the spec checks it.
// Spec: CanonicalABI.md "Storing" (store_string and its helpers).
#include <algorithm>

#include "component/canon.h"

namespace zinc::component::canon {

namespace {

inline uint16_t unit_at(const uint8_t* s, size_t i) {
  uint16_t u;
  std::memcpy(&u, s + 2 * i, 2);
  return u;
}

inline void put_unit(uint8_t* d, size_t i, uint16_t u) {
  std::memcpy(d + 2 * i, &u, 2);
}

// Decodes the code point of valid UTF-8 at s[i], advancing i.
inline uint32_t next_utf8(const uint8_t* s, size_t& i) {
  const uint8_t c = s[i];
  if (c < 0x80) {
    ++i;
    return c;
  }
  if (c < 0xE0) {
    const uint32_t cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
    i += 2;
    return cp;
  }
  if (c < 0xF0) {
    const uint32_t cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
    i += 3;
    return cp;
  }
  const uint32_t cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) |
                      (s[i + 3] & 0x3Fu);
  i += 4;
  return cp;
}

// Decodes the code point of valid UTF-16LE at unit i, advancing i.
inline uint32_t next_utf16(const uint8_t* s, size_t& i) {
  const uint16_t u = unit_at(s, i++);
  if (u < 0xD800 || u > 0xDBFF) return u;
  const uint16_t lo = unit_at(s, i++);
  return 0x10000 + ((uint32_t{u} - 0xD800) << 10) + (lo - 0xDC00u);
}

// The next code point of `src` (utf8 or utf16, by `utf16`) at position i (bytes or units).
inline uint32_t next_cp(const uint8_t* s, bool utf16, size_t& i) {
  return utf16 ? next_utf16(s, i) : next_utf8(s, i);
}

inline size_t utf8_put(uint8_t* d, uint32_t c) {
  if (c < 0x80) {
    d[0] = static_cast<uint8_t>(c);
    return 1;
  }
  if (c < 0x800) {
    d[0] = static_cast<uint8_t>(0xC0 | (c >> 6));
    d[1] = static_cast<uint8_t>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    d[0] = static_cast<uint8_t>(0xE0 | (c >> 12));
    d[1] = static_cast<uint8_t>(0x80 | ((c >> 6) & 0x3F));
    d[2] = static_cast<uint8_t>(0x80 | (c & 0x3F));
    return 3;
  }
  d[0] = static_cast<uint8_t>(0xF0 | (c >> 18));
  d[1] = static_cast<uint8_t>(0x80 | ((c >> 12) & 0x3F));
  d[2] = static_cast<uint8_t>(0x80 | ((c >> 6) & 0x3F));
  d[3] = static_cast<uint8_t>(0x80 | (c & 0x3F));
  return 4;
}

// Writes code point c as UTF-16LE at unit j of d; returns units written.
inline size_t utf16_put(uint8_t* d, size_t j, uint32_t c) {
  if (c < 0x10000) {
    put_unit(d, j, static_cast<uint16_t>(c));
    return 1;
  }
  c -= 0x10000;
  put_unit(d, j, static_cast<uint16_t>(0xD800 + (c >> 10)));
  put_unit(d, j + 1, static_cast<uint16_t>(0xDC00 + (c & 0x3FF)));
  return 2;
}

// Checks a realloc result as the spec does after each call in this file.
bool check_dst(Cx& cx, uint32_t ptr, uint32_t alignment, uint64_t len) {
  if (ptr % alignment != 0) return cx.trap(TrapKind::ReallocUnaligned);
  if (!cx.opts.memory.in_bounds(ptr, len)) return cx.trap(TrapKind::ReallocStringOutOfBounds);
  return true;
}

// True when every byte of s[0..n) is ASCII (8 bytes at a time).
inline size_t ascii_prefix(const uint8_t* s, size_t n) {
  constexpr uint64_t kHigh = 0x8080808080808080u;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    uint64_t a, b;
    std::memcpy(&a, s + i, 8);
    std::memcpy(&b, s + i + 8, 8);
    if ((a | b) & kHigh) break;
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t a;
    std::memcpy(&a, s + i, 8);
    if (a & kHigh) return i + static_cast<size_t>(__builtin_ctzll(a & kHigh)) / 8;
  }
  while (i < n && s[i] < 0x80) ++i;
  return i;
}

inline bool is_cont(uint8_t b) {
  return (b & 0xC0) == 0x80;
}

// The valid range of the second byte of a sequence led by `c` (Unicode Table 3-7).
inline bool second_ok(uint8_t c, uint8_t b) {
  switch (c) {
    case 0xE0:
      return b >= 0xA0 && b <= 0xBF;
    case 0xED:
      return b >= 0x80 && b <= 0x9F;
    case 0xF0:
      return b >= 0x90 && b <= 0xBF;
    case 0xF4:
      return b >= 0x80 && b <= 0x8F;
    default:
      return is_cont(b);
  }
}

// The error at a sequence starting at s[i] that the fast path refused (Rust's Utf8Error).
Utf8Check utf8_error_at(const uint8_t* s, size_t n, size_t i) {
  Utf8Check r;
  r.ok = false;
  r.index = i;
  const uint8_t c = s[i];
  const uint32_t len = (c >= 0xC2 && c <= 0xDF)   ? 2
                       : (c >= 0xE0 && c <= 0xEF) ? 3
                       : (c >= 0xF0 && c <= 0xF4) ? 4
                                                  : 0;
  if (len == 0) {
    r.error_len = 1;
    return r;
  }
  for (uint32_t k = 1; k < len; ++k) {
    if (i + k >= n) {
      r.incomplete = true;
      return r;
    }
    const bool good = k == 1 ? second_ok(c, s[i + 1]) : is_cont(s[i + k]);
    if (!good) {
      r.error_len = k;
      return r;
    }
  }
  r.ok = true;  // not reached: the fast path accepts every valid sequence
  return r;
}
}  // namespace

// ---- validation and host-side transcoding ----

Utf8Check validate_utf8(const uint8_t* s, size_t n) {
  size_t i = 0;
  while (i < n) {
    const uint8_t c = s[i];
    if (c < 0x80) {
      i += ascii_prefix(s + i, n - i);
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF) {
      if (i + 1 < n && is_cont(s[i + 1])) {
        i += 2;
        continue;
      }
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (i + 2 < n && second_ok(c, s[i + 1]) && is_cont(s[i + 2])) {
        i += 3;
        continue;
      }
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (i + 3 < n && second_ok(c, s[i + 1]) && is_cont(s[i + 2]) && is_cont(s[i + 3])) {
        i += 4;
        continue;
      }
    }
    return utf8_error_at(s, n, i);
  }
  return Utf8Check{};
}

size_t find_unpaired_surrogate(const uint8_t* s, size_t units) {
  for (size_t i = 0; i < units; ++i) {
    const uint16_t u = unit_at(s, i);
    if (u < 0xD800 || u > 0xDFFF) continue;
    if (u > 0xDBFF || i + 1 >= units) return i;
    const uint16_t lo = unit_at(s, i + 1);
    if (lo < 0xDC00 || lo > 0xDFFF) return i;
    ++i;
  }
  return units;
}

void append_latin1_as_utf8(std::string& out, const uint8_t* s, size_t n) {
  const size_t a = ascii_prefix(s, n);
  out.append(reinterpret_cast<const char*>(s), a);
  for (size_t i = a; i < n; ++i) {
    if (s[i] < 0x80) {
      out += static_cast<char>(s[i]);
    } else {
      out += static_cast<char>(0xC0 | (s[i] >> 6));
      out += static_cast<char>(0x80 | (s[i] & 0x3F));
    }
  }
}

uint64_t utf16_utf8_length(const uint8_t* s, size_t units) {
  uint64_t n = 0;
  for (size_t i = 0; i < units;) {
    const uint32_t c = next_utf16(s, i);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

void append_utf16_as_utf8(std::string& out, const uint8_t* s, size_t units) {
  uint8_t buf[4];
  for (size_t i = 0; i < units;) {
    const size_t k = utf8_put(buf, next_utf16(s, i));
    out.append(reinterpret_cast<const char*>(buf), k);
  }
}

// ---- store_string_into_range and its cases ----

// definitions.py: store_string_into_range
bool store_string_into_range(Cx& cx, const StringRef& v, uint32_t* ptr, uint32_t* tagged) {
  if (!cx.opts.memory.valid()) return cx.trap(TrapKind::MemoryMissing);
  if (v.memory == nullptr && !cx.vals_checked) {
    // A host string: the only host encoding is UTF-8, checked here (the spec's values are
    // well-formed by construction).
    if (v.encoding != StringEncoding::Utf8 || v.byte_length() > kMaxStringByteLength) {
      return cx.trap(TrapKind::ValueMismatch, {"string"});
    }
    if (!validate_utf8(v.bytes(), v.byte_length()).ok) {
      return cx.trap(TrapKind::ValueMismatch, {"string"});
    }
  }
  const uint32_t units = v.code_units();
  switch (cx.opts.string_encoding) {
    case StringEncoding::Utf8:
      if (v.is_utf16()) return store_utf16_to_utf8(cx, v, units, ptr, tagged);
      if (v.is_latin1()) return store_latin1_to_utf8(cx, v, units, ptr, tagged);
      return store_string_copy(cx, v, units, 1, 1, StringEncoding::Utf8, ptr, tagged);
    case StringEncoding::Utf16:
      if (v.encoding == StringEncoding::Utf8) return store_utf8_to_utf16(cx, v, units, ptr, tagged);
      return store_string_copy(cx, v, units, 2, 2, StringEncoding::Utf16, ptr, tagged);
    case StringEncoding::Latin1Utf16:
      if (v.encoding != StringEncoding::Latin1Utf16) {
        return store_string_to_latin1_or_utf16(cx, v, units, ptr, tagged);
      }
      if (v.is_latin1()) {
        return store_string_copy(cx, v, units, 1, 2, StringEncoding::Latin1Utf16, ptr, tagged);
      }
      return store_probably_utf16_to_latin1_or_utf16(cx, v, units, ptr, tagged);
  }
  return cx.trap(TrapKind::ValueMismatch, {"string"});
}

// definitions.py: store_string_copy (utf8->utf8, utf16->utf16, latin1->utf16,
// latin1->latin1)
bool store_string_copy(Cx& cx, const StringRef& src, uint32_t src_code_units,
                       uint32_t dst_code_unit_size, uint32_t dst_alignment,
                       StringEncoding dst_encoding, uint32_t* ptr, uint32_t* units) {
  const uint64_t dst_byte_length = uint64_t{dst_code_unit_size} * src_code_units;
  uint32_t p;
  if (!cx.allocate(dst_alignment, static_cast<uint32_t>(dst_byte_length), &p)) return false;
  if (!check_dst(cx, p, dst_alignment, dst_byte_length)) return false;
  uint8_t* d = cx.mem() + p;
  const uint8_t* s = src.bytes();
  if (dst_encoding == StringEncoding::Utf16 && src.is_latin1()) {
    for (uint32_t i = 0; i < src_code_units; ++i) put_unit(d, i, s[i]);
  } else {
    std::memmove(d, s, dst_byte_length);
  }
  *ptr = p;
  *units = src_code_units;
  // latin1+utf16 keeps the (untagged) latin1 length; the copy never changes representation.
  return true;
}

// definitions.py: store_utf16_to_utf8
bool store_utf16_to_utf8(Cx& cx, const StringRef& src, uint32_t src_code_units, uint32_t* ptr,
                         uint32_t* units) {
  return store_string_to_utf8(cx, src, src_code_units, uint64_t{src_code_units} * 3, ptr, units);
}

// definitions.py: store_latin1_to_utf8
bool store_latin1_to_utf8(Cx& cx, const StringRef& src, uint32_t src_code_units, uint32_t* ptr,
                          uint32_t* units) {
  return store_string_to_utf8(cx, src, src_code_units, uint64_t{src_code_units} * 2, ptr, units);
}

// definitions.py: store_string_to_utf8 (source utf16 or latin1). The ASCII prefix is written
// into the first allocation; at the first non-ASCII code point the buffer grows to the worst
// case, the rest is encoded, and the buffer shrinks to fit.
bool store_string_to_utf8(Cx& cx, const StringRef& src, uint32_t src_code_units,
                          uint64_t worst_case_size, uint32_t* ptr, uint32_t* units) {
  uint32_t p;
  if (!cx.allocate(1, src_code_units, &p)) return false;
  if (!cx.opts.memory.in_bounds(p, src_code_units)) {
    return cx.trap(TrapKind::ReallocStringOutOfBounds);
  }
  const bool utf16 = src.is_utf16();
  const uint8_t* s = src.bytes();
  uint8_t* d = cx.mem() + p;
  size_t i = 0;
  for (; i < src_code_units; ++i) {
    const uint32_t c = utf16 ? unit_at(s, i) : s[i];
    if (c >= 0x80) break;
    d[i] = static_cast<uint8_t>(c);
  }
  if (i == src_code_units) {
    *ptr = p;
    *units = src_code_units;
    return true;
  }
  if (!cx.reallocate(p, src_code_units, 1, static_cast<uint32_t>(worst_case_size), &p)) {
    return false;
  }
  if (!cx.opts.memory.in_bounds(p, worst_case_size)) {
    return cx.trap(TrapKind::ReallocStringOutOfBounds);
  }
  s = src.bytes();
  d = cx.mem() + p;
  size_t n = i;  // bytes written: the ASCII prefix (one byte per code unit)
  while (i < src_code_units) {
    const uint32_t c = utf16 ? next_utf16(s, i) : s[i++];
    n += utf8_put(d + n, c);
  }
  if (worst_case_size > n) {
    if (!cx.reallocate(p, static_cast<uint32_t>(worst_case_size), 1, static_cast<uint32_t>(n),
                       &p)) {
      return false;
    }
    if (!cx.opts.memory.in_bounds(p, n)) return cx.trap(TrapKind::ReallocStringOutOfBounds);
  }
  *ptr = p;
  *units = static_cast<uint32_t>(n);
  return true;
}

// definitions.py: store_utf8_to_utf16
bool store_utf8_to_utf16(Cx& cx, const StringRef& src, uint32_t src_code_units, uint32_t* ptr,
                         uint32_t* units) {
  const uint64_t worst_case_size = uint64_t{src_code_units} * 2;
  uint32_t p;
  if (!cx.allocate(2, static_cast<uint32_t>(worst_case_size), &p)) return false;
  if (!check_dst(cx, p, 2, worst_case_size)) return false;
  const uint8_t* s = src.bytes();
  uint8_t* d = cx.mem() + p;
  size_t j = 0;
  for (size_t i = 0; i < src_code_units;) {
    if (s[i] < 0x80) {  // ASCII run: widen byte by byte without decoding
      put_unit(d, j++, s[i++]);
      continue;
    }
    j += utf16_put(d, j, next_utf8(s, i));
  }
  const uint64_t len = uint64_t{j} * 2;
  if (len < worst_case_size) {
    if (!cx.reallocate(p, static_cast<uint32_t>(worst_case_size), 2, static_cast<uint32_t>(len),
                       &p)) {
      return false;
    }
    if (!check_dst(cx, p, 2, len)) return false;
  }
  *ptr = p;
  *units = static_cast<uint32_t>(j);
  return true;
}

// definitions.py: store_string_to_latin1_or_utf16 (source utf8 or utf16). Latin-1 while every
// code point fits a byte; at the first that does not, the bytes so far are inflated in place
// to UTF-16 and the rest is encoded as UTF-16.
bool store_string_to_latin1_or_utf16(Cx& cx, const StringRef& src, uint32_t src_code_units,
                                     uint32_t* ptr, uint32_t* tagged) {
  uint32_t p;
  if (!cx.allocate(2, src_code_units, &p)) return false;
  if (!check_dst(cx, p, 2, src_code_units)) return false;
  const bool utf16 = src.is_utf16();
  const uint8_t* s = src.bytes();
  uint8_t* d = cx.mem() + p;
  size_t dst_byte_length = 0;
  size_t i = 0;
  while (i < src_code_units) {
    const size_t at = i;
    const uint32_t c = next_cp(s, utf16, i);
    if (c < 0x100) {
      d[dst_byte_length++] = static_cast<uint8_t>(c);
      continue;
    }
    const uint64_t worst_case_size = uint64_t{src_code_units} * 2;
    if (!cx.reallocate(p, src_code_units, 2, static_cast<uint32_t>(worst_case_size), &p)) {
      return false;
    }
    if (!check_dst(cx, p, 2, worst_case_size)) return false;
    s = src.bytes();
    d = cx.mem() + p;
    for (size_t j = dst_byte_length; j-- > 0;) put_unit(d, j, d[j]);
    size_t j = dst_byte_length;
    i = at;
    while (i < src_code_units) j += utf16_put(d, j, next_cp(s, utf16, i));
    const uint64_t len = uint64_t{j} * 2;
    if (worst_case_size > len) {
      if (!cx.reallocate(p, static_cast<uint32_t>(worst_case_size), 2, static_cast<uint32_t>(len),
                         &p)) {
        return false;
      }
      if (!check_dst(cx, p, 2, len)) return false;
    }
    *ptr = p;
    *tagged = static_cast<uint32_t>(j) | kUtf16Tag;
    return true;
  }
  if (dst_byte_length < src_code_units) {
    if (!cx.reallocate(p, src_code_units, 2, static_cast<uint32_t>(dst_byte_length), &p)) {
      return false;
    }
    if (!check_dst(cx, p, 2, dst_byte_length)) return false;
  }
  *ptr = p;
  *tagged = static_cast<uint32_t>(dst_byte_length);
  return true;
}

// definitions.py: store_probably_utf16_to_latin1_or_utf16 (source: the utf16 form of
// latin1+utf16). Copied as UTF-16; compressed to Latin-1 when every unit fits a byte.
bool store_probably_utf16_to_latin1_or_utf16(Cx& cx, const StringRef& src, uint32_t src_code_units,
                                             uint32_t* ptr, uint32_t* tagged) {
  const uint64_t src_byte_length = uint64_t{src_code_units} * 2;
  uint32_t p;
  if (!cx.allocate(2, static_cast<uint32_t>(src_byte_length), &p)) return false;
  if (!check_dst(cx, p, 2, src_byte_length)) return false;
  uint8_t* d = cx.mem() + p;
  std::memmove(d, src.bytes(), src_byte_length);
  bool latin1 = true;
  for (uint32_t i = 0; i < src_code_units && latin1; ++i) latin1 = unit_at(d, i) < 0x100;
  if (!latin1) {
    *ptr = p;
    *tagged = src_code_units | kUtf16Tag;
    return true;
  }
  for (uint32_t i = 0; i < src_code_units; ++i) d[i] = d[2 * i];
  if (!cx.reallocate(p, static_cast<uint32_t>(src_byte_length), 1, src_code_units, &p)) {
    return false;
  }
  if (!cx.opts.memory.in_bounds(p, src_code_units)) {
    return cx.trap(TrapKind::ReallocStringOutOfBounds);
  }
  *ptr = p;
  *tagged = src_code_units;
  return true;
}

}  // namespace zinc::component::canon

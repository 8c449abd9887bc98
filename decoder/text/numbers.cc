// decoder/text/numbers.cc: range checks and IEEE conversion of text-format literals.
//
// Decimal and hex floats go through glibc's strtof/strtod on a copy without `_` separators:
// both are correctly rounded (round-to-nearest-even, hex included) and strtof parses straight
// to float, so there is no double rounding. NaN payloads and infinities are handled here.
#include "decoder/text/numbers.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string>

namespace zinc::decoder::text {
namespace {

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Magnitude of a digit string (decimal or `0x` hex, `_` allowed); nullopt on 64-bit overflow.
std::optional<uint64_t> parse_magnitude(std::string_view s) {
  uint64_t base = 10;
  if (s.starts_with("0x") || s.starts_with("0X")) {
    base = 16;
    s.remove_prefix(2);
  }
  if (s.empty()) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    int d = digit_value(c);
    if (d < 0 || static_cast<uint64_t>(d) >= base) return std::nullopt;
    if (v > (UINT64_MAX - static_cast<uint64_t>(d)) / base) return std::nullopt;
    v = v * base + static_cast<uint64_t>(d);
  }
  return v;
}

// Splits an optional sign off; returns true for '-'.
bool take_sign(std::string_view& s) {
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    bool neg = s[0] == '-';
    s.remove_prefix(1);
    return neg;
  }
  return false;
}

// Copies `s` without underscores into `buf` (NUL-terminated).
void strip_underscores(std::string_view s, std::string& buf) {
  buf.clear();
  buf.reserve(s.size() + 1);
  for (char c : s) {
    if (c != '_') buf += c;
  }
}

// Shared float logic: Bits is uint32_t or uint64_t; kMantBits the stored mantissa width.
template <typename Bits, int kMantBits, int kExpBits, typename Parse>
std::optional<Bits> parse_float(std::string_view text, Parse parse) {
  std::string_view s = text;
  bool neg = take_sign(s);
  const Bits sign_bit = Bits{1} << (kMantBits + kExpBits);
  const Bits exp_all = ((Bits{1} << kExpBits) - 1) << kMantBits;
  const Bits sign = neg ? sign_bit : 0;
  if (s == "inf") return sign | exp_all;
  if (s == "nan") return sign | exp_all | (Bits{1} << (kMantBits - 1));
  if (s.starts_with("nan:")) {
    auto payload = parse_magnitude(s.substr(4));
    if (!payload || *payload == 0 || *payload >= (uint64_t{1} << kMantBits)) return std::nullopt;
    return sign | exp_all | static_cast<Bits>(*payload);
  }
  thread_local std::string buf;
  strip_underscores(text, buf);
  errno = 0;
  char* end = nullptr;
  Bits bits = parse(buf.c_str(), &end);
  if (end != buf.c_str() + buf.size()) return std::nullopt;
  if ((bits & exp_all) == exp_all) return std::nullopt;  // finite literal rounded to infinity
  return bits;
}

}  // namespace

std::optional<uint64_t> parse_uint(std::string_view text) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return std::nullopt;
  return parse_magnitude(text);
}

std::optional<uint64_t> parse_int_bits(std::string_view text, unsigned bits) {
  std::string_view s = text;
  bool neg = take_sign(s);
  auto mag = parse_magnitude(s);
  if (!mag) return std::nullopt;
  uint64_t mask = bits == 64 ? UINT64_MAX : (uint64_t{1} << bits) - 1;
  if (neg) {
    uint64_t limit = uint64_t{1} << (bits - 1);  // |INT_MIN|
    if (*mag > limit) return std::nullopt;
    return (0 - *mag) & mask;
  }
  if (*mag > mask) return std::nullopt;
  return *mag;
}

std::optional<uint32_t> parse_f32_bits(std::string_view text) {
  return parse_float<uint32_t, 23, 8>(text, [](const char* p, char** end) {
    float f = std::strtof(p, end);
    uint32_t b;
    std::memcpy(&b, &f, 4);
    return b;
  });
}

std::optional<uint64_t> parse_f64_bits(std::string_view text) {
  return parse_float<uint64_t, 52, 11>(text, [](const char* p, char** end) {
    double d = std::strtod(p, end);
    uint64_t b;
    std::memcpy(&b, &d, 8);
    return b;
  });
}

}  // namespace zinc::decoder::text

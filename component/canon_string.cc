// component/canon_string.cc: strings in the Canonical ABI -- UTF-8/UTF-16 validation and the
// store_string_into_range cases, transcoding between utf8, utf16 and latin1+utf16 in every
// direction (definitions.py store_string_*).
//
// UTF-8 validation answers "valid?" fast -- short ASCII strings with two word loads, long
// strings 16 bytes per step with SSSE3 (x86-64 CPUs that have it), otherwise a table-driven
// DFA -- and only for an invalid string walks it byte by byte for the error position, so
// every path accepts exactly the same language (tests compare them).
//
// Invariants: a source StringRef from guest memory was validated by load_string_from_range;
// a host source (StringRef::host) is UTF-8 and validated here, so the encoders below may
// assume well-formed input. Guest memory pointers (source and destination) are re-read after
// every realloc call, which may grow (move) a memory. Every realloc result is checked for
// alignment and bounds exactly where the spec checks it.
// Spec: CanonicalABI.md "Storing" (store_string and its helpers).
#include <algorithm>

#include "component/canon.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define ZINC_UTF8_SSSE3 1
#else
#define ZINC_UTF8_SSSE3 0
#endif

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
inline bool check_dst(Cx& cx, uint32_t ptr, uint32_t alignment, uint64_t len) {
  if (ptr % alignment != 0) return cx.trap(TrapKind::ReallocUnaligned);
  if (!cx.opts.memory.in_bounds(ptr, len)) return cx.trap(TrapKind::ReallocStringOutOfBounds);
  return true;
}

// memmove, with the short strings of most calls copied inline (every byte is loaded before
// any is stored, so overlapping ranges are fine).
inline void move_bytes(uint8_t* d, const uint8_t* s, size_t n) {
  if (n > 16) {
    std::memmove(d, s, n);
  } else if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, s, 8);
    std::memcpy(&b, s + n - 8, 8);
    std::memcpy(d, &a, 8);
    std::memcpy(d + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, s, 4);
    std::memcpy(&b, s + n - 4, 4);
    std::memcpy(d, &a, 4);
    std::memcpy(d + n - 4, &b, 4);
  } else if (n > 0) {
    const uint8_t a = s[0], b = s[n / 2], c = s[n - 1];
    d[0] = a;
    d[n / 2] = b;
    d[n - 1] = c;
  }
}

// The length of the ASCII prefix of s[0..n) (16, then 8 bytes at a time).
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

namespace {

// A UTF-8 DFA over the sequences of Unicode Table 3-7, as a "shift DFA": each state is a bit
// offset into a 64-bit row, and row[b] holds, at the offset of every state, the state that byte
// b leads to. One step is `state = row[b] >> (state & 63)` (only the low six bits are
// meaningful), a single shift on the dependency chain. The error state is offset 0, so
// the zero fields of a row (every transition not listed) lead to it and it never leaves.
enum : uint32_t {
  kDfaError = 0,
  kDfaAccept = 6,
  kDfaCont1 = 12,  // one continuation byte left
  kDfaCont2 = 18,
  kDfaCont3 = 24,
  kDfaE0 = 30,  // after E0: A0..BF (no overlong 3-byte forms)
  kDfaEd = 36,  // after ED: 80..9F (no surrogates)
  kDfaF0 = 42,  // after F0: 90..BF (no overlong 4-byte forms)
  kDfaF4 = 48,  // after F4: 80..8F (nothing above U+10FFFF)
};

struct Utf8Dfa {
  uint64_t row[256] = {};
  constexpr void on(uint32_t from, uint32_t lo, uint32_t hi, uint64_t to) {
    for (uint32_t b = lo; b <= hi; ++b) row[b] |= to << from;
  }
  constexpr Utf8Dfa() {
    on(kDfaAccept, 0x00, 0x7F, kDfaAccept);
    on(kDfaAccept, 0xC2, 0xDF, kDfaCont1);
    on(kDfaAccept, 0xE0, 0xE0, kDfaE0);
    on(kDfaAccept, 0xE1, 0xEC, kDfaCont2);
    on(kDfaAccept, 0xED, 0xED, kDfaEd);
    on(kDfaAccept, 0xEE, 0xEF, kDfaCont2);
    on(kDfaAccept, 0xF0, 0xF0, kDfaF0);
    on(kDfaAccept, 0xF1, 0xF3, kDfaCont3);
    on(kDfaAccept, 0xF4, 0xF4, kDfaF4);
    on(kDfaCont1, 0x80, 0xBF, kDfaAccept);
    on(kDfaCont2, 0x80, 0xBF, kDfaCont1);
    on(kDfaCont3, 0x80, 0xBF, kDfaCont2);
    on(kDfaE0, 0xA0, 0xBF, kDfaCont1);
    on(kDfaEd, 0x80, 0x9F, kDfaCont1);
    on(kDfaF0, 0x90, 0xBF, kDfaCont2);
    on(kDfaF4, 0x80, 0x8F, kDfaCont2);
  }
};
constexpr Utf8Dfa kUtf8Dfa;

constexpr uint64_t kHighBits = 0x8080808080808080u;

inline uint64_t load64(const uint8_t* s) {
  uint64_t w;
  std::memcpy(&w, s, 8);
  return w;
}

// Runs the DFA over s[0..n) from `state`; returns the state (low six bits) at the end. ASCII
// runs of 16 bytes are skipped a word pair at a time while the DFA is between sequences.
uint32_t utf8_dfa_run(const uint8_t* s, size_t n, uint32_t state) {
  size_t i = 0;
  while (i < n) {
    if ((state & 63) == kDfaAccept) {
      while (i + 16 <= n && ((load64(s + i) | load64(s + i + 8)) & kHighBits) == 0) i += 16;
    }
    // 16 steps between checks: the error state absorbs, so checking late loses nothing.
    const size_t end = std::min(n, i + 16);
    for (; i < end; ++i) state = static_cast<uint32_t>(kUtf8Dfa.row[s[i]] >> (state & 63));
    if ((state & 63) == kDfaError) return kDfaError;
  }
  return state & 63;
}

}  // namespace

#if ZINC_UTF8_SSSE3
namespace {

// ---- SSSE3: 16 bytes per step ----
// The lookup algorithm of Keiser and Lemire ("Validating UTF-8 In Less Than One Instruction
// Per Byte", 2021). Every invalid pair of adjacent bytes (p, c) falls in an error class, and
// each class is a product of sets of nibbles: (high nibble of p) x (low nibble of p) x (high
// nibble of c). Giving each class a bit and setting it in three 16-entry tables over those
// sets, T1[p >> 4] & T2[p & 15] & T3[c >> 4] is nonzero exactly for the invalid pairs (three
// pshufb lookups per 16 pairs). Pairs cannot see the 3rd and 4th bytes of long sequences: a
// position two bytes after E0..FF or three after F0..FF must hold a continuation that
// follows a continuation (class kTwoConts), and kTwoConts anywhere else is an error; the XOR
// of the two conditions is nonzero where either fails. The tables below are computed from
// the class definitions.
enum : uint8_t {
  kTooShort = 1 << 0,      // C0..FF, then not a continuation
  kTooLong = 1 << 1,       // 00..7F, then a continuation
  kOverlong3 = 1 << 2,     // E0 80..9F
  kTooLarge = 1 << 3,      // F4..FF 90..BF
  kSurrogate = 1 << 4,     // ED A0..BF
  kOverlong2 = 1 << 5,     // C0..C1, then a continuation
  kTooLarge1000 = 1 << 6,  // F5..FF 80..8F, and F0 80..8F (overlong 4-byte forms)
  kTwoConts = 1 << 7,      // 80..BF 80..BF
};

constexpr uint16_t nibbles(int lo, int hi) {
  return static_cast<uint16_t>(((1u << (hi + 1)) - 1) & ~((1u << lo) - 1));
}

struct ErrorClass {
  uint8_t bit;
  uint16_t p_high, p_low, c_high;  // sets of nibbles, bit i for nibble i
};

constexpr ErrorClass kErrorClasses[] = {
    {kTooShort, nibbles(0xC, 0xF), nibbles(0, 0xF), nibbles(0, 7) | nibbles(0xC, 0xF)},
    {kTooLong, nibbles(0, 7), nibbles(0, 0xF), nibbles(8, 0xB)},
    {kOverlong3, nibbles(0xE, 0xE), nibbles(0, 0), nibbles(8, 9)},
    {kTooLarge, nibbles(0xF, 0xF), nibbles(4, 0xF), nibbles(9, 0xB)},
    {kSurrogate, nibbles(0xE, 0xE), nibbles(0xD, 0xD), nibbles(0xA, 0xB)},
    {kOverlong2, nibbles(0xC, 0xC), nibbles(0, 1), nibbles(8, 0xB)},
    {kTooLarge1000, nibbles(0xF, 0xF), nibbles(0, 0) | nibbles(5, 0xF), nibbles(8, 8)},
    {kTwoConts, nibbles(8, 0xB), nibbles(0, 0xF), nibbles(8, 0xB)},
};

struct alignas(16) PairTables {
  uint8_t p_high[16] = {};
  uint8_t p_low[16] = {};
  uint8_t c_high[16] = {};
  constexpr PairTables() {
    for (const ErrorClass& e : kErrorClasses) {
      for (int i = 0; i < 16; ++i) {
        if ((e.p_high >> i) & 1) p_high[i] |= e.bit;
        if ((e.p_low >> i) & 1) p_low[i] |= e.bit;
        if ((e.c_high >> i) & 1) c_high[i] |= e.bit;
      }
    }
  }
};
constexpr PairTables kPairTables;

// The error bits of the 16 bytes of `in`, each paired with the byte before it (the last
// bytes of `prev` for the first ones). Zero when every pair is valid.
__attribute__((target("ssse3"))) inline __m128i utf8_block_errors(__m128i in, __m128i prev) {
  const __m128i t1 = _mm_load_si128(reinterpret_cast<const __m128i*>(kPairTables.p_high));
  const __m128i t2 = _mm_load_si128(reinterpret_cast<const __m128i*>(kPairTables.p_low));
  const __m128i t3 = _mm_load_si128(reinterpret_cast<const __m128i*>(kPairTables.c_high));
  const __m128i low4 = _mm_set1_epi8(0x0F);
  const __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
  const __m128i pairs = _mm_and_si128(
      _mm_and_si128(_mm_shuffle_epi8(t1, _mm_and_si128(_mm_srli_epi16(prev1, 4), low4)),
                    _mm_shuffle_epi8(t2, _mm_and_si128(prev1, low4))),
      _mm_shuffle_epi8(t3, _mm_and_si128(_mm_srli_epi16(in, 4), low4)));
  // Where a continuation must follow a continuation: >= 0x80 after the saturating
  // subtractions exactly when the byte two back is >= E0 or the byte three back >= F0.
  const __m128i third = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 14), _mm_set1_epi8(0x60));
  const __m128i fourth = _mm_subs_epu8(_mm_alignr_epi8(in, prev, 13), _mm_set1_epi8(0x70));
  const __m128i must_two_conts =
      _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(static_cast<char>(0x80)));
  return _mm_xor_si128(pairs, must_two_conts);
}

__attribute__((target("ssse3"))) bool utf8_valid_ssse3(const uint8_t* s, size_t n) {
  __m128i prev = _mm_setzero_si128();
  __m128i errors = _mm_setzero_si128();
  bool prev_ascii = true;
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    if (prev_ascii) {  // ASCII runs: 64 bytes per test
      while (i + 64 <= n) {
        const auto* p = reinterpret_cast<const __m128i*>(s + i);
        const __m128i any =
            _mm_or_si128(_mm_or_si128(_mm_loadu_si128(p), _mm_loadu_si128(p + 1)),
                         _mm_or_si128(_mm_loadu_si128(p + 2), _mm_loadu_si128(p + 3)));
        if (_mm_movemask_epi8(any) != 0) break;
        i += 64;
      }
      if (i + 16 > n) break;
    }
    const __m128i in = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const bool ascii = _mm_movemask_epi8(in) == 0;
    // Two ASCII blocks in a row hold no error; after a non-ASCII block the pairs across the
    // boundary still need checking.
    if (!(ascii && prev_ascii)) errors = _mm_or_si128(errors, utf8_block_errors(in, prev));
    prev = in;
    prev_ascii = ascii;
  }
  if (i < n) {  // the tail, padded with zeros: a sequence cut short meets a 00
    alignas(16) uint8_t tail[16] = {};
    std::memcpy(tail, s + i, n - i);
    const __m128i in = _mm_load_si128(reinterpret_cast<const __m128i*>(tail));
    errors = _mm_or_si128(errors, utf8_block_errors(in, prev));
    prev = in;
  }
  // The end of the input counts as 00 bytes too (when n is a multiple of 16).
  errors = _mm_or_si128(errors, utf8_block_errors(_mm_setzero_si128(), prev));
  return _mm_movemask_epi8(_mm_cmpeq_epi8(errors, _mm_setzero_si128())) == 0xFFFF;
}

bool have_ssse3() {
  static const bool have = __builtin_cpu_supports("ssse3");
  return have;
}

}  // namespace
#endif  // ZINC_UTF8_SSSE3

bool utf8_valid_scalar(const uint8_t* s, size_t n) {
  const size_t a = ascii_prefix(s, n);
  return utf8_dfa_run(s + a, n - a, kDfaAccept) == kDfaAccept;
}

bool utf8_valid(const uint8_t* s, size_t n) {
  if (n <= 16) {  // short strings, mostly ASCII: one or two overlapping loads
    uint64_t w = 0;
    if (n >= 8) {
      w = load64(s) | load64(s + n - 8);
    } else if (n >= 4) {
      uint32_t x, y;
      std::memcpy(&x, s, 4);
      std::memcpy(&y, s + n - 4, 4);
      w = x | y;
    } else {
      for (size_t i = 0; i < n; ++i) w |= s[i];
    }
    if ((w & kHighBits) == 0) return true;
    return utf8_dfa_run(s, n, kDfaAccept) == kDfaAccept;
  }
#if ZINC_UTF8_SSSE3
  if (have_ssse3()) return utf8_valid_ssse3(s, n);
#endif
  return utf8_valid_scalar(s, n);
}

namespace {

// The first error of an input utf8_valid refused: a byte at a time, with Rust's Utf8Error
// classification (utf8_error_at).
Utf8Check utf8_find_error(const uint8_t* s, size_t n) {
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

}  // namespace

Utf8Check validate_utf8(const uint8_t* s, size_t n) {
  if (utf8_valid(s, n)) return Utf8Check{};
  return utf8_find_error(s, n);
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
  if (v.memory == nullptr) {
    // A host string: the only host encoding is UTF-8, checked here unless `matches` did (the
    // spec's values are well-formed by construction); `matches` does not bound the length.
    if (v.encoding != StringEncoding::Utf8 || v.byte_length() > kMaxStringByteLength) {
      return cx.trap(TrapKind::ValueMismatch, {"string"});
    }
    if (!cx.vals_checked && !utf8_valid(v.bytes(), v.byte_length())) {
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

bool store_host_string(Cx& cx, std::string_view s, uint32_t* ptr, uint32_t* tagged) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(s.data());
  if (!utf8_valid(bytes, s.size())) {
    return cx.trap(TrapKind::ValueMismatch, {"string (not valid UTF-8)"});
  }
  if (s.size() > kMaxStringByteLength) return cx.trap(TrapKind::ValueMismatch, {"string"});
  const uint32_t n = static_cast<uint32_t>(s.size());
  if (cx.opts.string_encoding == StringEncoding::Utf8 && cx.opts.memory.valid()) {
    // store_string_copy(cx, s, n, 1, 1, Utf8): alignment 1 needs no check.
    uint32_t p;
    if (!cx.allocate(1, n, &p)) return false;
    if (!cx.opts.memory.in_bounds(p, n)) return cx.trap(TrapKind::ReallocStringOutOfBounds);
    move_bytes(cx.mem() + p, bytes, n);
    *ptr = p;
    *tagged = n;
    return true;
  }
  // Checked above: store_string_into_range need not validate it again.
  const bool checked = cx.vals_checked;
  cx.vals_checked = true;
  const bool ok = store_string_into_range(cx, StringRef::utf8(s), ptr, tagged);
  cx.vals_checked = checked;
  return ok;
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
    move_bytes(d, s, dst_byte_length);
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

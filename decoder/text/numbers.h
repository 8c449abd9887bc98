// decoder/text/numbers.h: numeric literal conversion for the text format.
//
// Inputs are token texts the lexer classified as Int or Float (so the syntax is already
// valid); these functions only check ranges and convert. Integers for `iN.const` accept both
// the signed and the unsigned range of N bits and return the two's-complement bit pattern.
// Floats round to nearest-even (decimal and hex alike, f32 parsed directly, never via f64);
// a finite literal that rounds to infinity is out of range; `nan:0xP` needs 0 < P < 2^mantissa.
// Spec: https://webassembly.github.io/spec/core/text/values.html
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace zinc::decoder::text {

/// An unsigned literal (no sign allowed) that fits in 64 bits, e.g. an index or `offset=`.
std::optional<uint64_t> parse_uint(std::string_view text);

/// `iN` literal (N = 8, 16, 32 or 64) with signed-or-unsigned range; the N-bit pattern
/// zero-extended, or nullopt when out of range.
std::optional<uint64_t> parse_int_bits(std::string_view text, unsigned bits);

/// f32/f64 literal (Int or Float token) to its IEEE bit pattern, or nullopt when out of range.
std::optional<uint32_t> parse_f32_bits(std::string_view text);
std::optional<uint64_t> parse_f64_bits(std::string_view text);

}  // namespace zinc::decoder::text

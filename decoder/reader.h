// decoder/reader.h: bounds-checked byte reader with LEB128 and UTF-8 name decoding.
//
// Invariant: a Reader never reads outside [begin, end). Errors are sticky: the first failure is
// recorded with its absolute module offset, the cursor jumps to the end, and every later read
// returns zero without overwriting it, so decode loops only need to test `ok()` once per
// iteration. Error texts follow the spec tests ("unexpected end", "integer representation too
// long", "integer too large", "malformed UTF-8 encoding").
// Spec: https://webassembly.github.io/spec/core/binary/values.html
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "decoder/errors.h"

namespace zinc::decoder {

/// True when [p, p+n) is well-formed UTF-8 (no overlongs, surrogates or code points > 0x10FFFF).
bool is_valid_utf8(const uint8_t* p, size_t n);

class Reader {
 public:
  Reader() = default;
  /// `base_offset` is the module offset of `begin`, used in error offsets.
  Reader(const uint8_t* begin, const uint8_t* end, size_t base_offset = 0)
      : begin_(begin), pos_(begin), end_(end), base_(base_offset) {}

  bool ok() const { return error_.code == ErrorCode::None; }
  const Error& error() const { return error_; }
  Error take_error() { return std::move(error_); }

  /// Absolute module offset of the cursor.
  size_t offset() const { return base_ + static_cast<size_t>(pos_ - begin_); }
  /// Absolute module offset of a pointer inside this reader's range.
  size_t offset_of(const uint8_t* p) const { return base_ + static_cast<size_t>(p - begin_); }
  const uint8_t* pos() const { return pos_; }
  const uint8_t* end() const { return end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - pos_); }
  bool at_end() const { return pos_ >= end_; }

  /// Records the first error at the cursor (or `offset`) and stops the reader.
  void fail(ErrorCode code, std::string detail = {}) { fail_at(offset(), code, std::move(detail)); }
  void fail_at(size_t offset, ErrorCode code, std::string detail = {}) {
    if (ok()) error_ = Error{code, offset, Error::kNoFunc, std::move(detail)};
    pos_ = end_;
  }

  uint8_t u8() {
    if (pos_ < end_) return *pos_++;
    fail(ErrorCode::UnexpectedEnd);
    return 0;
  }
  /// The next byte, advancing; the caller has checked `!at_end()`.
  uint8_t next_unchecked() { return *pos_++; }
  uint8_t peek_u8() const { return pos_ < end_ ? *pos_ : 0; }

  uint32_t fixed_u32() {
    uint32_t v = 0;
    if (need(4)) {
      std::memcpy(&v, pos_, 4);
      pos_ += 4;
    }
    return v;
  }
  uint64_t fixed_u64() {
    uint64_t v = 0;
    if (need(8)) {
      std::memcpy(&v, pos_, 8);
      pos_ += 8;
    }
    return v;
  }

  /// Unsigned LEB128 u32.
  uint32_t u32() {
    if (end_ - pos_ >= 2) [[likely]] {
      const uint32_t b0 = pos_[0];
      if (b0 < 0x80) {
        ++pos_;
        return b0;
      }
      const uint32_t b1 = pos_[1];
      if (b1 < 0x80) {
        pos_ += 2;
        return (b0 & 0x7F) | (b1 << 7);
      }
    } else if (pos_ < end_ && *pos_ < 0x80) {
      return *pos_++;
    }
    return static_cast<uint32_t>(leb_slow(32, false));
  }
  /// Unsigned LEB128 u64.
  uint64_t u64() { return leb_slow(64, false); }
  /// Signed LEB128 s32.
  int32_t s32() {
    if (end_ - pos_ >= 2) [[likely]] {
      const uint32_t b0 = pos_[0];
      if (b0 < 0x80) {
        ++pos_;
        return static_cast<int32_t>(b0 << 25) >> 25;  // sign bit is 0x40
      }
      const uint32_t b1 = pos_[1];
      if (b1 < 0x80) {
        pos_ += 2;
        return static_cast<int32_t>(((b0 & 0x7F) | (b1 << 7)) << 18) >> 18;
      }
    } else if (pos_ < end_ && *pos_ < 0x40) {
      return *pos_++;
    }
    return static_cast<int32_t>(leb_slow(32, true));
  }
  /// Signed LEB128 s33 (block type indices).
  int64_t s33() { return static_cast<int64_t>(leb_slow(33, true)); }
  /// Signed LEB128 s64.
  int64_t s64() { return static_cast<int64_t>(leb_slow(64, true)); }

  /// Returns a pointer to the next n bytes and skips them, or nullptr (and fails) if fewer remain.
  const uint8_t* bytes(size_t n) {
    if (!need(n)) return nullptr;
    const uint8_t* p = pos_;
    pos_ += n;
    return p;
  }
  void skip(size_t n) { (void)bytes(n); }

  /// A `name`: u32 length then that many bytes of valid UTF-8.
  std::string_view name();

  /// Reads a vector length and checks that at least `count * min_elem_size` bytes remain, so
  /// a hostile count can never drive an allocation or a long loop. Fails with
  /// `too_long` (default: "unexpected end") otherwise.
  uint32_t count(size_t min_elem_size = 1, ErrorCode too_long = ErrorCode::UnexpectedEnd);

 private:
  bool need(size_t n) {
    if (remaining() >= n) return true;
    fail(ErrorCode::UnexpectedEnd);
    return false;
  }
  uint64_t leb_slow(unsigned bits, bool is_signed);

  const uint8_t* begin_ = nullptr;
  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  size_t base_ = 0;
  Error error_;
};

}  // namespace zinc::decoder

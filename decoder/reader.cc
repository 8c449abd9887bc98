// decoder/reader.cc: LEB128 slow path, names and UTF-8 validation.
#include "decoder/reader.h"

namespace zinc::decoder {

uint64_t Reader::leb_slow(unsigned bits, bool is_signed) {
  const size_t start = offset();
  const unsigned max_bytes = (bits + 6) / 7;
  uint64_t result = 0;
  unsigned shift = 0;
  for (unsigned i = 0; i < max_bytes; ++i) {
    if (pos_ >= end_) {
      fail(ErrorCode::UnexpectedEnd);
      return 0;
    }
    uint8_t b = *pos_++;
    const bool last = i + 1 == max_bytes;
    if (last) {
      if (b & 0x80) {
        fail_at(start, ErrorCode::IntegerTooLong);
        return 0;
      }
      // Bits of the final byte beyond `bits` must be zero (unsigned) or copies of the sign bit.
      const unsigned used = bits - shift;  // value bits that live in this byte (1..7)
      if (used < 7) {
        const uint8_t extra = static_cast<uint8_t>(b & 0x7F) >> used;
        if (is_signed) {
          const bool sign = (b >> (used - 1)) & 1;
          const uint8_t expect = sign ? static_cast<uint8_t>(0x7F >> used) : 0;
          if (extra != expect) {
            fail_at(start, ErrorCode::IntegerTooLarge);
            return 0;
          }
        } else if (extra != 0) {
          fail_at(start, ErrorCode::IntegerTooLarge);
          return 0;
        }
      }
    }
    result |= static_cast<uint64_t>(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) {
      if (is_signed && shift < 64 && (b & 0x40)) result |= ~uint64_t{0} << shift;
      break;
    }
  }
  if (is_signed && bits < 64) {
    // Sign-extend from `bits` so callers can narrow with a plain cast.
    const unsigned sh = 64 - bits;
    result = static_cast<uint64_t>(static_cast<int64_t>(result << sh) >> sh);
  } else if (!is_signed && bits < 64) {
    result &= (uint64_t{1} << bits) - 1;
  }
  return result;
}

uint32_t Reader::count(size_t min_elem_size, ErrorCode too_long) {
  const size_t start = offset();
  uint32_t n = u32();
  if (!ok()) return 0;
  if (min_elem_size != 0 && static_cast<uint64_t>(n) * min_elem_size > remaining()) {
    fail_at(start, too_long);
    return 0;
  }
  return n;
}

std::string_view Reader::name() {
  const size_t start = offset();
  uint32_t len = u32();
  if (!ok()) return {};
  if (len > remaining()) {
    fail_at(start, ErrorCode::LengthOutOfBounds);
    return {};
  }
  const uint8_t* p = pos_;
  if (!is_valid_utf8(p, len)) {
    fail_at(start, ErrorCode::MalformedUtf8);
    return {};
  }
  pos_ += len;
  return {reinterpret_cast<const char*>(p), len};
}

bool is_valid_utf8(const uint8_t* p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint8_t c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (n - i < len) return false;
    for (size_t k = 1; k < len; ++k) {
      uint8_t cc = p[i + k];
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;  // overlong
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

}  // namespace zinc::decoder

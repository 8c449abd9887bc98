// tests/decoder/reader_test.cc: LEB128, names and UTF-8 in the byte reader.
#include "decoder/reader.h"

#include <catch2/catch.hpp>
#include <vector>

using namespace zinc::decoder;

namespace {
Reader reader_of(const std::vector<uint8_t>& v) { return Reader(v.data(), v.data() + v.size()); }
}  // namespace

TEST_CASE("u32 LEB128 decodes canonical and padded forms", "[reader]") {
  std::vector<uint8_t> b{0x00, 0x7F, 0x80, 0x01, 0xE5, 0x8E, 0x26, 0x80, 0x80, 0x80, 0x80, 0x00,
                         0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  Reader r = reader_of(b);
  CHECK(r.u32() == 0);
  CHECK(r.u32() == 127);
  CHECK(r.u32() == 128);
  CHECK(r.u32() == 624485);
  CHECK(r.u32() == 0);  // five-byte padded zero is allowed
  CHECK(r.u32() == 0xFFFFFFFFu);
  CHECK(r.ok());
  CHECK(r.at_end());
}

TEST_CASE("u32 LEB128 rejects over-long and over-large encodings", "[reader]") {
  std::vector<uint8_t> too_long{0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  Reader r1 = reader_of(too_long);
  (void)r1.u32();
  CHECK(r1.error().code == ErrorCode::IntegerTooLong);
  CHECK(r1.error().offset == 0);

  std::vector<uint8_t> too_large{0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
  Reader r2 = reader_of(too_large);
  (void)r2.u32();
  CHECK(r2.error().code == ErrorCode::IntegerTooLarge);

  std::vector<uint8_t> truncated{0x80, 0x80};
  Reader r3 = reader_of(truncated);
  (void)r3.u32();
  CHECK(r3.error().code == ErrorCode::UnexpectedEnd);
}

TEST_CASE("signed LEB128 checks the sign bits of the last byte", "[reader]") {
  std::vector<uint8_t> b{0x7F, 0x80, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x80, 0x80, 0x80, 0x80,
                         0x78};
  Reader r = reader_of(b);
  CHECK(r.s32() == -1);
  CHECK(r.s32() == -128);
  CHECK(r.s32() == INT32_MAX);
  CHECK(r.s32() == INT32_MIN);
  CHECK(r.ok());

  std::vector<uint8_t> bad{0xFF, 0xFF, 0xFF, 0xFF, 0x4F};  // sign bit set, upper bits not
  Reader r2 = reader_of(bad);
  (void)r2.s32();
  CHECK(r2.error().code == ErrorCode::IntegerTooLarge);

  std::vector<uint8_t> s64max{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00};
  Reader r3 = reader_of(s64max);
  CHECK(r3.s64() == INT64_MAX);
  std::vector<uint8_t> s64bad{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02};
  Reader r4 = reader_of(s64bad);
  (void)r4.s64();
  CHECK(r4.error().code == ErrorCode::IntegerTooLarge);
  std::vector<uint8_t> s33{0x7F};
  Reader r5 = reader_of(s33);
  CHECK(r5.s33() == -1);
}

TEST_CASE("errors are sticky and keep the first offset", "[reader]") {
  std::vector<uint8_t> b{0x01};
  Reader r = reader_of(b);
  CHECK(r.u8() == 1);
  CHECK(r.fixed_u32() == 0);
  CHECK(r.error().code == ErrorCode::UnexpectedEnd);
  CHECK(r.error().offset == 1);
  r.fail(ErrorCode::TypeMismatch);
  CHECK(r.error().code == ErrorCode::UnexpectedEnd);
}

TEST_CASE("names are length-checked UTF-8", "[reader]") {
  std::vector<uint8_t> ok{0x03, 'a', 0xC3, 0xA9};
  Reader r = reader_of(ok);
  CHECK(r.name() == "a\xC3\xA9");
  std::vector<uint8_t> bad{0x02, 0xC0, 0x80};  // overlong NUL
  Reader r2 = reader_of(bad);
  (void)r2.name();
  CHECK(r2.error().code == ErrorCode::MalformedUtf8);
  std::vector<uint8_t> surrogate{0x03, 0xED, 0xA0, 0x80};
  CHECK_FALSE(is_valid_utf8(surrogate.data() + 1, 3));
  std::vector<uint8_t> long_len{0x05, 'a'};
  Reader r3 = reader_of(long_len);
  (void)r3.name();
  CHECK(r3.error().code == ErrorCode::LengthOutOfBounds);
}

TEST_CASE("count() refuses counts larger than the bytes present", "[reader]") {
  std::vector<uint8_t> b{0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00};
  Reader r = reader_of(b);
  CHECK(r.count(1) == 0);
  CHECK(r.error().code == ErrorCode::UnexpectedEnd);
}

// tests/decoder/text/lexer_test.cc: tokens, positions, comments, annotations, strings, numbers.
#include <catch2/catch.hpp>

#include "decoder/text/lexer.h"
#include "decoder/text/numbers.h"

namespace zinc::decoder::text {
namespace {

std::vector<Token> lex(std::string_view s) {
  auto r = tokenize(s);
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("lexer: token kinds and positions", "[text][lexer]") {
  auto t = lex("(module $m\n  (func $\"a b\" \"s\\n\" 12 -0x1F 1.5e3 nan:0x7 inf 0x 1_ x))");
  REQUIRE(t.size() == 18);
  CHECK(t[0].kind == TokenKind::LParen);
  CHECK(t[1].kind == TokenKind::Keyword);
  CHECK(t[2].kind == TokenKind::Id);
  CHECK(t[2].text == "$m");
  CHECK(t[3].kind == TokenKind::LParen);
  CHECK(t[3].pos.line == 2);
  CHECK(t[3].pos.col == 3);
  CHECK(t[5].kind == TokenKind::Id);
  CHECK(id_name(t[5].text) == "a b");
  CHECK(t[6].kind == TokenKind::String);
  CHECK(decode_string(t[6].text) == "s\n");
  CHECK(t[7].kind == TokenKind::Int);
  CHECK(t[8].kind == TokenKind::Int);
  CHECK(t[9].kind == TokenKind::Float);
  CHECK(t[10].kind == TokenKind::Float);
  CHECK(t[11].kind == TokenKind::Float);
  CHECK(t[12].kind == TokenKind::Reserved);  // 0x
  CHECK(t[13].kind == TokenKind::Reserved);  // 1_
  CHECK(t[14].kind == TokenKind::Keyword);   // x
  CHECK(t[15].kind == TokenKind::RParen);
  CHECK(t.back().kind == TokenKind::Eof);
}

TEST_CASE("lexer: comments and annotations are skipped", "[text][lexer]") {
  auto t = lex(";; line\n(; block (; nested ;) ;) a (@ann (x \"y)\") z) b ;; end");
  REQUIRE(t.size() == 3);
  CHECK(t[0].text == "a");
  CHECK(t[1].text == "b");
  CHECK(t[0].pos.line == 2);
  CHECK(t[0].pos.col == 26);
}

TEST_CASE("lexer: string escapes", "[text][lexer]") {
  auto t = lex(R"("\t\r\"\'\\\41\u{48}\u{1F600}")");
  CHECK(decode_string(t[0].text) == "\t\r\"'\\AH\xF0\x9F\x98\x80");
}

TEST_CASE("lexer: errors carry line and column", "[text][lexer]") {
  auto r = tokenize("a\n  \"unterminated");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().pos.line == 2);
  CHECK(r.error().pos.col == 3);
  CHECK_FALSE(tokenize("(; open").ok());
  CHECK_FALSE(tokenize("\"\\u{D800}\"").ok());
  CHECK_FALSE(tokenize("\"\\q\"").ok());
  CHECK(tokenize("\"\xC3\xA9\"").ok());
  CHECK(tokenize("\"\xC3\"").error().code == ErrorCode::MalformedUtf8);
}

TEST_CASE("lexer: glued tokens are reserved", "[text][lexer]") {
  auto t = lex("\"a\"\"b\" x\"a\" \"a\"0");
  REQUIRE(t.size() == 4);
  CHECK(t[0].kind == TokenKind::Reserved);
  CHECK(t[1].kind == TokenKind::Reserved);
  CHECK(t[2].kind == TokenKind::Reserved);
}

TEST_CASE("numbers: integer ranges", "[text][numbers]") {
  CHECK(parse_int_bits("-0x80000000", 32) == 0x80000000u);
  CHECK(parse_int_bits("0xFFFFFFFF", 32) == 0xFFFFFFFFu);
  CHECK(parse_int_bits("4294967295", 32) == 0xFFFFFFFFu);
  CHECK_FALSE(parse_int_bits("4294967296", 32));
  CHECK_FALSE(parse_int_bits("-2147483649", 32));
  CHECK(parse_int_bits("-1", 32) == 0xFFFFFFFFu);
  CHECK(parse_int_bits("+1_000", 32) == 1000u);
  CHECK(parse_int_bits("-0x8000_0000_0000_0000", 64) == 0x8000000000000000ull);
  CHECK(parse_int_bits("18446744073709551615", 64) == UINT64_MAX);
  CHECK_FALSE(parse_int_bits("18446744073709551616", 64));
  CHECK_FALSE(parse_int_bits("-9223372036854775809", 64));
  CHECK(parse_int_bits("-128", 8) == 0x80u);
  CHECK(parse_int_bits("255", 8) == 0xFFu);
  CHECK_FALSE(parse_int_bits("256", 8));
  CHECK(parse_uint("0x10") == 16u);
  CHECK_FALSE(parse_uint("-1"));
}

TEST_CASE("numbers: f32 and f64 conversion", "[text][numbers]") {
  CHECK(parse_f32_bits("1") == 0x3F800000u);
  CHECK(parse_f32_bits("-0.0") == 0x80000000u);
  CHECK(parse_f32_bits("0x1p-149") == 0x00000001u);
  CHECK(parse_f32_bits("0x1.fffffep127") == 0x7F7FFFFFu);
  CHECK_FALSE(parse_f32_bits("0x1.ffffffp127"));  // rounds to infinity
  CHECK_FALSE(parse_f32_bits("1e39"));
  CHECK(parse_f32_bits("340282356779733661637539395458142568447") == 0x7F7FFFFFu);
  CHECK_FALSE(parse_f32_bits("340282356779733661637539395458142568448"));
  // Ties to even in hex: 1 + 2^-24 is halfway between 1 and 1 + 2^-23.
  CHECK(parse_f32_bits("0x1.000001p0") == 0x3F800000u);
  CHECK(parse_f32_bits("0x1.000003p0") == 0x3F800002u);
  CHECK(parse_f32_bits("0x1.00000100000000000001p0") == 0x3F800001u);
  // A decimal that double rounding (via f64) would get wrong: 1 + 2^-24 + 2^-60.
  CHECK(parse_f32_bits("1.000000059604644776572590409") == 0x3F800001u);
  CHECK(parse_f32_bits("1_000.5") == parse_f32_bits("1000.5"));
  CHECK(parse_f32_bits("inf") == 0x7F800000u);
  CHECK(parse_f32_bits("-inf") == 0xFF800000u);
  CHECK(parse_f32_bits("nan") == 0x7FC00000u);
  CHECK(parse_f32_bits("-nan:0x1") == 0xFF800001u);
  CHECK(parse_f32_bits("nan:0x7f_ffff") == 0x7FFFFFFFu);
  CHECK_FALSE(parse_f32_bits("nan:0x0"));
  CHECK_FALSE(parse_f32_bits("nan:0x800000"));
  CHECK(parse_f64_bits("0x1p-1074") == 1u);
  CHECK(parse_f64_bits("1.5") == 0x3FF8000000000000ull);
  CHECK_FALSE(parse_f64_bits("0x1p1024"));
  CHECK_FALSE(parse_f64_bits("nan:0x10_0000_0000_0000"));
  CHECK(parse_f64_bits("nan:0xf_ffff_ffff_ffff") == 0x7FFFFFFFFFFFFFFFull);
  CHECK(parse_f64_bits("0x1.fffffffffffffp1023") == 0x7FEFFFFFFFFFFFFFull);
}

TEST_CASE("issue 4: annotations hold any token; their id must be there", "[text][lexer][issue4]") {
  // The 3.0 suite's annotations.wast did not parse: `,` `;` `[` `]` `{` `}` are reserved
  // characters, legal inside annotations.
  auto t = lex("a (@x , ; ] [ }} }x{ ({) ,{{};}] ;) (@\"q\" (@ y)) (@a x-y$yz\"aa\"-2) b");
  REQUIRE(t.size() == 3);
  CHECK(t[1].text == "b");
  for (std::string_view bad : {"(@)", "(@ x)", "(@(@a)x)", "(@\"\")", "(@ \"a\")"}) {
    auto r = tokenize(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::EmptyAnnotationId);
  }
  auto utf8 = tokenize("(@\"\\ef\")");
  REQUIRE_FALSE(utf8.ok());
  CHECK(utf8.error().code == ErrorCode::MalformedUtf8);
  // Outside strings, bytes that are not UTF-8 are malformed UTF-8; other characters illegal.
  for (std::string_view bad : {"(@a \x80)", "(@a \xff)", "\xc0", "a \xe0"}) {
    auto r = tokenize(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::MalformedUtf8);
  }
  auto illegal = tokenize(
      "(@a Hei\xc3\x9f"
      "e)");
  REQUIRE_FALSE(illegal.ok());
  CHECK(illegal.error().code == ErrorCode::IllegalCharacter);
  CHECK(illegal.error().pos.col == 8);
  CHECK_FALSE(tokenize("(@a \x01)").ok());
  CHECK_FALSE(tokenize("(@x (y)").ok());  // unclosed
}

TEST_CASE("issue 4: quoted identifiers must name UTF-8", "[text][lexer][issue4]") {
  // The 3.0 suite's id.wast: `$"\ef"` compiled.
  auto r = tokenize("(func $\"\\ef\")");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::MalformedUtf8);
  CHECK(r.error().pos.col == 7);
  CHECK(lex("$\"\\e2\\82\\ac \\u{41}\"")[0].kind == TokenKind::Id);
}

}  // namespace zinc::decoder::text

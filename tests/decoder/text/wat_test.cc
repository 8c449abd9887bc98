// tests/decoder/text/wat_test.cc: text modules encoded, then decoded by decode_module; error
// messages with line:col; WAST command parsing.
#include <catch2/catch.hpp>

#include "decoder/decode.h"
#include "decoder/text/parser.h"
#include "decoder/text/wast.h"
#include "decoder/text/wat_parser.h"

namespace zinc::decoder::text {
namespace {

std::shared_ptr<const Module> build(std::string_view wat) {
  auto bin = wat_to_binary(wat, "t.wat");
  if (!bin) FAIL(bin.error().to_string());
  auto m = decode_module(*bin);
  if (!m) FAIL(m.error().message() << " at " << m.error().offset);
  return *m;
}

TextError error_of(std::string_view wat) {
  auto bin = wat_to_binary(wat, "t.wat");
  REQUIRE_FALSE(bin.ok());
  return bin.error();
}

}  // namespace

TEST_CASE("wat: functions, forward references, implicit types in text order", "[text][wat]") {
  auto m = build(R"((module
    (type $t (func (param i32) (result i32)))
    (import "env" "f" (func $imp (param f64)))
    (func $a (export "a") (param $x i32) (result i32)
      (call $b (local.get $x)))
    (func $b (type $t) (i32.add (local.get 0) (i32.const 1)))
    (func $c (result i64 i64) (i64.const 1) (i64.const 2))
  ))");
  REQUIRE(m->types.size() == 3);
  CHECK(m->types[1].func.params == std::vector<ValType>{kF64});  // implicit, from the import
  CHECK(m->types[2].func.results == std::vector<ValType>{kI64, kI64});
  REQUIRE(m->funcs.size() == 4);
  CHECK(m->funcs[0].imported);
  CHECK(m->funcs[1].type_index == 0);  // inline signature reuses $t
  CHECK(m->funcs[2].type_index == 0);
  REQUIRE(m->exports.size() == 1);
  CHECK(m->exports[0].name == "a");
  CHECK(m->exports[0].index == 1);
  // `call $b` is a forward reference to function 2: body is 0x20 0x00 0x10 0x02 0x0b.
  auto code = m->slice(m->bodies[0].code);
  CHECK(std::vector<uint8_t>(code.begin(), code.end()) ==
        std::vector<uint8_t>{0x20, 0x00, 0x10, 0x02, 0x0B});
}

TEST_CASE("wat: folded and flat instructions encode the same", "[text][wat]") {
  auto folded = wat_to_binary(
      "(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) "
      "(else (block $l (result i32) (br $l (i32.const 2))))))");
  auto flat = wat_to_binary(
      "(func (param i32) (result i32) local.get 0 if (result i32) i32.const 1 else "
      "block $l (result i32) i32.const 2 br $l end $l end)");
  REQUIRE(folded.ok());
  REQUIRE(flat.ok());
  CHECK(*folded == *flat);
}

TEST_CASE("wat: tables, memories, globals, segments and the data count", "[text][wat]") {
  auto m = build(R"((module
    (table $t (export "t") funcref (elem $f $f))
    (table $u 1 externref)
    (memory (data "hello" "!"))
    (global $g (mut i32) (i32.const 7))
    (global (export "h") i64 (i64.const -1))
    (elem $p func $f)
    (elem (table $u) (offset (i32.const 0)) externref (ref.null extern))
    (elem declare funcref (item ref.func $f))
    (data $d "xyz")
    (func $f (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1)) (data.drop $d)
      (table.init $t $p (i32.const 0) (i32.const 0) (i32.const 0)))
    (start $f)
  ))");
  REQUIRE(m->tables.size() == 2);
  CHECK(m->tables[0].limits.min == 2);
  CHECK(m->tables[0].limits.max == 2);
  CHECK(m->tables[1].elem == kExternRef);
  REQUIRE(m->memories.size() == 1);
  CHECK(m->memories[0].limits.min == 1);
  REQUIRE(m->globals.size() == 2);
  CHECK(m->globals[0].type.mut);
  REQUIRE(m->elems.size() == 4);
  CHECK(m->elems[0].mode == SegmentMode::Active);
  CHECK(m->elems[1].mode == SegmentMode::Passive);
  CHECK(m->elems[2].table_index == 1);
  CHECK(m->elems[3].mode == SegmentMode::Declarative);
  REQUIRE(m->datas.size() == 2);
  CHECK(m->datas[0].bytes.size == 6);
  CHECK(m->datas[1].mode == SegmentMode::Passive);
  CHECK(m->data_count == 2u);
  CHECK(m->start == 0u);
}

TEST_CASE("wat: SIMD constants, shuffles, lanes and memargs", "[text][wat]") {
  auto m = build(R"((module (memory 1)
    (func (result v128)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31
        (v128.const f32x4 1.0 -inf nan 0x1p3)
        (v128.load offset=16 align=8 (i32.const 0))))
    (func (result i32) (i8x16.extract_lane_u 15 (v128.const i16x8 -1 0 0 0 0 0 0 0xffff)))
    (func (v128.store8_lane 1 (i32.const 0) (v128.const i64x2 -1 0x7fffffffffffffff)))
  ))");
  CHECK(m->bodies.size() == 3);
}

TEST_CASE("wat: errors carry file:line:col and the spec's wording", "[text][wat]") {
  auto e = error_of("(module\n  (func (i32.add2)))");
  CHECK(e.code == ErrorCode::UnknownOperator);
  CHECK(e.to_string() == "t.wat:2:10: unknown operator i32.add2");
  CHECK(error_of("(func (i32.const 4294967296) drop)").code == ErrorCode::ConstantOutOfRange);
  CHECK(error_of("(func (i32.const 0x) drop)").code == ErrorCode::UnknownOperator);
  CHECK(error_of("(func (f32.const) drop)").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))").code ==
        ErrorCode::AlignmentNotPowerOfTwo);
  CHECK(error_of("(func block $a end $b)").code == ErrorCode::MismatchingLabel);
  CHECK(error_of("(func (br $nowhere))").code == ErrorCode::UnknownLabel);
  CHECK(error_of("(func (call $nowhere))").code == ErrorCode::UnknownFunction);
  CHECK(error_of("(func $f) (func $f)").code == ErrorCode::DuplicateFunc);
  CHECK(error_of("(func (param $x i32) (local $x i32))").code == ErrorCode::DuplicateLocal);
  CHECK(error_of("(type (func)) (func (type 0) (param i32))").code ==
        ErrorCode::InlineFunctionType);
  CHECK(error_of("(func) (import \"\" \"\" (func))").code == ErrorCode::ImportAfterFunction);
  CHECK(error_of("(func (v128.const i32x4 0 0 0) drop)").code ==
        ErrorCode::WrongNumberOfLaneLiterals);
  CHECK(error_of("(func $f) (start $f) (start $f)").code == ErrorCode::MultipleStartSections);
  CHECK(error_of("(func (export \"\\ff\"))").code == ErrorCode::MalformedUtf8);
  // Numeric indices out of range are the validator's business, not the parser's.
  auto bin = wat_to_binary("(func (call 7))");
  REQUIRE(bin.ok());
  CHECK_FALSE(decode_module(*bin).ok());
}

TEST_CASE("wast: commands, values and module forms", "[text][wast]") {
  auto s = parse_wast(R"W(
(module $m (func (export "f") (param i32) (result i32) (local.get 0)))
(module binary "\00asm" "\01\00\00\00")
(register "m" $m)
(assert_return (invoke $m "f" (i32.const -1)) (i32.const 0xffffffff))
(assert_return (invoke "g") (f32.const nan:canonical) (v128.const f64x2 nan:arithmetic 1)
  (ref.null extern) (ref.extern 3) (ref.func))
(assert_trap (invoke "f" (i64.const 1)) "unreachable")
(assert_malformed (module quote "(func" " i32.add2)") "unknown operator")
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_exhaustion (invoke "loop") "call stack exhausted")
(assert_unlinkable (module (import "x" "y" (func))) "unknown import")
(get "g")
)W", "s.wast");
  REQUIRE(s.ok());
  const auto& c = s->commands;
  REQUIRE(c.size() == 11);
  CHECK(c[0].kind == CommandKind::Module);
  CHECK(c[0].module.id == "$m");
  CHECK(c[0].line == 2);
  CHECK(encode_script_module(c[0].module).ok());
  CHECK(c[1].module.format == ModuleFormat::Binary);
  CHECK(c[1].module.binary.size() == 8);
  CHECK(c[2].register_name == "m");
  CHECK(c[3].action.module == "$m");
  CHECK(c[3].action.args[0].bits[0] == 0xFFFFFFFFu);
  REQUIRE(c[4].expected.size() == 5);
  CHECK(c[4].expected[0].nan[0] == Value::NanPattern::Canonical);
  CHECK(c[4].expected[1].nan[0] == Value::NanPattern::Arithmetic);
  CHECK(c[4].expected[1].bits[1] == 0x3FF0000000000000ull);
  CHECK(c[4].expected[2].kind == Value::Kind::RefNull);
  CHECK(c[4].expected[3].index == 3u);
  CHECK_FALSE(c[4].expected[4].has_index);
  CHECK(c[5].message == "unreachable");
  CHECK(c[6].module.format == ModuleFormat::Quote);
  auto bad = encode_script_module(c[6].module);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == ErrorCode::UnknownOperator);
  CHECK(c[7].kind == CommandKind::AssertInvalid);
  CHECK(c[8].kind == CommandKind::AssertExhaustion);
  CHECK(c[9].kind == CommandKind::AssertUnlinkable);
  CHECK(c[10].action.kind == Action::Kind::Get);
  CHECK_FALSE(parse_wast("(assert_return (invoke \"f\") (i32.const 1.5))").ok());
  CHECK_FALSE(parse_wast("(bogus)").ok());
}

// ---- Regressions found by issue 4's fuzzing and spec-suite work ----

TEST_CASE("issue 4: deeply nested folded instructions are refused, not a stack overflow",
          "[text][wat][issue4]") {
  // wat_fuzzer: 30,000 nested `(i32.add` overflowed the stack through parse_folded_instr.
  std::string deep = "(func (result i32) ";
  for (int i = 0; i < 30000; ++i) deep += "(i32.add ";
  for (int i = 0; i < 30001; ++i) deep += ")";
  auto e = error_of(deep);
  CHECK(e.code == ErrorCode::ImplementationLimit);
  CHECK(e.pos.col == 20 + 9 * kMaxFoldedDepth);  // the `(` one past the limit
  // Exactly at the limit is fine.
  std::string ok = "(func (result i32) ";
  for (uint32_t i = 0; i + 1 < kMaxFoldedDepth; ++i) ok += "(i32.eqz ";
  ok += "(i32.const 0)";
  for (uint32_t i = 0; i + 1 < kMaxFoldedDepth; ++i) ok += ")";
  ok += ")";
  CHECK(build(ok)->bodies.size() == 1);
  // Folded blocks count too.
  std::string blocks = "(func ";
  for (int i = 0; i < 5000; ++i) blocks += "(block ";
  for (int i = 0; i < 5001; ++i) blocks += ")";
  CHECK(error_of(blocks).code == ErrorCode::ImplementationLimit);
}

TEST_CASE("issue 4: deeply nested flat blocks parse without recursion", "[text][wat][issue4]") {
  // wat_fuzzer: 30,000 nested flat `block`s overflowed the stack through parse_block_plain.
  std::string deep = "(func ";
  for (int i = 0; i < 30000; ++i) deep += i % 3 == 0 ? "block $l " : i % 3 == 1 ? "loop " : "";
  for (int i = 0; i < 30000; ++i) {
    deep += (29999 - i) % 3 == 0 ? "end $l " : (29999 - i) % 3 == 1 ? "end " : "";
  }
  deep += ")";
  auto m = build(deep);
  CHECK(m->bodies[0].max_control_depth >= 20000);
  // Flat and folded nest inside each other; labels resolve across both.
  auto mixed = build(
      "(func (param i32) (block $a (loop $b local.get 0 if $c (br_if $a (local.get 0)) else "
      "(block $d br $b) end $c)))");
  CHECK(mixed->bodies.size() == 1);
  // The errors of the recursive parser are kept.
  CHECK(error_of("(func block end end)").to_string() == "t.wat:1:17: unexpected token: end");
  CHECK(error_of("(func block)").to_string() == "t.wat:1:12: unexpected token: )");
  CHECK(error_of("(func block else end)").to_string() == "t.wat:1:13: unexpected token: else");
  CHECK(error_of("(func i32.const 0 if else else end)").to_string() ==
        "t.wat:1:27: unexpected token: else");
  CHECK(error_of("(func loop $x end $y)").code == ErrorCode::MismatchingLabel);
  CHECK(error_of("(func (block end))").code == ErrorCode::UnexpectedToken);
}

TEST_CASE("issue 4: nested `either` patterns are bounded", "[text][wast][issue4]") {
  std::string deep = "(assert_return (invoke \"f\") ";
  for (int i = 0; i < 30000; ++i) deep += "(either ";
  for (int i = 0; i < 30001; ++i) deep += ")";
  auto s = parse_wast(deep);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == ErrorCode::ImplementationLimit);
  CHECK(parse_wast("(assert_return (invoke \"f\") (either (either (i32.const 1)) (i32.const 2)))")
            .ok());
}

TEST_CASE("issue 4: `(ref.null)` and `(ref.null $t)` result patterns", "[text][wast][issue4]") {
  // The 3.0 suite's global.wast, ref_null.wast, select.wast and table.wast did not parse.
  auto s = parse_wast("(assert_return (invoke \"f\") (ref.null) (ref.null $t) (ref.null func))");
  REQUIRE(s.ok());
  const auto& e = s->commands[0].expected;
  REQUIRE(e.size() == 3);
  CHECK(e[0].kind == Value::Kind::RefNull);
  CHECK(e[0].heap.kind == HeapKind::Any);
  CHECK(e[1].heap.kind == HeapKind::Any);
  CHECK(e[2].heap.kind == HeapKind::Func);
  // As an argument a null needs its type.
  CHECK_FALSE(parse_wast("(invoke \"f\" (ref.null))").ok());
}

TEST_CASE("issue 4: text modules are told from binaries", "[text][wat][issue4]") {
  auto text = [](std::string_view s) {
    return looks_like_text_module(
        std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  };
  CHECK(text("(module)"));
  CHECK(text("  \n\t(func)"));
  CHECK(text(";; comment\n(; block (; nested ;) ;)(memory 1)"));
  CHECK(text("(; unterminated"));  // the lexer reports it
  CHECK_FALSE(text(std::string_view("\0asm\1\0\0\0", 8)));
  CHECK_FALSE(text(std::string_view("\0asm(", 5)));
  CHECK_FALSE(text("not wasm"));
  CHECK_FALSE(text(""));
  CHECK_FALSE(text(" ;; only a comment"));
}

}  // namespace zinc::decoder::text

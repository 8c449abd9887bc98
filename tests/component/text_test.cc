// tests/component/text_test.cc: the component text format (component/text/): byte-exact
// encodings of small components (checked by hand against Binary.md and against wasm-tools),
// identifier resolution and its implicit aliases, errors with file:line:col, and the WAST
// component commands and values.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "component/text/component_text.h"
#include "component/text/values.h"
#include "decoder/text/wast.h"
#include "decoder/text/wat_parser.h"

namespace {

using zinc::component::Val;
using zinc::component::ValKind;
namespace ct = zinc::component::text;
namespace dt = zinc::decoder::text;

using Bytes = std::vector<uint8_t>;

const Bytes kPreamble = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};

Bytes with_preamble(std::initializer_list<uint8_t> sections) {
  Bytes b = kPreamble;
  b.insert(b.end(), sections);
  return b;
}

Bytes encode(std::string_view text) {
  auto r = ct::component_wat_to_binary(text, "t.wat");
  if (!r) FAIL(r.error().to_string());
  return *r;
}

std::string error_of(std::string_view text) {
  auto r = ct::component_wat_to_binary(text, "t.wat");
  REQUIRE_FALSE(r);
  return r.error().to_string();
}

Val value(std::string_view text) {
  auto r = ct::parse_component_value(text);
  if (!r) FAIL(r.error().to_string());
  return *r;
}

}  // namespace

TEST_CASE("empty component is the preamble", "[component-text]") {
  CHECK(encode("(component)") == kPreamble);
  CHECK(encode("(component $c)") == kPreamble);
  CHECK(encode("") == kPreamble);  // bare (no) fields
}

TEST_CASE("inline value and function types become type definitions", "[component-text]") {
  // type 0 = (list u8); the import's inline func type is type 1 in the same section.
  CHECK(encode(R"((component
      (type $t (list u8))
      (import "f" (func (param "x" $t) (result string)))))") ==
        with_preamble({0x07, 0x0a, 0x02, 0x70, 0x7d, 0x40, 0x01, 0x01, 0x78, 0x00,
                       0x00, 0x73, 0x0a, 0x06, 0x01, 0x00, 0x01, 0x66, 0x01, 0x01}));
  // Nested inline types are defined innermost first: (list u8) = 0, (option 0) = 1, func = 2.
  CHECK(encode(R"((component (import "f" (func (param "x" (option (list u8)))))))") ==
        with_preamble({0x07, 0x0c, 0x03, 0x70, 0x7d, 0x6b, 0x00, 0x40, 0x01, 0x01, 0x78,
                       0x01, 0x01, 0x00, 0x0a, 0x06, 0x01, 0x00, 0x01, 0x66, 0x01, 0x02}));
}

TEST_CASE("export-name references become alias definitions", "[component-text]") {
  CHECK(encode(R"((component
      (import "i" (instance $i (export "f" (func))))
      (export "g" (func $i "f"))))") ==
        with_preamble({// type 0: (instance (type (func)) (export "f" (func (type 0))))
                       0x07, 0x0e, 0x01, 0x42, 0x02, 0x01, 0x40, 0x00, 0x01, 0x00, 0x04, 0x00, 0x01,
                       0x66, 0x01, 0x00,
                       // import "i" (instance (type 0))
                       0x0a, 0x06, 0x01, 0x00, 0x01, 0x69, 0x05, 0x00,
                       // alias export 0 "f" (func)
                       0x06, 0x06, 0x01, 0x01, 0x00, 0x00, 0x01, 0x66,
                       // export "g" (func 0)
                       0x0b, 0x07, 0x01, 0x00, 0x01, 0x67, 0x01, 0x00, 0x00}));
}

TEST_CASE("identifiers of enclosing components become outer aliases", "[component-text]") {
  Bytes nested = with_preamble({0x06, 0x05, 0x01, 0x03, 0x02, 0x01, 0x00,  // alias outer 1 0
                                0x07, 0x03, 0x01, 0x70, 0x00});            // (type (list 0))
  Bytes want = with_preamble({0x07, 0x02, 0x01, 0x7d, 0x04, static_cast<uint8_t>(nested.size())});
  want.insert(want.end(), nested.begin(), nested.end());
  CHECK(
      encode("(component $C (type $t u8) (component (type (list $t)) (type (list $t))))").size() ==
      want.size() + 2);  // the second use reuses the alias: one more type
  CHECK(encode("(component $C (type $t u8) (component (type (list $t))))") == want);
  // Explicit form, naming the outer component.
  CHECK(encode("(component $C (type $t u8) (component (alias outer $C $t (type $u)) "
               "(type (list $u))))") == want);
}

TEST_CASE("inline exports come last; canon lift resolves its type first", "[component-text]") {
  auto core = dt::wat_to_binary(R"((func (export "f")))");
  REQUIRE(core);
  Bytes want = kPreamble;
  want.push_back(0x01);
  want.push_back(static_cast<uint8_t>(core->size()));
  want.insert(want.end(), core->begin(), core->end());
  want.insert(want.end(), {
                              0x02, 0x04, 0x01, 0x00, 0x00, 0x00,  // core instance (instantiate 0)
                              0x07, 0x05, 0x01, 0x40, 0x00, 0x01, 0x00,  // type 0: (func)
                              0x06, 0x07, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x66,  // alias
                              0x08, 0x06, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,        // canon lift
                              0x07, 0x02, 0x01, 0x7d,                                // type $u u8
                              0x0b, 0x07, 0x01, 0x00, 0x01, 0x61, 0x01, 0x00, 0x00,  // export
                          });
  CHECK(encode(R"((component
      (core module $m (func (export "f")))
      (core instance $i (instantiate $m))
      (func (export "a") (canon lift (core func $i "f")))
      (type $u u8)))") == want);
}

TEST_CASE("nested components, also in binary form", "[component-text]") {
  Bytes inner = encode("(component (type u8))");
  Bytes want = kPreamble;
  want.push_back(0x04);
  want.push_back(static_cast<uint8_t>(inner.size()));
  want.insert(want.end(), inner.begin(), inner.end());
  want.insert(want.end(), {0x05, 0x04, 0x01, 0x00, 0x00, 0x00});  // (instance (instantiate 0))
  CHECK(encode("(component (component $c (type u8)) (instance (instantiate $c)))") == want);
  CHECK(encode("(component (component $c binary \"\\00asm\\0d\\00\\01\\00\" "
               "\"\\07\\02\\01\\7d\") (instance (instantiate $c)))") == want);
}

TEST_CASE("canon built-ins and options", "[component-text]") {
  Bytes b = encode(R"((component
      (type $r (resource (rep i32)))
      (core func (canon resource.new $r))
      (core func (canon resource.drop $r))
      (core func (canon backpressure.inc))))");
  CHECK(b == with_preamble({0x07, 0x04, 0x01, 0x3f, 0x7f, 0x00,                 // resource
                            0x08, 0x06, 0x03, 0x02, 0x00, 0x03, 0x00, 0x24}));  // 3 canons
  // string-encoding, memory (with the legacy export-name sugar) and realloc options.
  Bytes lower = encode(R"((component
      (import "f" (func $f (param "s" string)))
      (core module $m (memory (export "mem") 1) (func (export "r") (param i32 i32 i32 i32) (result i32) unreachable))
      (core instance $i (instantiate $m))
      (core func (canon lower (func $f) string-encoding=utf16 (memory $i "mem") (realloc (core func $i "r"))))))");
  // The canon section: lower func 0, 3 options: utf16, memory 0, realloc 0.
  Bytes tail = {0x08, 0x0a, 0x01, 0x01, 0x00, 0x00, 0x03, 0x01, 0x03, 0x00, 0x04, 0x00};
  REQUIRE(lower.size() > tail.size());
  CHECK(Bytes(lower.end() - static_cast<long>(tail.size()), lower.end()) == tail);
}

TEST_CASE("text errors carry file:line:col", "[component-text]") {
  CHECK(error_of("(component\n  (export \"x\" (func $nope)))") ==
        "t.wat:2:21: unknown function: failed to find func named $nope");
  CHECK(error_of("(component (import \"x\" (func $x)) (component (export \"x\" (func $x))))")
            .find("outer item `x` is not a module, type, or component") != std::string::npos);
  CHECK(error_of("(component (type $t u8) (type $t u8))").find("t.wat:1:31") == 0);
  CHECK(error_of("(component (frob))").find("t.wat:1:13: unexpected token") == 0);
  CHECK(error_of("(component (type (list u8))").find("t.wat:") == 0);  // unbalanced
  CHECK(error_of("(component) (component)").find("t.wat:1:13") == 0);
  // Errors inside an embedded core module come from the core text parser, with positions.
  CHECK(error_of("(component\n (core module (func (frob))))").find("t.wat:2:") == 0);
}

TEST_CASE("deep nesting is an implementation limit, not a crash", "[component-text]") {
  std::string deep = "(component (type ";
  for (int i = 0; i < 5000; ++i) deep += "(list ";
  deep += "u8";
  for (int i = 0; i < 5000; ++i) deep += ")";
  deep += "))";
  CHECK(error_of(deep).find("implementation limit") != std::string::npos);
  std::string nested = "(component ";
  for (int i = 0; i < 5000; ++i) nested += "(component ";
  for (int i = 0; i < 5001; ++i) nested += ")";
  CHECK(error_of(nested).find("implementation limit") != std::string::npos);
}

TEST_CASE("component values parse into Val trees", "[component-text][wast]") {
  CHECK(value("(u32.const 0xffff_ffff)").bits == 0xffffffffu);
  CHECK(value("(s8.const 255)").as_signed() == -1);  // signed kinds take the unsigned range
  CHECK(value("(s64.const -5)").as_signed() == -5);
  CHECK(value("(bool.const true)").as_bool());
  CHECK(value("(char.const \"\xF0\x9F\x8D\xB0\")").bits == 0x1F370);
  CHECK(value("(f32.const 1.5)").as_f32() == 1.5f);
  Val r =
      value(R"((record.const (field "a" str.const "hi") (field "b" (list.const (u8.const 1)))))");
  REQUIRE(r.kind == ValKind::Record);
  CHECK(r.names == std::vector<std::string>{"a", "b"});
  CHECK(r.items[0].str == "hi");
  CHECK(r.items[1].items.size() == 1);
  // Record fields write their values without parentheses (wast); parentheses are accepted.
  CHECK(value(R"((record.const (field "n" u32.const 7)))").items[0].bits == 7);
  Val v = value(R"((variant.const "n" (u32.const 99)))");
  CHECK((v.kind == ValKind::Variant && v.str == "n" && v.items.size() == 1));
  CHECK(value("(variant.const \"x\")").items.empty());
  CHECK(value("(option.none)").items.empty());
  CHECK(value("(option.some (u8.const 1))").items.size() == 1);
  Val err = value("(result.err)");
  CHECK((err.kind == ValKind::Result && !err.is_ok && err.items.empty()));
  CHECK(value("(flags.const \"a\" \"c\")").names == std::vector<std::string>{"a", "c"});
  CHECK(value("(enum.const \"red\")").str == "red");
  CHECK(value("(tuple.const (u8.const 1) (u16.const 2))").items[1].kind == ValKind::U16);

  for (const char* bad :
       {"(u8.const 256)", "(u8.const -1)", "(s16.const 65536)", "(char.const \"ab\")",
        "(char.const \"\")", "(bool.const 1)", "(option.some)", "(str.const \"\\ff\")",
        "(u32.const 1", "(nope.const)", "(u32.const 1) (u32.const 2)"}) {
    INFO(bad);
    CHECK_FALSE(ct::parse_component_value(bad));
  }
}

TEST_CASE("every component value keyword of wast.cc is parsed", "[component-text][wast]") {
  const char* samples[] = {"(bool.const false)", "(u8.const 1)",     "(s8.const 1)",
                           "(u16.const 1)",      "(s16.const 1)",    "(u32.const 1)",
                           "(s32.const 1)",      "(u64.const 1)",    "(s64.const 1)",
                           "(char.const \"a\")", "(str.const \"\")", "(list.const)",
                           "(record.const)",     "(tuple.const)",    "(variant.const \"a\")",
                           "(enum.const \"a\")", "(option.none)",    "(option.some (u8.const 1))",
                           "(result.ok)",        "(result.err)",     "(flags.const)"};
  size_t covered = 0;
  for (const char* s : samples) {
    INFO(s);
    std::string_view kw(s + 1);
    kw = kw.substr(0, kw.find_first_of(" )"));
    CHECK(dt::is_component_value_keyword(kw));
    CHECK(ct::parse_component_value(s));
    ++covered;
  }
  CHECK(covered == 21);
  CHECK_FALSE(dt::is_component_value_keyword("i32.const"));
}

TEST_CASE("WAST scripts with components", "[component-text][wast]") {
  const char* script = R"wast(
(component $C
  (core module $m (func (export "f") (param i32) (result i32) local.get 0))
  (core instance $i (instantiate $m))
  (func (export "f") (param "x" u32) (result u32) (canon lift (core func $i "f"))))
(assert_return (invoke "f" (u32.const 7)) (u32.const 7))
(component definition $D (component))
(component instance $j $D)
(assert_trap (invoke "g" (list.const (str.const "a")) (f32.const 2)) "boom")
(assert_invalid (component (export "x" (func 0))) "unknown")
(assert_malformed (component quote "(export)") "unexpected token")
(assert_malformed (component binary "\00asm") "unexpected end")
(module (func (export "h")))
)wast";
  auto parsed = dt::parse_wast(script, "s.wast");
  REQUIRE(parsed);
  const auto& cmds = parsed->commands;
  REQUIRE(cmds.size() == 9);
  CHECK((cmds[0].kind == dt::CommandKind::Module && cmds[0].module.component &&
         cmds[0].module.id == "$C"));
  auto c0 = ct::encode_script_component(cmds[0].module, "s.wast");
  REQUIRE(c0);
  CHECK(Bytes(c0->begin(), c0->begin() + 8) == kPreamble);
  CHECK_FALSE(dt::encode_script_module(cmds[0].module));  // not a core module

  REQUIRE(cmds[1].action.args.size() == 1);
  CHECK(cmds[1].action.args[0].kind == dt::Value::Kind::Component);
  auto arg = ct::script_value(cmds[1].action.args[0]);
  REQUIRE(arg);
  CHECK((arg->kind == ValKind::U32 && arg->bits == 7));
  REQUIRE(cmds[1].expected.size() == 1);
  CHECK(ct::script_value(cmds[1].expected[0])->bits == 7);

  CHECK((cmds[2].module.component && cmds[2].module.definition && cmds[2].module.id == "$D"));
  CHECK((cmds[3].kind == dt::CommandKind::ModuleInstance && cmds[3].module.component &&
         cmds[3].instance_id == "$j" && cmds[3].module_ref == "$D"));
  auto list = ct::script_value(cmds[4].action.args[0]);
  REQUIRE(list);
  CHECK((list->kind == ValKind::List && list->items[0].str == "a"));
  auto f = ct::script_value(cmds[4].action.args[1]);  // a core f32.const, accepted as f32
  REQUIRE(f);
  CHECK((f->kind == ValKind::F32 && f->as_f32() == 2.0f));
  CHECK(cmds[4].message == "boom");

  CHECK((cmds[5].kind == dt::CommandKind::AssertInvalid && cmds[5].module.component));
  CHECK(ct::encode_script_component(cmds[5].module));  // invalid, but it parses
  CHECK(cmds[6].module.format == dt::ModuleFormat::Quote);
  auto malformed = ct::encode_script_component(cmds[6].module, "s.wast");
  REQUIRE_FALSE(malformed);
  CHECK(malformed.error().message().starts_with("unexpected token"));
  CHECK(cmds[7].module.format == dt::ModuleFormat::Binary);
  CHECK((cmds[8].has_module && !cmds[8].module.component));
}

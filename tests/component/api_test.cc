// tests/component/api_test.cc: the Component Model embedding API (zinc/component.h): compiling
// components, calling exports (dynamic and typed), host functions (dynamic and from C++
// callables), link errors, traps, instance-per-store state and resources across components.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "component/text/component_text.h"
#include "zinc/component.h"
#include "zinc/zinc.h"

namespace {

using zinc::component::Val;

struct Point {
  uint32_t x = 0;
  uint32_t y = 0;
};

}  // namespace

ZINC_WIT_RECORD(Point, detail::field("x", &Point::x), detail::field("y", &Point::y))

namespace {

zinc::component::Component compile(const zinc::Engine& engine, std::string_view wat) {
  auto bin = zinc::component::text::component_wat_to_binary(wat, "test.wat");
  if (!bin.ok()) FAIL("component text: " << bin.error().to_string());
  auto c = zinc::component::Component::compile(engine, *bin, "test");
  if (!c.ok()) FAIL("compile: " << c.error().message);
  return std::move(*c);
}

// A core module with a bump allocator, shared by the components below.
constexpr std::string_view kStrings = R"((component
  (core module $m
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p))
    ;; echo(s) -> s: the result (ptr, len) is returned through memory at 8.
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 8) (local.get 0))
      (i32.store (i32.const 12) (local.get 1))
      (i32.const 8))
    (func (export "len") (param i32 i32) (result i32) (local.get 1))
    (func (export "sum") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "boom") unreachable)
    ;; bad-utf8() -> string: returns 2 bytes FF FE; bad-ptr() -> string: a pointer past memory.
    (data (i32.const 512) "\ff\fe")
    (func (export "bad-utf8") (result i32)
      (i32.store (i32.const 8) (i32.const 512))
      (i32.store (i32.const 12) (i32.const 2))
      (i32.const 8))
    (func (export "bad-ptr") (result i32)
      (i32.store (i32.const 8) (i32.const 65530))
      (i32.store (i32.const 12) (i32.const 100))
      (i32.const 8)))
  (core instance $i (instantiate $m))
  (type $point' (record (field "x" u32) (field "y" u32)))
  (export $point "point" (type $point'))
  (func (export "echo") (param "s" string) (result string)
    (canon lift (core func $i "echo") (memory $i "mem") (realloc (func $i "realloc"))))
  (func (export "len") (param "s" string) (result u32)
    (canon lift (core func $i "len") (memory $i "mem") (realloc (func $i "realloc"))))
  (func (export "sum") (param "p" $point) (result u32) (canon lift (core func $i "sum")))
  (func (export "boom") (canon lift (core func $i "boom")))
  (func (export "bad-utf8") (result string)
    (canon lift (core func $i "bad-utf8") (memory $i "mem") (realloc (func $i "realloc"))))
  (func (export "bad-ptr") (result string)
    (canon lift (core func $i "bad-ptr") (memory $i "mem") (realloc (func $i "realloc"))))
))";

}  // namespace

TEST_CASE("component: dynamic and typed calls of exports", "[component][api]") {
  zinc::Engine engine;
  auto c = compile(engine, kStrings);
  zinc::Store store(engine);
  zinc::component::Linker linker(engine);
  auto inst = linker.instantiate(store, c);
  REQUIRE(inst.ok());

  auto echo = inst->get_func(store, "echo");
  REQUIRE(echo);
  const Val arg = Val::string("héllo, wörld");
  auto r = echo->call(store, {&arg, 1});
  REQUIRE(r.ok());
  REQUIRE(*r);
  CHECK((*r)->str == "héllo, wörld");

  auto typed = echo->typed<std::string(std::string)>(store);
  REQUIRE(typed.ok());
  auto s = typed->call(store, "typed");
  REQUIRE(s.ok());
  CHECK(*s == "typed");

  auto len = inst->get_func(store, "len")->typed<uint32_t(std::string_view)>(store);
  REQUIRE(len.ok());
  CHECK(*len->call(store, std::string_view("four")) == 4u);

  // The typed fast path refuses a host string that is not UTF-8, like the value path.
  CHECK_FALSE(typed->call(store, std::string("\xff\xfe")).ok());
  CHECK_FALSE(echo->call(store, std::vector<Val>{Val::string("\xc3")}).ok());
  // A long string (beyond any small-string buffer) round-trips through both paths.
  const std::string long_text(10000, 'z');
  auto long_r = typed->call(store, long_text);
  REQUIRE(long_r.ok());
  CHECK(*long_r == long_text);
  // Beyond the guest's memory: its realloc result is out of bounds, a trap, not a crash.
  auto too_long = typed->call(store, std::string(100000, 'z'));
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().kind == zinc::ErrorKind::Trap);

  // A record parameter through ZINC_WIT_RECORD.
  auto sum = inst->get_func(store, "sum")->typed<uint32_t(Point)>(store);
  REQUIRE(sum.ok());
  CHECK(*sum->call(store, Point{40, 2}) == 42u);

  // A wrong C++ signature is refused with both types in the message.
  auto wrong = echo->typed<uint32_t(std::string)>(store);
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().message.find("string") != std::string::npos);

  // Wrong arity and wrong value types are errors, not crashes.
  CHECK_FALSE(echo->call(store, {}).ok());
  const Val bad = Val::u32(1);
  CHECK_FALSE(echo->call(store, {&bad, 1}).ok());

  // A trap in the callee is a Trap error.
  auto boom = inst->get_func(store, "boom")->call(store, {});
  REQUIRE_FALSE(boom.ok());
  CHECK(boom.error().kind == zinc::ErrorKind::Trap);

  // Hostile results trap with the canonical ABI's message on both paths.
  for (const char* name : {"bad-utf8", "bad-ptr"}) {
    auto f = inst->get_func(store, name);
    REQUIRE(f);
    auto dyn = f->call(store, {});
    REQUIRE_FALSE(dyn.ok());
    auto fast = f->typed<std::string()>(store);
    REQUIRE(fast.ok());
    auto tr = fast->call(store);
    REQUIRE_FALSE(tr.ok());
    CHECK(tr.error().message == dyn.error().message);
    CHECK(tr.error().kind == zinc::ErrorKind::Trap);
  }

  // Every function is listed with its name.
  auto funcs = inst->funcs(store);
  CHECK(funcs.size() == 6);
  CHECK_FALSE(inst->get_func(store, "missing"));
}

namespace {

constexpr std::string_view kImports = R"((component
  (import "host:demo/math@1.2.0" (instance $h
    (export "double" (func (param "x" u32) (result u32)))
    (export "greet" (func (param "name" string) (result string)))))
  (alias export $h "double" (func $double))
  (alias export $h "greet" (func $greet))
  (core module $mem
    (memory (export "mem") 1)
    (global $next (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (global.get $next))
      (global.set $next (i32.add (global.get $next) (local.get 3)))
      (local.get $p)))
  (core instance $mi (instantiate $mem))
  (core func $double_core (canon lower (func $double)))
  (core func $greet_core (canon lower (func $greet) (memory $mi "mem") (realloc (func $mi "realloc"))))
  (core module $m
    (import "h" "double" (func $d (param i32) (result i32)))
    (import "h" "greet" (func $g (param i32 i32 i32)))
    (import "m" "mem" (memory 1))
    (func (export "quad") (param i32) (result i32) (call $d (call $d (local.get 0))))
    ;; greet-twice(s): calls greet(s) and returns the length of the result.
    (func (export "greet-len") (param i32 i32) (result i32)
      (call $g (local.get 0) (local.get 1) (i32.const 16))
      (i32.load (i32.const 20))))
  (core instance $i (instantiate $m
    (with "h" (instance (export "double" (func $double_core)) (export "greet" (func $greet_core))))
    (with "m" (instance $mi))))
  (func (export "quad") (param "x" u32) (result u32) (canon lift (core func $i "quad")))
  (func (export "greet-len") (param "s" string) (result u32)
    (canon lift (core func $i "greet-len") (memory $mi "mem") (realloc (func $mi "realloc"))))
))";

}  // namespace

TEST_CASE("component: host functions from C++ callables", "[component][api]") {
  zinc::Engine engine;
  auto c = compile(engine, kImports);
  zinc::Store store(engine);
  zinc::component::Linker linker(engine);
  int calls = 0;
  // Defined for 1.0.0: a 1.2.0 import matches by semver compatibility.
  REQUIRE(linker.func_wrap("host:demo/math@1.0.0#double", [&calls](uint32_t x) {
    ++calls;
    return x * 2;
  }).ok());
  REQUIRE(linker.func_wrap("host:demo/math@1.0.0#greet",
                           [](std::string name) { return "Hello, " + name + "!"; })
              .ok());
  auto inst = linker.instantiate(store, c);
  REQUIRE(inst.ok());
  auto quad = inst->get_func(store, "quad")->typed<uint32_t(uint32_t)>(store);
  REQUIRE(quad.ok());
  CHECK(*quad->call(store, 5) == 20u);
  CHECK(calls == 2);
  auto glen = inst->get_func(store, "greet-len")->typed<uint32_t(std::string)>(store);
  REQUIRE(glen.ok());
  CHECK(*glen->call(store, "zinc") == std::string("Hello, zinc!").size());

  // Defining a name twice is an error unless shadowing is allowed.
  CHECK_FALSE(linker.func_wrap("host:demo/math@1.0.0#double", [](uint32_t x) { return x; }).ok());
  linker.allow_shadowing(true);
  CHECK(linker.func_wrap("host:demo/math@1.0.0#double", [](uint32_t x) { return x; }).ok());

  // A host error traps the caller.
  zinc::component::Linker failing(engine);
  REQUIRE(failing.func_wrap("host:demo/math@1.2.0#double", [](uint32_t) -> zinc::Result<uint32_t> {
    return zinc::api_error(zinc::ErrorKind::Trap, "host says no");
  }).ok());
  REQUIRE(failing.func_wrap("host:demo/math@1.2.0#greet", [](std::string s) { return s; }).ok());
  zinc::Store store2(engine);
  auto inst2 = failing.instantiate(store2, c);
  REQUIRE(inst2.ok());
  auto r = inst2->get_func(store2, "quad")->call(store2, std::vector<Val>{Val::u32(1)});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("host says no") != std::string::npos);
}

TEST_CASE("component: link errors name the import", "[component][api]") {
  zinc::Engine engine;
  auto c = compile(engine, kImports);
  zinc::Store store(engine);

  zinc::component::Linker empty(engine);
  auto r = empty.instantiate(store, c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == zinc::ErrorKind::Link);
  CHECK(r.error().message.find("host:demo/math@1.2.0") != std::string::npos);

  // Wrong type: string instead of u32.
  zinc::component::Linker wrong(engine);
  REQUIRE(wrong.func_wrap("host:demo/math@1.2.0#double", [](std::string s) { return s; }).ok());
  REQUIRE(wrong.func_wrap("host:demo/math@1.2.0#greet", [](std::string s) { return s; }).ok());
  r = wrong.instantiate(store, c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("wrong type") != std::string::npos);

  // An incompatible major version does not match.
  zinc::component::Linker v2(engine);
  REQUIRE(v2.func_wrap("host:demo/math@2.0.0#double", [](uint32_t x) { return x; }).ok());
  REQUIRE(v2.func_wrap("host:demo/math@2.0.0#greet", [](std::string s) { return s; }).ok());
  CHECK_FALSE(v2.instantiate(store, c).ok());
}

TEST_CASE("component: pre-instantiation and one state per instance", "[component][api]") {
  zinc::Engine engine;
  auto c = compile(engine, R"((component
    (core module $m
      (global $n (mut i32) (i32.const 0))
      (func (export "next") (result i32)
        (global.set $n (i32.add (global.get $n) (i32.const 1)))
        (global.get $n)))
    (core instance $i (instantiate $m))
    (func (export "next") (result u32) (canon lift (core func $i "next")))
  ))");
  zinc::component::Linker linker(engine);
  auto pre = linker.instantiate_pre(c);
  REQUIRE(pre.ok());
  zinc::Store store(engine);
  auto a = pre->instantiate(store);
  auto b = pre->instantiate(store);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  auto na = a->get_func(store, "next")->typed<uint32_t()>(store);
  auto nb = b->get_func(store, "next")->typed<uint32_t()>(store);
  CHECK(*na->call(store) == 1u);
  CHECK(*na->call(store) == 2u);
  CHECK(*nb->call(store) == 1u);
}

TEST_CASE("component: malformed binaries are errors", "[component][api]") {
  zinc::Engine engine;
  const uint8_t truncated[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00, 0x01, 0x05};
  auto r = zinc::component::Component::compile(engine, truncated);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == zinc::ErrorKind::Decode);
  CHECK(r.error().message.rfind("0x", 0) == 0);
}

// Run by tests/components/check_components.py with ZINC_JS_COMPONENT set to the JavaScript
// component it builds (componentize-js): a resource created, used and dropped from the host.
TEST_CASE("component: a JavaScript component's resource", "[.][jscomponent]") {
  const char* path = std::getenv("ZINC_JS_COMPONENT");
  if (path == nullptr) FAIL("ZINC_JS_COMPONENT is not set");
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  zinc::Engine engine;
  auto c = zinc::component::Component::compile(engine, bytes, "js-demo");
  REQUIRE(c.ok());
  zinc::Store store(engine);
  zinc::component::Linker linker(engine);
  auto inst = linker.instantiate(store, *c);
  REQUIRE(inst.ok());
  const std::string iface = "zinc:jsdemo/counters#";
  auto ctor = inst->get_func(store, iface + "[constructor]counter");
  auto inc = inst->get_func(store, iface + "[method]counter.increment");
  auto value = inst->get_func(store, iface + "[method]counter.value");
  REQUIRE(ctor);
  REQUIRE(inc);
  REQUIRE(value);
  auto a = ctor->call(store, std::vector<Val>{Val::u32(5)});
  auto b = ctor->call(store, std::vector<Val>{Val::u32(100)});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const Val ha = **a, hb = **b;
  CHECK(ha.kind == zinc::component::ValKind::Own);
  auto r = inc->call(store, std::vector<Val>{zinc::component::borrow_of(ha), Val::u32(3)});
  REQUIRE(r.ok());
  CHECK((*r)->bits == 8);
  r = inc->call(store, std::vector<Val>{zinc::component::borrow_of(hb), Val::u32(1)});
  REQUIRE(r.ok());
  CHECK((*r)->bits == 101);
  r = value->call(store, std::vector<Val>{zinc::component::borrow_of(ha)});
  REQUIRE(r.ok());
  CHECK((*r)->bits == 8);
  REQUIRE(zinc::component::drop_resource(store, ha).ok());
  // A dropped handle is unknown from now on: an error, not a crash.
  CHECK_FALSE(zinc::component::drop_resource(store, ha).ok());
  CHECK_FALSE(value->call(store, std::vector<Val>{zinc::component::borrow_of(ha)}).ok());
  r = value->call(store, std::vector<Val>{zinc::component::borrow_of(hb)});
  REQUIRE(r.ok());
  CHECK((*r)->bits == 101);
  REQUIRE(zinc::component::drop_resource(store, hb).ok());
}

// Issue 7 regression (found by the wasip3 wasi:http components): a resource exported under
// two names (`type headers = fields` in WIT) may be named by either in `[constructor]fields`.
TEST_CASE("component: a resource's annotated functions accept any of its names",
          "[component][api]") {
  zinc::Engine engine;
  auto bin = zinc::component::text::component_wat_to_binary(R"((component
    (import "i" (instance
      (export "fields" (type $f (sub resource)))
      (export "headers" (type $h (eq $f)))
      (export "[constructor]fields" (func (result (own $h))))
      (export "[method]fields.get" (func (param "self" (borrow $h)) (result u32)))
      (export "[static]headers.make" (func (result (own $f))))))
  ))");
  REQUIRE(bin.ok());
  auto c = zinc::component::Component::compile(engine, *bin);
  CHECK(c.ok());
  // A name that is not one of the resource's is still refused.
  bin = zinc::component::text::component_wat_to_binary(R"((component
    (import "i" (instance
      (export "fields" (type $f (sub resource)))
      (export "other" (type $o (sub resource)))
      (export "[constructor]fields" (func (result (own $o))))))
  ))");
  REQUIRE(bin.ok());
  c = zinc::component::Component::compile(engine, *bin);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message.find("resource name") != std::string::npos);
}

// Composition through the Linker: a component's exported interface with a resource satisfies
// another component's import; handles cross both ways and the destructor runs in the definer.
TEST_CASE("component: define_instance composes components with resources", "[component][api]") {
  zinc::Engine engine;
  // As wit-component lays out an exported interface: a nested component exports the items by
  // name (so `[constructor]thing` finds the resource `thing`), its instance is exported.
  auto lib = compile(engine, R"((component
   (component $C
    (core module $impl
      (global $live (mut i32) (i32.const 0))
      (func (export "dtor") (param i32) (global.set $live (i32.sub (global.get $live) (i32.const 1))))
      (func (export "live") (result i32) (global.get $live))
      (func (export "bump") (global.set $live (i32.add (global.get $live) (i32.const 1)))))
    (core instance $impl (instantiate $impl))
    (type $r (resource (rep i32) (dtor (func $impl "dtor"))))
    (core func $new (canon resource.new $r))
    (core func $rep (canon resource.rep $r))
    (core module $m
      (import "" "new" (func $new (param i32) (result i32)))
      (import "" "rep" (func $rep (param i32) (result i32)))
      (import "" "bump" (func $bump))
      (func (export "ctor") (param i32) (result i32) (call $bump) (call $new (local.get 0)))
      (func (export "get") (param i32) (result i32) (local.get 0)))
    (core instance $i (instantiate $m (with "" (instance
      (export "new" (func $new)) (export "rep" (func $rep)) (export "bump" (func $impl "bump"))))))
    (func $ctor (param "v" u32) (result (own $r)) (canon lift (core func $i "ctor")))
    (func $get (param "self" (borrow $r)) (result u32) (canon lift (core func $i "get")))
    (func $live (result u32) (canon lift (core func $impl "live")))
    (export $thing "thing" (type $r))
    (export "[constructor]thing" (func $ctor) (func (param "v" u32) (result (own $thing))))
    (export "[method]thing.get" (func $get) (func (param "self" (borrow $thing)) (result u32)))
    (export "live" (func $live)))
   (instance $api (instantiate $C))
   (export "zinc:demo/things" (instance $api))
  ))");
  auto app = compile(engine, R"((component
    (import "zinc:demo/things" (instance $t
      (export "thing" (type $thing (sub resource)))
      (export "[constructor]thing" (func (param "v" u32) (result (own $thing))))
      (export "[method]thing.get" (func (param "self" (borrow $thing)) (result u32)))
      (export "live" (func (result u32)))))
    (alias export $t "thing" (type $thing))
    (alias export $t "[constructor]thing" (func $ctor))
    (alias export $t "[method]thing.get" (func $get))
    (alias export $t "live" (func $live))
    (core func $ctor_c (canon lower (func $ctor)))
    (core func $get_c (canon lower (func $get)))
    (core func $live_c (canon lower (func $live)))
    (core func $drop_c (canon resource.drop $thing))
    (core module $m
      (import "t" "ctor" (func $ctor (param i32) (result i32)))
      (import "t" "get" (func $get (param i32) (result i32)))
      (import "t" "live" (func $live (result i32)))
      (import "t" "drop" (func $drop (param i32)))
      ;; make two, read one, drop both: returns get(a) * 100 + live-before-drop * 10 + live-after
      (func (export "run") (result i32)
        (local $a i32) (local $b i32) (local $v i32) (local $l i32)
        (local.set $a (call $ctor (i32.const 7)))
        (local.set $b (call $ctor (i32.const 9)))
        (local.set $v (call $get (local.get $a)))
        (local.set $l (call $live))
        (call $drop (local.get $a))
        (call $drop (local.get $b))
        (i32.add (i32.add (i32.mul (local.get $v) (i32.const 100))
                          (i32.mul (local.get $l) (i32.const 10)))
                 (call $live))))
    (core instance $i (instantiate $m (with "t" (instance
      (export "ctor" (func $ctor_c)) (export "get" (func $get_c))
      (export "live" (func $live_c)) (export "drop" (func $drop_c))))))
    (func (export "run") (result u32) (canon lift (core func $i "run")))
  ))");
  zinc::Store store(engine);
  zinc::component::Linker linker(engine);
  auto lib_inst = linker.instantiate(store, lib);
  REQUIRE(lib_inst.ok());
  auto things = lib_inst->get_instance(store, "zinc:demo/things");
  REQUIRE(things);
  REQUIRE(linker.define_instance("zinc:demo/things", *things).ok());
  auto app_inst = linker.instantiate(store, app);
  REQUIRE(app_inst.ok());
  auto run = app_inst->get_func(store, "run")->typed<uint32_t()>(store);
  REQUIRE(run.ok());
  CHECK(*run->call(store) == 7u * 100 + 2 * 10 + 0);
  // A second run starts from the same state: every handle was dropped and destroyed.
  CHECK(*run->call(store) == 7u * 100 + 2 * 10 + 0);
}

namespace {

// A component using a host-defined resource: cell(v) makes one, get reads it, drop ends it.
constexpr std::string_view kHostResource = R"((component
  (import "host:kv/store@1.0.0" (instance $s
    (export "cell" (type $cell (sub resource)))
    (type $own (own $cell))
    (type $borrow (borrow $cell))
    (export "[constructor]cell" (func (param "v" u32) (result $own)))
    (export "[method]cell.get" (func (param "self" $borrow) (result u32)))
  ))
  (alias export $s "cell" (type $cell))
  (alias export $s "[constructor]cell" (func $new))
  (alias export $s "[method]cell.get" (func $get))
  (core func $new' (canon lower (func $new)))
  (core func $get' (canon lower (func $get)))
  (core func $drop' (canon resource.drop $cell))
  (core module $m
    (import "h" "new" (func $new (param i32) (result i32)))
    (import "h" "get" (func $get (param i32) (result i32)))
    (import "h" "drop" (func $drop (param i32)))
    (func (export "run") (param i32) (result i32)
      (local $h i32)
      (local.set $h (call $new (local.get 0)))
      (call $get (local.get $h))
      (call $drop (local.get $h)))
    (func (export "keep") (param i32) (result i32) (call $new (local.get 0)))
    (func (export "get") (param i32) (result i32) (call $get (local.get 0))))
  (core instance $i (instantiate $m (with "h" (instance
    (export "new" (func $new')) (export "get" (func $get')) (export "drop" (func $drop'))))))
  (func (export "run") (param "v" u32) (result u32) (canon lift (core func $i "run")))
  (func (export "keep") (param "v" u32) (result u32) (canon lift (core func $i "keep")))
  (func (export "get") (param "h" u32) (result u32) (canon lift (core func $i "get")))
))";

struct Cells {
  std::map<uint32_t, uint32_t> values;
  uint32_t next = 100;
  int dropped = 0;
};

// Defines host:kv/store (at 1.0.3: semver-compatible with the 1.0.0 import) over `cells`.
void define_cells(zinc::component::Linker& linker, Cells& cells,
                  const zinc::component::ResourceType* cell, bool with_resource = true) {
  using namespace zinc::component;
  TypeTable& tt = types(linker.engine());
  ValType own_t, borrow_t;
  own_t.kind = ValKind::Own;
  own_t.resource = cell;
  borrow_t.kind = ValKind::Borrow;
  borrow_t.resource = cell;
  FuncType ctor, get;
  ctor.params.push_back({"v", tt.prim(ValKind::U32)});
  ctor.result = tt.intern(own_t, nullptr);
  get.params.push_back({"self", tt.intern(borrow_t, nullptr)});
  get.result = tt.prim(ValKind::U32);
  if (with_resource) {
    REQUIRE(linker.define_resource("host:kv/store@1.0.3#cell", cell,
                                   [&cells](zinc::Store&, uint32_t rep) -> zinc::Result<void> {
                                     cells.values.erase(rep);
                                     ++cells.dropped;
                                     return {};
                                   }).ok());
  }
  REQUIRE(linker.define_func("host:kv/store@1.0.3#[constructor]cell", tt.intern_func(ctor),
                             [&cells, cell](zinc::Store&, std::span<const Val> args)
                                 -> zinc::Result<std::optional<Val>> {
                               const uint32_t rep = cells.next++;
                               cells.values[rep] = static_cast<uint32_t>(args[0].bits);
                               return std::optional<Val>(host_handle(ValKind::Own, cell, rep));
                             }).ok());
  REQUIRE(linker.define_func("host:kv/store@1.0.3#[method]cell.get", tt.intern_func(get),
                             [&cells](zinc::Store&, std::span<const Val> args)
                                 -> zinc::Result<std::optional<Val>> {
                               auto it = cells.values.find(static_cast<uint32_t>(args[0].bits));
                               if (args[0].kind != ValKind::Borrow || it == cells.values.end()) {
                                 return zinc::api_error(zinc::ErrorKind::Trap, "no such cell");
                               }
                               return std::optional<Val>(Val::u32(it->second + 1));
                             }).ok());
}

}  // namespace

TEST_CASE("component: host-defined resources", "[component][api]") {
  zinc::Engine engine;
  auto c = compile(engine, kHostResource);
  auto& tt = zinc::component::types(engine);
  const auto* cell = tt.new_resource("cell");
  Cells cells;
  zinc::component::Linker linker(engine);
  define_cells(linker, cells, cell);
  zinc::Store store(engine);
  auto inst = linker.instantiate(store, c);
  REQUIRE(inst.ok());

  // The guest makes a cell (the host chose rep 100), reads it through a borrow, drops it: the
  // host's destructor runs with the rep.
  auto run = inst->get_func(store, "run")->typed<uint32_t(uint32_t)>(store);
  REQUIRE(run.ok());
  CHECK(*run->call(store, 41) == 42u);
  CHECK(cells.dropped == 1);
  CHECK(cells.values.empty());

  // A handle the guest keeps stays live on the host; a handle index that does not exist traps
  // in the canonical ABI before reaching the host.
  auto keep = inst->get_func(store, "keep")->typed<uint32_t(uint32_t)>(store);
  auto get = inst->get_func(store, "get")->typed<uint32_t(uint32_t)>(store);
  const uint32_t h = *keep->call(store, 7);
  CHECK(cells.values.size() == 1);
  CHECK(*get->call(store, h) == 8u);
  auto bad = get->call(store, h + 50);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().kind == zinc::ErrorKind::Trap);
  CHECK(cells.dropped == 1);
}

TEST_CASE("component: host resource link errors", "[component][api]") {
  using namespace zinc::component;
  zinc::Engine engine;
  auto c = compile(engine, kHostResource);
  auto& tt = types(engine);
  zinc::Store store(engine);

  // Nothing defined: the import is named.
  {
    auto r = Linker(engine).instantiate(store, c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().kind == zinc::ErrorKind::Link);
    CHECK(r.error().message.find("host:kv/store@1.0.0") != std::string::npos);
  }
  // The functions without the resource type: the resource is named.
  {
    Linker linker(engine);
    Cells cells;
    define_cells(linker, cells, tt.new_resource("cell"), /*with_resource=*/false);
    auto r = linker.instantiate(store, c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("host:kv/store@1.0.0#cell") != std::string::npos);
    CHECK(r.error().message.find("resource") != std::string::npos);
  }
  // Functions typed with another resource than the one defined for `cell`: a type error.
  {
    Linker linker(engine);
    Cells cells;
    define_cells(linker, cells, tt.new_resource("cell"));
    linker.allow_shadowing(true);
    REQUIRE(linker.define_resource("host:kv/store@1.0.3#cell", tt.new_resource("other"),
                                   {}).ok());
    auto r = linker.instantiate(store, c);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("wrong type") != std::string::npos);
  }
}

namespace {
struct CellTag {};  // names the host resource of the typed test
}  // namespace

TEST_CASE("component: host resources through C++ handle types", "[component][api]") {
  using zinc::component::Borrow;
  using zinc::component::Own;
  zinc::Engine engine;
  auto c = compile(engine, kHostResource);
  std::map<uint32_t, uint32_t> cells;
  uint32_t next = 7;
  int dropped = 0;
  zinc::component::Linker linker(engine);
  REQUIRE(linker.define_resource<CellTag>("host:kv/store@1.0.0#cell",
                                          [&](zinc::Store&, uint32_t rep) -> zinc::Result<void> {
                                            cells.erase(rep);
                                            ++dropped;
                                            return {};
                                          }).ok());
  REQUIRE(linker.func_wrap("host:kv/store@1.0.0#[constructor]cell", [&](uint32_t v) {
    cells[next] = v;
    return Own<CellTag>{next++};
  }).ok());
  REQUIRE(linker.func_wrap("host:kv/store@1.0.0#[method]cell.get",
                           [&](Borrow<CellTag> self) -> zinc::Result<uint32_t> {
                             auto it = cells.find(self.rep);
                             if (it == cells.end()) {
                               return zinc::api_error(zinc::ErrorKind::Trap, "no such cell");
                             }
                             return it->second * 10;
                           }).ok());
  zinc::Store store(engine);
  auto inst = linker.instantiate(store, c);
  if (!inst.ok()) FAIL(inst.error().message);
  auto run = inst->get_func(store, "run")->typed<uint32_t(uint32_t)>(store);
  REQUIRE(run.ok());
  CHECK(*run->call(store, 4) == 40u);
  CHECK(dropped == 1);
  CHECK(cells.empty());

  // A handle type of another tag is another resource: the import does not link.
  struct OtherTag {};
  zinc::component::Linker wrong(engine);
  REQUIRE(wrong.define_resource<CellTag>("host:kv/store@1.0.0#cell", {}).ok());
  REQUIRE(wrong.func_wrap("host:kv/store@1.0.0#[constructor]cell",
                          [](uint32_t v) { return Own<OtherTag>{v}; }).ok());
  REQUIRE(wrong.func_wrap("host:kv/store@1.0.0#[method]cell.get",
                          [](Borrow<CellTag> self) { return self.rep; }).ok());
  auto r = wrong.instantiate(store, c);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("wrong type") != std::string::npos);
}

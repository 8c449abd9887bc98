// tests/component/wit_test.cc: the WIT parser and resolver (component/wit/).
//
// Hand-written snippets with the exact types they must resolve to (WIT rendering and the
// interned Component Model types), errors with their `file:line:col`, and the WASI WIT trees of
// $ZINC_SHARED (default <repo>/../shared): wasi-wit-0.2.12 and wasi-testsuite/wit-0.3.0 resolve
// completely, with spot checks of functions and worlds.
#include "component/wit/wit.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace zinc::component::wit {
namespace {

std::filesystem::path shared_dir() {
  const char* env = std::getenv("ZINC_SHARED");
  return env ? std::filesystem::path(env) : std::filesystem::path(ZINC_SOURCE_ROOT "/../shared");
}

// Resolves one source, REQUIREs success and returns the root package.
const Package* load(Resolve& r, const std::string& text) {
  auto p = r.add_source("test.wit", text);
  INFO((p.ok() ? std::string() : p.error().message));
  REQUIRE(p.ok());
  REQUIRE(p.value() != nullptr);
  return p.value();
}

// The error message of resolving `text` (empty if it resolved).
std::string error_of(const std::string& text, Features f = {}) {
  TypeTable table;
  Resolve r(table, f);
  auto p = r.add_source("e.wit", text);
  return p.ok() ? std::string() : p.error().message;
}

std::string func_of(const Interface* i, const std::string& name) {
  const Function* f = i->find_function(name);
  if (!f) return "<no " + name + ">";
  return to_wit(*f);
}

std::vector<std::string> names(const std::vector<WorldItem>& items) {
  std::vector<std::string> out;
  for (const WorldItem& i : items) out.push_back(i.name);
  return out;
}


// Prints every package of `r` and resolves the printed text again (each package one group):
// every interface and world must come back with the same functions and types.
void check_round_trip(const Resolve& r, const Features& features) {
  std::vector<Resolve::SourceGroup> groups;
  for (const Package& p : r.packages()) {
    groups.push_back({{p.name.to_string() + ".wit", to_wit(p)}});
  }
  TypeTable table;
  Resolve again(table, features);
  auto loaded = again.add_groups(groups);
  INFO((loaded.ok() ? std::string() : loaded.error().message));
  REQUIRE(loaded.ok());
  REQUIRE(again.packages().size() == r.packages().size());
  size_t functions = 0;
  for (const Package& p : r.packages()) {
    for (const Interface* i : p.interfaces) {
      const Interface* j = again.find_interface(i->full_name());
      REQUIRE(j);
      REQUIRE(j->functions.size() == i->functions.size());
      REQUIRE(j->types.size() == i->types.size());
      for (size_t k = 0; k < i->functions.size(); ++k) {
        CHECK(j->functions[k].name == i->functions[k].name);
        CHECK(to_wit(j->functions[k]) == to_wit(i->functions[k]));
        CHECK(to_string(*j->functions[k].type) == to_string(*i->functions[k].type));
        ++functions;
      }
      for (size_t k = 0; k < i->types.size(); ++k) {
        CHECK(to_string(j->types[k]->type->interned) == to_string(i->types[k]->type->interned));
      }
    }
    for (const World* w : p.worlds) {
      const World* v = again.find_world(w->full_name());
      REQUIRE(v);
      CHECK(names(v->imports) == names(w->imports));
      CHECK(names(v->exports) == names(w->exports));
    }
  }
  CHECK(functions > 0);
}
}  // namespace

TEST_CASE("wit: primitive, generic and named types resolve to interned types", "[wit]") {
  TypeTable table;
  Resolve r(table);
  const Package* p = load(r, R"(
package local:demo@1.0.0;

interface types {
  type size = u32;
  record point { x: s32, y: s32, }
  variant shape { none, circle(f64), poly(list<point>) }
  enum color { red, green, blue }
  flags perms { read, write, exec }
  type t1 = tuple<u8, string, char>;
  type t2 = result<_, color>;
  type t3 = result<size>;
  type t4 = result;
  type t5 = option<list<u8, 4>>;
  type t6 = stream<u8>;
  type t7 = future;
  type t8 = map<string, bool>;
  type alias-of-alias = size;

  area: func(s: shape, scale: f32) -> option<f64>;
  all: func(a: t1, b: t2, c: t3, d: t4, e: t5, f: t6, g: t7, h: t8, i: alias-of-alias);
  flags-of: func() -> tuple<perms, color>;
}
)");
  REQUIRE(p->name.to_string() == "local:demo@1.0.0");
  const Interface* i = r.find_interface("local:demo/types@1.0.0");
  REQUIRE(i != nullptr);
  CHECK(i->full_name() == "local:demo/types@1.0.0");
  CHECK(i->types.size() == 14);

  const TypeDef* point = i->find_type("point");
  REQUIRE(point);
  CHECK(point->kind == TypeDefKind::Record);
  CHECK(to_string(point->type->interned) == "record { x: s32, y: s32 }");
  const TypeDef* shape = i->find_type("shape");
  CHECK(to_string(shape->type->interned) ==
        "variant { none, circle(f64), poly(list<record { x: s32, y: s32 }>) }");
  CHECK(to_string(i->find_type("color")->type->interned) == "enum { red, green, blue }");
  CHECK(to_string(i->find_type("perms")->type->interned) == "flags { read, write, exec }");
  // Aliases are transparent: `size` is u32 itself.
  CHECK(i->find_type("size")->type->interned == table.prim(ValKind::U32));
  CHECK(i->find_type("alias-of-alias")->type->interned == table.prim(ValKind::U32));
  CHECK(to_string(i->find_type("t1")->type->interned) == "tuple<u8, string, char>");
  CHECK(to_string(i->find_type("t2")->type->interned) == "result<_, enum { red, green, blue }>");
  CHECK(to_string(i->find_type("t3")->type->interned) == "result<u32>");
  CHECK(to_string(i->find_type("t4")->type->interned) == "result");
  CHECK(to_string(i->find_type("t5")->type->interned) == "option<list<u8, 4>>");
  CHECK(to_string(i->find_type("t6")->type->interned) == "stream<u8>");
  CHECK(to_string(i->find_type("t7")->type->interned) == "future");
  CHECK(to_string(i->find_type("t8")->type->interned) == "map<string, bool>");

  CHECK(func_of(i, "area") == "func(s: shape, scale: f32) -> option<f64>");
  CHECK(func_of(i, "all") ==
        "func(a: tuple<u8, string, char>, b: result<_, color>, c: result<u32>, d: result, "
        "e: option<list<u8, 4>>, f: stream<u8>, g: future, h: map<string, bool>, i: u32)");
  CHECK(func_of(i, "flags-of") == "func() -> tuple<perms, color>");
  check_round_trip(r, Features{});
  const Function* area = i->find_function("area");
  CHECK(to_string(*area->type) ==
        "func(s: variant { none, circle(f64), poly(list<record { x: s32, y: s32 }>) }, "
        "scale: f32) -> option<f64>");
  // Interning: the same structure is the same object.
  ValType opt;
  opt.kind = ValKind::Option;
  opt.elem = table.prim(ValKind::F64);
  CHECK(table.intern(opt, nullptr) == area->type->result);
}

TEST_CASE("wit: resources desugar to constructor, method and static functions", "[wit]") {
  TypeTable table;
  Resolve r(table);
  load(r, R"(package local:res;
interface blobs {
  resource blob {
    constructor(init: list<u8>);
    write: func(bytes: list<u8>);
    read: func(n: u32) -> list<u8>;
    merge: static func(lhs: borrow<blob>, rhs: borrow<blob>) -> blob;
    open: async func() -> result<blob, string>;
  }
  resource blob2 {
    constructor(init: list<u8>) -> result<blob2>;
  }
  resource plain;
  transform: func(b: blob) -> own<blob>;
}
)");
  const Interface* i = r.find_interface("local:res/blobs");
  REQUIRE(i);
  CHECK(func_of(i, "[constructor]blob") == "func(init: list<u8>) -> blob");
  CHECK(func_of(i, "[method]blob.write") == "func(self: borrow<blob>, bytes: list<u8>)");
  CHECK(func_of(i, "[method]blob.read") == "func(self: borrow<blob>, n: u32) -> list<u8>");
  CHECK(func_of(i, "[static]blob.merge") == "func(lhs: borrow<blob>, rhs: borrow<blob>) -> blob");
  CHECK(func_of(i, "[method]blob.open") ==
        "async func(self: borrow<blob>) -> result<blob, string>");
  CHECK(func_of(i, "[constructor]blob2") == "func(init: list<u8>) -> result<blob2>");
  CHECK(func_of(i, "transform") == "func(b: blob) -> blob");
  REQUIRE(i->functions.size() == 7);

  const TypeDef* blob = i->find_type("blob");
  REQUIRE(blob->resource != nullptr);
  CHECK(blob->kind == TypeDefKind::Resource);
  CHECK(i->find_type("plain")->resource != blob->resource);
  const Function* read = i->find_function("[method]blob.read");
  CHECK(read->kind == FunctionKind::Method);
  CHECK(read->resource == blob);
  CHECK(read->wit_name == "read");
  const TypeRef self = read->type->params[0].type;
  CHECK(self->kind == ValKind::Borrow);
  CHECK(self->resource == blob->resource);
  const Function* ctor = i->find_function("[constructor]blob");
  CHECK(ctor->kind == FunctionKind::Constructor);
  CHECK(ctor->type->result->kind == ValKind::Own);
  CHECK(ctor->type->result->resource == blob->resource);
  CHECK(i->find_function("[method]blob.open")->async);
  CHECK(i->find_function("[method]blob.open")->type->async);
  check_round_trip(r, Features{});
}

TEST_CASE("wit: use across interfaces and packages, with renames and aliases", "[wit]") {
  TypeTable table;
  Resolve r(table);
  load(r, R"(package local:app@0.1.0;

use other:lib/shared@2.0.0 as lib-shared;

interface consumer {
  use lib-shared.{handle, code as lib-code, id};
  use local-types.{pair};
  get: func(h: borrow<handle>, c: lib-code, p: pair) -> result<id, lib-code>;
  make: func() -> handle;
}

interface local-types {
  record pair { a: u8, b: u8 }
}

package other:lib@2.0.0 {
  interface shared {
    resource handle;
    enum code { ok, bad }
    type id = u64;
  }
}
)");
  const Interface* c = r.find_interface("local:app/consumer@0.1.0");
  const Interface* s = r.find_interface("other:lib/shared@2.0.0");
  REQUIRE(c);
  REQUIRE(s);
  CHECK(func_of(c, "get") ==
        "func(h: borrow<handle>, c: lib-code, p: pair) -> result<u64, lib-code>");
  CHECK(func_of(c, "make") == "func() -> handle");
  // The used resource is the same resource type; the renamed enum the same interned enum.
  const TypeDef* h = c->find_type("handle");
  REQUIRE(h);
  CHECK(h->kind == TypeDefKind::Use);
  CHECK(h->origin == s->find_type("handle"));
  CHECK(h->resource == s->find_type("handle")->resource);
  CHECK(c->find_type("lib-code")->type->interned == s->find_type("code")->type->interned);
  CHECK(c->find_type("code") == nullptr);
  REQUIRE(c->uses.size() == 2);
  CHECK(c->uses[0] == s);
  CHECK(c->uses[1]->name == "local-types");
  // A version-less lookup finds the only version loaded.
  CHECK(r.find_interface("other:lib/shared") == s);
  CHECK(r.find_package("local:app") != nullptr);
  check_round_trip(r, Features{});
}

TEST_CASE("wit: worlds with imports, exports, includes and transitive imports", "[wit]") {
  TypeTable table;
  Resolve r(table);
  load(r, R"(package local:w;

interface base { resource thing; }
interface uses-base { use base.{thing}; get: func() -> thing; }
interface other { f: func(); }

world small {
  import a: func();
  export run: func() -> result;
  import other;
}

world big {
  include small with { a as a2 }
  import a: func(x: u32);
  import uses-base;
  import host: interface {
    log: func(msg: string);
  }
  import primary: other;
  export uses-base;
  export other;
}
)");
  const World* small = r.find_world("local:w/small");
  REQUIRE(small);
  CHECK(names(small->imports) == std::vector<std::string>{"a", "local:w/other"});
  CHECK(names(small->exports) == std::vector<std::string>{"run"});
  const World* big = r.find_world("local:w/big");
  REQUIRE(big);
  // `base` comes in before `uses-base` because `uses-base` uses it.
  CHECK(names(big->imports) == std::vector<std::string>{"a", "local:w/base", "local:w/uses-base",
                                                        "host", "primary", "a2", "local:w/other"});
  CHECK(names(big->exports) ==
        std::vector<std::string>{"local:w/uses-base", "local:w/other", "run"});
  const WorldItem* a2 = big->find_import("a2");
  REQUIRE(a2);
  CHECK(a2->kind == WorldItemKind::Function);
  CHECK(to_wit(*a2->func) == "func()");
  CHECK(to_wit(*big->find_import("a")->func) == "func(x: u32)");
  CHECK(big->find_import("local:w/base")->implicit);
  const WorldItem* host = big->find_import("host");
  CHECK(host->kind == WorldItemKind::Interface);
  CHECK(func_of(host->iface, "log") == "func(msg: string)");
  CHECK(big->find_import("primary")->iface == r.find_interface("local:w/other"));
  check_round_trip(r, Features{});
}

TEST_CASE("wit: world-level use, types and implicit imports", "[wit]") {
  TypeTable table;
  Resolve r(table);
  load(r, R"(package local:ww;
interface defs { record rec { a: u8 } resource res; }
interface user { use defs.{res}; take: func(r: res); }
world w {
  use defs.{rec, res as handle};
  type id = u32;
  enum mode { fast, slow }
  resource local { constructor(); get: func() -> u8; }
  import user;
  import defs;
  export go: func(r: rec, h: borrow<handle>, i: id, m: mode) -> handle;
}
)");
  const World* w = r.find_world("local:ww/w");
  REQUIRE(w);
  CHECK(names(w->imports) == std::vector<std::string>{"local:ww/defs", "rec", "handle", "id",
                                                      "mode", "local", "[constructor]local",
                                                      "[method]local.get", "local:ww/user"});
  CHECK(to_wit(*w->find_import("[method]local.get")->func) == "func(self: borrow<local>) -> u8");
  CHECK_FALSE(w->find_import("local:ww/defs")->implicit);
  const WorldItem* rec = w->find_import("rec");
  REQUIRE(rec->kind == WorldItemKind::Type);
  CHECK(rec->type->origin == r.find_interface("local:ww/defs")->find_type("rec"));
  CHECK(rec->type->owner == nullptr);
  const WorldItem* go = w->find_export("go");
  REQUIRE(go);
  CHECK(to_wit(*go->func) == "func(r: rec, h: borrow<handle>, i: u32, m: mode) -> handle");
  CHECK(go->func->type->params[1].type->resource ==
        r.find_interface("local:ww/defs")->find_type("res")->resource);
  check_round_trip(r, Features{});
}

TEST_CASE("wit: feature gates, docs, escaped identifiers and comments", "[wit]") {
  const std::string src = R"(package local:gates@0.2.0;

/// The interface's docs.
/* plain /* nested */ comment */
@since(version = 0.2.0)
interface i {
  /// Function docs.
  @since(version = 0.2.0)
  @deprecated(version = 0.2.1)
  old: func();
  @unstable(feature = fancy)
  fancy: func(%type: u32, %variant: string);
  @unstable(feature = fancy)
  type fancy-type = u8;
  %record: func() -> %list;
  type %list = list<u8>;
}
)";
  TypeTable table;
  {
    Resolve r(table);
    load(r, src);
    const Interface* i = r.find_interface("local:gates/i@0.2.0");
    REQUIRE(i);
    CHECK(i->docs == "The interface's docs.\n");
    CHECK(i->gate.since == "0.2.0");
    const Function* old = i->find_function("old");
    REQUIRE(old);
    CHECK(old->docs == "Function docs.\n");
    CHECK(old->gate.deprecated == "0.2.1");
    CHECK(i->find_function("fancy") == nullptr);
    CHECK(i->find_type("fancy-type") == nullptr);
    CHECK(func_of(i, "record") == "func() -> list<u8>");
  }
  {
    Features f;
    f.enabled.insert("fancy");
    Resolve r(table, f);
    load(r, src);
    const Interface* i = r.find_interface("local:gates/i@0.2.0");
    REQUIRE(i);
    CHECK(func_of(i, "fancy") == "func(%type: u32, %variant: string)");
    CHECK(i->find_function("fancy")->gate.unstable == "fancy");
    CHECK(i->find_type("fancy-type") != nullptr);
  }
}

TEST_CASE("wit: syntax errors name file, line and column", "[wit]") {
  CHECK(error_of("package a:b;\ninterface i {\n  f: func(x: u32) -> ;\n}\n") ==
        "e.wit:3:22: expected a type, found `;`");
  CHECK(error_of("package a:b;\n/* open") == "e.wit:2:1: unterminated block comment");
  CHECK(error_of("package a:b;\ninterface i { f_x: func(); }") ==
        "e.wit:2:15: `f_x` is not a valid WIT identifier (kebab-case words like `my-name`)");
  CHECK(error_of("package a:b;\ninterface i { Foo-bAr: func(); }")
            .starts_with("e.wit:2:15: `Foo-bAr` is not a valid WIT identifier"));
  CHECK(error_of("package a:b;\ninterface i { record: func(); }") ==
        "e.wit:2:21: expected an identifier, found `:`");
  CHECK(error_of("package a:b@1.0;") ==
        "e.wit:1:13: expected a semantic version like `1.2.0`, "
        "found `1.0`");
  CHECK(error_of("package a:b;\n@since(version = 1.0.0)\n@unstable(feature = x)\ninterface i {}") ==
        "e.wit:4:1: an item cannot be both `@since` and `@unstable`");
  CHECK(error_of("package a:b;\n@foo(x = 1)\ninterface i {}") ==
        "e.wit:2:2: unknown attribute `@foo`");
  CHECK(error_of("package a:b;\ninterface i {\n  f: func() -> list<u8, 0>;\n}") ==
        "e.wit:3:25: expected a list length from 1 to 2^32-1, found `0`");
  CHECK(error_of("package a:b;\ninterface i { f: func(\x01); }") ==
        "e.wit:2:23: control character in WIT source");
  CHECK(error_of("package a:b;\nworld w { import x:y; }") ==
        "e.wit:2:18: `x:y` is a package, not an interface; write `name: y` for a named import "
        "or export of an interface");
  CHECK(error_of("package a:b;\ninterface y {}\nworld w { import x: y; export %z :y; }") == "");
  CHECK(error_of("interface i {}") ==
        "e.wit:1:1: no `package` declaration in the files of this package");
  CHECK(error_of("package a:b;\ninterface i {}\npackage a:c;") ==
        "e.wit:3:1: the package declaration must come first in a file");
  // Deep nesting is an error, not a stack overflow.
  std::string deep = "package a:b;\ninterface i { type t = ";
  for (int k = 0; k < 5000; ++k) deep += "list<";
  CHECK(error_of(deep).ends_with("type nested too deeply"));
  std::string comments = "package a:b;\n";
  for (int k = 0; k < 5000; ++k) comments += "/*";
  CHECK(error_of(comments).ends_with("block comments nested too deeply"));
}

TEST_CASE("wit: resolution errors name file, line and column", "[wit]") {
  CHECK(error_of("package a:b;\ninterface i {\n  f: func(x: nope);\n}") ==
        "e.wit:3:14: type `nope` is not defined");
  CHECK(error_of("package a:b;\ninterface i {\n  type x = y;\n  type y = list<x>;\n}") ==
        "e.wit:4:17: type `x` refers to itself");
  CHECK(error_of("package a:b;\ninterface i {\n  record r { a: r }\n}") ==
        "e.wit:3:17: type `r` refers to itself");
  CHECK(error_of("package a:b;\ninterface i { use j.{t}; type u = u8; }\n"
                 "interface j { use i.{u}; type t = u8; }") ==
        "e.wit:3:19: interface `a:b/i` depends on itself through `use` (cycle)");
  CHECK(error_of("package a:b;\ninterface i { use nope.{t}; }") ==
        "e.wit:2:19: interface `nope` does not exist");
  CHECK(error_of("package a:b;\ninterface i { use x:y/z.{t}; }") ==
        "e.wit:2:19: package `x:y` not found");
  CHECK(error_of("package a:b;\ninterface j {}\ninterface i { use j.{t}; }") ==
        "e.wit:3:22: type `t` is not defined in interface `a:b/j`");
  CHECK(error_of("package a:b;\ninterface i { type t = u8; t: func(); }") ==
        "e.wit:2:28: name `t` is defined more than once");
  CHECK(error_of("package a:b;\ninterface i {}\nworld i {}") ==
        "e.wit:3:7: `i` is defined more than once in package `a:b`");
  CHECK(error_of("package a:b;\ninterface i { record r { x: u8 }\n f: func(x: borrow<r>); }") ==
        "e.wit:3:13: `r` is not a resource type");
  CHECK(error_of("package a:b;\ninterface i { resource r { constructor() -> u32; } }") ==
        "e.wit:2:45: a constructor's result must be `r` or `result<r, E>`");
  CHECK(error_of("package a:b;\ninterface i { f: func(x: u8, x: u16); }") ==
        "e.wit:2:30: parameter `x` is defined twice");
  CHECK(error_of("package a:b;\ninterface i { record r {} }") ==
        "e.wit:2:22: `r`: record type must have at least one field");
  CHECK(error_of("package a:b;\ninterface i { type m = map<f32, u8>; }") ==
        "e.wit:2:28: map keys must be integers, char, bool or string");
  CHECK(error_of("package a:b;\nworld w { include v; }\nworld v { include w; }") ==
        "e.wit:3:19: world `a:b/w` includes itself (cycle)");
  CHECK(error_of("package a:b;\nworld v { import f: func(); }\nworld w { import f: func();\n"
                 "  include v; }") ==
        "e.wit:4:3: import `f` conflicts with another of the same name");
  CHECK(error_of("package a:b;\nworld v { import f: func(); }\nworld w { include v with { g as "
                 "h } }") == "e.wit:3:28: `g` is not an import or export of `a:b/v`");
  // An unstable type that is not enabled is unknown to its users.
  CHECK(error_of("package a:b@1.0.0;\ninterface i {\n  @unstable(feature = f)\n  type t = u8;\n"
                 "  g: func(x: t);\n}") == "e.wit:5:14: type `t` is not defined");
}

TEST_CASE("wit: long chains of definitions are errors, not stack overflows", "[wit]") {
  std::string aliases = "package a:b;\ninterface i {\n";
  for (int k = 0; k < 3000; ++k) {
    aliases += "type t" + std::to_string(k) + " = t" + std::to_string(k + 1) + ";\n";
  }
  aliases += "type t3000 = u8;\n}\n";
  CHECK(error_of(aliases).ends_with("definitions refer to each other too deeply"));
  std::string uses = "package a:b;\n";
  for (int k = 0; k < 3000; ++k) {
    uses += "interface i" + std::to_string(k) + " { use i" + std::to_string(k + 1) + ".{t}; }\n";
  }
  uses += "interface i3000 { type t = u8; }\n";
  CHECK(error_of(uses).ends_with("definitions refer to each other too deeply"));
  // A chain well inside the limit resolves.
  std::string ok = "package a:b;\n";
  for (int k = 0; k < 200; ++k) {
    ok += "interface i" + std::to_string(k) + " { use i" + std::to_string(k + 1) + ".{t}; }\n";
  }
  ok += "interface i200 { type t = u8; }\n";
  CHECK(error_of(ok) == "");
}

TEST_CASE("wit: semver-compatible interface lookup", "[wit]") {
  TypeTable table;
  Resolve r(table);
  load(r, "package w:io@0.2.12;\ninterface poll { f: func(); }");
  load(r, "package w:io@0.2.4;\ninterface poll { f: func(); }");
  load(r, "package w:io@0.3.0;\ninterface poll { f: func(); }");
  load(r, "package w:io@1.1.0;\ninterface poll { f: func(); }");
  const Interface* v0212 = r.find_interface("w:io/poll@0.2.12");
  REQUIRE(v0212);
  CHECK(r.find_compatible_interface("w:io/poll@0.2.0") == v0212);
  CHECK(r.find_compatible_interface("w:io/poll@0.2.5") == v0212);
  CHECK(r.find_compatible_interface("w:io/poll@0.2.4") == r.find_interface("w:io/poll@0.2.4"));
  CHECK(r.find_compatible_interface("w:io/poll@0.2.13") == nullptr);
  CHECK(r.find_compatible_interface("w:io/poll@0.3.0") == r.find_interface("w:io/poll@0.3.0"));
  CHECK(r.find_compatible_interface("w:io/poll@1.0.0") == r.find_interface("w:io/poll@1.1.0"));
  CHECK(r.find_compatible_interface("w:io/poll@0.2.0-rc1") == nullptr);
  CHECK(r.find_compatible_interface("w:io/other@0.2.0") == nullptr);
  // Without a version, several loaded versions are ambiguous.
  CHECK(r.find_interface("w:io/poll") == nullptr);
}

TEST_CASE("wit: world selection", "[wit]") {
  TypeTable table;
  Resolve r(table);
  const Package* one = load(r, "package a:one;\nworld only {}");
  const Package* two = load(r, "package a:two;\nworld x {}\nworld y {}");
  CHECK(r.select_world(one, "").value()->name == "only");
  CHECK(r.select_world(two, "y").value()->full_name() == "a:two/y");
  CHECK(r.select_world(two, "a:one/only").value() == one->worlds.front());
  CHECK(r.select_world(two, "").error().message ==
        "package `a:two` has 2 worlds (x, y); name the one to use");
  CHECK(r.select_world(two, "z").error().message ==
        "package `a:two` has no world `z` (worlds: x, y)");
  CHECK(r.select_world(two, "a:one/nope").error().message == "world `a:one/nope` not found");
}

TEST_CASE("wit: a failed load leaves the Resolve as it was", "[wit]") {
  TypeTable table;
  Resolve r(table);
  load(r, "package a:ok;\ninterface i { f: func(); }");
  REQUIRE(r.packages().size() == 1);
  auto bad = r.add_source("bad.wit", "package a:bad;\ninterface j { use a:ok/i.{x}; }");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "bad.wit:2:27: type `x` is not defined in interface `a:ok/i`");
  CHECK(r.packages().size() == 1);
  CHECK(r.find_package("a:bad") == nullptr);
  // A later load can still use the earlier package.
  load(r, "package a:good;\ninterface j { g: func(); }\nworld w { import a:ok/i; }");
  CHECK(r.find_world("a:good/w")->imports.front().iface == r.find_interface("a:ok/i"));
}

TEST_CASE("wit: load_path reads a root package with deps/ files and folders", "[wit]") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("zinc-wit-test-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "deps" / "lib");
  auto write = [](const fs::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
  };
  write(dir / "a.wit", "package app:main;\nworld w { import dep:one/api; export run: func(); }");
  write(dir / "b.wit", "interface extra { use dep:lib/types.{id}; get: func() -> id; }");
  write(dir / "deps" / "one.wit", "package dep:one;\ninterface api { use dep:lib/types.{id}; }");
  write(dir / "deps" / "lib" / "types.wit", "package dep:lib;\ninterface types { type id = u64; }");
  write(dir / "deps" / "ignored.txt", "not wit");
  {
    TypeTable table;
    Resolve r(table);
    auto root = r.load_path(dir.string());
    INFO((root.ok() ? std::string() : root.error().message));
    REQUIRE(root.ok());
    CHECK(root.value()->name.to_string() == "app:main");
    CHECK(r.packages().size() == 3);
    CHECK(func_of(r.find_interface("app:main/extra"), "get") == "func() -> u64");
    CHECK(names(r.find_world("app:main/w")->imports) ==
          std::vector<std::string>{"dep:lib/types", "dep:one/api"});
  }
  // An error in a dependency names its file.
  write(dir / "deps" / "lib" / "types.wit", "package dep:lib;\ninterface types { type id = u64 }");
  {
    TypeTable table;
    Resolve r(table);
    auto root = r.load_path(dir.string());
    REQUIRE_FALSE(root.ok());
    CHECK(root.error().message ==
          (dir / "deps" / "lib" / "types.wit").string() + ":2:33: expected `;`, found `}`");
  }
  TypeTable table;
  Resolve r(table);
  CHECK(r.load_path((dir / "missing").string()).error().message ==
        (dir / "missing").string() + ": no such WIT file or directory");
  fs::remove_all(dir);
}

// ---- the WASI WIT trees ----


TEST_CASE("wit: WASI 0.2.12 resolves, with the spec's functions and worlds", "[wit][shared]") {
  const std::filesystem::path dir = shared_dir() / "wasi-wit-0.2.12";
  REQUIRE(std::filesystem::is_directory(dir));
  TypeTable table;
  Resolve r(table);
  auto root = r.load_path(dir.string());
  INFO((root.ok() ? std::string() : root.error().message));
  REQUIRE(root.ok());
  CHECK(r.packages().size() == 7);

  const Interface* types = r.find_interface("wasi:filesystem/types@0.2.12");
  REQUIRE(types);
  CHECK(func_of(types, "[method]descriptor.read") ==
        "func(self: borrow<descriptor>, length: u64, offset: u64) -> "
        "result<tuple<list<u8>, bool>, error-code>");
  CHECK(func_of(types, "[method]descriptor.read-via-stream") ==
        "func(self: borrow<descriptor>, offset: u64) -> result<input-stream, error-code>");
  CHECK(func_of(types, "[method]directory-entry-stream.read-directory-entry") ==
        "func(self: borrow<directory-entry-stream>) -> "
        "result<option<directory-entry>, error-code>");
  CHECK(func_of(types, "filesystem-error-code") ==
        "func(err: borrow<error>) -> option<error-code>");
  // `input-stream` in filesystem is wasi:io's resource.
  const Interface* streams = r.find_interface("wasi:io/streams@0.2.12");
  REQUIRE(streams);
  CHECK(types->find_type("input-stream")->resource == streams->find_type("input-stream")->resource);
  const Function* read_via = types->find_function("[method]descriptor.read-via-stream");
  CHECK(read_via->type->result->ok->resource == streams->find_type("input-stream")->resource);
  CHECK(func_of(streams, "[method]output-stream.blocking-write-and-flush") ==
        "func(self: borrow<output-stream>, contents: list<u8>) -> result<_, stream-error>");
  CHECK(func_of(r.find_interface("wasi:random/random@0.2.12"), "get-random-bytes") ==
        "func(len: u64) -> list<u8>");
  CHECK(func_of(r.find_interface("wasi:io/poll@0.2.12"), "poll") ==
        "func(in: list<borrow<pollable>>) -> list<u32>");
  CHECK(func_of(r.find_interface("wasi:sockets/tcp@0.2.12"), "[method]tcp-socket.accept") ==
        "func(self: borrow<tcp-socket>) -> "
        "result<tuple<tcp-socket, input-stream, output-stream>, error-code>");
  CHECK(func_of(r.find_interface("wasi:http/types@0.2.12"), "[constructor]fields") ==
        "func() -> fields");
  CHECK(func_of(r.find_interface("wasi:http/types@0.2.12"), "[static]fields.from-list") ==
        "func(entries: list<tuple<string, list<u8>>>) -> result<fields, header-error>");
  // Unstable (clocks-timezone) interfaces are left out by default.
  CHECK(r.find_interface("wasi:clocks/timezone@0.2.12") == nullptr);

  const World* command = r.find_world("wasi:cli/command@0.2.12");
  REQUIRE(command);
  std::vector<std::string> imports = names(command->imports);
  std::sort(imports.begin(), imports.end());
  CHECK(imports == std::vector<std::string>{
                       "wasi:cli/environment@0.2.12",
                       "wasi:cli/exit@0.2.12",
                       "wasi:cli/stderr@0.2.12",
                       "wasi:cli/stdin@0.2.12",
                       "wasi:cli/stdout@0.2.12",
                       "wasi:cli/terminal-input@0.2.12",
                       "wasi:cli/terminal-output@0.2.12",
                       "wasi:cli/terminal-stderr@0.2.12",
                       "wasi:cli/terminal-stdin@0.2.12",
                       "wasi:cli/terminal-stdout@0.2.12",
                       "wasi:clocks/monotonic-clock@0.2.12",
                       "wasi:clocks/wall-clock@0.2.12",
                       "wasi:filesystem/preopens@0.2.12",
                       "wasi:filesystem/types@0.2.12",
                       "wasi:io/error@0.2.12",
                       "wasi:io/poll@0.2.12",
                       "wasi:io/streams@0.2.12",
                       "wasi:random/insecure-seed@0.2.12",
                       "wasi:random/insecure@0.2.12",
                       "wasi:random/random@0.2.12",
                       "wasi:sockets/instance-network@0.2.12",
                       "wasi:sockets/ip-name-lookup@0.2.12",
                       "wasi:sockets/network@0.2.12",
                       "wasi:sockets/tcp-create-socket@0.2.12",
                       "wasi:sockets/tcp@0.2.12",
                       "wasi:sockets/udp-create-socket@0.2.12",
                       "wasi:sockets/udp@0.2.12",
                   });
  CHECK(names(command->exports) == std::vector<std::string>{"wasi:cli/run@0.2.12"});
  // Every import comes after the interfaces it uses.
  for (size_t k = 0; k < command->imports.size(); ++k) {
    for (const Interface* dep : command->imports[k].iface->uses) {
      bool before = false;
      for (size_t j = 0; j < k; ++j) before |= command->imports[j].iface == dep;
      CHECK(before);
    }
  }
  const World* proxy = r.find_world("wasi:http/proxy@0.2.12");
  REQUIRE(proxy);
  CHECK(names(proxy->exports) == std::vector<std::string>{"wasi:http/incoming-handler@0.2.12"});
  CHECK(proxy->find_import("wasi:http/outgoing-handler@0.2.12") != nullptr);

  // With the unstable features on, the gated items appear.
  Features all;
  all.all = true;
  TypeTable table2;
  Resolve r2(table2, all);
  REQUIRE(r2.load_path(dir.string()).ok());
  CHECK(r2.find_interface("wasi:clocks/timezone@0.2.12") != nullptr);
  // Printed back to WIT, everything resolves to the same functions and types.
  check_round_trip(r, Features{});
  check_round_trip(r2, all);
  CHECK(r2.find_interface("wasi:clocks/timezone@0.2.12") != nullptr);
}

TEST_CASE("wit: WASI 0.3.0 (wasi-testsuite) resolves from a root package with deps/",
          "[wit][shared]") {
  const std::filesystem::path dir = shared_dir() / "wasi-testsuite" / "wit-0.3.0";
  REQUIRE(std::filesystem::is_directory(dir));
  TypeTable table;
  Resolve r(table);
  auto root = r.load_path(dir.string());
  INFO((root.ok() ? std::string() : root.error().message));
  REQUIRE(root.ok());
  REQUIRE(root.value() != nullptr);
  CHECK(root.value()->name.to_string() == "test:wasip3");
  const World* w = r.find_world("test:wasip3/wasip3");
  REQUIRE(w);
  CHECK(w->find_export("wasi:cli/run@0.3.0") != nullptr);
  CHECK(w->find_import("wasi:filesystem/types@0.3.0") != nullptr);
  CHECK(w->find_import("wasi:sockets/types@0.3.0") != nullptr);

  const Interface* fs = r.find_interface("wasi:filesystem/types@0.3.0");
  REQUIRE(fs);
  CHECK(func_of(fs, "[method]descriptor.stat") ==
        "async func(self: borrow<descriptor>) -> result<descriptor-stat, error-code>");
  const Function* run = r.find_interface("wasi:cli/run@0.3.0")->find_function("run");
  REQUIRE(run);
  CHECK(run->async);
  CHECK(to_wit(*run) == "async func() -> result");
  const Interface* http = r.find_interface("wasi:http/handler@0.3.0");
  REQUIRE(http);
  CHECK(func_of(http, "handle") == "async func(request: request) -> result<response, error-code>");
  // Streams and futures appear in 0.3 signatures.
  bool has_stream = false;
  for (const Function& f : fs->functions) {
    for (const Param& p : f.params) has_stream |= p.type->interned->has_async;
    if (f.result) has_stream |= f.result->interned->has_async;
  }
  CHECK(has_stream);
  check_round_trip(r, Features{});
}

}  // namespace zinc::component::wit

// tests/vm/api_test.cc: the embedding API (include/zinc/*.h) exercised through its public headers
// only, the way an embedder uses it: small text modules compiled with Module::compile, typed
// and dynamic calls, host functions, traps and their backtraces, memories, tables, globals,
// (traps, memories, tables, globals, limits, the Linker, memory modes and store moves are in
// api_runtime_test.cc).
//
// Modules whose backtrace offsets are checked byte-for-byte are built as binaries with
// tests/builder.h (the text parser emits no name section, and the test needs the bytes to
// compare `module_offset` with). Tests tagged `[!mayfail]` pin down runtime bugs found by this
// file; each carries a `// BUG:` comment with the expected behaviour.
#include "tests/vm/api_test_util.h"

namespace zinc {
namespace {

using namespace apitest;

// ---- Modules ---------------------------------------------------------------------------------

TEST_CASE("api: compile text and binary, errors, imports, exports, name", "[api]") {
  Engine engine;
  SECTION("text and binary give the same module") {
    const Module text = compile(engine, R"((module (func (export "f") (result i32) i32.const 7)))");
    ModuleBuilder b;
    const uint32_t t = b.type({}, {vt::kI32});
    b.export_("f", 0, b.func(t, Bytes{0x41, 0x07}));
    const std::vector<uint8_t> bin = b.build();
    const Module binary = take(Module::from_binary(engine, bin));
    const Module compiled = take(Module::compile(engine, bin));
    Store store(engine);
    for (const Module* m : {&text, &binary, &compiled}) {
      const Instance inst = instantiate_ok(store, *m);
      CHECK(take(typed<int32_t()>(store, inst, "f").call(store)) == 7);
    }
  }
  SECTION("malformed text is a Decode error with line:column") {
    const Error e = take_error(Module::compile(engine, bytes_of("(module (func (result i32)")));
    CHECK(e.kind == ErrorKind::Decode);
    CHECK_FALSE(e.message.empty());
  }
  SECTION("text given to from_binary is a Decode error") {
    const Error e = take_error(Module::from_binary(engine, bytes_of("(module)")));
    CHECK(e.kind == ErrorKind::Decode);
  }
  SECTION("a type error is a Validate error") {
    const Error e =
        take_error(Module::compile(engine, bytes_of("(module (func (result i32) i64.const 1))")));
    CHECK(e.kind == ErrorKind::Validate);
  }
  SECTION("a disabled feature does not validate") {
    Config config;
    config.features.simd = false;
    Engine no_simd(config);
    const auto r =
        Module::compile(no_simd, bytes_of("(module (func (result v128) (v128.const i64x2 0 0)))"));
    CHECK_FALSE(r.ok());
  }
  SECTION("imports and exports with their types") {
    const Module m = compile(engine, R"((module
      (import "env" "f" (func (param i32 i64) (result f32)))
      (import "env" "mem" (memory 1 2))
      (import "env" "tab" (table 3 externref))
      (import "env" "g" (global (mut f64)))
      (func (export "h") (param v128) (result funcref) ref.null func)
      (export "m" (memory 0))
      (table (export "t") 1 5 funcref)
      (global (export "c") i64 (i64.const 3))))",
                             "given-name");
    const std::vector<ImportType> imports = m.imports();
    REQUIRE(imports.size() == 4);
    CHECK(imports[0].module == "env");
    CHECK(imports[0].name == "f");
    CHECK(std::get<FuncType>(imports[0].type) ==
          FuncType{{ValType::I32, ValType::I64}, {ValType::F32}});
    CHECK(std::get<MemoryType>(imports[1].type) == MemoryType{Limits{1, 2}});
    CHECK(std::get<TableType>(imports[2].type) == TableType{ValType::ExternRef, Limits{3, {}}});
    CHECK(std::get<GlobalType>(imports[3].type) == GlobalType{ValType::F64, true});
    const std::vector<ExportType> exports = m.exports();
    REQUIRE(exports.size() == 4);
    CHECK(exports[0].name == "h");
    CHECK(std::get<FuncType>(exports[0].type) == FuncType{{ValType::V128}, {ValType::FuncRef}});
    CHECK(std::get<MemoryType>(exports[1].type) == MemoryType{Limits{1, 2}});
    CHECK(std::get<TableType>(exports[2].type) == TableType{ValType::FuncRef, Limits{1, 5}});
    CHECK(std::get<GlobalType>(exports[3].type) == GlobalType{ValType::I64, false});
    CHECK(m.name() == "given-name");
  }
}

TEST_CASE("api: instance exports by kind", "[api]") {
  Engine engine;
  Store store(engine);
  const Module m = compile(engine, R"((module
    (func (export "f"))
    (memory (export "m") 1)
    (table (export "t") 1 funcref)
    (global (export "g") i32 (i32.const 5))))");
  const Instance inst = instantiate_ok(store, m);
  const auto all = inst.exports(store);
  REQUIRE(all.size() == 4);
  CHECK(all[0].first == "f");
  CHECK(all[0].second.kind() == ExternKind::Func);
  CHECK(all[1].second.kind() == ExternKind::Memory);
  CHECK(all[2].second.kind() == ExternKind::Table);
  CHECK(all[3].second.kind() == ExternKind::Global);
  CHECK(std::get<GlobalType>(all[3].second.type(store)) == GlobalType{ValType::I32, false});
  CHECK(inst.get_func(store, "f").has_value());
  CHECK_FALSE(inst.get_func(store, "m").has_value());
  CHECK_FALSE(inst.get_memory(store, "f").has_value());
  CHECK(inst.get_memory(store, "m").has_value());
  CHECK(inst.get_table(store, "t").has_value());
  CHECK(inst.get_global(store, "g")->get(store).i32() == 5);
  CHECK_FALSE(inst.get_export(store, "missing").has_value());
}

// ---- Calls of every value type -----------------------------------------------------------------

constexpr std::string_view kValuesWat = R"((module
  (func (export "add_i32") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "add_i64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1)))
  (func (export "mul_f32") (param f32 f32) (result f32) (f32.mul (local.get 0) (local.get 1)))
  (func (export "mul_f64") (param f64 f64) (result f64) (f64.mul (local.get 0) (local.get 1)))
  (func (export "id_f32") (param f32) (result f32) (local.get 0))
  (func (export "id_f64") (param f64) (result f64) (local.get 0))
  (func (export "add_v128") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "id_funcref") (param funcref) (result funcref) (local.get 0))
  (func (export "id_externref") (param externref) (result externref) (local.get 0))
  (func (export "is_null_extern") (param externref) (result i32) (ref.is_null (local.get 0)))
  (func $answer (export "answer") (result i32) (i32.const 42))
  (func (export "get_answer") (result funcref) (ref.func $answer))
  (func (export "reverse") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0))
  (func (export "mixed") (param v128 i32) (result i32 v128 i64)
    (local.get 1) (local.get 0) (i64.extend_i32_u (local.get 1)))
  (func (export "fan_out") (param i32) (result i32 i32 i32 i32 i32 i32)
    (local.get 0) (i32.add (local.get 0) (i32.const 1)) (i32.add (local.get 0) (i32.const 2))
    (i32.add (local.get 0) (i32.const 3)) (i32.add (local.get 0) (i32.const 4))
    (i32.add (local.get 0) (i32.const 5)))
  (func (export "nothing"))))";

TEST_CASE("api: typed calls of every value type", "[api]") {
  Engine engine;
  Store store(engine);
  const Instance inst = instantiate_ok(store, compile(engine, kValuesWat));

  CHECK(take(typed<int32_t(int32_t, int32_t)>(store, inst, "add_i32").call(store, 2, -5)) == -3);
  CHECK(take(typed<uint32_t(uint32_t, uint32_t)>(store, inst, "add_i32")
                 .call(store, 0xFFFFFFFFu, 2)) == 1u);
  CHECK(take(typed<int64_t(int64_t, int64_t)>(store, inst, "add_i64")
                 .call(store, INT64_C(1) << 40, -1)) == (INT64_C(1) << 40) - 1);
  CHECK(take(typed<uint64_t(uint64_t, uint64_t)>(store, inst, "add_i64")
                 .call(store, UINT64_MAX, 3)) == 2u);
  CHECK(take(typed<float(float, float)>(store, inst, "mul_f32").call(store, 1.5f, -2.0f)) == -3.0f);
  CHECK(take(typed<double(double, double)>(store, inst, "mul_f64").call(store, 0.25, 8.0)) == 2.0);

  SECTION("float bits are kept exactly (NaN payloads, negative zero)") {
    auto id32 = typed<float(float)>(store, inst, "id_f32");
    CHECK(bits_of(take(id32.call(store, float_of(0x7FA00001u)))) == 0x7FA00001u);
    CHECK(bits_of(take(id32.call(store, -0.0f))) == 0x80000000u);
    auto id64 = typed<double(double)>(store, inst, "id_f64");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK(std::isnan(take(id64.call(store, nan))));
    CHECK(std::signbit(take(id64.call(store, -0.0))));
  }
  SECTION("v128") {
    auto add = typed<V128(V128, V128)>(store, inst, "add_v128");
    const V128 r = take(add.call(store, v128_of_i32x4(1, 2, 3, 4), v128_of_i32x4(10, 20, 30, -4)));
    CHECK(r == v128_of_i32x4(11, 22, 33, 0));
  }
  SECTION("funcref: null, a wasm function, and calling what came back") {
    auto id = typed<std::optional<Func>(std::optional<Func>)>(store, inst, "id_funcref");
    CHECK_FALSE(take(id.call(store, std::nullopt)).has_value());
    const Func answer = get_func(store, inst, "answer");
    const std::optional<Func> back = take(id.call(store, answer));
    REQUIRE(back.has_value());
    CHECK(*back == answer);
    const std::optional<Func> got =
        take(typed<std::optional<Func>()>(store, inst, "get_answer").call(store));
    REQUIRE(got.has_value());
    CHECK(*got == answer);
    CHECK(take(take(got->typed<int32_t()>(store)).call(store)) == 42);
    const Func host = func_wrap(store, [] { return int64_t{-9}; });
    const std::optional<Func> host_back = take(id.call(store, host));
    REQUIRE(host_back.has_value());
    CHECK(take(take(host_back->typed<int64_t()>(store)).call(store)) == -9);
  }
  SECTION("externref: null and non-null, including payload 0") {
    auto id =
        typed<std::optional<ExternRef>(std::optional<ExternRef>)>(store, inst, "id_externref");
    auto is_null = typed<int32_t(std::optional<ExternRef>)>(store, inst, "is_null_extern");
    CHECK_FALSE(take(id.call(store, std::nullopt)).has_value());
    CHECK(take(is_null.call(store, std::nullopt)) == 1);
    for (uint64_t payload : {uint64_t{0}, uint64_t{1}, uint64_t{0xDEADBEEF}, UINT64_MAX - 1}) {
      INFO(payload);
      const std::optional<ExternRef> r = take(id.call(store, ExternRef{payload}));
      REQUIRE(r.has_value());
      CHECK(r->value == payload);
      CHECK(take(is_null.call(store, ExternRef{payload})) == 0);
    }
  }
  SECTION("multi-value results") {
    auto rev = typed<std::tuple<double, float, int64_t, int32_t>(int32_t, int64_t, float, double)>(
        store, inst, "reverse");
    CHECK(take(rev.call(store, 1, -2, 3.5f, -4.25)) == std::make_tuple(-4.25, 3.5f, -2, 1));
    auto mixed = typed<std::tuple<int32_t, V128, int64_t>(V128, int32_t)>(store, inst, "mixed");
    const auto [a, v, c] = take(mixed.call(store, v128_of_i32x4(5, 6, 7, 8), -1));
    CHECK(a == -1);
    CHECK(v == v128_of_i32x4(5, 6, 7, 8));
    CHECK(c == INT64_C(0xFFFFFFFF));
    auto fan = typed<std::tuple<int32_t, int32_t, int32_t, int32_t, int32_t, int32_t>(int32_t)>(
        store, inst, "fan_out");
    CHECK(take(fan.call(store, 10)) == std::make_tuple(10, 11, 12, 13, 14, 15));
  }
  SECTION("no params, no results") {
    check(typed<void()>(store, inst, "nothing").call(store));
  }
}

// Regression (found by this file): ExternRef{UINT64_MAX} wrapped to null in the slot encoding
// (payload + 1, 0 for null). That payload is now reserved (val.h) and refused at the API.
TEST_CASE("api: the reserved externref payload is refused", "[api]") {
  Engine engine;
  Store store(engine);
  const Instance inst = instantiate_ok(store, compile(engine, kValuesWat));
  auto id = typed<std::optional<ExternRef>(std::optional<ExternRef>)>(store, inst, "id_externref");
  CHECK_FALSE(id.call(store, ExternRef{ExternRef::kReservedValue}).ok());
  const std::optional<ExternRef> r = take(id.call(store, ExternRef{UINT64_MAX - 1}));
  REQUIRE(r.has_value());
  CHECK(r->value == UINT64_MAX - 1);
  std::vector<Val> args = {Val::externref(ExternRef{ExternRef::kReservedValue})};
  CHECK_FALSE(get_func(store, inst, "id_externref").call(store, args).ok());
}

TEST_CASE("api: dynamic calls of every value type", "[api]") {
  Engine engine;
  Store store(engine);
  const Instance inst = instantiate_ok(store, compile(engine, kValuesWat));
  auto call = [&](std::string_view name, std::vector<Val> args) {
    return take(get_func(store, inst, name).call(store, args));
  };

  CHECK(call("add_i32", {Val::i32(7), Val::i32(-9)})[0].i32() == -2);
  CHECK(call("add_i64", {Val::i64(INT64_MAX), Val::i64(1)})[0].i64() == INT64_MIN);
  CHECK(call("mul_f32", {Val::f32(3.0f), Val::f32(0.5f)})[0].f32() == 1.5f);
  CHECK(call("mul_f64", {Val::f64(-3.0), Val::f64(0.5)})[0].f64() == -1.5);
  CHECK(call("id_f32", {Val::f32_bits(0xFFC00123u)})[0].f32_bits() == 0xFFC00123u);
  CHECK(call("id_f64", {Val::f64_bits(0x7FF4000000000001u)})[0].f64_bits() == 0x7FF4000000000001u);
  const std::vector<Val> v = call(
      "add_v128", {Val::v128(v128_of_i32x4(1, 1, 1, 1)), Val::v128(v128_of_i32x4(1, 2, 3, 4))});
  REQUIRE(v.size() == 1);
  CHECK(v[0].type() == ValType::V128);
  CHECK(v[0].v128() == v128_of_i32x4(2, 3, 4, 5));

  const Func answer = get_func(store, inst, "answer");
  const std::vector<Val> f = call("id_funcref", {Val::funcref(answer)});
  CHECK(f[0].type() == ValType::FuncRef);
  REQUIRE(f[0].funcref().has_value());
  CHECK(*f[0].funcref() == answer);
  CHECK(call("id_funcref", {Val::funcref(std::nullopt)})[0].is_null());
  CHECK(call("get_answer", {})[0].funcref() == answer);

  const std::vector<Val> e = call("id_externref", {Val::externref(ExternRef{77})});
  CHECK(e[0].type() == ValType::ExternRef);
  CHECK(e[0].externref() == ExternRef{77});
  CHECK(call("id_externref", {Val::externref(std::nullopt)})[0].is_null());

  const std::vector<Val> rev =
      call("reverse", {Val::i32(1), Val::i64(2), Val::f32(3.0f), Val::f64(4.0)});
  REQUIRE(rev.size() == 4);
  CHECK(rev[0].type() == ValType::F64);
  CHECK(rev[0].f64() == 4.0);
  CHECK(rev[1].f32() == 3.0f);
  CHECK(rev[2].i64() == 2);
  CHECK(rev[3].i32() == 1);
  const std::vector<Val> mixed = call("mixed", {Val::v128(v128_of_i32x4(9, 8, 7, 6)), Val::i32(3)});
  REQUIRE(mixed.size() == 3);
  CHECK(mixed[0].i32() == 3);
  CHECK(mixed[1].v128() == v128_of_i32x4(9, 8, 7, 6));
  CHECK(mixed[2].i64() == 3);
  CHECK(call("fan_out", {Val::i32(0)})[5].i32() == 5);
  CHECK(call("nothing", {}).empty());

  SECTION("the span form writes into the caller's results") {
    std::vector<Val> args = {Val::i32(1), Val::i32(2)};
    std::vector<Val> results(3);
    check(get_func(store, inst, "add_i32").call(store, args, results));
    CHECK(results[0].i32() == 3);
  }
  SECTION("function types") {
    CHECK(get_func(store, inst, "mixed").type(store) ==
          FuncType{{ValType::V128, ValType::I32}, {ValType::I32, ValType::V128, ValType::I64}});
    CHECK(get_func(store, inst, "nothing").type(store) == FuncType{});
  }
  SECTION("argument errors") {
    const Func add = get_func(store, inst, "add_i32");
    std::vector<Val> one = {Val::i32(1)};
    CHECK(take_error(add.call(store, one)).kind == ErrorKind::Generic);
    std::vector<Val> wrong = {Val::i32(1), Val::i64(2)};
    const Error e = take_error(add.call(store, wrong));
    CHECK(e.kind == ErrorKind::Generic);
    CHECK(e.message.find("argument 1") != std::string::npos);
    std::vector<Val> args = {Val::i32(1), Val::i32(2)};
    std::vector<Val> none;
    CHECK_FALSE(add.call(store, args, none).ok());
  }
  SECTION("handles of another store are rejected") {
    Store other(engine);
    const Func foreign = func_wrap(other, [] {});
    std::vector<Val> args = {Val::funcref(foreign)};
    CHECK_FALSE(get_func(store, inst, "id_funcref").call(store, args).ok());
    CHECK_FALSE(get_func(store, inst, "nothing").call(other, {}).ok());
    CHECK_FALSE(typed<void()>(store, inst, "nothing").call(other).ok());
  }
}

TEST_CASE("api: Func::typed checks the signature", "[api]") {
  Engine engine;
  Store store(engine);
  const Instance inst = instantiate_ok(store, compile(engine, kValuesWat));
  const Func add = get_func(store, inst, "add_i32");
  CHECK(add.typed<int32_t(int32_t, int32_t)>(store).ok());
  CHECK(add.typed<uint32_t(int32_t, uint32_t)>(store).ok());  // signedness is not part of i32
  for (const Error& e :
       {take_error(add.typed<int64_t(int32_t, int32_t)>(store)),
        take_error(add.typed<int32_t(int32_t)>(store)),
        take_error(add.typed<int32_t(int32_t, float)>(store)),
        take_error(add.typed<void(int32_t, int32_t)>(store)),
        take_error(add.typed<std::tuple<int32_t, int32_t>(int32_t, int32_t)>(store))}) {
    CHECK(e.kind == ErrorKind::Link);
    CHECK(e.message.find("function type mismatch") != std::string::npos);
    CHECK(e.message.find("(func (param i32 i32) (result i32))") != std::string::npos);
  }
  const Func rev = get_func(store, inst, "reverse");
  CHECK_FALSE(
      rev.typed<std::tuple<double, float, int64_t>(int32_t, int64_t, float, double)>(store).ok());
  const Func host = func_wrap(store, [](std::optional<ExternRef>) {});
  CHECK(host.typed<void(std::optional<ExternRef>)>(store).ok());
  CHECK_FALSE(host.typed<void(std::optional<Func>)>(store).ok());
}

// ---- Host functions ------------------------------------------------------------------------

int32_t free_function(int32_t a, int32_t b) {
  return a * b;
}

constexpr std::string_view kHostShapesWat = R"((module
  (import "h" "void0" (func $void0))
  (import "h" "void1" (func $void1 (param i32)))
  (import "h" "u32" (func $u32 (param i32) (result i32)))
  (import "h" "i64" (func $i64 (param i64) (result i64)))
  (import "h" "u64" (func $u64 (param i64) (result i64)))
  (import "h" "f32" (func $f32 (param f32) (result f32)))
  (import "h" "f64" (func $f64 (param f64) (result f64)))
  (import "h" "v128" (func $v128 (param i32 v128 i64) (result v128)))
  (import "h" "funcref" (func $funcref (param funcref) (result funcref)))
  (import "h" "externref" (func $externref (param externref) (result externref)))
  (import "h" "tuple" (func $tuple (param i32 i64) (result i64 i32 f32 f64)))
  (import "h" "tuple_v128" (func $tuple_v128 (param v128) (result i32 v128 i32)))
  (import "h" "result_void" (func $result_void (param i32)))
  (import "h" "result_i32" (func $result_i32 (param i32) (result i32)))
  (import "h" "result_tuple" (func $result_tuple (param i32) (result i32 i32)))
  (import "h" "caller_void" (func $caller_void))
  (import "h" "caller_i32" (func $caller_i32 (param i32) (result i32)))
  (import "h" "caller_tuple" (func $caller_tuple (param i32) (result i32 i64)))
  (import "h" "caller_result" (func $caller_result (param i32) (result i32)))
  (import "h" "free" (func $free (param i32 i32) (result i32)))
  (import "h" "dynamic" (func $dynamic (param i32 f64 v128) (result f64 i32)))
  (memory (export "memory") 1)
  (func $target (export "target") (result i32) (i32.const 1234))
  (func (export "call_void0") (call $void0))
  (func (export "call_void1") (param i32) (call $void1 (local.get 0)))
  (func (export "call_u32") (param i32) (result i32) (call $u32 (local.get 0)))
  (func (export "call_i64") (param i64) (result i64) (call $i64 (local.get 0)))
  (func (export "call_u64") (param i64) (result i64) (call $u64 (local.get 0)))
  (func (export "call_f32") (param f32) (result f32) (call $f32 (local.get 0)))
  (func (export "call_f64") (param f64) (result f64) (call $f64 (local.get 0)))
  (func (export "call_v128") (param i32 v128 i64) (result v128)
    (call $v128 (local.get 0) (local.get 1) (local.get 2)))
  (func (export "call_funcref") (result i32)
    (call $call_ref_via_table (call $funcref (ref.func $target))))
  (func $call_ref_via_table (param funcref) (result i32)
    (table.set $t (i32.const 0) (local.get 0))
    (call_indirect $t (result i32) (i32.const 0)))
  (table $t 1 funcref)
  (func (export "call_externref") (param externref) (result externref)
    (call $externref (local.get 0)))
  (func (export "call_tuple") (param i32 i64) (result i64 i32 f32 f64)
    (call $tuple (local.get 0) (local.get 1)))
  (func (export "call_tuple_v128") (param v128) (result i32 v128 i32)
    (call $tuple_v128 (local.get 0)))
  (func (export "call_result_void") (param i32) (call $result_void (local.get 0)))
  (func (export "call_result_i32") (param i32) (result i32) (call $result_i32 (local.get 0)))
  (func (export "call_result_tuple") (param i32) (result i32 i32)
    (call $result_tuple (local.get 0)))
  (func (export "call_caller_void") (call $caller_void))
  (func (export "call_caller_i32") (param i32) (result i32) (call $caller_i32 (local.get 0)))
  (func (export "call_caller_tuple") (param i32) (result i32 i64)
    (call $caller_tuple (local.get 0)))
  (func (export "call_caller_result") (param i32) (result i32)
    (call $caller_result (local.get 0)))
  (func (export "call_free") (param i32 i32) (result i32) (call $free (local.get 0) (local.get 1)))
  (func (export "call_dynamic") (param i32 f64 v128) (result f64 i32)
    (call $dynamic (local.get 0) (local.get 1) (local.get 2)))))";

/// State the host functions of kHostShapesWat record, reached through Store::data().
struct HostLog {
  int void0 = 0;
  int32_t void1 = 0;
  int caller_void = 0;
  bool caller_saw_instance = false;
};

void define_host_shapes(Linker& linker) {
  check(linker.func_wrap("h", "void0", [] {}));
  check(linker.func_wrap("h", "void1",
                         [](Caller& c, int32_t x) { static_cast<HostLog*>(c.data())->void1 = x; }));
  check(linker.func_wrap("h", "u32", [](uint32_t x) { return x * 2u; }));
  check(linker.func_wrap("h", "i64", [](int64_t x) { return -x; }));
  check(linker.func_wrap("h", "u64", [](uint64_t x) { return x >> 1; }));
  check(linker.func_wrap("h", "f32", [](float x) { return x + 0.5f; }));
  check(linker.func_wrap("h", "f64", [](double x) { return x * 4.0; }));
  check(linker.func_wrap("h", "v128", [](int32_t a, V128 v, int64_t b) {
    V128 r = v;
    r.set_lane<int32_t>(0, v.lane<int32_t>(0) + a);
    r.set_lane<int32_t>(3, v.lane<int32_t>(3) + static_cast<int32_t>(b));
    return r;
  }));
  check(linker.func_wrap("h", "funcref", [](std::optional<Func> f) { return f; }));
  check(linker.func_wrap("h", "externref", [](std::optional<ExternRef> e) {
    return e ? std::optional<ExternRef>(ExternRef{e->value + 1}) : std::nullopt;
  }));
  check(linker.func_wrap("h", "tuple", [](int32_t a, int64_t b) {
    return std::make_tuple(b * 2, a * 2, 0.5f, 0.25);
  }));
  check(linker.func_wrap("h", "tuple_v128", [](V128 v) {
    return std::make_tuple(v.lane<int32_t>(0), v, v.lane<int32_t>(3));
  }));
  check(linker.func_wrap("h", "result_void", [](int32_t x) -> Result<void> {
    if (x < 0) return api_error(ErrorKind::Generic, "negative");
    return {};
  }));
  check(linker.func_wrap("h", "result_i32", [](int32_t x) -> Result<int32_t> {
    if (x < 0) return api_error(ErrorKind::Generic, "negative");
    return x + 1;
  }));
  check(
      linker.func_wrap("h", "result_tuple", [](int32_t x) -> Result<std::tuple<int32_t, int32_t>> {
        if (x < 0) return api_error(ErrorKind::Generic, "negative");
        return std::make_tuple(x / 10, x % 10);
      }));
  check(linker.func_wrap("h", "caller_void", [](Caller& c) {
    auto* log = static_cast<HostLog*>(c.data());
    ++log->caller_void;
    log->caller_saw_instance = c.instance() != nullptr && c.get_export("target").has_value();
  }));
  check(linker.func_wrap("h", "caller_i32", [](Caller& c, int32_t x) {
    const auto target = c.get_export("target")->func()->typed<int32_t()>(c.store());
    return x + (target.ok() ? target->call(c.store()).value() : 0);
  }));
  check(linker.func_wrap("h", "caller_tuple", [](Caller& c, int32_t x) {
    return std::make_tuple(x, static_cast<int64_t>(c.memory()->size(c.store())));
  }));
  check(linker.func_wrap("h", "caller_result", [](Caller& c, int32_t x) -> Result<int32_t> {
    if (!c.memory()) return api_error(ErrorKind::Generic, "no memory");
    return x * 3;
  }));
  check(linker.func_wrap("h", "free", free_function));
  check(linker.func_new(
      "h", "dynamic",
      FuncType{{ValType::I32, ValType::F64, ValType::V128}, {ValType::F64, ValType::I32}},
      [](Caller&, std::span<const Val> args, std::span<Val> results) -> Result<void> {
        if (args.size() != 3 || args[2].type() != ValType::V128) {
          return api_error(ErrorKind::Generic, "bad arguments");
        }
        results[0] = Val::f64(args[1].f64() + args[0].i32());
        results[1] = Val::i32(args[2].v128().lane<int32_t>(2));
        return {};
      }));
}

TEST_CASE("api: host functions of every supported shape", "[api]") {
  Engine engine;
  Store store(engine);
  HostLog log;
  store.set_data(&log);
  Linker linker(engine);
  define_host_shapes(linker);
  const Instance inst = take(linker.instantiate(store, compile(engine, kHostShapesWat)));

  check(typed<void()>(store, inst, "call_void0").call(store));
  check(typed<void(int32_t)>(store, inst, "call_void1").call(store, 99));
  CHECK(log.void1 == 99);
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "call_u32").call(store, -1)) == -2);
  CHECK(take(typed<int64_t(int64_t)>(store, inst, "call_i64").call(store, 5)) == -5);
  CHECK(take(typed<uint64_t(uint64_t)>(store, inst, "call_u64").call(store, UINT64_MAX)) ==
        UINT64_MAX >> 1);
  CHECK(take(typed<float(float)>(store, inst, "call_f32").call(store, 1.0f)) == 1.5f);
  CHECK(take(typed<double(double)>(store, inst, "call_f64").call(store, -2.0)) == -8.0);
  CHECK(take(typed<V128(int32_t, V128, int64_t)>(store, inst, "call_v128")
                 .call(store, 10, v128_of_i32x4(1, 2, 3, 4), 100)) == v128_of_i32x4(11, 2, 3, 104));
  CHECK(take(typed<int32_t()>(store, inst, "call_funcref").call(store)) == 1234);
  auto ext =
      typed<std::optional<ExternRef>(std::optional<ExternRef>)>(store, inst, "call_externref");
  CHECK(take(ext.call(store, ExternRef{41})) == std::optional<ExternRef>(ExternRef{42}));
  CHECK_FALSE(take(ext.call(store, std::nullopt)).has_value());
  CHECK(take(typed<std::tuple<int64_t, int32_t, float, double>(int32_t, int64_t)>(store, inst,
                                                                                  "call_tuple")
                 .call(store, 3, -4)) == std::make_tuple(int64_t{-8}, 6, 0.5f, 0.25));
  CHECK(take(typed<std::tuple<int32_t, V128, int32_t>(V128)>(store, inst, "call_tuple_v128")
                 .call(store, v128_of_i32x4(7, 8, 9, 10))) ==
        std::make_tuple(7, v128_of_i32x4(7, 8, 9, 10), 10));
  check(typed<void(int32_t)>(store, inst, "call_result_void").call(store, 1));
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "call_result_i32").call(store, 1)) == 2);
  CHECK(take(typed<std::tuple<int32_t, int32_t>(int32_t)>(store, inst, "call_result_tuple")
                 .call(store, 47)) == std::make_tuple(4, 7));
  check(typed<void()>(store, inst, "call_caller_void").call(store));
  CHECK(log.caller_void == 1);
  CHECK(log.caller_saw_instance);
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "call_caller_i32").call(store, 1)) == 1235);
  CHECK(take(typed<std::tuple<int32_t, int64_t>(int32_t)>(store, inst, "call_caller_tuple")
                 .call(store, 5)) == std::make_tuple(5, int64_t{1}));
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "call_caller_result").call(store, 5)) == 15);
  CHECK(take(typed<int32_t(int32_t, int32_t)>(store, inst, "call_free").call(store, 6, 7)) == 42);
  CHECK(take(typed<std::tuple<double, int32_t>(int32_t, double, V128)>(store, inst, "call_dynamic")
                 .call(store, 2, 0.5, v128_of_i32x4(0, 0, 33, 0))) == std::make_tuple(2.5, 33));

  SECTION("errors of Result-returning host functions trap the caller") {
    for (const char* name : {"call_result_void", "call_result_i32", "call_result_tuple"}) {
      INFO(name);
      std::vector<Val> args = {Val::i32(-1)};
      const Trap t = take_trap(get_func(store, inst, name).call(store, args), TrapCode::HostTrap);
      CHECK(t.message == "negative");
    }
  }
  SECTION("host functions' types as the Linker deduced them") {
    auto f = linker.get(store, "h", "tuple_v128");
    REQUIRE(f.has_value());
    CHECK(std::get<FuncType>(f->type(store)) ==
          FuncType{{ValType::V128}, {ValType::I32, ValType::V128, ValType::I32}});
    CHECK_FALSE(linker.get(store, "h", "missing").has_value());
  }
}

TEST_CASE("api: store-bound host functions called directly and from wasm", "[api]") {
  Engine engine;
  Store store(engine);
  int calls = 0;
  const Func add = func_wrap(store, [&calls](int32_t a, int32_t b) {
    ++calls;
    return a + b;
  });
  const Func pair = func_wrap(store, [](Caller& c, int64_t x) {
    // Called from the host, there is no calling instance.
    return std::make_tuple(x, c.instance() == nullptr && !c.memory() ? 1 : 0);
  });
  CHECK(add.type(store) == FuncType{{ValType::I32, ValType::I32}, {ValType::I32}});
  CHECK(take(take(add.typed<int32_t(int32_t, int32_t)>(store)).call(store, 20, 22)) == 42);
  std::vector<Val> args = {Val::i64(-3)};
  const std::vector<Val> r = take(pair.call(store, args));
  CHECK(r[0].i64() == -3);
  CHECK(r[1].i32() == 1);
  const Func dyn =
      func_new(store, FuncType{{ValType::I32}, {ValType::I32}},
               [](Caller&, std::span<const Val> a, std::span<Val> res) -> Result<void> {
                 res[0] = Val::i32(-a[0].i32());
                 return {};
               });
  const Module m = compile(engine, R"((module
    (import "" "add" (func $add (param i32 i32) (result i32)))
    (import "" "neg" (func $neg (param i32) (result i32)))
    (func (export "run") (param i32) (result i32)
      (call $neg (call $add (local.get 0) (i32.const 1))))))");
  const std::vector<Extern> imports = {add, dyn};
  const Instance inst = take(instantiate(store, m, imports));
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "run").call(store, 4)) == -5);
  CHECK(calls == 2);
}

TEST_CASE("api: host functions read and write guest memory through Caller", "[api]") {
  const MemoryMode mode = GENERATE(MemoryMode::GuardPages, MemoryMode::BoundsChecks);
  INFO(mode_name(mode));
  ZincSignalScope signals;
  Engine engine = engine_with(mode);
  Store store(engine);
  Linker linker(engine);
  std::string logged;
  check(linker.func_wrap(
      "env", "log", [&logged](Caller& c, int32_t ptr, int32_t len) -> Result<void> {
        auto mem = c.memory();
        if (!mem) return api_error(ErrorKind::Generic, "no memory");
        auto bytes = mem->span(c.store(), static_cast<uint32_t>(ptr), static_cast<uint32_t>(len));
        if (!bytes) return api_error(ErrorKind::Generic, "string out of bounds");
        logged.assign(bytes->begin(), bytes->end());
        return {};
      }));
  check(linker.func_wrap("env", "upper", [](Caller& c, int32_t ptr, int32_t len) -> int32_t {
    auto bytes =
        c.memory()->span(c.store(), static_cast<uint32_t>(ptr), static_cast<uint32_t>(len));
    if (!bytes) return -1;
    for (uint8_t& b : *bytes) b = static_cast<uint8_t>(b >= 'a' && b <= 'z' ? b - 32 : b);
    return len;
  }));
  check(linker.func_wrap("env", "write_u32", [](Caller& c, int32_t at, int32_t v) -> Result<void> {
    uint8_t b[4];
    std::memcpy(b, &v, 4);
    if (!c.memory()->write(c.store(), static_cast<uint32_t>(at), b)) {
      return api_error(ErrorKind::Generic, "write out of bounds");
    }
    return {};
  }));
  // Grows the caller's memory and writes into the new page: wasm must see the new size and data
  // after the call even if the memory moved (BoundsChecks).
  check(linker.func_wrap("env", "grow_and_mark", [](Caller& c) -> int32_t {
    Memory mem = *c.memory();
    auto old = mem.grow(c.store(), 1);
    if (!old) return -1;
    const uint8_t mark[] = {0xAB};
    return mem.write(c.store(), *old * 65536 + 5, mark) ? static_cast<int32_t>(*old) : -2;
  }));
  const Module m = compile(engine, R"((module
    (import "env" "log" (func $log (param i32 i32)))
    (import "env" "upper" (func $upper (param i32 i32) (result i32)))
    (import "env" "write_u32" (func $write_u32 (param i32 i32)))
    (import "env" "grow_and_mark" (func $grow_and_mark (result i32)))
    (memory 1)  ;; not exported: Caller::memory falls back to memory 0
    (data (i32.const 100) "hello, zinc")
    (func (export "log") (param i32 i32) (call $log (local.get 0) (local.get 1)))
    (func (export "upper_then_log") (result i32)
      (local $n i32)
      (local.set $n (call $upper (i32.const 100) (i32.const 11)))
      (call $log (i32.const 100) (i32.const 11))
      (local.get $n))
    (func (export "write_then_load") (param i32 i32) (result i32)
      (call $write_u32 (local.get 0) (local.get 1))
      (i32.load (local.get 0)))
    (func (export "grow_then_load") (result i32 i32 i32)
      (local $old i32)
      (local.set $old (call $grow_and_mark))
      (local.get $old)
      (memory.size)
      (i32.load8_u (i32.add (i32.mul (local.get $old) (i32.const 65536)) (i32.const 5))))))");
  const Instance inst = take(linker.instantiate(store, m));
  check(typed<void(int32_t, int32_t)>(store, inst, "log").call(store, 100, 5));
  CHECK(logged == "hello");
  CHECK(take(typed<int32_t()>(store, inst, "upper_then_log").call(store)) == 11);
  CHECK(logged == "HELLO, ZINC");
  CHECK(take(typed<int32_t(int32_t, int32_t)>(store, inst, "write_then_load").call(store, 8, -7)) ==
        -7);
  CHECK(take(typed<std::tuple<int32_t, int32_t, int32_t>()>(store, inst, "grow_then_load")
                 .call(store)) == std::make_tuple(1, 2, 0xAB));

  SECTION("out-of-bounds host accesses fail instead of touching memory") {
    const Trap t =
        take_trap(typed<void(int32_t, int32_t)>(store, inst, "log").call(store, 2 * 65536 - 10, 11),
                  TrapCode::HostTrap);
    CHECK(t.message == "string out of bounds");
    const Trap w = take_trap(typed<int32_t(int32_t, int32_t)>(store, inst, "write_then_load")
                                 .call(store, 2 * 65536 - 2, 1),
                             TrapCode::HostTrap);
    CHECK(w.message == "write out of bounds");
  }
}

// ---- Host errors, exit and re-entrancy --------------------------------------------------------

/// A module "host_errors" importing env.fail and calling it from a named function, which a
/// second named function calls: frames are fail_caller <- outer.
struct HostErrorModule {
  std::vector<uint8_t> binary;
  Bytes caller_body, outer_body;
};

HostErrorModule host_error_module() {
  HostErrorModule h;
  ModuleBuilder b;
  const uint32_t t = b.type({}, {});
  b.import_func("env", "fail", t);                                  // 0
  h.caller_body = Bytes{0x41, 0x0D, 0x1A, 0x10, 0x00, 0x10, 0x00};  // drop 13; call 0; call 0
  const uint32_t caller = b.func(t, h.caller_body);                 // 1
  h.outer_body = Bytes{0x41, 0x0E, 0x1A, 0x10, 0x01, 0x01};         // drop 14; call 1; nop
  const uint32_t outer = b.func(t, h.outer_body);                   // 2
  b.export_("outer", 0, outer);
  b.export_("fail_caller", 0, caller);
  b.custom("name", name_section("host_errors", {"fail", "fail_caller", "outer"}));
  h.binary = b.build();
  return h;
}

TEST_CASE("api: a host error traps with its message and a wasm backtrace", "[api]") {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  int calls = 0;
  check(linker.func_wrap("env", "fail", [&calls]() -> Result<void> {
    ++calls;
    return api_error(ErrorKind::Generic, "the host says no");
  }));
  const HostErrorModule h = host_error_module();
  const Module m = take(Module::compile(engine, h.binary));
  CHECK(m.name() == "host_errors");
  const Instance inst = take(linker.instantiate(store, m));
  const auto r = typed<void()>(store, inst, "outer").call(store);
  const Error e = take_error(r);
  CHECK(e.kind == ErrorKind::Trap);
  CHECK(e.message.find("the host says no") != std::string::npos);
  const Trap t = take_trap(r, TrapCode::HostTrap);
  CHECK(calls == 1);  // the second call never ran
  CHECK(t.message == "the host says no");
  REQUIRE(t.frames.size() == 2);
  CHECK(t.frames[0].module_name == "host_errors");
  CHECK(t.frames[0].func_name == "fail_caller");
  CHECK(t.frames[0].func_index == 1);
  CHECK(t.frames[0].has_offset);
  CHECK(t.frames[1].func_name == "outer");
  CHECK(t.frames[1].func_index == 2);
  CHECK(t.frames[1].has_offset);
  CHECK(t.frames[1].module_offset == offset_in(h.binary, h.outer_body, 3));  // the call
  const std::string bt = t.backtrace();
  CHECK(bt.find("host_errors!fail_caller") != std::string::npos);
  CHECK(bt.find("host_errors!outer") != std::string::npos);
  CHECK(bt.find("0: 0x") != std::string::npos);
  // The store is usable after the trap: the same call fails the same way again.
  take_trap(typed<void()>(store, inst, "outer").call(store), TrapCode::HostTrap);
  CHECK(calls == 2);
}

// Regression (found by this file): the innermost frame of a trap raised by a host function
// pointed at the instruction after the call, as the interpreter had already advanced past it.
// Reproducer: (module (import "env" "fail" (func $f)) (func (export "run") call $f call $f)).
TEST_CASE("api: a host error's innermost frame offset is the call instruction", "[api]") {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  check(linker.func_wrap("env", "fail",
                         []() -> Result<void> { return api_error(ErrorKind::Generic, "no"); }));
  const HostErrorModule h = host_error_module();
  const Instance inst = take(linker.instantiate(store, take(Module::compile(engine, h.binary))));
  const Trap t =
      take_trap(typed<void()>(store, inst, "fail_caller").call(store), TrapCode::HostTrap);
  REQUIRE(t.frames.size() == 1);
  CHECK(t.frames[0].module_offset == offset_in(h.binary, h.caller_body, 3));
}

// BUG: a host function that fails with an Error of kind Trap (built with api_error, so without a
// Trap object) reaches the embedder as kind Trap with `trap == nullptr`: no TrapCode and no
// backtrace, although result.h says a Trap error's `trap` holds both. vm/engine.cc `invoke`
// only attaches frames when `e.trap` is already set. The same happens for func_new callbacks
// that return a result of the wrong type (api.cc reports that with api_error(ErrorKind::Trap)).
// Expected: trap != nullptr, code HostTrap, the host's message, frames of the wasm caller.
// Minimal reproducer: (module (import "env" "t" (func $t)) (func (export "run") call $t)) with
// env.t returning api_error(ErrorKind::Trap, "custom trap").
TEST_CASE("api: a host error of kind Trap carries a Trap and a backtrace", "[api]") {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  check(linker.func_wrap(
      "env", "fail", []() -> Result<void> { return api_error(ErrorKind::Trap, "custom trap"); }));
  const HostErrorModule h = host_error_module();
  const Instance inst = take(linker.instantiate(store, take(Module::compile(engine, h.binary))));
  const Error e = take_error(typed<void()>(store, inst, "outer").call(store));
  CHECK(e.kind == ErrorKind::Trap);
  CHECK(e.message == "custom trap");
  CHECK(e.trap != nullptr);
  if (e.trap) {
    CHECK(e.trap->message == "custom trap");
    CHECK(e.trap->frames.size() == 2);
  }

  const Func wrong = func_new(store, FuncType{{}, {ValType::I32}},
                              [](Caller&, std::span<const Val>, std::span<Val> results) {
                                results[0] = Val::i64(1);  // not an i32
                                return Result<void>();
                              });
  const Module m = compile(engine, R"((module (import "" "f" (func $f (result i32)))
    (func (export "run") (result i32) (call $f))))");
  const std::vector<Extern> imports = {wrong};
  const Instance i2 = take(instantiate(store, m, imports));
  const Error w = take_error(typed<int32_t()>(store, i2, "run").call(store));
  CHECK(w.kind == ErrorKind::Trap);
  CHECK(w.trap != nullptr);
  if (w.trap) CHECK(w.trap->frames.size() == 1);
}

TEST_CASE("api: an Exit error propagates with its exit code", "[api]") {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  check(linker.func_wrap("env", "exit", [](int32_t code) -> Result<void> {
    Error e;
    e.kind = ErrorKind::Exit;
    e.exit_code = code;
    e.message = "exit";
    return unexpected(std::move(e));
  }));
  check(linker.func_wrap("env", "reenter", [](Caller& c, int32_t code) -> Result<int32_t> {
    auto inner = c.get_export("exit_with")->func()->typed<void(int32_t)>(c.store());
    if (!inner) return unexpected(inner.error());
    Result<void> r = inner->call(c.store(), code);
    if (!r.ok()) return unexpected(r.error());
    return 0;
  }));
  const Module m = compile(engine, R"((module
    (import "env" "exit" (func $exit (param i32)))
    (import "env" "reenter" (func $reenter (param i32) (result i32)))
    (func (export "exit_with") (param i32) (call $exit (local.get 0)) unreachable)
    (func (export "nested") (param i32) (result i32)
      (drop (call $reenter (local.get 0))) (i32.const 99))
    (func (export "ok") (result i32) (i32.const 1))))");
  const Instance inst = take(linker.instantiate(store, m));
  const Error e = take_error(typed<void(int32_t)>(store, inst, "exit_with").call(store, 3));
  CHECK(e.kind == ErrorKind::Exit);
  CHECK(e.exit_code == 3);
  // Through wasm -> host -> wasm -> host.
  const Error n = take_error(typed<int32_t(int32_t)>(store, inst, "nested").call(store, 42));
  CHECK(n.kind == ErrorKind::Exit);
  CHECK(n.exit_code == 42);
  CHECK(take(typed<int32_t()>(store, inst, "ok").call(store)) == 1);
}

constexpr std::string_view kReentryWat = R"((module
  (import "env" "host_a" (func $a (param i32) (result i32)))
  (import "env" "host_b" (func $b (param i32) (result i32)))
  (import "env" "host_rec" (func $rec (param i32) (result i32)))
  (import "env" "host_trap" (func $host_trap))
  (memory (export "memory") 1)
  (global $depth (mut i32) (i32.const 0))
  (func (export "outer") (param i32) (result i32) (i32.add (call $a (local.get 0)) (i32.const 1)))
  (func (export "inner") (param i32) (result i32) (i32.mul (call $b (local.get 0)) (i32.const 2)))
  (func (export "countdown") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (i32.add (call $rec (i32.sub (local.get 0) (i32.const 1))) (i32.const 1)))))
  (func (export "trap_outer") (call $host_trap))
  (func (export "trap_inner") (unreachable))
  (func (export "forever") (result i32) (call $rec (i32.const 1)))))";

void define_reentry_hosts(Linker& linker, bool forever) {
  check(linker.func_wrap("env", "host_a", [](Caller& c, int32_t x) -> Result<int32_t> {
    auto inner = take(c.get_export("inner")->func()->typed<int32_t(int32_t)>(c.store()));
    return inner.call(c.store(), x + 10);
  }));
  check(linker.func_wrap("env", "host_b", [](int32_t x) { return x + 100; }));
  check(linker.func_wrap("env", "host_rec", [forever](Caller& c, int32_t n) -> Result<int32_t> {
    if (forever) {
      return take(c.get_export("forever")->func()->typed<int32_t()>(c.store())).call(c.store());
    }
    return take(c.get_export("countdown")->func()->typed<int32_t(int32_t)>(c.store()))
        .call(c.store(), n);
  }));
  check(linker.func_wrap("env", "host_trap", [](Caller& c) -> Result<void> {
    Result<void> r =
        take(c.get_export("trap_inner")->func()->typed<void()>(c.store())).call(c.store());
    if (!r.ok()) return r;
    return {};
  }));
}

TEST_CASE("api: re-entrancy wasm -> host -> wasm -> host", "[api]") {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  define_reentry_hosts(linker, false);
  const Instance inst = take(linker.instantiate(store, compile(engine, kReentryWat)));
  // outer(1) = host_a(1) + 1 = inner(11) + 1 = host_b(11) * 2 + 1 = 223.
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "outer").call(store, 1)) == 223);
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "countdown").call(store, 50)) == 50);
  // A trap in the inner activation unwinds through the host back to the outer caller.
  const Trap t =
      take_trap(typed<void()>(store, inst, "trap_outer").call(store), TrapCode::Unreachable);
  REQUIRE_FALSE(t.frames.empty());
  CHECK(t.frames[0].func_index == 8);  // trap_inner: 4 imports, then outer inner countdown ...
  // Both activations unwound cleanly: the store still runs nested calls.
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "outer").call(store, 2)) == 225);
  CHECK(take(typed<int32_t(int32_t)>(store, inst, "countdown").call(store, 3)) == 3);
}

// BUG: a trap in a re-entered activation only records that activation's frames: the wasm
// frames of the outer activation (below the host function) are missing from the backtrace,
// because interp::backtrace stops at the activation's base depth. Wasmtime records every wasm
// frame on the stack. Expected for trap_outer -> host_trap -> trap_inner: frames
// [trap_inner, trap_outer]; actual: [trap_inner].
TEST_CASE("api: a trap's backtrace spans all wasm activations", "[api]") {
  Engine engine;
  Store store(engine);
  Linker linker(engine);
  define_reentry_hosts(linker, false);
  const Instance inst = take(linker.instantiate(store, compile(engine, kReentryWat)));
  const Trap t =
      take_trap(typed<void()>(store, inst, "trap_outer").call(store), TrapCode::Unreachable);
  REQUIRE(t.frames.size() == 2);
  CHECK(t.frames[0].func_index == 8);  // trap_inner
  CHECK(t.frames[1].func_index == 7);  // trap_outer
}

// Unbounded wasm -> host -> wasm recursion must end in "call stack exhausted", not a native
// stack overflow: each host -> wasm entry costs native stack (execute, run, the host callback)
// that max_call_depth and max_wasm_stack do not see. (Found by this file: it used to die with
// SIGSEGV.) Run in a child process so a regression cannot take the test binary down.
TEST_CASE("api: wasm -> host -> wasm recursion exhausts the stack with a trap", "[api]") {
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    Engine engine;
    Store store(engine);
    Linker linker(engine);
    define_reentry_hosts(linker, true);
    auto m = Module::compile(engine, bytes_of(kReentryWat));
    auto inst = linker.instantiate(store, *m);
    auto r = inst->get_func(store, "forever")->call(store, {});
    const bool trapped =
        !r.ok() && r.error().trap && r.error().trap->code == TrapCode::StackExhausted;
    std::vector<Val> args = {Val::i32(1)};
    auto again = inst->get_func(store, "outer")->call(store, args);  // still usable
    _exit(trapped && again.ok() && (*again)[0].i32() == 223 ? 0 : 1);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  INFO("child status " << status);
  CHECK(WIFEXITED(status));
  CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
}

}  // namespace
}  // namespace zinc

// tests/decoder/module_decoder_test.cc: the module (section) decoder and module-level
// validation: preamble, section framing and order, every known section, constant
// expressions, declared function references, the name section, limits and hostile counts.
// Also decodes every core module of the shared WASI test suite ([shared]).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "decoder/decode.h"
#include "tests/builder.h"

using namespace zinc::decoder;
using zinc::test::Bytes;
using zinc::test::module_bytes;
using zinc::test::ModuleBuilder;
namespace vt = zinc::test::vt;

namespace {

Result<std::shared_ptr<const Module>> decode(const std::vector<uint8_t>& bytes) {
  return decode_module(bytes);
}

// The error code of a failed decode (None if it succeeded).
ErrorCode code_of(const std::vector<uint8_t>& bytes) {
  auto r = decode(bytes);
  return r ? ErrorCode::None : r.error().code;
}

size_t offset_of(const std::vector<uint8_t>& bytes) {
  auto r = decode(bytes);
  REQUIRE_FALSE(r);
  return r.error().offset;
}

std::shared_ptr<const Module> decode_ok(const std::vector<uint8_t>& bytes) {
  auto r = decode(bytes);
  if (!r) FAIL("decode failed: " << r.error().message() << " at " << r.error().offset);
  return *r;
}

// A module with one [] -> [] function type and one empty function, for sections that need one.
ModuleBuilder one_func() {
  ModuleBuilder b;
  b.type({}, {});
  b.func(0, {});
  return b;
}

}  // namespace

// ---- Preamble ----

TEST_CASE("preamble errors follow binary.wast", "[module]") {
  CHECK(code_of({}) == ErrorCode::UnexpectedEnd);
  CHECK(code_of({0x00, 0x61, 0x73}) == ErrorCode::UnexpectedEnd);
  CHECK(code_of({0x61, 0x73, 0x6D, 0x00}) == ErrorCode::MagicHeaderNotDetected);
  CHECK(code_of({0x00, 0x61, 0x73, 0x6D}) == ErrorCode::UnexpectedEnd);
  CHECK(code_of({0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00}) == ErrorCode::UnexpectedEnd);
  CHECK(code_of({0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x00, 0x00}) ==
        ErrorCode::UnknownBinaryVersion);
  CHECK(offset_of({0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00}) == 4);
  CHECK(code_of(module_bytes()) == ErrorCode::None);
}

TEST_CASE("components are recognised, not malformed", "[module]") {
  std::vector<uint8_t> component{0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00};
  CHECK(detect_binary_kind(component) == BinaryKind::Component);
  CHECK(detect_binary_kind(module_bytes()) == BinaryKind::CoreModule);
  CHECK(detect_binary_kind(std::vector<uint8_t>{0x00, 0x61}) == BinaryKind::Unknown);
  CHECK(detect_binary_kind(std::vector<uint8_t>{1, 2, 3, 4, 1, 0, 0, 0}) == BinaryKind::Unknown);
  CHECK(code_of(component) == ErrorCode::ComponentNotSupported);
  CHECK(is_malformed(ErrorCode::ComponentNotSupported));
}

// ---- Section framing ----

TEST_CASE("unknown section ids are malformed", "[module]") {
  CHECK(code_of(module_bytes({Bytes{0x0E, 0x01, 0x00}})) == ErrorCode::MalformedSectionId);
  CHECK(code_of(module_bytes({Bytes{0x7F, 0x01, 0x00}})) == ErrorCode::MalformedSectionId);
  CHECK(code_of(module_bytes({Bytes{0x80, 0x01, 0x00, 0x01, 0x01, 0x00}})) ==
        ErrorCode::MalformedSectionId);
  // The tag section (13) is Wasm 3.0.
  CHECK(code_of(module_bytes({Bytes{0x0D, 0x01, 0x00}})) == ErrorCode::MalformedSectionId);
  CHECK(offset_of(module_bytes({Bytes{0x0E, 0x01, 0x00}})) == 8);
}

TEST_CASE("sections must be in order and not repeated", "[module]") {
  Bytes type = Bytes().section(1, Bytes{0x01, 0x60, 0x00, 0x00});
  Bytes func = Bytes().section(3, Bytes{0x01, 0x00});
  Bytes code = Bytes().section(10, Bytes{0x01, 0x02, 0x00, 0x0B});
  Bytes start = Bytes().section(8, Bytes{0x00});
  CHECK(code_of(module_bytes({type, func, code})) == ErrorCode::None);
  Bytes table = Bytes().section(4, Bytes{0x01, 0x70, 0x00, 0x00});
  Bytes memory = Bytes().section(5, Bytes{0x01, 0x00, 0x00});
  CHECK(code_of(module_bytes({table, memory})) == ErrorCode::None);
  CHECK(code_of(module_bytes({memory, table})) == ErrorCode::SectionOutOfOrder);
  CHECK(offset_of(module_bytes({memory, table})) == 8 + memory.size());
  CHECK(code_of(module_bytes({type, type})) == ErrorCode::SectionOutOfOrder);
  CHECK(code_of(module_bytes({type, func, start, start, code})) == ErrorCode::SectionOutOfOrder);
  // Data count sits between element and code.
  Bytes datacount = Bytes().section(12, Bytes{0x00});
  Bytes elem = Bytes().section(9, Bytes{0x00});
  CHECK(code_of(module_bytes({type, func, elem, datacount, code})) == ErrorCode::None);
  CHECK(code_of(module_bytes({type, func, datacount, elem, code})) == ErrorCode::SectionOutOfOrder);
  CHECK(code_of(module_bytes({type, func, code, datacount})) == ErrorCode::SectionOutOfOrder);
  // Custom sections go anywhere.
  Bytes custom = Bytes().section(0, Bytes().name("x").u8(1));
  CHECK(code_of(module_bytes({custom, type, custom, func, custom, code, custom})) ==
        ErrorCode::None);
}

TEST_CASE("section sizes are checked against contents and the module", "[module]") {
  // Declared size longer than the module.
  CHECK(code_of(module_bytes({Bytes{0x01, 0x07, 0x02, 0x60, 0x00, 0x00}})) ==
        ErrorCode::LengthOutOfBounds);
  // Contents shorter than the declared size: leftover bytes.
  CHECK(code_of(module_bytes({Bytes{0x01, 0x07, 0x01, 0x60, 0x00, 0x00, 0x60, 0x00, 0x00}})) ==
        ErrorCode::SectionSizeMismatch);
  // Contents running past the end of the module.
  CHECK(code_of(module_bytes({Bytes{0x04, 0x01, 0x01}})) == ErrorCode::UnexpectedEndOfSection);
  CHECK(code_of(module_bytes({Bytes{0x06, 0x06, 0x02, 0x7F, 0x00, 0x41, 0x00, 0x0B}})) ==
        ErrorCode::UnexpectedEndOfSection);
  // A section id without a size.
  CHECK(code_of(module_bytes({Bytes{0x01}})) == ErrorCode::UnexpectedEndOfSection);
  // Over-long section size LEB128.
  CHECK(code_of(module_bytes({Bytes{0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}})) ==
        ErrorCode::IntegerTooLong);
}

TEST_CASE("an entry running into the next section is reported as what it hits", "[module]") {
  // Global initialiser without `end`: the decoder reads on into the code section's id byte.
  auto bytes = module_bytes(
      {Bytes{0x01, 0x04, 0x01, 0x60, 0x00, 0x00}, Bytes{0x03, 0x02, 0x01, 0x00},
       Bytes{0x06, 0x05, 0x01, 0x7F, 0x00, 0x41, 0x00}, Bytes{0x0A, 0x04, 0x01, 0x02, 0x00, 0x0B}});
  CHECK(code_of(bytes) == ErrorCode::IllegalOpcode);
}

// ---- Counts across sections ----

TEST_CASE("function and code sections must agree", "[module]") {
  Bytes type = Bytes().section(1, Bytes{0x01, 0x60, 0x00, 0x00});
  CHECK(code_of(module_bytes({type, Bytes().section(3, Bytes{0x02, 0x00, 0x00})})) ==
        ErrorCode::FunctionCodeMismatch);
  CHECK(code_of(module_bytes({Bytes().section(10, Bytes{0x01, 0x02, 0x00, 0x0B})})) ==
        ErrorCode::FunctionCodeMismatch);
  CHECK(code_of(
            module_bytes({type, Bytes().section(3, Bytes{0x01, 0x00}),
                          Bytes().section(10, Bytes{0x02, 0x02, 0x00, 0x0B, 0x02, 0x00, 0x0B})})) ==
        ErrorCode::FunctionCodeMismatch);
  // Zero functions need no code section; an empty code section is fine too.
  CHECK(code_of(module_bytes({type, Bytes().section(3, Bytes{0x00})})) == ErrorCode::None);
  CHECK(code_of(module_bytes({Bytes().section(10, Bytes{0x00})})) == ErrorCode::None);
}

TEST_CASE("data count must match the data section", "[module]") {
  auto passive = Bytes{0x01, 0x00};
  CHECK(code_of(module_bytes({Bytes().section(12, Bytes{0x03}),
                              Bytes().section(11, Bytes().u8(2).raw(passive).raw(passive))})) ==
        ErrorCode::DataCountMismatch);
  CHECK(code_of(module_bytes({Bytes().section(12, Bytes{0x01})})) == ErrorCode::DataCountMismatch);
  auto m = decode_ok(module_bytes({Bytes().section(12, Bytes{0x02}),
                                   Bytes().section(11, Bytes().u8(2).raw(passive).raw(passive))}));
  REQUIRE(m->data_count);
  CHECK(*m->data_count == 2);
  CHECK(m->datas.size() == 2);
  auto no_count = decode_ok(module_bytes({Bytes().section(11, Bytes().u8(1).raw(passive))}));
  CHECK_FALSE(no_count->data_count);
}

// ---- Types, imports, functions ----

TEST_CASE("type section entries", "[module]") {
  ModuleBuilder b;
  b.type({vt::kI32, vt::kI64, vt::kF32, vt::kF64, vt::kV128}, {vt::kFuncRef, vt::kExternRef});
  b.type({}, {vt::kI32, vt::kI32});  // multi-value
  auto m = decode_ok(b.build());
  REQUIRE(m->types.size() == 2);
  CHECK(m->types[0].func.params == std::vector<ValType>{kI32, kI64, kF32, kF64, kV128});
  CHECK(m->types[0].func.results == std::vector<ValType>{kFuncRef, kExternRef});
  CHECK(m->types[1].func.results.size() == 2);

  CHECK(code_of(module_bytes({Bytes().section(1, Bytes{0x01, 0x61, 0x00, 0x00})})) ==
        ErrorCode::MalformedFunctionType);
  CHECK(code_of(module_bytes({Bytes().section(1, Bytes{0x01, 0xE0, 0x7F, 0x00, 0x00})})) ==
        ErrorCode::IntegerTooLong);
  CHECK(code_of(module_bytes({Bytes().section(1, Bytes{0x01, 0x60, 0x01, 0x40, 0x00})})) ==
        ErrorCode::MalformedValueType);
}

TEST_CASE("function types are limited to 1000 params and results", "[module][limits]") {
  Bytes ok = Bytes().u8(1).u8(0x60).u32(1000);
  for (int i = 0; i < 1000; ++i) ok.u8(vt::kI32);
  ok.u8(0);
  CHECK(code_of(module_bytes({Bytes().section(1, ok)})) == ErrorCode::None);
  Bytes too_many = Bytes().u8(1).u8(0x60).u32(1001);
  for (int i = 0; i < 1001; ++i) too_many.u8(vt::kI32);
  too_many.u8(0);
  auto r = decode(module_bytes({Bytes().section(1, too_many)}));
  REQUIRE_FALSE(r);
  CHECK(r.error().code == ErrorCode::ImplementationLimit);
  CHECK(r.error().detail.find("params") != std::string::npos);
}

TEST_CASE("imports fill the index spaces first", "[module]") {
  ModuleBuilder b;
  b.type({vt::kI32}, {});
  b.import_func("env", "f", 0);
  b.import_table("env", "t", vt::kFuncRef, 1, 10);
  b.import_memory("env", "m", 1);
  b.import_global("env", "g", vt::kI64, true);
  b.func(0, {});
  auto m = decode_ok(b.build());
  REQUIRE(m->imports.size() == 4);
  CHECK(m->imports[0].module == "env");
  CHECK(m->imports[0].name == "f");
  CHECK(m->imports[1].kind == ExternKind::Table);
  CHECK(m->imports[3].kind == ExternKind::Global);
  CHECK(m->num_imported_funcs == 1);
  CHECK(m->num_imported_tables == 1);
  CHECK(m->num_imported_memories == 1);
  CHECK(m->num_imported_globals == 1);
  REQUIRE(m->funcs.size() == 2);
  CHECK(m->funcs[0].imported);
  CHECK_FALSE(m->funcs[1].imported);
  REQUIRE(m->bodies.size() == 1);
  CHECK(m->bodies[0].func_index == 1);
  CHECK(m->tables[0].limits.has_max);
  CHECK(m->tables[0].limits.max == 10);
  CHECK(m->globals[0].type.mut);
  CHECK(m->globals[0].type.type == kI64);
}

TEST_CASE("malformed import entries", "[module]") {
  for (uint8_t kind : {0x04, 0x05, 0x80}) {
    CHECK(code_of(module_bytes({Bytes().section(2, Bytes{0x01, 0x00, 0x00, kind})})) ==
          ErrorCode::MalformedImportKind);
  }
  CHECK(offset_of(module_bytes({Bytes().section(2, Bytes{0x01, 0x00, 0x00, 0x04})})) == 13);
  // Invalid UTF-8 in module and field names.
  CHECK(code_of(module_bytes({Bytes().section(2, Bytes{0x01, 0x01, 0xFF, 0x00, 0x00, 0x00})})) ==
        ErrorCode::MalformedUtf8);
  CHECK(code_of(module_bytes({Bytes().section(
            2, Bytes{0x01, 0x00, 0x02, 0xC0, 0x80, 0x00, 0x00})})) == ErrorCode::MalformedUtf8);
  // Unknown type index.
  CHECK(code_of(module_bytes({Bytes().section(2, Bytes{0x01, 0x00, 0x00, 0x00, 0x00})})) ==
        ErrorCode::UnknownType);
  // Global mutability byte.
  CHECK(code_of(module_bytes({Bytes().section(2, Bytes{0x01, 0x00, 0x00, 0x03, 0x7F, 0x02})})) ==
        ErrorCode::MalformedMutability);
}

TEST_CASE("function section type indices are bounded", "[module]") {
  CHECK(code_of(module_bytes({Bytes().section(1, Bytes{0x01, 0x60, 0x00, 0x00}),
                              Bytes().section(3, Bytes{0x01, 0x01}),
                              Bytes().section(10, Bytes{0x01, 0x02, 0x00, 0x0B})})) ==
        ErrorCode::UnknownType);
}

// ---- Tables and memories ----

TEST_CASE("limits flags are a one-bit LEB128 in Wasm 2.0", "[module]") {
  CHECK(code_of(module_bytes({Bytes().section(4, Bytes{0x01, 0x70, 0x02, 0x00})})) ==
        ErrorCode::IntegerTooLarge);
  CHECK(code_of(module_bytes({Bytes().section(4, Bytes{0x01, 0x70, 0x81, 0x00, 0x00, 0x00})})) ==
        ErrorCode::IntegerTooLong);
  CHECK(code_of(module_bytes({Bytes().section(5, Bytes{0x01, 0x02, 0x00})})) ==
        ErrorCode::IntegerTooLarge);
  // Shared memory (threads) is not Wasm 2.0.
  CHECK(code_of(module_bytes({Bytes().section(5, Bytes{0x01, 0x03, 0x01, 0x01})})) ==
        ErrorCode::IntegerTooLarge);
  CHECK(code_of(module_bytes({Bytes().section(5, Bytes{0x01, 0x81, 0x01, 0x00, 0x00})})) ==
        ErrorCode::IntegerTooLong);
}

TEST_CASE("table and memory limits are validated", "[module]") {
  auto table = [](uint32_t min, std::optional<uint32_t> max) {
    ModuleBuilder b;
    b.table(vt::kFuncRef, min, max);
    return code_of(b.build());
  };
  auto memory = [](uint32_t min, std::optional<uint32_t> max) {
    ModuleBuilder b;
    b.memory(min, max);
    return code_of(b.build());
  };
  CHECK(table(0, 0xFFFFFFFFu) == ErrorCode::None);
  CHECK(table(1, 0) == ErrorCode::LimitsMinGreaterThanMax);
  CHECK(table(10'000'001, {}) == ErrorCode::ImplementationLimit);
  CHECK(memory(0, 65536) == ErrorCode::None);
  CHECK(memory(1, 0) == ErrorCode::LimitsMinGreaterThanMax);
  CHECK(memory(65537, {}) == ErrorCode::MemorySizeTooLarge);
  CHECK(memory(0, 65537) == ErrorCode::MemorySizeTooLarge);
  CHECK(memory(0xFFFFFFFFu, {}) == ErrorCode::MemorySizeTooLarge);
  // Table element types must be reference types.
  CHECK(code_of(module_bytes({Bytes().section(4, Bytes{0x01, 0x7F, 0x00, 0x00})})) ==
        ErrorCode::MalformedReferenceType);
}

TEST_CASE("at most one memory in Wasm 2.0", "[module]") {
  ModuleBuilder two;
  two.memory(0);
  two.memory(0);
  CHECK(code_of(two.build()) == ErrorCode::MultipleMemories);
  ModuleBuilder imported;
  imported.import_memory("m", "m", 0);
  imported.memory(0);
  CHECK(code_of(imported.build()) == ErrorCode::MultipleMemories);
  ModuleBuilder tables;  // several tables are fine (reference types)
  tables.table(vt::kFuncRef, 0);
  tables.table(vt::kExternRef, 0);
  CHECK(code_of(tables.build()) == ErrorCode::None);
}

// ---- Globals and constant expressions ----

TEST_CASE("constant expressions", "[module][const]") {
  auto global = [](uint8_t type, const Bytes& init, bool import_mut = false) {
    ModuleBuilder b;
    b.type({}, {});
    b.import_global("m", "g", vt::kI32, import_mut);
    b.func(0, {});
    b.global(type, false, init);
    return code_of(b.build());
  };
  using zinc::test::global_get;
  using zinc::test::i32_const;
  using zinc::test::i64_const;
  using zinc::test::ref_func;
  using zinc::test::ref_null;
  CHECK(global(vt::kI32, i32_const(-5)) == ErrorCode::None);
  CHECK(global(vt::kI64, i64_const(1LL << 40)) == ErrorCode::None);
  CHECK(global(vt::kF32, Bytes{0x43, 0, 0, 0x80, 0x3F, 0x0B}) == ErrorCode::None);
  CHECK(global(vt::kF64, Bytes{0x44, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0x0B}) == ErrorCode::None);
  Bytes v128 = Bytes{0xFD, 0x0C};
  for (int i = 0; i < 16; ++i) v128.u8(0);
  CHECK(global(vt::kV128, v128.u8(0x0B)) == ErrorCode::None);
  CHECK(global(vt::kFuncRef, ref_null(0x70)) == ErrorCode::None);
  CHECK(global(vt::kExternRef, ref_null(0x6F)) == ErrorCode::None);
  CHECK(global(vt::kFuncRef, ref_func(0)) == ErrorCode::None);
  CHECK(global(vt::kI32, global_get(0)) == ErrorCode::None);

  CHECK(global(vt::kI64, i32_const(0)) == ErrorCode::TypeMismatch);
  CHECK(global(vt::kFuncRef, ref_null(0x6F)) == ErrorCode::TypeMismatch);
  CHECK(global(vt::kI32, Bytes{0x0B}) == ErrorCode::TypeMismatch);
  CHECK(global(vt::kI32, Bytes{0x41, 0x00, 0x41, 0x00, 0x0B}) == ErrorCode::TypeMismatch);
  // i32.add is not constant in Wasm 2.0 (extended-const); nop and local.get never are.
  CHECK(global(vt::kI32, Bytes{0x41, 0x01, 0x41, 0x02, 0x6A, 0x0B}) ==
        ErrorCode::ConstantExpressionRequired);
  CHECK(global(vt::kI32, Bytes{0x01, 0x41, 0x00, 0x0B}) == ErrorCode::ConstantExpressionRequired);
  CHECK(global(vt::kI32, Bytes{0x20, 0x00, 0x0B}) == ErrorCode::ConstantExpressionRequired);
  CHECK(global(vt::kI32, global_get(0), true) == ErrorCode::ConstantExpressionRequired);
  CHECK(global(vt::kI32, global_get(1)) == ErrorCode::UnknownGlobal);
  CHECK(global(vt::kFuncRef, ref_func(1)) == ErrorCode::UnknownFunction);
  CHECK(global(vt::kI32, Bytes{0x06, 0x0B}) == ErrorCode::IllegalOpcode);
  // A missing `end` reads on into the next section (here the code section's id, 0x0A)...
  CHECK(global(vt::kI32, Bytes{0x41, 0x00}) == ErrorCode::IllegalOpcode);
  // ... or off the end of the module.
  CHECK(code_of(module_bytes({Bytes().section(6, Bytes{0x01, 0x7F, 0x00, 0x41, 0x00})})) ==
        ErrorCode::UnexpectedEndOfSection);
}

TEST_CASE("global.get in constant expressions sees imported globals only", "[module][const]") {
  ModuleBuilder b;
  b.global(vt::kI32, false, zinc::test::i32_const(0));
  b.global(vt::kI32, false, zinc::test::global_get(0));
  CHECK(code_of(b.build()) == ErrorCode::UnknownGlobal);
  ModuleBuilder d;
  d.memory(1);
  d.global(vt::kI32, false, zinc::test::i32_const(0));
  d.data(Bytes().u8(0).raw(zinc::test::global_get(0)).name("a"));
  CHECK(code_of(d.build()) == ErrorCode::UnknownGlobal);
}

// ---- Exports and start ----

TEST_CASE("exports", "[module]") {
  ModuleBuilder b = one_func();
  b.table(vt::kFuncRef, 1);
  b.memory(1);
  b.global(vt::kI32, false, zinc::test::i32_const(0));
  b.export_("f", 0, 0).export_("t", 1, 0).export_("m", 2, 0).export_("g", 3, 0);
  auto m = decode_ok(b.build());
  REQUIRE(m->exports.size() == 4);
  CHECK(m->exports[2].name == "m");
  CHECK(m->exports[2].kind == ExternKind::Memory);

  auto single = [](uint8_t kind, uint32_t index) {
    ModuleBuilder x = one_func();
    x.export_("e", kind, index);
    return code_of(x.build());
  };
  CHECK(single(0, 1) == ErrorCode::UnknownFunction);
  CHECK(single(1, 0) == ErrorCode::UnknownTable);
  CHECK(single(2, 0) == ErrorCode::UnknownMemory);
  CHECK(single(3, 0) == ErrorCode::UnknownGlobal);
  CHECK(single(4, 0) == ErrorCode::MalformedExportKind);

  ModuleBuilder dup = one_func();
  dup.export_("a", 0, 0).export_("b", 0, 0).export_("a", 0, 0);
  CHECK(code_of(dup.build()) == ErrorCode::DuplicateExportName);
}

TEST_CASE("start function", "[module]") {
  ModuleBuilder ok = one_func();
  ok.start(0);
  auto m = decode_ok(ok.build());
  REQUIRE(m->start);
  CHECK(*m->start == 0);

  ModuleBuilder unknown = one_func();
  unknown.start(1);
  CHECK(code_of(unknown.build()) == ErrorCode::UnknownFunction);

  ModuleBuilder typed;
  typed.type({vt::kI32}, {});
  typed.func(0, {});
  typed.start(0);
  CHECK(code_of(typed.build()) == ErrorCode::StartFunction);
  ModuleBuilder result;
  result.type({}, {vt::kI32});
  result.func(0, Bytes{0x41, 0x00});
  result.start(0);
  CHECK(code_of(result.build()) == ErrorCode::StartFunction);
}

// ---- Element segments ----

TEST_CASE("element segments in all eight encodings", "[module][elem]") {
  using zinc::test::i32_const;
  ModuleBuilder b;
  b.type({}, {});
  b.func(0, {});
  b.func(0, {});
  b.table(vt::kFuncRef, 4);
  b.table(vt::kExternRef, 4);
  b.elem(Bytes().u8(0).raw(i32_const(0)).u8(1).u8(0));                             // 0
  b.elem(Bytes().u8(1).u8(0x00).u8(2).u8(0).u8(1));                                // 1
  b.elem(Bytes().u8(2).u8(0).raw(i32_const(1)).u8(0x00).u8(1).u8(1));              // 2
  b.elem(Bytes().u8(3).u8(0x00).u8(1).u8(1));                                      // 3
  b.elem(Bytes().u8(4).raw(i32_const(2)).u8(1).raw(zinc::test::ref_func(0)));      // 4
  b.elem(Bytes().u8(5).u8(vt::kExternRef).u8(1).raw(zinc::test::ref_null(0x6F)));  // 5
  b.elem(Bytes().u8(6).u8(1).raw(i32_const(0)).u8(vt::kExternRef).u8(0));          // 6
  b.elem(Bytes()
             .u8(7)
             .u8(vt::kFuncRef)
             .u8(2)
             .raw(zinc::test::ref_func(1))
             .raw(zinc::test::ref_null(0x70)));  // 7
  auto m = decode_ok(b.build());
  REQUIRE(m->elems.size() == 8);
  CHECK(m->elems[0].mode == SegmentMode::Active);
  CHECK(m->elems[0].func_indices == std::vector<uint32_t>{0});
  CHECK(m->elems[1].mode == SegmentMode::Passive);
  CHECK(m->elems[1].size() == 2);
  CHECK(m->elems[2].table_index == 0);
  CHECK(m->elems[3].mode == SegmentMode::Declarative);
  CHECK(m->elems[4].uses_exprs);
  CHECK(m->elems[5].type == kExternRef);
  CHECK(m->elems[6].table_index == 1);
  CHECK(m->elems[6].size() == 0);
  CHECK(m->elems[7].mode == SegmentMode::Declarative);
  CHECK(m->elems[7].exprs.size() == 2);
  CHECK(m->elems[7].exprs[0].range.size == 3);
}

TEST_CASE("malformed and invalid element segments", "[module][elem]") {
  using zinc::test::i32_const;
  auto with_elem = [](const Bytes& seg, bool table = true) {
    ModuleBuilder b;
    b.type({}, {});
    b.func(0, {});
    if (table) b.table(vt::kFuncRef, 1);
    b.elem(seg);
    return code_of(b.build());
  };
  CHECK(with_elem(Bytes().u8(8).u8(0)) == ErrorCode::MalformedElemSegment);
  CHECK(with_elem(Bytes().u8(1).u8(0x01).u8(0)) == ErrorCode::MalformedElemKind);
  // binary.wast: a passive segment with an i32 element type.
  CHECK(with_elem(Bytes().u8(5).u8(vt::kI32).u8(1).raw(zinc::test::ref_func(0))) ==
        ErrorCode::MalformedReferenceType);
  CHECK(with_elem(Bytes().u8(5).u8(vt::kFuncRef).u8(1).raw(Bytes{0xF3, 0x00, 0x0B})) ==
        ErrorCode::IllegalOpcode);
  CHECK(with_elem(Bytes().u8(0).raw(i32_const(0)).u8(1).u8(0), false) == ErrorCode::UnknownTable);
  CHECK(with_elem(Bytes().u8(2).u8(1).raw(i32_const(0)).u8(0).u8(0)) == ErrorCode::UnknownTable);
  CHECK(with_elem(Bytes().u8(0).raw(i32_const(0)).u8(1).u8(5)) == ErrorCode::UnknownFunction);
  CHECK(with_elem(Bytes().u8(0).raw(zinc::test::i64_const(0)).u8(0)) == ErrorCode::TypeMismatch);
  // externref segment into a funcref table.
  CHECK(with_elem(Bytes().u8(6).u8(0).raw(i32_const(0)).u8(vt::kExternRef).u8(0)) ==
        ErrorCode::TypeMismatch);
  // Item type must match the segment type.
  CHECK(with_elem(Bytes().u8(5).u8(vt::kExternRef).u8(1).raw(zinc::test::ref_func(0))) ==
        ErrorCode::TypeMismatch);
}

TEST_CASE("declared function references", "[module][elem]") {
  ModuleBuilder b;
  b.type({}, {});
  for (int i = 0; i < 5; ++i) b.func(0, {});
  b.global(vt::kFuncRef, false, zinc::test::ref_func(1));
  b.export_("f3", 0, 3);
  b.elem(Bytes().u8(3).u8(0).u8(1).u8(4));  // declarative: func 4
  auto m = decode_ok(b.build());
  REQUIRE(m->declared_func_refs.size() == 5);
  CHECK_FALSE(m->declared_func_refs[0]);
  CHECK(m->declared_func_refs[1]);
  CHECK_FALSE(m->declared_func_refs[2]);
  CHECK(m->declared_func_refs[3]);
  CHECK(m->declared_func_refs[4]);
}

// ---- Data segments ----

TEST_CASE("data segments in all three encodings", "[module][data]") {
  ModuleBuilder b;
  b.memory(1);
  b.active_data(16, "abc");
  b.data(Bytes().u8(1).name("xy"));
  b.data(Bytes().u8(2).u8(0).raw(zinc::test::i32_const(0)).name(""));
  auto m = decode_ok(b.build());
  REQUIRE(m->datas.size() == 3);
  CHECK(m->datas[0].mode == SegmentMode::Active);
  CHECK(m->datas[0].bytes.size == 3);
  auto span = m->slice(m->datas[0].bytes);
  CHECK(std::string(span.begin(), span.end()) == "abc");
  CHECK(m->datas[1].mode == SegmentMode::Passive);
  CHECK(m->datas[2].bytes.size == 0);

  ModuleBuilder bad_kind;
  bad_kind.memory(1);
  bad_kind.data(Bytes().u8(3).name(""));
  CHECK(code_of(bad_kind.build()) == ErrorCode::MalformedDataSegment);
  ModuleBuilder no_memory;
  no_memory.active_data(0, "");
  CHECK(code_of(no_memory.build()) == ErrorCode::UnknownMemory);
  ModuleBuilder mem1;
  mem1.memory(1);
  mem1.data(Bytes().u8(2).u8(1).raw(zinc::test::i32_const(0)).name(""));
  CHECK(code_of(mem1.build()) == ErrorCode::UnknownMemory);
  // Payload longer than what is left.
  CHECK(code_of(module_bytes(
            {Bytes().section(5, Bytes{0x01, 0x00, 0x01}),
             Bytes().section(11, Bytes{0x01, 0x00, 0x41, 0x03, 0x0B, 0x07, 0x61, 0x62})})) ==
        ErrorCode::UnexpectedEndOfSection);
}

// ---- Code section ----

TEST_CASE("code section records body ranges", "[module][code]") {
  ModuleBuilder b;
  b.type({}, {});
  b.func(0, Bytes{0x01, 0x01});
  b.func(0, {}, {{2, vt::kI32}});
  auto bytes = b.build();
  auto m = decode_ok(bytes);
  REQUIRE(m->bodies.size() == 2);
  // Body 0: locals count 0, nop nop end.
  CHECK(m->bodies[0].range.size == 4);
  auto span = m->slice(m->bodies[0].range);
  CHECK(std::vector<uint8_t>(span.begin(), span.end()) == std::vector<uint8_t>{0, 1, 1, 0x0B});
  CHECK(m->bodies[1].range.size == 4);
  CHECK(m->bodies[1].range.offset == m->bodies[0].range.end() + 1);
  CHECK(m->num_defined_funcs() == 2);
  // A body size running past the module.
  CHECK(code_of(module_bytes({Bytes().section(1, Bytes{0x01, 0x60, 0x00, 0x00}),
                              Bytes().section(3, Bytes{0x01, 0x00}),
                              Bytes().section(10, Bytes{0x01, 0x09, 0x00, 0x0B})})) ==
        ErrorCode::UnexpectedEndOfSection);
}

// ---- Custom sections and names ----

TEST_CASE("custom sections are kept as ranges, the name section is parsed", "[module][names]") {
  ModuleBuilder b;
  b.type({}, {});
  b.import_func("env", "imp", 0);
  b.func(0, {});
  b.func(0, {});
  Bytes names;
  names.section(0, Bytes().name("mod"));
  // Function names deliberately out of order; they are sorted.
  names.section(1, Bytes().u8(2).u8(2).name("second").u8(0).name("imported"));
  names.section(2, Bytes().u8(1).u8(1).u8(1).u8(0).name("p"));
  names.section(7, Bytes().u8(0));  // global names: skipped
  b.custom("name", names);
  b.custom("producers", Bytes{1, 2, 3});
  auto m = decode_ok(b.build());
  REQUIRE(m->customs.size() == 2);
  CHECK(m->customs[1].name == "producers");
  CHECK(m->customs[1].payload.size == 3);
  CHECK(m->names.module_name == std::optional<std::string>("mod"));
  CHECK(m->func_name(0) == "imported");
  CHECK(m->func_name(1).empty());
  CHECK(m->func_name(2) == "second");
  REQUIRE(m->names.local_names.size() == 1);
  CHECK(m->names.local_names[0].second[0].second == "p");
  // sections: type, import, function, code, custom, custom.
  REQUIRE(m->sections.size() == 6);
  CHECK(m->sections[0].id == SectionId::Type);
  CHECK(m->sections[0].header_offset == 8);
  CHECK(m->sections[4].custom_name == "name");
  CHECK(std::string(section_name(m->sections[3].id)) == "code");
}

TEST_CASE("a malformed name section leaves the module valid", "[module][names]") {
  ModuleBuilder b = one_func();
  b.custom("name", Bytes().section(1, Bytes().u8(5).u8(0).name("f")));  // count too large
  auto m = decode_ok(b.build());
  CHECK(m->names.function_names.empty());
  CHECK(m->func_name(0).empty());
  ModuleBuilder bad_utf8 = one_func();
  bad_utf8.custom("name", Bytes().section(1, Bytes().u8(1).u8(0).u8(1).u8(0xFF)));
  CHECK(code_of(bad_utf8.build()) == ErrorCode::None);
}

TEST_CASE("custom section names must be well-formed", "[module][names]") {
  CHECK(code_of(module_bytes({Bytes().section(0, Bytes{0x01, 0xFF})})) == ErrorCode::MalformedUtf8);
  CHECK(code_of(module_bytes({Bytes().section(0, Bytes{})})) == ErrorCode::UnexpectedEndOfSection);
  CHECK(code_of(module_bytes({Bytes().section(0, Bytes{0x05, 0x61})})) ==
        ErrorCode::LengthOutOfBounds);
}

// ---- Hostile input ----

TEST_CASE("huge claimed counts fail without allocating for them", "[module][hostile]") {
  const uint8_t sections[] = {1, 2, 3, 4, 5, 6, 7, 9, 10, 11};
  for (uint8_t id : sections) {
    Bytes payload = Bytes().u32(0xFFFFFFFFu).u8(0);
    INFO("section " << int(id));
    auto r = decode(module_bytes({Bytes().section(id, payload)}));
    CHECK_FALSE(r);
  }
  // A name length beyond the module.
  CHECK(code_of(module_bytes({Bytes().section(2, Bytes().u8(1).u32(0x7FFFFFFF))})) ==
        ErrorCode::LengthOutOfBounds);
}

TEST_CASE("every truncation of a valid module fails cleanly", "[module][hostile]") {
  ModuleBuilder b;
  b.type({vt::kI32}, {vt::kI32});
  b.import_global("m", "g", vt::kI32, false);
  b.func(0, Bytes{0x20, 0x00});
  b.table(vt::kFuncRef, 1);
  b.memory(1, 2);
  b.global(vt::kI32, true, zinc::test::global_get(0));
  b.export_("f", 0, 0);
  b.elem(Bytes().u8(0).raw(zinc::test::i32_const(0)).u8(1).u8(0));
  b.active_data(0, "hello");
  auto full = b.build();
  REQUIRE(code_of(full) == ErrorCode::None);
  auto m = decode_ok(full);
  std::vector<size_t> boundaries{8};
  for (const SectionInfo& s : m->sections) boundaries.push_back(s.payload.end());
  size_t valid_prefixes = 0;
  for (size_t n = 0; n < full.size(); ++n) {
    std::vector<uint8_t> cut(full.begin(), full.begin() + n);
    auto r = decode(cut);
    if (!r) continue;
    // Only a cut between two sections can leave a valid module.
    INFO("valid prefix of " << n << " bytes");
    CHECK(std::find(boundaries.begin(), boundaries.end(), n) != boundaries.end());
    ++valid_prefixes;
  }
  CHECK(valid_prefixes >= 3);
}

// ---- Shared corpus ----

TEST_CASE("every core module of the WASI test suite decodes", "[module][shared]") {
  const char* env = std::getenv("ZINC_SHARED");
  std::filesystem::path shared = env ? env : ZINC_SOURCE_ROOT "/../shared";
  std::filesystem::path tests = shared / "wasi-testsuite" / "tests";
  REQUIRE(std::filesystem::is_directory(tests));
  size_t core = 0, components = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(tests)) {
    if (entry.path().extension() != ".wasm") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), {});
    INFO(entry.path().string());
    if (detect_binary_kind(bytes) == BinaryKind::Component) {
      ++components;
      CHECK(code_of(bytes) == ErrorCode::ComponentNotSupported);
      continue;
    }
    ++core;
    auto r = decode(bytes);
    if (!r) FAIL(r.error().message() << " at " << r.error().offset);
  }
  CHECK(core > 50);
  CHECK(components > 10);
}

// tests/decoder/function_validation_test.cc: function-body decoding and validation
// (FunctionDecoder via validate_function) on hand-built modules; valid and invalid bodies.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/decoder/function_test_util.h"

using namespace zinc::decoder;
using zinc::test::Code;
using zinc::test::TestModule;
namespace t = zinc::test;

TEST_CASE("simple bodies validate and report stack and control depth", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  Code c;
  c.i32_const(1).i32_const(2).op(Opcode::I32Add).end();
  CHECK(tm.validate(v_i, c) == ErrorCode::None);
  CHECK(tm.last_body.max_stack_height == 2);
  CHECK(tm.last_body.max_control_depth == 1);

  Code nested;
  nested.op(Opcode::Block).byte(t::kEmptyBlock).op(Opcode::Block).byte(t::kI32Byte);
  nested.i32_const(1).i32_const(2).i32_const(3).op(Opcode::Drop).op(Opcode::Drop).end();
  nested.op(Opcode::Drop).end().i32_const(7).end();
  CHECK(tm.validate(v_i, nested) == ErrorCode::None);
  CHECK(tm.last_body.max_stack_height == 3);
  CHECK(tm.last_body.max_control_depth == 3);
}

TEST_CASE("operand type mismatches are rejected", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_v = tm.add_type({}, {});
  CHECK(tm.validate(v_i, Code().i64_const(1).i32_const(2).op(Opcode::I32Add).end()) ==
        ErrorCode::TypeMismatch);
  REQUIRE(tm.last_error);
  CHECK(tm.last_error->func_index == tm.m.funcs.size() - 1);
  // Missing operand.
  CHECK(tm.validate(v_i, Code().i32_const(2).op(Opcode::I32Add).end()) == ErrorCode::TypeMismatch);
  // Wrong result type, missing result, extra value.
  CHECK(tm.validate(v_i, Code().i64_const(2).end()) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_i, Code().end()) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_v, Code().i32_const(2).end()) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_i, Code().i32_const(1).i32_const(2).end()) == ErrorCode::TypeMismatch);
  // Conversions and comparisons use the table's signatures.
  CHECK(tm.validate(v_i, Code().i64_const(1).op(Opcode::I32WrapI64).end()) == ErrorCode::None);
  CHECK(tm.validate(v_i, Code().i32_const(1).op(Opcode::I32WrapI64).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_i, Code().f64_const().f64_const().op(Opcode::F64Lt).end()) ==
        ErrorCode::None);
}

TEST_CASE("error offsets point at the failing instruction", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  Code c;
  c.i64_const(1).i32_const(2).op(Opcode::I32Add).end();
  REQUIRE(tm.validate(v_i, c) == ErrorCode::TypeMismatch);
  // Body: 1 byte local count, i64.const 1 (2 bytes), i32.const 2 (2 bytes), then i32.add.
  CHECK(tm.last_error->offset == tm.last_body.range.offset + 5);
  CHECK(tm.last_body.code.offset == tm.last_body.range.offset + 1);
}

TEST_CASE("unreachable makes the stack polymorphic", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_v = tm.add_type({}, {});
  CHECK(tm.validate(v_i, Code().op(Opcode::Unreachable).op(Opcode::I32Add).end()) ==
        ErrorCode::None);
  CHECK(tm.validate(v_i, Code().op(Opcode::Unreachable).i64_const(0).op(Opcode::I32Add).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_i, Code().op(Opcode::Unreachable).end()) == ErrorCode::None);
  CHECK(tm.validate(v_v, Code().op(Opcode::Unreachable).op(Opcode::Drop).end()) == ErrorCode::None);
  // Values pushed after unreachable still count at end.
  CHECK(tm.validate(v_v, Code().op(Opcode::Unreachable).i32_const(1).end()) ==
        ErrorCode::TypeMismatch);
  // Polymorphism ends with the frame: a block after unreachable code is checked normally.
  Code c;
  c.op(Opcode::Unreachable).op(Opcode::Block).byte(t::kI32Byte).end().op(Opcode::Drop).end();
  CHECK(tm.validate(v_v, c) == ErrorCode::TypeMismatch);
  // return and br also make the rest of the frame unreachable.
  CHECK(
      tm.validate(
          v_i, Code().i32_const(1).op(Opcode::Return).op(Opcode::F32Add).op(Opcode::Drop).end()) ==
      ErrorCode::None);
  // Bot adopts the other operand's type in select.
  CHECK(tm.validate(v_i, Code().op(Opcode::Unreachable).op(Opcode::Select).end()) ==
        ErrorCode::None);
  CHECK(tm.validate(v_i, Code().op(Opcode::Unreachable).i64_const(1).op(Opcode::Select).end()) ==
        ErrorCode::TypeMismatch);
}

TEST_CASE("branches check labels and their types", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_v = tm.add_type({}, {});
  CHECK(tm.validate(v_v, Code().op(Opcode::Br, 0).end()) == ErrorCode::None);
  CHECK(tm.validate(v_v, Code().op(Opcode::Br, 1).end()) == ErrorCode::UnknownLabel);
  CHECK(tm.validate(v_i, Code().i32_const(3).op(Opcode::Br, 0).end()) == ErrorCode::None);
  CHECK(tm.validate(v_i, Code().i64_const(3).op(Opcode::Br, 0).end()) == ErrorCode::TypeMismatch);
  // br_if leaves the label's values on the stack.
  Code brif;
  brif.op(Opcode::Block).byte(t::kI32Byte).i32_const(1).i32_const(0).op(Opcode::BrIf, 0);
  brif.end().end();
  CHECK(tm.validate(v_i, brif) == ErrorCode::None);
  // A branch to a loop carries the loop's params (none here), not its results.
  Code loop;
  loop.op(Opcode::Loop).byte(t::kI32Byte).op(Opcode::Br, 0).end().end();
  CHECK(tm.validate(v_i, loop) == ErrorCode::None);
  Code loop_bad;
  loop_bad.op(Opcode::Loop).byte(t::kI32Byte).i32_const(0).op(Opcode::BrIf, 0).end().end();
  CHECK(tm.validate(v_i, loop_bad) == ErrorCode::TypeMismatch);
}

TEST_CASE("br_table checks every target and arity", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_v = tm.add_type({}, {});
  Code ok;
  ok.op(Opcode::Block)
      .byte(t::kEmptyBlock)
      .i32_const(0)
      .op(Opcode::BrTable)
      .u32(2)
      .u32(0)
      .u32(1)
      .u32(0);
  ok.end().end();
  CHECK(tm.validate(v_v, ok) == ErrorCode::None);
  // Target 1 is the function (arity 1), default is the block (arity 0).
  Code arity;
  arity.op(Opcode::Block).byte(t::kEmptyBlock).i32_const(7).i32_const(0).op(Opcode::BrTable);
  arity.u32(1).u32(1).u32(0).end().i32_const(0).end();
  CHECK(tm.validate(v_i, arity) == ErrorCode::TypeMismatch);
  Code unknown;
  unknown.i32_const(0).op(Opcode::BrTable).u32(1).u32(0).u32(5).end();
  CHECK(tm.validate(v_v, unknown) == ErrorCode::UnknownLabel);
  // Operand types are checked against each target.
  Code types;
  types.op(Opcode::Block).byte(t::kI64Byte).i32_const(1).i32_const(0).op(Opcode::BrTable);
  types.u32(1).u32(0).u32(1).end().op(Opcode::Drop).i32_const(0).end();
  CHECK(tm.validate(v_i, types) == ErrorCode::TypeMismatch);
  // A hostile count is rejected without reading or allocating that much.
  Code huge;
  huge.i32_const(0).op(Opcode::BrTable).u32(0xFFFFFFF0u).u32(0).end();
  CHECK(tm.validate(v_v, huge) == ErrorCode::UnexpectedEndOfSection);
}

TEST_CASE("select typing", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_r = tm.add_type({}, {kFuncRef});
  const uint32_t v_d = tm.add_type({}, {kF64});
  CHECK(tm.validate(v_i, Code().i32_const(1).i32_const(2).i32_const(0).op(Opcode::Select).end()) ==
        ErrorCode::None);
  CHECK(tm.validate(v_d, Code().f64_const().f64_const().i32_const(0).op(Opcode::Select).end()) ==
        ErrorCode::None);
  CHECK(tm.validate(v_i, Code().i32_const(1).i64_const(2).i32_const(0).op(Opcode::Select).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_i, Code().i32_const(1).i32_const(2).i64_const(0).op(Opcode::Select).end()) ==
        ErrorCode::TypeMismatch);
  // Untyped select rejects references; typed select accepts them.
  Code refs;
  refs.op(Opcode::RefNull).byte(t::kFuncRefByte).op(Opcode::RefNull).byte(t::kFuncRefByte);
  Code untyped = refs;
  untyped.i32_const(0).op(Opcode::Select).end();
  CHECK(tm.validate(v_r, untyped) == ErrorCode::TypeMismatch);
  Code typed = refs;
  typed.i32_const(0).op(Opcode::SelectT).u32(1).byte(t::kFuncRefByte).end();
  CHECK(tm.validate(v_r, typed) == ErrorCode::None);
  Code two;
  two.i32_const(1)
      .i32_const(2)
      .i32_const(0)
      .op(Opcode::SelectT)
      .u32(2)
      .byte(t::kI32Byte)
      .byte(t::kI32Byte)
      .end();
  CHECK(tm.validate(v_i, two) == ErrorCode::InvalidSelectType);
  CHECK(error_text(ErrorCode::InvalidSelectType) == "invalid result arity");
}

TEST_CASE("multi-value blocks with a type index", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t ii_i = tm.add_type({kI32, kI32}, {kI32});
  const uint32_t v_ii = tm.add_type({}, {kI32, kI32});
  Code c;
  c.i32_const(1).i32_const(2).op(Opcode::Block).u32(ii_i).op(Opcode::I32Add).end().end();
  CHECK(tm.validate(v_i, c) == ErrorCode::None);
  Code two;
  two.op(Opcode::Block).u32(v_ii).i32_const(1).i32_const(2).end().op(Opcode::I32Sub).end();
  CHECK(tm.validate(v_i, two) == ErrorCode::None);
  // Params must be on the stack before the block.
  Code missing;
  missing.i32_const(1).op(Opcode::Block).u32(ii_i).op(Opcode::I32Add).end().end();
  CHECK(tm.validate(v_i, missing) == ErrorCode::TypeMismatch);
  // Params are not visible outside: the block body cannot reach below them.
  Code below;
  below.i32_const(1).i32_const(2).i32_const(3).op(Opcode::Block).u32(ii_i);
  below.op(Opcode::I32Add).op(Opcode::I32Add).end().end();
  CHECK(tm.validate(v_i, below) == ErrorCode::TypeMismatch);
  // Loop label carries params.
  Code loop;
  loop.i32_const(1).i32_const(2).op(Opcode::Loop).u32(ii_i).op(Opcode::Br, 0).end().end();
  CHECK(tm.validate(v_i, loop) == ErrorCode::None);
  CHECK(tm.validate(v_i, Code().op(Opcode::Block).s64(99).end().end()) == ErrorCode::UnknownType);
  // Type indices as block types need multi-value.
  tm.features.multi_value = false;
  CHECK(tm.validate(v_i, c) == ErrorCode::MalformedValueType);
}

TEST_CASE("if/else typing", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_v = tm.add_type({}, {});
  const uint32_t i_i = tm.add_type({kI32}, {kI32});
  Code ok;
  ok.i32_const(1).op(Opcode::If).byte(t::kI32Byte).i32_const(2).op(Opcode::Else).i32_const(3);
  ok.end().end();
  CHECK(tm.validate(v_i, ok) == ErrorCode::None);
  Code bad_else;
  bad_else.i32_const(1).op(Opcode::If).byte(t::kI32Byte).i32_const(2).op(Opcode::Else);
  bad_else.i64_const(3).end().end();
  CHECK(tm.validate(v_i, bad_else) == ErrorCode::TypeMismatch);
  Code bad_then;
  bad_then.i32_const(1).op(Opcode::If).byte(t::kI32Byte).op(Opcode::Else).i32_const(3).end().end();
  CHECK(tm.validate(v_i, bad_then) == ErrorCode::TypeMismatch);
  // Missing else with results.
  Code no_else;
  no_else.i32_const(1).op(Opcode::If).byte(t::kI32Byte).i32_const(2).end().end();
  CHECK(tm.validate(v_i, no_else) == ErrorCode::TypeMismatch);
  // Missing else is fine when params equal results.
  Code pass;
  pass.i32_const(5).i32_const(1).op(Opcode::If).u32(i_i).end().end();
  CHECK(tm.validate(v_i, pass) == ErrorCode::None);
  // Condition must be i32.
  Code cond;
  cond.i64_const(1).op(Opcode::If).byte(t::kEmptyBlock).end().end();
  CHECK(tm.validate(v_v, cond) == ErrorCode::TypeMismatch);
  // else without if, double else: the binary grammar only has `else` inside `if`, so these are
  // malformed ("END opcode expected", as the reference parser says), not invalid.
  CHECK(tm.validate(v_v, Code().op(Opcode::Else).end()) == ErrorCode::EndOpcodeExpected);
  Code twice;
  twice.i32_const(1).op(Opcode::If).byte(t::kEmptyBlock).op(Opcode::Else).op(Opcode::Else);
  twice.end().end();
  CHECK(tm.validate(v_v, twice) == ErrorCode::EndOpcodeExpected);
}

TEST_CASE("locals", "[validate]") {
  TestModule tm;
  const uint32_t i_l = tm.add_type({kI32}, {kI64});
  Code c;
  c.op(Opcode::LocalGet, 2).op(Opcode::LocalGet, 0).op(Opcode::LocalSet, 1).end();
  CHECK(tm.validate(i_l, c, {{1, t::kI32Byte}, {1, t::kI64Byte}}) == ErrorCode::None);
  CHECK(tm.last_body.num_locals == 2);
  REQUIRE(tm.last_body.local_runs.size() == 2);
  CHECK(tm.last_body.local_runs[1].type == kI64);
  CHECK(tm.validate(i_l, c, {{2, t::kI32Byte}}) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(i_l, Code().op(Opcode::LocalGet, 3).end(), {{2, t::kI64Byte}}) ==
        ErrorCode::UnknownLocal);
  Code tee;
  tee.i64_const(1).op(Opcode::LocalTee, 1).end();
  CHECK(tm.validate(i_l, tee, {{1, t::kI64Byte}}) == ErrorCode::None);
  // Too many locals: one huge run, and runs whose sum overflows 32 bits.
  CHECK(tm.validate(i_l, Code().end(), {{0xFFFFFFFFu, t::kI32Byte}}) == ErrorCode::TooManyLocals);
  CHECK(tm.validate(i_l, Code().end(), {{0x80000000u, t::kI32Byte}, {0x80000000u, t::kI32Byte}}) ==
        ErrorCode::TooManyLocals);
  CHECK(tm.validate(i_l, Code().end(), {{1, 0x40}}) == ErrorCode::MalformedValueType);
}

TEST_CASE("globals", "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  tm.add_global(kI32, false);
  tm.add_global(kI64, true);
  CHECK(tm.validate(v_v, Code().i32_const(1).op(Opcode::GlobalSet, 0).end()) ==
        ErrorCode::GlobalIsImmutable);
  CHECK(tm.validate(v_v, Code().i64_const(1).op(Opcode::GlobalSet, 1).end()) == ErrorCode::None);
  CHECK(tm.validate(v_v, Code().i32_const(1).op(Opcode::GlobalSet, 1).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_v, Code().op(Opcode::GlobalGet, 0).op(Opcode::Drop).end()) ==
        ErrorCode::None);
  CHECK(tm.validate(v_v, Code().op(Opcode::GlobalGet, 2).op(Opcode::Drop).end()) ==
        ErrorCode::UnknownGlobal);
}

TEST_CASE("calls", "[validate]") {
  TestModule tm;
  const uint32_t il_f = tm.add_type({kI32, kI64}, {kF32});
  const uint32_t v_f = tm.add_type({}, {kF32});
  const uint32_t callee = tm.add_func(il_f);
  Code c;
  c.i32_const(1).i64_const(2).op(Opcode::Call, callee).end();
  CHECK(tm.validate(v_f, c) == ErrorCode::None);
  Code swapped;
  swapped.i64_const(2).i32_const(1).op(Opcode::Call, callee).end();
  CHECK(tm.validate(v_f, swapped) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_f, Code().op(Opcode::Call, 77).end()) == ErrorCode::UnknownFunction);
  Code ind;
  ind.i32_const(1).i64_const(2).i32_const(0).op(Opcode::CallIndirect).u32(il_f).u32(0).end();
  CHECK(tm.validate(v_f, ind) == ErrorCode::UnknownTable);
  tm.add_table(kFuncRef);
  CHECK(tm.validate(v_f, ind) == ErrorCode::None);
  Code bad_type;
  bad_type.i32_const(0).op(Opcode::CallIndirect).u32(50).u32(0).end();
  CHECK(tm.validate(v_f, bad_type) == ErrorCode::UnknownType);
  tm.add_table(kExternRef);
  Code ext;
  ext.i32_const(1).i64_const(2).i32_const(0).op(Opcode::CallIndirect).u32(il_f).u32(1).end();
  CHECK(tm.validate(v_f, ext) == ErrorCode::TypeMismatch);
}

TEST_CASE("references", "[validate]") {
  TestModule tm;
  const uint32_t v_r = tm.add_type({}, {kFuncRef});
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t f = tm.add_func(v_i);
  CHECK(tm.validate(v_r, Code().op(Opcode::RefFunc, f).end()) ==
        ErrorCode::UndeclaredFunctionReference);
  tm.m.declared_func_refs[f] = true;
  CHECK(tm.validate(v_r, Code().op(Opcode::RefFunc, f).end()) == ErrorCode::None);
  CHECK(tm.validate(v_r, Code().op(Opcode::RefFunc, 1000).end()) == ErrorCode::UnknownFunction);
  CHECK(tm.validate(v_r, Code().op(Opcode::RefNull).byte(t::kExternRefByte).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(tm.validate(
            v_i, Code().op(Opcode::RefNull).byte(t::kExternRefByte).op(Opcode::RefIsNull).end()) ==
        ErrorCode::None);
  CHECK(tm.validate(v_i, Code().i32_const(0).op(Opcode::RefIsNull).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(
      tm.validate(v_i, Code().op(Opcode::RefNull).byte(t::kI32Byte).op(Opcode::RefIsNull).end()) ==
      ErrorCode::MalformedReferenceType);
}

TEST_CASE("table instructions", "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  const uint32_t v_e = tm.add_type({}, {kExternRef});
  tm.add_table(kFuncRef);
  tm.add_table(kExternRef);
  tm.add_elem(kFuncRef);
  CHECK(tm.validate(v_e, Code().i32_const(0).op(Opcode::TableGet, 1).end()) == ErrorCode::None);
  CHECK(tm.validate(v_e, Code().i32_const(0).op(Opcode::TableGet, 0).end()) ==
        ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_e, Code().i32_const(0).op(Opcode::TableGet, 2).end()) ==
        ErrorCode::UnknownTable);
  Code set;
  set.i32_const(0).op(Opcode::RefNull).byte(t::kExternRefByte).op(Opcode::TableSet, 1).end();
  CHECK(tm.validate(v_v, set) == ErrorCode::None);
  Code set_bad;
  set_bad.i32_const(0).op(Opcode::RefNull).byte(t::kExternRefByte).op(Opcode::TableSet, 0).end();
  CHECK(tm.validate(v_v, set_bad) == ErrorCode::TypeMismatch);
  Code grow;
  grow.op(Opcode::RefNull).byte(t::kFuncRefByte).i32_const(1).op(Opcode::TableGrow, 0);
  grow.op(Opcode::TableSize, 0).op(Opcode::I32Add).op(Opcode::Drop).end();
  CHECK(tm.validate(v_v, grow) == ErrorCode::None);
  Code fill;
  fill.i32_const(0).op(Opcode::RefNull).byte(t::kFuncRefByte).i32_const(1);
  fill.op(Opcode::TableFill, 0).end();
  CHECK(tm.validate(v_v, fill) == ErrorCode::None);
  Code init;
  init.i32_const(0).i32_const(0).i32_const(0).op(Opcode::TableInit).u32(0).u32(0).end();
  CHECK(tm.validate(v_v, init) == ErrorCode::None);
  Code init_bad;
  init_bad.i32_const(0).i32_const(0).i32_const(0).op(Opcode::TableInit).u32(0).u32(1).end();
  CHECK(tm.validate(v_v, init_bad) == ErrorCode::TypeMismatch);
  Code init_seg;
  init_seg.i32_const(0).i32_const(0).i32_const(0).op(Opcode::TableInit).u32(3).u32(0).end();
  CHECK(tm.validate(v_v, init_seg) == ErrorCode::UnknownElemSegment);
  Code copy;
  copy.i32_const(0).i32_const(0).i32_const(0).op(Opcode::TableCopy).u32(0).u32(1).end();
  CHECK(tm.validate(v_v, copy) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_v, Code().op(Opcode::ElemDrop, 0).end()) == ErrorCode::None);
  CHECK(tm.validate(v_v, Code().op(Opcode::ElemDrop, 1).end()) == ErrorCode::UnknownElemSegment);
}

TEST_CASE("memory instructions", "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  const uint32_t v_i = tm.add_type({}, {kI32});
  Code load;
  load.i32_const(0).mem_op(Opcode::I32Load, 2, 8).end();
  CHECK(tm.validate(v_i, load) == ErrorCode::UnknownMemory);
  CHECK(tm.validate(v_i, Code().op(Opcode::MemorySize).byte(0).end()) == ErrorCode::UnknownMemory);
  tm.add_memory();
  CHECK(tm.validate(v_i, load) == ErrorCode::None);
  CHECK(tm.validate(v_i, Code().i32_const(0).mem_op(Opcode::I32Load, 3).end()) ==
        ErrorCode::AlignmentTooLarge);
  CHECK(tm.validate(v_i, Code().i32_const(0).mem_op(Opcode::I32Load8U, 1).end()) ==
        ErrorCode::AlignmentTooLarge);
  CHECK(tm.validate(v_i, Code().i32_const(0).mem_op(Opcode::I32Load8U, 0).end()) ==
        ErrorCode::None);
  Code store;
  store.i32_const(0).i64_const(1).mem_op(Opcode::I64Store32, 2).end();
  CHECK(tm.validate(v_v, store) == ErrorCode::None);
  Code store_bad;
  store_bad.i64_const(0).i64_const(1).mem_op(Opcode::I64Store, 3).end();
  CHECK(tm.validate(v_v, store_bad) == ErrorCode::TypeMismatch);
  CHECK(tm.validate(v_i, Code().op(Opcode::MemorySize).byte(0).end()) == ErrorCode::None);
  CHECK(tm.validate(v_i, Code().op(Opcode::MemorySize).byte(1).end()) ==
        ErrorCode::ZeroByteExpected);
  CHECK(tm.validate(v_i, Code().i32_const(1).op(Opcode::MemoryGrow).bytes({0x80, 0x00}).end()) ==
        ErrorCode::ZeroByteExpected);
  Code fill;
  fill.i32_const(0).i32_const(0).i32_const(0).op(Opcode::MemoryFill).byte(0).end();
  CHECK(tm.validate(v_v, fill) == ErrorCode::None);
  Code copy;
  copy.i32_const(0).i32_const(0).i32_const(0).op(Opcode::MemoryCopy).bytes({0, 0}).end();
  CHECK(tm.validate(v_v, copy) == ErrorCode::None);
}

TEST_CASE("data segment instructions need a data count section", "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  tm.add_memory();
  Code init;
  init.i32_const(0).i32_const(0).i32_const(0).op(Opcode::MemoryInit).u32(0).byte(0).end();
  CHECK(tm.validate(v_v, init) == ErrorCode::DataCountRequired);
  CHECK(is_malformed(ErrorCode::DataCountRequired));
  CHECK(tm.validate(v_v, Code().op(Opcode::DataDrop, 0).end()) == ErrorCode::DataCountRequired);
  tm.m.data_count = 1;
  CHECK(tm.validate(v_v, init) == ErrorCode::None);
  CHECK(tm.validate(v_v, Code().op(Opcode::DataDrop, 0).end()) == ErrorCode::None);
  CHECK(tm.validate(v_v, Code().op(Opcode::DataDrop, 1).end()) == ErrorCode::UnknownDataSegment);
}

TEST_CASE("SIMD lanes, shuffles and memory", "[validate]") {
  TestModule tm;
  const uint32_t v_i = tm.add_type({}, {kI32});
  const uint32_t v_v128 = tm.add_type({}, {kV128});
  Code ext;
  ext.v128_const().op(Opcode::I8x16ExtractLaneS).byte(15).end();
  CHECK(tm.validate(v_i, ext) == ErrorCode::None);
  Code ext_bad;
  ext_bad.v128_const().op(Opcode::I8x16ExtractLaneS).byte(16).end();
  CHECK(tm.validate(v_i, ext_bad) == ErrorCode::InvalidLaneIndex);
  Code rep;
  rep.v128_const().i64_const(1).op(Opcode::I64x2ReplaceLane).byte(1).end();
  CHECK(tm.validate(v_v128, rep) == ErrorCode::None);
  Code rep_bad;
  rep_bad.v128_const().i32_const(1).op(Opcode::I64x2ReplaceLane).byte(1).end();
  CHECK(tm.validate(v_v128, rep_bad) == ErrorCode::TypeMismatch);
  Code shuf;
  shuf.v128_const().v128_const().op(Opcode::I8x16Shuffle);
  for (int i = 0; i < 16; ++i) shuf.byte(static_cast<uint8_t>(i * 2));
  shuf.end();
  CHECK(tm.validate(v_v128, shuf) == ErrorCode::None);
  Code shuf_bad;
  shuf_bad.v128_const().v128_const().op(Opcode::I8x16Shuffle);
  for (int i = 0; i < 16; ++i) shuf_bad.byte(i == 9 ? 32 : 0);
  shuf_bad.end();
  CHECK(tm.validate(v_v128, shuf_bad) == ErrorCode::InvalidLaneIndex);
  Code bitsel;
  bitsel.v128_const().v128_const().v128_const().op(Opcode::V128Bitselect).end();
  CHECK(tm.validate(v_v128, bitsel) == ErrorCode::None);
  // Memory forms need a memory; lane loads check alignment and lane.
  Code lane_load;
  lane_load.i32_const(0).v128_const().mem_op(Opcode::V128Load16Lane, 1).byte(7).end();
  CHECK(tm.validate(v_v128, lane_load) == ErrorCode::UnknownMemory);
  tm.add_memory();
  CHECK(tm.validate(v_v128, lane_load) == ErrorCode::None);
  Code lane_bad;
  lane_bad.i32_const(0).v128_const().mem_op(Opcode::V128Load16Lane, 1).byte(8).end();
  CHECK(tm.validate(v_v128, lane_bad) == ErrorCode::InvalidLaneIndex);
  Code align_bad;
  align_bad.i32_const(0).mem_op(Opcode::V128Load, 5).end();
  CHECK(tm.validate(v_v128, align_bad) == ErrorCode::AlignmentTooLarge);
  CHECK(tm.validate(v_v128, Code().i32_const(0).mem_op(Opcode::V128Load, 4).end()) ==
        ErrorCode::None);
  // Untyped select works on v128.
  Code sel;
  sel.v128_const().v128_const().i32_const(1).op(Opcode::Select).end();
  CHECK(tm.validate(v_v128, sel) == ErrorCode::None);
}

TEST_CASE("Wasm 3.0 and proposal instructions are illegal opcodes while their feature is off",
          "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  // Every row of a feature that is off: the encoding alone (with a few zero bytes after it, so
  // that an immediate reader would find something) is rejected as the byte it was before.
  for (uint16_t i = 0; i < zinc::decoder::kNumOpcodes; ++i) {
    const auto& info = zinc::decoder::kOpcodeInfo[i];
    if (tm.features.has(info.feature)) continue;
    INFO(info.text);
    CHECK(tm.validate(v_v, Code().op(static_cast<Opcode>(i)).bytes({0, 0, 0, 0}).end()) ==
          ErrorCode::IllegalOpcode);
  }
  // A disabled prefix is illegal even when nothing (or a bad LEB) follows it.
  CHECK(tm.validate_raw(v_v, {0x00, 0xFB}) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate_raw(v_v, {0x00, 0xFE}) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate(v_v, Code().byte(0xFE).bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x00})) ==
        ErrorCode::IllegalOpcode);
}

TEST_CASE("malformed bodies: opcodes, features, framing", "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  const uint32_t v_i = tm.add_type({}, {kI32});
  CHECK(tm.validate(v_v, Code().byte(0xFF).end()) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate(v_v, Code().byte(0x06).end()) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate(v_v, Code().byte(0xFD).u32(0x9A).end()) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate(v_v, Code().byte(0xFC).u32(18).end()) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate(v_v, Code().byte(0xFC).bytes({0x80, 0x80, 0x80, 0x80, 0x80, 0x00})) ==
        ErrorCode::IntegerTooLong);
  // Trailing bytes after the final end; missing final end; unterminated blocks.
  CHECK(tm.validate(v_v, Code().end().op(Opcode::Nop)) == ErrorCode::SectionSizeMismatch);
  // A body without its final end is read on past its size, as the reference parser does:
  // TestModule puts a stray `end` after every body, which then closes the function and the
  // size check fails (binary.wast "Function with missing end marker").
  CHECK(tm.validate(v_v, Code().op(Opcode::Nop)) == ErrorCode::SectionSizeMismatch);
  CHECK(tm.validate(v_v, Code().op(Opcode::Block).byte(t::kEmptyBlock).end()) ==
        ErrorCode::SectionSizeMismatch);
  CHECK(tm.validate_raw(v_v, {}) == ErrorCode::UnexpectedEndOfSection);
  // Truncated immediates.
  CHECK(tm.validate(v_i, Code().op(Opcode::I32Const)) == ErrorCode::UnexpectedEndOfSection);
  CHECK(tm.validate(v_i, Code().op(Opcode::F64Const).bytes({0, 0, 0})) ==
        ErrorCode::UnexpectedEndOfSection);
  // Disabled features turn their instructions into illegal opcodes.
  Code simd;
  simd.v128_const().op(Opcode::V128AnyTrue).end();
  CHECK(tm.validate(v_i, simd) == ErrorCode::None);
  tm.features.simd = false;
  CHECK(tm.validate(v_i, simd) == ErrorCode::IllegalOpcode);
  Code ext;
  ext.i32_const(1).op(Opcode::I32Extend8S).end();
  CHECK(tm.validate(v_i, ext) == ErrorCode::None);
  tm.features.sign_ext = false;
  CHECK(tm.validate(v_i, ext) == ErrorCode::IllegalOpcode);
}

namespace {

/// Records callbacks to check that the interface sees what a translator needs.
struct RecordingInterface : NullInterface {
  std::vector<std::string> log;
  const uint8_t* body_end = nullptr;
  void on_simple(Opcode op) { log.push_back(std::string(opcode_text(op))); }
  void on_const_i32(int32_t v) { log.push_back("i32.const " + std::to_string(v)); }
  void on_local_get(uint32_t i) { log.push_back("local.get " + std::to_string(i)); }
  void on_block(const ControlFrame& f) {
    log.push_back("block results=" + std::to_string(f.num_results));
  }
  void on_br_if(uint32_t d) { log.push_back("br_if " + std::to_string(d)); }
  void on_br_table(const BrTable& imm) {
    std::string s = "br_table";
    for (BrTableIterator it(imm, body_end); it.has_next();) {
      s += " " + std::to_string(it.next());
    }
    log.push_back(s);
  }
  void on_end(const ControlFrame& f) {
    log.push_back(f.kind == ControlKind::Func ? "end func" : "end");
  }
};

}  // namespace

TEST_CASE("a custom interface sees every instruction in order", "[validate]") {
  TestModule tm;
  const uint32_t i_i = tm.add_type({kI32}, {kI32});
  Code c;
  c.op(Opcode::Block).byte(t::kI32Byte).op(Opcode::LocalGet, 0).i32_const(-3).op(Opcode::I32Add);
  c.op(Opcode::LocalGet, 0).op(Opcode::BrIf, 0).end();
  c.op(Opcode::Block).byte(t::kEmptyBlock).op(Opcode::LocalGet, 0).op(Opcode::BrTable).u32(2);
  c.u32(0).u32(0).u32(0).end().end();
  Code entry;
  entry.u32(0);
  std::vector<uint8_t> bytes = entry.bytes_vec();
  bytes.insert(bytes.end(), c.bytes_vec().begin(), c.bytes_vec().end());
  tm.m.bytes = bytes;
  FunctionBody body;
  body.func_index = tm.add_func(i_i);
  body.range = {0, static_cast<uint32_t>(bytes.size())};
  DecoderBuffers buffers;
  RecordingInterface rec;
  rec.body_end = tm.m.bytes.data() + tm.m.bytes.size();
  FunctionDecoder<RecordingInterface> d(tm.m, tm.features, buffers, rec);
  REQUIRE(d.decode(body));
  const std::vector<std::string> want{
      "block results=1", "local.get 0",    "i32.const -3", "i32.add",
      "local.get 0",     "br_if 0",        "end",          "block results=0",
      "local.get 0",     "br_table 0 0 0", "end",          "end func"};
  CHECK(rec.log == want);
}

TEST_CASE("a malformed body is malformed even after an invalid instruction", "[validate]") {
  TestModule tm;
  const uint32_t v_v = tm.add_type({}, {});
  // i64.add on an empty stack is invalid, but the later 0xFF makes the body malformed.
  CHECK(tm.validate(v_v, Code().op(Opcode::I64Add).byte(0xFF).end()) == ErrorCode::IllegalOpcode);
  CHECK(tm.validate(v_v, Code().op(Opcode::I64Add).end().op(Opcode::Nop)) ==
        ErrorCode::SectionSizeMismatch);
  CHECK(tm.validate(v_v, Code().op(Opcode::I64Add).op(Opcode::Block).byte(t::kEmptyBlock).end()) ==
        ErrorCode::UnexpectedEndOfSection);
  CHECK(tm.validate(v_v, Code().op(Opcode::I64Add).op(Opcode::DataDrop, 0).end()) ==
        ErrorCode::DataCountRequired);
  // Without a later malformation the validation error stands, at its own offset.
  CHECK(tm.validate(v_v, Code().op(Opcode::I64Add).op(Opcode::Nop).end()) ==
        ErrorCode::TypeMismatch);
}

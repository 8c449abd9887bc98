// tests/decoder/text/wat3_test.cc: the Wasm 3.0 (and proposal) text syntax encoded byte for
// byte: recursion groups and sub types, struct/array types, reference types, tags, try_table
// and legacy try, GC and typed-reference instructions, multi-memory and memory64 memargs,
// atomics, custom page sizes, exact imports; plus the text errors of that syntax. The decoder
// does not accept these features yet, so the expected bytes are written out from the binary
// format spec (https://webassembly.github.io/spec/core/binary/) rather than decoded back.
#include <catch2/catch.hpp>

#include "decoder/opcodes.h"
#include "decoder/text/wast.h"
#include "decoder/text/wat_parser.h"

namespace zinc::decoder::text {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes encode(std::string_view wat) {
  auto bin = wat_to_binary(wat, "t.wat");
  if (!bin) FAIL(bin.error().to_string());
  return *bin;
}

uint32_t read_leb(const Bytes& b, size_t* p) {
  uint32_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    const uint8_t byte = b.at((*p)++);
    v |= static_cast<uint32_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return v;
  }
}

// The contents of section `id` (the first one), or empty when absent.
Bytes section(const Bytes& m, uint8_t id) {
  size_t p = 8;
  while (p < m.size()) {
    const uint8_t sid = m[p++];
    const uint32_t size = read_leb(m, &p);
    if (sid == id) return Bytes(m.begin() + p, m.begin() + p + size);
    p += size;
  }
  return {};
}

// The instructions of the first function body (after its locals), `end` included.
Bytes first_body(const Bytes& m) {
  const Bytes code = section(m, 10);
  REQUIRE_FALSE(code.empty());
  size_t p = 0;
  REQUIRE(read_leb(code, &p) >= 1);
  const uint32_t size = read_leb(code, &p);
  const size_t end = p + size;
  const uint32_t local_groups = read_leb(code, &p);
  for (uint32_t i = 0; i < local_groups; ++i) {
    read_leb(code, &p);
    p++;  // value type (one byte in these tests)
  }
  return Bytes(code.begin() + p, code.begin() + end);
}

// Sample immediates for one instruction of each kind, valid in the module of the test below.
std::string sample_immediates(const OpcodeInfo& info, bool nullable_row) {
  switch (info.imm) {
    case ImmKind::None:
    case ImmKind::MemArg:
    case ImmKind::MemoryCopy:
    case ImmKind::TableCopy:
    case ImmKind::AtomicMemArg:
    case ImmKind::ZeroByte:
      return "";
    case ImmKind::V128:
      return "i32x4 0 0 0 0";
    case ImmKind::SelectT:
      return "(result i32)";
    case ImmKind::CallIndirect:
      return "(type 0)";
    case ImmKind::HeapType:  // ref.null takes a heap type; the casts a reference type
      if (info.text == "ref.null") return "func";
      return nullable_row ? "anyref" : "(ref any)";
    case ImmKind::Shuffle:
      return "0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0";
    case ImmKind::StructField:
    case ImmKind::ArrayCopy:
    case ImmKind::ArrayData:
    case ImmKind::ArrayElem:
      return "0 0";
    case ImmKind::ArrayNewFixed:
      return "0 1";
    case ImmKind::BrOnCast:
      return "0 anyref anyref";
    default:  // one index or number
      return "0";
  }
}

TextError error_of(std::string_view wat) {
  auto bin = wat_to_binary(wat, "t.wat");
  REQUIRE_FALSE(bin.ok());
  return bin.error();
}

}  // namespace

TEST_CASE("wat3: recursion groups, sub types, struct and array types", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (rec
      (type $a (sub (struct (field $x i32) (field (mut i8)))))
      (type $b (sub final $a (struct (field i32) (field (mut i8)) (field $r (ref null $a))))))
    (type $arr (array (mut i16)))
    (type $f (sub final (func (param i32))))
    (rec)
  ))");
  // 3 entries: a two-type group (0x4E 2), a plain array type, a plain func type (final, no
  // supertypes: no 0x4F prefix), and the empty explicit group (0x4E 0).
  CHECK(section(m, 1) == Bytes{0x04, 0x4E, 0x02, 0x50, 0x00, 0x5F, 0x02, 0x7F, 0x00, 0x78, 0x01,
                               0x4F, 0x01, 0x00, 0x5F, 0x03, 0x7F, 0x00, 0x78, 0x01, 0x63, 0x00,
                               0x00, 0x5E, 0x77, 0x01, 0x60, 0x01, 0x7F, 0x00, 0x4E, 0x00});
}

TEST_CASE("wat3: reference types and heap type shorthands", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (type $s (struct))
    (func (param anyref eqref i31ref structref arrayref nullref nullfuncref nullexternref
                 exnref nullexnref (ref $s) (ref null 0) (ref any) (ref null noexn)))
  ))");
  CHECK(section(m, 1) == Bytes{0x02, 0x5F, 0x00, 0x60, 0x0E, 0x6E, 0x6D, 0x6C,
                               0x6B, 0x6A, 0x71, 0x73, 0x72, 0x69, 0x74, 0x64,
                               0x00, 0x63, 0x00, 0x64, 0x6E, 0x74, 0x00});
}

TEST_CASE("wat3: GC instructions and their immediates", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (type $s (struct (field $x i32) (field $y (mut i64))))
    (type $a (array (mut i8)))
    (data $d "ab")
    (elem $e func)
    (func
      (drop (struct.get $s $y (struct.new $s (i32.const 1) (i64.const 2))))
      (struct.set $s 0 (struct.new_default $s) (i64.const 3))
      (drop (array.new_fixed $a 2 (i32.const 1) (i32.const 2)))
      (drop (array.new_data $a $d (i32.const 0) (i32.const 2)))
      (array.copy $a $a (ref.null $a) (i32.const 0) (ref.null none) (i32.const 0) (i32.const 0))
      (drop (ref.test (ref $s) (ref.null any)))
      (drop (ref.test (ref null $s) (ref.null any)))
      (drop (ref.cast i31ref (ref.i31 (i32.const 5))))
      (drop (i31.get_u (ref.cast (ref i31) (ref.null any))))
      (drop (array.len (ref.null array)))
      (drop (any.convert_extern (extern.convert_any (ref.null any))))
      (drop (ref.eq (ref.null eq) (ref.null eq)))
      (drop (array.get_s $a (ref.null $a) (i32.const 0)))
      (array.init_elem $a $e (ref.null $a) (i32.const 0) (i32.const 0) (i32.const 0)))
  ))");
  CHECK(first_body(m) ==
        Bytes{0x41, 0x01, 0x42, 0x02, 0xFB, 0x00, 0x00, 0xFB, 0x02, 0x00, 0x01, 0x1A,  //
              0xFB, 0x01, 0x00, 0x42, 0x03, 0xFB, 0x05, 0x00, 0x00,                    //
              0x41, 0x01, 0x41, 0x02, 0xFB, 0x08, 0x01, 0x02, 0x1A,                    //
              0x41, 0x00, 0x41, 0x02, 0xFB, 0x09, 0x01, 0x00, 0x1A,                    //
              0xD0, 0x01, 0x41, 0x00, 0xD0, 0x71, 0x41, 0x00, 0x41, 0x00, 0xFB, 0x11, 0x01,
              0x01,                                                                    //
              0xD0, 0x6E, 0xFB, 0x14, 0x00, 0x1A,                                      //
              0xD0, 0x6E, 0xFB, 0x15, 0x00, 0x1A,                                      //
              0x41, 0x05, 0xFB, 0x1C, 0xFB, 0x17, 0x6C, 0x1A,                          //
              0xD0, 0x6E, 0xFB, 0x16, 0x6C, 0xFB, 0x1E, 0x1A,                          //
              0xD0, 0x6A, 0xFB, 0x0F, 0x1A,                                            //
              0xD0, 0x6E, 0xFB, 0x1B, 0xFB, 0x1A, 0x1A,                                //
              0xD0, 0x6D, 0xD0, 0x6D, 0xD3, 0x1A,                                      //
              0xD0, 0x01, 0x41, 0x00, 0xFB, 0x0C, 0x01, 0x1A,                          //
              0xD0, 0x01, 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFB, 0x13, 0x01, 0x00,  //
              0x0B});
  // array.new_data reads a data index: the data count section is required.
  CHECK(section(m, 12) == Bytes{0x01});
}

TEST_CASE("wat3: branches on references, typed calls, tail calls", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (type $t (func))
    (table 1 funcref)
    (func $f (type $t)
      (block $l (result anyref)
        (br_on_cast $l anyref (ref $t) (ref.null any))
        (br_on_cast_fail 0 (ref null any) (ref null i31))
        (br_on_null $l)
        (br_on_non_null $l)
        (drop (ref.as_non_null)))
      (call_ref $t (ref.func $f))
      (return_call_ref $t (ref.func $f))
      (return_call $f)
      (return_call_indirect (type $t) (i32.const 0)))
  ))");
  CHECK(first_body(m) == Bytes{0x02, 0x6E,  // block (result anyref)
                               0xD0, 0x6E, 0xFB, 0x18, 0x01, 0x00, 0x6E,
                               0x00,                                // flags 1: only the source null
                               0xFB, 0x19, 0x03, 0x00, 0x6E, 0x6C,  // flags 3: both nullable
                               0xD5, 0x00, 0xD6, 0x00, 0xD4, 0x1A, 0x0B,  //
                               0xD2, 0x00, 0x14, 0x00,                    // call_ref $t
                               0xD2, 0x00, 0x15, 0x00,                    // return_call_ref $t
                               0x12, 0x00,                                // return_call $f
                               0x41, 0x00, 0x13, 0x00, 0x00,  // return_call_indirect type table
                               0x0B});
}

TEST_CASE("wat3: tags, throw, try_table catch clauses", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (tag $i (import "m" "t") (param i32))
    (tag $e (export "e"))
    (func (result exnref)
      (block $outer (result exnref)
        (try_table $t (catch $i 1) (catch_ref $e $outer) (catch_all 1) (catch_all_ref $outer)
          (throw $i (i32.const 7))
          (br $t))
        (try_table (catch_all 0))
        (throw_ref (ref.null exn))))
  ))");
  // Import of tag 0: kind 4, attribute 0, its type index.
  const Bytes imports = section(m, 2);
  CHECK(Bytes(imports.end() - 3, imports.end()) == Bytes{0x04, 0x00, 0x00});
  // Tag section (id 13): one tag of type 1 (the empty function type, interned second).
  CHECK(section(m, 13) == Bytes{0x01, 0x00, 0x01});
  CHECK(first_body(m) ==
        Bytes{0x02, 0x69,        // block $outer (result exnref)
              0x1F, 0x40, 0x04,  // try_table, 4 clauses, labels outside
              0x00, 0x00, 0x01, 0x01, 0x01, 0x00, 0x02, 0x01, 0x03, 0x00,  //
              0x41, 0x07, 0x08, 0x00, 0x0C, 0x00, 0x0B,  // throw $i; br $t (the try_table)
              0x1F, 0x40, 0x01, 0x02, 0x00, 0x0B,        //
              0xD0, 0x69, 0x0A, 0x0B, 0x0B});
}

TEST_CASE("wat3: legacy try, catch, catch_all, delegate and rethrow", "[text][wat3]") {
  const char* flat = R"((module (tag $e (param i32))
    (func (result i32)
      block $l
        try $t (result i32)
          i32.const 1
        catch $e
          rethrow $t
        catch_all
          i32.const 3
        end
        drop
        try
        delegate $l
      end
      i32.const 0)))";
  const char* folded = R"((module (tag $e (param i32))
    (func (result i32)
      (block $l
        (drop (try $t (result i32) (do (i32.const 1)) (catch $e (rethrow $t))
                   (catch_all (i32.const 3))))
        (try (do) (delegate $l)))
      (i32.const 0))))";
  const Bytes expected{0x02, 0x40, 0x06, 0x7F, 0x41, 0x01, 0x07, 0x00, 0x09, 0x00, 0x19, 0x41,
                       0x03, 0x0B, 0x1A, 0x06, 0x40, 0x18, 0x00, 0x0B, 0x41, 0x00, 0x0B};
  CHECK(first_body(encode(flat)) == expected);
  CHECK(first_body(encode(folded)) == expected);
}

TEST_CASE("wat3: multi-memory and memory64 memargs and limits", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (memory $a 1)
    (memory $b i64 1 0x1_0000_0000)
    (data (memory $b) (i64.const 8) "x")
    (func
      (drop (i64.load $b offset=0x1_0000_0000 align=4 (i64.const 0)))
      (i32.store 1 (i64.const 0) (i32.const 0))
      (drop (i32.load $a (i32.const 0)))
      (drop (v128.load8_lane 1 (i32.const 0) (v128.const i64x2 0 0)))
      (drop (v128.load8_lane $b 1 (i64.const 0) (v128.const i64x2 0 0)))
      (drop (memory.size $b)))
  ))");
  CHECK(section(m, 5) == Bytes{0x02, 0x00, 0x01, 0x05, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10});
  CHECK(section(m, 11) == Bytes{0x01, 0x02, 0x01, 0x42, 0x08, 0x0B, 0x01, 'x'});
  const Bytes v128_zero{0xFD, 0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  Bytes want{0x42, 0x00, 0x29, 0x42, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x1A,  //
             0x42, 0x00, 0x41, 0x00, 0x36, 0x42, 0x01, 0x00,                    //
             0x41, 0x00, 0x28, 0x02, 0x00, 0x1A, 0x41, 0x00};
  want.insert(want.end(), v128_zero.begin(), v128_zero.end());
  want.insert(want.end(), {0xFD, 0x54, 0x00, 0x00, 0x01, 0x1A, 0x42, 0x00});  // lane 1
  want.insert(want.end(), v128_zero.begin(), v128_zero.end());
  want.insert(want.end(), {0xFD, 0x54, 0x40, 0x01, 0x00, 0x01, 0x1A});  // memory 1, lane 1
  want.insert(want.end(), {0x3F, 0x01, 0x1A, 0x0B});
  CHECK(first_body(m) == want);
}

TEST_CASE("wat3: 32-bit memories keep 32-bit offsets and limits while memory64 is off",
          "[text][wat3]") {
  CHECK(error_of("(memory 1) (func (drop (i32.load offset=0x1_0000_0000 (i32.const 0))))").code ==
        ErrorCode::I32ConstantOutOfRange);
  CHECK(error_of("(memory 0x1_0000_0000)").code == ErrorCode::I32ConstantOutOfRange);
  CHECK(error_of("(memory i64 0x1_0000_0000_0000_0000)").code == ErrorCode::I64ConstantOutOfRange);
  // Table64: the address type comes before the limits.
  CHECK(section(encode("(table i64 2 funcref)"), 4) == Bytes{0x01, 0x70, 0x04, 0x02});
}

TEST_CASE("wat3: threads: shared memories, atomics, fence", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (memory 1 2 shared)
    (func
      (drop (i32.atomic.rmw.cmpxchg offset=4 (i32.const 0) (i32.const 1) (i32.const 2)))
      (drop (i64.atomic.rmw16.add_u (i32.const 0) (i64.const 1)))
      (drop (memory.atomic.wait64 (i32.const 0) (i64.const 0) (i64.const -1)))
      (drop (memory.atomic.notify align=4 (i32.const 0) (i32.const 1)))
      (atomic.fence))
  ))");
  CHECK(section(m, 5) == Bytes{0x01, 0x03, 0x01, 0x02});
  CHECK(first_body(m) == Bytes{0x41, 0x00, 0x41, 0x01, 0x41, 0x02, 0xFE, 0x48, 0x02, 0x04,
                               0x1A, 0x41, 0x00, 0x42, 0x01, 0xFE, 0x23, 0x01, 0x00, 0x1A,  //
                               0x41, 0x00, 0x42, 0x00, 0x42, 0x7F, 0xFE, 0x02, 0x03, 0x00,
                               0x1A, 0x41, 0x00, 0x41, 0x01, 0xFE, 0x00, 0x02, 0x00, 0x1A,  //
                               0xFE, 0x03, 0x00, 0x0B});
}

TEST_CASE("wat3: relaxed SIMD, wide arithmetic, extended constants", "[text][wat3]") {
  const Bytes m = encode(R"((module
    (global i32 (i32.add (i32.const 1) (i32.mul (i32.const 2) (i32.const 3))))
    (func (param v128 i64)
      (drop (i8x16.relaxed_swizzle (local.get 0) (local.get 0)))
      (drop (drop (i64.add128 (local.get 1) (local.get 1) (local.get 1) (local.get 1)))))
  ))");
  CHECK(section(m, 6) ==
        Bytes{0x01, 0x7F, 0x00, 0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x6C, 0x6A, 0x0B});
  CHECK(first_body(m) == Bytes{0x20, 0x00, 0x20, 0x00, 0xFD, 0x80, 0x02, 0x1A,  //
                               0x20, 0x01, 0x20, 0x01, 0x20, 0x01, 0x20, 0x01,
                               0xFC, 0x13, 0x1A, 0x1A, 0x0B});
}

TEST_CASE("wat3: custom page sizes, custom descriptors, table initialisers", "[text][wat3]") {
  CHECK(section(encode("(memory 1 (pagesize 1))"), 5) == Bytes{0x01, 0x08, 0x01, 0x00});
  CHECK(section(encode("(memory 1 (pagesize 65536))"), 5) == Bytes{0x01, 0x00, 0x01});
  CHECK(error_of("(memory 1 (pagesize 3))").code == ErrorCode::MalformedCustomPageSize);

  const Bytes m = encode(R"((module
    (rec (type $a (descriptor $b) (struct)) (type $b (describes $a) (struct (field i32))))
    (type $f (func))
    (import "m" "f" (func (exact (type $f))))
    (global (ref null (exact $a)) (ref.null (exact $a)))
    (func (drop (struct.new_default_desc $a (ref.null (exact $b)))))
  ))");
  CHECK(section(m, 1) == Bytes{0x02, 0x4E, 0x02, 0x4D, 0x01, 0x5F, 0x00, 0x4C, 0x00, 0x5F, 0x01,
                               0x7F, 0x00, 0x60, 0x00, 0x00});
  const Bytes imports = section(m, 2);
  CHECK(Bytes(imports.end() - 2, imports.end()) == Bytes{0x20, 0x02});  // exact func of type 2
  CHECK(section(m, 6) == Bytes{0x01, 0x63, 0x62, 0x00, 0x00, 0xD0, 0x62, 0x00, 0x0B});
  CHECK(first_body(m) == Bytes{0xD0, 0x62, 0x01, 0xFB, 0x21, 0x00, 0x1A, 0x0B});

  // `(table limits reftype expr)`: 0x40 0x00, the table type, the initialiser.
  CHECK(section(encode("(type $f (func)) (table 1 (ref null $f) (ref.null $f))"), 4) ==
        Bytes{0x01, 0x40, 0x00, 0x63, 0x00, 0x00, 0x01, 0xD0, 0x00, 0x0B});
}

TEST_CASE("wat3: every instruction of the opcode table is reachable from its text name",
          "[text][wat3][opcodes]") {
  size_t checked = 0;
  for (uint16_t i = 0; i < kNumOpcodes; ++i) {
    const OpcodeInfo& info = kOpcodeInfo[i];
    const std::string_view t = info.text;
    // Block structure has its own tests (and `else`/`end`/`catch`/`delegate` no instruction).
    if (info.imm == ImmKind::BlockType || info.imm == ImmKind::TryTable || t == "else" ||
        t == "end" || t == "catch" || t == "catch_all" || t == "delegate") {
      continue;
    }
    // The second row of a two-row mnemonic (select, the casts) is picked by its immediate.
    const bool second_row = i > 0 && kOpcodeInfo[i - 1].text == t;
    if (second_row && t == "select") continue;
    const std::string wat =
        "(type (func)) (memory 1) (table 1 funcref) (global i32 (i32.const 0))"
        " (elem func) (data \"\") (tag) (func (local i32) " +
        std::string(t) + " " + sample_immediates(info, second_row) + ")";
    INFO(wat);
    const Bytes body = first_body(encode(wat));
    Bytes op;
    if (info.prefix != 0) {
      op.push_back(info.prefix);
      for (uint32_t v = info.code;; v >>= 7) {
        op.push_back(static_cast<uint8_t>((v & 0x7F) | (v >= 0x80 ? 0x80 : 0)));
        if (v < 0x80) break;
      }
    } else {
      op.push_back(static_cast<uint8_t>(info.code));
    }
    REQUIRE(body.size() > op.size());
    CHECK(Bytes(body.begin(), body.begin() + op.size()) == op);
    CHECK(body.back() == 0x0B);
    ++checked;
  }
  CHECK(checked > 500);
}

TEST_CASE("wat3: text errors of the 3.0 syntax", "[text][wat3]") {
  CHECK(error_of("(type $s (struct (field $x i32) (field $x i64)))").code ==
        ErrorCode::DuplicateField);
  CHECK(error_of("(type $s (struct)) (func (struct.get $s $nope (unreachable)))").code ==
        ErrorCode::UnknownField);
  CHECK(error_of("(func (throw $nope))").code == ErrorCode::UnknownTag);
  CHECK(error_of("(tag $t) (tag $t)").code == ErrorCode::DuplicateTag);
  CHECK(error_of("(func) (import \"m\" \"t\" (tag))").code == ErrorCode::ImportAfterFunction);
  CHECK(error_of("(tag) (import \"m\" \"t\" (tag))").code == ErrorCode::ImportAfterTag);
  // catch/catch_all/delegate only continue a flat `try`.
  CHECK(error_of("(func (catch_all))").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(tag $e) (func catch $e)").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(func block catch_all end)").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(func try catch_all catch_all end)").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(func try catch_all delegate 0)").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(func try_table (catch_all $nope) end)").code == ErrorCode::UnknownLabel);
  // A try_table's catch labels do not see the try_table's own label.
  CHECK(error_of("(func try_table $t (catch_all $t) end)").code == ErrorCode::UnknownLabel);
  CHECK(error_of("(func (ref.cast i32 (unreachable)))").code == ErrorCode::UnexpectedToken);
  CHECK(error_of("(func (br_on_cast 0 anyref (unreachable)))").code == ErrorCode::UnexpectedToken);
}

TEST_CASE("wat3: WAST scripts of the 3.0 suites", "[text][wat3][wast]") {
  auto s = parse_wast(R"(
    (module definition $d (rec (type (struct))) (tag $e (export "e")))
    (module instance $i $d)
    (assert_exception (invoke "throw"))
    (assert_return (invoke "f") (ref.struct) (ref.null $t) (either (ref.i31) (ref.array)))
  )");
  REQUIRE(s.ok());
  REQUIRE(s->commands.size() == 4);
  CHECK(s->commands[0].module.definition);
  CHECK(encode_script_module(s->commands[0].module).ok());
  CHECK(s->commands[1].kind == CommandKind::ModuleInstance);
  CHECK(s->commands[2].kind == CommandKind::AssertException);
  const auto& want = s->commands[3].expected;
  REQUIRE(want.size() == 3);
  CHECK(want[0].kind == Value::Kind::RefOther);
  CHECK(want[0].ref_kind == "struct");
  CHECK(want[1].kind == Value::Kind::RefNull);
  CHECK(want[2].kind == Value::Kind::Either);
  CHECK(want[2].either.size() == 2);

  // A script of bare fields is one module, also when it starts with 3.0 fields.
  auto bare = parse_wast("(rec (type (func))) (tag)");
  REQUIRE(bare.ok());
  REQUIRE(bare->commands.size() == 1);
  CHECK(encode_script_module(bare->commands[0].module).ok());
}

}  // namespace zinc::decoder::text

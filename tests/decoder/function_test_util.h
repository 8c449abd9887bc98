// tests/decoder/function_test_util.h: builds Modules by hand for function-body validation tests.
//
// `Code` assembles instruction bytes with opcodes taken from opcodes.def (so encodings are spelled
// once); `TestModule` holds a decoder::Module whose types, funcs, memories, tables, globals,
// elems and data count are set directly, appends a body (locals + code) to module.bytes and
// runs validate_function on it. Nothing here depends on the module decoder.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <utility>
#include <vector>

#include "decoder/decode.h"
#include "decoder/function_decoder.h"
#include "decoder/module.h"
#include "decoder/opcodes.h"

namespace zinc::test {

using decoder::ErrorCode;
using decoder::Opcode;
using decoder::ValType;

/// Appends LEB128 and opcode encodings.
class Code {
 public:
  Code& byte(uint8_t b) {
    v_.push_back(b);
    return *this;
  }
  Code& bytes(std::initializer_list<uint8_t> bs) {
    v_.insert(v_.end(), bs);
    return *this;
  }
  Code& u32(uint32_t x) {
    do {
      uint8_t b = x & 0x7F;
      x >>= 7;
      v_.push_back(x ? (b | 0x80) : b);
    } while (x);
    return *this;
  }
  Code& s64(int64_t x) {
    while (true) {
      uint8_t b = x & 0x7F;
      x >>= 7;
      const bool done = (x == 0 && !(b & 0x40)) || (x == -1 && (b & 0x40));
      v_.push_back(done ? b : (b | 0x80));
      if (done) return *this;
    }
  }
  /// An opcode's encoding as opcodes.def gives it (prefix byte + u32 LEB, or one byte).
  Code& op(Opcode o) {
    const auto& info = decoder::opcode_info(o);
    if (info.prefix != 0) {
      byte(info.prefix);
      return u32(info.code);
    }
    return byte(static_cast<uint8_t>(info.code));
  }
  Code& op(Opcode o, uint32_t imm) { return op(o).u32(imm); }
  Code& i32_const(int32_t x) { return op(Opcode::I32Const).s64(x); }
  Code& i64_const(int64_t x) { return op(Opcode::I64Const).s64(x); }
  Code& f32_const() { return op(Opcode::F32Const).bytes({0, 0, 0, 0}); }
  Code& f64_const() { return op(Opcode::F64Const).bytes({0, 0, 0, 0, 0, 0, 0, 0}); }
  Code& v128_const() {
    op(Opcode::V128Const);
    for (int i = 0; i < 16; ++i) byte(0);
    return *this;
  }
  /// memarg with 2.0 encoding: align exponent, offset.
  Code& mem_op(Opcode o, uint32_t align, uint32_t offset = 0) {
    return op(o).u32(align).u32(offset);
  }
  Code& end() { return op(Opcode::End); }

  const std::vector<uint8_t>& bytes_vec() const { return v_; }

 private:
  std::vector<uint8_t> v_;
};

/// Value type bytes for local declarations and block types.
inline constexpr uint8_t kI32Byte = 0x7F;
inline constexpr uint8_t kI64Byte = 0x7E;
inline constexpr uint8_t kF32Byte = 0x7D;
inline constexpr uint8_t kF64Byte = 0x7C;
inline constexpr uint8_t kV128Byte = 0x7B;
inline constexpr uint8_t kFuncRefByte = 0x70;
inline constexpr uint8_t kExternRefByte = 0x6F;
inline constexpr uint8_t kEmptyBlock = 0x40;

class TestModule {
 public:
  decoder::Module m;
  decoder::Features features;
  std::optional<decoder::Error> last_error;
  decoder::FunctionBody last_body;

  uint32_t add_type(std::vector<ValType> params, std::vector<ValType> results) {
    decoder::TypeDef t;
    t.func.params = std::move(params);
    t.func.results = std::move(results);
    t.rec_group_start = static_cast<uint32_t>(m.types.size());
    m.types.push_back(std::move(t));
    return static_cast<uint32_t>(m.types.size() - 1);
  }
  /// Adds a function of type `type_index` (body supplied later via validate, or none).
  uint32_t add_func(uint32_t type_index) {
    m.funcs.push_back({type_index, false});
    m.declared_func_refs.push_back(false);
    return static_cast<uint32_t>(m.funcs.size() - 1);
  }
  void add_memory(uint64_t min = 1) {
    decoder::MemoryType mt;
    mt.limits.min = min;
    m.memories.push_back(mt);
  }
  void add_table(ValType elem = decoder::kFuncRef) {
    decoder::TableType tt;
    tt.elem = elem;
    m.tables.push_back(tt);
  }
  uint32_t add_global(ValType t, bool mut) {
    decoder::Global g;
    g.type = {t, mut};
    m.globals.push_back(g);
    return static_cast<uint32_t>(m.globals.size() - 1);
  }
  void add_elem(ValType t = decoder::kFuncRef) {
    decoder::ElemSegment e;
    e.type = t;
    m.elems.push_back(e);
  }

  /// Validates a body of a new function of type `type_index`: locals as (count, type byte)
  /// runs, then `code` (which must include the final end unless the test omits it on purpose).
  /// Returns ErrorCode::None when valid, else the error code (full error in last_error).
  ErrorCode validate(uint32_t type_index, const Code& code,
                     std::vector<std::pair<uint32_t, uint8_t>> locals = {}) {
    Code entry;
    entry.u32(static_cast<uint32_t>(locals.size()));
    for (auto [n, t] : locals) entry.u32(n).byte(t);
    std::vector<uint8_t> bytes = entry.bytes_vec();
    const auto& c = code.bytes_vec();
    bytes.insert(bytes.end(), c.begin(), c.end());
    return validate_raw(type_index, bytes);
  }

  /// Validates a raw body entry (local declarations + code).
  ErrorCode validate_raw(uint32_t type_index, const std::vector<uint8_t>& entry) {
    const uint32_t func = add_func(type_index);
    decoder::FunctionBody body;
    body.func_index = func;
    // Junk before the body checks that offsets are module-relative.
    m.bytes.push_back(0xEE);
    body.range.offset = static_cast<uint32_t>(m.bytes.size());
    body.range.size = static_cast<uint32_t>(entry.size());
    m.bytes.insert(m.bytes.end(), entry.begin(), entry.end());
    m.bytes.push_back(0x0B);  // a stray `end` after the range must not be read
    auto res = decoder::validate_function(m, body, features);
    last_body = body;
    if (res.ok()) {
      last_error.reset();
      return ErrorCode::None;
    }
    last_error = res.error();
    return res.error().code;
  }
};

}  // namespace zinc::test

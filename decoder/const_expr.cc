// decoder/const_expr.cc: constant expressions (global initialisers, segment offsets, element
// items) read and validated in one pass.
//
// Instructions are recognised through the opcode table (opcodes.def), so an encoding that is
// no instruction at all is "illegal opcode" while a real but non-constant instruction is
// "constant expression required". Wasm 2.0 allows t.const, ref.null, ref.func and global.get of
// an immutable imported global; the expression must leave exactly one value of the expected
// type. Extended-const (i32/i64 add, sub, mul) fits as more cases over the same typed stack.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html#constant-expressions
#include <array>
#include <string>

#include "decoder/module_decoder_impl.h"
#include "decoder/opcodes.h"

namespace zinc::decoder::internal {

namespace {

// Single-byte encodings -> Opcode, built from the table at compile time.
constexpr std::array<uint16_t, 256> make_single_byte_map() {
  std::array<uint16_t, 256> map{};
  for (auto& v : map) v = kInvalidOpcode;
  for (uint16_t i = 0; i < kNumOpcodes; ++i) {
    if (kOpcodeInfo[i].prefix == 0 && kOpcodeInfo[i].code < 256) map[kOpcodeInfo[i].code] = i;
  }
  return map;
}
constexpr std::array<uint16_t, 256> kByteToOpcode = make_single_byte_map();

uint16_t find_prefixed(uint8_t prefix, uint32_t code) {
  for (uint16_t i = 0; i < kNumOpcodes; ++i) {
    if (kOpcodeInfo[i].prefix == prefix && kOpcodeInfo[i].code == code) return i;
  }
  return kInvalidOpcode;
}

// Deep enough for any constant expression that can be valid in Wasm 2.0 (one value) and for
// reasonable extended-const trees; deeper stacks are reported as a type mismatch.
constexpr size_t kMaxConstStack = 16;

}  // namespace

bool ModuleDecoder::read_const_expr(Reader& r, ValType expected, ConstExpr* out) {
  const size_t start = r.offset();
  ValType stack[kMaxConstStack];
  size_t depth = 0;
  auto push = [&](ValType t, size_t at) {
    if (depth == kMaxConstStack) {
      r.fail_at(at, ErrorCode::TypeMismatch, "constant expression stack too deep");
      return false;
    }
    stack[depth++] = t;
    return true;
  };
  for (;;) {
    const size_t at = r.offset();
    const uint8_t b = r.u8();
    if (!r.ok()) return false;
    uint16_t op = kByteToOpcode[b];
    if (is_prefix_byte(b) && features_.has(prefix_feature(b))) {
      const uint32_t code = r.u32();
      if (!r.ok()) return false;
      op = find_prefixed(b, code);
    }
    // Instructions of a disabled feature are not instructions at all.
    if (op != kInvalidOpcode && !features_.has(kOpcodeInfo[op].feature)) op = kInvalidOpcode;
    if (op == kInvalidOpcode) {
      r.fail_at(
          at, ErrorCode::IllegalOpcode, "opcode 0x" + [&] {
            static const char* hex = "0123456789abcdef";
            return std::string{hex[b >> 4], hex[b & 15]};
          }());
      return false;
    }
    switch (static_cast<Opcode>(op)) {
      case Opcode::End: {
        if (depth != 1 || !(stack[0] == expected)) {
          r.fail_at(at, ErrorCode::TypeMismatch,
                    depth == 1 ? "constant expression of type " + to_string(stack[0]) +
                                     ", expected " + to_string(expected)
                               : "constant expression must produce exactly one value");
          return false;
        }
        out->type = expected;
        out->range = {static_cast<uint32_t>(start), static_cast<uint32_t>(r.offset() - start)};
        return true;
      }
      case Opcode::I32Const:
        (void)r.s32();
        if (!r.ok() || !push(kI32, at)) return false;
        break;
      case Opcode::I64Const:
        (void)r.s64();
        if (!r.ok() || !push(kI64, at)) return false;
        break;
      case Opcode::F32Const:
        r.skip(4);
        if (!r.ok() || !push(kF32, at)) return false;
        break;
      case Opcode::F64Const:
        r.skip(8);
        if (!r.ok() || !push(kF64, at)) return false;
        break;
      case Opcode::V128Const:
        if (!features_.simd) {
          r.fail_at(at, ErrorCode::IllegalOpcode, "v128.const");
          return false;
        }
        r.skip(16);
        if (!r.ok() || !push(kV128, at)) return false;
        break;
      case Opcode::RefNull: {
        ValType t;
        if (!features_.ref_types) {
          r.fail_at(at, ErrorCode::IllegalOpcode, "ref.null");
          return false;
        }
        if (!read_ref_type(r, features_, &t) || !push(t, at)) return false;
        break;
      }
      case Opcode::RefFunc: {
        const size_t index_offset = r.offset();
        const uint32_t f = r.u32();
        if (!r.ok()) return false;
        if (!features_.ref_types) {
          r.fail_at(at, ErrorCode::IllegalOpcode, "ref.func");
          return false;
        }
        if (f >= m_.funcs.size()) {
          r.fail_at(index_offset, ErrorCode::UnknownFunction, "function " + std::to_string(f));
          return false;
        }
        func_refs_.push_back(f);
        if (!push(kFuncRef, at)) return false;
        break;
      }
      case Opcode::GlobalGet: {
        const size_t index_offset = r.offset();
        const uint32_t g = r.u32();
        if (!r.ok()) return false;
        // Wasm 2.0: only imported globals are visible to constant expressions.
        if (g >= m_.num_imported_globals) {
          r.fail_at(index_offset, ErrorCode::UnknownGlobal, "global " + std::to_string(g));
          return false;
        }
        if (m_.globals[g].type.mut) {
          r.fail_at(at, ErrorCode::ConstantExpressionRequired,
                    "global.get of mutable global " + std::to_string(g));
          return false;
        }
        if (!push(m_.globals[g].type.type, at)) return false;
        break;
      }
      default:
        r.fail_at(at, ErrorCode::ConstantExpressionRequired,
                  std::string(opcode_text(static_cast<Opcode>(op))));
        return false;
    }
  }
}

}  // namespace zinc::decoder::internal

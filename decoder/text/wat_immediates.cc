// decoder/text/wat_immediates.cc: the immediates of every instruction, one case per ImmKind
// of the opcode table (labels, indices, memargs with memory indices and 64-bit offsets, numeric
// and vector literals, type and field indices, heap types and casts, try_table catch clauses).
//
// The binary encoding written here must be what the binary decoder reads for the same kind
// (decoder/immediates.h); the natural alignment of memory instructions comes from there too.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html
#include <algorithm>
#include <bit>

#include "decoder/immediates.h"
#include "decoder/text/numbers.h"
#include "decoder/text/parser.h"

namespace zinc::decoder::text {
namespace {

bool is_number(const Token& t) { return t.kind == TokenKind::Int || t.kind == TokenKind::Float; }

}  // namespace

bool WatParser::parse_label(uint32_t* out) {
  const Token& t = peek();
  if (t.kind == TokenKind::Id) {
    std::string_view k = key(t);
    for (size_t i = labels_.size(); i-- > 0;) {
      if (labels_[i] == k) {
        *out = static_cast<uint32_t>(labels_.size() - 1 - i);
        ++pos_;
        return true;
      }
    }
    return fail(ErrorCode::UnknownLabel, t, std::string(t.text));
  }
  return parse_u32(out);
}

bool WatParser::parse_int_imm(unsigned bits, uint64_t* out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Int) return fail_unexpected(t);
  auto v = parse_int_bits(t.text, bits);
  if (!v) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
  *out = *v;
  ++pos_;
  return true;
}

bool WatParser::parse_f32_imm(uint32_t* out) {
  const Token& t = peek();
  if (!is_number(t)) return fail_unexpected(t);
  auto v = parse_f32_bits(t.text);
  if (!v) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
  *out = *v;
  ++pos_;
  return true;
}

bool WatParser::parse_f64_imm(uint64_t* out) {
  const Token& t = peek();
  if (!is_number(t)) return fail_unexpected(t);
  auto v = parse_f64_bits(t.text);
  if (!v) return fail(ErrorCode::ConstantOutOfRange, t, std::string(t.text));
  *out = *v;
  ++pos_;
  return true;
}

bool WatParser::parse_lane(uint8_t* out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Int || t.text[0] == '+' || t.text[0] == '-') return fail_unexpected(t);
  auto v = parse_uint(t.text);
  if (!v || *v > 255) return fail(ErrorCode::MalformedLaneIndex, t, std::string(t.text));
  *out = static_cast<uint8_t>(*v);
  ++pos_;
  return true;
}

// `memidx? offset=N? align=N?`. The memory index comes first; for lane instructions a lone
// number is the lane, so a number is a memory index only when more of the immediate follows.
// Offsets beyond 32 bits are text errors ("i32 constant out of range") only for a 32-bit memory
// while memory64 is off: with it, they are the validator's "offset out of range".
bool WatParser::parse_mem_arg(Opcode op) {
  uint32_t memory = 0;
  const bool lane = opcode_info(op).imm == ImmKind::MemArgLane;
  auto memarg_field = [&](const Token& t) {
    return t.kind == TokenKind::Keyword &&
           (t.text.starts_with("offset=") || t.text.starts_with("align="));
  };
  if (at(TokenKind::Id) ||
      (at(TokenKind::Int) && (!lane || peek(1).kind == TokenKind::Int || memarg_field(peek(1))))) {
    if (!parse_index(memories_, ErrorCode::UnknownMemory, &memory)) return false;
  }
  const bool wide = allows_wide_address(memory);
  uint64_t offset = 0;
  uint32_t align_log2 = natural_alignment_log2(op);
  auto field = [&](std::string_view prefix, uint64_t* v) {
    const Token& t = peek();
    if (!(t.kind == TokenKind::Keyword && t.text.starts_with(prefix))) return true;
    std::string_view num = t.text.substr(prefix.size());
    auto n = parse_uint(num);
    bool syntax_ok = !num.empty() && num.find_first_not_of("0123456789abcdefABCDEFx_") ==
                                         std::string_view::npos;
    if (!n) {
      return fail(syntax_ok ? ErrorCode::I32ConstantOutOfRange : ErrorCode::UnknownOperator, t,
                  std::string(t.text));
    }
    *v = *n;
    ++pos_;
    return true;
  };
  if (!field("offset=", &offset)) return false;
  if (offset > UINT32_MAX && !wide) {
    return fail(ErrorCode::I32ConstantOutOfRange, tokens_[pos_ - 1],
                std::string(tokens_[pos_ - 1].text) + " (offsets beyond 32 bits need memory64)");
  }
  uint64_t align = 0;
  const Token& align_tok = peek();
  if (!field("align=", &align)) return false;
  if (&align_tok != &peek()) {
    if (align == 0 || (align & (align - 1)) != 0) {
      return fail(ErrorCode::AlignmentNotPowerOfTwo, align_tok, std::string(align_tok.text));
    }
    align_log2 = static_cast<uint32_t>(std::countr_zero(align));
  }
  // Multi-memory: bit 6 of the flags announces an explicit memory index.
  body_.u32(align_log2 | (memory != 0 ? 0x40 : 0));
  if (memory != 0) body_.u32(memory);
  body_.u64(offset);
  return true;
}

bool WatParser::parse_v128_const() {
  const Token& shape = peek();
  struct Shape {
    std::string_view name;
    unsigned lanes;
    unsigned bits;
    bool is_float;
  };
  static constexpr Shape kShapes[] = {
      {"i8x16", 16, 8, false}, {"i16x8", 8, 16, false}, {"i32x4", 4, 32, false},
      {"i64x2", 2, 64, false}, {"f32x4", 4, 32, true},  {"f64x2", 2, 64, true},
  };
  const Shape* s = nullptr;
  for (const Shape& k : kShapes) {
    if (shape.kind == TokenKind::Keyword && shape.text == k.name) s = &k;
  }
  if (!s) {
    if (shape.kind == TokenKind::Keyword) return fail(ErrorCode::UnexpectedToken, shape);
    return fail_unexpected(shape);
  }
  ++pos_;
  // The lane count is checked before any lane's range.
  size_t n = 0;
  while (n <= s->lanes && is_number(peek(n))) ++n;
  if (n != s->lanes) {
    const Token& t = peek(n);
    if (n < s->lanes && t.kind != TokenKind::RParen && t.kind != TokenKind::LParen &&
        t.kind != TokenKind::Eof) {
      return fail_unexpected(t);
    }
    return fail(ErrorCode::WrongNumberOfLaneLiterals, t);
  }
  for (unsigned i = 0; i < s->lanes; ++i) {
    uint64_t bits = 0;
    if (s->is_float && s->bits == 32) {
      uint32_t f = 0;
      if (!parse_f32_imm(&f)) return false;
      bits = f;
    } else if (s->is_float) {
      if (!parse_f64_imm(&bits)) return false;
    } else if (!parse_int_imm(s->bits, &bits)) {
      return false;
    }
    for (unsigned b = 0; b < s->bits / 8; ++b) body_.u8(static_cast<uint8_t>(bits >> (8 * b)));
  }
  return true;
}

bool WatParser::parse_immediates(Opcode op, const Token& t) {
  switch (opcode_info(op).imm) {
    case ImmKind::None:
      return true;
    case ImmKind::BlockType:
      return fail(ErrorCode::UnexpectedToken, t);  // handled by the block parsers
    case ImmKind::Label: {
      uint32_t l = 0;
      if (!parse_label(&l)) return false;
      body_.u32(l);
      return true;
    }
    case ImmKind::BrTable: {
      std::vector<uint32_t> targets;
      while (at_index()) {
        uint32_t l = 0;
        if (!parse_label(&l)) return false;
        targets.push_back(l);
      }
      if (targets.empty()) return fail_unexpected(peek());
      body_.u32(static_cast<uint32_t>(targets.size() - 1));
      for (uint32_t l : targets) body_.u32(l);
      return true;
    }
    case ImmKind::Func: {
      uint32_t f = 0;
      if (!parse_index(funcs_, ErrorCode::UnknownFunction, &f)) return false;
      body_.u32(f);
      return true;
    }
    case ImmKind::CallIndirect: {
      uint32_t table = 0;
      if (at_index() && !parse_index(tables_, ErrorCode::UnknownTable, &table)) return false;
      TypeUse tu;
      uint32_t type_index = 0;
      if (!parse_type_use(&tu)) return false;
      for (const Token* id : tu.param_ids) {
        if (id) return fail(ErrorCode::UnexpectedToken, *id, std::string(id->text));
      }
      if (!resolve_type_use(tu, &type_index)) return false;
      body_.u32(type_index);
      body_.u32(table);
      return true;
    }
    case ImmKind::Local: {
      uint32_t l = 0;
      if (!parse_index(locals_, ErrorCode::UnknownLocal, &l)) return false;
      body_.u32(l);
      return true;
    }
    case ImmKind::Global: {
      uint32_t g = 0;
      if (!parse_index(globals_, ErrorCode::UnknownGlobal, &g)) return false;
      body_.u32(g);
      return true;
    }
    case ImmKind::Table: {
      uint32_t x = 0;
      if (at_index() && !parse_index(tables_, ErrorCode::UnknownTable, &x)) return false;
      body_.u32(x);
      return true;
    }
    case ImmKind::Memory: {
      uint32_t x = 0;
      if (at_index() && !parse_index(memories_, ErrorCode::UnknownMemory, &x)) return false;
      body_.u32(x);
      return true;
    }
    case ImmKind::MemArg:
      return parse_mem_arg(op);
    case ImmKind::I32: {
      uint64_t v = 0;
      if (!parse_int_imm(32, &v)) return false;
      body_.s32(static_cast<int32_t>(static_cast<uint32_t>(v)));
      return true;
    }
    case ImmKind::I64: {
      uint64_t v = 0;
      if (!parse_int_imm(64, &v)) return false;
      body_.s64(static_cast<int64_t>(v));
      return true;
    }
    case ImmKind::F32: {
      uint32_t v = 0;
      if (!parse_f32_imm(&v)) return false;
      body_.fixed32(v);
      return true;
    }
    case ImmKind::F64: {
      uint64_t v = 0;
      if (!parse_f64_imm(&v)) return false;
      body_.fixed64(v);
      return true;
    }
    case ImmKind::V128:
      return parse_v128_const();
    case ImmKind::SelectT: {
      std::vector<ValType> types;
      while (at_lparen_keyword("result")) {
        pos_ += 2;
        while (!at(TokenKind::RParen)) {
          ValType v;
          if (!parse_val_type(&v)) return false;
          types.push_back(v);
        }
        ++pos_;
      }
      body_.u32(static_cast<uint32_t>(types.size()));
      for (ValType v : types) write_val_type(body_, v);
      return true;
    }
    case ImmKind::HeapType: {
      HeapType h;
      if (!parse_heap_type(&h)) return false;
      write_heap_type(body_, h);
      return true;
    }
    case ImmKind::Elem: {
      uint32_t x = 0;
      if (!parse_index(elems_, ErrorCode::UnknownElemSegment, &x)) return false;
      body_.u32(x);
      return true;
    }
    case ImmKind::Data: {
      uint32_t x = 0;
      if (!parse_index(datas_, ErrorCode::UnknownDataSegment, &x)) return false;
      body_.u32(x);
      enc_.needs_data_count = true;
      return true;
    }
    case ImmKind::MemoryInit: {
      uint32_t mem = 0, data = 0;
      if (at_index() && (peek(1).kind == TokenKind::Int || peek(1).kind == TokenKind::Id)) {
        if (!parse_index(memories_, ErrorCode::UnknownMemory, &mem)) return false;
      }
      if (!parse_index(datas_, ErrorCode::UnknownDataSegment, &data)) return false;
      body_.u32(data);
      body_.u32(mem);
      enc_.needs_data_count = true;
      return true;
    }
    case ImmKind::MemoryCopy: {
      uint32_t dst = 0, src = 0;
      if (at_index()) {
        if (!parse_index(memories_, ErrorCode::UnknownMemory, &dst) ||
            !parse_index(memories_, ErrorCode::UnknownMemory, &src)) {
          return false;
        }
      }
      body_.u32(dst);
      body_.u32(src);
      return true;
    }
    case ImmKind::TableInit: {
      uint32_t table = 0, elem = 0;
      if (at_index() && (peek(1).kind == TokenKind::Int || peek(1).kind == TokenKind::Id)) {
        if (!parse_index(tables_, ErrorCode::UnknownTable, &table)) return false;
      }
      if (!parse_index(elems_, ErrorCode::UnknownElemSegment, &elem)) return false;
      body_.u32(elem);
      body_.u32(table);
      return true;
    }
    case ImmKind::TableCopy: {
      uint32_t dst = 0, src = 0;
      if (at_index()) {
        if (!parse_index(tables_, ErrorCode::UnknownTable, &dst) ||
            !parse_index(tables_, ErrorCode::UnknownTable, &src)) {
          return false;
        }
      }
      body_.u32(dst);
      body_.u32(src);
      return true;
    }
    case ImmKind::Shuffle: {
      // All 16 lane literals must be there before any is range-checked.
      size_t n = 0;
      while (is_number(peek(n))) ++n;
      if (n != 16) return fail(ErrorCode::InvalidLaneLength, peek(std::min<size_t>(n, 16)));
      for (int i = 0; i < 16; ++i) {
        const Token& lt = next();
        auto v = lt.kind == TokenKind::Int && lt.text[0] != '+' && lt.text[0] != '-'
                     ? parse_uint(lt.text)
                     : std::nullopt;
        if (!v || *v > 255) return fail(ErrorCode::MalformedLaneIndex, lt, std::string(lt.text));
        body_.u8(static_cast<uint8_t>(*v));
      }
      return true;
    }
    case ImmKind::Lane: {
      uint8_t lane = 0;
      if (!parse_lane(&lane)) return false;
      body_.u8(lane);
      return true;
    }
    case ImmKind::MemArgLane: {
      uint8_t lane = 0;
      if (!parse_mem_arg(op) || !parse_lane(&lane)) return false;
      body_.u8(lane);
      return true;
    }
    case ImmKind::AtomicMemArg:
      return parse_mem_arg(op);
    case ImmKind::ZeroByte:
      body_.u8(0x00);
      return true;
    case ImmKind::TypeIndex:
    case ImmKind::ArrayCopy: {
      uint32_t x = 0;
      if (!parse_index(types_, ErrorCode::UnknownType, &x)) return false;
      body_.u32(x);
      if (opcode_info(op).imm == ImmKind::ArrayCopy) {
        if (!parse_index(types_, ErrorCode::UnknownType, &x)) return false;
        body_.u32(x);
      }
      return true;
    }
    case ImmKind::StructField: {
      uint32_t x = 0, field = 0;
      if (!parse_index(types_, ErrorCode::UnknownType, &x) || !parse_field_index(x, &field)) {
        return false;
      }
      body_.u32(x);
      body_.u32(field);
      return true;
    }
    case ImmKind::ArrayNewFixed:
    case ImmKind::ArrayData:
    case ImmKind::ArrayElem: {
      uint32_t x = 0, y = 0;
      if (!parse_index(types_, ErrorCode::UnknownType, &x)) return false;
      const ImmKind k = opcode_info(op).imm;
      if (k == ImmKind::ArrayNewFixed) {
        if (!parse_u32(&y)) return false;
      } else if (k == ImmKind::ArrayData) {
        if (!parse_index(datas_, ErrorCode::UnknownDataSegment, &y)) return false;
        enc_.needs_data_count = true;
      } else if (!parse_index(elems_, ErrorCode::UnknownElemSegment, &y)) {
        return false;
      }
      body_.u32(x);
      body_.u32(y);
      return true;
    }
    case ImmKind::BrOnCast: {
      // castflags label heaptype heaptype: bit 0 / bit 1 of the flags make the source / target
      // reference type nullable.
      uint32_t l = 0;
      ValType from, to;
      if (!parse_label(&l) || !parse_ref_type(&from) || !parse_ref_type(&to)) return false;
      body_.u8(static_cast<uint8_t>((from.nullable() ? 1 : 0) | (to.nullable() ? 2 : 0)));
      body_.u32(l);
      write_heap_type(body_, from.heap());
      write_heap_type(body_, to.heap());
      return true;
    }
    case ImmKind::Tag: {
      uint32_t x = 0;
      if (!parse_index(tags_, ErrorCode::UnknownTag, &x)) return false;
      body_.u32(x);
      return true;
    }
    case ImmKind::TryTable:
      return fail(ErrorCode::UnexpectedToken, t);  // handled by the block parsers
  }
  return fail(ErrorCode::UnexpectedToken, t);
}


// `ref.test rt` / `ref.cast rt` / `ref.cast_desc_eq rt`: the text spells both rows the same; the
// written reference type's nullability picks the opcode (the table's second row is the
// nullable one), and its heap type is the immediate.
static_assert(static_cast<uint16_t>(Opcode::RefTestNull) ==
                      static_cast<uint16_t>(Opcode::RefTest) + 1 &&
                  static_cast<uint16_t>(Opcode::RefCastNull) ==
                      static_cast<uint16_t>(Opcode::RefCast) + 1 &&
                  static_cast<uint16_t>(Opcode::RefCastDescEqNull) ==
                      static_cast<uint16_t>(Opcode::RefCastDescEq) + 1,
              "opcodes_gc.def: each cast's nullable row follows its non-null row");

bool WatParser::parse_cast_op(Opcode op) {
  ValType rt;
  if (!parse_ref_type(&rt)) return false;
  if (rt.nullable()) op = static_cast<Opcode>(static_cast<uint16_t>(op) + 1);
  write_opcode(op);
  write_heap_type(body_, rt.heap());
  return true;
}

// A struct field: a number, or a name bound by the struct type `type_index`'s definition.
bool WatParser::parse_field_index(uint32_t type_index, uint32_t* out) {
  const Token& t = peek();
  if (t.kind != TokenKind::Id) return parse_u32(out);
  if (type_index >= field_names_.size()) {
    return fail(ErrorCode::UnknownField, t, std::string(t.text));
  }
  return parse_index(field_names_[type_index], ErrorCode::UnknownField, out);
}

}  // namespace zinc::decoder::text

// decoder/text/wat_instr.cc: instructions, flat and folded, with all immediates.
//
// Mnemonics come from the opcode table (opcodes.def text column) through one hash map built on
// first use; there is no hand-written list of instructions. Immediates are parsed per ImmKind.
// Labels resolve lexically (innermost first); end/else labels must repeat the block's label.
// Folded instructions emit their operands first: the instruction's own bytes wait on
// fold_stack_ until its operands are emitted.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html
#include <algorithm>
#include <bit>
#include <unordered_map>

#include "decoder/text/numbers.h"
#include "decoder/text/parser.h"

namespace zinc::decoder::text {
namespace {

struct OpcodeTables {
  std::unordered_map<std::string_view, Opcode> by_text;
  uint8_t natural_align_log2[kNumOpcodes] = {};
};

// Natural alignment from the mnemonic: `<type>.load<N>[xM][_...]` accesses N*M/8 (or N/8)
// bytes; a plain `<type>.load`/`.store` accesses the type's width.
uint8_t natural_align_log2(std::string_view text) {
  size_t dot = text.find('.');
  std::string_view type = text.substr(0, dot);
  std::string_view op = text.substr(dot + 1);
  size_t i = op.starts_with("load") ? 4 : op.starts_with("store") ? 5 : 0;
  uint32_t bits = 0;
  while (i < op.size() && op[i] >= '0' && op[i] <= '9') bits = bits * 10 + (op[i++] - '0');
  if (bits != 0 && i < op.size() && op[i] == 'x') {
    uint32_t lanes = 0;
    ++i;
    while (i < op.size() && op[i] >= '0' && op[i] <= '9') lanes = lanes * 10 + (op[i++] - '0');
    bits *= lanes;
  }
  if (bits == 0) {
    bits = type == "v128" ? 128 : (type == "i64" || type == "f64") ? 64 : 32;
  }
  return static_cast<uint8_t>(std::countr_zero(bits / 8));
}

const OpcodeTables& opcode_tables() {
  static const OpcodeTables tables = [] {
    OpcodeTables t;
    t.by_text.reserve(kNumOpcodes * 2);
    for (uint16_t i = 0; i < kNumOpcodes; ++i) {
      const OpcodeInfo& info = kOpcodeInfo[i];
      t.by_text.try_emplace(info.text, static_cast<Opcode>(i));  // `select` keeps the untyped row
      if (info.imm == ImmKind::MemArg || info.imm == ImmKind::MemArgLane) {
        t.natural_align_log2[i] = natural_align_log2(info.text);
      }
    }
    return t;
  }();
  return tables;
}

bool is_number(const Token& t) { return t.kind == TokenKind::Int || t.kind == TokenKind::Float; }

}  // namespace

bool is_instruction_keyword(std::string_view text) {
  return opcode_tables().by_text.contains(text);
}

void WatParser::write_opcode(Opcode op) {
  const OpcodeInfo& info = opcode_info(op);
  if (info.prefix != 0) {
    body_.u8(info.prefix);
    body_.u32(info.code);
  } else {
    body_.u8(static_cast<uint8_t>(info.code));
  }
}

bool WatParser::parse_instrs() {
  const size_t base = flat_blocks_.size();
  while (ok()) {
    const Token& t = peek();
    if (t.kind == TokenKind::LParen) {
      if (!parse_folded_instr()) return false;
    } else if (t.kind == TokenKind::Keyword) {
      if (t.text == "end" || t.text == "else") {
        // With no flat block of this call open, they belong to the enclosing construct.
        if (flat_blocks_.size() == base) return true;
        if (!close_block_plain(t)) return false;
      } else if (!parse_plain_instr()) {
        return false;
      }
    } else if (t.kind == TokenKind::RParen || t.kind == TokenKind::Eof) {
      if (flat_blocks_.size() != base) return fail_unexpected(t);  // a flat block lacks `end`
      return true;
    } else {
      return fail_unexpected(t);
    }
  }
  return false;
}

bool WatParser::parse_expr_end() {
  if (!parse_instrs()) return false;
  if (!at(TokenKind::RParen)) return fail_unexpected(peek());
  body_.u8(0x0B);
  return true;
}

bool WatParser::check_end_label(std::string_view label) {
  if (!at(TokenKind::Id)) return true;
  const Token& id = next();
  if (label.empty() || key(id) != label) return fail(ErrorCode::MismatchingLabel, id);
  return true;
}

bool WatParser::parse_plain_instr() {
  const Token& t = next();
  const auto& map = opcode_tables().by_text;
  auto it = map.find(t.text);
  if (it == map.end()) return fail_unexpected(t);
  Opcode op = it->second;
  if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If) return open_block_plain(op);
  return emit_op(op, t);
}

// Flat `block`/`loop`/`if`: the header here; the body continues in parse_instrs' loop.
bool WatParser::open_block_plain(Opcode op) {
  std::string_view label;
  if (at(TokenKind::Id)) label = key(next());
  BlockType bt;
  if (!parse_block_type(&bt)) return false;
  write_opcode(op);
  write_block_type(bt);
  labels_.push_back(label);
  flat_blocks_.push_back({op, false});
  return true;
}

// `else` or `end` (the token `t` at the cursor) of the innermost open flat block.
bool WatParser::close_block_plain(const Token& t) {
  FlatBlock& b = flat_blocks_.back();
  ++pos_;
  if (t.text == "else") {
    if (b.op != Opcode::If || b.in_else) return fail_unexpected(t);
    b.in_else = true;
    if (!check_end_label(labels_.back())) return false;
    body_.u8(0x05);
    return true;
  }
  if (!check_end_label(labels_.back())) return false;
  body_.u8(0x0B);
  labels_.pop_back();
  flat_blocks_.pop_back();
  return true;
}

bool WatParser::parse_block_folded(Opcode op) {
  std::string_view label;
  if (at(TokenKind::Id)) label = key(next());
  BlockType bt;
  if (!parse_block_type(&bt)) return false;
  if (op != Opcode::If) {
    write_opcode(op);
    write_block_type(bt);
    labels_.push_back(label);
    if (!parse_instrs() || !expect_rparen()) return false;
    body_.u8(0x0B);
    labels_.pop_back();
    return true;
  }
  // (if label bt condition* (then instr*) (else instr*)?)
  while (at(TokenKind::LParen) && !at_lparen_keyword("then")) {
    if (!parse_folded_instr()) return false;
  }
  write_opcode(op);
  write_block_type(bt);
  labels_.push_back(label);
  if (!expect_lparen_keyword("then") || !parse_instrs() || !expect_rparen()) return false;
  if (at_lparen_keyword("else")) {
    pos_ += 2;
    body_.u8(0x05);
    if (!parse_instrs() || !expect_rparen()) return false;
  }
  if (!expect_rparen()) return false;
  body_.u8(0x0B);
  labels_.pop_back();
  return true;
}

bool WatParser::parse_folded_instr() {
  if (folded_depth_ >= kMaxFoldedDepth) {
    return fail(ErrorCode::ImplementationLimit, peek(), "folded instructions nested too deeply");
  }
  struct DepthGuard {
    uint32_t& depth;
    explicit DepthGuard(uint32_t& d) : depth(d) { ++depth; }
    ~DepthGuard() { --depth; }
  } guard(folded_depth_);
  ++pos_;  // `(`
  const Token& t = next();
  if (t.kind != TokenKind::Keyword) return fail_unexpected(t);
  const auto& map = opcode_tables().by_text;
  auto it = map.find(t.text);
  if (it == map.end()) return fail_unexpected(t);
  Opcode op = it->second;
  if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If) return parse_block_folded(op);
  // Emit the instruction, move its bytes aside, emit the operands, then put it back.
  size_t mark = body_.size();
  if (!emit_op(op, t)) return false;
  size_t stack_mark = fold_stack_.size();
  fold_stack_.insert(fold_stack_.end(), body_.vec().begin() + mark, body_.vec().end());
  body_.truncate(mark);
  while (at(TokenKind::LParen)) {
    if (!parse_folded_instr()) return false;
  }
  if (!expect_rparen()) return false;
  body_.bytes(fold_stack_.data() + stack_mark, fold_stack_.size() - stack_mark);
  fold_stack_.resize(stack_mark);
  return true;
}

bool WatParser::emit_op(Opcode op, const Token& t) {
  if (op == Opcode::Select && at_lparen_keyword("result")) op = Opcode::SelectT;
  if (op == Opcode::Else || op == Opcode::End) return fail(ErrorCode::UnexpectedToken, t);
  write_opcode(op);
  return parse_immediates(op, t);
}

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

bool WatParser::parse_mem_arg(Opcode op) {
  uint64_t offset = 0;
  uint32_t align_log2 = opcode_tables().natural_align_log2[static_cast<size_t>(op)];
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
  if (offset > UINT32_MAX) return fail(ErrorCode::I32ConstantOutOfRange, tokens_[pos_ - 1]);
  uint64_t align = 0;
  const Token& align_tok = peek();
  if (!field("align=", &align)) return false;
  if (&align_tok != &peek()) {
    if (align == 0 || (align & (align - 1)) != 0) {
      return fail(ErrorCode::AlignmentNotPowerOfTwo, align_tok, std::string(align_tok.text));
    }
    align_log2 = static_cast<uint32_t>(std::countr_zero(align));
  }
  body_.u32(align_log2);
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
  }
  return fail(ErrorCode::UnexpectedToken, t);
}

}  // namespace zinc::decoder::text

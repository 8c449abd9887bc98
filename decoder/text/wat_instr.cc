// decoder/text/wat_instr.cc: instruction sequences, flat and folded, and the block structure:
// block/loop/if, try_table with its catch clauses, and the legacy try/catch/catch_all/delegate.
//
// Mnemonics come from the opcode table (opcodes.def text column) through one hash map built on
// first use; there is no hand-written list of instructions. Immediates are parsed per ImmKind
// in wat_immediates.cc. Labels resolve lexically (innermost first); end/else labels must repeat
// the block's label; try_table catch labels and a delegate's label resolve outside their block.
// Folded instructions emit their operands first: the instruction's own bytes wait on
// fold_stack_ until its operands are emitted.
// Spec: https://webassembly.github.io/spec/core/text/instructions.html
#include <algorithm>
#include <iterator>
#include <unordered_map>

#include "decoder/text/parser.h"

namespace zinc::decoder::text {
namespace {

struct OpcodeTables {
  std::unordered_map<std::string_view, Opcode> by_text;
};

const OpcodeTables& opcode_tables() {
  static const OpcodeTables tables = [] {
    OpcodeTables t;
    t.by_text.reserve(kNumOpcodes * 2);
    // The first row of a mnemonic wins: `select` keeps the untyped row, `ref.test`/`ref.cast`
    // the non-null one (parse_cast_op picks the other from the written type).
    for (uint16_t i = 0; i < kNumOpcodes; ++i) {
      t.by_text.try_emplace(kOpcodeInfo[i].text, static_cast<Opcode>(i));
    }
    return t;
  }();
  return tables;
}

bool is_block_op(Opcode op) {
  return op == Opcode::Block || op == Opcode::Loop || op == Opcode::If || op == Opcode::TryTable ||
         op == Opcode::Try;
}

// Keywords that continue or end the innermost flat block.
bool is_block_continuation(std::string_view t) {
  return t == "end" || t == "else" || t == "catch" || t == "catch_all" || t == "delegate";
}

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
      if (is_block_continuation(t.text)) {
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
  if (is_block_op(op)) return open_block_plain(op);
  return emit_op(op, t);
}

// Flat `block`/`loop`/`if`/`try_table`/`try`: the header here; the body continues in
// parse_instrs' loop.
bool WatParser::open_block_plain(Opcode op) {
  if (!parse_block_header(op)) return false;
  flat_blocks_.push_back({op, false});
  return true;
}

// `label? blocktype`, and for try_table its catch clauses, whose labels are resolved before the
// try_table's own label is pushed (they branch from outside the block).
bool WatParser::parse_block_header(Opcode op) {
  std::string_view label;
  if (at(TokenKind::Id)) label = key(next());
  BlockType bt;
  if (!parse_block_type(&bt)) return false;
  ByteWriter catches;
  if (op == Opcode::TryTable && !parse_catch_clauses(&catches)) return false;
  write_opcode(op);
  write_block_type(bt);
  body_.append(catches);
  labels_.push_back(label);
  return true;
}

// try_table's `(catch x l)`, `(catch_ref x l)`, `(catch_all l)`, `(catch_all_ref l)`*, encoded
// as vec(catch) with the clause kinds 0-3.
bool WatParser::parse_catch_clauses(ByteWriter* out) {
  static constexpr std::string_view kKinds[] = {"catch", "catch_ref", "catch_all",
                                                "catch_all_ref"};
  uint32_t count = 0;
  ByteWriter clauses;
  while (at(TokenKind::LParen) && peek(1).kind == TokenKind::Keyword) {
    const auto* kind = std::find(std::begin(kKinds), std::end(kKinds), peek(1).text);
    if (kind == std::end(kKinds)) break;
    pos_ += 2;
    const uint8_t code = static_cast<uint8_t>(kind - std::begin(kKinds));
    clauses.u8(code);
    uint32_t x = 0;
    if (code < 2) {
      if (!parse_index(tags_, ErrorCode::UnknownTag, &x)) return false;
      clauses.u32(x);
    }
    if (!parse_label(&x) || !expect_rparen()) return false;
    clauses.u32(x);
    ++count;
  }
  out->u32(count);
  out->append(clauses);
  return true;
}

// `else`, `end`, or a legacy `catch x`, `catch_all`, `delegate l` (the token `t` at the
// cursor) of the innermost open flat block.
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
  if (t.text == "catch" || t.text == "catch_all") {
    if (b.op != Opcode::Try || b.catch_all) return fail_unexpected(t);
    b.in_else = true;
    b.catch_all = t.text == "catch_all";
    return emit_op(b.catch_all ? Opcode::CatchAll : Opcode::Catch, t);
  }
  if (t.text == "delegate") {
    // Ends the try; its label is resolved outside it.
    if (b.op != Opcode::Try || b.in_else) return fail_unexpected(t);
    labels_.pop_back();
    flat_blocks_.pop_back();
    return emit_op(Opcode::Delegate, t);
  }
  if (!check_end_label(labels_.back())) return false;
  body_.u8(0x0B);
  labels_.pop_back();
  flat_blocks_.pop_back();
  return true;
}

bool WatParser::parse_block_folded(Opcode op) {
  if (op != Opcode::If) {
    if (!parse_block_header(op)) return false;
    if (!parse_instrs() || !expect_rparen()) return false;
    body_.u8(0x0B);
    labels_.pop_back();
    return true;
  }
  // (if label bt condition* (then instr*) (else instr*)?)
  std::string_view label;
  if (at(TokenKind::Id)) label = key(next());
  BlockType bt;
  if (!parse_block_type(&bt)) return false;
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

// Legacy exception handling, folded: `(try label? bt (do instr*) (catch x instr*)*
// (catch_all instr*)?)` or `(try label? bt (do instr*) (delegate l))`.
bool WatParser::parse_try_folded() {
  if (!parse_block_header(Opcode::Try)) return false;
  if (!expect_lparen_keyword("do") || !parse_instrs() || !expect_rparen()) return false;
  if (at_lparen_keyword("delegate")) {
    pos_ += 2;
    labels_.pop_back();  // the delegate's label is resolved outside the try
    write_opcode(Opcode::Delegate);
    uint32_t l = 0;
    if (!parse_label(&l)) return false;
    body_.u32(l);
    return expect_rparen() && expect_rparen();
  }
  while (at_lparen_keyword("catch")) {
    pos_ += 2;
    write_opcode(Opcode::Catch);
    uint32_t x = 0;
    if (!parse_index(tags_, ErrorCode::UnknownTag, &x)) return false;
    body_.u32(x);
    if (!parse_instrs() || !expect_rparen()) return false;
  }
  if (at_lparen_keyword("catch_all")) {
    pos_ += 2;
    write_opcode(Opcode::CatchAll);
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
  // `catch`, `catch_all` and `delegate` continue a `try`; folded, they are out of place.
  if (is_block_continuation(t.text)) return fail(ErrorCode::UnexpectedToken, t);
  if (op == Opcode::Try) return parse_try_folded();
  if (is_block_op(op)) return parse_block_folded(op);
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
  if (op == Opcode::RefTest || op == Opcode::RefCast || op == Opcode::RefCastDescEq) {
    return parse_cast_op(op);
  }
  write_opcode(op);
  return parse_immediates(op, t);
}

}  // namespace zinc::decoder::text

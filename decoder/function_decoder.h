// decoder/function_decoder.h: THE single-pass decode loop over one function body, shared by
// the validator and every later tier (STYLE.md "One decoder, several clients"; V8's
// WasmFullDecoder).
//
// FunctionDecoder<Interface> decodes the locals and every instruction of a body once, checks the
// Wasm 2.0 validation rules with an operand stack of ValType and a stack of control frames, and
// calls Interface callbacks (no virtual calls) so an interpreter translator or JIT can build
// its code in the same pass. The validator is FunctionDecoder<NullInterface>.
//
// Invariants:
//  - Dispatch is a switch generated from opcodes.def. Rows whose signature is not "*" go through
//    the table-driven generic path (decode immediates by kind, pop params, push results); only
//    "*" rows have hand-written handlers (decode_special).
//  - The first error is sticky (kept in the Reader) and carries the byte offset of the failing
//    instruction (or of the malformed immediate). Nothing is allocated per instruction; buffers
//    (DecoderBuffers) are reused across bodies, and grow with the bytes actually decoded.
//  - Callbacks run after the instruction's inputs were popped and type-checked and before its
//    results are pushed, so `stack_height()` in a callback is the height of the first input's
//    slot (the result goes there). on_block/on_loop/on_if run with the new frame pushed and its
//    params popped (so reachability of the code before them is control_at(1)'s); on_else and
//    on_end run with the branch's results popped and before the frame is reset or popped, so
//    is_reachable() tells whether the end of the branch is reachable.
//    Callbacks also fire in unreachable code; `is_reachable()` tells the interface.
// Spec: https://webassembly.github.io/spec/core/valid/instructions.html
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "decoder/errors.h"
#include "decoder/immediates.h"
#include "decoder/impl_limits.h"
#include "decoder/module.h"
#include "decoder/opcodes.h"
#include "decoder/reader.h"
#include "decoder/type_reader.h"
#include "decoder/types.h"
#include "decoder/wasm_features.h"

namespace zinc::decoder {

enum class ControlKind : uint8_t { Block, Loop, If, Else, Func };

/// One entry of the control stack.
struct ControlFrame {
  ControlKind kind = ControlKind::Block;
  bool unreachable = false;   // the rest of this frame is dead code (polymorphic stack)
  uint32_t height = 0;        // operand stack height at entry, below the block's params
  uint32_t start_offset = 0;  // module offset of the block/loop/if instruction
  BlockType block;
  uint32_t num_params = 0;
  uint32_t num_results = 0;

  const ValType* params() const { return params_; }
  const ValType* results() const {
    return block.kind == BlockType::Kind::Value ? &block.type : results_;
  }
  /// Types a branch to this frame carries: the params of a loop, the results otherwise.
  uint32_t label_arity() const { return kind == ControlKind::Loop ? num_params : num_results; }
  const ValType* label_types() const { return kind == ControlKind::Loop ? params() : results(); }

  const ValType* params_ = nullptr;
  const ValType* results_ = nullptr;
};

/// Scratch storage reused across bodies so validating many functions does not reallocate.
struct DecoderBuffers {
  std::vector<ValType> stack;
  std::vector<ControlFrame> control;
  std::vector<ValType> locals;  // params then declared locals
};

/// The decoder's state that interfaces may read: value and control stacks, locals.
class DecoderState {
 public:
  DecoderState(const Module& module, const Features& features, DecoderBuffers& buffers)
      : module_(module), features_(features), buf_(buffers) {}

  const Module& module() const { return module_; }
  const Features& features() const { return features_; }
  /// Current operand stack height (values).
  uint32_t stack_height() const { return static_cast<uint32_t>(sp_ - stack_base_); }
  /// The operand stack, bottom first; entries may be kBot in unreachable code.
  const ValType* stack() const { return stack_base_; }
  uint32_t control_depth() const { return static_cast<uint32_t>(buf_.control.size()); }
  /// Control frame `depth` levels out (0 = innermost), as a branch label counts.
  const ControlFrame& control_at(uint32_t depth) const {
    return buf_.control[buf_.control.size() - 1 - depth];
  }
  bool is_reachable() const { return !buf_.control.empty() && !buf_.control.back().unreachable; }
  /// Params then declared locals.
  const std::vector<ValType>& locals() const { return buf_.locals; }
  /// Module offset of the instruction being decoded.
  size_t instruction_offset() const { return r_.offset_of(instr_start_); }

 protected:
  const Module& module_;
  const Features& features_;
  DecoderBuffers& buf_;
  Reader r_;
  const uint8_t* instr_start_ = nullptr;
  ValType* stack_base_ = nullptr;
  ValType* sp_ = nullptr;
  ValType* stack_end_ = nullptr;
};

/// The validator's interface: every callback is empty and inlined away.
struct NullInterface {
  void on_locals() {}       // after the local declarations, before the first instruction
  void on_instruction() {}  // before each instruction is decoded
  void on_simple(Opcode) {}
  void on_unreachable() {}
  void on_const_i32(int32_t) {}
  void on_const_i64(int64_t) {}
  void on_const_f32(uint32_t /*bits*/) {}
  void on_const_f64(uint64_t /*bits*/) {}
  void on_const_v128(const V128&) {}
  void on_mem_op(Opcode, const MemArg&) {}  // loads and stores
  void on_mem_lane_op(Opcode, const MemArgLane&) {}
  void on_lane_op(Opcode, uint8_t /*lane*/) {}  // extract/replace lane
  void on_shuffle(const V128&) {}
  void on_memory_op(Opcode, uint32_t /*mem*/) {}  // memory.size/grow/fill
  void on_memory_init(uint32_t /*data*/, uint32_t /*mem*/) {}
  void on_memory_copy(uint32_t /*dst*/, uint32_t /*src*/) {}
  void on_data_drop(uint32_t) {}
  void on_local_get(uint32_t) {}
  void on_local_set(uint32_t) {}
  void on_local_tee(uint32_t) {}
  void on_global_get(uint32_t) {}
  void on_global_set(uint32_t) {}
  void on_block(const ControlFrame&) {}
  void on_loop(const ControlFrame&) {}
  void on_if(const ControlFrame&) {}
  void on_else(const ControlFrame&) {}
  void on_end(const ControlFrame&) {}  // before the frame is popped; Func frame last
  void on_br(uint32_t /*depth*/) {}
  void on_br_if(uint32_t /*depth*/) {}
  void on_br_table(const BrTable&) {}  // re-read targets with BrTableIterator
  void on_return() {}
  void on_call(uint32_t /*func*/) {}
  void on_call_indirect(const CallIndirect&) {}
  void on_drop() {}
  void on_select(ValType) {}  // kBot when both operands come from dead code
  void on_ref_null(HeapType) {}
  void on_ref_is_null() {}
  void on_ref_func(uint32_t) {}
  void on_table_op(Opcode, uint32_t /*table*/) {}  // table.get/set/size/grow/fill
  void on_table_init(uint32_t /*elem*/, uint32_t /*table*/) {}
  void on_table_copy(uint32_t /*dst*/, uint32_t /*src*/) {}
  void on_elem_drop(uint32_t) {}
};

template <typename Interface>
class FunctionDecoder : public DecoderState {
 public:
  FunctionDecoder(const Module& module, const Features& features, DecoderBuffers& buffers,
                  Interface& iface)
      : DecoderState(module, features, buffers), iface_(iface) {
    for (size_t i = 0; i < kNumFeatures; ++i) {
      feature_on_[i] = features.has(static_cast<Feature>(i));
    }
  }

  /// Decodes and validates `body` (body.range must lie inside module.bytes and
  /// body.func_index name a defined function). Fills local_runs, num_locals, code,
  /// max_stack_height and max_control_depth. Returns false with `error()` set on failure.
  bool decode(FunctionBody& body);
  /// The first error. Running out of body bytes is reported as the spec's "unexpected end of
  /// section or function" (a body is a sized region), of which "unexpected end" is a prefix.
  Error error() const {
    if (malformed_) return *malformed_;
    Error e = r_.error();
    if (e.code == ErrorCode::UnexpectedEnd) e.code = ErrorCode::UnexpectedEndOfSection;
    return e;
  }

 private:
  // ---- errors ----
  void fail(ErrorCode code, std::string detail = {}) {
    r_.fail_at(instruction_offset(), code, std::move(detail));
  }
  void type_error(ValType expected, ValType got) {
    fail(ErrorCode::TypeMismatch, "expected " + to_string(expected) + ", got " + to_string(got));
  }

  // ---- operand stack ----
  void grow_stack();
  ZINC_ALWAYS_INLINE void push(ValType t) {
    if (sp_ == stack_end_) grow_stack();
    *sp_++ = t;
    if (sp_ > max_sp_) max_sp_ = sp_;
  }
  ZINC_ALWAYS_INLINE uint32_t frame_height() const { return buf_.control.back().height; }
  /// Re-caches the innermost frame's stack base (after the control stack or the operand
  /// stack's storage changed), so pops compare against one pointer.
  void sync_frame() {
    frame_base_ = buf_.control.empty() ? stack_base_ : stack_base_ + frame_height();
  }
  /// Pops a value of type `expected` (kBot from a polymorphic stack). Fails on mismatch.
  ZINC_ALWAYS_INLINE ValType pop(ValType expected) {
    if (sp_ > frame_base_) [[likely]] {
      const ValType got = *--sp_;
      if (got == expected || got.is_bot()) [[likely]]
        return expected;
      type_error(expected, got);
      return expected;
    }
    if (!buf_.control.back().unreachable) type_error(expected, kBot);
    return kBot;
  }
  /// Pops any value (drop, select); kBot from a polymorphic stack.
  ZINC_ALWAYS_INLINE ValType pop_any() {
    if (sp_ > frame_base_) [[likely]]
      return *--sp_;
    if (!buf_.control.back().unreachable) {
      fail(ErrorCode::TypeMismatch, "expected a value, stack is empty");
    }
    return kBot;
  }
  void pop_types(const ValType* types, uint32_t n) {
    for (uint32_t i = n; i-- > 0;) pop(types[i]);
  }
  void push_types(const ValType* types, uint32_t n) {
    for (uint32_t i = 0; i < n; ++i) push(types[i]);
  }
  /// Checks that the top of the stack holds `types` without popping (branch operands).
  void check_stack_top(const ValType* types, uint32_t n);
  void set_unreachable() {
    sp_ = frame_base_;
    buf_.control.back().unreachable = true;
  }

  // ---- helpers ----
  bool decode_locals(FunctionBody& body);
  /// Structure-only pass (no types) from `r` with the given open blocks (true = an `if` still
  /// waiting for its `else`): the first malformed error, if any. Used after a validation error
  /// so that, as in the spec (which parses a body before validating it), a malformed body is
  /// reported as malformed even when an earlier instruction is invalid; and, with `past_body`,
  /// to continue past a body that lacks its final `end` the way the reference parser does
  /// (it does not stop at the declared size): reaching the final `end` there is a "section size
  /// mismatch", a stray `else` "END opcode expected", the module's end "unexpected end".
  std::optional<Error> scan_structure(Reader r, std::vector<bool> open_ifs, bool past_body) const;
  void skip_immediates(Reader& r, ImmKind kind) const;
  ValType addr_type(uint32_t mem_index) const {
    if (!has_mem64_) [[likely]]
      return kI32;
    return module_.memories[mem_index].limits.is64 ? kI64 : kI32;
  }
  static constexpr ValType sig_type(SigType t, ValType addr) {
    switch (t) {
      case SigType::I32:
        return kI32;
      case SigType::I64:
        return kI64;
      case SigType::F32:
        return kF32;
      case SigType::F64:
        return kF64;
      case SigType::V128:
        return kV128;
      case SigType::Addr:
        return addr;
    }
    return kI32;
  }
  bool check_memory(uint32_t index) {
    if (index < module_.memories.size()) [[likely]]
      return true;
    fail(ErrorCode::UnknownMemory, std::to_string(index));
    return false;
  }
  bool check_table(uint32_t index) {
    if (index < module_.tables.size()) return true;
    fail(ErrorCode::UnknownTable, std::to_string(index));
    return false;
  }
  bool check_data(uint32_t index);
  bool check_elem(uint32_t index) {
    if (index < module_.elems.size()) return true;
    fail(ErrorCode::UnknownElemSegment, std::to_string(index));
    return false;
  }
  bool check_lane(uint32_t lanes, uint8_t lane) {
    if (lane < lanes) [[likely]]
      return true;
    fail(ErrorCode::InvalidLaneIndex, std::to_string(lane));
    return false;
  }
  ZINC_ALWAYS_INLINE bool check_mem_arg(uint32_t natural_align_log2, const MemArg& m) {
    if (!check_memory(m.mem_index)) return false;
    if (m.align_log2 > natural_align_log2) [[unlikely]] {
      fail(ErrorCode::AlignmentTooLarge);
      return false;
    }
    return true;
  }
  /// Resolves a block type into the frame's params/results; false (with error) if invalid.
  bool resolve_block_type(ControlFrame& f);
  const ControlFrame* label(uint32_t depth) {
    if (depth < buf_.control.size()) [[likely]]
      return &control_at(depth);
    fail(ErrorCode::UnknownLabel, std::to_string(depth));
    return nullptr;
  }

  // ---- instructions ----
  /// The handler of one single-byte encoding (an opcode, a prefix or an illegal byte).
  template <uint8_t kByte>
  ZINC_ALWAYS_INLINE void decode_byte();
  /// Feature check, then the special or generic handler of one instruction.
  template <Opcode kOp>
  ZINC_ALWAYS_INLINE void decode_op();
  /// 0xFC/0xFD: reads the sub-opcode and dispatches over the prefixed rows.
  void decode_prefixed(uint8_t prefix);
  template <Opcode kOp>
  ZINC_ALWAYS_INLINE void decode_generic();
  ZINC_ALWAYS_INLINE void decode_special(Opcode op);
  void decode_block(ControlKind kind);
  void decode_else();
  bool decode_end();  // true when the function's final end was decoded
  void decode_br_table();
  void decode_call(bool indirect);
  void decode_select(bool typed);
  void decode_variable(Opcode op);
  void decode_table_op(Opcode op);
  void decode_ref_op(Opcode op);
  void decode_bulk_op(Opcode op);

  Interface& iface_;
  bool feature_on_[kNumFeatures] = {};
  bool done_ = false;
  std::optional<Error> malformed_;  // set when scan_structure overrides a validation error
  ValType* frame_base_ = nullptr;  // stack_base_ + the innermost frame's height
  size_t num_locals_ = 0;          // buf_.locals.size(), params included
  bool has_mem64_ = false;         // some memory is 64-bit (else every address is i32)
  ValType* max_sp_ = nullptr;      // highest sp_ seen
  uint32_t max_depth_ = 0;
};

// ===================================================================================
// Implementation
// ===================================================================================

template <typename Interface>
void FunctionDecoder<Interface>::grow_stack() {
  const size_t height = stack_height();
  const size_t max_height = static_cast<size_t>(max_sp_ - stack_base_);
  const size_t cap = buf_.stack.size() < 64 ? 64 : buf_.stack.size() * 2;
  buf_.stack.resize(cap);
  stack_base_ = buf_.stack.data();
  sp_ = stack_base_ + height;
  max_sp_ = stack_base_ + max_height;
  stack_end_ = stack_base_ + cap;
  sync_frame();
}

template <typename Interface>
void FunctionDecoder<Interface>::check_stack_top(const ValType* types, uint32_t n) {
  const ValType* base = stack_base_ + frame_height();
  const bool unreachable = buf_.control.back().unreachable;
  for (uint32_t i = 0; i < n; ++i) {
    const ValType* slot = sp_ - 1 - i;
    const ValType expected = types[n - 1 - i];
    if (slot < base) {
      if (!unreachable) type_error(expected, kBot);
      return;
    }
    if (!(*slot == expected) && !slot->is_bot()) {
      type_error(expected, *slot);
      return;
    }
  }
}

template <typename Interface>
bool FunctionDecoder<Interface>::check_data(uint32_t index) {
  if (!module_.data_count) {
    fail(ErrorCode::DataCountRequired);
    return false;
  }
  if (index < *module_.data_count) return true;
  fail(ErrorCode::UnknownDataSegment, std::to_string(index));
  return false;
}

template <typename Interface>
bool FunctionDecoder<Interface>::resolve_block_type(ControlFrame& f) {
  f.num_params = 0;
  f.num_results = 0;
  f.params_ = nullptr;
  f.results_ = nullptr;
  switch (f.block.kind) {
    case BlockType::Kind::Empty:
      return true;
    case BlockType::Kind::Value:
      f.num_results = 1;
      return true;
    case BlockType::Kind::TypeIndex: {
      const uint32_t idx = f.block.type_index;
      if (idx >= module_.types.size() || module_.types[idx].kind != CompositeKind::Func) {
        fail(ErrorCode::UnknownType, std::to_string(idx));
        return false;
      }
      const FuncType& ft = module_.types[idx].func;
      f.params_ = ft.params.data();
      f.num_params = static_cast<uint32_t>(ft.params.size());
      f.results_ = ft.results.data();
      f.num_results = static_cast<uint32_t>(ft.results.size());
      return true;
    }
  }
  return true;
}

template <typename Interface>
bool FunctionDecoder<Interface>::decode_locals(FunctionBody& body) {
  const FuncType& ft = module_.func_type(body.func_index);
  buf_.locals.assign(ft.params.begin(), ft.params.end());
  body.local_runs.clear();
  const uint32_t num_runs = r_.count(2);
  uint64_t total = 0;
  for (uint32_t i = 0; i < num_runs && r_.ok(); ++i) {
    const size_t at = r_.offset();
    const uint32_t n = r_.u32();
    ValType t;
    if (!read_val_type(r_, features_, &t)) return false;
    total += n;
    if (total + ft.params.size() > limits::kMaxFunctionLocals) {
      r_.fail_at(at, ErrorCode::TooManyLocals,
                 "more than " + std::to_string(limits::kMaxFunctionLocals));
      return false;
    }
    body.local_runs.push_back({n, t});
    buf_.locals.insert(buf_.locals.end(), n, t);
  }
  body.num_locals = static_cast<uint32_t>(total);
  return r_.ok();
}

template <typename Interface>
std::optional<Error> FunctionDecoder<Interface>::scan_structure(Reader r,
                                                                 std::vector<bool> open_ifs,
                                                                 bool past_body) const {
  auto malformed = [&]() -> std::optional<Error> {
    if (r.ok() || !is_malformed(r.error().code)) return std::nullopt;
    Error e = r.error();
    if (e.code == ErrorCode::UnexpectedEnd) e.code = ErrorCode::UnexpectedEndOfSection;
    return e;
  };
  while (!r.at_end()) {
    const size_t at = r.offset();
    const uint8_t byte = r.u8();
    uint16_t code16 = kSingleByteOpcodes[byte];
    if (code16 == kInvalidOpcode) {
      std::optional<Opcode> op;
      if (is_prefix_byte(byte) && feature_on_[static_cast<int>(prefix_feature(byte))]) {
        const uint32_t sub = r.u32();
        if (!r.ok()) return malformed();
        op = decode_prefixed_opcode(byte, sub);
      }
      if (!op) {
        r.fail_at(at, ErrorCode::IllegalOpcode);
        return malformed();
      }
      code16 = static_cast<uint16_t>(*op);
    }
    const Opcode op = static_cast<Opcode>(code16);
    const OpcodeInfo& info = opcode_info(op);
    if (!feature_on_[static_cast<int>(info.feature)]) {
      r.fail_at(at, ErrorCode::IllegalOpcode);
      return malformed();
    }
    if ((op == Opcode::MemoryInit || op == Opcode::DataDrop) && !module_.data_count) {
      r.fail_at(at, ErrorCode::DataCountRequired);
      return malformed();
    }
    skip_immediates(r, info.imm);
    if (!r.ok()) return malformed();
    if (op == Opcode::Block || op == Opcode::Loop || op == Opcode::If ||
        op == Opcode::TryTable || op == Opcode::Try) {
      open_ifs.push_back(op == Opcode::If);
    } else if (op == Opcode::Delegate) {  // ends a legacy `try` like `end`
      open_ifs.pop_back();
      if (open_ifs.empty()) {
        r.fail_at(at, ErrorCode::IllegalOpcode, "delegate outside a try");
        return malformed();
      }
    } else if (op == Opcode::Else) {
      // The reference parser ends an instruction sequence at `else` and then requires the
      // `end` of anything but an `if`.
      if (!open_ifs.back()) {
        r.fail_at(at, ErrorCode::EndOpcodeExpected);
        return malformed();
      }
      open_ifs.back() = false;
    } else if (op == Opcode::End) {
      open_ifs.pop_back();
      if (open_ifs.empty()) {
        if (past_body) {
          r.fail_at(at, ErrorCode::SectionSizeMismatch, "function body overruns its size");
          return malformed();
        }
        if (r.at_end()) return std::nullopt;
        r.fail(ErrorCode::SectionSizeMismatch, "bytes after the function's final end");
        return malformed();
      }
    }
  }
  r.fail(ErrorCode::UnexpectedEndOfSection, "function body without final end");
  return malformed();
}

template <typename Interface>
void FunctionDecoder<Interface>::skip_immediates(Reader& r, ImmKind kind) const {
  MemArg mem;
  BlockType bt;
  BrTable bt_imm;
  CallIndirect ci;
  SelectT st;
  HeapType ht;
  switch (kind) {
    case ImmKind::None:
      break;
    case ImmKind::BlockType:
      read_block_type(r, features_, &bt);
      break;
    case ImmKind::Label:
    case ImmKind::Func:
    case ImmKind::Local:
    case ImmKind::Global:
    case ImmKind::Table:
    case ImmKind::Elem:
    case ImmKind::Data:
      (void)r.u32();
      break;
    case ImmKind::BrTable:
      read_br_table(r, &bt_imm);
      for (uint32_t i = 0; i <= bt_imm.count && r.ok(); ++i) (void)r.u32();
      break;
    case ImmKind::CallIndirect:
      read_call_indirect(r, features_, &ci);
      break;
    case ImmKind::MemArg:
      read_mem_arg(r, features_, &mem);
      break;
    case ImmKind::Memory:
      (void)read_mem_index(r, features_);
      break;
    case ImmKind::I32:
      (void)r.s32();
      break;
    case ImmKind::I64:
      (void)r.s64();
      break;
    case ImmKind::F32:
      r.skip(4);
      break;
    case ImmKind::F64:
      r.skip(8);
      break;
    case ImmKind::V128:
    case ImmKind::Shuffle:
      r.skip(16);
      break;
    case ImmKind::SelectT:
      read_select_t(r, features_, &st);
      break;
    case ImmKind::HeapType:
      (void)read_heap_type(r, features_, &ht);
      break;
    case ImmKind::MemoryInit:
      (void)r.u32();
      (void)read_mem_index(r, features_);
      break;
    case ImmKind::MemoryCopy:
      (void)read_mem_index(r, features_);
      (void)read_mem_index(r, features_);
      break;
    case ImmKind::TableInit:
    case ImmKind::TableCopy:
      (void)r.u32();
      (void)r.u32();
      break;
    case ImmKind::Lane:
      (void)r.u8();
      break;
    case ImmKind::MemArgLane:
      read_mem_arg(r, features_, &mem);
      (void)r.u8();
      break;
    case ImmKind::TypeIndex:
    case ImmKind::Tag:
      (void)r.u32();
      break;
    case ImmKind::StructField:
    case ImmKind::ArrayCopy:
    case ImmKind::ArrayNewFixed:
    case ImmKind::ArrayData:
    case ImmKind::ArrayElem:
      (void)r.u32();
      (void)r.u32();
      break;
    case ImmKind::BrOnCast: {
      BrOnCast boc;
      read_br_on_cast(r, &boc);
      break;
    }
    case ImmKind::TryTable:
      read_block_type(r, features_, &bt);
      if (r.ok()) read_catch_clauses(r, [](const CatchClause&) {});
      break;
    case ImmKind::AtomicMemArg:
      read_mem_arg(r, features_, &mem);
      break;
    case ImmKind::ZeroByte:
      (void)read_mem_index(r, Features{});
      break;
  }
}

template <typename Interface>
bool FunctionDecoder<Interface>::decode(FunctionBody& body) {
  const uint8_t* bytes = module_.bytes.data();
  r_ = Reader(bytes + body.range.offset, bytes + body.range.end(), body.range.offset);
  instr_start_ = r_.pos();
  max_depth_ = 1;
  done_ = false;
  malformed_.reset();
  buf_.control.clear();
  if (buf_.stack.empty()) buf_.stack.resize(64);
  stack_base_ = buf_.stack.data();
  sp_ = stack_base_;
  max_sp_ = stack_base_;
  frame_base_ = stack_base_;
  stack_end_ = stack_base_ + buf_.stack.size();

  if (!decode_locals(body)) return false;
  num_locals_ = buf_.locals.size();
  iface_.on_locals();
  has_mem64_ = std::any_of(module_.memories.begin(), module_.memories.end(),
                           [](const MemoryType& m) { return m.limits.is64; });
  body.code = {static_cast<uint32_t>(r_.offset()),
               static_cast<uint32_t>(body.range.end() - r_.offset())};

  {
    ControlFrame f;
    f.kind = ControlKind::Func;
    f.block.kind = BlockType::Kind::TypeIndex;
    f.block.type_index = module_.funcs[body.func_index].type_index;
    f.start_offset = static_cast<uint32_t>(r_.offset());
    const FuncType& ft = module_.func_type(body.func_index);
    f.results_ = ft.results.data();
    f.num_results = static_cast<uint32_t>(ft.results.size());
    buf_.control.push_back(f);
    sync_frame();
  }

  // Threaded dispatch: every single-byte opcode has its own handler (specialised at compile
  // time from the table by decode_byte) ending in its own indirect jump to the next handler,
  // so the branch predictor sees one jump per opcode rather than one shared jump.
#define ZINC_REP16(M, h)                                                                      \
  M(h##0) M(h##1) M(h##2) M(h##3) M(h##4) M(h##5) M(h##6) M(h##7) M(h##8) M(h##9) M(h##A) \
  M(h##B) M(h##C) M(h##D) M(h##E) M(h##F)
#define ZINC_REP256(M)                                                                      \
  ZINC_REP16(M, 0x0) ZINC_REP16(M, 0x1) ZINC_REP16(M, 0x2) ZINC_REP16(M, 0x3)             \
  ZINC_REP16(M, 0x4) ZINC_REP16(M, 0x5) ZINC_REP16(M, 0x6) ZINC_REP16(M, 0x7)             \
  ZINC_REP16(M, 0x8) ZINC_REP16(M, 0x9) ZINC_REP16(M, 0xA) ZINC_REP16(M, 0xB)             \
  ZINC_REP16(M, 0xC) ZINC_REP16(M, 0xD) ZINC_REP16(M, 0xE) ZINC_REP16(M, 0xF)
#define ZINC_TARGET(b) &&byte_##b,
#define ZINC_NEXT()                    \
  if (done_ || r_.at_end()) goto out;  \
  instr_start_ = r_.pos();             \
  iface_.on_instruction();             \
  goto* kTargets[r_.next_unchecked()];
#define ZINC_HANDLER(b) \
  byte_##b:             \
  decode_byte<b>();     \
  ZINC_NEXT()
  {
    static const void* const kTargets[256] = {ZINC_REP256(ZINC_TARGET)};
    ZINC_NEXT()
    ZINC_REP256(ZINC_HANDLER)
  }
out:
#undef ZINC_HANDLER
#undef ZINC_NEXT
#undef ZINC_TARGET
#undef ZINC_REP256
#undef ZINC_REP16
  if (!r_.ok()) {
    if (!is_malformed(r_.error().code)) {
      const uint8_t* bytes = module_.bytes.data();
      malformed_ = scan_structure(
          Reader(bytes + body.code.offset, bytes + body.code.end(), body.code.offset), {false},
          false);
    }
    return false;
  }
  if (!done_) {
    std::vector<bool> open_ifs;
    for (const ControlFrame& f : buf_.control) open_ifs.push_back(f.kind == ControlKind::If);
    const uint8_t* bytes = module_.bytes.data();
    malformed_ = scan_structure(Reader(bytes + body.range.end(), bytes + module_.bytes.size(),
                                       body.range.end()),
                                std::move(open_ifs), true);
    if (!malformed_) {
      r_.fail(ErrorCode::UnexpectedEndOfSection, "function body without final end");
    } else {
      r_.fail(malformed_->code);
    }
    return false;
  }
  if (!r_.at_end()) {
    r_.fail(ErrorCode::SectionSizeMismatch, "bytes after the function's final end");
    return false;
  }
  body.max_stack_height = static_cast<uint32_t>(max_sp_ - stack_base_);
  body.max_control_depth = max_depth_;
  return true;
}

template <typename Interface>
template <uint8_t kByte>
ZINC_ALWAYS_INLINE void FunctionDecoder<Interface>::decode_byte() {
  constexpr uint16_t kCode = single_byte_opcode(kByte);
  if constexpr (is_prefix_byte(kByte)) {
    if constexpr (prefix_feature(kByte) != Feature::Mvp) {
      if (!feature_on_[static_cast<int>(prefix_feature(kByte))]) {
        fail(ErrorCode::IllegalOpcode);
        return;
      }
    }
    decode_prefixed(kByte);
  } else if constexpr (kCode == kInvalidOpcode) {
    fail(ErrorCode::IllegalOpcode);
  } else {
    decode_op<static_cast<Opcode>(kCode)>();
  }
}

template <typename Interface>
template <Opcode kOp>
ZINC_ALWAYS_INLINE void FunctionDecoder<Interface>::decode_op() {
  constexpr OpcodeInfo kInfo = opcode_info(kOp);
  if constexpr (kInfo.feature != Feature::Mvp) {
    if (!feature_on_[static_cast<int>(kInfo.feature)]) [[unlikely]] {
      fail(ErrorCode::IllegalOpcode, std::string(kInfo.text) + " (feature disabled)");
      return;
    }
  }
  if constexpr (kInfo.sig.special) {
    decode_special(kOp);
  } else if constexpr (has_generic_decoder(kInfo.imm)) {
    decode_generic<kOp>();
  } else {
    // A typed row whose immediate kind the generic path does not read yet (atomics): like a
    // "*" row without a handler, never reached while its feature is off.
    fail(ErrorCode::IllegalOpcode, "no validator for " + std::string(kInfo.text));
  }
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_prefixed(uint8_t prefix) {
  const uint32_t sub = r_.u32();
  if (!r_.ok()) return;
  const std::optional<Opcode> op = decode_prefixed_opcode(prefix, sub);
  if (!op) [[unlikely]] {
    fail(ErrorCode::IllegalOpcode);
    return;
  }
#define ZINC_PCASE_0(N, C)
#define ZINC_PCASE_0xFC(N, C) \
  case Opcode::N:             \
    return decode_op<Opcode::N>();
#define ZINC_PCASE_0xFB(N, C) ZINC_PCASE_0xFC(N, C)
#define ZINC_PCASE_0xFD(N, C) ZINC_PCASE_0xFC(N, C)
#define ZINC_PCASE_0xFE(N, C) ZINC_PCASE_0xFC(N, C)
  switch (*op) {
#define V(N, P, C, T, I, S, F) ZINC_PCASE_##P(N, C)
#include "decoder/opcodes.def"
#undef V
    default:
      return;  // single-byte opcodes never come out of decode_prefixed_opcode
  }
#undef ZINC_PCASE_0
#undef ZINC_PCASE_0xFB
#undef ZINC_PCASE_0xFC
#undef ZINC_PCASE_0xFD
#undef ZINC_PCASE_0xFE
}

template <typename Interface>
template <Opcode kOp>
ZINC_ALWAYS_INLINE void FunctionDecoder<Interface>::decode_generic() {
  constexpr OpcodeInfo kInfo = opcode_info(kOp);
  constexpr Signature kSig = kInfo.sig;
  constexpr uint32_t kAlign = natural_alignment_log2(kOp);
  constexpr uint32_t kLanes = lane_count(kOp);
  ValType addr = kI32;
  MemArg mem;
  MemArgLane mem_lane;
  uint8_t lane = 0;
  V128 v128;
  uint32_t index = 0;
  uint32_t index2 = 0;
  int64_t ival = 0;
  uint64_t bits = 0;
  // Immediates and the checks that need only them.
  if constexpr (kInfo.imm == ImmKind::MemArg) {
    read_mem_arg(r_, features_, &mem);
    if (!r_.ok() || !check_mem_arg(kAlign, mem)) return;
    addr = addr_type(mem.mem_index);
  } else if constexpr (kInfo.imm == ImmKind::MemArgLane) {
    read_mem_arg_lane(r_, features_, &mem_lane);
    if (!r_.ok() || !check_mem_arg(kAlign, mem_lane.mem) || !check_lane(kLanes, mem_lane.lane))
      return;
    addr = addr_type(mem_lane.mem.mem_index);
  } else if constexpr (kInfo.imm == ImmKind::Memory) {
    index = read_mem_index(r_, features_);
    if (!r_.ok() || !check_memory(index)) return;
    addr = addr_type(index);
  } else if constexpr (kInfo.imm == ImmKind::MemoryInit) {
    index = r_.u32();  // data segment
    index2 = read_mem_index(r_, features_);
    if (!r_.ok() || !check_memory(index2) || !check_data(index)) return;
    addr = addr_type(index2);
  } else if constexpr (kInfo.imm == ImmKind::Data) {
    index = r_.u32();
    if (!r_.ok() || !check_data(index)) return;
  } else if constexpr (kInfo.imm == ImmKind::Elem) {
    index = r_.u32();
    if (!r_.ok() || !check_elem(index)) return;
  } else if constexpr (kInfo.imm == ImmKind::I32) {
    ival = read_s32(r_);
  } else if constexpr (kInfo.imm == ImmKind::I64) {
    ival = read_s64(r_);
  } else if constexpr (kInfo.imm == ImmKind::F32) {
    bits = r_.fixed_u32();
  } else if constexpr (kInfo.imm == ImmKind::F64) {
    bits = r_.fixed_u64();
  } else if constexpr (kInfo.imm == ImmKind::V128) {
    read_v128(r_, &v128);
  } else if constexpr (kInfo.imm == ImmKind::Shuffle) {
    read_v128(r_, &v128);
    if (!r_.ok()) return;
    for (uint8_t b : v128.bytes) {
      if (b >= 32) {
        fail(ErrorCode::InvalidLaneIndex, std::to_string(b));
        return;
      }
    }
  } else if constexpr (kInfo.imm == ImmKind::Lane) {
    lane = read_lane(r_);
    if (!r_.ok() || !check_lane(kLanes, lane)) return;
  } else {
    static_assert(kInfo.imm == ImmKind::None, "immediate kind without a generic decoder");
  }
  if (!r_.ok()) [[unlikely]]
    return;

  // Pop params (last on top), call the interface, push the result.
  if constexpr (kSig.num_params >= 3) pop(sig_type(kSig.params[2], addr));
  if constexpr (kSig.num_params >= 2) pop(sig_type(kSig.params[1], addr));
  if constexpr (kSig.num_params >= 1) pop(sig_type(kSig.params[0], addr));

  if constexpr (kInfo.imm == ImmKind::MemArg) {
    iface_.on_mem_op(kOp, mem);
  } else if constexpr (kInfo.imm == ImmKind::MemArgLane) {
    iface_.on_mem_lane_op(kOp, mem_lane);
  } else if constexpr (kInfo.imm == ImmKind::Memory) {
    iface_.on_memory_op(kOp, index);
  } else if constexpr (kInfo.imm == ImmKind::MemoryInit) {
    iface_.on_memory_init(index, index2);
  } else if constexpr (kInfo.imm == ImmKind::Data) {
    iface_.on_data_drop(index);
  } else if constexpr (kInfo.imm == ImmKind::Elem) {
    iface_.on_elem_drop(index);
  } else if constexpr (kInfo.imm == ImmKind::I32) {
    iface_.on_const_i32(static_cast<int32_t>(ival));
  } else if constexpr (kInfo.imm == ImmKind::I64) {
    iface_.on_const_i64(ival);
  } else if constexpr (kInfo.imm == ImmKind::F32) {
    iface_.on_const_f32(static_cast<uint32_t>(bits));
  } else if constexpr (kInfo.imm == ImmKind::F64) {
    iface_.on_const_f64(bits);
  } else if constexpr (kInfo.imm == ImmKind::V128) {
    iface_.on_const_v128(v128);
  } else if constexpr (kInfo.imm == ImmKind::Shuffle) {
    iface_.on_shuffle(v128);
  } else if constexpr (kInfo.imm == ImmKind::Lane) {
    iface_.on_lane_op(kOp, lane);
  } else {
    iface_.on_simple(kOp);
  }
  (void)mem, (void)mem_lane, (void)lane, (void)v128, (void)index, (void)index2, (void)ival,
      (void)bits;

  if constexpr (kSig.num_results == 1) push(sig_type(kSig.results[0], addr));
}

template <typename Interface>
ZINC_ALWAYS_INLINE void FunctionDecoder<Interface>::decode_special(Opcode op) {
  switch (op) {
    case Opcode::Unreachable:
      iface_.on_unreachable();
      set_unreachable();
      return;
    case Opcode::Block:
      return decode_block(ControlKind::Block);
    case Opcode::Loop:
      return decode_block(ControlKind::Loop);
    case Opcode::If:
      return decode_block(ControlKind::If);
    case Opcode::Else:
      return decode_else();
    case Opcode::End:
      done_ = decode_end();
      return;
    case Opcode::Br:
    case Opcode::BrIf: {
      const uint32_t depth = r_.u32();
      if (!r_.ok()) return;
      if (op == Opcode::BrIf) pop(kI32);
      const ControlFrame* target = label(depth);
      if (!target) return;
      const uint32_t arity = target->label_arity();
      const ValType* types = target->label_types();
      if (op == Opcode::Br) {
        check_stack_top(types, arity);
        iface_.on_br(depth);
        set_unreachable();
      } else {
        // [t* i32] -> [t*]: re-type the operands as the label's types.
        pop_types(types, arity);
        iface_.on_br_if(depth);
        push_types(types, arity);
      }
      return;
    }
    case Opcode::BrTable:
      return decode_br_table();
    case Opcode::Return: {
      const ControlFrame& fn = buf_.control.front();
      check_stack_top(fn.results(), fn.num_results);
      iface_.on_return();
      set_unreachable();
      return;
    }
    case Opcode::Call:
      return decode_call(false);
    case Opcode::CallIndirect:
      return decode_call(true);
    case Opcode::Drop:
      pop_any();
      iface_.on_drop();
      return;
    case Opcode::Select:
      return decode_select(false);
    case Opcode::SelectT:
      return decode_select(true);
    case Opcode::LocalGet: {  // the most frequent instruction: keep it in the dispatch loop
      const uint32_t index = r_.u32();
      if (index < num_locals_) [[likely]] {
        iface_.on_local_get(index);
        push(buf_.locals[index]);
        return;
      }
      if (!r_.ok()) return;
      fail(ErrorCode::UnknownLocal, std::to_string(index));
      return;
    }
    case Opcode::LocalSet:
    case Opcode::LocalTee: {  // next most frequent: fast path inline, errors out of line
      const uint32_t index = r_.u32();
      if (index < num_locals_ && r_.ok()) [[likely]] {
        const ValType t = buf_.locals[index];
        pop(t);
        if (op == Opcode::LocalSet) {
          iface_.on_local_set(index);
        } else {
          iface_.on_local_tee(index);
          push(t);
        }
        return;
      }
      if (!r_.ok()) return;
      fail(ErrorCode::UnknownLocal, std::to_string(index));
      return;
    }
    case Opcode::GlobalGet:
    case Opcode::GlobalSet:
      return decode_variable(op);
    case Opcode::TableGet:
    case Opcode::TableSet:
    case Opcode::TableSize:
    case Opcode::TableGrow:
    case Opcode::TableFill:
      return decode_table_op(op);
    case Opcode::RefNull:
    case Opcode::RefIsNull:
    case Opcode::RefFunc:
      return decode_ref_op(op);
    case Opcode::MemoryCopy:
    case Opcode::TableInit:
    case Opcode::TableCopy:
      return decode_bulk_op(op);
    default:
      // A "*" row without a handler: a table/decoder mismatch, never valid input.
      fail(ErrorCode::IllegalOpcode, "no validator for " + std::string(opcode_text(op)));
      return;
  }
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_block(ControlKind kind) {
  ControlFrame f;
  f.kind = kind;
  f.start_offset = static_cast<uint32_t>(instruction_offset());
  read_block_type(r_, features_, &f.block);
  if (!r_.ok() || !resolve_block_type(f)) return;
  if (kind == ControlKind::If) pop(kI32);
  pop_types(f.params(), f.num_params);
  f.height = stack_height();
  buf_.control.push_back(f);
  sync_frame();
  if (buf_.control.size() > max_depth_) max_depth_ = static_cast<uint32_t>(buf_.control.size());
  const ControlFrame& top = buf_.control.back();
  if (kind == ControlKind::Block) {
    iface_.on_block(top);
  } else if (kind == ControlKind::Loop) {
    iface_.on_loop(top);
  } else {
    iface_.on_if(top);
  }
  push_types(top.params(), top.num_params);
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_else() {
  ControlFrame& f = buf_.control.back();
  if (f.kind != ControlKind::If) {
    fail(ErrorCode::ElseWithoutIf);
    return;
  }
  pop_types(f.results(), f.num_results);
  if (stack_height() != f.height) {
    fail(ErrorCode::TypeMismatch, "values remain at the end of the then-branch");
    return;
  }
  f.kind = ControlKind::Else;
  iface_.on_else(f);  // is_reachable() still tells whether the then-branch's end is reachable
  f.unreachable = false;
  push_types(f.params(), f.num_params);
}

template <typename Interface>
bool FunctionDecoder<Interface>::decode_end() {
  ControlFrame& f = buf_.control.back();
  pop_types(f.results(), f.num_results);
  if (!r_.ok()) return false;
  if (stack_height() != f.height) {
    fail(ErrorCode::TypeMismatch, "values remain at the end of the block");
    return false;
  }
  if (f.kind == ControlKind::If) {
    // An if without else behaves as if its else passed the params through.
    bool same = f.num_params == f.num_results;
    for (uint32_t i = 0; same && i < f.num_params; ++i) same = f.params()[i] == f.results()[i];
    if (!same) {
      fail(ErrorCode::TypeMismatch, "if without else must have matching params and results");
      return false;
    }
  }
  iface_.on_end(f);
  const ControlFrame done = f;
  buf_.control.pop_back();
  sync_frame();
  if (done.kind == ControlKind::Func) return true;
  push_types(done.results(), done.num_results);
  return false;
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_br_table() {
  BrTable imm;
  read_br_table(r_, &imm);
  if (!r_.ok()) return;
  pop(kI32);
  uint32_t arity = 0;
  for (uint32_t i = 0; i <= imm.count && r_.ok(); ++i) {
    const uint32_t depth = r_.u32();
    if (!r_.ok()) return;
    const ControlFrame* target = label(depth);
    if (!target) return;
    if (i == 0) {
      arity = target->label_arity();
    } else if (target->label_arity() != arity) {
      fail(ErrorCode::TypeMismatch, "br_table targets have different arities");
      return;
    }
    check_stack_top(target->label_types(), target->label_arity());
  }
  if (!r_.ok()) return;
  iface_.on_br_table(imm);
  set_unreachable();
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_call(bool indirect) {
  const FuncType* ft = nullptr;
  CallIndirect ci;
  uint32_t func = 0;
  if (indirect) {
    read_call_indirect(r_, features_, &ci);
    if (!r_.ok() || !check_table(ci.table_index)) return;
    if (!(module_.tables[ci.table_index].elem == kFuncRef)) {
      fail(ErrorCode::TypeMismatch, "call_indirect needs a funcref table");
      return;
    }
    if (ci.type_index >= module_.types.size() ||
        module_.types[ci.type_index].kind != CompositeKind::Func) {
      fail(ErrorCode::UnknownType, std::to_string(ci.type_index));
      return;
    }
    ft = &module_.types[ci.type_index].func;
    pop(kI32);
  } else {
    func = r_.u32();
    if (!r_.ok()) return;
    if (func >= module_.funcs.size()) {
      fail(ErrorCode::UnknownFunction, std::to_string(func));
      return;
    }
    ft = &module_.func_type(func);
  }
  pop_types(ft->params.data(), static_cast<uint32_t>(ft->params.size()));
  if (indirect) {
    iface_.on_call_indirect(ci);
  } else {
    iface_.on_call(func);
  }
  push_types(ft->results.data(), static_cast<uint32_t>(ft->results.size()));
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_select(bool typed) {
  if (typed) {
    SelectT imm;
    read_select_t(r_, features_, &imm);
    if (!r_.ok()) return;
    pop(kI32);
    pop(imm.type);
    pop(imm.type);
    iface_.on_select(imm.type);
    push(imm.type);
    return;
  }
  pop(kI32);
  const ValType b = pop_any();
  const ValType a = pop_any();
  if (!r_.ok()) return;
  // Untyped select: both operands numeric or vector and equal; kBot adopts the other's type.
  const bool a_ok = a.is_bot() || a.kind() <= ValKind::V128;
  const bool b_ok = b.is_bot() || b.kind() <= ValKind::V128;
  if (!a_ok || !b_ok) {
    fail(ErrorCode::TypeMismatch, "untyped select needs numeric or vector operands");
    return;
  }
  if (!a.is_bot() && !b.is_bot() && !(a == b)) {
    type_error(a, b);
    return;
  }
  const ValType t = a.is_bot() ? b : a;
  iface_.on_select(t);
  push(t);
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_variable(Opcode op) {
  const uint32_t index = r_.u32();
  if (!r_.ok()) return;
  if (op == Opcode::LocalGet || op == Opcode::LocalSet || op == Opcode::LocalTee) {
    if (index >= buf_.locals.size()) {
      fail(ErrorCode::UnknownLocal, std::to_string(index));
      return;
    }
    const ValType t = buf_.locals[index];
    if (op == Opcode::LocalGet) {
      iface_.on_local_get(index);
      push(t);
    } else if (op == Opcode::LocalSet) {
      pop(t);
      iface_.on_local_set(index);
    } else {
      pop(t);
      iface_.on_local_tee(index);
      push(t);
    }
    return;
  }
  if (index >= module_.globals.size()) {
    fail(ErrorCode::UnknownGlobal, std::to_string(index));
    return;
  }
  const GlobalType& g = module_.globals[index].type;
  if (op == Opcode::GlobalGet) {
    iface_.on_global_get(index);
    push(g.type);
  } else {
    if (!g.mut) {
      fail(ErrorCode::GlobalIsImmutable, std::to_string(index));
      return;
    }
    pop(g.type);
    iface_.on_global_set(index);
  }
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_table_op(Opcode op) {
  const uint32_t table = r_.u32();
  if (!r_.ok() || !check_table(table)) return;
  const TableType& tt = module_.tables[table];
  const ValType index = tt.limits.is64 ? kI64 : kI32;
  switch (op) {
    case Opcode::TableGet:
      pop(index);
      iface_.on_table_op(op, table);
      push(tt.elem);
      return;
    case Opcode::TableSet:
      pop(tt.elem);
      pop(index);
      iface_.on_table_op(op, table);
      return;
    case Opcode::TableSize:
      iface_.on_table_op(op, table);
      push(index);
      return;
    case Opcode::TableGrow:
      pop(index);
      pop(tt.elem);
      iface_.on_table_op(op, table);
      push(index);
      return;
    case Opcode::TableFill:
      pop(index);
      pop(tt.elem);
      pop(index);
      iface_.on_table_op(op, table);
      return;
    default:
      return;
  }
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_ref_op(Opcode op) {
  if (op == Opcode::RefNull) {
    HeapType h;
    if (!read_heap_type(r_, features_, &h)) return;
    iface_.on_ref_null(h);
    push(ValType::ref(h, true));
    return;
  }
  if (op == Opcode::RefIsNull) {
    const ValType t = pop_any();
    if (!r_.ok()) return;
    if (!t.is_bot() && !t.is_ref()) {
      fail(ErrorCode::TypeMismatch, "ref.is_null needs a reference, got " + to_string(t));
      return;
    }
    iface_.on_ref_is_null();
    push(kI32);
    return;
  }
  const uint32_t func = r_.u32();
  if (!r_.ok()) return;
  if (func >= module_.funcs.size()) {
    fail(ErrorCode::UnknownFunction, std::to_string(func));
    return;
  }
  if (func >= module_.declared_func_refs.size() || !module_.declared_func_refs[func]) {
    fail(ErrorCode::UndeclaredFunctionReference, std::to_string(func));
    return;
  }
  iface_.on_ref_func(func);
  push(kFuncRef);
}

template <typename Interface>
void FunctionDecoder<Interface>::decode_bulk_op(Opcode op) {
  if (op == Opcode::MemoryCopy) {
    const uint32_t dst = read_mem_index(r_, features_);
    const uint32_t src = read_mem_index(r_, features_);
    if (!r_.ok() || !check_memory(dst) || !check_memory(src)) return;
    const ValType d = addr_type(dst);
    const ValType s = addr_type(src);
    pop(d == kI64 && s == kI64 ? kI64 : kI32);  // n: the smaller index type
    pop(s);
    pop(d);
    iface_.on_memory_copy(dst, src);
    return;
  }
  const uint32_t a = r_.u32();
  const uint32_t b = r_.u32();
  if (!r_.ok()) return;
  if (op == Opcode::TableInit) {  // elem, table
    if (!check_table(b) || !check_elem(a)) return;
    if (!(module_.elems[a].type == module_.tables[b].elem)) {
      type_error(module_.tables[b].elem, module_.elems[a].type);
      return;
    }
    const ValType index = module_.tables[b].limits.is64 ? kI64 : kI32;
    pop(kI32);
    pop(kI32);
    pop(index);
    iface_.on_table_init(a, b);
    return;
  }
  // table.copy dst src
  if (!check_table(a) || !check_table(b)) return;
  if (!(module_.tables[a].elem == module_.tables[b].elem)) {
    type_error(module_.tables[a].elem, module_.tables[b].elem);
    return;
  }
  pop(kI32);
  pop(kI32);
  pop(kI32);
  iface_.on_table_copy(a, b);
}

/// Validates bodies of one module, reusing buffers across calls.
class FunctionValidator {
 public:
  FunctionValidator(const Module& module, const Features& features)
      : module_(module), features_(features) {}
  /// Validates one body; on failure returns the error (with func_index set).
  Result<void> validate(FunctionBody& body) {
    NullInterface iface;
    FunctionDecoder<NullInterface> d(module_, features_, buffers_, iface);
    if (d.decode(body)) return {};
    Error e = d.error();
    e.func_index = body.func_index;
    return Unexpected<Error>{std::move(e)};
  }

 private:
  const Module& module_;
  const Features& features_;
  DecoderBuffers buffers_;
};

}  // namespace zinc::decoder

// vm/interp/translate.cc: the Translator interface of the FunctionDecoder (see translate.h).
//
// Invariants of the abstract stack:
//  - Entry i's home slot depends only on the types of entries 0..i-1, so every path reaching a
//    control-flow merge agrees on where each value lives.
//  - Entries that are still locals are materialised (copied home) before any block, loop or
//    if, and before a local.set/tee overwrites the local they name; constants are immutable
//    and may stay virtual across blocks.
//  - At every branch and block end, the values the target expects are in the target's homes.
//  - Instructions write their result only after reading all their operands, so a result may be
//    retargeted to any slot (local.set folding) without clobbering an input.
// Dead code (after br, return, unreachable, ...) emits nothing until its frame ends.
#include "vm/interp/translate.h"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "decoder/function_decoder.h"
#include "vm/runtime.h"

namespace zinc::vm::interp {

namespace {

using decoder::ControlFrame;
using decoder::ControlKind;
using decoder::Opcode;
using decoder::SigType;
using decoder::ValKind;
using decoder::ValType;

enum class Loc : uint8_t { Home, Local, Const };

struct Entry {
  ValType type;
  Loc loc = Loc::Home;
  int32_t home = 0;       // byte offset of the home slot
  int32_t local = 0;      // Loc::Local: byte offset of the local
  uint64_t bits = 0;      // Loc::Const: scalar bits, or the v128 pool index
  int32_t producer = -1;  // Loc::Home: code offset of the instruction that wrote the home
};

/// A branch target. Branch fields hold the target relative to the start of the branching
/// instruction (so the interpreter needs no code base register).
struct Label {
  int32_t target = -1;  // bound code offset; -1 while unbound
  struct Patch {
    uint32_t field;  // code offset of the int32 field
    uint32_t base;   // code offset of the instruction it belongs to
  };
  std::vector<Patch> patches;
};

struct TFrame {
  ControlKind kind = ControlKind::Block;
  bool dead = false;  // opened in unreachable code: emits nothing
  uint32_t height = 0;
  Label end;         // block/if/else: after the end; loop: the loop head
  Label else_label;  // if: start of the else branch (the end when there is none)
  uint32_t num_params = 0;
  uint32_t num_results = 0;
  // Types are kept by value or point into the module's type section (stable). A pointer into
  // the decoder's control frame would dangle when its stack grows.
  const ValType* type_params = nullptr;
  const ValType* type_results = nullptr;
  ValType single_result;  // a `blocktype` of one value type
  bool single = false;

  const ValType* params() const { return type_params; }
  const ValType* results() const { return single ? &single_result : type_results; }
};

constexpr bool is128(ValType t) { return t.kind() == ValKind::V128; }
constexpr int32_t width(ValType t) { return is128(t) ? 16 : 8; }

constexpr ValType sig_val(SigType t) {
  switch (t) {
    case SigType::I32:
    case SigType::Addr:
      return decoder::kI32;
    case SigType::I64:
      return decoder::kI64;
    case SigType::F32:
      return decoder::kF32;
    case SigType::F64:
      return decoder::kF64;
    case SigType::V128:
      return decoder::kV128;
  }
  return decoder::kI32;
}

/// Working storage reused across translations on a thread (capacity follows the largest
/// function seen), so translating thousands of functions does not allocate per function.
struct Scratch {
  std::vector<int32_t> local_off;
  std::vector<ValType> local_type;
  std::vector<Entry> stack;
  std::vector<TFrame> frames;
  std::vector<V128> v128_pool;
};

class Translator : public decoder::NullInterface {
 public:
  Translator(const CompiledModule& cm, const decoder::FunctionBody& body,
             const TranslateOptions& options, Scratch& scratch)
      : cm_(cm),
        m_(*cm.module),
        body_(body),
        options_(options),
        handlers_(handler_table()),
        local_off_(scratch.local_off),
        local_type_(scratch.local_type),
        stack_(scratch.stack),
        frames_(scratch.frames),
        v128_pool_(scratch.v128_pool) {
    local_off_.clear();
    local_type_.clear();
    stack_.clear();
    frames_.clear();
    v128_pool_.clear();
    // Internal code is typically 3-6 times the size of the wasm body.
    code_.reserve(static_cast<size_t>(body.range.size) * 6 + 64);
    offsets_.reserve(body.range.size / 2 + 8);
  }

  void attach(const decoder::DecoderState* st) { st_ = st; }

  /// Called once the locals are known: lays out the frame.
  void on_locals() {
    const decoder::FuncType& ft = m_.func_type(body_.func_index);
    int32_t off = 0;
    for (ValType t : ft.params) {
      local_off_.push_back(off);
      local_type_.push_back(t);
      off += width(t);
    }
    param_bytes_ = off;
    for (const decoder::LocalRun& run : body_.local_runs) {
      for (uint32_t i = 0; i < run.count; ++i) {
        local_off_.push_back(off);
        local_type_.push_back(run.type);
        off += width(run.type);
      }
    }
    temp_base_ = off;
    max_bytes_ = off;
    for (ValType t : ft.results) result_bytes_ += width(t);
    if (result_bytes_ > max_bytes_) max_bytes_ = result_bytes_;
    TFrame f;
    f.kind = ControlKind::Func;
    f.type_results = ft.results.data();
    f.num_results = static_cast<uint32_t>(ft.results.size());
    frames_.push_back(std::move(f));
    fuel_start();
    if (options_.epoch) emit(IOp::X_Epoch);
  }

  void on_instruction() {
    if (options_.fuel) ++fuel_count_;
  }

  std::unique_ptr<FuncCode> finish() {
    fuel_flush();
    auto code = std::make_unique<FuncCode>();
    code->bytes = std::move(code_);
    code->param_slots = static_cast<uint32_t>(param_bytes_ / 8);
    code->local_slots = static_cast<uint32_t>(temp_base_ / 8);
    code->frame_slots = static_cast<uint32_t>(max_bytes_ / 8);
    code->offsets = std::move(offsets_);
    code->func_index = body_.func_index;
    return code;
  }

  // ---- decoder callbacks ----
  void on_unreachable() {
    if (!emitting()) return;
    const uint32_t at = emit(IOp::X_Trap);
    set_op(at, 0, static_cast<int32_t>(TrapCode::Unreachable));
  }

  void on_const_i32(int32_t v) { push_const(decoder::kI32, static_cast<uint32_t>(v)); }
  void on_const_i64(int64_t v) { push_const(decoder::kI64, static_cast<uint64_t>(v)); }
  void on_const_f32(uint32_t bits) { push_const(decoder::kF32, bits); }
  void on_const_f64(uint64_t bits) { push_const(decoder::kF64, bits); }
  void on_const_v128(const decoder::V128& v) {
    if (!emitting()) return;
    V128 c;
    std::memcpy(c.bytes, v.bytes, 16);
    v128_pool_.push_back(c);
    push_const(decoder::kV128, v128_pool_.size() - 1);
  }

  void on_simple(Opcode op) {
    if (!emitting()) return;
    const decoder::Signature sig = decoder::opcode_info(op).sig;
    const uint32_t n = sig.num_params;
    if (n == 0 && sig.num_results == 0) return;  // nop
    const size_t first = stack_.size() - n;
    uint32_t at;
    if (n == 2 && has_imm_variant(op) && stack_[first + 1].loc == Loc::Const) {
      const int32_t a = src(first);
      at = emit(iop_of(op, kImmVariant));
      set_op(at, 1, a);
      set_imm64(at, stack_[first + 1].bits);
    } else if (n == 2 && has_imm_variant(op) && stack_[first].loc == Loc::Const) {
      const int32_t b = src(first + 1);
      at = emit(iop_of(op, kImmLhsVariant));
      set_op(at, 1, b);
      set_imm64(at, stack_[first].bits);
    } else {
      int32_t s[3] = {0, 0, 0};
      for (uint32_t i = 0; i < n; ++i) s[i] = src(first + i);
      at = emit(iop_of(op, 0));
      for (uint32_t i = 0; i < n; ++i) set_op(at, 1 + i, s[i]);
    }
    pop(n);
    if (sig.num_results == 1) {
      set_op(at, 0, push_home(sig_val(sig.results[0]), at));
    }
  }

  void on_mem_op(Opcode op, const decoder::MemArg& mem) {
    if (!emitting() || !check_mem(mem.mem_index)) return;
    const decoder::Signature sig = decoder::opcode_info(op).sig;
    const size_t first = stack_.size() - sig.num_params;
    const unsigned checked = options_.bounds_checks ? kCheckedVariant : 0;
    const Entry& addr_entry = stack_[first];
    if (addr_entry.loc == Loc::Const && !m_.memories[0].limits.is64) {
      // A constant address folds into the offset: ea = zero-extended address + offset.
      const uint64_t ea = static_cast<uint32_t>(addr_entry.bits) + mem.offset;
      if (sig.num_results == 1) {
        const uint32_t at = emit(iop_of(op, kAbsVariant + checked));
        set_imm64(at, ea);
        pop(1);
        set_op(at, 0, push_home(sig_val(sig.results[0]), at));
      } else {
        const int32_t value = src(first + 1);  // may materialise: before emitting the store
        const uint32_t at = emit(iop_of(op, kAbsVariant + checked));
        set_op(at, 0, value);
        set_imm64(at, ea);
        pop(2);
      }
      return;
    }
    const IOp iop = iop_of(op, checked);
    if (sig.num_results == 1) {  // load: dst, addr
      if (fuse_address(op, mem.offset, sig)) return;
      const int32_t addr = src(first);
      const uint32_t at = emit(iop);
      set_op(at, 1, addr);
      set_imm64(at, mem.offset);
      pop(1);
      set_op(at, 0, push_home(sig_val(sig.results[0]), at));
    } else {  // store: addr, value
      const int32_t addr = src(first);
      const int32_t value = src(first + 1);
      const uint32_t at = emit(iop);
      set_op(at, 0, addr);
      set_op(at, 1, value);
      set_imm64(at, mem.offset);
      pop(2);
    }
  }

  void on_mem_lane_op(Opcode op, const decoder::MemArgLane& m) {
    if (!emitting() || !check_mem(m.mem.mem_index)) return;
    const decoder::Signature sig = decoder::opcode_info(op).sig;
    const IOp iop = iop_of(op, options_.bounds_checks ? 1 : 0);
    const size_t first = stack_.size() - 2;
    const int32_t addr = src(first);
    const int32_t vec = src(first + 1);
    const uint32_t at = emit(iop);
    if (sig.num_results == 1) {  // load lane: dst, addr, vec, lane
      set_op(at, 1, addr);
      set_op(at, 2, vec);
      set_op(at, 3, m.lane);
      set_imm64(at, m.mem.offset);
      pop(2);
      set_op(at, 0, push_home(decoder::kV128, at));
    } else {  // store lane: addr, vec, lane
      set_op(at, 0, addr);
      set_op(at, 1, vec);
      set_op(at, 2, m.lane);
      set_imm64(at, m.mem.offset);
      pop(2);
    }
  }

  void on_lane_op(Opcode op, uint8_t lane) {
    if (!emitting()) return;
    const decoder::Signature sig = decoder::opcode_info(op).sig;
    const uint32_t n = sig.num_params;
    const size_t first = stack_.size() - n;
    int32_t s[2] = {0, 0};
    for (uint32_t i = 0; i < n; ++i) s[i] = src(first + i);
    const uint32_t at = emit(iop_of(op, 0));
    for (uint32_t i = 0; i < n; ++i) set_op(at, 1 + i, s[i]);
    set_op(at, 1 + n, lane);
    pop(n);
    set_op(at, 0, push_home(sig_val(sig.results[0]), at));
  }

  void on_shuffle(const decoder::V128& lanes) {
    if (!emitting()) return;
    const size_t first = stack_.size() - 2;
    const int32_t a = src(first);
    const int32_t b = src(first + 1);
    const uint32_t at = emit(IOp::X_I8x16Shuffle);
    set_op(at, 1, a);
    set_op(at, 2, b);
    std::memcpy(code_.data() + at + iop_layout(IOp::X_I8x16Shuffle).imm_offset(), lanes.bytes,
                16);
    pop(2);
    set_op(at, 0, push_home(decoder::kV128, at));
  }

  void on_memory_op(Opcode op, uint32_t mem) {
    if (!emitting() || !check_mem(mem)) return;
    if (op == Opcode::MemorySize) {
      const uint32_t at = emit(IOp::X_MemorySize);
      set_op(at, 1, static_cast<int32_t>(mem));
      set_op(at, 0, push_home(addr_type(mem), at));
    } else if (op == Opcode::MemoryGrow) {
      const int32_t delta = src(stack_.size() - 1);
      const uint32_t at = emit(IOp::X_MemoryGrow);
      set_op(at, 1, static_cast<int32_t>(mem));
      set_op(at, 2, delta);
      pop(1);
      set_op(at, 0, push_home(addr_type(mem), at));
    } else {  // memory.fill: d, value, n
      emit_with_sources(IOp::X_MemoryFill, {static_cast<int32_t>(mem)}, 3);
    }
  }
  void on_memory_init(uint32_t data, uint32_t mem) {
    if (!emitting() || !check_mem(mem)) return;
    emit_with_sources(IOp::X_MemoryInit, {static_cast<int32_t>(mem), static_cast<int32_t>(data)},
                      3);
  }
  void on_memory_copy(uint32_t dst, uint32_t src_mem) {
    if (!emitting() || !check_mem(dst) || !check_mem(src_mem)) return;
    emit_with_sources(IOp::X_MemoryCopy,
                      {static_cast<int32_t>(dst), static_cast<int32_t>(src_mem)}, 3);
  }
  void on_data_drop(uint32_t data) {
    if (!emitting()) return;
    set_op(emit(IOp::X_DataDrop), 0, static_cast<int32_t>(data));
  }
  void on_elem_drop(uint32_t elem) {
    if (!emitting()) return;
    set_op(emit(IOp::X_ElemDrop), 0, static_cast<int32_t>(elem));
  }

  void on_table_op(Opcode op, uint32_t table) {
    if (!emitting()) return;
    const ValType elem = m_.tables[table].elem;
    const ValType index = m_.tables[table].limits.is64 ? decoder::kI64 : decoder::kI32;
    const int32_t t = static_cast<int32_t>(table);
    switch (op) {
      case Opcode::TableGet: {
        const int32_t i = src(stack_.size() - 1);
        const uint32_t at = emit(IOp::X_TableGet);
        set_op(at, 1, t);
        set_op(at, 2, i);
        pop(1);
        set_op(at, 0, push_home(elem, at));
        return;
      }
      case Opcode::TableSet:
        emit_with_sources(IOp::X_TableSet, {t}, 2);
        return;
      case Opcode::TableSize: {
        const uint32_t at = emit(IOp::X_TableSize);
        set_op(at, 1, t);
        set_op(at, 0, push_home(index, at));
        return;
      }
      case Opcode::TableGrow: {
        const size_t first = stack_.size() - 2;
        const int32_t init = src(first);
        const int32_t delta = src(first + 1);
        const uint32_t at = emit(IOp::X_TableGrow);
        set_op(at, 1, t);
        set_op(at, 2, init);
        set_op(at, 3, delta);
        pop(2);
        set_op(at, 0, push_home(index, at));
        return;
      }
      case Opcode::TableFill:
        emit_with_sources(IOp::X_TableFill, {t}, 3);
        return;
      default:
        return;
    }
  }
  void on_table_init(uint32_t elem, uint32_t table) {
    if (!emitting()) return;
    emit_with_sources(IOp::X_TableInit,
                      {static_cast<int32_t>(table), static_cast<int32_t>(elem)}, 3);
  }
  void on_table_copy(uint32_t dst, uint32_t src_table) {
    if (!emitting()) return;
    emit_with_sources(IOp::X_TableCopy,
                      {static_cast<int32_t>(dst), static_cast<int32_t>(src_table)}, 3);
  }

  void on_local_get(uint32_t index) {
    if (!emitting()) return;
    Entry e;
    e.type = local_type_[index];
    e.loc = Loc::Local;
    e.local = local_off_[index];
    e.home = next_home();
    push_entry(e);
  }
  void on_local_set(uint32_t index) {
    if (!emitting()) return;
    store_local(index);
    pop(1);
  }
  void on_local_tee(uint32_t index) {
    if (!emitting()) return;
    store_local(index);
    Entry& e = stack_.back();
    e.loc = Loc::Local;
    e.local = local_off_[index];
    e.producer = -1;
  }
  void on_global_get(uint32_t index) {
    if (!emitting()) return;
    const ValType t = m_.globals[index].type.type;
    const uint32_t at = emit(is128(t) ? IOp::X_GlobalGet128 : IOp::X_GlobalGet64);
    set_op(at, 1, static_cast<int32_t>(index));
    set_op(at, 0, push_home(t, at));
  }
  void on_global_set(uint32_t index) {
    if (!emitting()) return;
    const ValType t = m_.globals[index].type.type;
    emit_with_sources(is128(t) ? IOp::X_GlobalSet128 : IOp::X_GlobalSet64,
                      {static_cast<int32_t>(index)}, 1, /*sources_first=*/true);
  }

  void on_drop() {
    if (!emitting()) return;
    pop(1);
  }
  void on_select(ValType t) {
    if (!emitting()) return;
    const size_t first = stack_.size() - 3;
    const int32_t a = src(first);
    const int32_t b = src(first + 1);
    const int32_t c = src(first + 2);
    const uint32_t at = emit(is128(t) ? IOp::X_Select128 : IOp::X_Select64);
    set_op(at, 1, a);
    set_op(at, 2, b);
    set_op(at, 3, c);
    pop(3);
    set_op(at, 0, push_home(t, at));
  }
  void on_ref_null(decoder::HeapType h) {
    push_const(ValType::ref(h, true), 0);
  }
  void on_ref_is_null() {
    if (!emitting()) return;
    const int32_t r = src(stack_.size() - 1);
    const uint32_t at = emit(IOp::X_RefIsNull);
    set_op(at, 1, r);
    pop(1);
    set_op(at, 0, push_home(decoder::kI32, at));
  }
  void on_ref_func(uint32_t func) {
    if (!emitting()) return;
    const uint32_t at = emit(IOp::X_RefFunc);
    set_op(at, 1, static_cast<int32_t>(func));
    set_op(at, 0, push_home(decoder::kFuncRef, at));
  }

  // ---- calls ----
  void on_call(uint32_t func) {
    if (!emitting()) return;
    const decoder::FuncType& ft = m_.func_type(func);
    const int32_t frame = place_args(static_cast<uint32_t>(ft.params.size()), 0);
    const uint32_t at = emit(IOp::X_Call);
    set_op(at, 0, static_cast<int32_t>(func));
    set_op(at, 1, frame);
    pop(static_cast<uint32_t>(ft.params.size()));
    for (ValType t : ft.results) push_home(t, -1);
  }
  void on_call_indirect(const decoder::CallIndirect& ci) {
    if (!emitting()) return;
    const decoder::FuncType& ft = m_.types[ci.type_index].func;
    const uint32_t n = static_cast<uint32_t>(ft.params.size());
    const int32_t index = src(stack_.size() - 1);
    const int32_t frame = place_args(n, 1);
    const uint32_t at = emit(IOp::X_CallIndirect);
    set_op(at, 0, static_cast<int32_t>(ci.table_index));
    set_op(at, 1, static_cast<int32_t>(cm_.type_ids[ci.type_index]));
    set_op(at, 2, index);
    set_op(at, 3, frame);
    pop(n + 1);
    for (ValType t : ft.results) push_home(t, -1);
  }

  // ---- control ----
  void on_block(const ControlFrame& f) { open_frame(f, ControlKind::Block); }
  void on_loop(const ControlFrame& f) {
    open_frame(f, ControlKind::Loop);
    TFrame& tf = frames_.back();
    if (tf.dead) return;
    bind(tf.end);
    if (options_.epoch) emit(IOp::X_Epoch);
  }
  void on_if(const ControlFrame& f) {
    const bool dead = frames_.back().dead || st_->control_at(1).unreachable;
    Condition cond;
    if (!dead) {
      // Take the condition (possibly removing the comparison that computed it, to fuse) before
      // the values below it are materialised: those copies write only homes below the
      // condition's, never a local or an operand of the comparison.
      cond = take_condition();
    }
    open_frame(f, ControlKind::If);
    if (dead) return;
    emit_branch(cond, false, frames_.back().else_label);
  }
  void on_else(const ControlFrame&) {
    TFrame& tf = frames_.back();
    tf.kind = ControlKind::Else;
    if (tf.dead) return;
    if (st_->is_reachable()) {
      move_results_home(tf);
      use_label(tf.end, emit(IOp::X_Br), 0);
    }
    bind(tf.else_label);
    reset_stack(tf.height, tf.params(), tf.num_params);
  }
  void on_end(const ControlFrame&) {
    TFrame& tf = frames_.back();
    if (tf.dead) {
      frames_.pop_back();
      return;
    }
    const bool reachable = st_->is_reachable();
    if (tf.kind == ControlKind::Func) {
      if (reachable) emit_return();
      frames_.pop_back();
      return;
    }
    if (reachable) move_results_home(tf);
    if (tf.kind == ControlKind::If) bind(tf.else_label);
    if (tf.kind != ControlKind::Loop) bind(tf.end);
    last_ = -1;
    const uint32_t height = tf.height;
    const ValType single = tf.single_result;
    const bool is_single = tf.single;
    const ValType* results = tf.type_results;
    const uint32_t n = tf.num_results;
    frames_.pop_back();
    reset_stack(height, is_single ? &single : results, n);
  }

  void on_br(uint32_t depth) {
    if (!emitting()) return;
    TFrame& target = frame_at(depth);
    if (target.kind == ControlKind::Func) {
      emit_return();
      return;
    }
    move_to_label(target);
    use_label(target.end, emit(IOp::X_Br), 0);
  }
  void on_br_if(uint32_t depth) {
    if (!emitting()) return;
    const Condition cond = take_condition();
    TFrame& target = frame_at(depth);
    if (target.kind != ControlKind::Func && values_in_place(target)) {
      emit_branch(cond, true, target.end);
      return;
    }
    // Values must move on the taken path only: skip over the moves when not taken.
    Label skip;
    emit_branch(cond, false, skip);
    const std::vector<Entry> saved = stack_;  // the moves must not change the fallthrough state
    if (target.kind == ControlKind::Func) {
      emit_return();
    } else {
      move_to_label(target);
      use_label(target.end, emit(IOp::X_Br), 0);
    }
    stack_ = saved;
    bind(skip);
  }
  void on_br_table(const decoder::BrTable& imm) {
    if (!emitting()) return;
    Entry c = stack_.back();
    const int32_t index = c.loc == Loc::Const ? materialize_at(c)
                                              : (c.loc == Loc::Local ? c.local : c.home);
    stack_.pop_back();
    const uint32_t n = imm.count + 1;
    const uint32_t at = emit(IOp::X_BrTable);
    set_op(at, 0, index);
    set_op(at, 1, static_cast<int32_t>(imm.count));
    const uint32_t table = static_cast<uint32_t>(code_.size());
    code_.resize(table + ((4 * n + 7) & ~7u));
    std::vector<uint32_t> depths;
    decoder::BrTableIterator it(imm, code_end_);
    while (it.has_next()) depths.push_back(it.next());
    std::vector<std::pair<uint32_t, uint32_t>> stubs;  // (entry field, depth)
    for (uint32_t i = 0; i < n; ++i) {
      TFrame& target = frame_at(depths[i]);
      if (target.kind != ControlKind::Func && values_in_place(target)) {
        use_field(target.end, table + 4 * i, at);
      } else {
        stubs.emplace_back(table + 4 * i, depths[i]);
      }
    }
    const std::vector<Entry> saved = stack_;
    for (auto [field, depth] : stubs) {
      patch(field, at, static_cast<int32_t>(code_.size()));
      TFrame& target = frame_at(depth);
      if (target.kind == ControlKind::Func) {
        emit_return();
      } else {
        move_to_label(target);
        use_label(target.end, emit(IOp::X_Br), 0);
      }
      stack_ = saved;
    }
  }
  void on_return() {
    if (!emitting()) return;
    emit_return();
  }

  void set_code_end(const uint8_t* end) { code_end_ = end; }
  const std::string& error() const { return error_; }

 private:
  // ---- emission ----
  uint32_t emit(IOp op) {
    const uint32_t at = static_cast<uint32_t>(code_.size());
    code_.resize(at + layout_at(op).size());
    const void* h = handlers_[static_cast<size_t>(op)];
    std::memcpy(code_.data() + at, &h, sizeof h);
    last_ = static_cast<int32_t>(at);
    last_op_ = op;
    const uint32_t wasm = static_cast<uint32_t>(st_->instruction_offset());
    if (offsets_.empty() || offsets_.back().wasm_offset != wasm) offsets_.push_back({at, wasm});
    return at;
  }
  void set_op(uint32_t at, int k, int32_t v) {
    std::memcpy(code_.data() + at + 8 + 4 * k, &v, 4);
  }
  int32_t get_op(uint32_t at, int k) const {
    int32_t v;
    std::memcpy(&v, code_.data() + at + 8 + 4 * k, 4);
    return v;
  }
  /// Writes the 8-byte immediate of the instruction at `at`, which must be the last emitted.
  void set_imm64(uint32_t at, uint64_t v) {
    std::memcpy(code_.data() + at + layout_at(last_op_).imm_offset(), &v, 8);
  }
  /// Writes the branch distance from `base` to `target` into `field`.
  void patch(uint32_t field, uint32_t base, int32_t target) {
    const int32_t rel = target - static_cast<int32_t>(base);
    std::memcpy(code_.data() + field, &rel, 4);
  }

  void bind(Label& l) {
    fuel_flush();
    l.target = static_cast<int32_t>(code_.size());
    for (const Label::Patch& p : l.patches) patch(p.field, p.base, l.target);
    l.patches.clear();
    last_ = -1;  // a merge point: the previous instruction is not the only writer anymore
    fuel_start();
  }

  // ---- fuel: each basic block (from a label to the next) starts with a Fuel instruction
  // charging the wasm instructions decoded until the next label ----
  void fuel_start() {
    if (!options_.fuel) return;
    fuel_at_ = static_cast<int32_t>(emit(IOp::X_Fuel));
    fuel_count_ = 0;
    last_ = -1;
  }
  void fuel_flush() {
    if (fuel_at_ < 0) return;
    set_op(static_cast<uint32_t>(fuel_at_), 0, static_cast<int32_t>(fuel_count_));
    fuel_at_ = -1;
  }
  /// Points operand `k` of the instruction at `at` at the label.
  void use_label(Label& l, uint32_t at, int k) { use_field(l, at + 8 + 4 * k, at); }
  /// Points the int32 `field` of the instruction at `base` at the label.
  void use_field(Label& l, uint32_t field, uint32_t base) {
    if (l.target >= 0) {
      patch(field, base, l.target);
    } else {
      l.patches.push_back({field, base});
    }
  }

  /// A load whose address the previous instruction computed with i32.add into a temporary:
  /// replaces that add and the load by one fused load (code.h ZINC_FUSED_LOADS).
  bool fuse_address(Opcode op, uint64_t offset, const decoder::Signature& sig) {
    const Entry& e = stack_.back();
    const bool add_imm = last_op_ == iop_of(Opcode::I32Add, 1);
    if (!is_fused_load(op) || last_ < 0 || !(add_imm || last_op_ == iop_of(Opcode::I32Add, 0)) ||
        m_.memories[0].limits.is64) {
      return false;
    }
    const uint32_t add = static_cast<uint32_t>(last_);
    const int32_t sum = get_op(add, 0);
    // The address is the add's result: still in its home, or in the local it was stored to
    // (local.set/tee folded into the add).
    const bool in_home = e.loc == Loc::Home && e.producer == last_;
    const bool in_local = e.loc == Loc::Local && e.local == sum;
    if (!in_home && !in_local) return false;
    const int32_t base = get_op(add, 1);
    int32_t addend;
    if (add_imm) {
      uint64_t bits;
      std::memcpy(&bits, code_.data() + add + kImmBinaryLayout.imm_offset(), 8);
      addend = static_cast<int32_t>(static_cast<uint32_t>(bits));
    } else {
      addend = get_op(add, 2);
    }
    code_.resize(add);
    while (!offsets_.empty() && offsets_.back().code_offset >= add) offsets_.pop_back();
    last_ = -1;
    const uint32_t at = emit(fused_load(op, add_imm, options_.bounds_checks));
    set_op(at, 1, base);
    set_op(at, 2, addend);
    set_op(at, 3, sum);
    set_imm64(at, offset);
    pop(1);
    set_op(at, 0, push_home(sig_val(sig.results[0]), at));
    return true;
  }

  // ---- conditions and compare+branch fusion ----
  struct Condition {
    bool fused = false;
    Opcode compare = Opcode::Nop;  // fused: the comparison
    bool imm = false;              // fused: second operand is `bits`
    int32_t a = 0, b = 0;          // fused: operand slots; else `a` holds the condition
    uint64_t bits = 0;
  };

  /// Pops the i32 condition on top of the stack. When the comparison that produced it is the
  /// last instruction, removes that instruction and returns its operands, so the branch can
  /// evaluate it (one dispatch instead of two).
  Condition take_condition() {
    Condition c;
    Entry e = stack_.back();
    stack_.pop_back();
    const unsigned iop = static_cast<unsigned>(last_op_);
    if (e.loc == Loc::Home && e.producer >= 0 && e.producer == last_ && iop < kRowIOps &&
        variant_of(last_op_) <= kImmVariant && is_fused_compare(row_of(last_op_))) {
      const uint32_t at = static_cast<uint32_t>(last_);
      c.fused = true;
      c.compare = row_of(last_op_);
      c.imm = variant_of(last_op_) == kImmVariant;
      c.a = get_op(at, 1);
      if (c.imm) {
        std::memcpy(&c.bits, code_.data() + at + kImmBinaryLayout.imm_offset(), 8);
      } else if (decoder::opcode_info(c.compare).sig.num_params == 2) {
        c.b = get_op(at, 2);
      }
      code_.resize(at);
      while (!offsets_.empty() && offsets_.back().code_offset >= at) offsets_.pop_back();
      last_ = -1;
      return c;
    }
    c.a = e.loc == Loc::Const ? materialize_at(e) : (e.loc == Loc::Local ? e.local : e.home);
    return c;
  }

  /// Emits a branch to `l` taken when the condition is `when`.
  void emit_branch(const Condition& c, bool when, Label& l) {
    if (!c.fused) {
      const uint32_t at = emit(when ? IOp::X_BrIf : IOp::X_BrUnless);
      set_op(at, 0, c.a);
      use_label(l, at, 1);
      return;
    }
    const uint32_t at = emit(fused_branch(c.compare, when, c.imm));
    set_op(at, 0, c.a);
    int target = 1;
    if (c.imm) {
      set_imm64(at, c.bits);
    } else if (decoder::opcode_info(c.compare).sig.num_params == 2) {
      set_op(at, 1, c.b);
      target = 2;
    }
    use_label(l, at, target);
  }

  // ---- the abstract stack ----
  bool emitting() const { return !frames_.back().dead && !st_->control_at(0).unreachable; }
  int32_t next_home() const {
    if (stack_.empty()) return temp_base_;
    return stack_.back().home + width(stack_.back().type);
  }
  /// Home of the entry at `index` (entries below it unchanged).
  int32_t home_at(size_t index) const {
    if (index == 0) return temp_base_;
    return stack_[index - 1].home + width(stack_[index - 1].type);
  }
  void push_entry(const Entry& e) {
    stack_.push_back(e);
    const int32_t top = e.home + width(e.type);
    if (top > max_bytes_) max_bytes_ = top;
  }
  /// Pushes a value that lives in its home slot; returns the home.
  int32_t push_home(ValType t, int32_t producer) {
    Entry e;
    e.type = t;
    e.home = next_home();
    e.producer = producer;
    push_entry(e);
    return e.home;
  }
  void push_const(ValType t, uint64_t bits) {
    if (!emitting()) return;
    Entry e;
    e.type = t;
    e.loc = Loc::Const;
    e.bits = bits;
    e.home = next_home();
    push_entry(e);
  }
  void pop(uint32_t n) { stack_.resize(stack_.size() - n); }
  void reset_stack(uint32_t height, const ValType* types, uint32_t n) {
    stack_.resize(height);
    for (uint32_t i = 0; i < n; ++i) push_home(types[i], -1);
  }

  /// Emits the copy of entry `e` into `dst` (any slot). Returns the instruction offset.
  uint32_t emit_move(const Entry& e, int32_t dst) {
    uint32_t at;
    if (e.loc == Loc::Const) {
      if (is128(e.type)) {
        at = emit(IOp::X_Const128);
        std::memcpy(code_.data() + at + iop_layout(IOp::X_Const128).imm_offset(),
                    v128_pool_[e.bits].bytes, 16);
      } else {
        at = emit(IOp::X_Const64);
        set_imm64(at, e.bits);
      }
    } else {
      at = emit(is128(e.type) ? IOp::X_Copy128 : IOp::X_Copy64);
      set_op(at, 1, e.loc == Loc::Local ? e.local : e.home);
    }
    set_op(at, 0, dst);
    return at;
  }
  /// Puts a copy of `e` in its home and returns the home (e itself is not updated).
  int32_t materialize_at(const Entry& e) {
    emit_move(e, e.home);
    return e.home;
  }
  void materialize(Entry& e) {
    if (e.loc == Loc::Home) return;
    e.producer = static_cast<int32_t>(emit_move(e, e.home));
    e.loc = Loc::Home;
  }
  /// Source operand of entry `i`: its local or home (constants are materialised).
  int32_t src(size_t i) {
    Entry& e = stack_[i];
    if (e.loc == Loc::Const) materialize(e);
    return e.loc == Loc::Local ? e.local : e.home;
  }

  void store_local(uint32_t index) {
    const int32_t off = local_off_[index];
    Entry& top = stack_.back();
    if (top.loc == Loc::Local && top.local == off) return;  // local.get x; local.set x
    for (size_t i = 0; i + 1 < stack_.size(); ++i) {
      if (stack_[i].loc == Loc::Local && stack_[i].local == off) materialize(stack_[i]);
    }
    Entry& value = stack_.back();
    if (value.loc == Loc::Home && value.producer >= 0 && value.producer == last_) {
      // The previous instruction computed the value: make it write the local directly.
      // last_ stays: the instruction is still the last one (an address computed this way can
      // fuse into the load that follows; fuse_address).
      set_op(static_cast<uint32_t>(last_), 0, off);
      value.producer = -1;
      return;
    }
    emit_move(value, off);
  }

  /// Emits `op` whose operands are `fixed` then the top `n` stack values (popped).
  void emit_with_sources(IOp op, std::initializer_list<int32_t> fixed, uint32_t n,
                         bool sources_first = false) {
    const size_t first = stack_.size() - n;
    int32_t s[4] = {0, 0, 0, 0};
    for (uint32_t i = 0; i < n; ++i) s[i] = src(first + i);
    const uint32_t at = emit(op);
    int k = 0;
    if (sources_first) {
      for (uint32_t i = 0; i < n; ++i) set_op(at, k++, s[i]);
      for (int32_t v : fixed) set_op(at, k++, v);
    } else {
      for (int32_t v : fixed) set_op(at, k++, v);
      for (uint32_t i = 0; i < n; ++i) set_op(at, k++, s[i]);
    }
    pop(n);
  }

  /// Materialises the top `n` values (below `skip` others) in their homes and returns the
  /// frame offset of a call whose first argument is the lowest of them.
  int32_t place_args(uint32_t n, uint32_t skip) {
    const size_t first = stack_.size() - skip - n;
    for (size_t i = first; i < first + n; ++i) materialize(stack_[i]);
    const int32_t frame = home_at(first);
    // The callee's frame starts here and its results land here: count them in our frame.
    return frame;
  }

  TFrame& frame_at(uint32_t depth) { return frames_[frames_.size() - 1 - depth]; }

  uint32_t label_arity(const TFrame& t) const {
    return t.kind == ControlKind::Loop ? t.num_params : t.num_results;
  }
  /// True when the values a branch to `target` carries already sit in the target's homes.
  bool values_in_place(const TFrame& target) const {
    const uint32_t n = label_arity(target);
    const size_t first = stack_.size() - n;
    for (uint32_t j = 0; j < n; ++j) {
      const Entry& e = stack_[first + j];
      if (e.loc != Loc::Home || e.home != target_home(target, j)) return false;
    }
    return true;
  }
  int32_t target_home(const TFrame& target, uint32_t j) const {
    const ValType* types = target.kind == ControlKind::Loop ? target.params() : target.results();
    int32_t h = home_at(target.height);
    for (uint32_t i = 0; i < j; ++i) h += width(types[i]);
    return h;
  }
  /// Copies the values a branch to `target` carries into the target's homes (in increasing
  /// order, which never overwrites a later source: each source sits at or above its target).
  void move_to_label(const TFrame& target) {
    const uint32_t n = label_arity(target);
    const size_t first = stack_.size() - n;
    for (uint32_t j = 0; j < n; ++j) {
      const Entry& e = stack_[first + j];
      const int32_t dst = target_home(target, j);
      if (e.loc == Loc::Home && e.home == dst) continue;
      emit_move(e, dst);
    }
  }
  void move_results_home(TFrame& tf) {
    const size_t first = stack_.size() - tf.num_results;
    for (size_t i = first; i < stack_.size(); ++i) materialize(stack_[i]);
  }
  /// Copies the function's results to fp[0..] and returns.
  void emit_return() {
    const TFrame& fn = frames_.front();
    const uint32_t n = fn.num_results;
    const size_t first = stack_.size() - n;
    // Locals inside the result area could be overwritten before they are read: move them
    // home first (homes are above every local).
    for (size_t i = first; i < stack_.size(); ++i) {
      if (stack_[i].loc == Loc::Local && stack_[i].local < result_bytes_) {
        materialize(stack_[i]);
      }
    }
    int32_t dst = 0;
    for (size_t i = first; i < stack_.size(); ++i) {
      const Entry& e = stack_[i];
      if (!(e.loc == Loc::Home && e.home == dst)) emit_move(e, dst);
      dst += width(e.type);
    }
    emit(IOp::X_Return);
  }

  void open_frame(const ControlFrame& f, ControlKind kind) {
    TFrame tf;
    tf.kind = kind;
    tf.dead = frames_.back().dead || st_->control_at(1).unreachable;
    tf.num_params = f.num_params;
    tf.num_results = f.num_results;
    if (f.block.kind == decoder::BlockType::Kind::Value) {
      tf.single = true;
      tf.single_result = f.block.type;
    } else {
      tf.type_params = f.params();   // module type section (or null)
      tf.type_results = f.results();
    }
    if (!tf.dead) {
      for (Entry& e : stack_) {
        if (e.loc == Loc::Local) materialize(e);
      }
      for (size_t i = stack_.size() - f.num_params; i < stack_.size(); ++i) {
        materialize(stack_[i]);
      }
      tf.height = static_cast<uint32_t>(stack_.size() - f.num_params);
    }
    frames_.push_back(std::move(tf));
  }

  bool check_mem(uint32_t mem) {
    if (mem == 0) return true;
    if (error_.empty()) error_ = "multiple memories are not supported by the interpreter yet";
    return false;
  }
  ValType addr_type(uint32_t mem) const {
    return m_.memories[mem].limits.is64 ? decoder::kI64 : decoder::kI32;
  }

  const CompiledModule& cm_;
  const decoder::Module& m_;
  const decoder::FunctionBody& body_;
  TranslateOptions options_;
  const void* const* handlers_;
  const decoder::DecoderState* st_ = nullptr;
  const uint8_t* code_end_ = nullptr;

  std::vector<int32_t>& local_off_;
  std::vector<ValType>& local_type_;
  int32_t param_bytes_ = 0;
  int32_t temp_base_ = 0;
  int32_t result_bytes_ = 0;
  int32_t max_bytes_ = 0;

  std::vector<Entry>& stack_;
  std::vector<TFrame>& frames_;
  std::vector<V128>& v128_pool_;
  std::vector<uint8_t> code_;
  std::vector<OffsetEntry> offsets_;
  int32_t last_ = -1;  // offset of the last emitted instruction, -1 after a label
  int32_t fuel_at_ = -1;     // the open block's Fuel instruction
  uint32_t fuel_count_ = 0;  // wasm instructions since it
  IOp last_op_ = IOp::X_Invalid;
  std::string error_;
};

}  // namespace

std::unique_ptr<FuncCode> translate(const CompiledModule& cm, uint32_t func_index,
                                    const TranslateOptions& options, std::string* error) {
  const decoder::Module& m = *cm.module;
  const uint32_t defined = func_index - m.num_imported_funcs;
  decoder::FunctionBody body = m.bodies[defined];  // a copy: decode() rewrites its outputs
  thread_local decoder::DecoderBuffers buffers;
  thread_local Scratch scratch;
  Translator tr(cm, body, options, scratch);
  decoder::FunctionDecoder<Translator> dec(m, cm.engine->features, buffers, tr);
  tr.attach(&dec);
  tr.set_code_end(m.bytes.data() + body.range.end());
  if (!dec.decode(body)) {
    *error = "translation failed: " + dec.error().message();
    return nullptr;
  }
  if (!tr.error().empty()) {
    *error = tr.error();
    return nullptr;
  }
  return tr.finish();
}

uint32_t FuncCode::wasm_offset(const uint8_t* pc) const {
  const uint32_t off = static_cast<uint32_t>(pc - bytes.data());
  uint32_t result = 0;
  size_t lo = 0, hi = offsets.size();
  while (lo < hi) {
    const size_t mid = (lo + hi) / 2;
    if (offsets[mid].code_offset <= off) {
      result = offsets[mid].wasm_offset;
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return result;
}

}  // namespace zinc::vm::interp

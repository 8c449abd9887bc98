// vm/interp/interp.cc: the threaded dispatch loop.
//
// One function, `run`, holds a label per internal opcode (code.h) and jumps from handler to
// handler through the address stored at the start of each instruction (direct threading with
// GCC/Clang's labels-as-values). The hot state (pc, frame pointer, memory base and size) lives
// in locals of `run` that the compiler keeps in registers. Computational and memory handlers are
// generated for every row of decoder/opcodes.def from the operation semantics (vm/semantics.h,
// vm/simd_semantics.h), so no instruction's meaning is written here.
//
// Wasm-to-wasm calls do not recurse on the native stack: the caller's state is pushed on the
// store's frame stack and the callee runs in the same loop. A trap unwinds the frames of this
// activation only. Out-of-bounds accesses in guard-page mode fault; the handler (signals.cc)
// longjmps to `execute`, so `run` holds no objects with destructors.
#include "vm/interp/interp.h"

#include <cstring>
#include <type_traits>

#include "decoder/immediates.h"
#include "vm/interp/builtins.h"
#include "vm/interp/code.h"
#include "vm/interp/translate.h"
#include "vm/semantics.h"
#include "vm/signals.h"
#include "vm/simd_semantics.h"

namespace zinc::vm::interp {

namespace {

using decoder::ImmKind;
using decoder::Opcode;
using decoder::SigType;

// ---- operand access ----

ZINC_ALWAYS_INLINE int32_t operand(const uint8_t* pc, int k) {
  int32_t v;
  std::memcpy(&v, pc + 8 + 4 * k, 4);
  return v;
}
template <typename T>
ZINC_ALWAYS_INLINE T load(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}
template <typename T>
ZINC_ALWAYS_INLINE void store(uint8_t* p, T v) {
  std::memcpy(p, &v, sizeof(T));
}
template <typename T>
ZINC_ALWAYS_INLINE T slot(const uint8_t* fp, const uint8_t* pc, int k) {
  return load<T>(fp + operand(pc, k));
}
/// Writes a value into its slot. 4-byte values are widened to the whole 8-byte slot, so a
/// later 8-byte copy of the slot reads what one store wrote (a narrower store followed by a
/// wider load defeats store-to-load forwarding and stalls for many cycles).
template <typename T>
ZINC_ALWAYS_INLINE void set_slot(uint8_t* fp, const uint8_t* pc, int k, T v) {
  if constexpr (sizeof(T) == 4) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    store<uint64_t>(fp + operand(pc, k), bits);
  } else {
    store<T>(fp + operand(pc, k), v);
  }
}
ZINC_ALWAYS_INLINE const void* handler_at(const uint8_t* pc) { return load<const void*>(pc); }

template <SigType T>
struct CTypeOf;
template <>
struct CTypeOf<SigType::I32> {
  using type = uint32_t;
};
template <>
struct CTypeOf<SigType::I64> {
  using type = uint64_t;
};
template <>
struct CTypeOf<SigType::F32> {
  using type = float;
};
template <>
struct CTypeOf<SigType::F64> {
  using type = double;
};
template <>
struct CTypeOf<SigType::V128> {
  using type = V128;
};
template <>
struct CTypeOf<SigType::Addr> {
  using type = uint32_t;
};
template <SigType T>
using CType = typename CTypeOf<T>::type;

template <typename S>
concept Trapping = requires { S::kTraps; };

/// The registers of the loop, passed by reference to inlined handlers.
struct Regs {
  const uint8_t* pc;
  uint8_t* fp;
  uint8_t* mem;
  uint64_t mem_size;
  TrapCode trap;
};

enum class Flow { Next, Trap, Invalid };

constexpr IOpLayout layout_of(Opcode op, unsigned variant) {
  return iop_layout(iop_of(op, variant));
}

// ---- computational instructions (ImmKind::None rows) ----

template <Opcode kOp, unsigned kVariant>
ZINC_ALWAYS_INLINE Flow exec_numeric(Regs& r) {
  constexpr decoder::Signature kSig = decoder::opcode_info(kOp).sig;
  using Sem = OpSem<kOp>;
  constexpr uint32_t kSize = layout_of(kOp, kVariant).size();
  const uint8_t* pc = r.pc;
  uint8_t* fp = r.fp;
  if constexpr (kSig.num_results == 0) {
    return Flow::Invalid;  // nop never reaches the interpreter
  } else {
    using R = CType<kSig.results[0]>;
    R result{};
    if constexpr (kSig.num_params == 1) {
      using A = CType<kSig.params[0]>;
      const A a = slot<A>(fp, pc, 1);
      if constexpr (Trapping<Sem>) {
        const TrapCode t = Sem::apply(a, result);
        if (t != TrapCode::None) [[unlikely]] {
          r.trap = t;
          return Flow::Trap;
        }
      } else {
        result = static_cast<R>(Sem::apply(a));
      }
    } else if constexpr (kSig.num_params == 2) {
      using A = CType<kSig.params[0]>;
      using B = CType<kSig.params[1]>;
      // The immediate holds the operand's bit pattern in its low bytes (little-endian).
      A a;
      B b;
      if constexpr (kVariant == kImmVariant) {
        a = slot<A>(fp, pc, 1);
        b = load<B>(pc + kImmBinaryLayout.imm_offset());
      } else if constexpr (kVariant == kImmLhsVariant) {
        a = load<A>(pc + kImmBinaryLayout.imm_offset());
        b = slot<B>(fp, pc, 1);
      } else {
        a = slot<A>(fp, pc, 1);
        b = slot<B>(fp, pc, 2);
      }
      if constexpr (Trapping<Sem>) {
        const TrapCode t = Sem::apply(a, b, result);
        if (t != TrapCode::None) [[unlikely]] {
          r.trap = t;
          return Flow::Trap;
        }
      } else {
        result = static_cast<R>(Sem::apply(a, b));
      }
    } else {
      using A = CType<kSig.params[0]>;
      using B = CType<kSig.params[1]>;
      using C = CType<kSig.params[2]>;
      result = static_cast<R>(
          Sem::apply(slot<A>(fp, pc, 1), slot<B>(fp, pc, 2), slot<C>(fp, pc, 3)));
    }
    set_slot<R>(fp, pc, 0, result);
    r.pc = pc + kSize;
    return Flow::Next;
  }
}

// ---- memory instructions ----

/// What a scalar memory instruction moves: Mem in memory, Val on the stack.
template <Opcode kOp>
struct ScalarMem;
#define ZINC_MEM(op, M, V)     \
  template <>                  \
  struct ScalarMem<Opcode::op> { \
    using Mem = M;             \
    using Val = V;             \
  };
ZINC_MEM(I32Load, uint32_t, uint32_t)
ZINC_MEM(I64Load, uint64_t, uint64_t)
ZINC_MEM(F32Load, float, float)
ZINC_MEM(F64Load, double, double)
ZINC_MEM(I32Load8S, int8_t, uint32_t)
ZINC_MEM(I32Load8U, uint8_t, uint32_t)
ZINC_MEM(I32Load16S, int16_t, uint32_t)
ZINC_MEM(I32Load16U, uint16_t, uint32_t)
ZINC_MEM(I64Load8S, int8_t, uint64_t)
ZINC_MEM(I64Load8U, uint8_t, uint64_t)
ZINC_MEM(I64Load16S, int16_t, uint64_t)
ZINC_MEM(I64Load16U, uint16_t, uint64_t)
ZINC_MEM(I64Load32S, int32_t, uint64_t)
ZINC_MEM(I64Load32U, uint32_t, uint64_t)
ZINC_MEM(I32Store, uint32_t, uint32_t)
ZINC_MEM(I64Store, uint64_t, uint64_t)
ZINC_MEM(F32Store, float, float)
ZINC_MEM(F64Store, double, double)
ZINC_MEM(I32Store8, uint8_t, uint32_t)
ZINC_MEM(I32Store16, uint16_t, uint32_t)
ZINC_MEM(I64Store8, uint8_t, uint64_t)
ZINC_MEM(I64Store16, uint16_t, uint64_t)
ZINC_MEM(I64Store32, uint32_t, uint64_t)
ZINC_MEM(V128Load, V128, V128)
ZINC_MEM(V128Store, V128, V128)
#undef ZINC_MEM

template <typename Mem, typename Val>
ZINC_ALWAYS_INLINE Val extend(Mem m) {
  if constexpr (std::is_integral_v<Mem> && std::is_signed_v<Mem>) {
    return static_cast<Val>(static_cast<std::make_signed_t<Val>>(m));
  } else {
    return static_cast<Val>(m);
  }
}

/// Effective address of a memory32 access: the address operand (zero-extended) plus the
/// offset, or with kAbs the constant address already folded into `imm`. False (trap) when
/// [ea, ea + n) is out of bounds in checked mode; in guard mode the access itself faults.
template <size_t kBytes, bool kChecked, bool kAbs>
ZINC_ALWAYS_INLINE bool address(Regs& r, int addr_operand, uint64_t imm, uint8_t** out) {
  uint64_t ea = imm;
  if constexpr (!kAbs) ea += static_cast<uint64_t>(slot<uint32_t>(r.fp, r.pc, addr_operand));
  if constexpr (kChecked) {
    if (ea + kBytes > r.mem_size) [[unlikely]] {
      r.trap = TrapCode::MemoryOutOfBounds;
      return false;
    }
  }
  *out = r.mem + ea;
  return true;
}

template <Opcode kOp, unsigned kVariant>
ZINC_ALWAYS_INLINE Flow exec_memory(Regs& r, Activation& act) {
  constexpr decoder::OpcodeInfo kInfo = decoder::opcode_info(kOp);
  constexpr bool kChecked = (kVariant & kCheckedVariant) != 0;
  constexpr bool kAbs = kVariant >= kAbsVariant;
  // Operands after the address move down by one when the address is folded away.
  constexpr int kShift = kAbs ? 1 : 0;
  constexpr IOpLayout kLayout = layout_of(kOp, kVariant);
  const uint64_t imm = load<uint64_t>(r.pc + kLayout.imm_offset());
  if constexpr (!kChecked) act.fault_pc = r.pc;
  if constexpr (kInfo.imm == ImmKind::MemArg) {
    if constexpr (requires { typename ScalarMem<kOp>::Mem; }) {
      using Mem = typename ScalarMem<kOp>::Mem;
      using Val = typename ScalarMem<kOp>::Val;
      uint8_t* p;
      if constexpr (kInfo.sig.num_results == 1) {  // load: dst, addr
        if (!address<sizeof(Mem), kChecked, kAbs>(r, 1, imm, &p)) return Flow::Trap;
        set_slot<Val>(r.fp, r.pc, 0, extend<Mem, Val>(load<Mem>(p)));
      } else {  // store: addr, value
        if (!address<sizeof(Mem), kChecked, kAbs>(r, 0, imm, &p)) return Flow::Trap;
        store<Mem>(p, static_cast<Mem>(slot<Val>(r.fp, r.pc, 1 - kShift)));
      }
    } else {  // SIMD load transforms: dst, addr
      using Sem = OpSem<kOp>;
      using Mem = typename Sem::Mem;
      uint8_t* p;
      if (!address<sizeof(Mem), kChecked, kAbs>(r, 1, imm, &p)) return Flow::Trap;
      set_slot<V128>(r.fp, r.pc, 0, Sem::apply(load<Mem>(p)));
    }
  } else {  // MemArgLane
    using Sem = OpSem<kOp>;
    using Mem = typename Sem::Mem;
    uint8_t* p;
    if constexpr (kInfo.sig.num_results == 1) {  // load lane: dst, addr, vec, lane
      if (!address<sizeof(Mem), kChecked, kAbs>(r, 1, imm, &p)) return Flow::Trap;
      const V128 v = slot<V128>(r.fp, r.pc, 2 - kShift);
      set_slot<V128>(r.fp, r.pc, 0,
                     Sem::apply(v, load<Mem>(p), static_cast<uint8_t>(operand(r.pc, 3 - kShift))));
    } else {  // store lane: addr, vec, lane
      if (!address<sizeof(Mem), kChecked, kAbs>(r, 0, imm, &p)) return Flow::Trap;
      const V128 v = slot<V128>(r.fp, r.pc, 1 - kShift);
      store<Mem>(p, Sem::apply(v, static_cast<uint8_t>(operand(r.pc, 2 - kShift))));
    }
  }
  r.pc += kLayout.size();
  return Flow::Next;
}

// ---- fused address + load: dst, base, addend; offset ----

template <Opcode kOp, bool kImmAddend, bool kChecked>
ZINC_ALWAYS_INLINE Flow exec_load_add(Regs& r, Activation& act) {
  using Mem = typename ScalarMem<kOp>::Mem;
  using Val = typename ScalarMem<kOp>::Val;
  constexpr IOpLayout kLayout = iop_layout(fused_load(kOp, kImmAddend, kChecked));
  const uint32_t base = slot<uint32_t>(r.fp, r.pc, 1);
  const uint32_t addend = kImmAddend ? static_cast<uint32_t>(operand(r.pc, 2))
                                     : slot<uint32_t>(r.fp, r.pc, 2);
  const uint32_t sum = base + addend;
  const uint64_t ea = static_cast<uint64_t>(sum) + load<uint64_t>(r.pc + kLayout.imm_offset());
  set_slot<uint32_t>(r.fp, r.pc, 3, sum);
  if constexpr (kChecked) {
    if (ea + sizeof(Mem) > r.mem_size) [[unlikely]] {
      r.trap = TrapCode::MemoryOutOfBounds;
      return Flow::Trap;
    }
  } else {
    act.fault_pc = r.pc;
  }
  set_slot<Val>(r.fp, r.pc, 0, extend<Mem, Val>(load<Mem>(r.mem + ea)));
  r.pc += kLayout.size();
  return Flow::Next;
}

// ---- lane instructions: dst, v, [x], lane ----

template <Opcode kOp>
ZINC_ALWAYS_INLINE Flow exec_lane(Regs& r) {
  constexpr decoder::Signature kSig = decoder::opcode_info(kOp).sig;
  using Sem = OpSem<kOp>;
  using R = CType<kSig.results[0]>;
  const V128 v = slot<V128>(r.fp, r.pc, 1);
  if constexpr (kSig.num_params == 1) {
    set_slot<R>(r.fp, r.pc, 0, static_cast<R>(Sem::apply(v, static_cast<uint8_t>(operand(r.pc, 2)))));
  } else {
    using X = CType<kSig.params[1]>;
    const X x = slot<X>(r.fp, r.pc, 2);
    set_slot<R>(r.fp, r.pc, 0, Sem::apply(v, x, static_cast<uint8_t>(operand(r.pc, 3))));
  }
  r.pc += layout_of(kOp, 0).size();
  return Flow::Next;
}

// ---- fused compare-and-branch: a, [b,] target [; imm] ----

template <Opcode kOp, bool kWhen, bool kImm>
ZINC_ALWAYS_INLINE void exec_branch_compare(Regs& r) {
  constexpr decoder::Signature kSig = decoder::opcode_info(kOp).sig;
  using A = CType<kSig.params[0]>;
  const A a = slot<A>(r.fp, r.pc, 0);
  bool taken;
  int target;
  if constexpr (kSig.num_params == 1) {
    taken = OpSem<kOp>::apply(a) != 0;
    target = 1;
  } else if constexpr (kImm) {
    taken = OpSem<kOp>::apply(
                a, static_cast<A>(load<uint64_t>(
                       r.pc + iop_layout(fused_branch(kOp, kWhen, kImm)).imm_offset()))) != 0;
    target = 1;
  } else {
    taken = OpSem<kOp>::apply(a, slot<A>(r.fp, r.pc, 1)) != 0;
    target = 2;
  }
  constexpr IOpLayout kLayout = iop_layout(fused_branch(kOp, kWhen, kImm));
  if (taken == kWhen) {
    r.pc += operand(r.pc, target);
  } else {
    r.pc += kLayout.size();
  }
}

/// The handler of row kOp, variant kVariant.
template <Opcode kOp, unsigned kVariant>
ZINC_ALWAYS_INLINE Flow exec_row(Regs& r, Activation& act) {
  constexpr decoder::OpcodeInfo kInfo = decoder::opcode_info(kOp);
  if constexpr (kInfo.sig.special) {
    return Flow::Invalid;
  } else if constexpr (kInfo.imm == ImmKind::None) {
    if constexpr (kVariant != 0 && (kVariant > kImmLhsVariant || !has_imm_variant(kOp))) {
      return Flow::Invalid;
    } else if constexpr (requires { &OpSem<kOp>::apply; }) {
      return exec_numeric<kOp, kVariant>(r);
    } else {
      return Flow::Invalid;
    }
  } else if constexpr (kInfo.imm == ImmKind::MemArg || kInfo.imm == ImmKind::MemArgLane) {
    return exec_memory<kOp, kVariant>(r, act);
  } else if constexpr (kInfo.imm == ImmKind::Lane && kVariant == 0) {
    return exec_lane<kOp>(r);
  } else {
    return Flow::Invalid;
  }
}

const void* const* g_handlers = nullptr;

#ifdef ZINC_PROFILE_PAIRS
}  // namespace
}  // namespace zinc::vm::interp
#include <map>
namespace zinc::vm::interp {
namespace {
struct PairProfile {
  std::map<const void*, int> index;
  std::map<std::pair<int, int>, uint64_t> pairs;
  std::map<int, uint64_t> singles;
  int prev = -1;
  ~PairProfile() {
    std::vector<std::pair<uint64_t, std::pair<int, int>>> v;
    for (auto& [k, n] : pairs) v.push_back({n, k});
    std::sort(v.rbegin(), v.rend());
    uint64_t total = 0;
    for (auto& [k, n] : singles) total += n;
    auto name = [](int op) {
      if (op < static_cast<int>(kRowIOps)) {
        return std::string(decoder::opcode_text(row_of(static_cast<IOp>(op)))) + "_v" +
               std::to_string(variant_of(static_cast<IOp>(op)));
      }
      return "iop" + std::to_string(op);
    };
    std::vector<std::pair<uint64_t, int>> sv;
    for (auto& [k, n] : singles) sv.push_back({n, k});
    std::sort(sv.rbegin(), sv.rend());
    std::fprintf(stderr, "total %llu\n", (unsigned long long)total);
    for (size_t i = 0; i < sv.size() && i < 25; ++i)
      std::fprintf(stderr, "  %5.2f%% %s\n", 100.0 * sv[i].first / total, name(sv[i].second).c_str());
    for (size_t i = 0; i < v.size() && i < 30; ++i)
      std::fprintf(stderr, "  %5.2f%% %s -> %s\n", 100.0 * v[i].first / total,
                   name(v[i].second.first).c_str(), name(v[i].second.second).c_str());
  }
};
PairProfile g_profile;
void profile_pair(const void* h) {
  if (g_profile.index.empty()) {
    for (int i = 0; i < static_cast<int>(IOp::Count); ++i) g_profile.index[g_handlers[i]] = i;
  }
  const int op = g_profile.index[h];
  ++g_profile.singles[op];
  if (g_profile.prev >= 0) ++g_profile.pairs[{g_profile.prev, op}];
  g_profile.prev = op;
}
#endif

constexpr uint32_t size_of(IOp op) { return iop_layout(op).size(); }

/// Memory 0 of `inst` as (base, size) for the registers.
ZINC_ALWAYS_INLINE void load_memory(InstanceInst* inst, Regs& r) {
  if (MemoryInst* m = inst->mem0) {
    r.mem = m->base;
    r.mem_size = m->size;
  } else {
    r.mem = nullptr;
    r.mem_size = 0;
  }
}

/// Runs until the activation's outermost frame returns. Returns false on a trap (frames of
/// the activation unwound, `out` filled). With store == nullptr, only publishes the handler
/// table (g_handlers).
bool run(StoreImpl* store, FuncInst* entry, Slot* entry_fp, Activation& act, ExecOutcome* out);

}  // namespace

const void* const* handler_table() {
  static const void* const* table = [] {
    Activation act;
    run(nullptr, nullptr, nullptr, act, nullptr);
    return g_handlers;
  }();
  return table;
}

namespace {

/// The wasm backtrace: the running function at `pc`, then the callers on the frame stack down
/// to `base`.
std::vector<FrameInfo> backtrace(StoreImpl& s, FuncInst* func, const uint8_t* pc, size_t base) {
  std::vector<FrameInfo> frames;
  auto add = [&](FuncInst* f, const uint8_t* at, bool is_return_address) {
    FrameInfo fi;
    if (f->module != nullptr) {
      fi.module_name = f->module->name;
      fi.func_index = f->func_index;
      fi.func_name = std::string(f->module->module->func_name(f->func_index));
      if (f->code != nullptr && at != nullptr) {
        fi.module_offset = f->code->wasm_offset(is_return_address ? at - 1 : at);
        fi.has_offset = true;
      }
    }
    frames.push_back(std::move(fi));
  };
  add(func, pc, false);
  // The frame stack holds the callers of every activation on this store (outer activations'
  // wasm frames sit below `base`, the host calls between them are not wasm frames), so the
  // backtrace spans them all, as Wasmtime's does.
  (void)base;
  for (size_t i = s.frames.size(); i-- > 0;) add(s.frames[i].func, s.frames[i].pc, true);
  return frames;
}

// Out of line so that `run` holds no objects with destructors (its computed gotos may not
// leave such scopes, and a guard-page fault longjmps out of it).
[[gnu::noinline]] bool call_host_from_wasm(StoreImpl& s, FuncInst* callee, Slot* fp,
                                          InstanceInst* inst, ExecOutcome* out) {
  Result<void> res = call_host(s, callee, fp, inst);
  if (res.ok()) return true;
  out->host_error = res.error();
  return false;
}

[[gnu::noinline]] FuncCode* translate_for_call(FuncInst* callee, ExecOutcome* out) {
  std::string error;
  FuncCode* code = callee->module->get_code(callee->func_index, &error);
  if (code == nullptr) {
    out->message = error;
    return nullptr;
  }
  callee->code = code;
  return code;
}

bool run(StoreImpl* store_ptr, FuncInst* entry, Slot* entry_fp, Activation& act,
         ExecOutcome* out) {
  static const void* const kLabels[] = {
#define V(N, P, C, T, I, S, F) &&L_##N##_0, &&L_##N##_1, &&L_##N##_2, &&L_##N##_3,
#include "decoder/opcodes.def"
#undef V
#define X(N, ops, imm) &&L_X_##N,
      ZINC_INTERNAL_IOPS(X)
#undef X
#define C(N) &&L_BrIf_##N, &&L_BrIfImm_##N, &&L_BrUnless_##N, &&L_BrUnlessImm_##N,
      ZINC_FUSED_COMPARES(C)
#undef C
#define L(N) &&L_LoadAddImm_##N, &&L_LoadAddImmChecked_##N, &&L_LoadAdd_##N, &&L_LoadAddChecked_##N,
      ZINC_FUSED_LOADS(L)
#undef L
  };
  static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == static_cast<size_t>(IOp::Count));
  if (store_ptr == nullptr) {
    g_handlers = kLabels;
    return true;
  }

  StoreImpl& s = *store_ptr;
  Regs r;
  FuncInst* func = entry;
  InstanceInst* inst = entry->instance;
  FuncInst* callee = nullptr;
  uint8_t* new_fp = nullptr;

#ifdef ZINC_PROFILE_PAIRS  // developer-only: counts executed instruction pairs (not built)
#define DISPATCH()                       \
  do {                                   \
    profile_pair(handler_at(r.pc));      \
    goto* handler_at(r.pc);              \
  } while (0)
#else
#define DISPATCH() goto* handler_at(r.pc)
#endif
#define ROW_FLOW(expr)                  \
  {                                     \
    const Flow f = expr;                \
    if (f == Flow::Next) [[likely]]     \
      DISPATCH();                       \
    if (f == Flow::Trap) goto trap;     \
    goto invalid;                       \
  }
#define ROW_HANDLER(N, v)                                  \
  L_##N##_##v : {                                         \
    const Flow f = exec_row<Opcode::N, v>(r, act);        \
    if (f == Flow::Next) [[likely]]                       \
      DISPATCH();                                         \
    if (f == Flow::Trap) goto trap;                       \
    goto invalid;                                         \
  }

  // Entry: the callee set-up of a call from the host.
  callee = entry;
  new_fp = reinterpret_cast<uint8_t*>(entry_fp);
  r.pc = nullptr;
  r.fp = nullptr;
  r.trap = TrapCode::None;
  act.func = entry;
  goto enter_wasm;

#define V(N, P, C, T, I, S, F) \
  ROW_HANDLER(N, 0) ROW_HANDLER(N, 1) ROW_HANDLER(N, 2) ROW_HANDLER(N, 3)
#include "decoder/opcodes.def"
#undef V

L_X_Invalid:
invalid:
  r.trap = TrapCode::Unreachable;
  out->message = "internal error: invalid interpreter instruction";
  goto trap;

L_X_Trap:
  r.trap = static_cast<TrapCode>(operand(r.pc, 0));
  goto trap;

L_X_Copy64:
  set_slot<uint64_t>(r.fp, r.pc, 0, slot<uint64_t>(r.fp, r.pc, 1));
  r.pc += size_of(IOp::X_Copy64);
  DISPATCH();

L_X_Copy128:
  set_slot<V128>(r.fp, r.pc, 0, slot<V128>(r.fp, r.pc, 1));
  r.pc += size_of(IOp::X_Copy128);
  DISPATCH();

L_X_Const64:
  set_slot<uint64_t>(r.fp, r.pc, 0, load<uint64_t>(r.pc + iop_layout(IOp::X_Const64).imm_offset()));
  r.pc += size_of(IOp::X_Const64);
  DISPATCH();

L_X_Const128:
  set_slot<V128>(r.fp, r.pc, 0, load<V128>(r.pc + iop_layout(IOp::X_Const128).imm_offset()));
  r.pc += size_of(IOp::X_Const128);
  DISPATCH();

L_X_Br:
  r.pc += operand(r.pc, 0);
  DISPATCH();

L_X_BrIf:
  if (slot<uint32_t>(r.fp, r.pc, 0) != 0) {
    r.pc += operand(r.pc, 1);
  } else {
    r.pc += size_of(IOp::X_BrIf);
  }
  DISPATCH();

L_X_BrUnless:
  if (slot<uint32_t>(r.fp, r.pc, 0) == 0) {
    r.pc += operand(r.pc, 1);
  } else {
    r.pc += size_of(IOp::X_BrUnless);
  }
  DISPATCH();

L_X_BrTable: {
  const uint32_t count = static_cast<uint32_t>(operand(r.pc, 1));
  uint32_t i = slot<uint32_t>(r.fp, r.pc, 0);
  if (i > count) i = count;
  r.pc += load<int32_t>(r.pc + size_of(IOp::X_BrTable) + 4 * i);
  DISPATCH();
}

L_X_Return:
  if (s.frames.size() == act.base_depth) return true;
  {
    const CallFrame& f = s.frames.back();
    func = f.func;
    r.pc = f.pc;
    r.fp = reinterpret_cast<uint8_t*>(f.fp);
    if (f.instance != inst) {
      inst = f.instance;
    }
    s.frames.pop();
  }
  act.func = func;
  load_memory(inst, r);
  DISPATCH();

L_X_Call:
  callee = inst->funcs[static_cast<uint32_t>(operand(r.pc, 0))];
  new_fp = r.fp + operand(r.pc, 1);
  r.pc += size_of(IOp::X_Call);
  goto call;

L_X_CallIndirect: {
  TableInst* table = inst->tables[static_cast<uint32_t>(operand(r.pc, 0))];
  const uint32_t index = slot<uint32_t>(r.fp, r.pc, 2);
  if (index >= table->elems.size()) [[unlikely]] {
    r.trap = TrapCode::UndefinedElement;
    goto trap;
  }
  callee = reinterpret_cast<FuncInst*>(static_cast<uintptr_t>(table->elems[index]));
  if (callee == nullptr) [[unlikely]] {
    r.trap = TrapCode::UninitializedElement;
    goto trap;
  }
  if (callee->type_id != static_cast<uint32_t>(operand(r.pc, 1))) [[unlikely]] {
    r.trap = TrapCode::IndirectCallTypeMismatch;
    goto trap;
  }
  new_fp = r.fp + operand(r.pc, 3);
  r.pc += size_of(IOp::X_CallIndirect);
  goto call;
}

call:
  if (callee->is_host()) {
    if (s.frames.full()) [[unlikely]] {
      r.pc -= 1;
      r.trap = TrapCode::StackExhausted;
      goto trap;
    }
    s.frames.push({func, r.pc, reinterpret_cast<Slot*>(r.fp), inst});
    Slot* const saved_top = s.stack_top;
    s.stack_top = reinterpret_cast<Slot*>(new_fp) +
                  (callee->param_slots > callee->result_slots ? callee->param_slots
                                                              : callee->result_slots);
    act.in_wasm = false;
    const bool host_ok = call_host_from_wasm(s, callee, reinterpret_cast<Slot*>(new_fp), inst, out);
    act.in_wasm = true;
    s.stack_top = saved_top;
    s.frames.pop();
    if (!host_ok) {
      r.pc -= 1;  // report the call instruction, not the one after it
      r.trap = TrapCode::HostTrap;
      goto trap;
    }
    load_memory(inst, r);
    DISPATCH();
  }
  if (s.frames.full()) [[unlikely]] {
    r.pc -= 1;  // the call instruction
    r.trap = TrapCode::StackExhausted;
    goto trap;
  }
enter_wasm: {
  // r.pc is null when called from the host (no wasm caller), else the caller's return pc.
  FuncCode* code = callee->code;
  if (code == nullptr) [[unlikely]] {
    code = translate_for_call(callee, out);
    if (code == nullptr) {
      if (r.pc != nullptr) r.pc -= 1;
      r.trap = TrapCode::Unreachable;
      goto trap;
    }
  }
  if (new_fp + static_cast<size_t>(code->frame_slots) * 8 >
      reinterpret_cast<uint8_t*>(s.stack_end)) [[unlikely]] {
    if (r.pc != nullptr) r.pc -= 1;
    r.trap = TrapCode::StackExhausted;
    goto trap;
  }
  if (r.pc != nullptr) s.frames.push({func, r.pc, reinterpret_cast<Slot*>(r.fp), inst});
  for (uint32_t i = code->param_slots; i < code->local_slots; ++i) {
    store<uint64_t>(new_fp + 8 * i, 0);
  }
  func = callee;
  act.func = func;
  r.fp = new_fp;
  r.pc = code->start();
  if (callee->instance != inst) {
    inst = callee->instance;
  }
  load_memory(inst, r);
  DISPATCH();
}

L_X_Select64:
  set_slot<uint64_t>(r.fp, r.pc, 0,
                     slot<uint32_t>(r.fp, r.pc, 3) != 0 ? slot<uint64_t>(r.fp, r.pc, 1)
                                                        : slot<uint64_t>(r.fp, r.pc, 2));
  r.pc += size_of(IOp::X_Select64);
  DISPATCH();

L_X_Select128:
  set_slot<V128>(r.fp, r.pc, 0,
                 slot<uint32_t>(r.fp, r.pc, 3) != 0 ? slot<V128>(r.fp, r.pc, 1)
                                                    : slot<V128>(r.fp, r.pc, 2));
  r.pc += size_of(IOp::X_Select128);
  DISPATCH();

L_X_GlobalGet64:
  set_slot<uint64_t>(r.fp, r.pc, 0,
                     inst->globals[static_cast<uint32_t>(operand(r.pc, 1))]->value[0]);
  r.pc += size_of(IOp::X_GlobalGet64);
  DISPATCH();

L_X_GlobalGet128:
  set_slot<V128>(r.fp, r.pc, 0,
                 load<V128>(reinterpret_cast<const uint8_t*>(
                     inst->globals[static_cast<uint32_t>(operand(r.pc, 1))]->value)));
  r.pc += size_of(IOp::X_GlobalGet128);
  DISPATCH();

L_X_GlobalSet64:
  inst->globals[static_cast<uint32_t>(operand(r.pc, 1))]->value[0] =
      slot<uint64_t>(r.fp, r.pc, 0);
  r.pc += size_of(IOp::X_GlobalSet64);
  DISPATCH();

L_X_GlobalSet128:
  store<V128>(reinterpret_cast<uint8_t*>(
                  inst->globals[static_cast<uint32_t>(operand(r.pc, 1))]->value),
              slot<V128>(r.fp, r.pc, 0));
  r.pc += size_of(IOp::X_GlobalSet128);
  DISPATCH();

L_X_RefIsNull:
  set_slot<uint32_t>(r.fp, r.pc, 0, slot<uint64_t>(r.fp, r.pc, 1) == 0 ? 1 : 0);
  r.pc += size_of(IOp::X_RefIsNull);
  DISPATCH();

L_X_RefFunc:
  set_slot<uint64_t>(r.fp, r.pc, 0,
                     static_cast<uint64_t>(reinterpret_cast<uintptr_t>(
                         inst->funcs[static_cast<uint32_t>(operand(r.pc, 1))])));
  r.pc += size_of(IOp::X_RefFunc);
  DISPATCH();

L_X_TableGet: {
  Slot v = 0;
  r.trap = builtins::table_get(inst->tables[static_cast<uint32_t>(operand(r.pc, 1))],
                               slot<uint32_t>(r.fp, r.pc, 2), &v);
  if (r.trap != TrapCode::None) goto trap;
  set_slot<uint64_t>(r.fp, r.pc, 0, v);
  r.pc += size_of(IOp::X_TableGet);
  DISPATCH();
}

L_X_TableSet:
  r.trap = builtins::table_set(inst->tables[static_cast<uint32_t>(operand(r.pc, 0))],
                               slot<uint32_t>(r.fp, r.pc, 1), slot<uint64_t>(r.fp, r.pc, 2));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_TableSet);
  DISPATCH();

L_X_TableSize:
  set_slot<uint32_t>(
      r.fp, r.pc, 0,
      static_cast<uint32_t>(inst->tables[static_cast<uint32_t>(operand(r.pc, 1))]->elems.size()));
  r.pc += size_of(IOp::X_TableSize);
  DISPATCH();

L_X_TableGrow: {
  TableInst* t = inst->tables[static_cast<uint32_t>(operand(r.pc, 1))];
  const int64_t old = t->grow(slot<uint32_t>(r.fp, r.pc, 3), slot<uint64_t>(r.fp, r.pc, 2));
  set_slot<uint32_t>(r.fp, r.pc, 0, static_cast<uint32_t>(old));
  r.pc += size_of(IOp::X_TableGrow);
  DISPATCH();
}

L_X_TableFill:
  r.trap = builtins::table_fill(inst->tables[static_cast<uint32_t>(operand(r.pc, 0))],
                                slot<uint32_t>(r.fp, r.pc, 1), slot<uint64_t>(r.fp, r.pc, 2),
                                slot<uint32_t>(r.fp, r.pc, 3));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_TableFill);
  DISPATCH();

L_X_TableCopy:
  r.trap = builtins::table_copy(inst->tables[static_cast<uint32_t>(operand(r.pc, 0))],
                                inst->tables[static_cast<uint32_t>(operand(r.pc, 1))],
                                slot<uint32_t>(r.fp, r.pc, 2), slot<uint32_t>(r.fp, r.pc, 3),
                                slot<uint32_t>(r.fp, r.pc, 4));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_TableCopy);
  DISPATCH();

L_X_TableInit:
  r.trap = builtins::table_init(inst, inst->tables[static_cast<uint32_t>(operand(r.pc, 0))],
                                static_cast<uint32_t>(operand(r.pc, 1)),
                                slot<uint32_t>(r.fp, r.pc, 2), slot<uint32_t>(r.fp, r.pc, 3),
                                slot<uint32_t>(r.fp, r.pc, 4));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_TableInit);
  DISPATCH();

L_X_ElemDrop:
  builtins::elem_drop(inst, static_cast<uint32_t>(operand(r.pc, 0)));
  r.pc += size_of(IOp::X_ElemDrop);
  DISPATCH();

L_X_MemorySize:
  set_slot<uint32_t>(r.fp, r.pc, 0,
                     static_cast<uint32_t>(
                         inst->memories[static_cast<uint32_t>(operand(r.pc, 1))]->pages()));
  r.pc += size_of(IOp::X_MemorySize);
  DISPATCH();

L_X_MemoryGrow: {
  MemoryInst* m = inst->memories[static_cast<uint32_t>(operand(r.pc, 1))];
  const int64_t old = m->grow(slot<uint32_t>(r.fp, r.pc, 2));
  set_slot<uint32_t>(r.fp, r.pc, 0, static_cast<uint32_t>(old));
  load_memory(inst, r);
  r.pc += size_of(IOp::X_MemoryGrow);
  DISPATCH();
}

L_X_MemoryFill:
  r.trap = builtins::memory_fill(inst->memories[static_cast<uint32_t>(operand(r.pc, 0))],
                                 slot<uint32_t>(r.fp, r.pc, 1),
                                 static_cast<uint8_t>(slot<uint32_t>(r.fp, r.pc, 2)),
                                 slot<uint32_t>(r.fp, r.pc, 3));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_MemoryFill);
  DISPATCH();

L_X_MemoryCopy:
  r.trap = builtins::memory_copy(inst->memories[static_cast<uint32_t>(operand(r.pc, 0))],
                                 inst->memories[static_cast<uint32_t>(operand(r.pc, 1))],
                                 slot<uint32_t>(r.fp, r.pc, 2), slot<uint32_t>(r.fp, r.pc, 3),
                                 slot<uint32_t>(r.fp, r.pc, 4));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_MemoryCopy);
  DISPATCH();

L_X_MemoryInit:
  r.trap = builtins::memory_init(inst, inst->memories[static_cast<uint32_t>(operand(r.pc, 0))],
                                 static_cast<uint32_t>(operand(r.pc, 1)),
                                 slot<uint32_t>(r.fp, r.pc, 2), slot<uint32_t>(r.fp, r.pc, 3),
                                 slot<uint32_t>(r.fp, r.pc, 4));
  if (r.trap != TrapCode::None) goto trap;
  r.pc += size_of(IOp::X_MemoryInit);
  DISPATCH();

L_X_DataDrop:
  builtins::data_drop(inst, static_cast<uint32_t>(operand(r.pc, 0)));
  r.pc += size_of(IOp::X_DataDrop);
  DISPATCH();

L_X_Fuel: {
  const uint64_t cost = static_cast<uint32_t>(operand(r.pc, 0));
  if (s.fuel < cost) [[unlikely]] {
    s.fuel = 0;
    r.trap = TrapCode::OutOfFuel;
    goto trap;
  }
  s.fuel -= cost;
  r.pc += size_of(IOp::X_Fuel);
  DISPATCH();
}

L_X_Epoch:
  if (s.engine->epoch.load(std::memory_order_relaxed) >= s.epoch_deadline) [[unlikely]] {
    r.trap = TrapCode::Interrupt;
    goto trap;
  }
  r.pc += size_of(IOp::X_Epoch);
  DISPATCH();

L_X_I8x16Shuffle:
  set_slot<V128>(r.fp, r.pc, 0,
                 OpSem<Opcode::I8x16Shuffle>::apply(
                     slot<V128>(r.fp, r.pc, 1), slot<V128>(r.fp, r.pc, 2),
                     load<V128>(r.pc + iop_layout(IOp::X_I8x16Shuffle).imm_offset())));
  r.pc += size_of(IOp::X_I8x16Shuffle);
  DISPATCH();

L_X_BrIfEqz64:
  goto invalid;

#define C(N)                                                                       \
  L_BrIf_##N : exec_branch_compare<Opcode::N, true, false>(r);                     \
  DISPATCH();                                                                      \
  L_BrIfImm_##N : exec_branch_compare<Opcode::N, true, true>(r);                   \
  DISPATCH();                                                                      \
  L_BrUnless_##N : exec_branch_compare<Opcode::N, false, false>(r);                \
  DISPATCH();                                                                      \
  L_BrUnlessImm_##N : exec_branch_compare<Opcode::N, false, true>(r);              \
  DISPATCH();
  ZINC_FUSED_COMPARES(C)
#undef C

#define L(N)                                                            \
  L_LoadAddImm_##N : ROW_FLOW((exec_load_add<Opcode::N, true, false>(r, act)))  \
  L_LoadAddImmChecked_##N : ROW_FLOW((exec_load_add<Opcode::N, true, true>(r, act))) \
  L_LoadAdd_##N : ROW_FLOW((exec_load_add<Opcode::N, false, false>(r, act)))     \
  L_LoadAddChecked_##N : ROW_FLOW((exec_load_add<Opcode::N, false, true>(r, act)))
  ZINC_FUSED_LOADS(L)
#undef L

trap:
  out->trap = r.trap;
  out->frames = backtrace(s, func, r.pc, act.base_depth);
  s.frames.resize(act.base_depth);
  return false;

#undef ROW_HANDLER
#undef ROW_FLOW
#undef DISPATCH
}

}  // namespace

bool execute(StoreImpl& store, FuncInst* func, Slot* fp, ExecOutcome* out) {
  Activation act;
  act.prev = current_activation();
  act.base_depth = store.frames.size();
  act.in_wasm = true;
  current_activation() = &act;
  if (sigsetjmp(act.jmp, 0) != 0) {
    // An out-of-bounds access faulted in guarded memory (signals.cc).
    current_activation() = act.prev;
    out->trap = TrapCode::MemoryOutOfBounds;
    out->frames = backtrace(store, act.func, act.fault_pc, act.base_depth);
    store.frames.resize(act.base_depth);
    return false;
  }
  const bool ok = run(&store, func, fp, act, out);
  current_activation() = act.prev;
  return ok;
}

Result<void> call_host(StoreImpl& store, FuncInst* func, Slot* slots, InstanceInst* caller) {
  Caller c(*store.owner, caller);
  return func->host->callback(c, slots);
}

}  // namespace zinc::vm::interp

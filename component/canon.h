// component/canon.h: the synchronous Canonical ABI -- lifting and lowering component values
// between core wasm (flat core values and linear memory) and the component level.
//
// Mirrors the reference implementation, design/mvp/canonical-abi/definitions.py of
// WebAssembly/component-model: one C++ function per spec function, each marked
// `// definitions.py: name`, so spec revisions can be diffed mechanically. Deviations are
// named where they occur; the main ones:
//   * 32-bit memories only (ptr_type i32); the async ABI (async lifts, callbacks, streams,
//     futures, waitables, error-context) traps with TrapKind::NotImplemented. An async
//     *lower* works when its callee is synchronous (always, today): the subtask is resolved
//     when the callee returns, so it returns RETURNED with results through the out-param.
//   * Floats are stored with their bits (no NaN scrambling): the deterministic profile.
//   * A lifted list of bool/number/char elements is a packed Val (one memcpy).
//   * Functions return `bool` (false: trapped) and record the trap in the LiftLowerContext
//     (a sticky first error, as in the decoder); the call-level entry points (canon_lift,
//     canon_lower, canon_resource_*) return Result.
//   * Trap checks that the spec performs after removing a handle are done before removing it,
//     so the handle table stays consistent after a trap (observably the same: a trap ends the
//     call).
//   * Lifted component values are `Val`s (zinc/component/val.h); a lifted string is a
//     `StringRef` view (the spec's (str, encoding, tagged_code_units) tuple) that stays in guest
//     memory until it is stored, which lets canon_fused.cc copy values from one memory into
//     another without a Val tree.
// Memory and realloc are behind small interfaces (GuestMemory, ReallocFn, CoreFn) so all of
// this runs without the component runtime (tests, benchmarks).
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/CanonicalABI.md
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "zinc/component/types.h"
#include "zinc/component/val.h"
#include "zinc/result.h"

namespace zinc::vm {
struct StoreImpl;
struct FuncInst;
struct MemoryInst;
}  // namespace zinc::vm

// The Canonical ABI's functions have the spec's short names (load, store, lift_flat, ...), so
// they live in their own namespace rather than beside the runtime's types.
namespace zinc::component::canon {

/// A non-owning reference to a callable (for callbacks that never outlive the call).
template <class Sig>
class FunctionRef;
template <class R, class... A>
class FunctionRef<R(A...)> {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT: implicit, like std::function
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* o, A... a) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(o))(std::forward<A>(a)...);
        }) {}
  R operator()(A... a) const { return call_(obj_, std::forward<A>(a)...); }

 private:
  void* obj_;
  R (*call_)(void*, A...);
};

// ---- limits (definitions.py constants) ----
inline constexpr uint32_t kMaxStringByteLength = (1u << 28) - 1;  // MAX_STRING_BYTE_LENGTH
inline constexpr uint32_t kMaxListByteLength = (1u << 28) - 1;    // MAX_LIST_BYTE_LENGTH
inline constexpr uint64_t kReallocI32Max = 0xffffffffu;           // REALLOC_I32_MAX
inline constexpr uint32_t kUtf16Tag = 1u << 31;                   // utf16_tag('i32')
inline constexpr uint32_t kCanonicalFloat32Nan = 0x7fc00000u;     // CANONICAL_FLOAT32_NAN
inline constexpr uint64_t kCanonicalFloat64Nan = 0x7ff8000000000000u;

// ---- traps ----

/// Every Canonical ABI trap (canon_traps.def).
enum class TrapKind : uint8_t {
#define C(Name, host, component) Name,
#include "component/canon_traps.def"
#undef C
};

/// Who is on the other side of a lift or lower: selects the message column of
/// canon_traps.def (the official tests word host-side and adapter-side traps differently).
enum class Boundary : uint8_t { Host, Component };

/// The message of trap `k` with its `{}` placeholders replaced by `args`.
std::string trap_text(TrapKind k, Boundary b, std::initializer_list<std::string_view> args = {});
/// A zinc::Error of kind Trap, code ComponentTrap, carrying trap_text(k, b, args).
Error trap_error(TrapKind k, Boundary b, std::initializer_list<std::string_view> args = {});

// ---- options (definitions.py: CanonicalOptions) ----

enum class StringEncoding : uint8_t { Utf8, Utf16, Latin1Utf16 };
const char* encoding_name(StringEncoding e);  // "utf8", "utf16", "latin1+utf16"

/// A 32-bit linear memory seen by the canonical ABI: its base and size are read through
/// pointers on every access, so they are current after a realloc call grew the memory.
class GuestMemory {
 public:
  GuestMemory() = default;
  GuestMemory(uint8_t* const* base, const uint64_t* size) : base_(base), size_(size) {}
  /// Views a core memory of the runtime (its base/size fields).
  static GuestMemory of(vm::MemoryInst& m);

  bool valid() const { return base_ != nullptr; }
  uint8_t* data() const { return *base_; }
  uint64_t size() const { return *size_; }
  /// True when [ptr, ptr + len) lies in the memory (no overflow: 64-bit arithmetic).
  bool in_bounds(uint64_t ptr, uint64_t len) const { return ptr + len <= size(); }

 private:
  uint8_t* const* base_ = nullptr;
  const uint64_t* size_ = nullptr;
};

/// A core function call: arguments in `slots[0..params)`, results written to
/// `slots[0..results)` (8-byte slots as vm/runtime.h lays them out: i32/f32 in the low four
/// bytes). `num_slots` >= max(params, results).
using CoreFn = std::function<Result<void>(uint64_t* slots, size_t num_slots)>;
/// The `realloc` option: (old ptr, old size, alignment, new size) -> ptr, or a trap.
using ReallocFn = std::function<Result<uint32_t>(uint32_t, uint32_t, uint32_t, uint32_t)>;

/// A core function of the runtime as a CoreFn (calls vm::invoke).
CoreFn core_fn(vm::StoreImpl& store, vm::FuncInst* func);
/// A core `realloc` function of the runtime as a ReallocFn.
ReallocFn realloc_fn(vm::StoreImpl& store, vm::FuncInst* func);

// definitions.py: LiftOptions, LiftLowerOptions, CanonicalOptions
struct CanonicalOptions {
  StringEncoding string_encoding = StringEncoding::Utf8;
  GuestMemory memory;     // !valid(): no `memory` option
  ReallocFn realloc;      // empty: no `realloc` option
  CoreFn post_return;     // empty: no `post-return` option
  bool async = false;     // the async ABI is not implemented: canon_lift/lower refuse it
  bool callback = false;  // likewise
};

// ---- runtime state (definitions.py: Runtime State) ----

class InstanceState;
class Task;

// definitions.py: ResourceHandle
struct ResourceHandle {
  const ResourceType* rt = nullptr;
  uint32_t rep = 0;
  bool own = false;
  Task* borrow_scope = nullptr;  // borrows: the Task that lowered it
  uint32_t num_lends = 0;
};

// definitions.py: Table (the `handles` table of a component instance; only resource handles
// for now: waitables, waitable sets and error contexts belong to the async ABI).
class HandleTable {
 public:
  static constexpr uint32_t kMaxLength = (1u << 28) - 1;  // Table.MAX_LENGTH

  HandleTable() : array_(1) {}  // element 0 is reserved

  /// The handle at `i`, or null when `i` is out of range or free (Table.get's traps).
  ResourceHandle* get(uint32_t i);
  /// Adds `h`, reusing a free index first; nullopt when the table is full (Table.add's trap).
  std::optional<uint32_t> add(const ResourceHandle& h);
  /// Removes the handle at `i` (which must be live).
  ResourceHandle remove(uint32_t i);
  /// Number of live handles.
  size_t live() const { return array_.size() - 1 - free_.size(); }
  /// Calls f(index, handle&) for every live handle.
  template <class F>
  void for_each(F&& f) {
    for (uint32_t i = 1; i < array_.size(); ++i) {
      if (array_[i].used) f(i, array_[i].h);
    }
  }

 private:
  struct Slot {
    bool used = false;
    ResourceHandle h;
  };
  std::vector<Slot> array_;
  std::vector<uint32_t> free_;
};

/// A resource's destructor called as a lifted function: its argument is the rep.
using DtorFn = std::function<Result<void>(uint32_t rep)>;

/// definitions.py: ResourceType's runtime fields. types.h's ResourceType is the identity
/// (handles are checked against it by pointer); the implementing instance and destructor are
/// recorded here, per store.
struct ResourceImpl {
  InstanceState* impl = nullptr;  // null: defined by the host
  DtorFn dtor;                    // empty: no destructor
};

/// The ResourceImpl of every resource type of a store. A type not registered counts as
/// host-defined without destructor.
class ResourceRegistry {
 public:
  void define(const ResourceType* rt, InstanceState* impl, DtorFn dtor = {});
  const ResourceImpl* find(const ResourceType* rt) const;

 private:
  std::unordered_map<const ResourceType*, ResourceImpl> map_;
};

// definitions.py: ComponentInstance (the synchronous subset: handles, may_enter, may_leave).
// The host takes part as an instance too: a Val holding a handle is an index into the host's
// InstanceState (see HostHandles).
class InstanceState {
 public:
  explicit InstanceState(ResourceRegistry* resources = nullptr, InstanceState* parent = nullptr,
                         std::string name = {})
      : resources(resources), parent(parent), name(std::move(name)) {}
  InstanceState(const InstanceState&) = delete;
  InstanceState& operator=(const InstanceState&) = delete;

  ResourceRegistry* resources;  // the store's resource implementations (may be null)
  InstanceState* parent;        // the component instance that instantiated this one
  HandleTable handles;
  bool may_enter = true;
  bool may_leave = true;
  /// definitions.py: Thread.context (context.get / context.set). Synchronous calls run one
  /// task at a time per instance, so the slots live here: entering the instance starts a task
  /// with zeroed slots, leaving restores the interrupted task's (a parent re-entered from its
  /// child).
  uint32_t context[2] = {0, 0};
  std::vector<std::array<uint32_t, 2>> saved_context;
  std::string name;  // for messages

  // definitions.py: ComponentInstance.may_enter_from / enter_from / leave_to
  bool may_enter_from(const InstanceState* caller) const;
  void enter_from(const InstanceState* caller);
  void leave_to(const InstanceState* caller);
  /// definitions.py: `cx.inst is t.rt.impl`.
  bool implements(const ResourceType* rt) const;
};

// definitions.py: Task (synchronous: the scope of the borrow handles lowered into `inst` for
// one call). A Task destroyed with borrows outstanding (a trap unwound the call) removes
// those handles, so no handle points to a dead Task.
class Task {
 public:
  explicit Task(InstanceState* inst) : inst(inst) {}
  Task(const Task&) = delete;
  Task& operator=(const Task&) = delete;
  ~Task();

  InstanceState* inst;
  uint32_t num_borrows = 0;

  /// definitions.py: Task.return_ (its trap: borrows must all be dropped by now).
  bool return_(Boundary b, Error* error) const;
};

// definitions.py: Subtask (synchronous: the lenders of one import call). Lent handles are
// released by deliver_resolve, or by the destructor when a trap unwound the call.
class Subtask {
 public:
  explicit Subtask(InstanceState* inst) : inst(inst) {}
  Subtask(const Subtask&) = delete;
  Subtask& operator=(const Subtask&) = delete;
  ~Subtask() { deliver_resolve(); }

  InstanceState* inst;

  // definitions.py: Subtask.add_lender / deliver_resolve
  void add_lender(uint32_t handle_index);
  void deliver_resolve();

 private:
  std::vector<uint32_t> lenders_;
};

/// The host side of a Val-path lift or lower. When `table` is set, a Val of type own/borrow
/// holds an index into the host's handle table (the embedding API's resource handles): lifting
/// moves the handle into it (lower_own / lower_borrow on the host side), lowering takes it
/// from there (lift_own / lift_borrow). When `table` is null, Vals hold the resource's rep
/// (the spec's abstract value), as a component-to-component Val-path call needs.
struct HostHandles {
  InstanceState* table = nullptr;
  Task* task = nullptr;        // scope of borrows lowered into the host (a host call)
  Subtask* subtask = nullptr;  // lender scope of borrows the host passes to the guest
};

// definitions.py: LiftLowerContext
class LiftLowerContext {
 public:
  LiftLowerContext(const CanonicalOptions& opts, InstanceState* inst, Task* task = nullptr,
                   Subtask* subtask = nullptr)
      : opts(opts), inst(inst), task(task), subtask(subtask) {}
  LiftLowerContext(const LiftLowerContext&) = delete;
  LiftLowerContext& operator=(const LiftLowerContext&) = delete;

  const CanonicalOptions& opts;
  InstanceState* inst;
  Task* task;        // borrow_scope when lowering (lower_borrow)
  Subtask* subtask;  // borrow_scope when lifting (lift_borrow)
  Boundary boundary = Boundary::Host;
  HostHandles* host = nullptr;  // see HostHandles
  /// Bytes of host memory a lift may allocate for Vals (strings, lists, Val nodes); a guest
  /// cannot make the host allocate more than this whatever lengths it claims.
  uint64_t host_budget = uint64_t{1} << 30;
  /// Set when every Val being lowered was checked by `matches` (call_lifted, a host's results
  /// in canon_lower): host strings are then known to be UTF-8 and are not validated again.
  bool vals_checked = false;

  // ---- memory ----
  uint8_t* mem() const { return opts.memory.data(); }
  uint64_t mem_size() const { return opts.memory.size(); }

  // definitions.py: LiftLowerContext.reallocate / allocate
  bool reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment, uint32_t new_size,
                  uint32_t* out);
  bool allocate(uint32_t alignment, uint32_t size, uint32_t* out) {
    return reallocate(0, 0, alignment, size, out);
  }

  // ---- errors: the first one sticks ----
  /// Records trap `k` (the first error wins); returns false for `return cx.trap(...)`.
  bool trap(TrapKind k, std::initializer_list<std::string_view> args = {});
  bool fail(Error e);
  bool failed() const { return error_ != nullptr; }
  const Error& error() const { return *error_; }
  Error take_error();
  /// Takes `bytes` from host_budget; traps when it runs out.
  bool charge(uint64_t bytes);

 private:
  std::unique_ptr<Error> error_;
};
using Cx = LiftLowerContext;

/// definitions.py: String = (str, encoding, tagged_code_units). The bytes stay where they are:
/// in a guest memory (re-read through GuestMemory after every realloc) or in host memory.
struct StringRef {
  StringEncoding encoding = StringEncoding::Utf8;
  uint32_t tagged_code_units = 0;
  const uint8_t* host = nullptr;        // host bytes, or
  const GuestMemory* memory = nullptr;  // guest bytes at `offset`
  uint32_t offset = 0;

  const uint8_t* bytes() const { return memory ? memory->data() + offset : host; }
  /// The simple encoding of the bytes: latin1+utf16 resolved by the tag.
  bool is_utf16() const {
    return encoding == StringEncoding::Utf16 ||
           (encoding == StringEncoding::Latin1Utf16 && (tagged_code_units & kUtf16Tag));
  }
  bool is_latin1() const {
    return encoding == StringEncoding::Latin1Utf16 && !(tagged_code_units & kUtf16Tag);
  }
  uint32_t code_units() const {
    return encoding == StringEncoding::Latin1Utf16 ? tagged_code_units & ~kUtf16Tag
                                                   : tagged_code_units;
  }
  uint64_t byte_length() const { return uint64_t{code_units()} * (is_utf16() ? 2 : 1); }
  /// A view of a host UTF-8 string.
  static StringRef utf8(std::string_view s) {
    StringRef r;
    r.tagged_code_units = static_cast<uint32_t>(s.size());
    r.host = reinterpret_cast<const uint8_t*>(s.data());
    return r;
  }
};

// ---- type layout helpers ----

/// definitions.py: align_to (64-bit, never overflows for 32-bit inputs).
constexpr uint64_t align_to(uint64_t ptr, uint32_t alignment) {
  return (ptr + alignment - 1) / alignment * alignment;
}
/// definitions.py: max_case_alignment
uint32_t max_case_alignment(const ValType& variant);
/// The byte offset of a variant's payload: align_to(discriminant size, max_case_alignment).
uint32_t variant_payload_offset(const ValType& variant);

/// definitions.py: alignment / elem_size of TupleType(ts) (spilled parameters and results),
/// with the offset of each element.
struct TupleLayout {
  uint32_t align = 1;
  uint32_t size = 0;
  std::vector<uint32_t> offsets;
};
TupleLayout tuple_layout(std::span<const TypeRef> ts);
/// definitions.py: flatten_types (the count only; exact up to kMaxFlatParams + 1, at least
/// that above, which is all the spill decisions need).
size_t flat_count_slow(std::span<const TypeRef> ts);
inline size_t flat_count(std::span<const TypeRef> ts) {
  if (ts.empty()) return 0;
  if (ts.size() == 1) return ts[0]->flat.size();  // at most kMaxFlatParams + 1 by interning
  return flat_count_slow(ts);
}

// ---- Loading (canon_load.cc) ----

// definitions.py: load. Precondition (asserted): ptr aligned and ptr + elem_size in bounds.
bool load(Cx& cx, uint32_t ptr, TypeRef t, Val& out);
// definitions.py: load_int (little-endian host, as the interpreter assumes)
inline uint64_t load_int(const Cx& cx, uint32_t ptr, uint32_t nbytes) {
  uint64_t v = 0;
  std::memcpy(&v, cx.mem() + ptr, nbytes);
  return v;
}
int64_t load_int_signed(const Cx& cx, uint32_t ptr, uint32_t nbytes);
// definitions.py: convert_int_to_bool
inline bool convert_int_to_bool(uint64_t i) {
  return i != 0;
}
// definitions.py: canonicalize_nan32 / canonicalize_nan64 (on bit patterns)
uint32_t canonicalize_nan32(uint32_t bits);
uint64_t canonicalize_nan64(uint64_t bits);
// definitions.py: convert_i32_to_char
bool convert_i32_to_char(Cx& cx, uint32_t i, uint32_t* out);
// definitions.py: load_string
bool load_string(Cx& cx, uint32_t ptr, StringRef* out);
// definitions.py: load_string_from_range (bounds, alignment and encoding checks; the result
// views guest memory)
bool load_string_from_range(Cx& cx, uint32_t ptr, uint32_t tagged_code_units, StringRef* out);
/// The Val of a lifted string: UTF-8 in host memory (charged to the host budget).
bool lift_string_val(Cx& cx, const StringRef& s, Val& out);
// definitions.py: load_list
bool load_list(Cx& cx, uint32_t ptr, TypeRef list_type, Val& out);
// definitions.py: load_list_from_range
bool load_list_from_range(Cx& cx, uint32_t ptr, uint32_t length, TypeRef list_type, Val& out);
// definitions.py: load_list_from_valid_range (lists of bool/numbers/char come out packed)
bool load_list_from_valid_range(Cx& cx, uint32_t ptr, uint32_t length, TypeRef list_type, Val& out);
// definitions.py: load_record (tuples too; `t` decides the Val's shape)
bool load_record(Cx& cx, uint32_t ptr, TypeRef t, Val& out);
// definitions.py: load_variant (enum, option, result too)
bool load_variant(Cx& cx, uint32_t ptr, TypeRef t, Val& out);
// definitions.py: load_flags
void load_flags(const Cx& cx, uint32_t ptr, const ValType& t, Val& out);
// definitions.py: unpack_flags_from_int
Val unpack_flags_from_int(uint64_t i, const ValType& t);
// definitions.py: lift_own / lift_borrow (the rep)
bool lift_own(Cx& cx, uint32_t i, TypeRef t, uint32_t* rep);
bool lift_borrow(Cx& cx, uint32_t i, TypeRef t, uint32_t* rep);
/// The Val of a lifted own/borrow (moved into the host's table when cx.host has one).
bool handle_val(Cx& cx, uint32_t rep, TypeRef t, Val& out);

// ---- Storing (canon_store.cc) ----

/// A Val of kind `v` may be stored as type kind `t` other than its own: a list as a map (a
/// map's Val is a list of entries) and a tuple as a record (a map entry is a 2-tuple whose
/// despecialized type is record { 0, 1 }).
constexpr bool kind_compatible(ValKind v, ValKind t) {
  return (v == ValKind::List && t == ValKind::Map) || (v == ValKind::Tuple && t == ValKind::Record);
}

// definitions.py: store. Precondition (asserted): ptr aligned and ptr + elem_size in bounds.
bool store(Cx& cx, const Val& v, TypeRef t, uint32_t ptr);
// definitions.py: store_int
inline void store_int(Cx& cx, uint64_t v, uint32_t ptr, uint32_t nbytes) {
  std::memcpy(cx.mem() + ptr, &v, nbytes);
}
// definitions.py: char_to_i32 (checks what the spec asserts: a host value may be anything)
bool char_to_i32(Cx& cx, uint64_t c, uint32_t* out);
// definitions.py: store_string
bool store_string(Cx& cx, const StringRef& v, uint32_t ptr);
// definitions.py: store_string_into_range -> (ptr, tagged code units)
bool store_string_into_range(Cx& cx, const StringRef& v, uint32_t* ptr, uint32_t* tagged);
// definitions.py: store_list
bool store_list(Cx& cx, const Val& v, uint32_t ptr, TypeRef list_type);
// definitions.py: store_list_into_range -> (ptr, length)
bool store_list_into_range(Cx& cx, const Val& v, TypeRef elem_type, uint32_t* ptr,
                           uint32_t* length);
// definitions.py: store_list_into_valid_range
bool store_list_into_valid_range(Cx& cx, const Val& v, uint32_t ptr, TypeRef elem_type);
// definitions.py: store_record
bool store_record(Cx& cx, const Val& v, uint32_t ptr, TypeRef t);
// definitions.py: store_variant
bool store_variant(Cx& cx, const Val& v, uint32_t ptr, TypeRef t);
// definitions.py: match_case -> (case index, payload or null)
bool match_case(Cx& cx, const Val& v, TypeRef t, uint32_t* index, const Val** payload);
// definitions.py: store_flags
bool store_flags(Cx& cx, const Val& v, uint32_t ptr, TypeRef t);
// definitions.py: pack_flags_into_int
bool pack_flags_into_int(Cx& cx, const Val& v, TypeRef t, uint32_t* out);
// definitions.py: lower_own / lower_borrow (-> handle index, or the rep for a borrow of a
// resource the instance implements)
bool lower_own(Cx& cx, uint32_t rep, TypeRef t, uint32_t* out);
bool lower_borrow(Cx& cx, uint32_t rep, TypeRef t, uint32_t* out);
/// The rep of an own/borrow Val (taken from the host's table when cx.host has one).
bool handle_rep(Cx& cx, const Val& v, TypeRef t, uint32_t* rep);

// ---- Strings (canon_string.cc): the store_string_into_range cases ----

/// A host string that is not a Val (the typed fast path's argument): refused as
/// store_string_into_range refuses a host string (ValueMismatch when not UTF-8 or too long),
/// then stored by it; the common utf8 -> utf8 copy without its dispatch.
bool store_host_string(Cx& cx, std::string_view s, uint32_t* ptr, uint32_t* tagged);
// definitions.py: store_string_copy
bool store_string_copy(Cx& cx, const StringRef& src, uint32_t src_code_units,
                       uint32_t dst_code_unit_size, uint32_t dst_alignment,
                       StringEncoding dst_encoding, uint32_t* ptr, uint32_t* units);
// definitions.py: store_utf16_to_utf8 / store_latin1_to_utf8 / store_string_to_utf8
bool store_utf16_to_utf8(Cx& cx, const StringRef& src, uint32_t src_code_units, uint32_t* ptr,
                         uint32_t* units);
bool store_latin1_to_utf8(Cx& cx, const StringRef& src, uint32_t src_code_units, uint32_t* ptr,
                          uint32_t* units);
bool store_string_to_utf8(Cx& cx, const StringRef& src, uint32_t src_code_units,
                          uint64_t worst_case_size, uint32_t* ptr, uint32_t* units);
// definitions.py: store_utf8_to_utf16
bool store_utf8_to_utf16(Cx& cx, const StringRef& src, uint32_t src_code_units, uint32_t* ptr,
                         uint32_t* units);
// definitions.py: store_string_to_latin1_or_utf16
bool store_string_to_latin1_or_utf16(Cx& cx, const StringRef& src, uint32_t src_code_units,
                                     uint32_t* ptr, uint32_t* tagged);
// definitions.py: store_probably_utf16_to_latin1_or_utf16
bool store_probably_utf16_to_latin1_or_utf16(Cx& cx, const StringRef& src, uint32_t src_code_units,
                                             uint32_t* ptr, uint32_t* tagged);

/// UTF-8 validation (the decode step of load_string_from_range): utf8_valid, then, only for
/// an invalid input, a byte-wise pass for the position. On failure `incomplete` says whether
/// input ended mid-sequence;
/// otherwise `error_len` (1..3) bytes from `index` are invalid (Rust's Utf8Error convention).
struct Utf8Check {
  bool ok = true;
  bool incomplete = false;
  size_t index = 0;
  uint32_t error_len = 0;
};
Utf8Check validate_utf8(const uint8_t* s, size_t n);
/// validate_utf8(s, n).ok without the error position (short ASCII strings: two loads; long
/// ones 16 bytes at a time with SSSE3 where the CPU has it).
bool utf8_valid(const uint8_t* s, size_t n);
/// utf8_valid without SIMD (the fallback; tests compare the two).
bool utf8_valid_scalar(const uint8_t* s, size_t n);

/// Transcoding helpers shared by lifting (a Val's UTF-8) and the store paths. Inputs are
/// valid (checked when the string was loaded).
void append_latin1_as_utf8(std::string& out, const uint8_t* s, size_t n);
void append_utf16_as_utf8(std::string& out, const uint8_t* s, size_t units);
/// UTF-8 bytes of a valid UTF-16LE string of `units` code units.
uint64_t utf16_utf8_length(const uint8_t* s, size_t units);
/// The index of the first unpaired surrogate of a UTF-16LE string, or `units` if none.
size_t find_unpaired_surrogate(const uint8_t* s, size_t units);

// ---- Handle tables (canon_resource.cc): the checks of lift_own / lift_borrow / lower_* on
// any instance's table (a guest's, or the host's table of HostHandles) ----

/// lift_own's checks, then removes handle `i` of `inst`; its rep in `rep`.
bool take_own(Cx& cx, InstanceState& inst, uint32_t i, const ResourceType* rt, uint32_t* rep);
/// lift_borrow's checks on handle `i` of `inst`; lends it to `scope` (when not null).
bool take_borrow(Cx& cx, InstanceState& inst, Subtask* scope, uint32_t i, const ResourceType* rt,
                 uint32_t* rep);
/// Adds `h` to `inst`'s table (trap when full); a borrow's scope counts it.
bool add_handle(Cx& cx, InstanceState& inst, const ResourceHandle& h, uint32_t* out);
/// "host-defined" or "guest-defined" (the wording of the wrong-type trap).
const char* resource_definer(const InstanceState& inst, const ResourceType* rt);

// ---- Flat lifting and lowering (canon_flat.cc) ----

// definitions.py: CoreValueIter. Values are 8-byte slots; a 32-bit want reads the low half.
// The variant joins (i32 in i64, f32 in i32, ...) are then bit-identity, so the spec's
// CoerceValueIter needs no separate type: lift_flat_variant only skips the unused slots.
class CoreValueIter {
 public:
  CoreValueIter(const uint64_t* values, size_t n) : values_(values), n_(n) {}
  uint64_t next(CoreType t) {
    if (i_ >= n_) {
      overrun_ = true;
      return 0;
    }
    const uint64_t v = values_[i_++];
    return (t == CoreType::I32 || t == CoreType::F32) ? (v & 0xffffffffu) : v;
  }
  size_t position() const { return i_; }
  /// Skips to `pos` (lift_flat_variant's skip of the joined slots the case does not use).
  void seek(size_t pos) {
    if (pos > n_) overrun_ = true;
    i_ = pos < n_ ? pos : n_;
  }
  bool done() const { return i_ == n_; }
  /// True when a value was read past the end (the caller's flat signature was wrong).
  bool overrun() const { return overrun_; }

 private:
  const uint64_t* values_;
  size_t n_;
  size_t i_ = 0;
  bool overrun_ = false;
};

/// Flat core values being produced: a vector of 8-byte slots that keeps up to
/// kMaxFlatParams + 1 of them inline (a call's flat arguments never touch the heap).
class FlatValues {
 public:
  static constexpr size_t kInline = kMaxFlatParams + 1;
  FlatValues() = default;
  FlatValues(std::initializer_list<uint64_t> vs) {
    for (uint64_t v : vs) push_back(v);
  }
  FlatValues(const FlatValues& o) { *this = o; }
  FlatValues& operator=(const FlatValues& o) {
    if (this != &o) {
      size_ = 0;
      for (uint64_t v : o) push_back(v);
    }
    return *this;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  uint64_t* data() { return p_; }
  const uint64_t* data() const { return p_; }
  uint64_t* begin() { return p_; }
  uint64_t* end() { return p_ + size_; }
  const uint64_t* begin() const { return p_; }
  const uint64_t* end() const { return p_ + size_; }
  uint64_t& operator[](size_t i) { return p_[i]; }
  uint64_t operator[](size_t i) const { return p_[i]; }
  void clear() { size_ = 0; }
  void push_back(uint64_t v) {
    if (size_ == cap_) grow(cap_ * 2);
    p_[size_++] = v;
  }
  /// Grows with `fill` or shrinks to `n`.
  void resize(size_t n, uint64_t fill = 0) {
    if (n > cap_) grow(n);
    for (size_t i = size_; i < n; ++i) p_[i] = fill;
    size_ = n;
  }
  friend bool operator==(const FlatValues& a, const FlatValues& b) {
    return a.size_ == b.size_ && std::equal(a.begin(), a.end(), b.begin());
  }

 private:
  void grow(size_t cap) {
    std::unique_ptr<uint64_t[]> h(new uint64_t[cap]);
    std::copy(p_, p_ + size_, h.get());
    heap_ = std::move(h);
    p_ = heap_.get();
    cap_ = cap;
  }
  uint64_t inline_[kInline];
  uint64_t* p_ = inline_;
  size_t size_ = 0;
  size_t cap_ = kInline;
  std::unique_ptr<uint64_t[]> heap_;  // the values once more than kInline
};

// definitions.py: lift_flat
bool lift_flat(Cx& cx, CoreValueIter& vi, TypeRef t, Val& out);
// definitions.py: lower_flat (appends to `out`)
bool lower_flat(Cx& cx, const Val& v, TypeRef t, FlatValues& out);
// definitions.py: lift_flat_values
bool lift_flat_values(Cx& cx, uint32_t max_flat, CoreValueIter& vi, std::span<const TypeRef> ts,
                      std::vector<Val>& out);
// definitions.py: lower_flat_values (appends to `out`; `out_param` is the caller's retptr)
bool lower_flat_values(Cx& cx, uint32_t max_flat, std::span<const Val> vs,
                       std::span<const TypeRef> ts, FlatValues& out,
                       CoreValueIter* out_param = nullptr);

// ---- Canonical definitions (canon_call.cc, canon_resource.cc) ----

/// The types of a function's parameters and result as lists (FuncType.param_types(),
/// FuncType.result_type()).
struct FuncTypes {
  explicit FuncTypes(const FuncType& ft);
  std::vector<TypeRef> params;
  std::vector<TypeRef> results;
};

/// A `canon lift`ed function: the immediates captured at instantiation (definitions.py:
/// Store.lift's closure).
struct LiftedFunc {
  LiftedFunc(const FuncType* type, CanonicalOptions opts, InstanceState* inst, CoreFn callee)
      : type(type), types(*type), opts(std::move(opts)), inst(inst), callee(std::move(callee)) {}
  const FuncType* type;
  FuncTypes types;
  CanonicalOptions opts;
  InstanceState* inst;
  CoreFn callee;
};

/// A `canon lower`ed import (definitions.py: Store.lower's closure).
struct LoweredFunc {
  LoweredFunc(const FuncType* type, CanonicalOptions opts, InstanceState* inst)
      : type(type), types(*type), opts(std::move(opts)), inst(inst) {}
  const FuncType* type;
  FuncTypes types;
  CanonicalOptions opts;
  InstanceState* inst;
};

/// definitions.py: OnStart (produces the arguments) and OnResolve (consumes the results).
using OnStart = FunctionRef<Result<void>(std::vector<Val>& args)>;
using OnResolve = FunctionRef<Result<void>(std::vector<Val>& results)>;
/// definitions.py: FuncInst (synchronous): what a lowered import calls. `caller` is the
/// calling component instance.
using FuncInst = FunctionRef<Result<void>(OnStart, OnResolve, InstanceState* caller)>;

/// definitions.py: Store.lift's func_inst + canon_lift (synchronous). `caller` is null for a
/// call from the host; `host` describes how handles appear in the Vals (HostHandles).
Result<void> canon_lift(const LiftedFunc& f, InstanceState* caller, OnStart on_start,
                        OnResolve on_resolve, HostHandles* host = nullptr);
/// A host call of a lifted export whose arguments are lowered by `lower` (appending the flat
/// values; strings through cx's realloc) and whose results are lifted by `lift` (reading the
/// flat results), without Val vectors: the typed fast path of zinc::component::TypedFunc.
/// The flat parameters must fit kMaxFlatParams (callers check flat_count first).
using LowerFn = FunctionRef<bool(Cx& cx, FlatValues& out)>;
using LiftFn = FunctionRef<bool(Cx& cx, CoreValueIter& in)>;
Result<void> call_lifted_flat(const LiftedFunc& f, LowerFn lower, LiftFn lift);
/// A host call of a lifted export: lowers `args`, calls, returns the lifted results.
/// `args_checked`: the caller has already checked `args` against the parameter types
/// (`matches`), as the embedding API's Func::call does with its own messages.
Result<std::vector<Val>> call_lifted(const LiftedFunc& f, std::span<const Val> args,
                                     HostHandles* host = nullptr, bool args_checked = false);

/// definitions.py: canon_lower (sync, or async with a synchronous callee). `slots` holds the
/// flat arguments of flatten_functype(ft, 'lower') and receives the flat results (an async
/// lower: Subtask.State.RETURNED). `boundary` says whether the
/// callee is the host or another component (trap wording); `host` as for canon_lift.
Result<void> canon_lower(const LoweredFunc& f, FuncInst callee, uint64_t* slots, size_t num_slots,
                         Boundary boundary = Boundary::Host, HostHandles* host = nullptr);

/// canon_lower of a canon_lift (a component calling another component's export) with the
/// values copied directly from the caller's memory/flat values into the callee's and back
/// (canon_fused.cc), never through a Val tree. `lower` and `lift` must have the same function
/// type (same interned types). Same contract for `slots` as canon_lower; an async lower is
/// not fused (NotImplemented: use canon_lower over canon_lift for it).
Result<void> call_fused(const LoweredFunc& lower, const LiftedFunc& lift, uint64_t* slots,
                        size_t num_slots);

// definitions.py: canon_resource_new / canon_resource_drop / canon_resource_rep
Result<uint32_t> canon_resource_new(InstanceState& inst, const ResourceType* rt, uint32_t rep);
Result<void> canon_resource_drop(InstanceState& inst, const ResourceType* rt, uint32_t i);
Result<uint32_t> canon_resource_rep(InstanceState& inst, const ResourceType* rt, uint32_t i);

}  // namespace zinc::component::canon

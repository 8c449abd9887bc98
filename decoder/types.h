// decoder/types.h: WebAssembly value, heap, reference and defined types.
//
// Shaped for Wasm 3.0 from the start: a reference type is (nullable, heap type), where the heap
// type is either abstract (func, extern, any, eq, i31, struct, array, exn and the bottom types)
// or a concrete type index. Wasm 2.0's `funcref`/`externref` are `(ref null func)` and
// `(ref null extern)`. Type definitions are sub types inside recursion groups; Wasm 2.0 modules
// only produce final function types each in its own singleton group.
// Spec: https://webassembly.github.io/spec/core/syntax/types.html
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace zinc::decoder {

enum class ValKind : uint8_t {
  I32,
  I64,
  F32,
  F64,
  V128,
  Ref,
  Bot,  // validation only: the unknown type popped from a polymorphic (unreachable) stack
};

enum class HeapKind : uint8_t {
  Func,
  Extern,
  Any,
  Eq,
  I31,
  Struct,
  Array,
  Exn,
  None,
  NoFunc,
  NoExtern,
  NoExn,
  Index,  // concrete: `index` names a type in the module's type section
  Bot,    // validation only
};

/// A heap type: abstract kind, or a concrete type index.
struct HeapType {
  HeapKind kind = HeapKind::Func;
  uint32_t index = 0;  // only meaningful when kind == Index
  bool exact = false;  // custom-descriptors `(exact $t)`: only the type itself, no subtypes

  static constexpr HeapType abstract(HeapKind k) { return {k, 0}; }
  static constexpr HeapType concrete(uint32_t i) { return {HeapKind::Index, i}; }
  bool is_index() const { return kind == HeapKind::Index; }
  friend constexpr bool operator==(HeapType a, HeapType b) {
    return a.kind == b.kind && a.exact == b.exact &&
           (a.kind != HeapKind::Index || a.index == b.index);
  }
};

/// A value type. Small (8 bytes) and trivially copyable; compare with ==.
class ValType {
 public:
  constexpr ValType() = default;
  constexpr ValType(ValKind k) : kind_(k) {}  // NOLINT: implicit from a numeric kind is handy

  static constexpr ValType ref(HeapType h, bool nullable) {
    ValType t(ValKind::Ref);
    t.nullable_ = nullable;
    t.heap_ = h;
    return t;
  }
  static constexpr ValType funcref() { return ref(HeapType::abstract(HeapKind::Func), true); }
  static constexpr ValType externref() { return ref(HeapType::abstract(HeapKind::Extern), true); }

  constexpr ValKind kind() const { return kind_; }
  constexpr bool is_ref() const { return kind_ == ValKind::Ref; }
  constexpr bool is_num() const { return kind_ <= ValKind::F64; }
  constexpr bool is_bot() const { return kind_ == ValKind::Bot; }
  constexpr bool nullable() const { return nullable_; }
  constexpr HeapType heap() const { return heap_; }
  /// True for types whose values have a default (numbers, vectors, nullable references).
  constexpr bool defaultable() const { return kind_ != ValKind::Ref || nullable_; }

  friend constexpr bool operator==(ValType a, ValType b) {
    if (a.kind_ != b.kind_) return false;
    if (a.kind_ != ValKind::Ref) return true;
    return a.nullable_ == b.nullable_ && a.heap_ == b.heap_;
  }

 private:
  ValKind kind_ = ValKind::I32;
  bool nullable_ = false;
  HeapType heap_{};
};

inline constexpr ValType kI32{ValKind::I32};
inline constexpr ValType kI64{ValKind::I64};
inline constexpr ValType kF32{ValKind::F32};
inline constexpr ValType kF64{ValKind::F64};
inline constexpr ValType kV128{ValKind::V128};
inline constexpr ValType kBot{ValKind::Bot};
inline constexpr ValType kFuncRef = ValType::funcref();
inline constexpr ValType kExternRef = ValType::externref();

/// Text name as in the text format: "i32", "funcref", "(ref null 3)", ...
std::string to_string(ValType t);
std::string to_string(HeapType t);

/// A function signature.
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

enum class CompositeKind : uint8_t { Func, Struct, Array };

/// A defined type: a (possibly non-final) sub type of a composite type, member of a recursion
/// group. Only `Func` composites exist before the GC proposal lands in the decoder.
struct TypeDef {
  CompositeKind kind = CompositeKind::Func;
  FuncType func;
  bool is_final = true;
  static constexpr uint32_t kNoSuper = UINT32_MAX;
  uint32_t super = kNoSuper;
  uint32_t rec_group_start = 0;  // index of the first type of its recursion group
  uint32_t rec_group_size = 1;
};

/// Limits of a memory or table. `is64` marks memory64/table64 index types.
struct Limits {
  uint64_t min = 0;
  uint64_t max = 0;
  bool has_max = false;
  bool shared = false;
  bool is64 = false;
};

struct TableType {
  ValType elem = kFuncRef;
  Limits limits;
};

struct MemoryType {
  Limits limits;
  /// log2 of the page size (16 for 64 KiB pages; custom-page-sizes allows 0).
  uint8_t page_size_log2 = 16;
};

struct GlobalType {
  ValType type = kI32;
  bool mut = false;
};

/// What an import or export refers to. Values are the binary format's external kind bytes.
enum class ExternKind : uint8_t { Func = 0, Table = 1, Memory = 2, Global = 3, Tag = 4 };

const char* to_string(ExternKind k);

}  // namespace zinc::decoder

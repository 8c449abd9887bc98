// zinc/component/types.h: the Component Model's value and function types, interned (public:
// component values, dynamic calls and host functions are typed with these).
//
// Every defined value type (Explainer "Type Definitions"; definitions.py's ValType classes) is
// a ValType owned by a TypeTable. Types are interned structurally, so two equal types are the
// same object and compare as pointers in O(1); resource types are nominal (ResourceType
// identity). The Canonical ABI facts of a type -- alignment, elem_size, the flattened core
// types, whether it contains a borrow or an async value -- are computed once when the type is
// interned (definitions.py: alignment, elem_size, flatten_type, contains_borrow,
// contains_async_value), for 32-bit memories (ptr_type i32).
//
// Specialised types (tuple, enum, option, result, map) keep their own kind, so they print and
// match as written; `despecialize` gives the record/variant/list they stand for, as interned
// types too.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md and
//       .../design/mvp/CanonicalABI.md
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace zinc::component {

enum class ValKind : uint8_t {
  Bool,
  S8,
  U8,
  S16,
  U16,
  S32,
  U32,
  S64,
  U64,
  F32,
  F64,
  Char,
  String,
  ErrorContext,
  List,     // elem; `length` for fixed-length lists
  Record,   // fields
  Tuple,    // elems
  Variant,  // cases
  Enum,     // labels
  Option,   // elem
  Result,   // ok, err (each optional)
  Flags,    // labels
  Own,      // resource
  Borrow,   // resource
  Stream,   // elem (optional)
  Future,   // elem (optional)
  Map,      // key, elem
};

/// "bool", "list", ... (the WIT/text keyword of a kind).
const char* kind_name(ValKind k);

constexpr bool is_primitive(ValKind k) { return k <= ValKind::ErrorContext; }

/// The core value types the Canonical ABI flattens to.
enum class CoreType : uint8_t { I32, I64, F32, F64 };

/// A resource type: nominal. `ResourceType`s are created by resource type definitions
/// (`(type (resource (rep i32) (dtor f)?))`) and by imports/exports with a `(sub resource)`
/// bound; two handles have the same resource type iff they point to the same object. At run
/// time each component instance gets fresh resource types for the resources it defines.
struct ResourceType {
  std::string debug_name;  // for messages: the import/export name or "resource N"
  uint32_t id = 0;         // unique per TypeTable, for ordering and printing
};

struct ValType;
/// An interned type: equal types are equal pointers.
using TypeRef = const ValType*;

struct Field {
  std::string label;
  TypeRef type = nullptr;
  friend bool operator==(const Field&, const Field&) = default;
};

struct Case {
  std::string label;
  TypeRef type = nullptr;  // null: no payload
  friend bool operator==(const Case&, const Case&) = default;
};

struct ValType {
  ValKind kind = ValKind::Bool;
  TypeRef elem = nullptr;                  // List, Option, Stream, Future (may be null), Map
  TypeRef key = nullptr;                   // Map
  std::optional<uint32_t> length;          // List: fixed length (> 0)
  std::vector<Field> fields;               // Record
  std::vector<TypeRef> elems;              // Tuple
  std::vector<Case> cases;                 // Variant
  std::vector<std::string> labels;         // Enum, Flags
  TypeRef ok = nullptr;                    // Result (may be null)
  TypeRef err = nullptr;                   // Result (may be null)
  const ResourceType* resource = nullptr;  // Own, Borrow

  // ---- Canonical ABI facts (32-bit memories), filled in by TypeTable ----
  uint32_t align = 1;          // definitions.py: alignment
  uint32_t size = 0;           // definitions.py: elem_size
  std::vector<CoreType> flat;  // definitions.py: flatten_type
  bool has_borrow = false;     // contains_borrow
  bool has_async = false;      // contains_async_value (stream/future)
  bool has_resource = false;   // contains an own or borrow handle
  TypeRef despecialized = nullptr;  // definitions.py: despecialize (self when not specialised)

  /// For variants (and their specialisations): bytes of the discriminant (1, 2 or 4).
  uint32_t discriminant_size() const;
};

/// A component function type: labelled parameters and at most one result.
struct FuncType {
  std::vector<Field> params;
  TypeRef result = nullptr;  // null: no result
  bool async = false;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

/// The canonical ABI's limits on flattened signatures (definitions.py MAX_FLAT_*).
inline constexpr uint32_t kMaxFlatParams = 16;
inline constexpr uint32_t kMaxFlatAsyncParams = 4;
inline constexpr uint32_t kMaxFlatResults = 1;

/// Interning table of value and function types. Thread-safe; never frees a type while the
/// table lives, so TypeRefs stay valid and comparable. An Engine owns one, shared by every
/// component compiled for it, so types of different components compare by pointer too.
class TypeTable {
 public:
  TypeTable();
  TypeTable(const TypeTable&) = delete;
  TypeTable& operator=(const TypeTable&) = delete;

  /// The type of a primitive kind (bool ... error-context).
  TypeRef prim(ValKind k) const { return prims_[static_cast<size_t>(k)]; }

  /// Interns a compound type. Its component types must come from this table. Returns null
  /// (with `error` set) when the type is not valid: an empty record/variant/tuple/enum/flags,
  /// more than 32 flags, a zero fixed length, an element size of 2^28 bytes or more
  /// (Binary.md), duplicate labels.
  TypeRef intern(ValType t, std::string* error);

  /// A fresh resource type.
  const ResourceType* new_resource(std::string debug_name);

  /// The function type `t` interned (its value types must be from this table).
  const FuncType* intern_func(FuncType t);

  /// A number no other TypeTable of this process has (tables may reuse an address): a key
  /// for caches of types derived once per table.
  uint64_t serial() const { return serial_; }

 private:
  TypeRef store(ValType t);
  void compute_abi(ValType& t);

  mutable std::mutex mutex_;
  std::deque<ValType> types_;
  std::unordered_map<std::string, TypeRef> by_key_;
  std::deque<ResourceType> resources_;
  std::deque<FuncType> funcs_;
  std::unordered_map<std::string, const FuncType*> funcs_by_key_;
  TypeRef prims_[static_cast<size_t>(ValKind::ErrorContext) + 1] = {};
  uint64_t serial_;
};

/// WIT-like rendering for messages: "list<u8>", "record { a: u32 }", "own<r>", ...
std::string to_string(TypeRef t);
std::string to_string(const FuncType& t);

/// The flattened core parameters and results of a function type (definitions.py:
/// flatten_functype) for `lift` (context "lift") or `lower` (context "lower"): spilled to a
/// pointer when over the limits.
struct FlatSignature {
  std::vector<CoreType> params;
  std::vector<CoreType> results;
  bool params_spilled = false;   // params passed through memory (one i32 pointer)
  bool results_spilled = false;  // results returned through memory
};
FlatSignature flatten_functype(const FuncType& ft, bool lower);

}  // namespace zinc::component

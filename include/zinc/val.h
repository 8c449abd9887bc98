// zinc/val.h: WebAssembly values as the embedding API passes them (dynamic calls, globals,
// tables), and the handle types that references point to.
//
// A Val is a small tagged value. References are `Func` handles (funcref) or `ExternRef`
// host values (externref), each possibly null. Handles are only meaningful with the Store that
// created them.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <vector>

#include "zinc/result.h"

#include "zinc/types.h"
#include "zinc/v128.h"

namespace zinc {

namespace vm {
struct FuncInst;
struct TableInst;
struct MemoryInst;
struct GlobalInst;
struct InstanceInst;
}  // namespace vm

class Store;
class Val;
class Caller;
template <typename Sig>
class TypedFunc;

/// A function of a Store: wasm (exported or from a table) or host. Creation of host
/// functions, calls and typed views are defined in zinc/func.h.
class Func {
 public:
  explicit Func(vm::FuncInst* f) : f_(f) {}
  vm::FuncInst* raw() const { return f_; }
  friend bool operator==(Func a, Func b) { return a.f_ == b.f_; }

  FuncType type(const Store& store) const;
  /// Dynamic call: `args` must match the parameter types, `results` must have room for the
  /// results. Traps come back as an Error of kind Trap.
  Result<void> call(Store& store, std::span<const Val> args, std::span<Val> results) const;
  Result<std::vector<Val>> call(Store& store, std::span<const Val> args) const;
  /// A typed view, e.g. `func.typed<int32_t(int32_t, int32_t)>(store)`; fails if the
  /// signature does not match.
  template <typename Sig>
  Result<TypedFunc<Sig>> typed(const Store& store) const;

 private:
  vm::FuncInst* f_;
};

/// A non-null externref: an opaque 64-bit host value (an integer or a pointer the host owns).
/// Every value but kReservedValue (UINT64_MAX, which the runtime's slot encoding needs for
/// null) can be passed; the API refuses the reserved one with an error.
struct ExternRef {
  static constexpr uint64_t kReservedValue = UINT64_MAX;
  uint64_t value = 0;
  friend bool operator==(ExternRef, ExternRef) = default;
};

class Val {
 public:
  Val() = default;  // i32 0
  static Val i32(int32_t v) { return bits_of(ValType::I32, static_cast<uint32_t>(v)); }
  static Val i64(int64_t v) { return bits_of(ValType::I64, static_cast<uint64_t>(v)); }
  static Val f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return bits_of(ValType::F32, b);
  }
  static Val f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return bits_of(ValType::F64, b);
  }
  /// Floats from their bit patterns (NaN payloads are kept exactly).
  static Val f32_bits(uint32_t b) { return bits_of(ValType::F32, b); }
  static Val f64_bits(uint64_t b) { return bits_of(ValType::F64, b); }
  static Val v128(const V128& v) {
    Val r;
    r.type_ = ValType::V128;
    r.v128_ = v;
    return r;
  }
  static Val funcref(std::optional<Func> f) {
    Val r;
    r.type_ = ValType::FuncRef;
    r.func_ = f ? f->raw() : nullptr;
    return r;
  }
  static Val externref(std::optional<ExternRef> e) {
    Val r;
    r.type_ = ValType::ExternRef;
    r.null_ = !e.has_value();
    r.v128_.set_lane<uint64_t>(0, e ? e->value : 0);
    return r;
  }
  /// The null reference of a reference type, or zero of a numeric type.
  static Val zero(ValType t) {
    if (t == ValType::FuncRef) return funcref(std::nullopt);
    if (t == ValType::ExternRef) return externref(std::nullopt);
    Val r;
    r.type_ = t;
    return r;
  }

  ValType type() const { return type_; }
  int32_t i32() const { return static_cast<int32_t>(v128_.lane<uint32_t>(0)); }
  int64_t i64() const { return static_cast<int64_t>(v128_.lane<uint64_t>(0)); }
  float f32() const { return v128_.lane<float>(0); }
  double f64() const { return v128_.lane<double>(0); }
  uint32_t f32_bits() const { return v128_.lane<uint32_t>(0); }
  uint64_t f64_bits() const { return v128_.lane<uint64_t>(0); }
  const V128& v128() const { return v128_; }
  std::optional<Func> funcref() const {
    if (func_ == nullptr) return std::nullopt;
    return Func(func_);
  }
  std::optional<ExternRef> externref() const {
    if (null_) return std::nullopt;
    return ExternRef{v128_.lane<uint64_t>(0)};
  }
  /// True for a null reference.
  bool is_null() const {
    return (type_ == ValType::FuncRef && func_ == nullptr) ||
           (type_ == ValType::ExternRef && null_);
  }

 private:
  static Val bits_of(ValType t, uint64_t bits) {
    Val r;
    r.type_ = t;
    r.v128_.set_lane<uint64_t>(0, bits);
    return r;
  }

  ValType type_ = ValType::I32;
  bool null_ = false;
  vm::FuncInst* func_ = nullptr;
  V128 v128_{};  // numbers in the low bytes; externref payload in lane 0
};

}  // namespace zinc

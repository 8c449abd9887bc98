// zinc/func.h: host functions, the Caller they receive, and typed calls.
//
// Host functions are ordinary C++ callables whose signature is deduced:
//
//   linker.func_wrap("env", "add", [](int32_t a, int32_t b) { return a + b; });
//   linker.func_wrap("env", "log", [](zinc::Caller& caller, int32_t ptr, int32_t len) { ... });
//
// Parameters may be int32_t/uint32_t (i32), int64_t/uint64_t (i64), float, double, V128,
// std::optional<Func> (funcref) and std::optional<ExternRef> (externref), optionally preceded
// by `Caller&`. The return type may be void, one of those types, a std::tuple of them
// (multi-value), or a Result<...> of any of these: an error traps the calling wasm (an
// Error of kind Exit ends it with an exit code, as WASI's proc_exit does).
//
// Slot convention (shared with the interpreter, vm/README of the frame layout): a call passes
// its arguments in consecutive 8-byte slots (two for a v128) and the results are written back
// from the first slot: i32/f32 in the low 4 bytes, i64/f64 in all 8, funcref as the function's
// internal pointer (0 = null), externref as payload + 1 (0 = null).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "zinc/extern.h"
#include "zinc/result.h"
#include "zinc/types.h"
#include "zinc/val.h"

namespace zinc {

class Store;

/// What a host function sees of its caller: the store and the calling instance's exports.
class Caller {
 public:
  Caller(Store& store, vm::InstanceInst* instance) : store_(store), instance_(instance) {}
  Store& store() const { return store_; }
  /// Store::data().
  void* data() const;
  /// An export of the calling instance (nullopt when called from the host or not exported).
  std::optional<Extern> get_export(std::string_view name) const;
  /// The calling instance's exported "memory", else its memory 0.
  std::optional<Memory> memory() const;
  vm::InstanceInst* instance() const { return instance_; }

 private:
  Store& store_;
  vm::InstanceInst* instance_;
};

/// Raw host callback: the arguments are in `slots` (slot convention above); on success the
/// results are written from slots[0]. There is room for max(params, results) slots.
using HostCallback = std::function<Result<void>(Caller&, uint64_t* slots)>;

/// A host function not yet bound to a store (Linker definitions are these).
struct HostFuncDef {
  FuncType type;
  HostCallback callback;
};

/// Dynamic host function: reads `args`, writes `results` (sized to the signature).
using DynamicHostFunc = std::function<Result<void>(Caller&, std::span<const Val> args,
                                                   std::span<Val> results)>;

namespace detail {

/// C++ type <-> wasm value type and slot encoding.
template <typename T>
struct WasmValue;

template <typename T, ValType kT>
struct ScalarWasmValue {
  static constexpr ValType kType = kT;
  static constexpr int kSlots = 1;
  static T load(const uint64_t* s) {
    T v;
    std::memcpy(&v, s, sizeof(T));
    return v;
  }
  static void store(uint64_t* s, T v) {
    *s = 0;
    std::memcpy(s, &v, sizeof(T));
  }
};

template <>
struct WasmValue<int32_t> : ScalarWasmValue<int32_t, ValType::I32> {};
template <>
struct WasmValue<uint32_t> : ScalarWasmValue<uint32_t, ValType::I32> {};
template <>
struct WasmValue<int64_t> : ScalarWasmValue<int64_t, ValType::I64> {};
template <>
struct WasmValue<uint64_t> : ScalarWasmValue<uint64_t, ValType::I64> {};
template <>
struct WasmValue<float> : ScalarWasmValue<float, ValType::F32> {};
template <>
struct WasmValue<double> : ScalarWasmValue<double, ValType::F64> {};
template <>
struct WasmValue<V128> {
  static constexpr ValType kType = ValType::V128;
  static constexpr int kSlots = 2;
  static V128 load(const uint64_t* s) {
    V128 v;
    std::memcpy(v.bytes, s, 16);
    return v;
  }
  static void store(uint64_t* s, const V128& v) { std::memcpy(s, v.bytes, 16); }
};
template <>
struct WasmValue<std::optional<Func>> {
  static constexpr ValType kType = ValType::FuncRef;
  static constexpr int kSlots = 1;
  static std::optional<Func> load(const uint64_t* s) {
    if (*s == 0) return std::nullopt;
    return Func(reinterpret_cast<vm::FuncInst*>(static_cast<uintptr_t>(*s)));
  }
  static void store(uint64_t* s, std::optional<Func> f) {
    *s = f ? static_cast<uint64_t>(reinterpret_cast<uintptr_t>(f->raw())) : 0;
  }
};
template <>
struct WasmValue<std::optional<ExternRef>> {
  static constexpr ValType kType = ValType::ExternRef;
  static constexpr int kSlots = 1;
  static std::optional<ExternRef> load(const uint64_t* s) {
    if (*s == 0) return std::nullopt;
    return ExternRef{*s - 1};
  }
  static void store(uint64_t* s, std::optional<ExternRef> e) { *s = e ? e->value + 1 : 0; }
};

/// False for argument values the API refuses (the reserved externref payload).
template <typename T>
bool valid_arg(const T&) {
  return true;
}
inline bool valid_arg(const std::optional<ExternRef>& e) {
  return !e || e->value != ExternRef::kReservedValue;
}

template <typename T>
struct ResultTraits {  // plain return type
  using Value = T;
  static constexpr bool kIsResult = false;
};
template <typename T>
struct ResultTraits<Result<T>> {
  using Value = T;
  static constexpr bool kIsResult = true;
};

/// The result types of a return type: void -> {}, T -> {T}, tuple<T...> -> {T...}.
template <typename R>
struct ReturnTypes {
  static void append(std::vector<ValType>& out) { out.push_back(WasmValue<R>::kType); }
  static void store(uint64_t* slots, const R& r) { WasmValue<R>::store(slots, r); }
};
template <>
struct ReturnTypes<void> {
  static void append(std::vector<ValType>&) {}
};
template <typename... Ts>
struct ReturnTypes<std::tuple<Ts...>> {
  static void append(std::vector<ValType>& out) { (out.push_back(WasmValue<Ts>::kType), ...); }
  static void store(uint64_t* slots, const std::tuple<Ts...>& t) {
    int at = 0;
    std::apply(
        [&](const auto&... v) {
          ((WasmValue<std::decay_t<decltype(v)>>::store(slots + at, v),
            at += WasmValue<std::decay_t<decltype(v)>>::kSlots),
           ...);
        },
        t);
  }
};

template <typename... Args>
struct ArgList {
  static void append(std::vector<ValType>& out) { (out.push_back(WasmValue<Args>::kType), ...); }
  /// Loads every argument from the slots (before any result is written over them).
  static std::tuple<Args...> load([[maybe_unused]] const uint64_t* slots) {
    [[maybe_unused]] int at = 0;
    return std::tuple<Args...>{load_one<Args>(slots, at)...};
  }
  template <typename T>
  static T load_one(const uint64_t* slots, int& at) {
    T v = WasmValue<T>::load(slots + at);
    at += WasmValue<T>::kSlots;
    return v;
  }
};

template <typename F>
struct CallableTraits : CallableTraits<decltype(&std::decay_t<F>::operator())> {};
template <typename R, typename... A>
struct CallableTraits<R (*)(A...)> {
  using Return = R;
  using Args = std::tuple<A...>;
};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...) const> : CallableTraits<R (*)(A...)> {};
template <typename C, typename R, typename... A>
struct CallableTraits<R (C::*)(A...)> : CallableTraits<R (*)(A...)> {};

template <typename Tuple>
struct DropCaller {
  static constexpr bool kHasCaller = false;
  using Args = Tuple;
};
template <typename... A>
struct DropCaller<std::tuple<Caller&, A...>> {
  static constexpr bool kHasCaller = true;
  using Args = std::tuple<A...>;
};

template <typename Tuple>
struct ArgListOf;
template <typename... A>
struct ArgListOf<std::tuple<A...>> {
  using type = ArgList<std::decay_t<A>...>;
};

/// Builds the HostFuncDef of a C++ callable (signature deduced).
template <typename F>
std::shared_ptr<HostFuncDef> make_host_func(F&& f) {
  using Traits = CallableTraits<std::decay_t<F>>;
  using Split = DropCaller<typename Traits::Args>;
  using Args = typename ArgListOf<typename Split::Args>::type;
  using RT = ResultTraits<typename Traits::Return>;
  auto def = std::make_shared<HostFuncDef>();
  Args::append(def->type.params);
  ReturnTypes<typename RT::Value>::append(def->type.results);
  def->callback = [fn = std::forward<F>(f)](Caller& caller,
                                            uint64_t* slots) mutable -> Result<void> {
    auto args = Args::load(slots);
    auto invoke = [&]() -> decltype(auto) {
      if constexpr (Split::kHasCaller) {
        return std::apply([&](auto&&... a) -> decltype(auto) { return fn(caller, a...); }, args);
      } else {
        return std::apply([&](auto&&... a) -> decltype(auto) { return fn(a...); }, args);
      }
    };
    using Value = typename RT::Value;
    if constexpr (RT::kIsResult) {
      auto r = invoke();
      if (!r.ok()) return unexpected(std::move(r).error());
      if constexpr (!std::is_void_v<Value>) ReturnTypes<Value>::store(slots, r.value());
    } else if constexpr (std::is_void_v<Value>) {
      invoke();
    } else {
      ReturnTypes<Value>::store(slots, invoke());
    }
    return {};
  };
  return def;
}

/// Low-level call used by TypedFunc: slots hold the arguments and receive the results.
Result<void> call_raw(Store& store, vm::FuncInst* func, uint64_t* slots, size_t num_slots);
/// Signature check used by Func::typed.
bool func_type_matches(const Store& store, vm::FuncInst* func, const FuncType& type);

}  // namespace detail

/// Host function creation in a store.
Func func_new(Store& store, const FuncType& type, DynamicHostFunc fn);
Func func_from_def(Store& store, std::shared_ptr<const HostFuncDef> def);
template <typename F>
Func func_wrap(Store& store, F&& f) {
  return func_from_def(store, detail::make_host_func(std::forward<F>(f)));
}

/// A function with a statically known signature: calls convert arguments and results
/// directly to and from the value slots, without Val vectors.
template <typename R, typename... A>
class TypedFunc<R(A...)> {
 public:
  explicit TypedFunc(Func f) : f_(f) {}
  Func func() const { return f_; }

  /// R may be void, a value type or a std::tuple of them.
  Result<R> call(Store& store, A... args) const {
    constexpr size_t kArgSlots = (size_t{0} + ... + detail::WasmValue<A>::kSlots);
    constexpr size_t kSlots = std::max<size_t>({kArgSlots, result_slots<R>(), 1});
    if (!(true && ... && detail::valid_arg(args))) {
      return api_error(ErrorKind::Generic, "externref value UINT64_MAX is reserved");
    }
    uint64_t slots[kSlots] = {};
    [[maybe_unused]] int at = 0;
    ((detail::WasmValue<A>::store(slots + at, args), at += detail::WasmValue<A>::kSlots), ...);
    Result<void> r = detail::call_raw(store, f_.raw(), slots, sizeof(slots) / 8);
    if (!r.ok()) return unexpected(r.error());
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      return load_results<R>(slots);
    }
  }

 private:
  template <typename T>
  static constexpr size_t result_slots() {
    if constexpr (std::is_void_v<T>) {
      return 0;
    } else if constexpr (requires { detail::WasmValue<T>::kType; }) {
      return detail::WasmValue<T>::kSlots;
    } else {
      return []<typename... Ts>(std::tuple<Ts...>*) {
        return (size_t{0} + ... + detail::WasmValue<Ts>::kSlots);
      }(static_cast<T*>(nullptr));
    }
  }
  template <typename T>
  static T load_results(const uint64_t* slots) {
    if constexpr (requires { detail::WasmValue<T>::kType; }) {
      return detail::WasmValue<T>::load(slots);
    } else {
      return detail::ArgListOf<T>::type::load(slots);
    }
  }
  Func f_;
};

template <typename Sig>
Result<TypedFunc<Sig>> Func::typed(const Store& store) const {
  using Traits = detail::CallableTraits<Sig*>;
  FuncType want;
  detail::ArgListOf<typename Traits::Args>::type::append(want.params);
  detail::ReturnTypes<typename Traits::Return>::append(want.results);
  if (!detail::func_type_matches(store, f_, want)) {
    return api_error(ErrorKind::Link, "function type mismatch: expected " + to_string(want) +
                                          ", got " + to_string(type(store)));
  }
  return TypedFunc<Sig>(*this);
}

}  // namespace zinc

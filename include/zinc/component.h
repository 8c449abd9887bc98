// zinc/component.h: the Component Model embedding API.
//
// Shape as in Wasmtime's `component` module: a Component is compiled once for an Engine and
// can be instantiated many times; a component::Linker defines host functions and instances by
// name; an Instance exposes the component's exported functions, called with component values
// (val.h) through the canonical ABI.
//
//   zinc::Engine engine;
//   auto component = zinc::component::Component::compile(engine, bytes);
//   zinc::Store store(engine);
//   zinc::component::Linker linker(engine);
//   linker.define_func("host:demo/log#print", print_type, [](auto& store, auto args) {...});
//   auto instance = linker.instantiate(store, *component);
//   auto greet = instance->get_func(store, "greet");
//   auto result = greet->call(store, {zinc::component::Val::string("world")});
//
// Names: top-level exports by their plain name ("greet"), functions of exported instances as
// "instance-name#func" (e.g. "wasi:cli/run@0.2.0#run"); host definitions the same way.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "zinc/component/typed.h"
#include "zinc/component/types.h"
#include "zinc/component/val.h"
#include "zinc/engine.h"
#include "zinc/result.h"

namespace zinc::component {

struct ComponentImpl;  // component/runtime.h
struct InstanceValue;
struct FuncImpl;

/// The type table every component of `engine` interns its types in (types of different
/// components of one engine compare by pointer).
TypeTable& types(const Engine& engine);
/// The same table, through a store of that engine.
TypeTable& types(const Store& store);

/// True when a function of type `have` can be used where `want` is expected: the same
/// parameter and result types (parameter names are not compared, as in Wasmtime).
bool func_compatible(const FuncType& want, const FuncType& have);

template <class Sig>
class TypedFunc;

/// One import or export of a component, as its world describes it.
struct ExternInfo {
  std::string name;
  enum class Kind : uint8_t { Func, Instance, Component, Module, Type, Value } kind;
  const FuncType* func = nullptr;  // Kind::Func
  /// Kind::Instance: its exports (functions with their types; other kinds without).
  std::vector<ExternInfo> exports;
};

class Component {
 public:
  /// Decodes and validates a component binary. Errors are of kind Decode or Validate and name
  /// the byte offset.
  static Result<Component> compile(const Engine& engine, std::span<const uint8_t> bytes,
                                   std::string_view name = {});

  std::vector<ExternInfo> imports() const;
  std::vector<ExternInfo> exports() const;

  const std::shared_ptr<const ComponentImpl>& impl() const { return impl_; }

 private:
  explicit Component(std::shared_ptr<const ComponentImpl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const ComponentImpl> impl_;
};

/// An exported component function of an instance.
class Func {
 public:
  explicit Func(FuncImpl* f) : f_(f) {}
  const FuncType& type() const;
  /// Calls with `args` (checked against the parameter types); returns the result value, if
  /// the function has one. Runs post-return before returning. Traps are errors of kind Trap.
  Result<std::optional<Val>> call(Store& store, std::span<const Val> args) const;
  /// A statically typed view (`R(A...)` with C++ types of typed.h); an error of kind Link when
  /// the function's type differs.
  template <class Sig>
  Result<TypedFunc<Sig>> typed(const Store& store) const;
  FuncImpl* raw() const { return f_; }

 private:
  FuncImpl* f_;
};

class Instance {
 public:
  explicit Instance(InstanceValue* i) : i_(i) {}
  /// "name" for a top-level function export, "instance#name" for a function of an exported
  /// instance (the instance name matched with semver compatibility, as Wasmtime does).
  std::optional<Func> get_func(Store& store, std::string_view name) const;
  /// Every exported function, with its full name.
  std::vector<std::pair<std::string, Func>> funcs(Store& store) const;
  /// An exported instance (its name matched with semver compatibility).
  std::optional<Instance> get_instance(Store& store, std::string_view name) const;
  InstanceValue* raw() const { return i_; }

 private:
  InstanceValue* i_;
};

/// Drops a resource handle the host holds (an `own` Val a call returned): removes it from the
/// host's handle table and runs the resource's destructor in its component. An unknown or
/// already dropped handle, or a borrow still lent out, is an error of kind Trap.
Result<void> drop_resource(Store& store, const Val& handle);

/// The same handle as a `borrow` argument (for methods' `self`).
inline Val borrow_of(const Val& own) {
  Val b = own;
  b.kind = ValKind::Borrow;
  return b;
}

/// A host function: receives the arguments (already type-checked), returns the result (or
/// nullopt for functions without one). An error traps the calling component; an Error of kind
/// Exit ends the program.
using HostFunc =
    std::function<Result<std::optional<Val>>(Store& store, std::span<const Val> args)>;

/// The destructor of a host-defined resource: called with the representation the host chose
/// when the guest drops its last owning handle. An error traps the guest.
using HostDtor = std::function<Result<void>(Store& store, uint32_t rep)>;

/// A handle of a host-defined resource as host functions see and return it: the
/// representation (`rep`) the host chose. Host functions receive `own` and `borrow`
/// arguments of host resources as reps (an `own` argument transfers ownership to the host,
/// which then answers for the rep); returning an `own` Val gives the guest a new handle.
inline Val host_handle(ValKind kind, const ResourceType* rt, uint32_t rep) {
  Val v;
  v.kind = kind;
  v.resource = rt;
  v.bits = rep;
  return v;
}

class InstancePre;

class Linker {
 public:
  explicit Linker(const Engine& engine);
  ~Linker();
  Linker(Linker&&) noexcept;
  Linker& operator=(Linker&&) noexcept;

  void allow_shadowing(bool allow);
  /// Defines a host function under "name" (a top-level function import) or
  /// "instance#name" (a function of an imported instance such as
  /// "wasi:cli/environment@0.2.0#get-environment").
  Result<void> define_func(std::string_view name, const FuncType* type, HostFunc fn);
  /// Defines a host function from a C++ callable whose parameter and return types have a
  /// WitType (typed.h); its component type is derived from them. The callable may return
  /// zinc::Result<R> to trap the caller with an error.
  template <class F>
  Result<void> func_wrap(std::string_view name, F&& f);

  /// Defines a host resource type under "instance#name" (a `(sub resource)` type export of
  /// an imported instance, e.g. "wasi:io/streams@0.2.0#input-stream") or "name" (a top-level
  /// type import). `rt` is a resource type of this engine's TypeTable (`types(engine)`); host
  /// functions use it in their FuncTypes, and a component's import is bound to it, its
  /// functions' types checked with it. `dtor` runs when a guest drops an owning handle.
  Result<void> define_resource(std::string_view name, const ResourceType* rt, HostDtor dtor);
  /// The same for the resource of tag `T` (host_resource<T>), whose handles C++ callables
  /// take and return as Own<T> / Borrow<T>.
  template <class T>
  Result<void> define_resource(std::string_view name, HostDtor dtor) {
    return define_resource(name, host_resource<T>(types(engine())), std::move(dtor));
  }

  /// Satisfies the instance import `name` (matched with semver compatibility) with the
  /// exports of another component's instance, living in the same store: composition. Its
  /// functions, types (resources included) and nested instances are checked against the
  /// import's type when a component is instantiated.
  Result<void> define_instance(std::string_view name, Instance instance);

  const Engine& engine() const;

  Result<Instance> instantiate(Store& store, const Component& component) const;
  /// Resolves and type-checks every import now; instantiating is then cheap.
  Result<InstancePre> instantiate_pre(const Component& component) const;

  struct Impl;
  Impl* impl() const { return impl_.get(); }

 private:
  std::unique_ptr<Impl> impl_;
};

class InstancePre {
 public:
  Result<Instance> instantiate(Store& store) const;

  struct Impl;
  explicit InstancePre(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

 private:
  std::shared_ptr<const Impl> impl_;
};

// ---- typed functions (implementation) ----

namespace detail {

/// The typed fast path's view of one canonical ABI call (api.cc): arguments are lowered and
/// results lifted one by one, straight between C++ values and the callee's flat values and
/// memory, without building Val vectors.
class FlatLower {
 public:
  /// Lowers a primitive value (bool, integers, floats, char) of type `t`.
  bool value(const Val& v, TypeRef t);
  /// Lowers a string (must be valid UTF-8) into the callee's memory.
  bool string(std::string_view s);
  void* cx = nullptr;
  void* out = nullptr;
};

class FlatLift {
 public:
  /// Lifts the result of type `t` into `out` (a primitive).
  bool value(TypeRef t, Val* out);
  /// Lifts a string result.
  bool string(std::string* out);
  void* cx = nullptr;
  void* in = nullptr;
  TypeRef type = nullptr;  // the result type
};

using LowerCallback = bool (*)(FlatLower&, void* ctx);
using LiftCallback = bool (*)(FlatLift&, void* ctx);

/// Whether `f` can be called through call_flat: a synchronous lifted function (not a host
/// function, which is called through Vals) of at most kMaxFlatParams flat parameters.
bool flat_callable(const FuncImpl* f);
/// Calls `f` (flat_callable) through the fast path.
Result<void> call_flat(Store& store, FuncImpl* f, LowerCallback lower, LiftCallback lift,
                       void* ctx);

template <class T>
struct IsFastArg
    : std::bool_constant<std::is_arithmetic_v<T> || std::is_same_v<T, std::string> ||
                         std::is_same_v<T, std::string_view>> {};
template <class T>
struct IsFastResult
    : std::bool_constant<std::is_void_v<T> || std::is_arithmetic_v<T> ||
                         std::is_same_v<T, std::string>> {};

}  // namespace detail

template <class R, class... A>
class TypedFunc<R(A...)> {
  /// The argument and result types the fast path handles (at most 16 flat parameters: a
  /// string takes two).
  static constexpr bool kFastTypes =
      (detail::IsFastArg<A>::value && ...) && detail::IsFastResult<R>::value && sizeof...(A) <= 8;

 public:
  explicit TypedFunc(Func f)
      : f_(f), type_(&f.type()), fast_(kFastTypes && detail::flat_callable(f.raw())) {}
  Func func() const { return f_; }

  Result<R> call(Store& store, const A&... args) const {
    if constexpr (kFastTypes) {
      if (fast_) return call_fast(store, args...);
    }
    const Val vals[] = {WitType<A>::to_val(args)..., Val()};
    auto r = f_.call(store, std::span<const Val>(vals, sizeof...(A)));
    if (!r.ok()) return unexpected(r.error());
    if constexpr (std::is_void_v<R>) {
      return {};
    } else {
      if (!*r) return api_error(ErrorKind::Trap, "the function returned no result");
      return WitType<R>::from_val(**r);
    }
  }

  /// The component function type of `R(A...)`.
  static const FuncType* type(TypeTable& tt) {
    FuncType ft;
    uint32_t i = 0;
    (ft.params.push_back({"p" + std::to_string(i++), WitType<A>::type(tt)}), ...);
    if constexpr (!std::is_void_v<R>) ft.result = WitType<R>::type(tt);
    return tt.intern_func(std::move(ft));
  }

 private:
  /// The fast path (detail::call_flat, no Val trees); the result is lifted straight into the
  /// returned Result (one object: no copies of a string result). Two overloads rather than
  /// an `if constexpr`, whose second return statement would cost GCC the named return value
  /// optimization.
  Result<R> call_fast(Store& store, const A&... args) const requires std::is_void_v<R> {
    FastCtx ctx{std::forward_as_tuple(args...), type_, nullptr};
    return detail::call_flat(store, f_.raw(), &FastCtx::lower, &FastCtx::lift, &ctx);
  }
  Result<R> call_fast(Store& store, const A&... args) const requires(!std::is_void_v<R>) {
    Result<R> out = R{};
    FastCtx ctx{std::forward_as_tuple(args...), type_, &*out};
    Result<void> r = detail::call_flat(store, f_.raw(), &FastCtx::lower, &FastCtx::lift, &ctx);
    if (!r.ok()) out = unexpected(r.error());
    return out;
  }

  /// The arguments and the result of one fast-path call, seen by the lower/lift callbacks.
  struct FastCtx {
    std::tuple<const A&...> args;
    const FuncType* type;
    std::conditional_t<std::is_void_v<R>, char, R>* result;

    template <size_t... I>
    bool lower_all(detail::FlatLower& l, std::index_sequence<I...>) {
      return (lower_one(l, std::get<I>(args), type->params[I].type) && ...);
    }
    template <class T>
    static bool lower_one(detail::FlatLower& l, const T& v, TypeRef t) {
      if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, std::string_view>) {
        return l.string(v);
      } else {
        return l.value(WitType<T>::to_val(v), t);
      }
    }
    static bool lower(detail::FlatLower& l, void* p) {
      auto* c = static_cast<FastCtx*>(p);
      return c->lower_all(l, std::index_sequence_for<A...>{});
    }
    static bool lift(detail::FlatLift& l, void* p) {
      auto* c = static_cast<FastCtx*>(p);
      if constexpr (std::is_void_v<R>) {
        return true;
      } else if constexpr (std::is_same_v<R, std::string>) {
        return l.string(c->result);
      } else {
        Val v;
        if (!l.value(c->type->result, &v)) return false;
        *c->result = WitType<R>::from_val(v);
        return true;
      }
    }
  };

  Func f_;
  const FuncType* type_;  // f_.type(), looked up once
  bool fast_;             // the fast path applies (detail::flat_callable)
};

template <class Sig>
Result<TypedFunc<Sig>> Func::typed(const Store& store) const {
  const FuncType* want = TypedFunc<Sig>::type(types(store));
  if (!func_compatible(*want, type())) {
    return api_error(ErrorKind::Link, "function type mismatch: the function is " +
                                          to_string(type()) + ", the C++ signature gives " +
                                          to_string(*want));
  }
  return TypedFunc<Sig>(*this);
}

namespace detail {

template <class Args, size_t... I>
Args args_from_vals(std::span<const Val> vals, std::index_sequence<I...>) {
  return Args{WitType<std::tuple_element_t<I, Args>>::from_val(vals[I])...};
}

template <class Args, size_t... I>
void param_types(TypeTable& tt, FuncType& ft, std::index_sequence<I...>) {
  (ft.params.push_back(
       {"p" + std::to_string(I), WitType<std::tuple_element_t<I, Args>>::type(tt)}),
   ...);
}

}  // namespace detail

template <class F>
Result<void> Linker::func_wrap(std::string_view name, F&& f) {
  using Traits = detail::CallableTraits<std::decay_t<F>>;
  using Args = typename Traits::Args;
  using Ret = detail::ReturnOf<typename Traits::Return>;
  using Value = typename Ret::Value;
  constexpr size_t kArity = std::tuple_size_v<Args>;
  TypeTable& tt = types(engine());
  FuncType ft;
  detail::param_types<Args>(tt, ft, std::make_index_sequence<kArity>{});
  if constexpr (!std::is_void_v<Value>) ft.result = WitType<Value>::type(tt);
  const FuncType* type = tt.intern_func(std::move(ft));
  HostFunc fn = [f = std::forward<F>(f)](Store&,
                                         std::span<const Val> args) -> Result<std::optional<Val>> {
    Args tuple = detail::args_from_vals<Args>(args, std::make_index_sequence<kArity>{});
    if constexpr (Ret::kFallible) {
      auto r = std::apply(f, std::move(tuple));
      if (!r.ok()) return unexpected(r.error());
      if constexpr (std::is_void_v<Value>) {
        return std::optional<Val>();
      } else {
        return std::optional<Val>(WitType<Value>::to_val(*r));
      }
    } else if constexpr (std::is_void_v<Value>) {
      std::apply(f, std::move(tuple));
      return std::optional<Val>();
    } else {
      return std::optional<Val>(WitType<Value>::to_val(std::apply(f, std::move(tuple))));
    }
  };
  return define_func(name, type, std::move(fn));
}

}  // namespace zinc::component

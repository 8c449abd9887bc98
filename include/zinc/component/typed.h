// zinc/component/typed.h: C++ types as component types, for host functions defined from plain
// C++ callables (component::Linker::func_wrap) and typed calls of exports (TypedFunc).
//
// `WitType<T>` maps a C++ type to its component type and converts values to and from `Val`:
//   bool, int8_t..uint64_t, float, double      bool, s8..u64, f32, f64
//   char32_t                                   char
//   std::string (std::string_view as a param)  string
//   std::vector<T>                             list<T>
//   std::optional<T>                           option<T>
//   WitResult<T, E> (T/E may be void)          result<T, E>
//   std::tuple<T...>                           tuple<T...>
//   a struct with ZINC_WIT_RECORD              record { fields... } (labels as given)
//   Own<T>, Borrow<T> (T a tag type)           own<r>, borrow<r> of the host resource r of T
// A callable's parameters are converted from the arguments, its return value (void: no result)
// to the result. Errors: a callable may return zinc::Result<R> to trap the caller.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeinfo>
#include <utility>
#include <vector>

#include "zinc/component/types.h"
#include "zinc/component/val.h"
#include "zinc/result.h"

namespace zinc::component {

/// result<T, E> as a C++ value. T or E may be `void` (no payload).
template <class T, class E>
struct WitResult {
  using OkPayload = std::conditional_t<std::is_void_v<T>, std::monostate, T>;
  using ErrPayload = std::conditional_t<std::is_void_v<E>, std::monostate, E>;
  bool ok = true;
  OkPayload value{};
  ErrPayload error{};

  static WitResult success(OkPayload v = {}) { return {true, std::move(v), {}}; }
  static WitResult failure(ErrPayload e = {}) { return {false, {}, std::move(e)}; }
};

template <class T, class = void>
struct WitType;

namespace detail {
inline TypeRef intern_or_null(TypeTable& tt, ValType t) { return tt.intern(std::move(t), nullptr); }
}  // namespace detail

template <>
struct WitType<bool> {
  static TypeRef type(TypeTable& tt) { return tt.prim(ValKind::Bool); }
  static Val to_val(bool b) { return Val::boolean(b); }
  static bool from_val(const Val& v) { return v.as_bool(); }
};

template <class I>
struct WitType<I, std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool> &&
                                   !std::is_same_v<I, char32_t> && !std::is_same_v<I, char>>> {
  static constexpr ValKind kind() {
    constexpr bool s = std::is_signed_v<I>;
    switch (sizeof(I)) {
      case 1: return s ? ValKind::S8 : ValKind::U8;
      case 2: return s ? ValKind::S16 : ValKind::U16;
      case 4: return s ? ValKind::S32 : ValKind::U32;
      default: return s ? ValKind::S64 : ValKind::U64;
    }
  }
  static TypeRef type(TypeTable& tt) { return tt.prim(kind()); }
  static Val to_val(I i) {
    Val v;
    v.kind = kind();
    v.bits = static_cast<uint64_t>(static_cast<std::conditional_t<std::is_signed_v<I>, int64_t,
                                                                  uint64_t>>(i));
    return v;
  }
  static I from_val(const Val& v) { return static_cast<I>(v.bits); }
};

template <>
struct WitType<float> {
  static TypeRef type(TypeTable& tt) { return tt.prim(ValKind::F32); }
  static Val to_val(float f) { return Val::f32(f); }
  static float from_val(const Val& v) { return v.as_f32(); }
};

template <>
struct WitType<double> {
  static TypeRef type(TypeTable& tt) { return tt.prim(ValKind::F64); }
  static Val to_val(double d) { return Val::f64(d); }
  static double from_val(const Val& v) { return v.as_f64(); }
};

template <>
struct WitType<char32_t> {
  static TypeRef type(TypeTable& tt) { return tt.prim(ValKind::Char); }
  static Val to_val(char32_t c) { return Val::character(static_cast<uint32_t>(c)); }
  static char32_t from_val(const Val& v) { return static_cast<char32_t>(v.bits); }
};

template <>
struct WitType<std::string> {
  static TypeRef type(TypeTable& tt) { return tt.prim(ValKind::String); }
  static Val to_val(std::string s) { return Val::string(std::move(s)); }
  static std::string from_val(const Val& v) { return v.str; }
};

/// Parameters only: a view of the argument (valid during the call).
template <>
struct WitType<std::string_view> {
  static TypeRef type(TypeTable& tt) { return tt.prim(ValKind::String); }
  static Val to_val(std::string_view s) { return Val::string(std::string(s)); }
  static std::string_view from_val(const Val& v) { return v.str; }
};

template <class T>
struct WitType<std::vector<T>> {
  static TypeRef type(TypeTable& tt) {
    ValType t;
    t.kind = ValKind::List;
    t.elem = WitType<T>::type(tt);
    return detail::intern_or_null(tt, std::move(t));
  }
  static Val to_val(const std::vector<T>& xs) {
    std::vector<Val> items;
    items.reserve(xs.size());
    for (const T& x : xs) items.push_back(WitType<T>::to_val(x));
    return Val::list(std::move(items));
  }
  static std::vector<T> from_val(const Val& v) {
    std::vector<T> out;
    const size_t n = v.list_size();
    out.reserve(n);
    if (v.packed) {
      for (size_t i = 0; i < n; ++i) out.push_back(WitType<T>::from_val(v.list_item(i)));
    } else {
      for (const Val& x : v.items) out.push_back(WitType<T>::from_val(x));
    }
    return out;
  }
};

template <class T>
struct WitType<std::optional<T>> {
  static TypeRef type(TypeTable& tt) {
    ValType t;
    t.kind = ValKind::Option;
    t.elem = WitType<T>::type(tt);
    return detail::intern_or_null(tt, std::move(t));
  }
  static Val to_val(const std::optional<T>& x) {
    if (!x) return Val::option({});
    return Val::option({WitType<T>::to_val(*x)});
  }
  static std::optional<T> from_val(const Val& v) {
    if (v.items.empty()) return std::nullopt;
    return WitType<T>::from_val(v.items[0]);
  }
};

template <class T, class E>
struct WitType<WitResult<T, E>> {
  static TypeRef type(TypeTable& tt) {
    ValType t;
    t.kind = ValKind::Result;
    if constexpr (!std::is_void_v<T>) t.ok = WitType<T>::type(tt);
    if constexpr (!std::is_void_v<E>) t.err = WitType<E>::type(tt);
    return detail::intern_or_null(tt, std::move(t));
  }
  static Val to_val(const WitResult<T, E>& r) {
    if (r.ok) {
      if constexpr (std::is_void_v<T>) return Val::result(true);
      else return Val::result(true, {WitType<T>::to_val(r.value)});
    }
    if constexpr (std::is_void_v<E>) return Val::result(false);
    else return Val::result(false, {WitType<E>::to_val(r.error)});
  }
  static WitResult<T, E> from_val(const Val& v) {
    WitResult<T, E> r;
    r.ok = v.is_ok;
    if (v.is_ok) {
      if constexpr (!std::is_void_v<T>) {
        if (!v.items.empty()) r.value = WitType<T>::from_val(v.items[0]);
      }
    } else {
      if constexpr (!std::is_void_v<E>) {
        if (!v.items.empty()) r.error = WitType<E>::from_val(v.items[0]);
      }
    }
    return r;
  }
};

/// Handles of a host-defined resource in C++ callables (Linker::func_wrap): `Own<T>` and
/// `Borrow<T>` carry the representation the host chose; `T` is any C++ type naming the
/// resource (a tag), whose ResourceType host_resource<T> gives. Define the resource itself
/// with Linker::define_resource<T>(name, dtor).
template <class T>
struct Own {
  uint32_t rep = 0;
};
template <class T>
struct Borrow {
  uint32_t rep = 0;
};

/// The resource type that stands for tag `T` in `tt`: created on first use, one per table.
template <class T>
const ResourceType* host_resource(TypeTable& tt) {
  static std::mutex mutex;
  static std::map<uint64_t, const ResourceType*> by_table;  // TypeTable::serial -> type
  std::lock_guard<std::mutex> lock(mutex);
  const ResourceType*& rt = by_table[tt.serial()];
  if (rt == nullptr) rt = tt.new_resource(typeid(T).name());
  return rt;
}

template <class T>
struct WitType<Own<T>> {
  static TypeRef type(TypeTable& tt) {
    ValType t;
    t.kind = ValKind::Own;
    t.resource = host_resource<T>(tt);
    return detail::intern_or_null(tt, std::move(t));
  }
  // The Val names no resource type: the function's type (checked at link time) does.
  static Val to_val(const Own<T>& h) {
    Val v;
    v.kind = ValKind::Own;
    v.bits = h.rep;
    return v;
  }
  static Own<T> from_val(const Val& v) { return {static_cast<uint32_t>(v.bits)}; }
};

template <class T>
struct WitType<Borrow<T>> {
  static TypeRef type(TypeTable& tt) {
    ValType t;
    t.kind = ValKind::Borrow;
    t.resource = host_resource<T>(tt);
    return detail::intern_or_null(tt, std::move(t));
  }
  static Val to_val(const Borrow<T>& h) {
    Val v;
    v.kind = ValKind::Borrow;
    v.bits = h.rep;
    return v;
  }
  static Borrow<T> from_val(const Val& v) { return {static_cast<uint32_t>(v.bits)}; }
};

template <class... Ts>
struct WitType<std::tuple<Ts...>> {
  static TypeRef type(TypeTable& tt) {
    ValType t;
    t.kind = ValKind::Tuple;
    (t.elems.push_back(WitType<Ts>::type(tt)), ...);
    return detail::intern_or_null(tt, std::move(t));
  }
  static Val to_val(const std::tuple<Ts...>& x) {
    std::vector<Val> items;
    std::apply([&](const Ts&... e) { (items.push_back(WitType<Ts>::to_val(e)), ...); }, x);
    return Val::tuple(std::move(items));
  }
  static std::tuple<Ts...> from_val(const Val& v) {
    return from_items(v, std::index_sequence_for<Ts...>{});
  }

 private:
  template <size_t... I>
  static std::tuple<Ts...> from_items(const Val& v, std::index_sequence<I...>) {
    return std::tuple<Ts...>{WitType<Ts>::from_val(v.items[I])...};
  }
};

namespace detail {

/// A record field descriptor for ZINC_WIT_RECORD.
template <class S, class F>
struct FieldDesc {
  const char* label;
  F S::*member;
};
template <class S, class F>
constexpr FieldDesc<S, F> field(const char* label, F S::*m) {
  return {label, m};
}

template <class S, class... Fs>
struct RecordType {
  static TypeRef type(TypeTable& tt, const FieldDesc<S, Fs>&... fs) {
    ValType t;
    t.kind = ValKind::Record;
    (t.fields.push_back({fs.label, WitType<Fs>::type(tt)}), ...);
    return intern_or_null(tt, std::move(t));
  }
  static Val to_val(const S& s, const FieldDesc<S, Fs>&... fs) {
    return Val::record({fs.label...}, {WitType<Fs>::to_val(s.*(fs.member))...});
  }
  static S from_val(const Val& v, const FieldDesc<S, Fs>&... fs) {
    S s{};
    size_t i = 0;
    ((s.*(fs.member) = WitType<Fs>::from_val(v.items[i++])), ...);
    return s;
  }
};

template <class S, class... Fs>
RecordType<S, Fs...> record_of(const FieldDesc<S, Fs>&...) {
  return {};
}

}  // namespace detail

/// Makes struct `S` a WIT record, at global namespace scope:
///   ZINC_WIT_RECORD(Point, detail::field("x", &Point::x), detail::field("y", &Point::y))
/// (the macro opens namespace zinc::component, where `detail::field` names the helper).
#define ZINC_WIT_RECORD(S, ...)                                                               \
  namespace zinc::component {                                                                 \
  template <>                                                                                 \
  struct WitType<S> {                                                                         \
    static auto fields() { return std::make_tuple(__VA_ARGS__); }                             \
    static TypeRef type(TypeTable& tt) {                                                      \
      return std::apply([&](auto... f) { return detail::record_of(f...).type(tt, f...); }, fields());    \
    }                                                                                         \
    static Val to_val(const S& s) {                                                           \
      return std::apply([&](auto... f) { return detail::record_of(f...).to_val(s, f...); }, fields());   \
    }                                                                                         \
    static S from_val(const Val& v) {                                                         \
      return std::apply([&](auto... f) { return detail::record_of(f...).from_val(v, f...); }, fields()); \
    }                                                                                         \
  };                                                                                          \
  }

namespace detail {

template <class T>
struct ReturnOf {
  using Value = T;
  static constexpr bool kFallible = false;
};
template <class T>
struct ReturnOf<zinc::Result<T>> {
  using Value = T;
  static constexpr bool kFallible = true;
};

template <class F>
struct CallableTraits : CallableTraits<decltype(&std::decay_t<F>::operator())> {};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...) const> {
  using Return = R;
  using Args = std::tuple<std::decay_t<A>...>;
};
template <class C, class R, class... A>
struct CallableTraits<R (C::*)(A...)> {
  using Return = R;
  using Args = std::tuple<std::decay_t<A>...>;
};
template <class R, class... A>
struct CallableTraits<R (*)(A...)> {
  using Return = R;
  using Args = std::tuple<std::decay_t<A>...>;
};

}  // namespace detail

}  // namespace zinc::component

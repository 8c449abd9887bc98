// zinc/component/val.h: component values as the embedding API passes them (dynamic calls,
// host functions without static types, the CLI's WAVE syntax).
//
// A Val is a small tree that mirrors the Component Model's value kinds (types.h ValKind).
// Values do not carry their full type: a call checks them against the function's parameter
// types (`matches`), and lifting produces values of exactly the lifted type.
//   numbers    bool, s8..u64 (in `bits`, sign-extended for signed kinds), f32, f64 (bits)
//   char       the Unicode scalar value in `bits`
//   string     `str` (UTF-8)
//   list       `items`; or, for a list of bool, numbers or char, *packed*: `packed` set, `bits`
//              the element ValKind and `str` the elements laid out as the Canonical ABI stores
//              them (little-endian, elem_size bytes each, bool 0/1, char a scalar value).
//              Lifting produces packed lists for these element types (a 1 MiB list<u8> is
//              one 1 MiB string, not a million Vals); every consumer accepts both forms and
//              `==` treats them as equal when their elements are.
//   record     `items` in field order, `names` the field labels
//   tuple      `items`
//   variant    `str` the case label, `items` the payload (empty or one value)
//   enum       `str` the case label
//   option     `items` empty (none) or one value (some)
//   result     `is_ok`, `items` empty or one value (the payload of the ok or error case)
//   flags      `names` the labels that are set
//   map        `items` the entries, each a 2-tuple (key, value); a list of such entries is
//              accepted where a map is expected
//   own/borrow `bits` the handle's representation as the host sees it (a ResourceAny index
//              of the embedding API), `resource` its resource type
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "zinc/component/types.h"

namespace zinc::component {

struct Val {
  ValKind kind = ValKind::Bool;
  uint64_t bits = 0;
  std::string str;
  std::vector<Val> items;
  std::vector<std::string> names;
  bool is_ok = true;
  bool packed = false;  // list: the packed form
  const ResourceType* resource = nullptr;

  // ---- constructors ----
  static Val boolean(bool b) { return num(ValKind::Bool, b ? 1 : 0); }
  static Val s8(int8_t v) { return num(ValKind::S8, static_cast<uint64_t>(int64_t{v})); }
  static Val u8(uint8_t v) { return num(ValKind::U8, v); }
  static Val s16(int16_t v) { return num(ValKind::S16, static_cast<uint64_t>(int64_t{v})); }
  static Val u16(uint16_t v) { return num(ValKind::U16, v); }
  static Val s32(int32_t v) { return num(ValKind::S32, static_cast<uint64_t>(int64_t{v})); }
  static Val u32(uint32_t v) { return num(ValKind::U32, v); }
  static Val s64(int64_t v) { return num(ValKind::S64, static_cast<uint64_t>(v)); }
  static Val u64(uint64_t v) { return num(ValKind::U64, v); }
  static Val f32(float v) {
    uint32_t b;
    std::memcpy(&b, &v, 4);
    return num(ValKind::F32, b);
  }
  static Val f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    return num(ValKind::F64, b);
  }
  static Val character(uint32_t scalar) { return num(ValKind::Char, scalar); }
  static Val string(std::string s) {
    Val v;
    v.kind = ValKind::String;
    v.str = std::move(s);
    return v;
  }
  static Val list(std::vector<Val> items) { return seq(ValKind::List, std::move(items)); }
  /// A packed list of `elem` (a kind for which `packable` holds); `bytes` as described above.
  static Val packed_list(ValKind elem, std::string bytes) {
    Val v;
    v.kind = ValKind::List;
    v.packed = true;
    v.bits = static_cast<uint64_t>(elem);
    v.str = std::move(bytes);
    return v;
  }
  static Val tuple(std::vector<Val> items) { return seq(ValKind::Tuple, std::move(items)); }
  static Val record(std::vector<std::string> names, std::vector<Val> items) {
    Val v = seq(ValKind::Record, std::move(items));
    v.names = std::move(names);
    return v;
  }
  static Val variant(std::string label, std::vector<Val> payload = {}) {
    Val v = seq(ValKind::Variant, std::move(payload));
    v.str = std::move(label);
    return v;
  }
  static Val enumeration(std::string label) {
    Val v;
    v.kind = ValKind::Enum;
    v.str = std::move(label);
    return v;
  }
  static Val option(std::vector<Val> some) { return seq(ValKind::Option, std::move(some)); }
  static Val result(bool ok, std::vector<Val> payload = {}) {
    Val v = seq(ValKind::Result, std::move(payload));
    v.is_ok = ok;
    return v;
  }
  static Val flags(std::vector<std::string> set) {
    Val v;
    v.kind = ValKind::Flags;
    v.names = std::move(set);
    return v;
  }

  // ---- accessors ----
  bool as_bool() const { return bits != 0; }
  int64_t as_signed() const { return static_cast<int64_t>(bits); }
  uint64_t as_unsigned() const { return bits; }
  float as_f32() const {
    float f;
    const uint32_t b = static_cast<uint32_t>(bits);
    std::memcpy(&f, &b, 4);
    return f;
  }
  double as_f64() const {
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
  }

  // ---- lists (both forms) ----
  /// Element kinds a list may be packed for: bool, the integers, f32, f64, char.
  static constexpr bool packable(ValKind k) { return k <= ValKind::Char; }
  /// Bytes per element of a packed list of `k`.
  static uint32_t packed_size(ValKind k);
  /// The element kind of a packed list.
  ValKind packed_kind() const { return static_cast<ValKind>(bits); }
  /// Number of elements of a list (either form).
  size_t list_size() const;
  /// Element `i` of a list (either form; a copy).
  Val list_item(size_t i) const;

  /// Structural equality (floats by bit pattern); packed and unpacked lists compare by their
  /// elements.
  friend bool operator==(const Val&, const Val&);

 private:
  static Val num(ValKind k, uint64_t b) {
    Val v;
    v.kind = k;
    v.bits = b;
    return v;
  }
  static Val seq(ValKind k, std::vector<Val> items) {
    Val v;
    v.kind = k;
    v.items = std::move(items);
    return v;
  }
};

/// True when `v` is a value of type `t` (labels, arity, number ranges, UTF-8 of strings,
/// Unicode scalar values, flags labels). Resources: kind only.
bool matches(const Val& v, TypeRef t);

/// The WAVE text form of a value ("text", [1, 2], {a: 1}, some(3), ok("x"), %red,
/// {read, write}): https://github.com/bytecodealliance/wasm-tools/tree/main/crates/wasm-wave
std::string to_wave(const Val& v);

}  // namespace zinc::component

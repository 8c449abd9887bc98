// zinc/v128.h: the 128-bit SIMD value.
//
// 16 bytes, 16-byte aligned, little-endian lane order (lane 0 in the lowest bytes), exactly as
// WebAssembly's v128 and as it sits in linear memory. Lanes are read and written with memcpy
// (lane<T>/set_lane<T>), never through type-punned pointers.
#pragma once

#include <cstdint>
#include <cstring>

namespace zinc {

struct alignas(16) V128 {
  uint8_t bytes[16] = {};

  template <typename T>
  T lane(unsigned i) const {
    T v;
    std::memcpy(&v, bytes + i * sizeof(T), sizeof(T));
    return v;
  }
  template <typename T>
  void set_lane(unsigned i, T v) {
    std::memcpy(bytes + i * sizeof(T), &v, sizeof(T));
  }
  friend bool operator==(const V128& a, const V128& b) {
    return std::memcmp(a.bytes, b.bytes, 16) == 0;
  }
};

static_assert(sizeof(V128) == 16 && alignof(V128) == 16);

}  // namespace zinc

// tests/component/canon_test_util.h: fixtures for the Canonical ABI tests -- a guest memory
// that is a plain byte vector (which a realloc may grow, moving it, as a real memory.grow may),
// a bump allocator as `realloc`, and a context bundle (options + instance + Cx).
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "component/canon.h"
#include "zinc/component/types.h"
#include "zinc/component/val.h"

namespace zinc::component::canon::test {

/// A linear memory of `size` bytes with a bump allocator as its realloc. Allocations past the
/// end grow the memory (reallocating the vector, so its base moves) unless `fixed`.
struct TestMemory {
  std::vector<uint8_t> bytes;
  uint8_t* base = nullptr;
  uint64_t size = 0;
  uint32_t bump = 16;
  bool fixed = false;
  uint32_t realloc_calls = 0;

  explicit TestMemory(size_t n = 1 << 16) : bytes(n) { sync(); }
  void sync() {
    base = bytes.data();
    size = bytes.size();
  }
  GuestMemory memory() { return GuestMemory(&base, &size); }
  ReallocFn realloc() {
    return [this](uint32_t old_ptr, uint32_t old_size, uint32_t align,
                  uint32_t new_size) -> Result<uint32_t> {
      ++realloc_calls;
      uint64_t p = (uint64_t{bump} + align - 1) / align * align;
      if (p + new_size > size) {
        if (fixed) return static_cast<uint32_t>(p);  // out of bounds: the ABI must trap
        bytes.resize(std::max<uint64_t>(p + new_size, bytes.size() * 2));
        sync();
      }
      if (old_ptr != 0 && old_size != 0) {
        std::memmove(base + p, base + old_ptr, std::min(old_size, new_size));
      }
      bump = static_cast<uint32_t>(p + new_size);
      return static_cast<uint32_t>(p);
    };
  }
  void put(uint32_t at, std::initializer_list<uint8_t> b) {
    std::memcpy(base + at, b.begin(), b.size());
  }
  void put32(uint32_t at, uint32_t v) { std::memcpy(base + at, &v, 4); }
  uint32_t get32(uint32_t at) const {
    uint32_t v;
    std::memcpy(&v, base + at, 4);
    return v;
  }
  std::vector<uint8_t> slice(uint32_t at, uint32_t n) const {
    return std::vector<uint8_t>(base + at, base + at + n);
  }
};

/// Options, an instance and a context over a TestMemory.
struct Guest {
  TestMemory mem;
  CanonicalOptions opts;
  ResourceRegistry* registry;
  InstanceState inst;
  std::unique_ptr<Task> task;
  std::unique_ptr<Subtask> subtask;
  std::unique_ptr<Cx> cx;

  explicit Guest(StringEncoding enc = StringEncoding::Utf8, ResourceRegistry* reg = nullptr,
                 size_t mem_size = 1 << 16)
      : mem(mem_size), registry(reg), inst(reg) {
    opts.string_encoding = enc;
    opts.memory = mem.memory();
    opts.realloc = mem.realloc();
    reset();
  }
  /// A fresh context (clears a recorded trap).
  Cx& reset() {
    task = std::make_unique<Task>(&inst);
    subtask = std::make_unique<Subtask>(&inst);
    cx = std::make_unique<Cx>(opts, &inst, task.get(), subtask.get());
    return *cx;
  }
  std::string error() const { return cx->failed() ? cx->error().message : std::string(); }
};

/// Interning shorthands.
struct Types {
  TypeTable table;
  TypeRef p(ValKind k) const { return table.prim(k); }
  TypeRef make(ValType t) {
    std::string err;
    TypeRef r = table.intern(std::move(t), &err);
    INFO(err);
    REQUIRE(r != nullptr);
    return r;
  }
  TypeRef list(TypeRef e) {
    ValType t;
    t.kind = ValKind::List;
    t.elem = e;
    return make(std::move(t));
  }
  TypeRef fixed_list(TypeRef e, uint32_t n) {
    ValType t;
    t.kind = ValKind::List;
    t.elem = e;
    t.length = n;
    return make(std::move(t));
  }
  TypeRef record(std::vector<Field> f) {
    ValType t;
    t.kind = ValKind::Record;
    t.fields = std::move(f);
    return make(std::move(t));
  }
  TypeRef tuple(std::vector<TypeRef> e) {
    ValType t;
    t.kind = ValKind::Tuple;
    t.elems = std::move(e);
    return make(std::move(t));
  }
  TypeRef variant(std::vector<Case> c) {
    ValType t;
    t.kind = ValKind::Variant;
    t.cases = std::move(c);
    return make(std::move(t));
  }
  TypeRef enumeration(std::vector<std::string> l) {
    ValType t;
    t.kind = ValKind::Enum;
    t.labels = std::move(l);
    return make(std::move(t));
  }
  TypeRef flags(std::vector<std::string> l) {
    ValType t;
    t.kind = ValKind::Flags;
    t.labels = std::move(l);
    return make(std::move(t));
  }
  TypeRef option(TypeRef e) {
    ValType t;
    t.kind = ValKind::Option;
    t.elem = e;
    return make(std::move(t));
  }
  TypeRef result(TypeRef ok, TypeRef err) {
    ValType t;
    t.kind = ValKind::Result;
    t.ok = ok;
    t.err = err;
    return make(std::move(t));
  }
  TypeRef map(TypeRef k, TypeRef v) {
    ValType t;
    t.kind = ValKind::Map;
    t.key = k;
    t.elem = v;
    return make(std::move(t));
  }
  TypeRef own(const ResourceType* r) {
    ValType t;
    t.kind = ValKind::Own;
    t.resource = r;
    return make(std::move(t));
  }
  TypeRef borrow(const ResourceType* r) {
    ValType t;
    t.kind = ValKind::Borrow;
    t.resource = r;
    return make(std::move(t));
  }
};

/// n labels "f0".."f{n-1}".
inline std::vector<std::string> labels(size_t n, const char* prefix = "f") {
  std::vector<std::string> l;
  for (size_t i = 0; i < n; ++i) l.push_back(prefix + std::to_string(i));
  return l;
}

}  // namespace zinc::component::canon::test

// zinc/extern.h: memories, tables and globals of a Store, and Extern (any importable value).
//
// Host code sees linear memory only through bounds-checked views (Memory::span / read / write)
// or the raw data pointer it asks for explicitly; every size a guest controls is checked.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "zinc/result.h"
#include "zinc/types.h"
#include "zinc/val.h"

namespace zinc {

class Store;

class Memory {
 public:
  explicit Memory(vm::MemoryInst* m) : m_(m) {}
  /// A new memory owned by the store (fails beyond the store's limits or the address space).
  static Result<Memory> create(Store& store, const MemoryType& type);

  MemoryType type(const Store& store) const;
  /// Current size in pages (64 KiB).
  uint64_t size(const Store& store) const;
  /// Current size in bytes.
  uint64_t data_size(const Store& store) const;
  /// Start of the memory. Valid until the next grow (which may move it in BoundsChecks mode).
  uint8_t* data(const Store& store) const;
  /// Grows by `delta` pages; returns the old size in pages, or an error (limit, maximum).
  Result<uint64_t> grow(Store& store, uint64_t delta) const;

  /// A checked view of [offset, offset + len); nullopt when out of bounds.
  std::optional<std::span<uint8_t>> span(const Store& store, uint64_t offset, uint64_t len) const;
  /// Copies between guest memory and host buffers; false when out of bounds.
  bool read(const Store& store, uint64_t offset, std::span<uint8_t> out) const;
  bool write(const Store& store, uint64_t offset, std::span<const uint8_t> in) const;

  vm::MemoryInst* raw() const { return m_; }
  friend bool operator==(Memory a, Memory b) { return a.m_ == b.m_; }

 private:
  vm::MemoryInst* m_;
};

class Table {
 public:
  explicit Table(vm::TableInst* t) : t_(t) {}
  /// A new table filled with `init` (a reference of the table's element type).
  static Result<Table> create(Store& store, const TableType& type, const Val& init);

  TableType type(const Store& store) const;
  uint64_t size(const Store& store) const;
  /// nullopt when out of bounds.
  std::optional<Val> get(const Store& store, uint64_t index) const;
  Result<void> set(Store& store, uint64_t index, const Val& value) const;
  /// Returns the old size, or an error (limit, maximum).
  Result<uint64_t> grow(Store& store, uint64_t delta, const Val& init) const;

  vm::TableInst* raw() const { return t_; }
  friend bool operator==(Table a, Table b) { return a.t_ == b.t_; }

 private:
  vm::TableInst* t_;
};

class Global {
 public:
  explicit Global(vm::GlobalInst* g) : g_(g) {}
  static Result<Global> create(Store& store, const GlobalType& type, const Val& init);

  GlobalType type(const Store& store) const;
  Val get(const Store& store) const;
  /// Fails for immutable globals or a value of the wrong type.
  Result<void> set(Store& store, const Val& value) const;

  vm::GlobalInst* raw() const { return g_; }
  friend bool operator==(Global a, Global b) { return a.g_ == b.g_; }

 private:
  vm::GlobalInst* g_;
};

/// Anything that can be imported or exported.
class Extern {
 public:
  Extern(Func f) : v_(f) {}      // NOLINT: implicit by design
  Extern(Table t) : v_(t) {}     // NOLINT
  Extern(Memory m) : v_(m) {}    // NOLINT
  Extern(Global g) : v_(g) {}    // NOLINT

  ExternKind kind() const { return static_cast<ExternKind>(v_.index()); }
  std::optional<Func> func() const { return get<Func>(); }
  std::optional<Table> table() const { return get<Table>(); }
  std::optional<Memory> memory() const { return get<Memory>(); }
  std::optional<Global> global() const { return get<Global>(); }
  ExternType type(const Store& store) const;

 private:
  template <typename T>
  std::optional<T> get() const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    return std::nullopt;
  }
  std::variant<Func, Table, Memory, Global> v_;
};

}  // namespace zinc

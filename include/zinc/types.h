// zinc/types.h: the types of WebAssembly values and externals as the embedding API sees them.
//
// These mirror the spec's external types (https://webassembly.github.io/spec/core/syntax/types.html)
// at the level an embedder needs: value types of Wasm 2.0 (numbers, v128, funcref, externref),
// function signatures, limits, and the types of tables, memories and globals.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace zinc {

/// A value type. Wasm 2.0's types; typed references (Wasm 3.0) will extend this.
enum class ValType : uint8_t { I32, I64, F32, F64, V128, FuncRef, ExternRef };

/// "i32", "funcref", ...
const char* to_string(ValType t);

/// A function signature.
struct FuncType {
  std::vector<ValType> params;
  std::vector<ValType> results;
  friend bool operator==(const FuncType&, const FuncType&) = default;
};

/// "(func (param i32) (result i64))"-style rendering for messages.
std::string to_string(const FuncType& t);

/// Minimum and optional maximum size (pages for memories, elements for tables).
struct Limits {
  uint64_t min = 0;
  std::optional<uint64_t> max;
  friend bool operator==(const Limits&, const Limits&) = default;
};

struct MemoryType {
  Limits limits;
  bool is64 = false;    // memory64
  bool shared = false;  // threads
  friend bool operator==(const MemoryType&, const MemoryType&) = default;
};

struct TableType {
  ValType elem = ValType::FuncRef;
  Limits limits;
  friend bool operator==(const TableType&, const TableType&) = default;
};

struct GlobalType {
  ValType type = ValType::I32;
  bool mut = false;
  friend bool operator==(const GlobalType&, const GlobalType&) = default;
};

enum class ExternKind : uint8_t { Func, Table, Memory, Global };

const char* to_string(ExternKind k);

/// The type of an import or export.
using ExternType = std::variant<FuncType, TableType, MemoryType, GlobalType>;

inline ExternKind kind_of(const ExternType& t) { return static_cast<ExternKind>(t.index()); }

struct ImportType {
  std::string module;
  std::string name;
  ExternType type;
};

struct ExportType {
  std::string name;
  ExternType type;
};

}  // namespace zinc

// tests/builder.h: a small WebAssembly binary builder for unit tests.
//
// `Bytes` appends raw encodings (bytes, LEB128, names, sections); `ModuleBuilder` assembles a
// well-formed module from types, imports, functions, tables, memories, globals, exports, start,
// element and data segments and custom sections, emitted in the binary format's section
// order. Tests that need malformed layouts build sections by hand with `Bytes::section` and
// `module_bytes`. Header-only; nothing here validates (that is the decoder's job).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace zinc::test {

/// Value type bytes of the binary format.
namespace vt {
inline constexpr uint8_t kI32 = 0x7F;
inline constexpr uint8_t kI64 = 0x7E;
inline constexpr uint8_t kF32 = 0x7D;
inline constexpr uint8_t kF64 = 0x7C;
inline constexpr uint8_t kV128 = 0x7B;
inline constexpr uint8_t kFuncRef = 0x70;
inline constexpr uint8_t kExternRef = 0x6F;
}  // namespace vt

/// A growable byte string with wasm encoders; every appender returns *this for chaining.
class Bytes {
 public:
  Bytes() = default;
  Bytes(std::initializer_list<uint8_t> init) : v_(init) {}

  Bytes& u8(uint8_t b) {
    v_.push_back(b);
    return *this;
  }
  Bytes& raw(const std::vector<uint8_t>& bytes) {
    v_.insert(v_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  Bytes& raw(const Bytes& bytes) { return raw(bytes.v_); }
  Bytes& raw(std::initializer_list<uint8_t> bytes) {
    v_.insert(v_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  /// Unsigned LEB128.
  Bytes& u32(uint64_t value) {
    do {
      uint8_t b = value & 0x7F;
      value >>= 7;
      if (value != 0) b |= 0x80;
      v_.push_back(b);
    } while (value != 0);
    return *this;
  }
  /// Signed LEB128.
  Bytes& s64(int64_t value) {
    for (;;) {
      uint8_t b = value & 0x7F;
      value >>= 7;
      const bool done = (value == 0 && !(b & 0x40)) || (value == -1 && (b & 0x40));
      v_.push_back(done ? b : (b | 0x80));
      if (done) return *this;
    }
  }
  Bytes& s32(int32_t value) { return s64(value); }
  /// A name: LEB128 length then the bytes (not checked for UTF-8, so tests can break it).
  Bytes& name(std::string_view s) {
    u32(s.size());
    v_.insert(v_.end(), s.begin(), s.end());
    return *this;
  }
  /// A section: id, LEB128 size, payload.
  Bytes& section(uint8_t id, const Bytes& payload) {
    u8(id);
    u32(payload.size());
    return raw(payload);
  }

  size_t size() const { return v_.size(); }
  const std::vector<uint8_t>& vec() const { return v_; }
  operator const std::vector<uint8_t>&() const { return v_; }  // NOLINT: convenience

 private:
  std::vector<uint8_t> v_;
};

/// Preamble plus the given raw sections.
inline std::vector<uint8_t> module_bytes(std::initializer_list<Bytes> sections = {}) {
  Bytes b{0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00};
  for (const Bytes& s : sections) b.raw(s);
  return b.vec();
}

/// Common constant expressions (with their final `end`).
inline Bytes i32_const(int32_t v) {
  return Bytes().u8(0x41).s32(v).u8(0x0B);
}
inline Bytes i64_const(int64_t v) {
  return Bytes().u8(0x42).s64(v).u8(0x0B);
}
inline Bytes global_get(uint32_t g) {
  return Bytes().u8(0x23).u32(g).u8(0x0B);
}
inline Bytes ref_null(uint8_t heap) {
  return Bytes().u8(0xD0).u8(heap).u8(0x0B);
}
inline Bytes ref_func(uint32_t f) {
  return Bytes().u8(0xD2).u32(f).u8(0x0B);
}

/// Builds a module in section order. Indices returned are in the kind's index space.
class ModuleBuilder {
 public:
  uint32_t type(std::vector<uint8_t> params, std::vector<uint8_t> results) {
    types_.u8(0x60).u32(params.size());
    for (uint8_t p : params) types_.u8(p);
    types_.u32(results.size());
    for (uint8_t r : results) types_.u8(r);
    return num_types_++;
  }
  uint32_t import_func(std::string_view module, std::string_view name, uint32_t type_index) {
    import_header(module, name, 0x00).u32(type_index);
    return num_funcs_++;
  }
  uint32_t import_table(std::string_view module, std::string_view name, uint8_t elem, uint32_t min,
                        std::optional<uint32_t> max = {}) {
    limits(import_header(module, name, 0x01).u8(elem), min, max);
    return num_tables_++;
  }
  uint32_t import_memory(std::string_view module, std::string_view name, uint32_t min,
                         std::optional<uint32_t> max = {}) {
    limits(import_header(module, name, 0x02), min, max);
    return num_memories_++;
  }
  uint32_t import_global(std::string_view module, std::string_view name, uint8_t type, bool mut) {
    import_header(module, name, 0x03).u8(type).u8(mut ? 1 : 0);
    return num_globals_++;
  }
  /// A defined function: `body` is the instruction bytes without locals or final `end`,
  /// `locals` are (count, type) runs.
  uint32_t func(uint32_t type_index, const Bytes& body,
                std::vector<std::pair<uint32_t, uint8_t>> locals = {}) {
    funcs_.u32(type_index);
    Bytes entry;
    entry.u32(locals.size());
    for (auto [n, t] : locals) entry.u32(n).u8(t);
    entry.raw(body).u8(0x0B);
    code_.u32(entry.size()).raw(entry);
    ++num_defined_funcs_;
    return num_funcs_++;
  }
  uint32_t table(uint8_t elem, uint32_t min, std::optional<uint32_t> max = {}) {
    limits(tables_.u8(elem), min, max);
    ++num_defined_tables_;
    return num_tables_++;
  }
  uint32_t memory(uint32_t min, std::optional<uint32_t> max = {}) {
    limits(memories_, min, max);
    ++num_defined_memories_;
    return num_memories_++;
  }
  uint32_t global(uint8_t type, bool mut, const Bytes& init) {
    globals_.u8(type).u8(mut ? 1 : 0).raw(init);
    ++num_defined_globals_;
    return num_globals_++;
  }
  ModuleBuilder& export_(std::string_view name, uint8_t kind, uint32_t index) {
    exports_.name(name).u8(kind).u32(index);
    ++num_exports_;
    return *this;
  }
  ModuleBuilder& start(uint32_t func_index) {
    start_ = func_index;
    return *this;
  }
  /// One element segment, encoded by the caller (flags onwards).
  ModuleBuilder& elem(const Bytes& segment) {
    elems_.raw(segment);
    ++num_elems_;
    return *this;
  }
  /// One data segment, encoded by the caller (flags onwards).
  ModuleBuilder& data(const Bytes& segment) {
    datas_.raw(segment);
    ++num_datas_;
    return *this;
  }
  /// Active data segment for memory 0 at an i32 offset.
  ModuleBuilder& active_data(int32_t offset, std::string_view payload) {
    return data(Bytes().u32(0).raw(i32_const(offset)).name(payload));
  }
  ModuleBuilder& data_count(uint32_t n) {
    data_count_ = n;
    return *this;
  }
  /// A custom section emitted after all others.
  ModuleBuilder& custom(std::string_view name, const Bytes& payload) {
    customs_.push_back(Bytes().name(name).raw(payload));
    return *this;
  }

  std::vector<uint8_t> build() const {
    Bytes out;
    out.raw(module_bytes());
    auto vec_section = [&](uint8_t id, uint32_t count, const Bytes& items) {
      if (count == 0) return;
      out.section(id, Bytes().u32(count).raw(items));
    };
    vec_section(1, num_types_, types_);
    vec_section(2, num_imports_, imports_);
    vec_section(3, num_defined_funcs_, funcs_);
    vec_section(4, num_defined_tables_, tables_);
    vec_section(5, num_defined_memories_, memories_);
    vec_section(6, num_defined_globals_, globals_);
    vec_section(7, num_exports_, exports_);
    if (start_) out.section(8, Bytes().u32(*start_));
    vec_section(9, num_elems_, elems_);
    if (data_count_) out.section(12, Bytes().u32(*data_count_));
    vec_section(10, num_defined_funcs_, code_);
    vec_section(11, num_datas_, datas_);
    for (const Bytes& c : customs_) out.section(0, c);
    return out.vec();
  }

 private:
  Bytes& import_header(std::string_view module, std::string_view name, uint8_t kind) {
    ++num_imports_;
    return imports_.name(module).name(name).u8(kind);
  }
  static Bytes& limits(Bytes& b, uint32_t min, std::optional<uint32_t> max) {
    b.u8(max ? 1 : 0).u32(min);
    if (max) b.u32(*max);
    return b;
  }

  Bytes types_, imports_, funcs_, tables_, memories_, globals_, exports_, elems_, code_, datas_;
  std::vector<Bytes> customs_;
  std::optional<uint32_t> start_, data_count_;
  uint32_t num_types_ = 0, num_imports_ = 0, num_funcs_ = 0, num_defined_funcs_ = 0;
  uint32_t num_tables_ = 0, num_defined_tables_ = 0, num_memories_ = 0;
  uint32_t num_defined_memories_ = 0, num_globals_ = 0, num_defined_globals_ = 0;
  uint32_t num_exports_ = 0, num_elems_ = 0, num_datas_ = 0;
};

}  // namespace zinc::test

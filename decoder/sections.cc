// decoder/sections.cc: the known non-code sections (type, import, function, table, memory,
// global, export, start, element, data count, data) and their module-level validation.
//
// Each decoder reads from its section's start (the reader ends at the module's end; the driver
// checks the section size afterwards) and stops at the first error (the Reader's sticky
// error). Vector counts go through Reader::count and reserve_bounded, so capacity follows the
// bytes present, never a hostile count. Index
// spaces grow as sections are read: imports first, then definitions, so a check against the
// current size is a check against everything an entry may refer to.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html and
//       https://webassembly.github.io/spec/core/valid/modules.html
#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_set>

#include "decoder/impl_limits.h"
#include "decoder/module_decoder_impl.h"

namespace zinc::decoder::internal {

namespace {

constexpr uint8_t kFuncTypeForm = 0x60;

bool fail_limit(Reader& r, size_t offset, const char* what, uint64_t limit) {
  r.fail_at(offset, ErrorCode::ImplementationLimit,
            std::string(what) + " exceeds " + std::to_string(limit));
  return false;
}

std::string index_detail(const char* what, uint32_t index) {
  return std::string(what) + " " + std::to_string(index);
}

}  // namespace

// ---- Types ----

void ModuleDecoder::decode_type_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (count > limits::kMaxTypes) {
    fail_limit(r, start, "number of types", limits::kMaxTypes);
    return;
  }
  reserve_bounded(m_.types, count, r, 3);
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    const size_t form_offset = r.offset();
    const uint8_t form = r.u8();
    if (!r.ok()) return;
    if (form != kFuncTypeForm) {
      // The form is a signed LEB128 of at most one byte in Wasm 2.0.
      r.fail_at(form_offset,
                (form & 0x80) ? ErrorCode::IntegerTooLong : ErrorCode::MalformedFunctionType);
      return;
    }
    TypeDef def;
    def.kind = CompositeKind::Func;
    def.rec_group_start = i;
    for (int list = 0; list < 2; ++list) {
      const size_t count_offset = r.offset();
      const uint32_t n = r.count(1);
      if (!r.ok()) return;
      const uint32_t max = list == 0 ? limits::kMaxFunctionParams : limits::kMaxFunctionResults;
      if (n > max) {
        fail_limit(r, count_offset, list == 0 ? "number of params" : "number of results", max);
        return;
      }
      std::vector<ValType>& types = list == 0 ? def.func.params : def.func.results;
      types.resize(n);
      for (uint32_t k = 0; k < n; ++k) {
        if (!read_val_type(r, features_, &types[k])) return;
      }
    }
    m_.types.push_back(std::move(def));
  }
}

// ---- Imports ----

bool ModuleDecoder::add_function(Reader& r, size_t offset, uint32_t type_index, bool imported) {
  if (type_index >= m_.types.size()) {
    r.fail_at(offset, ErrorCode::UnknownType, index_detail("type", type_index));
    return false;
  }
  if (m_.types[type_index].kind != CompositeKind::Func) {
    r.fail_at(offset, ErrorCode::TypeMismatch, "function type expected");
    return false;
  }
  if (m_.funcs.size() >= limits::kMaxFunctions) {
    return fail_limit(r, offset, "number of functions", limits::kMaxFunctions);
  }
  m_.funcs.push_back(Function{type_index, imported});
  return true;
}

bool ModuleDecoder::check_memory_count(Reader& r, size_t offset) {
  if (m_.memories.size() > 1 && !features_.multi_memory) {
    r.fail_at(offset, ErrorCode::MultipleMemories);
    return false;
  }
  if (m_.memories.size() > limits::kMaxMemories) {
    return fail_limit(r, offset, "number of memories", limits::kMaxMemories);
  }
  return true;
}

void ModuleDecoder::decode_import_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (count > limits::kMaxImports) {
    fail_limit(r, start, "number of imports", limits::kMaxImports);
    return;
  }
  reserve_bounded(m_.imports, count, r, 4);
  for (uint32_t i = 0; i < count && r.ok(); ++i) {
    Import imp;
    imp.module = std::string(r.name());
    imp.name = std::string(r.name());
    const size_t kind_offset = r.offset();
    const uint8_t kind = r.u8();
    if (!r.ok()) return;
    switch (kind) {
      case static_cast<uint8_t>(ExternKind::Func): {
        const size_t offset = r.offset();
        const uint32_t type_index = r.u32();
        if (!r.ok()) return;
        imp.kind = ExternKind::Func;
        imp.index = static_cast<uint32_t>(m_.funcs.size());
        if (!add_function(r, offset, type_index, true)) return;
        ++m_.num_imported_funcs;
        break;
      }
      case static_cast<uint8_t>(ExternKind::Table): {
        TableType t;
        if (!read_table_type(r, &t)) return;
        imp.kind = ExternKind::Table;
        imp.index = static_cast<uint32_t>(m_.tables.size());
        m_.tables.push_back(t);
        ++m_.num_imported_tables;
        break;
      }
      case static_cast<uint8_t>(ExternKind::Memory): {
        MemoryType t;
        if (!read_memory_type(r, &t)) return;
        imp.kind = ExternKind::Memory;
        imp.index = static_cast<uint32_t>(m_.memories.size());
        m_.memories.push_back(t);
        ++m_.num_imported_memories;
        if (!check_memory_count(r, kind_offset)) return;
        break;
      }
      case static_cast<uint8_t>(ExternKind::Global): {
        Global g;
        if (!read_global_type(r, &g.type)) return;
        g.imported = true;
        imp.kind = ExternKind::Global;
        imp.index = static_cast<uint32_t>(m_.globals.size());
        m_.globals.push_back(g);
        ++m_.num_imported_globals;
        break;
      }
      default:
        r.fail_at(kind_offset, ErrorCode::MalformedImportKind,
                  "import kind " + std::to_string(kind));
        return;
    }
    m_.imports.push_back(std::move(imp));
  }
}

// ---- Functions, tables, memories, globals ----

void ModuleDecoder::decode_function_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (static_cast<uint64_t>(count) + m_.funcs.size() > limits::kMaxFunctions) {
    fail_limit(r, start, "number of functions", limits::kMaxFunctions);
    return;
  }
  reserve_bounded(m_.funcs, count, r, 1);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t offset = r.offset();
    const uint32_t type_index = r.u32();
    if (!r.ok() || !add_function(r, offset, type_index, false)) return;
  }
  declared_funcs_ = count;
}

bool ModuleDecoder::read_limits(Reader& r, Limits* out) {
  const size_t offset = r.offset();
  const uint8_t flags = r.u8();
  if (!r.ok()) return false;
  // The flags are a one-bit LEB128 in Wasm 2.0 (shared and 64-bit flags come with threads and
  // memory64), so the spec reports bad flags as LEB128 errors.
  if ((flags & 0x7F) > 1) {
    r.fail_at(offset, ErrorCode::IntegerTooLarge, "limits flags");
    return false;
  }
  if (flags & 0x80) {
    r.fail_at(offset, ErrorCode::IntegerTooLong, "limits flags");
    return false;
  }
  out->has_max = (flags & 1) != 0;
  out->min = r.u32();
  if (out->has_max) out->max = r.u32();
  return r.ok();
}

bool ModuleDecoder::read_table_type(Reader& r, TableType* out) {
  if (!read_ref_type(r, features_, &out->elem)) return false;
  const size_t offset = r.offset();
  if (!read_limits(r, &out->limits)) return false;
  const Limits& l = out->limits;
  if (l.has_max && l.min > l.max) {
    r.fail_at(offset, ErrorCode::LimitsMinGreaterThanMax);
    return false;
  }
  if (l.min > limits::kMaxTableSize) {
    return fail_limit(r, offset, "initial table size", limits::kMaxTableSize);
  }
  return true;
}

bool ModuleDecoder::read_memory_type(Reader& r, MemoryType* out) {
  const size_t offset = r.offset();
  if (!read_limits(r, &out->limits)) return false;
  const Limits& l = out->limits;
  if (l.min > limits::kMaxMemoryPages32 || (l.has_max && l.max > limits::kMaxMemoryPages32)) {
    r.fail_at(offset, ErrorCode::MemorySizeTooLarge);
    return false;
  }
  if (l.has_max && l.min > l.max) {
    r.fail_at(offset, ErrorCode::LimitsMinGreaterThanMax);
    return false;
  }
  return true;
}

bool ModuleDecoder::read_global_type(Reader& r, GlobalType* out) {
  if (!read_val_type(r, features_, &out->type)) return false;
  const size_t offset = r.offset();
  const uint8_t mut = r.u8();
  if (!r.ok()) return false;
  if (mut > 1) {
    r.fail_at(offset, ErrorCode::MalformedMutability);
    return false;
  }
  out->mut = mut == 1;
  return true;
}

void ModuleDecoder::decode_table_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (static_cast<uint64_t>(count) + m_.tables.size() > limits::kMaxTables) {
    fail_limit(r, start, "number of tables", limits::kMaxTables);
    return;
  }
  reserve_bounded(m_.tables, count, r, 3);
  for (uint32_t i = 0; i < count; ++i) {
    TableType t;
    if (!read_table_type(r, &t)) return;
    m_.tables.push_back(t);
  }
}

void ModuleDecoder::decode_memory_section(Reader& r) {
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  for (uint32_t i = 0; i < count; ++i) {
    const size_t offset = r.offset();
    MemoryType t;
    if (!read_memory_type(r, &t)) return;
    m_.memories.push_back(t);
    if (!check_memory_count(r, offset)) return;
  }
}

void ModuleDecoder::decode_global_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (static_cast<uint64_t>(count) + m_.globals.size() > limits::kMaxGlobals) {
    fail_limit(r, start, "number of globals", limits::kMaxGlobals);
    return;
  }
  reserve_bounded(m_.globals, count, r, 3);
  for (uint32_t i = 0; i < count; ++i) {
    Global g;
    if (!read_global_type(r, &g.type)) return;
    if (!read_const_expr(r, g.type.type, &g.init)) return;
    m_.globals.push_back(g);
  }
}

// ---- Exports and start ----

void ModuleDecoder::decode_export_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (count > limits::kMaxExports) {
    fail_limit(r, start, "number of exports", limits::kMaxExports);
    return;
  }
  reserve_bounded(m_.exports, count, r, 3);
  // Views into m_.bytes, which never moves while decoding.
  std::unordered_set<std::string_view> names;
  names.reserve(std::min<size_t>(count, r.remaining() / 3));
  for (uint32_t i = 0; i < count; ++i) {
    const size_t name_offset = r.offset();
    const std::string_view name = r.name();
    const size_t kind_offset = r.offset();
    const uint8_t kind = r.u8();
    const size_t index_offset = r.offset();
    const uint32_t index = r.u32();
    if (!r.ok()) return;
    Export exp;
    switch (kind) {
      case static_cast<uint8_t>(ExternKind::Func):
        if (index >= m_.funcs.size()) {
          r.fail_at(index_offset, ErrorCode::UnknownFunction, index_detail("function", index));
          return;
        }
        func_refs_.push_back(index);
        break;
      case static_cast<uint8_t>(ExternKind::Table):
        if (index >= m_.tables.size()) {
          r.fail_at(index_offset, ErrorCode::UnknownTable, index_detail("table", index));
          return;
        }
        break;
      case static_cast<uint8_t>(ExternKind::Memory):
        if (index >= m_.memories.size()) {
          r.fail_at(index_offset, ErrorCode::UnknownMemory, index_detail("memory", index));
          return;
        }
        break;
      case static_cast<uint8_t>(ExternKind::Global):
        if (index >= m_.globals.size()) {
          r.fail_at(index_offset, ErrorCode::UnknownGlobal, index_detail("global", index));
          return;
        }
        break;
      default:
        r.fail_at(kind_offset, ErrorCode::MalformedExportKind,
                  "export kind " + std::to_string(kind));
        return;
    }
    if (!names.insert(name).second) {
      r.fail_at(name_offset, ErrorCode::DuplicateExportName, "\"" + std::string(name) + "\"");
      return;
    }
    exp.name = std::string(name);
    exp.kind = static_cast<ExternKind>(kind);
    exp.index = index;
    m_.exports.push_back(std::move(exp));
  }
}

void ModuleDecoder::decode_start_section(Reader& r) {
  const size_t offset = r.offset();
  const uint32_t index = r.u32();
  if (!r.ok()) return;
  if (index >= m_.funcs.size()) {
    r.fail_at(offset, ErrorCode::UnknownFunction, index_detail("function", index));
    return;
  }
  const FuncType& type = m_.func_type(index);
  if (!type.params.empty() || !type.results.empty()) {
    r.fail_at(offset, ErrorCode::StartFunction, "start function must have type [] -> []");
    return;
  }
  m_.start = index;
}

// ---- Element segments ----

bool ModuleDecoder::read_elem_segment(Reader& r, ElemSegment* seg) {
  const size_t flags_offset = r.offset();
  const uint32_t flags = r.u32();
  if (!r.ok()) return false;
  if (flags > 7) {
    r.fail_at(flags_offset, ErrorCode::MalformedElemSegment,
              "segment kind " + std::to_string(flags));
    return false;
  }
  // Bit 0: passive or declarative; bit 1: explicit table index (active) or declarative;
  // bit 2: element expressions instead of function indices.
  const bool not_active = flags & 1;
  const bool bit1 = flags & 2;
  seg->uses_exprs = flags & 4;
  seg->mode = !not_active ? SegmentMode::Active
              : bit1      ? SegmentMode::Declarative
                          : SegmentMode::Passive;
  size_t table_offset = r.offset();
  if (seg->mode == SegmentMode::Active) {
    if (bit1) {
      table_offset = r.offset();
      seg->table_index = r.u32();
      if (!r.ok()) return false;
    }
    if (seg->table_index >= m_.tables.size()) {
      r.fail_at(table_offset, ErrorCode::UnknownTable, index_detail("table", seg->table_index));
      return false;
    }
    if (!read_const_expr(r, kI32, &seg->offset)) return false;
  }
  // The element type: implicit funcref for kinds 0 and 4, else an elemkind byte (function
  // indices) or a reference type (expressions).
  seg->type = kFuncRef;
  if (not_active || bit1) {
    if (seg->uses_exprs) {
      if (!read_ref_type(r, features_, &seg->type)) return false;
    } else {
      const size_t kind_offset = r.offset();
      const uint8_t elem_kind = r.u8();
      if (!r.ok()) return false;
      if (elem_kind != 0x00) {
        r.fail_at(kind_offset, ErrorCode::MalformedElemKind);
        return false;
      }
    }
  }
  if (seg->mode == SegmentMode::Active && !(m_.tables[seg->table_index].elem == seg->type)) {
    r.fail_at(table_offset, ErrorCode::TypeMismatch,
              "element segment of type " + to_string(seg->type) + " for table of type " +
                  to_string(m_.tables[seg->table_index].elem));
    return false;
  }
  const size_t count_offset = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return false;
  if (count > limits::kMaxElemSegmentSize) {
    return fail_limit(r, count_offset, "element segment size", limits::kMaxElemSegmentSize);
  }
  if (seg->uses_exprs) {
    reserve_bounded(seg->exprs, count, r, 1);
    for (uint32_t i = 0; i < count; ++i) {
      ConstExpr e;
      if (!read_const_expr(r, seg->type, &e)) return false;
      seg->exprs.push_back(e);
    }
  } else {
    reserve_bounded(seg->func_indices, count, r, 1);
    for (uint32_t i = 0; i < count; ++i) {
      const size_t offset = r.offset();
      const uint32_t f = r.u32();
      if (!r.ok()) return false;
      if (f >= m_.funcs.size()) {
        r.fail_at(offset, ErrorCode::UnknownFunction, index_detail("function", f));
        return false;
      }
      seg->func_indices.push_back(f);
      func_refs_.push_back(f);
    }
  }
  return true;
}

void ModuleDecoder::decode_element_section(Reader& r) {
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (count > limits::kMaxElemSegments) {
    fail_limit(r, start, "number of element segments", limits::kMaxElemSegments);
    return;
  }
  reserve_bounded(m_.elems, count, r, 3);
  for (uint32_t i = 0; i < count; ++i) {
    ElemSegment seg;
    if (!read_elem_segment(r, &seg)) return;
    m_.elems.push_back(std::move(seg));
  }
}

// ---- Data ----

void ModuleDecoder::decode_data_count_section(Reader& r) {
  const size_t offset = r.offset();
  const uint32_t n = r.u32();
  if (!r.ok()) return;
  if (n > limits::kMaxDataSegments) {
    fail_limit(r, offset, "number of data segments", limits::kMaxDataSegments);
    return;
  }
  m_.data_count = n;
}

void ModuleDecoder::decode_data_section(Reader& r) {
  seen_data_section_ = true;
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (count > limits::kMaxDataSegments) {
    fail_limit(r, start, "number of data segments", limits::kMaxDataSegments);
    return;
  }
  if (m_.data_count && *m_.data_count != count) {
    r.fail_at(start, ErrorCode::DataCountMismatch,
              "data count " + std::to_string(*m_.data_count) + ", " + std::to_string(count) +
                  " segments");
    return;
  }
  reserve_bounded(m_.datas, count, r, 2);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t flags_offset = r.offset();
    const uint32_t flags = r.u32();
    if (!r.ok()) return;
    if (flags > 2) {
      r.fail_at(flags_offset, ErrorCode::MalformedDataSegment,
                "segment kind " + std::to_string(flags));
      return;
    }
    DataSegment seg;
    seg.mode = flags == 1 ? SegmentMode::Passive : SegmentMode::Active;
    if (seg.mode == SegmentMode::Active) {
      const size_t mem_offset = r.offset();
      if (flags == 2) seg.memory_index = r.u32();
      if (!r.ok()) return;
      if (seg.memory_index >= m_.memories.size()) {
        r.fail_at(mem_offset, ErrorCode::UnknownMemory, index_detail("memory", seg.memory_index));
        return;
      }
      if (!read_const_expr(r, kI32, &seg.offset)) return;
    }
    const uint32_t size = r.u32();
    const size_t payload_offset = r.offset();
    if (r.bytes(size) == nullptr) return;
    seg.bytes = {static_cast<uint32_t>(payload_offset), size};
    m_.datas.push_back(seg);
  }
}

}  // namespace zinc::decoder::internal

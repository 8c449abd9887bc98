// vm/instance.cc: module instantiation, following the spec's order
// (https://webassembly.github.io/spec/core/exec/modules.html#instantiation):
// check imports against the module's import types, allocate functions, tables, memories and
// globals (initialisers evaluated as constant expressions), evaluate element segments, then run
// the active element and data segments in order (a trap leaves earlier writes in place, as the
// spec says) and finally the start function.
#include <cstring>
#include <string>

#include "decoder/impl_limits.h"
#include "decoder/reader.h"
#include "decoder/type_reader.h"
#include "vm/runtime.h"
#include "vm/semantics.h"

namespace zinc::vm {

namespace {

using decoder::Opcode;

/// Evaluates a validated constant expression into `out` (two slots, for v128).
void eval_const(const InstanceInst& inst, const decoder::ConstExpr& expr, Slot out[2]) {
  const decoder::Module& m = *inst.module->module;
  const uint8_t* bytes = m.bytes.data();
  decoder::Reader r(bytes + expr.range.offset, bytes + expr.range.end(), expr.range.offset);
  Slot stack[32][2];
  size_t depth = 0;
  while (r.ok() && !r.at_end()) {
    const uint8_t b = r.u8();
    if (b == 0xFD) {  // v128.const
      (void)r.u32();
      std::memcpy(stack[depth++], r.bytes(16), 16);
      continue;
    }
    const auto op = static_cast<Opcode>(decoder::single_byte_opcode(b));
    switch (op) {
      case Opcode::I32Const:
        stack[depth][0] = static_cast<uint32_t>(r.s32());
        stack[depth++][1] = 0;
        break;
      case Opcode::I64Const:
        stack[depth][0] = static_cast<uint64_t>(r.s64());
        stack[depth++][1] = 0;
        break;
      case Opcode::F32Const:
        stack[depth][0] = r.fixed_u32();
        stack[depth++][1] = 0;
        break;
      case Opcode::F64Const:
        stack[depth][0] = r.fixed_u64();
        stack[depth++][1] = 0;
        break;
      case Opcode::RefNull: {
        decoder::HeapType ht;
        (void)decoder::read_heap_type(r, inst.module->engine->features, &ht);
        stack[depth][0] = 0;
        stack[depth++][1] = 0;
        break;
      }
      case Opcode::RefFunc:
        stack[depth][0] = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(inst.funcs[r.u32()]));
        stack[depth++][1] = 0;
        break;
      case Opcode::GlobalGet: {
        const GlobalInst* g = inst.globals[r.u32()];
        stack[depth][0] = g->value[0];
        stack[depth++][1] = g->value[1];
        break;
      }
      case Opcode::I32Add:
      case Opcode::I32Sub:
      case Opcode::I32Mul: {
        const uint32_t a = static_cast<uint32_t>(stack[depth - 2][0]);
        const uint32_t c = static_cast<uint32_t>(stack[depth - 1][0]);
        --depth;
        stack[depth - 1][0] = op == Opcode::I32Add   ? a + c
                              : op == Opcode::I32Sub ? a - c
                                                     : a * c;
        break;
      }
      case Opcode::I64Add:
      case Opcode::I64Sub:
      case Opcode::I64Mul: {
        const uint64_t a = stack[depth - 2][0];
        const uint64_t c = stack[depth - 1][0];
        --depth;
        stack[depth - 1][0] = op == Opcode::I64Add   ? a + c
                              : op == Opcode::I64Sub ? a - c
                                                     : a * c;
        break;
      }
      case Opcode::End:
        out[0] = stack[0][0];
        out[1] = stack[0][1];
        return;
      default:
        out[0] = out[1] = 0;  // unreachable for validated constant expressions
        return;
    }
  }
  out[0] = stack[0][0];
  out[1] = stack[0][1];
}

bool limits_match(const decoder::Limits& actual, uint64_t actual_size,
                  const decoder::Limits& expected) {
  if (actual.is64 != expected.is64) return false;
  if (actual_size < expected.min) return false;
  if (expected.has_max) {
    if (!actual.has_max || actual.max > expected.max) return false;
  }
  return true;
}

Error link_error(const decoder::Import& imp, const std::string& why) {
  Error e;
  e.kind = ErrorKind::Link;
  e.message = "incompatible import type for `" + imp.module + "::" + imp.name + "`: " + why;
  return e;
}

}  // namespace

FuncInst* create_wasm_func(StoreImpl& s, InstanceInst* inst, uint32_t func_index) {
  auto f = std::make_unique<FuncInst>();
  const CompiledModule& cm = *inst->module;
  f->type_id = cm.func_type_id(func_index);
  f->type = &s.engine->types.get(f->type_id);
  f->param_slots = slot_count(f->type->params);
  f->result_slots = slot_count(f->type->results);
  f->store = &s;
  f->instance = inst;
  f->func_index = func_index;
  f->module = &cm;
  FuncInst* raw = f.get();
  s.funcs.push_back(std::move(f));
  return raw;
}

Result<TableInst*> create_table(StoreImpl& s, const decoder::TableType& type, Slot init) {
  if (s.tables.size() >= s.limits.max_tables) {
    return api_error(ErrorKind::Instantiate, "table count limit exceeded");
  }
  auto t = std::make_unique<TableInst>();
  t->store = &s;
  t->elem = type.elem;
  t->limits = type.limits;
  uint64_t max = type.limits.has_max ? type.limits.max : UINT32_MAX;
  if (max > decoder::limits::kMaxTableSize) max = decoder::limits::kMaxTableSize;
  if (max > s.limits.max_table_elements) max = s.limits.max_table_elements;
  t->max = max;
  if (type.limits.min > max) {
    return api_error(ErrorKind::Instantiate, "table of " + std::to_string(type.limits.min) +
                                                 " elements exceeds the limit of " +
                                                 std::to_string(max));
  }
  t->elems.assign(type.limits.min, init);
  TableInst* raw = t.get();
  s.tables.push_back(std::move(t));
  return raw;
}

GlobalInst* create_global(StoreImpl& s, const decoder::GlobalType& type, const Slot value[2]) {
  auto g = std::make_unique<GlobalInst>();
  g->store = &s;
  g->type = type;
  g->value[0] = value[0];
  g->value[1] = value[1];
  GlobalInst* raw = g.get();
  s.globals.push_back(std::move(g));
  return raw;
}

Result<InstanceInst*> instantiate_module(StoreImpl& s, std::shared_ptr<const CompiledModule> cm,
                                         std::span<const Extern> imports) {
  const decoder::Module& m = *cm->module;
  if (s.instances.size() >= s.limits.max_instances) {
    return api_error(ErrorKind::Instantiate, "instance count limit exceeded");
  }
  if (imports.size() != m.imports.size()) {
    return api_error(ErrorKind::Link, "expected " + std::to_string(m.imports.size()) +
                                          " imports, got " + std::to_string(imports.size()));
  }
  auto owned = std::make_unique<InstanceInst>();
  InstanceInst* inst = owned.get();
  inst->module = cm;
  inst->store = &s;

  // Imports, type-checked (extern subtyping: https://webassembly.github.io/spec/core/valid/types.html#import-subtyping).
  for (size_t i = 0; i < m.imports.size(); ++i) {
    const decoder::Import& imp = m.imports[i];
    const Extern& ext = imports[i];
    if (static_cast<uint8_t>(ext.kind()) != static_cast<uint8_t>(imp.kind)) {
      return unexpected(link_error(imp, std::string("expected ") +
                                            to_string(static_cast<ExternKind>(imp.kind)) +
                                            ", got " + to_string(ext.kind())));
    }
    switch (imp.kind) {
      case decoder::ExternKind::Func: {
        FuncInst* f = ext.func()->raw();
        if (f->type_id != cm->func_type_id(imp.index)) {
          return unexpected(link_error(
              imp, "expected " + to_string(to_public(m.func_type(imp.index))) + ", got " +
                       to_string(to_public(*f->type))));
        }
        inst->funcs.push_back(f);
        break;
      }
      case decoder::ExternKind::Table: {
        TableInst* t = ext.table()->raw();
        const decoder::TableType& want = m.tables[imp.index];
        if (!(t->elem == want.elem) || !limits_match(t->limits, t->elems.size(), want.limits)) {
          return unexpected(link_error(imp, "table type mismatch"));
        }
        inst->tables.push_back(t);
        break;
      }
      case decoder::ExternKind::Memory: {
        MemoryInst* mem = ext.memory()->raw();
        const decoder::MemoryType& want = m.memories[imp.index];
        decoder::Limits actual = mem->type.limits;
        if (actual.has_max && mem->max_pages < actual.max) actual.max = mem->max_pages;
        if (mem->type.page_size_log2 != want.page_size_log2 ||
            actual.shared != want.limits.shared ||
            !limits_match(actual, mem->pages(), want.limits)) {
          return unexpected(link_error(imp, "memory type mismatch"));
        }
        inst->memories.push_back(mem);
        break;
      }
      case decoder::ExternKind::Global: {
        GlobalInst* g = ext.global()->raw();
        const decoder::GlobalType& want = m.globals[imp.index].type;
        if (g->type.mut != want.mut || !(g->type.type == want.type)) {
          return unexpected(link_error(imp, "global type mismatch"));
        }
        inst->globals.push_back(g);
        break;
      }
      case decoder::ExternKind::Tag:
        return unexpected(link_error(imp, "tags are not supported yet"));
    }
  }

  // Definitions.
  for (uint32_t i = m.num_imported_funcs; i < m.funcs.size(); ++i) {
    inst->funcs.push_back(create_wasm_func(s, inst, i));
  }
  for (uint32_t i = m.num_imported_tables; i < m.tables.size(); ++i) {
    auto t = create_table(s, m.tables[i], 0);
    if (!t.ok()) return unexpected(t.error());
    inst->tables.push_back(*t);
  }
  for (uint32_t i = m.num_imported_memories; i < m.memories.size(); ++i) {
    auto mem = create_memory(s, m.memories[i]);
    if (!mem.ok()) return unexpected(mem.error());
    inst->memories.push_back(*mem);
  }
  inst->mem0 = inst->memories.empty() ? nullptr : inst->memories[0];
  for (uint32_t i = m.num_imported_globals; i < m.globals.size(); ++i) {
    Slot v[2];
    eval_const(*inst, m.globals[i].init, v);
    inst->globals.push_back(create_global(s, m.globals[i].type, v));
  }
  inst->elems.resize(m.elems.size());
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const decoder::ElemSegment& seg = m.elems[i];
    std::vector<Slot>& items = inst->elems[i];
    items.reserve(seg.size());
    if (seg.uses_exprs) {
      for (const decoder::ConstExpr& e : seg.exprs) {
        Slot v[2];
        eval_const(*inst, e, v);
        items.push_back(v[0]);
      }
    } else {
      for (uint32_t f : seg.func_indices) {
        items.push_back(static_cast<uint64_t>(reinterpret_cast<uintptr_t>(inst->funcs[f])));
      }
    }
  }
  inst->data_dropped.assign(m.datas.size(), false);
  s.instances.push_back(std::move(owned));

  // Active element segments, then data segments, in order; declarative ones are dropped.
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const decoder::ElemSegment& seg = m.elems[i];
    if (seg.mode == decoder::SegmentMode::Active) {
      Slot off[2];
      eval_const(*inst, seg.offset, off);
      TableInst* t = inst->tables[seg.table_index];
      const uint64_t d = t->limits.is64 ? off[0] : static_cast<uint32_t>(off[0]);
      const std::vector<Slot>& items = inst->elems[i];
      if (d > t->elems.size() || items.size() > t->elems.size() - d) {
        return unexpected(trap_error(TrapCode::TableOutOfBounds));
      }
      std::copy(items.begin(), items.end(), t->elems.begin() + static_cast<ptrdiff_t>(d));
    }
    if (seg.mode != decoder::SegmentMode::Passive) inst->elems[i].clear();
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const decoder::DataSegment& seg = m.datas[i];
    if (seg.mode != decoder::SegmentMode::Active) continue;
    Slot off[2];
    eval_const(*inst, seg.offset, off);
    MemoryInst* mem = inst->memories[seg.memory_index];
    const uint64_t d = mem->type.limits.is64 ? off[0] : static_cast<uint32_t>(off[0]);
    if (d > mem->size || seg.bytes.size > mem->size - d) {
      return unexpected(trap_error(TrapCode::MemoryOutOfBounds));
    }
    if (seg.bytes.size != 0) std::memcpy(mem->base + d, m.bytes.data() + seg.bytes.offset, seg.bytes.size);
    inst->data_dropped[i] = true;
  }

  if (m.start) {
    Slot slots[2] = {0, 0};
    Result<void> r = invoke(s, inst->funcs[*m.start], slots, 2);
    if (!r.ok()) return unexpected(r.error());
  }
  return inst;
}

}  // namespace zinc::vm

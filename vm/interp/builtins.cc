// vm/interp/builtins.cc: see builtins.h. Spec:
// https://webassembly.github.io/spec/core/exec/instructions.html#memory-instructions and
// #table-instructions.
#include "vm/interp/builtins.h"

#include <cstring>

namespace zinc::vm::builtins {

namespace {

/// True when [start, start + n) lies within [0, size) (without overflow).
bool in_range(uint64_t start, uint64_t n, uint64_t size) {
  return start <= size && n <= size - start;
}

const decoder::DataSegment& data_segment(InstanceInst* inst, uint32_t data) {
  return inst->module->module->datas[data];
}

}  // namespace

TrapCode memory_fill(MemoryInst* m, uint64_t d, uint8_t value, uint64_t n) {
  if (!in_range(d, n, m->size)) return TrapCode::MemoryOutOfBounds;
  if (n != 0) std::memset(m->base + d, value, n);
  return TrapCode::None;
}

TrapCode memory_copy(MemoryInst* dst, MemoryInst* src, uint64_t d, uint64_t s, uint64_t n) {
  if (!in_range(d, n, dst->size) || !in_range(s, n, src->size)) {
    return TrapCode::MemoryOutOfBounds;
  }
  if (n != 0) std::memmove(dst->base + d, src->base + s, n);
  return TrapCode::None;
}

TrapCode memory_init(InstanceInst* inst, MemoryInst* m, uint32_t data, uint64_t d, uint64_t s,
                     uint64_t n) {
  const uint64_t len = inst->data_dropped[data] ? 0 : data_segment(inst, data).bytes.size;
  if (!in_range(s, n, len) || !in_range(d, n, m->size)) return TrapCode::MemoryOutOfBounds;
  if (n != 0) {
    const decoder::Module& mod = *inst->module->module;
    std::memcpy(m->base + d, mod.bytes.data() + data_segment(inst, data).bytes.offset + s, n);
  }
  return TrapCode::None;
}

void data_drop(InstanceInst* inst, uint32_t data) { inst->data_dropped[data] = true; }

TrapCode table_get(TableInst* t, uint64_t i, Slot* out) {
  if (i >= t->elems.size()) return TrapCode::TableOutOfBounds;
  *out = t->elems[i];
  return TrapCode::None;
}

TrapCode table_set(TableInst* t, uint64_t i, Slot value) {
  if (i >= t->elems.size()) return TrapCode::TableOutOfBounds;
  t->elems[i] = value;
  return TrapCode::None;
}

TrapCode table_fill(TableInst* t, uint64_t i, Slot value, uint64_t n) {
  if (!in_range(i, n, t->elems.size())) return TrapCode::TableOutOfBounds;
  for (uint64_t k = 0; k < n; ++k) t->elems[i + k] = value;
  return TrapCode::None;
}

TrapCode table_copy(TableInst* dst, TableInst* src, uint64_t d, uint64_t s, uint64_t n) {
  if (!in_range(d, n, dst->elems.size()) || !in_range(s, n, src->elems.size())) {
    return TrapCode::TableOutOfBounds;
  }
  if (n != 0) std::memmove(dst->elems.data() + d, src->elems.data() + s, n * sizeof(Slot));
  return TrapCode::None;
}

TrapCode table_init(InstanceInst* inst, TableInst* t, uint32_t elem, uint64_t d, uint64_t s,
                    uint64_t n) {
  const std::vector<Slot>& seg = inst->elems[elem];
  if (!in_range(s, n, seg.size()) || !in_range(d, n, t->elems.size())) {
    return TrapCode::TableOutOfBounds;
  }
  for (uint64_t k = 0; k < n; ++k) t->elems[d + k] = seg[s + k];
  return TrapCode::None;
}

void elem_drop(InstanceInst* inst, uint32_t elem) {
  inst->elems[elem].clear();
  inst->elems[elem].shrink_to_fit();
}

}  // namespace zinc::vm::builtins

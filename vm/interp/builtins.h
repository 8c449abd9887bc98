// vm/interp/builtins.h: the out-of-line runtime operations of the interpreter (and later the
// JIT's slow paths): bulk memory, tables, element/data segments, memory.grow.
//
// Each takes already-decoded operands, checks bounds exactly as the spec orders them (the
// whole range is checked before anything is written, so a trapping copy writes nothing) and
// returns a TrapCode.
#pragma once

#include <cstdint>

#include "vm/runtime.h"

namespace zinc::vm::builtins {

TrapCode memory_fill(MemoryInst* m, uint64_t d, uint8_t value, uint64_t n);
TrapCode memory_copy(MemoryInst* dst, MemoryInst* src, uint64_t d, uint64_t s, uint64_t n);
TrapCode memory_init(InstanceInst* inst, MemoryInst* m, uint32_t data, uint64_t d, uint64_t s,
                     uint64_t n);
void data_drop(InstanceInst* inst, uint32_t data);

TrapCode table_get(TableInst* t, uint64_t i, Slot* out);
TrapCode table_set(TableInst* t, uint64_t i, Slot value);
TrapCode table_fill(TableInst* t, uint64_t i, Slot value, uint64_t n);
TrapCode table_copy(TableInst* dst, TableInst* src, uint64_t d, uint64_t s, uint64_t n);
TrapCode table_init(InstanceInst* inst, TableInst* t, uint32_t elem, uint64_t d, uint64_t s,
                    uint64_t n);
void elem_drop(InstanceInst* inst, uint32_t elem);

}  // namespace zinc::vm::builtins

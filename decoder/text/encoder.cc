// decoder/text/encoder.cc: binary encodings of types and the final section assembly.
// Spec: https://webassembly.github.io/spec/core/binary/modules.html
#include "decoder/text/encoder.h"

#include "decoder/module.h"

namespace zinc::decoder::text {
namespace {

uint8_t abstract_heap_code(HeapKind k) {
  switch (k) {
    case HeapKind::Func: return 0x70;
    case HeapKind::Extern: return 0x6F;
    case HeapKind::Any: return 0x6E;
    case HeapKind::Eq: return 0x6D;
    case HeapKind::I31: return 0x6C;
    case HeapKind::Struct: return 0x6B;
    case HeapKind::Array: return 0x6A;
    case HeapKind::Exn: return 0x69;
    case HeapKind::None: return 0x71;
    case HeapKind::NoFunc: return 0x73;
    case HeapKind::NoExtern: return 0x72;
    case HeapKind::NoExn: return 0x74;
    case HeapKind::Index:
    case HeapKind::Bot: break;
  }
  return 0x70;
}

void write_section(ByteWriter& out, SectionId id, const ByteWriter& body) {
  out.u8(static_cast<uint8_t>(id));
  out.u32(static_cast<uint32_t>(body.size()));
  out.append(body);
}

void write_vec_section(ByteWriter& out, SectionId id, const SectionBuffer& s) {
  if (s.count == 0) return;
  ByteWriter body;
  body.u32(s.count);
  body.append(s.bytes);
  write_section(out, id, body);
}

void write_func_type(ByteWriter& w, const FuncType& ft) {
  w.u8(0x60);
  w.u32(static_cast<uint32_t>(ft.params.size()));
  for (ValType t : ft.params) write_val_type(w, t);
  w.u32(static_cast<uint32_t>(ft.results.size()));
  for (ValType t : ft.results) write_val_type(w, t);
}

}  // namespace

void write_heap_type(ByteWriter& w, HeapType h) {
  if (h.is_index()) {
    w.s64(h.index);
  } else {
    w.u8(abstract_heap_code(h.kind));
  }
}

void write_val_type(ByteWriter& w, ValType t) {
  switch (t.kind()) {
    case ValKind::I32: w.u8(0x7F); return;
    case ValKind::I64: w.u8(0x7E); return;
    case ValKind::F32: w.u8(0x7D); return;
    case ValKind::F64: w.u8(0x7C); return;
    case ValKind::V128: w.u8(0x7B); return;
    case ValKind::Ref:
      if (t.nullable() && !t.heap().is_index()) {
        w.u8(abstract_heap_code(t.heap().kind));
        return;
      }
      w.u8(t.nullable() ? 0x63 : 0x64);
      write_heap_type(w, t.heap());
      return;
    case ValKind::Bot: break;
  }
  w.u8(0x40);
}

uint32_t ModuleEncoder::intern_func_type(const FuncType& ft) {
  for (size_t i = 0; i < types.size(); ++i) {
    const TypeDef& t = types[i];
    if (t.kind == CompositeKind::Func && t.is_final && t.super == TypeDef::kNoSuper &&
        t.rec_group_size == 1 && t.func == ft) {
      return static_cast<uint32_t>(i);
    }
  }
  TypeDef def;
  def.func = ft;
  def.rec_group_start = static_cast<uint32_t>(types.size());
  types.push_back(std::move(def));
  return static_cast<uint32_t>(types.size() - 1);
}

std::vector<uint8_t> ModuleEncoder::finish() const {
  ByteWriter out;
  out.bytes(std::string_view("\0asm\1\0\0\0", 8));
  if (!types.empty()) {
    ByteWriter body;
    body.u32(static_cast<uint32_t>(types.size()));
    for (const TypeDef& t : types) write_func_type(body, t.func);
    write_section(out, SectionId::Type, body);
  }
  write_vec_section(out, SectionId::Import, imports);
  write_vec_section(out, SectionId::Function, funcs);
  write_vec_section(out, SectionId::Table, tables);
  write_vec_section(out, SectionId::Memory, memories);
  write_vec_section(out, SectionId::Global, globals);
  write_vec_section(out, SectionId::Export, exports);
  if (start) {
    ByteWriter body;
    body.u32(*start);
    write_section(out, SectionId::Start, body);
  }
  write_vec_section(out, SectionId::Element, elems);
  if (needs_data_count) {
    ByteWriter body;
    body.u32(datas.count);
    write_section(out, SectionId::DataCount, body);
  }
  write_vec_section(out, SectionId::Code, code);
  write_vec_section(out, SectionId::Data, datas);
  return std::move(out.vec());
}

}  // namespace zinc::decoder::text

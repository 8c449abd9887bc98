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

void write_field_type(ByteWriter& w, const FieldType& f) {
  switch (f.packed) {
    case Packed::I8: w.u8(0x78); break;
    case Packed::I16: w.u8(0x77); break;
    case Packed::None: write_val_type(w, f.type); break;
  }
  w.u8(f.mut ? 1 : 0);
}

// subtype ::= 0x50 vec(typeidx) comptype | 0x4F vec(typeidx) comptype | comptype (final, no
// supertypes); custom descriptors put `0x4C x` (describes) and `0x4D y` (descriptor) before
// the composite type.
void write_sub_type(ByteWriter& w, const TextType& t) {
  if (!t.def.is_final || !t.supers.empty()) {
    w.u8(t.def.is_final ? 0x4F : 0x50);
    w.u32(static_cast<uint32_t>(t.supers.size()));
    for (uint32_t s : t.supers) w.u32(s);
  }
  if (t.describes) {
    w.u8(0x4C);
    w.u32(*t.describes);
  }
  if (t.descriptor) {
    w.u8(0x4D);
    w.u32(*t.descriptor);
  }
  switch (t.def.kind) {
    case CompositeKind::Func:
      w.u8(0x60);
      w.u32(static_cast<uint32_t>(t.def.func.params.size()));
      for (ValType v : t.def.func.params) write_val_type(w, v);
      w.u32(static_cast<uint32_t>(t.def.func.results.size()));
      for (ValType v : t.def.func.results) write_val_type(w, v);
      return;
    case CompositeKind::Struct:
      w.u8(0x5F);
      w.u32(static_cast<uint32_t>(t.fields.size()));
      for (const FieldType& f : t.fields) write_field_type(w, f);
      return;
    case CompositeKind::Array:
      w.u8(0x5E);
      write_field_type(w, t.fields.empty() ? FieldType{} : t.fields[0]);
      return;
  }
}

}  // namespace

void write_heap_type(ByteWriter& w, HeapType h) {
  if (h.exact) {
    w.u8(0x62);
    w.u32(h.index);
  } else if (h.is_index()) {
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
    const TextType& t = types[i];
    if (t.def.kind == CompositeKind::Func && t.def.is_final && t.supers.empty() &&
        t.def.rec_group_size == 1 && !t.describes && !t.descriptor && t.def.func == ft) {
      return static_cast<uint32_t>(i);
    }
  }
  TextType t;
  t.def.func = ft;
  begin_group(false);
  return add_type(std::move(t));
}

void ModuleEncoder::begin_group(bool explicit_rec) {
  groups.push_back({static_cast<uint32_t>(types.size()), 0, explicit_rec});
}

uint32_t ModuleEncoder::add_type(TextType t) {
  RecGroup& g = groups.back();
  t.def.rec_group_start = g.start;
  ++g.size;
  for (uint32_t i = g.start; i < types.size(); ++i) types[i].def.rec_group_size = g.size;
  t.def.rec_group_size = g.size;
  types.push_back(std::move(t));
  return static_cast<uint32_t>(types.size() - 1);
}

std::vector<uint8_t> ModuleEncoder::finish() const {
  ByteWriter out;
  out.bytes(std::string_view("\0asm\1\0\0\0", 8));
  if (!groups.empty()) {
    ByteWriter body;
    body.u32(static_cast<uint32_t>(groups.size()));
    for (const RecGroup& g : groups) {
      if (g.explicit_rec) {
        body.u8(0x4E);
        body.u32(g.size);
      }
      for (uint32_t i = g.start; i < g.start + g.size; ++i) write_sub_type(body, types[i]);
    }
    write_section(out, SectionId::Type, body);
  }
  write_vec_section(out, SectionId::Import, imports);
  write_vec_section(out, SectionId::Function, funcs);
  write_vec_section(out, SectionId::Table, tables);
  write_vec_section(out, SectionId::Memory, memories);
  write_vec_section(out, SectionId::Tag, tags);
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

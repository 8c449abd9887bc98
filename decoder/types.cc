// decoder/types.cc: text names of value, heap and reference types and external kinds, in the
// text format's spelling (used in error details, `zinc inspect` and the disassembler).
#include "decoder/types.h"

namespace zinc::decoder {

namespace {

const char* abstract_heap_name(HeapKind k) {
  switch (k) {
    case HeapKind::Func:
      return "func";
    case HeapKind::Extern:
      return "extern";
    case HeapKind::Any:
      return "any";
    case HeapKind::Eq:
      return "eq";
    case HeapKind::I31:
      return "i31";
    case HeapKind::Struct:
      return "struct";
    case HeapKind::Array:
      return "array";
    case HeapKind::Exn:
      return "exn";
    case HeapKind::None:
      return "none";
    case HeapKind::NoFunc:
      return "nofunc";
    case HeapKind::NoExtern:
      return "noextern";
    case HeapKind::NoExn:
      return "noexn";
    case HeapKind::Bot:
      return "bot";
    case HeapKind::Index:
      return nullptr;
  }
  return "?";
}

}  // namespace

std::string to_string(HeapType t) {
  if (t.is_index()) return std::to_string(t.index);
  return abstract_heap_name(t.kind);
}

std::string to_string(ValType t) {
  switch (t.kind()) {
    case ValKind::I32:
      return "i32";
    case ValKind::I64:
      return "i64";
    case ValKind::F32:
      return "f32";
    case ValKind::F64:
      return "f64";
    case ValKind::V128:
      return "v128";
    case ValKind::Bot:
      return "bot";
    case ValKind::Ref:
      break;
  }
  const HeapType h = t.heap();
  // Nullable abstract types have a shorthand: funcref, externref, anyref, nullref, ...
  if (t.nullable() && !h.is_index()) {
    switch (h.kind) {
      case HeapKind::None:
        return "nullref";
      case HeapKind::NoFunc:
        return "nullfuncref";
      case HeapKind::NoExtern:
        return "nullexternref";
      case HeapKind::NoExn:
        return "nullexnref";
      case HeapKind::Bot:
        return "(ref null bot)";
      default:
        return std::string(abstract_heap_name(h.kind)) + "ref";
    }
  }
  return std::string(t.nullable() ? "(ref null " : "(ref ") + to_string(h) + ")";
}

const char* to_string(ExternKind k) {
  switch (k) {
    case ExternKind::Func:
      return "func";
    case ExternKind::Table:
      return "table";
    case ExternKind::Memory:
      return "memory";
    case ExternKind::Global:
      return "global";
    case ExternKind::Tag:
      return "tag";
  }
  return "?";
}

}  // namespace zinc::decoder

// component/validate_canon.cc: canonical definitions (Binary.md "Canonical Definitions",
// CanonicalABI.md "Canonical definitions"): lift, lower and the resource built-ins are decoded
// and validated (options, flattened core signatures, memory/realloc requirements); the async
// and threading built-ins (🔀🧵) are decoded completely and then rejected as unsupported.
#include <string_view>
#include <utility>

#include "component/decode_impl.h"
#include "decoder/type_reader.h"

namespace zinc::component::internal {

namespace {

// Immediates of a canon built-in after its opcode byte.
enum class Imm : uint8_t {
  None,
  TypeIdx,        // resource.*, stream.new, *.drop-*
  TypeIdxOpts,    // stream.read/write, future.read/write
  TypeIdxAsync,   // *.cancel-read/write
  Async,          // subtask.cancel
  Opts,           // error-context.new/debug-message
  ResultOpts,     // task.return
  ValTypeU32,     // context.get/set
  CancelMemory,   // waitable-set.wait/poll
  Cancel,         // thread.suspend, thread.yield, ...
  FuncTypeTable,  // thread.new-indirect
};

struct CanonRow {
  uint8_t byte;
  CanonKind kind;
  const char* name;
  Imm imm;
  /// The core function type it defines: params `>` results, `i` i32, `I` i64 (`?`: computed).
  const char* sig;
};

// One row per canon opcode (lift 0x00 and lower 0x01 are read separately).
constexpr CanonRow kCanonRows[] = {
    {0x02, CanonKind::ResourceNew, "resource.new", Imm::TypeIdx, "i>i"},
    {0x03, CanonKind::ResourceDrop, "resource.drop", Imm::TypeIdx, "i>"},
    {0x04, CanonKind::ResourceRep, "resource.rep", Imm::TypeIdx, "i>i"},
    {0x24, CanonKind::BackpressureInc, "backpressure.inc", Imm::None, ">"},
    {0x25, CanonKind::BackpressureDec, "backpressure.dec", Imm::None, ">"},
    {0x09, CanonKind::TaskReturn, "task.return", Imm::ResultOpts, "?"},
    {0x05, CanonKind::TaskCancel, "task.cancel", Imm::None, ">"},
    {0x0a, CanonKind::ContextGet, "context.get", Imm::ValTypeU32, ">i"},
    {0x0b, CanonKind::ContextSet, "context.set", Imm::ValTypeU32, "i>"},
    {0x06, CanonKind::SubtaskCancel, "subtask.cancel", Imm::Async, "i>i"},
    {0x0d, CanonKind::SubtaskDrop, "subtask.drop", Imm::None, "i>"},
    {0x0e, CanonKind::StreamNew, "stream.new", Imm::TypeIdx, ">I"},
    {0x0f, CanonKind::StreamRead, "stream.read", Imm::TypeIdxOpts, "iii>i"},
    {0x10, CanonKind::StreamWrite, "stream.write", Imm::TypeIdxOpts, "iii>i"},
    {0x11, CanonKind::StreamCancelRead, "stream.cancel-read", Imm::TypeIdxAsync, "i>i"},
    {0x12, CanonKind::StreamCancelWrite, "stream.cancel-write", Imm::TypeIdxAsync, "i>i"},
    {0x13, CanonKind::StreamDropReadable, "stream.drop-readable", Imm::TypeIdx, "i>"},
    {0x14, CanonKind::StreamDropWritable, "stream.drop-writable", Imm::TypeIdx, "i>"},
    {0x15, CanonKind::FutureNew, "future.new", Imm::TypeIdx, ">I"},
    {0x16, CanonKind::FutureRead, "future.read", Imm::TypeIdxOpts, "ii>i"},
    {0x17, CanonKind::FutureWrite, "future.write", Imm::TypeIdxOpts, "ii>i"},
    {0x18, CanonKind::FutureCancelRead, "future.cancel-read", Imm::TypeIdxAsync, "i>i"},
    {0x19, CanonKind::FutureCancelWrite, "future.cancel-write", Imm::TypeIdxAsync, "i>i"},
    {0x1a, CanonKind::FutureDropReadable, "future.drop-readable", Imm::TypeIdx, "i>"},
    {0x1b, CanonKind::FutureDropWritable, "future.drop-writable", Imm::TypeIdx, "i>"},
    {0x1c, CanonKind::ErrorContextNew, "error-context.new", Imm::Opts, "ii>i"},
    {0x1d, CanonKind::ErrorContextDebugMessage, "error-context.debug-message", Imm::Opts, "ii>"},
    {0x1e, CanonKind::ErrorContextDrop, "error-context.drop", Imm::None, "i>"},
    {0x1f, CanonKind::WaitableSetNew, "waitable-set.new", Imm::None, ">i"},
    {0x20, CanonKind::WaitableSetWait, "waitable-set.wait", Imm::CancelMemory, "ii>i"},
    {0x21, CanonKind::WaitableSetPoll, "waitable-set.poll", Imm::CancelMemory, "ii>i"},
    {0x22, CanonKind::WaitableSetDrop, "waitable-set.drop", Imm::None, "i>"},
    {0x23, CanonKind::WaitableJoin, "waitable.join", Imm::None, "ii>"},
    {0x26, CanonKind::ThreadIndex, "thread.index", Imm::None, ">i"},
    {0x27, CanonKind::ThreadNewIndirect, "thread.new-indirect", Imm::FuncTypeTable, "ii>i"},
    {0x28, CanonKind::ThreadResumeLater, "thread.resume-later", Imm::None, "i>"},
    {0x29, CanonKind::ThreadSuspend, "thread.suspend", Imm::Cancel, ">i"},
    {0x0c, CanonKind::ThreadYield, "thread.yield", Imm::Cancel, ">i"},
    {0x2a, CanonKind::ThreadSuspendThenResume, "thread.suspend-then-resume", Imm::Cancel, "i>i"},
    {0x2b, CanonKind::ThreadYieldThenResume, "thread.yield-then-resume", Imm::Cancel, "i>i"},
    {0x2c, CanonKind::ThreadSuspendThenPromote, "thread.suspend-then-promote", Imm::Cancel, "i>i"},
    {0x2d, CanonKind::ThreadYieldThenPromote, "thread.yield-then-promote", Imm::Cancel, "i>i"},
};

decoder::ValType core_of(CoreType t) {
  switch (t) {
    case CoreType::I32:
      return decoder::kI32;
    case CoreType::I64:
      return decoder::kI64;
    case CoreType::F32:
      return decoder::kF32;
    case CoreType::F64:
      return decoder::kF64;
  }
  return decoder::kI32;
}

std::vector<decoder::ValType> core_list(const std::vector<CoreType>& v) {
  std::vector<decoder::ValType> out;
  for (CoreType t : v) out.push_back(core_of(t));
  return out;
}

// Does a value of this type live (partly) in linear memory (string or variable-length list)?
bool contains_ptr(TypeRef t) {
  if (t == nullptr) return false;
  switch (t->kind) {
    case ValKind::String:
      return true;
    case ValKind::List:
      return !t->length || contains_ptr(t->elem);
    case ValKind::Map:
      return true;
    case ValKind::Record:
      for (const Field& f : t->fields) {
        if (contains_ptr(f.type)) return true;
      }
      return false;
    case ValKind::Tuple:
      for (TypeRef e : t->elems) {
        if (contains_ptr(e)) return true;
      }
      return false;
    case ValKind::Variant:
      for (const Case& c : t->cases) {
        if (contains_ptr(c.type)) return true;
      }
      return false;
    case ValKind::Option:
      return contains_ptr(t->elem);
    case ValKind::Result:
      return contains_ptr(t->ok) || contains_ptr(t->err);
    default:
      return false;
  }
}

}  // namespace

namespace {

struct OptionReader {
  Decoder& d;
  Scope& s;
  CanonOptions* o;
  bool has_encoding = false;
  bool has_memory = false;

  bool read(Reader& r) {
    uint32_t n;
    if (!d.read_count(r, &n)) return false;
    for (uint32_t i = 0; i < n; ++i) {
      const size_t at = r.offset();
      uint8_t b;
      if (!d.read_byte(r, &b)) return false;
      uint32_t idx = 0;
      if (b == 0x03 || b == 0x04 || b == 0x05 || b == 0x07) {
        if (!d.read_u32(r, &idx)) return false;
      }
      switch (b) {
        case 0x00:
        case 0x01:
        case 0x02: {
          const auto e = static_cast<StringEncoding>(b);
          if (has_encoding) {
            return d.fail(ErrorCode::EncodingConflict, at, string_encoding_name(o->string_encoding),
                          string_encoding_name(e));
          }
          has_encoding = true;
          o->string_encoding = e;
          break;
        }
        case 0x03: {
          if (o->memory) return d.fail(ErrorCode::OptionTwice, at, "memory");
          if (idx >= s.spaces.core_memories.size())
            return d.fail(ErrorCode::UnknownMemory, at, idx);
          const decoder::MemoryType& m = s.spaces.core_memories[idx].type;
          if (m.limits.shared || m.limits.is64 || m.page_size_log2 != 16) {
            return d.fail(ErrorCode::MemoryNotPlain, at, idx);
          }
          o->memory = idx;
          break;
        }
        case 0x04:
        case 0x05:
        case 0x07: {
          const char* name = b == 0x04 ? "realloc" : b == 0x05 ? "post-return" : "callback";
          std::optional<uint32_t>* slot = b == 0x04   ? &o->realloc
                                          : b == 0x05 ? &o->post_return
                                                      : &o->callback;
          if (slot->has_value()) return d.fail(ErrorCode::OptionTwice, at, name);
          if (idx >= s.spaces.core_funcs.size()) return d.fail(ErrorCode::UnknownCoreFunc, at, idx);
          *slot = idx;
          break;
        }
        case 0x06:
          if (o->async) return d.fail(ErrorCode::OptionTwice, at, "async");
          o->async = true;
          break;
        default:
          return d.fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), "canonical option");
      }
    }
    return true;
  }
};

}  // namespace

bool Decoder::canon(Reader& r, Scope& s, size_t at) {
  const size_t bat = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  CanonDef def;
  IndexSpaces& sp = s.spaces;
  const uint32_t idx = s.comp ? static_cast<uint32_t>(s.comp->definitions.size()) : kNoDef;
  auto func_of = [&](std::vector<decoder::ValType> params, std::vector<decoder::ValType> results) {
    decoder::FuncType* ft = arena_->make<decoder::FuncType>();
    ft->params = std::move(params);
    ft->results = std::move(results);
    return ft;
  };
  if (b == 0x00 || b == 0x01) {
    const bool lift = b == 0x00;
    def.kind = lift ? CanonKind::Lift : CanonKind::Lower;
    const size_t zat = r.offset();
    uint8_t zero;
    if (!read_byte(r, &zero)) return false;
    if (zero != 0x00) {
      return fail(ErrorCode::InvalidLeadingByte, zat, hex_byte(zero),
                  lift ? "canonical function lift" : "canonical function lower");
    }
    const size_t fat = r.offset();
    if (!read_u32(r, &def.func)) return false;
    OptionReader opts{*this, s, &def.options};
    if (!opts.read(r)) return false;
    const FuncType* ft;
    if (lift) {
      const size_t tat = r.offset();
      uint32_t ti;
      if (!read_u32(r, &ti)) return false;
      if (def.func >= sp.core_funcs.size()) return fail(ErrorCode::UnknownCoreFunc, fat, def.func);
      if (ti >= sp.types.size()) return fail(ErrorCode::UnknownType, tat, ti);
      if (sp.types[ti].type->kind != TypeNode::Kind::Func) {
        return fail(ErrorCode::NotFuncType, tat, ti);
      }
      def.type = static_cast<const FuncTypeNode*>(sp.types[ti].type);
      def.type_index = ti;
    } else {
      if (def.func >= sp.funcs.size()) return fail(ErrorCode::UnknownFunc, fat, def.func);
      def.type = sp.funcs[def.func].type;
      if (def.options.post_return) return fail(ErrorCode::PostReturnLower, at);
      if (def.options.callback) return fail(ErrorCode::CallbackLower, at);
    }
    ft = def.type->type;
    const CanonOptions& o = def.options;
    if (o.callback && !o.async) return fail(ErrorCode::CallbackWithoutAsync, at);
    if (o.async && o.post_return) return fail(ErrorCode::PostReturnAsync, at);
    // definitions.py: flatten_functype, and what the lifting/lowering needs from memory.
    FlatSignature flat = flatten_functype(*ft, !lift);
    if (o.async) {
      // definitions.py: flatten_functype for async (🔀): lower passes at most 4 flat params and
      // a result pointer and returns a status; lift returns nothing (stackful) or a callback
      // code. The runtime does not run async functions yet.
      if (lift) {
        flat.results = o.callback ? std::vector<CoreType>{CoreType::I32} : std::vector<CoreType>{};
      } else {
        std::vector<CoreType> params;
        for (const Field& p : ft->params) {
          params.insert(params.end(), p.type->flat.begin(), p.type->flat.end());
        }
        if (params.size() > kMaxFlatAsyncParams) params = {CoreType::I32};
        if (ft->result) params.push_back(CoreType::I32);
        flat.params = params;
        flat.results = {CoreType::I32};
      }
    }
    bool params_ptr = flat.params_spilled, results_ptr = flat.results_spilled;
    for (const Field& p : ft->params) params_ptr |= contains_ptr(p.type);
    // An async lift returns its result through task.return; an async lower passes a pointer
    // for it (and for more than 4 flat params).
    const bool results_lists = !(o.async && lift) && contains_ptr(ft->result);
    if (o.async) {
      results_ptr = !lift && ft->result != nullptr;
      size_t flat_params = 0;
      for (const Field& p : ft->params) flat_params += p.type->flat.size();
      if (!lift) params_ptr |= flat_params > kMaxFlatAsyncParams;
    }
    results_ptr |= results_lists;
    const bool needs_memory = params_ptr || results_ptr;
    const bool needs_realloc = lift ? (flat.params_spilled ||
                                       [&] {
                                         for (const Field& p : ft->params) {
                                           if (contains_ptr(p.type)) return true;
                                         }
                                         return false;
                                       }())
                                    : results_lists;
    if (o.realloc && !o.memory) return fail(ErrorCode::ReallocNeedsMemory, at);
    if (needs_memory && !o.memory) return fail(ErrorCode::MemoryRequired, at);
    if (needs_realloc && !o.realloc) return fail(ErrorCode::ReallocRequired, at);
    if (o.realloc) {
      const decoder::FuncType* rt = sp.core_funcs[*o.realloc].type;
      const std::vector<decoder::ValType> i4(4, decoder::kI32);
      if (!(rt->params == i4 && rt->results == std::vector<decoder::ValType>{decoder::kI32})) {
        return fail(ErrorCode::ReallocSignature, at);
      }
    }
    const auto params = core_list(flat.params);
    const auto results = core_list(flat.results);
    if (o.post_return) {
      const decoder::FuncType* pt = sp.core_funcs[*o.post_return].type;
      if (!(pt->params == results && pt->results.empty())) {
        return fail(ErrorCode::PostReturnSignature, at);
      }
    }
    if (lift) {
      const decoder::FuncType* core = sp.core_funcs[def.func].type;
      if (core->params != params) {
        return fail(ErrorCode::LoweredParams, fat, core_types_debug(params),
                    core_types_debug(core->params), def.func);
      }
      if (core->results != results) {
        return fail(ErrorCode::LoweredResults, fat, core_types_debug(results),
                    core_types_debug(core->results), def.func);
      }
      const FuncTypeNode* type = def.type;
      if (s.comp) s.comp->definitions.push_back({at, std::move(def)});
      sp.funcs.push_back({idx, type});
    } else {
      def.core_type = func_of(params, results);
      const decoder::FuncType* ct = def.core_type;
      if (s.comp) s.comp->definitions.push_back({at, std::move(def)});
      sp.core_funcs.push_back({idx, ct});
    }
    return true;
  }
  const CanonRow* row = nullptr;
  for (const CanonRow& x : kCanonRows) {
    if (x.byte == b) row = &x;
  }
  if (row == nullptr)
    return fail(ErrorCode::InvalidLeadingByte, bat, hex_byte(b), "canonical function");
  def.kind = row->kind;
  // Immediates.
  auto read_flag = [&](bool* out, const char* what) {
    const size_t fat = r.offset();
    uint8_t f;
    if (!read_byte(r, &f)) return false;
    if (f > 1) return fail(ErrorCode::InvalidBoolean, fat, hex_byte(f), what);
    *out = f == 1;
    return true;
  };
  const size_t iat = r.offset();
  OptionReader opts{*this, s, &def.options};
  TypeRef task_result = nullptr;
  decoder::ValType context_type = decoder::kI32;
  switch (row->imm) {
    case Imm::None:
      break;
    case Imm::TypeIdx:
      if (!read_u32(r, &def.type_index)) return false;
      break;
    case Imm::TypeIdxOpts:
      if (!read_u32(r, &def.type_index) || !opts.read(r)) return false;
      break;
    case Imm::TypeIdxAsync:
      if (!read_u32(r, &def.type_index) || !read_flag(&def.async, "async")) return false;
      break;
    case Imm::Async:
      if (!read_flag(&def.async, "async")) return false;
      break;
    case Imm::Opts:
      if (!opts.read(r)) return false;
      break;
    case Imm::ResultOpts: {
      uint8_t tag;
      if (!read_byte(r, &tag)) return false;
      if (tag == 0x00) {
        const DefinedType* t;
        if (!read_valtype(r, s, &t)) return false;
        task_result = t->type;
      } else if (tag == 0x01) {
        uint8_t z;
        if (!read_byte(r, &z)) return false;
        if (z != 0) return fail(ErrorCode::InvalidLeadingByte, iat, hex_byte(z), "results");
      } else {
        return fail(ErrorCode::InvalidLeadingByte, iat, hex_byte(tag), "results");
      }
      if (!opts.read(r)) return false;
      break;
    }
    case Imm::ValTypeU32: {
      decoder::ValType& t = context_type;
      if (!decoder::read_val_type(r, features_, &t)) {
        return fail(ErrorCode::CoreMalformed, iat, "malformed value type");
      }
      if (!read_u32(r, &def.slot)) return false;
      break;
    }
    case Imm::CancelMemory: {
      uint32_t mem;
      if (!read_flag(&def.cancellable, "cancellable") || !read_u32(r, &mem)) return false;
      def.options.memory = mem;
      break;
    }
    case Imm::Cancel:
      if (!read_flag(&def.cancellable, "cancellable")) return false;
      break;
    case Imm::FuncTypeTable:
      if (!read_u32(r, &def.type_index) || !read_u32(r, &def.table)) return false;
      break;
  }
  if (!canon_is_supported(def.kind)) {
    // Async and threading built-ins: decoded, typed, not run (the runtime rejects them). Their
    // type immediates must name a stream / future type as the name says.
    const std::string_view name = row->name;
    const bool stream = name.substr(0, 7) == "stream.";
    const bool future = name.substr(0, 7) == "future.";
    if (stream || future) {
      const uint32_t ti = def.type_index;
      if (ti >= sp.types.size()) return fail(ErrorCode::UnknownType, iat, ti);
      const TypeNode* t = sp.types[ti].type;
      const ValKind want = stream ? ValKind::Stream : ValKind::Future;
      if (t->kind != TypeNode::Kind::Defined ||
          static_cast<const DefinedType*>(t)->type->kind != want) {
        return fail(ErrorCode::BuiltinNeedsType, iat, row->name, kind_name(want));
      }
    }
    if (def.options.memory && *def.options.memory >= sp.core_memories.size()) {
      return fail(ErrorCode::UnknownMemory, iat, *def.options.memory);
    }
    if (row->imm == Imm::ValTypeU32 && !(context_type == decoder::kI32)) {
      return fail(ErrorCode::ContextType, iat, row->name);
    }
    std::vector<decoder::ValType> p, res;
    std::vector<decoder::ValType>* cur = &p;
    for (const char* c = row->sig; *c; ++c) {
      if (*c == '>') cur = &res;
      if (*c == 'i') cur->push_back(decoder::kI32);
      if (*c == 'I') cur->push_back(decoder::kI64);
    }
    if (def.kind == CanonKind::TaskReturn && task_result) {
      const FlatSignature flat =
          flatten_functype(FuncType{{{"x", task_result}}, nullptr, false}, true);
      p = core_list(flat.params);
    }
    def.core_type = func_of(std::move(p), std::move(res));
    const decoder::FuncType* ct = def.core_type;
    if (s.comp) s.comp->definitions.push_back({at, std::move(def)});
    sp.core_funcs.push_back({idx, ct});
    return true;
  }
  // resource.new / resource.drop / resource.rep
  const uint32_t ti = def.type_index;
  if (ti >= sp.types.size()) return fail(ErrorCode::UnknownType, iat, ti);
  if (sp.types[ti].type->kind != TypeNode::Kind::Resource) {
    return fail(ErrorCode::NotResourceType, iat, ti);
  }
  def.resource = static_cast<const ResourceAlias*>(sp.types[ti].type)->resource;
  if (def.kind != CanonKind::ResourceDrop && !s.local_resources.count(def.resource)) {
    return fail(ErrorCode::NotLocalResource, iat, ti);
  }
  def.core_type = def.kind == CanonKind::ResourceDrop ? func_of({decoder::kI32}, {})
                                                      : func_of({decoder::kI32}, {decoder::kI32});
  const decoder::FuncType* ct = def.core_type;
  if (s.comp) s.comp->definitions.push_back({at, std::move(def)});
  sp.core_funcs.push_back({idx, ct});
  return true;
}

}  // namespace zinc::component::internal

namespace zinc::component {

const char* canon_name(CanonKind k) {
  if (k == CanonKind::Lift) return "lift";
  if (k == CanonKind::Lower) return "lower";
  for (const internal::CanonRow& row : internal::kCanonRows) {
    if (row.kind == k) return row.name;
  }
  return "?";
}

}  // namespace zinc::component

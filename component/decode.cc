// component/decode.cc: the top level of component decoding (decode.h): the preamble, the
// section loop, nested components on an explicit frame stack (no recursion, so any depth up to
// kMaxComponentNesting costs heap, not C++ stack), nested core modules through the core
// decoder/validator, and the reading primitives shared by the other decode*/validate* files.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
#include "decoder/decode.h"

#include <cstring>
#include <memory>
#include <set>
#include <utility>

#include "component/decode_impl.h"

namespace zinc::component {

namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
constexpr uint8_t kComponentVersion = 0x0d;

enum class SectionKind : uint8_t {
  Custom = 0,
  CoreModule = 1,
  CoreInstance = 2,
  CoreType = 3,
  Component = 4,
  Instance = 5,
  Alias = 6,
  Type = 7,
  Canon = 8,
  Start = 9,
  Import = 10,
  Export = 11,
  Value = 12,
};

}  // namespace

const char* core_sort_name(CoreSort c) {
  switch (c) {
    case CoreSort::Func:
      return "func";
    case CoreSort::Table:
      return "table";
    case CoreSort::Memory:
      return "memory";
    case CoreSort::Global:
      return "global";
    case CoreSort::Tag:
      return "tag";
    case CoreSort::Type:
      return "type";
    case CoreSort::Module:
      return "module";
    case CoreSort::Instance:
      return "instance";
  }
  return "?";
}

const char* sort_name(Sort s, CoreSort c) {
  switch (s) {
    case Sort::Core:
      switch (c) {
        case CoreSort::Func:
          return "core func";
        case CoreSort::Table:
          return "core table";
        case CoreSort::Memory:
          return "core memory";
        case CoreSort::Global:
          return "core global";
        case CoreSort::Tag:
          return "core tag";
        case CoreSort::Type:
          return "core type";
        case CoreSort::Module:
          return "core module";
        case CoreSort::Instance:
          return "core instance";
      }
      return "?";
    case Sort::Func:
      return "func";
    case Sort::Value:
      return "value";
    case Sort::Type:
      return "type";
    case Sort::Component:
      return "component";
    case Sort::Instance:
      return "instance";
  }
  return "?";
}

const char* ExternType::desc() const {
  switch (kind) {
    case Kind::Module:
      return "module";
    case Kind::Func:
      return "func";
    case Kind::Value:
      return "value";
    case Kind::Type:
      return "type";
    case Kind::Instance:
      return "instance";
    case Kind::Component:
      return "component";
  }
  return "?";
}

const char* string_encoding_name(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8:
      return "utf8";
    case StringEncoding::Utf16:
      return "utf16";
    case StringEncoding::Latin1Utf16:
      return "latin1-utf16";
  }
  return "?";
}

namespace {

std::string node_string(const TypeNode* n) {
  if (n == nullptr) return "?";
  switch (n->kind) {
    case TypeNode::Kind::Defined:
      return to_string(static_cast<const DefinedType*>(n)->type);
    case TypeNode::Kind::Resource:
      return "resource " + static_cast<const ResourceAlias*>(n)->resource->debug_name;
    case TypeNode::Kind::Func:
      return to_string(*static_cast<const FuncTypeNode*>(n)->type);
    case TypeNode::Kind::Instance: {
      std::string s = "instance {";
      for (const Item& i : static_cast<const InstanceTypeNode*>(n)->exports.items) {
        s += " " + i.name + ": " + to_string(i.type) + ";";
      }
      return s + " }";
    }
    case TypeNode::Kind::Component: {
      const auto* c = static_cast<const ComponentTypeNode*>(n);
      std::string s = "component {";
      for (const Item& i : c->imports.items)
        s += " import " + i.name + ": " + to_string(i.type) + ";";
      for (const Item& i : c->exports.items)
        s += " export " + i.name + ": " + to_string(i.type) + ";";
      return s + " }";
    }
    case TypeNode::Kind::CoreModule:
      return "module";
  }
  return "?";
}

}  // namespace

std::string to_string(const ExternType& t) {
  switch (t.kind) {
    case ExternType::Kind::Module:
      return "module";
    case ExternType::Kind::Value:
      return "value " + node_string(t.type);
    case ExternType::Kind::Type:
      return "type " + node_string(t.type);
    default:
      return node_string(t.type);
  }
}

bool ItemList::add(Item item) {
  if (by_name.count(item.name)) return false;
  by_name.emplace(item.name, static_cast<uint32_t>(items.size()));
  items.push_back(std::move(item));
  return true;
}

const CoreExportItem* CoreModuleTypeNode::find_export(std::string_view name) const {
  auto it = export_by_name.find(name);
  return it == export_by_name.end() ? nullptr : &exports[it->second];
}

const CoreExportItem* CoreInstanceType::find(std::string_view name) const {
  auto it = by_name.find(name);
  return it == by_name.end() ? nullptr : &exports[it->second];
}

namespace internal {

Decoder::Decoder(std::span<const uint8_t> bytes, TypeTable& types, const decoder::Features& f)
    : bytes_(bytes), types_(types), features_(f), arena_(std::make_shared<TypeArena>()) {
  // Nested core modules get exactly the caller's (the engine's) core features: a module the
  // runtime cannot run (multi-memory, threads, exceptions before the Wasm 3.0 issues) is
  // refused here with the core decoder's error, not accepted and failed later.
}

bool Decoder::check(Reader& r) {
  if (r.ok()) return true;
  const decoder::Error& e = r.error();
  switch (e.code) {
    case decoder::ErrorCode::IntegerTooLarge:
      return fail(ErrorCode::IntegerTooLarge, e.offset);
    case decoder::ErrorCode::IntegerTooLong:
      return fail(ErrorCode::IntegerTooLong, e.offset);
    case decoder::ErrorCode::MalformedUtf8:
      return fail(ErrorCode::MalformedUtf8, e.offset);
    default:
      return fail(ErrorCode::UnexpectedEof, e.offset);
  }
}

bool Decoder::read_u32(Reader& r, uint32_t* out) {
  *out = r.u32();
  return check(r);
}

bool Decoder::read_byte(Reader& r, uint8_t* out) {
  *out = r.u8();
  return check(r);
}

bool Decoder::read_count(Reader& r, uint32_t* out) {
  // Every element takes at least one byte: a count above the bytes left is a truncation.
  *out = r.count(1);
  return check(r);
}

bool Decoder::read_name(Reader& r, std::string* out) {
  std::string_view n = r.name();
  if (!check(r)) return false;
  out->assign(n);
  return true;
}

bool Decoder::expect_end(Reader& r) {
  if (!r.at_end()) return fail(ErrorCode::SectionSizeMismatch, r.offset());
  return true;
}

bool Decoder::read_core_sort(Reader& r, CoreSort* out, const char* what) {
  const size_t at = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  switch (b) {
    case 0x00:
    case 0x01:
    case 0x02:
    case 0x03:
    case 0x04:
    case 0x10:
    case 0x11:
    case 0x12:
      *out = static_cast<CoreSort>(b);
      return true;
    default:
      return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), what);
  }
}

bool Decoder::read_sort(Reader& r, Sort* sort, CoreSort* core_sort, const char* what) {
  const size_t at = r.offset();
  uint8_t b;
  if (!read_byte(r, &b)) return false;
  if (b == 0x00) {
    *sort = Sort::Core;
    return read_core_sort(r, core_sort, what);
  }
  if (b > 0x05) return fail(ErrorCode::InvalidLeadingByte, at, hex_byte(b), what);
  *sort = static_cast<Sort>(b);
  return true;
}

bool Decoder::intern_fail(const std::string& msg, size_t at) {
  return fail(ErrorCode::TypeInternFailed, at, msg);
}

bool Decoder::budget(size_t n, size_t at) {
  type_work_ += n;
  if (type_work_ > kMaxTypeNodes || arena_->node_count() > kMaxTypeNodes) {
    return fail(ErrorCode::TypeBudgetExceeded, at, kMaxTypeNodes);
  }
  return true;
}

namespace {

// Checks the 8-byte preamble at r's cursor; `component` says which layer is expected.
bool read_preamble(Decoder& d, Reader& r, bool component) {
  const size_t at = r.offset();
  if (r.remaining() < 4 || std::memcmp(r.pos(), kMagic, 4) != 0) {
    return d.fail(ErrorCode::MagicNotDetected, at);
  }
  r.skip(4);
  if (r.remaining() < 4) return d.fail(ErrorCode::UnexpectedEof, r.offset());
  const uint8_t* v = r.bytes(4);
  const uint16_t version = static_cast<uint16_t>(v[0] | (v[1] << 8));
  const uint16_t layer = static_cast<uint16_t>(v[2] | (v[3] << 8));
  if (layer == 1 && component) {
    if (version != kComponentVersion) {
      return d.fail(ErrorCode::UnknownBinaryVersion, at + 4, hex_byte(v[0]));
    }
    return true;
  }
  if (layer == 0 && !component) return true;  // the core decoder checks the version
  if (layer > 1) return d.fail(ErrorCode::UnknownBinaryVersion, at + 4, hex_byte(v[0]));
  return d.fail(component ? ErrorCode::ExpectedComponentHeader : ErrorCode::ExpectedModuleHeader,
                at + 4);
}

struct Frame {
  Reader r;
  std::unique_ptr<Scope> scope;
  size_t start = 0;  // offset of the preamble
};

}  // namespace

// A nested core module: the core decoder with full validation, offsets made absolute.
static bool core_module(Decoder& d, Reader& r, Scope& s, size_t at) {
  const size_t begin = r.offset();
  Reader probe(r.pos(), r.end(), begin);
  if (!read_preamble(d, probe, false)) return false;
  std::span<const uint8_t> payload(r.pos(), r.remaining());
  decoder::DecodeOptions opts;
  opts.features = d.features_;
  auto m = decoder::decode_module(payload, opts);
  if (!m) {
    const decoder::Error& e = m.error();
    const ErrorCode code =
        decoder::is_malformed(e.code) ? ErrorCode::CoreMalformed : ErrorCode::CoreInvalid;
    return d.fail(code, begin + e.offset, e.message());
  }
  r.skip(r.remaining());
  std::shared_ptr<const decoder::Module> mod = std::move(m).value();
  // The module's type (imports and exports with their core types).
  CoreModuleTypeNode* t = d.arena_->make<CoreModuleTypeNode>();
  t->kind = TypeNode::Kind::CoreModule;
  auto extern_of = [&](decoder::ExternKind k, uint32_t index) {
    CoreExternType x;
    x.kind = k;
    switch (k) {
      case decoder::ExternKind::Func:
        x.func = mod->func_type(index);
        break;
      case decoder::ExternKind::Table:
        x.table = mod->tables[index];
        break;
      case decoder::ExternKind::Memory:
        x.memory = mod->memories[index];
        break;
      case decoder::ExternKind::Global:
        x.global = mod->globals[index].type;
        break;
      case decoder::ExternKind::Tag:
        break;
    }
    return x;
  };
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const decoder::Import& i : mod->imports) {
    // Two-level names mangle to one level in component linking: they must be unique.
    if (!seen.emplace(i.module, i.name).second) {
      return d.fail(ErrorCode::DuplicateCoreImport, at, i.module, i.name);
    }
    t->imports.push_back({i.module, i.name, extern_of(i.kind, i.index)});
  }
  for (const decoder::Export& e : mod->exports) {
    t->export_by_name.emplace(e.name, static_cast<uint32_t>(t->exports.size()));
    t->exports.push_back({e.name, extern_of(e.kind, e.index)});
  }
  t->size = static_cast<uint32_t>(1 + t->imports.size() + t->exports.size());
  uint32_t def = kNoDef;
  if (s.comp) {
    def = static_cast<uint32_t>(s.comp->definitions.size());
    s.comp->definitions.push_back({at, CoreModuleDef{mod}});
  }
  s.spaces.core_modules.push_back({def, t});
  return true;
}

// Runs `fn` over each element of a vec section.
template <typename Fn>
static bool each(Decoder& d, Reader& r, Fn fn) {
  uint32_t n;
  if (!d.read_count(r, &n)) return false;
  for (uint32_t i = 0; i < n; ++i) {
    const size_t at = r.offset();
    if (!fn(at)) return false;
  }
  return true;
}

Result<std::shared_ptr<const ComponentIR>, ComponentError> Decoder::run() {
  Reader top(bytes_.data(), bytes_.data() + bytes_.size(), 0);
  if (!read_preamble(*this, top, true)) return unexpected(diag_.take());
  std::vector<Frame> frames;
  frames.push_back({top, std::make_unique<Scope>(), 0});
  frames.back().scope->comp = std::make_shared<ComponentIR>();
  scopes_.push_back(frames.back().scope.get());
  std::shared_ptr<const ComponentIR> result;

  while (!frames.empty()) {
    Frame& f = frames.back();
    Reader& r = f.r;
    Scope& s = *f.scope;
    if (r.at_end()) {
      // The component is complete.
      const size_t end = r.offset();
      if (!finish_component(s, end)) break;
      std::shared_ptr<ComponentIR> done = std::move(s.comp);
      done->offset = f.start;
      done->size = end - f.start;
      done->arena = arena_;
      const ComponentTypeNode* ctype = done->type;
      scopes_.pop_back();
      frames.pop_back();
      if (frames.empty()) {
        result = std::move(done);
        break;
      }
      Scope& parent = *frames.back().scope;
      const uint32_t def = static_cast<uint32_t>(parent.comp->definitions.size());
      parent.comp->definitions.push_back({done->offset, ComponentDef{std::move(done)}});
      parent.spaces.components.push_back({def, ctype});
      continue;
    }
    SectionInfo info;
    info.offset = r.offset();
    uint8_t id;
    uint32_t size;
    if (!read_byte(r, &id)) break;
    if (id > static_cast<uint8_t>(SectionKind::Value)) {
      fail(ErrorCode::MalformedSectionId, info.offset, static_cast<uint32_t>(id));
      break;
    }
    if (!read_u32(r, &size)) break;
    info.id = id;
    info.payload = r.offset();
    info.size = size;
    if (size > r.remaining()) {
      fail(ErrorCode::UnexpectedEof, r.offset());
      break;
    }
    Reader sr(r.pos(), r.pos() + size, r.offset());
    r.skip(size);
    const size_t at = sr.offset();
    bool ok = true;
    switch (static_cast<SectionKind>(id)) {
      case SectionKind::Custom: {
        std::string name;
        ok = read_name(sr, &name);
        info.custom_name = std::move(name);
        sr.skip(sr.remaining());
        break;
      }
      case SectionKind::CoreModule:
        ok = core_module(*this, sr, s, at);
        break;
      case SectionKind::CoreInstance:
        ok = each(*this, sr, [&](size_t a) { return core_instance(sr, s, a); });
        break;
      case SectionKind::CoreType:
        ok = each(*this, sr, [&](size_t a) { return core_type_definition(sr, s, a); });
        break;
      case SectionKind::Component: {
        if (frames.size() >= kMaxComponentNesting) {
          fail(ErrorCode::NestingTooDeep, at, kMaxComponentNesting, "components");
          ok = false;
          break;
        }
        s.comp->sections.push_back(info);
        if (!read_preamble(*this, sr, true)) {
          ok = false;
          break;
        }
        Frame nested{sr, std::make_unique<Scope>(), at};
        nested.scope->comp = std::make_shared<ComponentIR>();
        scopes_.push_back(nested.scope.get());
        frames.push_back(std::move(nested));
        continue;  // `f`, `r`, `s` are invalidated by the push
      }
      case SectionKind::Instance:
        ok = each(*this, sr, [&](size_t a) { return instance(sr, s, a); });
        break;
      case SectionKind::Alias:
        ok = each(*this, sr, [&](size_t a) { return alias(sr, s, a); });
        break;
      case SectionKind::Type:
        ok = each(*this, sr, [&](size_t a) { return type_definition(sr, s, a); });
        break;
      case SectionKind::Canon:
        ok = each(*this, sr, [&](size_t a) { return canon(sr, s, a); });
        break;
      case SectionKind::Start:
        ok = start(sr, s, at);
        break;
      case SectionKind::Import:
        ok = each(*this, sr, [&](size_t a) { return import(sr, s, a); });
        break;
      case SectionKind::Export:
        ok = each(*this, sr, [&](size_t a) { return export_(sr, s, a); });
        break;
      case SectionKind::Value:
        ok = fail(ErrorCode::ValuesUnsupported, at);
        break;
      default:
        ok = fail(ErrorCode::MalformedSectionId, info.offset, static_cast<uint32_t>(id));
        break;
    }
    if (!ok || !expect_end(sr)) break;
    s.comp->sections.push_back(std::move(info));
  }
  if (diag_.failed()) return unexpected(diag_.take());
  return result;
}

std::string hex_byte(uint8_t b) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  if (b >> 4) s += digits[b >> 4];
  s += digits[b & 15];
  return s;
}

}  // namespace internal

Result<std::shared_ptr<const ComponentIR>, ComponentError> decode_component(
    std::span<const uint8_t> bytes, TypeTable& types, const decoder::Features& features) {
  internal::Decoder d(bytes, types, features);
  return d.run();
}

}  // namespace zinc::component

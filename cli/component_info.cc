// cli/component_info.cc: see component_info.h. The section framing (id byte, u32 size) is read
// with the decoder's bounds-checked Reader, so a component that does not decode still shows its
// sections; a valid one is then listed definition by definition from the validated IR
// (component/component.h), nested components indented.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
#include "cli/component_info.h"

#include <cinttypes>
#include <cstdio>

#include "cli/commands.h"
#include "component/decode.h"
#include "decoder/reader.h"

namespace zinc::cli {
namespace {

const char* component_section_name(uint8_t id) {
  static constexpr const char* kNames[] = {
      "custom", "core module", "core instance", "core type", "component", "instance", "alias",
      "type",   "canon",       "start",         "import",    "export",    "value"};
  return id < sizeof kNames / sizeof kNames[0] ? kNames[id] : "unknown";
}

using namespace component;

std::string opts_text(const CanonOptions& o) {
  std::string s;
  auto add = [&](const std::string& t) { s += (s.empty() ? "" : ", ") + t; };
  if (o.string_encoding != StringEncoding::Utf8) add(string_encoding_name(o.string_encoding));
  if (o.memory) add("memory " + std::to_string(*o.memory));
  if (o.realloc) add("realloc core func " + std::to_string(*o.realloc));
  if (o.post_return) add("post-return core func " + std::to_string(*o.post_return));
  if (o.async) add("async");
  if (o.callback) add("callback core func " + std::to_string(*o.callback));
  return s.empty() ? s : " [" + s + "]";
}

std::string sort_idx(const SortIdx& s) {
  return std::string(sort_name(s.sort, s.core_sort)) + " " + std::to_string(s.index);
}

void print_definitions(const ComponentIR& c, int depth) {
  const std::string in(2 * static_cast<size_t>(depth) + 2, ' ');
  uint32_t n_core_modules = 0, n_core_instances = 0, n_components = 0, n_instances = 0;
  uint32_t n_funcs = 0, n_core_funcs = 0, n_types = 0;
  for (const Definition& d : c.definitions) {
    std::printf("%s0x%08zx  ", in.c_str(), d.offset);
    std::visit(
        [&](const auto& def) {
          using T = std::decay_t<decltype(def)>;
          if constexpr (std::is_same_v<T, CoreModuleDef>) {
            const decoder::Module& m = *def.module;
            std::printf("core module %u: %zu imports, %zu functions, %zu exports\n",
                        n_core_modules++, m.imports.size(), m.funcs.size(), m.exports.size());
          } else if constexpr (std::is_same_v<T, CoreInstanceDef>) {
            if (def.instantiate) {
              std::printf("core instance %u = instantiate core module %u", n_core_instances++,
                          def.module);
              for (const auto& a : def.args) {
                std::printf(" (with \"%s\" core instance %u)", a.name.c_str(), a.instance);
              }
              std::printf("\n");
            } else {
              std::printf("core instance %u = { %zu exports }\n", n_core_instances++,
                          def.exports.size());
            }
          } else if constexpr (std::is_same_v<T, CoreTypeDef>) {
            std::printf("core type\n");
          } else if constexpr (std::is_same_v<T, ComponentDef>) {
            std::printf("component %u:\n", n_components++);
            print_definitions(*def.component, depth + 1);
          } else if constexpr (std::is_same_v<T, InstanceDef>) {
            if (def.instantiate) {
              std::printf("instance %u = instantiate component %u", n_instances++, def.component);
              for (const auto& a : def.args) {
                std::printf(" (with \"%s\" %s)", a.name.c_str(), sort_idx(a.item).c_str());
              }
              std::printf("\n");
            } else {
              std::printf("instance %u = { %zu exports }\n", n_instances++, def.exports.size());
            }
          } else if constexpr (std::is_same_v<T, AliasDef>) {
            const char* what = sort_name(def.sort, def.core_sort);
            switch (def.kind) {
              case AliasDef::Kind::Export:
                std::printf("alias %s = export \"%s\" of instance %u\n", what, def.name.c_str(),
                            def.instance);
                break;
              case AliasDef::Kind::CoreExport:
                std::printf("alias %s = export \"%s\" of core instance %u\n", what,
                            def.name.c_str(), def.instance);
                break;
              case AliasDef::Kind::Outer:
                std::printf("alias %s = outer %u %u\n", what, def.count, def.index);
                break;
            }
            if (def.sort == Sort::Func) ++n_funcs;
            if (def.sort == Sort::Core && def.core_sort == CoreSort::Func) ++n_core_funcs;
          } else if constexpr (std::is_same_v<T, TypeDefinition>) {
            if (def.resource) {
              std::printf("type %u = resource (rep i32)%s\n", n_types++,
                          def.dtor ? (" (dtor core func " + std::to_string(*def.dtor) + ")").c_str()
                                   : "");
            } else {
              std::printf("type %u\n", n_types++);
            }
          } else if constexpr (std::is_same_v<T, CanonDef>) {
            if (def.kind == CanonKind::Lift) {
              std::printf("func %u = canon lift core func %u: %s%s\n", n_funcs++, def.func,
                          def.type ? to_string(*def.type->type).c_str() : "?",
                          opts_text(def.options).c_str());
            } else if (def.kind == CanonKind::Lower) {
              std::printf("core func %u = canon lower func %u%s\n", n_core_funcs++, def.func,
                          opts_text(def.options).c_str());
            } else {
              std::printf("core func %u = canon %s\n", n_core_funcs++, canon_name(def.kind));
            }
          } else if constexpr (std::is_same_v<T, StartDef>) {
            std::printf("start func %u\n", def.func);
          } else if constexpr (std::is_same_v<T, ImportDef>) {
            std::printf("import \"%s\" (%s)\n", def.item.name.c_str(), def.item.type.desc());
            if (def.item.type.kind == ExternType::Kind::Func) ++n_funcs;
          } else if constexpr (std::is_same_v<T, ExportDef>) {
            std::printf("export \"%s\" = %s\n", def.item_def.name.c_str(),
                        sort_idx(def.item).c_str());
            if (def.item.sort == Sort::Func) ++n_funcs;
          }
        },
        d.def);
  }
}

int print_sections(const std::string& path, std::span<const uint8_t> bytes) {
  constexpr size_t kPreamble = 8;
  std::printf("%s: WebAssembly component (layer 1), %zu bytes\n", path.c_str(), bytes.size());
  std::printf("\nTop-level sections:\n  %-10s %-10s %-10s %s\n", "start", "end", "size", "section");
  decoder::Reader r(bytes.data() + kPreamble, bytes.data() + bytes.size(), kPreamble);
  while (r.ok() && !r.at_end()) {
    uint8_t id = r.u8();
    uint32_t size = r.u32();
    if (!r.ok()) break;
    size_t start = r.offset();
    if (size > r.remaining()) {
      r.fail(decoder::ErrorCode::LengthOutOfBounds);
      break;
    }
    std::string extra;
    if (id == 0) {
      decoder::Reader name_reader(r.pos(), r.pos() + size, start);
      std::string_view name = name_reader.name();
      if (name_reader.ok()) extra = " \"" + std::string(name) + "\"";
    }
    std::printf("  0x%08zx 0x%08zx %-10" PRIu32 " %s%s\n", start, start + size, size,
                component_section_name(id), extra.c_str());
    r.skip(size);
  }
  std::fflush(stdout);
  if (!r.ok()) {
    std::fprintf(stderr, "%s: 0x%zx: %s\n", path.c_str(), r.error().offset,
                 r.error().message().c_str());
    return kExitFailure;
  }
  return kExitOk;
}

}  // namespace

int print_component_sections(const std::string& path, std::span<const uint8_t> bytes) {
  if (int rc = print_sections(path, bytes); rc != kExitOk) return rc;
  TypeTable types;
  auto c = decode_component(bytes, types);
  if (!c) {
    std::fprintf(stderr, "%s: 0x%zx: %s\n", path.c_str(), c.error().offset,
                 c.error().message.c_str());
    return kExitFailure;
  }
  std::printf("\nDefinitions:\n");
  print_definitions(**c, 0);
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace zinc::cli

// cli/component_info.cc: see component_info.h. Only the section framing (id byte, u32 size) is
// read, with the decoder's bounds-checked Reader; section contents are not interpreted.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
#include "cli/component_info.h"

#include <cinttypes>
#include <cstdio>

#include "cli/commands.h"
#include "decoder/reader.h"

namespace zinc::cli {
namespace {

const char* component_section_name(uint8_t id) {
  static constexpr const char* kNames[] = {
      "custom", "core module", "core instance", "core type", "component", "instance", "alias",
      "type",   "canon",       "start",         "import",    "export",    "value"};
  return id < sizeof kNames / sizeof kNames[0] ? kNames[id] : "unknown";
}

}  // namespace

int print_component_sections(const std::string& path, std::span<const uint8_t> bytes) {
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

}  // namespace zinc::cli

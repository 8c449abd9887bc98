// decoder/name_section.cc: the `name` custom section (module, function and local names).
//
// Custom sections carry no semantics, so a malformed name section never makes a module
// invalid: parsing stops and every name is dropped. Subsections other than 0 (module), 1
// (functions) and 2 (locals) are skipped. Maps are sorted by index afterwards so lookups can
// binary-search even when a producer emitted them out of order.
// Spec: https://webassembly.github.io/spec/core/appendix/custom.html#name-section
#include <algorithm>
#include <string>

#include "decoder/module_decoder_impl.h"

namespace zinc::decoder::internal {

namespace {

using NameMap = std::vector<std::pair<uint32_t, std::string>>;

bool read_name_map(Reader& r, NameMap* out) {
  const uint32_t count = r.count(1);
  if (!r.ok()) return false;
  reserve_bounded(*out, count, r, 2);
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t index = r.u32();
    const std::string_view name = r.name();
    if (!r.ok()) return false;
    out->emplace_back(index, std::string(name));
  }
  // Plain sort (stable_sort trips a libstdc++ 12 deprecation under clang); duplicates, which
  // the spec forbids anyway, end up ordered by name.
  std::sort(out->begin(), out->end());
  return true;
}

}  // namespace

bool parse_name_section(const Module& module, ByteRange payload, NameSection* out) {
  const uint8_t* base = module.bytes.data();
  Reader r(base + payload.offset, base + payload.end(), payload.offset);
  NameSection names;
  int last_id = -1;
  while (!r.at_end()) {
    const uint8_t id = r.u8();
    const uint32_t size = r.u32();
    if (!r.ok() || size > r.remaining() || static_cast<int>(id) <= last_id) return false;
    last_id = id;
    Reader sub(r.pos(), r.pos() + size, r.offset());
    r.skip(size);
    switch (id) {
      case 0:
        names.module_name = std::string(sub.name());
        break;
      case 1:
        if (!read_name_map(sub, &names.function_names)) return false;
        break;
      case 2: {
        const uint32_t count = sub.count(1);
        if (!sub.ok()) return false;
        reserve_bounded(names.local_names, count, sub, 2);
        for (uint32_t i = 0; i < count; ++i) {
          const uint32_t func = sub.u32();
          NameMap locals;
          if (!sub.ok() || !read_name_map(sub, &locals)) return false;
          names.local_names.emplace_back(func, std::move(locals));
        }
        std::sort(names.local_names.begin(), names.local_names.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        break;
      }
      default:
        sub.skip(sub.remaining());
        break;
    }
    if (!sub.ok() || !sub.at_end()) return false;
  }
  *out = std::move(names);
  return true;
}

}  // namespace zinc::decoder::internal

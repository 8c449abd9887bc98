// fuzz/fuzz_component_text.cc: libFuzzer target for the component text format
// (component/text/).
//
// Every input is treated as text twice: as a component (`component_wat_to_binary`) and as a
// WAST script (`parse_wast`, then every component the script defines is encoded with
// `encode_script_component` and every component value of its actions and results is parsed
// with `script_value`). A finding is any crash, hang, leak or sanitizer report; text errors are
// expected results. Invariants checked: an error's message formats, and a component the
// encoder produced starts with the component preamble and has well-formed section framing
// (each section's size fits in what follows), recursively for nested components.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include "component/text/component_text.h"
#include "component/text/values.h"
#include "decoder/text/wast.h"

namespace {

namespace ct = zinc::component::text;
namespace dt = zinc::decoder::text;

[[noreturn]] void invariant_broken(const char* what) {
  std::fprintf(stderr, "fuzz_component_text: invariant broken: %s\n", what);
  std::abort();
}

bool read_u32(const uint8_t* p, size_t n, size_t* i, uint64_t* out) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 35; shift += 7) {
    if (*i >= n) return false;
    uint8_t b = p[(*i)++];
    v |= uint64_t{b & 0x7Fu} << shift;
    if (!(b & 0x80)) {
      *out = v;
      return true;
    }
  }
  return false;
}

// Checks the preamble and the section framing of an encoded component (nested ones too).
void check_framing(const uint8_t* p, size_t n, int depth) {
  static constexpr uint8_t kPreamble[] = {0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00};
  if (n < 8 || std::memcmp(p, kPreamble, 8) != 0) invariant_broken("component preamble");
  size_t i = 8;
  while (i < n) {
    uint8_t id = p[i++];
    uint64_t size = 0;
    if (id > 12 || !read_u32(p, n, &i, &size) || size > n - i) invariant_broken("section framing");
    if (id == 4 && depth < 200) check_framing(p + i, size, depth + 1);
    i += size;
  }
}

void encoded(const dt::TextResult<std::vector<uint8_t>>& r) {
  if (!r) {
    (void)r.error().to_string();
    return;
  }
  check_framing(r->data(), r->size(), 0);
}

void values(const std::vector<dt::Value>& vs) {
  for (const dt::Value& v : vs) {
    auto val = ct::script_value(v, "fuzz.wast");
    if (!val) (void)val.error().to_string();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  encoded(ct::component_wat_to_binary(text, "fuzz.wat"));
  auto script = dt::parse_wast(text, "fuzz.wast");
  if (!script) {
    (void)script.error().to_string();
    return 0;
  }
  for (const dt::Command& c : script->commands) {
    values(c.action.args);
    values(c.expected);
    if (!c.has_module || !c.module.component) continue;
    auto bin = ct::encode_script_component(c.module, "fuzz.wast");
    if (c.module.format == dt::ModuleFormat::Binary) continue;  // arbitrary bytes
    encoded(bin);
  }
  return 0;
}

// fuzz/wat_fuzzer.cc: libFuzzer target for the text format (decoder/text/).
//
// Every input is treated as text twice: as a WAST script (parse_wast, then every module the
// script defines is encoded with encode_script_module and decoded) and as a WAT module
// (wat_to_binary, then decode_module with full validation). A finding is any crash, hang, leak
// or sanitizer report; text and decode errors are expected results. Two invariants are checked:
// an error's message formats, and a module the text parser accepted starts with the binary
// preamble (the encoder always writes it).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string_view>
#include <vector>

#include "decoder/decode.h"
#include "decoder/text/wast.h"
#include "decoder/text/wat_parser.h"

namespace {

using namespace zinc::decoder;

[[noreturn]] void invariant_broken(const char* what) {
  std::fprintf(stderr, "wat_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

// Decodes an encoded module; binary modules of a script are arbitrary bytes, text ones must
// carry the preamble.
void decode(const std::vector<uint8_t>& bytes, bool from_text) {
  if (from_text && (bytes.size() < 8 || std::memcmp(bytes.data(), "\0asm\1\0\0\0", 8) != 0)) {
    invariant_broken("encoded text module lacks the binary preamble");
  }
  auto module = decode_module(std::span<const uint8_t>(bytes.data(), bytes.size()));
  if (!module) (void)module.error().message();
}

void fuzz_script(std::string_view text) {
  auto script = text::parse_wast(text, "fuzz.wast");
  if (!script) {
    (void)script.error().to_string();
    return;
  }
  for (const text::Command& c : script->commands) {
    if (!c.has_module) continue;
    auto bin = text::encode_script_module(c.module, "fuzz.wast");
    if (!bin) {
      (void)bin.error().to_string();
      continue;
    }
    decode(*bin, c.module.format != text::ModuleFormat::Binary);
  }
}

void fuzz_module(std::string_view text) {
  auto bin = text::wat_to_binary(text, "fuzz.wat");
  if (!bin) {
    (void)bin.error().to_string();
    return;
  }
  decode(*bin, true);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  fuzz_script(text);
  fuzz_module(text);
  return 0;
}

// fuzz/decode_fuzzer.cc: libFuzzer target for the binary decoder and validator.
//
// Every input goes through detect_binary_kind and decode_module with full Wasm 2.0 validation.
// A finding is any crash, hang, leak or sanitizer report (ASan + UBSan); decode errors are
// expected results. On success the Module IR is walked a little so that its byte ranges are
// checked against the owned bytes (an out-of-range body would be a decoder bug).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "decoder/decode.h"

namespace {

/// A broken IR invariant after successful validation: a decoder bug, reported as a crash.
[[noreturn]] void invariant_broken(const char* what, uint32_t func_index) {
  std::fprintf(stderr, "decode_fuzzer: IR invariant broken: %s (function %u)\n", what,
               static_cast<unsigned>(func_index));
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace zinc::decoder;
  std::span<const uint8_t> bytes(data, size);
  (void)detect_binary_kind(bytes);
  auto module = decode_module(bytes);
  if (!module) {
    (void)module.error().message();
    return 0;
  }
  const Module& m = **module;
  auto check = [&](ByteRange r, const char* what, uint32_t func = UINT32_MAX) {
    if (static_cast<uint64_t>(r.offset) + r.size > m.bytes.size()) invariant_broken(what, func);
  };
  for (const FunctionBody& b : m.bodies) {
    check(b.range, "body range outside the module", b.func_index);
    check(b.code, "code range outside the module", b.func_index);
    // Validation records each body's instructions, which end with `end` (0x0b).
    if (b.code.size == 0 || m.bytes[b.code.end() - 1] != 0x0b) {
      invariant_broken("validated body has no code range ending in `end`", b.func_index);
    }
    (void)m.func_name(b.func_index);
  }
  for (const DataSegment& d : m.datas) check(d.bytes, "data segment outside the module");
  for (const CustomSection& c : m.customs) check(c.payload, "custom section outside the module");
  return 0;
}

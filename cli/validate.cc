// cli/validate.cc: `zinc validate FILE...`.
//
// Decodes and validates each file as a core module or a component, binary or text (a file
// that does not start with `\0asm` and whose first token is `(` is encoded from text first --
// `(component` with the component text encoder -- so both go through the same decoder and
// validator). Output, one line per file:
//   FILE: valid                                   (stdout; not with --quiet)
//   FILE:LINE:COL: message                        (stderr; malformed text)
//   FILE: 0xOFFSET: message [(in function N)]     (stderr; for text, an offset in its encoding)
//   FILE: <OS error>                              (stderr)
// Exit status: kExitFailure if any file is invalid or unreadable, else kExitOk. Every file is
// checked even after a failure.
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "decoder/decode.h"
#include "component/decode.h"
#include "decoder/text/wat_parser.h"

namespace zinc::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  bool quiet = false;
};

/// "0x1a2b: type mismatch: ... (in function 12)".
std::string describe(const decoder::Error& e) {
  char offset[32];
  std::snprintf(offset, sizeof offset, "0x%zx", e.offset);
  std::string line = std::string(offset) + ": " + e.message();
  if (e.func_index != decoder::Error::kNoFunc) {
    line += " (in function " + std::to_string(e.func_index) + ")";
  }
  return line;
}

int validate_one(const std::string& path, bool quiet) {
  auto bytes = read_whole_file(path);
  if (!bytes) {
    std::fprintf(stderr, "%s\n", bytes.error().message.c_str());
    return kExitFailure;
  }
  std::span<const uint8_t> span(bytes->data(), bytes->size());
  if (looks_like_component_text(*bytes) || decoder::text::looks_like_text_module(span)) {
    auto encoded = to_binary(path, std::move(*bytes));
    if (!encoded) {
      std::fprintf(stderr, "%s\n", encoded.error().message.c_str());
      return kExitFailure;
    }
    *bytes = std::move(*encoded);
    span = std::span<const uint8_t>(bytes->data(), bytes->size());
  }
  if (decoder::detect_binary_kind(span) == decoder::BinaryKind::Component) {
    component::TypeTable types;
    auto c = component::decode_component(span, types);
    if (!c) {
      std::fprintf(stderr, "%s: 0x%zx: %s\n", path.c_str(), c.error().offset,
                   c.error().message.c_str());
      return kExitFailure;
    }
    if (!quiet) std::printf("%s: valid\n", path.c_str());
    return kExitOk;
  }
  auto module = decoder::decode_module(span);
  if (!module) {
    std::fprintf(stderr, "%s: %s\n", path.c_str(), describe(module.error()).c_str());
    return kExitFailure;
  }
  if (!quiet) std::printf("%s: valid\n", path.c_str());
  return kExitOk;
}

}  // namespace

void add_validate_command(CLI::App& app, int* status) {
  auto opts = std::make_shared<ValidateOptions>();
  CLI::App* cmd =
      app.add_subcommand("validate", "Check that WebAssembly modules and components are valid");
  cmd->add_option("files", opts->files,
                  "Module or component files (.wasm or .wat text); '-' reads standard input")
      ->required();
  cmd->add_flag("-q,--quiet", opts->quiet, "Print only problems, not 'FILE: valid'");
  cmd->footer(
      "Decodes and validates each FILE: a core module (WebAssembly 2.0) or a component\n"
      "(Component Model, layer 1). A FILE that does not start with the binary magic and\n"
      "whose first token is '(' is read as text (WAT; '(component' for components).\n"
      "Errors are printed as 'FILE: 0xOFFSET: message', with '(in function N)' for errors\n"
      "inside a function body (for text, the offset is in its binary encoding), or as\n"
      "'FILE:LINE:COL: message' for malformed text.\n\n"
      "Exit status: 0 all valid; 1 a file is invalid or unreadable; 2 usage error.");
  cmd->callback([opts, status] {
    bool failed = false;
    for (const std::string& f : opts->files) failed |= validate_one(f, opts->quiet) != kExitOk;
    std::fflush(stdout);
    *status = failed ? kExitFailure : kExitOk;
  });
}

}  // namespace zinc::cli

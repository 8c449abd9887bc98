// cli/validate.cc: `zinc validate FILE...`.
//
// Decodes and validates each file as a core module, binary or text (decoder/text: a file that
// does not start with `\0asm` and whose first token is `(` is encoded from text first, so both
// go through the same decoder and validator). Output, one line per file:
//   FILE: valid                                   (stdout; not with --quiet)
//   FILE:LINE:COL: message                        (stderr; malformed text)
//   FILE: 0xOFFSET: message [(in function N)]     (stderr; for text, an offset in its encoding)
//   FILE: WebAssembly component (layer 1): ...    (stderr; not validated)
//   FILE: <OS error>                              (stderr)
// Exit status: kExitFailure if any file is invalid or unreadable, else kExitNotChecked if any
// file is a component, else kExitOk. Every file is checked even after a failure.
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "decoder/decode.h"
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
  if (decoder::text::looks_like_text_module(span)) {
    std::string_view text(reinterpret_cast<const char*>(span.data()), span.size());
    auto encoded = decoder::text::wat_to_binary(text, path);
    if (!encoded) {
      std::fprintf(stderr, "%s\n", encoded.error().to_string().c_str());
      return kExitFailure;
    }
    *bytes = std::move(*encoded);
    span = std::span<const uint8_t>(bytes->data(), bytes->size());
  }
  if (decoder::detect_binary_kind(span) == decoder::BinaryKind::Component) {
    std::fprintf(stderr,
                 "%s: WebAssembly component (layer 1): not validated; zinc validates core modules "
                 "only until the Component Model lands\n",
                 path.c_str());
    return kExitNotChecked;
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
  CLI::App* cmd = app.add_subcommand("validate", "Check that WebAssembly modules are valid");
  cmd->add_option("files", opts->files,
                  "Module files (.wasm or .wat text); '-' reads standard input")
      ->required();
  cmd->add_flag("-q,--quiet", opts->quiet, "Print only problems, not 'FILE: valid'");
  cmd->footer(
      "Decodes and validates each FILE against WebAssembly 2.0. A FILE that does not start\n"
      "with the binary magic and whose first token is '(' is read as a text module (WAT).\n"
      "Errors are printed as 'FILE: 0xOFFSET: message', with '(in function N)' for errors\n"
      "inside a function body (for text, the offset is in its binary encoding), or as\n"
      "'FILE:LINE:COL: message' for malformed text.\n\n"
      "Exit status: 0 all valid; 1 a file is invalid or unreadable; 2 usage error;\n"
      "3 a file is a component (not validated yet) and none failed.");
  cmd->callback([opts, status] {
    bool failed = false, unchecked = false;
    for (const std::string& f : opts->files) {
      int rc = validate_one(f, opts->quiet);
      failed |= rc == kExitFailure;
      unchecked |= rc == kExitNotChecked;
    }
    std::fflush(stdout);
    *status = failed ? kExitFailure : unchecked ? kExitNotChecked : kExitOk;
  });
}

}  // namespace zinc::cli

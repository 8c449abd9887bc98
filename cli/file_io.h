// cli/file_io.h: reading whole input files for the CLI commands.
//
// `read_whole_file` returns the file's bytes or a one-line error naming the path and the OS
// reason ("No such file or directory", "Is a directory", ...). "-" reads standard input. Files
// larger than the decoder's module size limit are refused before any allocation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "zinc/result.h"

namespace zinc::cli {

zinc::Result<std::vector<uint8_t>> read_whole_file(const std::string& path);

/// True when `bytes` are WebAssembly text whose first form is `(component`: skips whitespace,
/// `;;` line comments and `(; ;)` block comments (nested) before looking.
bool looks_like_component_text(const std::vector<uint8_t>& bytes);

/// The binary of a module or component file's bytes: text (.wat) is encoded first, a text
/// component with the component text encoder; binaries are returned as they are. Errors are
/// one line (name:line:col: message).
zinc::Result<std::vector<uint8_t>> to_binary(const std::string& name, std::vector<uint8_t> bytes);

/// read_whole_file then to_binary.
zinc::Result<std::vector<uint8_t>> read_binary(const std::string& path);

}  // namespace zinc::cli

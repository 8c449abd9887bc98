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

}  // namespace zinc::cli

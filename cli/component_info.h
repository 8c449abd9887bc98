// cli/component_info.h: listing the top-level sections of a component binary for
// `zinc inspect`, until the component decoder (Component Model issue) exists.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace zinc::cli {

/// Prints the preamble and each top-level section (id, name, payload offset and size) of a
/// component binary. Returns an exit status: kExitFailure if the section framing is malformed.
int print_component_sections(const std::string& path, std::span<const uint8_t> bytes);

}  // namespace zinc::cli

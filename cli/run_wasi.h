// cli/run_wasi.h: the WASI Preview 1 host as `zinc run` configures it.
//
// WasiSetup collects the command line's guest-facing options (program name and arguments,
// --dir preopens, --env variables); add_wasi defines the WASI imports in the linker.
#pragma once

#include <string>
#include <vector>

#include "zinc/module.h"

namespace zinc::cli {

struct WasiSetup {
  std::string program;             // argv[0] as the guest sees it
  std::vector<std::string> args;   // argv[1..]
  std::vector<std::string> dirs;   // HOST[::GUEST]
  std::vector<std::string> envs;   // NAME=VALUE or NAME (inherited from the host)
};

/// Defines the wasi_snapshot_preview1 imports in `linker`. Fails on malformed options.
Result<void> add_wasi(Linker& linker, const WasiSetup& setup);

}  // namespace zinc::cli

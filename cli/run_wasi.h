// cli/run_wasi.h: the WASI Preview 1 host as `zinc run` configures it.
//
// WasiSetup collects the command line's guest-facing options (program name and arguments,
// --dir preopens, --env variables); add_wasi defines the WASI Preview 1 imports in a core
// linker, add_wasi_p2 the WASI 0.2 host in a component linker, from the same options.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "zinc/component.h"
#include "zinc/module.h"

namespace zinc::cli {

struct WasiSetup {
  std::string program;             // argv[0] as the guest sees it
  std::vector<std::string> args;   // argv[1..]
  std::vector<std::string> dirs;   // HOST[::GUEST]
  std::vector<std::string> envs;   // NAME=VALUE or NAME (inherited from the host)
  /// -S NAME[=y|n] (Wasmtime's WASI options; comma-separated lists too): inherit-network,
  /// allow-ip-name-lookup, tcp, udp. Unknown names are errors.
  std::vector<std::string> wasi_options;
  std::vector<std::string> allow_ips;  // --allow-ip CIDR: addresses the guest's sockets may use
};

/// Defines the wasi_snapshot_preview1 imports in `linker`. Fails on malformed options.
Result<void> add_wasi(Linker& linker, const WasiSetup& setup);

/// Defines the WASI 0.2 host (wasi/p2) in a component linker, configured the same way; only
/// the WASI packages `imports` (a component's import names) need.
Result<void> add_wasi_p2(component::Linker& linker, const WasiSetup& setup,
                         std::span<const std::string> imports);

}  // namespace zinc::cli

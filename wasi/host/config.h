// wasi/host/config.h: what a WASI program is given -- arguments, environment, preopened
// directories, standard streams and network access -- independent of the WASI version.
//
// wasi/p1's WasiCtxBuilder assembles one (opening the preopens), and both the Preview 1 host
// (a descriptor table over it) and the Preview 2 host (resources over it) start from it, so the
// CLI configures every WASI version with the same options and the same sandbox.
// Invariants: `env` is exactly what the embedder gave (nothing is inherited implicitly); every
// preopen is an open directory capability; streams are never null (null streams stand in).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wasi/host/fs.h"
#include "wasi/host/socket.h"
#include "wasi/host/streams.h"

namespace zinc::wasi::host {

/// Which network addresses a guest may use (Preview 2 sockets). Nothing by default.
struct NetworkPolicy {
  /// An address range: `prefix_len` leading bits of `addr` (16 bytes; IPv4 as IPv4-mapped
  /// IPv6, ::ffff:a.b.c.d).
  struct Range {
    uint8_t addr[16] = {};
    uint8_t prefix_len = 0;
  };
  bool inherit = false;          // any address (-S inherit-network)
  std::vector<Range> allowed;    // else only these (--allow-ip)
  bool name_lookup = false;      // ip-name-lookup (implied by inherit)
  bool tcp = true;               // protocol switches (-S tcp=n / udp=n)
  bool udp = true;
};

struct WasiConfig {
  struct Preopen {
    std::shared_ptr<Dir> dir;
    std::string guest_path;
  };
  std::vector<std::string> args;  // argv, including argv[0] when the guest should see one
  std::vector<std::string> env;   // "KEY=VALUE"
  std::vector<Preopen> preopens;  // in the order given
  std::vector<std::shared_ptr<Socket>> sockets;  // pre-opened sockets (Preview 1 only)
  std::shared_ptr<InputStream> stdin_stream;
  std::shared_ptr<OutputStream> stdout_stream;
  std::shared_ptr<OutputStream> stderr_stream;
  NetworkPolicy network;
};

}  // namespace zinc::wasi::host

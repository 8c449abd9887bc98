// cli/run_wasi.cc: add_wasi / add_wasi_p2 (run_wasi.h) over the WASI hosts (wasi/p1, wasi/p2).
#include "cli/run_wasi.h"

#include <arpa/inet.h>

#include <cstdlib>
#include <cstring>
#include <string_view>

#include "wasi/host/config.h"
#include "wasi/p1/p1.h"
#include "wasi/p2/p2.h"

namespace zinc::cli {

namespace {

Error usage(std::string message) {
  Error e;
  e.kind = ErrorKind::Generic;
  e.message = std::move(message);
  return e;
}

// -S NAME[=VALUE]: the network switches of Wasmtime's -S (inherit-network,
// allow-ip-name-lookup, tcp, udp), each y/n (yes/no, true/false; NAME alone is y).
Result<void> apply_wasi_option(std::string_view item, wasi::host::NetworkPolicy* p) {
  const size_t eq = item.find('=');
  const std::string_view name = item.substr(0, eq);
  bool on = true;
  if (eq != std::string_view::npos) {
    const std::string_view v = item.substr(eq + 1);
    if (v == "y" || v == "yes" || v == "true") {
      on = true;
    } else if (v == "n" || v == "no" || v == "false") {
      on = false;
    } else {
      return unexpected(usage("-S " + std::string(item) + ": expected y or n"));
    }
  }
  if (name == "inherit-network") {
    p->inherit = on;
  } else if (name == "allow-ip-name-lookup") {
    p->name_lookup = on;
  } else if (name == "tcp") {
    p->tcp = on;
  } else if (name == "udp") {
    p->udp = on;
  } else {
    return unexpected(usage("-S " + std::string(item) +
                            ": unknown WASI option (known: inherit-network, "
                            "allow-ip-name-lookup, tcp, udp)"));
  }
  return {};
}

// --allow-ip ADDRESS[/PREFIX]: IPv4 ranges are kept as IPv4-mapped IPv6 (config.h).
Result<void> add_allowed_ip(const std::string& cidr, wasi::host::NetworkPolicy* p) {
  const size_t slash = cidr.find('/');
  const std::string addr = cidr.substr(0, slash);
  wasi::host::NetworkPolicy::Range r;
  unsigned max_prefix = 128, offset = 0;
  uint8_t v4[4];
  if (::inet_pton(AF_INET, addr.c_str(), v4) == 1) {
    r.addr[10] = r.addr[11] = 0xff;
    std::memcpy(r.addr + 12, v4, 4);
    max_prefix = 32;
    offset = 96;
  } else if (::inet_pton(AF_INET6, addr.c_str(), r.addr) != 1) {
    return unexpected(usage("--allow-ip " + cidr + ": not an IP address or CIDR range"));
  }
  unsigned prefix = max_prefix;
  if (slash != std::string::npos) {
    const std::string digits = cidr.substr(slash + 1);
    char* end = nullptr;
    const unsigned long n = std::strtoul(digits.c_str(), &end, 10);
    if (digits.empty() || *end != 0 || n > max_prefix) {
      return unexpected(usage("--allow-ip " + cidr + ": the prefix length must be 0.." +
                              std::to_string(max_prefix)));
    }
    prefix = static_cast<unsigned>(n);
  }
  r.prefix_len = static_cast<uint8_t>(prefix + offset);
  p->allowed.push_back(r);
  return {};
}

Result<void> configure(wasi::p1::WasiCtxBuilder& b, const WasiSetup& setup) {
  std::vector<std::string> argv;
  argv.push_back(setup.program);
  argv.insert(argv.end(), setup.args.begin(), setup.args.end());
  b.args(std::move(argv));
  for (const std::string& d : setup.dirs) b.dir_option(d);
  for (const std::string& e : setup.envs) {
    const size_t eq = e.find('=');
    if (eq == std::string::npos) {
      // `--env NAME` passes the host's value through (nothing when the host has none).
      if (const char* v = std::getenv(e.c_str())) b.env(e, v);
    } else {
      if (eq == 0) return api_error(ErrorKind::Generic, "--env '" + e + "': empty name");
      b.env(std::string_view(e).substr(0, eq), std::string_view(e).substr(eq + 1));
    }
  }
  wasi::host::NetworkPolicy network;
  for (const std::string& opt : setup.wasi_options) {
    std::string_view rest = opt;
    while (!rest.empty()) {
      const size_t comma = rest.find(',');
      if (auto r = apply_wasi_option(rest.substr(0, comma), &network); !r.ok()) return r;
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  for (const std::string& cidr : setup.allow_ips) {
    if (auto r = add_allowed_ip(cidr, &network); !r.ok()) return r;
  }
  b.network(std::move(network));
  return {};
}

}  // namespace

Result<void> add_wasi(Linker& linker, const WasiSetup& setup) {
  wasi::p1::WasiCtxBuilder b;
  if (auto r = configure(b, setup); !r.ok()) return r;
  auto ctx = b.build();
  if (!ctx.ok()) return unexpected(ctx.error());
  return wasi::p1::add_to_linker(linker, *ctx);
}

Result<void> add_wasi_p2(component::Linker& linker, const WasiSetup& setup,
                         std::span<const std::string> imports) {
  wasi::p1::WasiCtxBuilder b;
  if (auto r = configure(b, setup); !r.ok()) return r;
  auto config = b.config();
  if (!config.ok()) return unexpected(config.error());
  auto host = wasi::p2::add_to_linker(linker, std::move(*config), imports);
  if (!host.ok()) return unexpected(host.error());
  return {};
}

}  // namespace zinc::cli

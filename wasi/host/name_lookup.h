// wasi/host/name_lookup.h: host names to IP addresses without blocking the caller
// (getaddrinfo(3) on a background thread), and IP address literals.
//
// A NameLookup runs getaddrinfo on a thread of its own; its `poll_fd` (an eventfd) turns readable
// once the answer is there, so a lookup is waited for like any descriptor (wasi/host/poll.h).
// Invariants: the thread holds its own reference to the shared state, so dropping a NameLookup
// whose thread still runs is safe (the answer is discarded when it comes); at most
// kMaxLookupThreads lookups run in the background at once, a further one (or one whose thread
// cannot start) runs on the calling thread. No policy lives here: callers decide which names
// may be looked up.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wasi/host/socket.h"
#include "zinc/result.h"

namespace zinc::wasi::host {

/// Why a lookup found nothing (getaddrinfo's EAI_* codes, grouped).
enum class LookupError : uint8_t {
  NoName,     // EAI_NONAME, EAI_NODATA, EAI_ADDRFAMILY: no such name, or no address for it
  Temporary,  // EAI_AGAIN
  Permanent,  // EAI_FAIL
  NoMemory,   // EAI_MEMORY
  Failed,     // anything else
};

/// An IPv4 ("127.0.0.1") or IPv6 ("::1", "[::1]") literal; nullopt for anything else.
std::optional<IpEndpoint> parse_ip(std::string_view text);

class NameLookup {
 public:
  static constexpr size_t kMaxLookupThreads = 32;
  /// The most addresses one answer keeps.
  static constexpr size_t kMaxAddresses = 256;

  /// Starts resolving `name` (a host name, not a literal: see parse_ip) to TCP-usable
  /// addresses of either family.
  static std::shared_ptr<NameLookup> start(std::string name);
  ~NameLookup();
  NameLookup(const NameLookup&) = delete;
  NameLookup& operator=(const NameLookup&) = delete;

  /// Readable once the lookup is done; -1 when it was done before `start` returned.
  int poll_fd() const;
  bool done() const;
  /// The addresses in getaddrinfo's order (duplicates possible), or why there are none.
  /// Only meaningful once done().
  Result<std::vector<IpEndpoint>, LookupError> result() const;

  struct State;

 private:
  explicit NameLookup(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace zinc::wasi::host

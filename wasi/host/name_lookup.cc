// wasi/host/name_lookup.cc: NameLookup (getaddrinfo on a detached thread, completion signalled
// through an eventfd) and parse_ip.
#include "wasi/host/name_lookup.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <system_error>
#include <thread>

namespace zinc::wasi::host {

struct NameLookup::State {
  std::string name;
  OwnedFd event;  // eventfd: written once when done
  mutable std::mutex mu;
  bool done = false;
  std::vector<IpEndpoint> addresses;
  std::optional<LookupError> error;
};

namespace {

std::atomic<size_t> lookups_running{0};

LookupError lookup_error(int eai) {
  switch (eai) {
    case EAI_NONAME:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
#ifdef EAI_ADDRFAMILY
    case EAI_ADDRFAMILY:
#endif
      return LookupError::NoName;
    case EAI_AGAIN:
      return LookupError::Temporary;
    case EAI_FAIL:
      return LookupError::Permanent;
    case EAI_MEMORY:
      return LookupError::NoMemory;
    default:
      return LookupError::Failed;
  }
}

void resolve(NameLookup::State& s) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;  // one entry per address, not one per socket type
  addrinfo* list = nullptr;
  const int rc = ::getaddrinfo(s.name.c_str(), nullptr, &hints, &list);
  std::vector<IpEndpoint> out;
  if (rc == 0) {
    for (const addrinfo* a = list; a != nullptr && out.size() < NameLookup::kMaxAddresses;
         a = a->ai_next) {
      IpEndpoint e;
      if (a->ai_family == AF_INET && a->ai_addrlen >= sizeof(sockaddr_in)) {
        std::memcpy(e.addr, &reinterpret_cast<const sockaddr_in*>(a->ai_addr)->sin_addr, 4);
      } else if (a->ai_family == AF_INET6 && a->ai_addrlen >= sizeof(sockaddr_in6)) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(a->ai_addr);
        e.v6 = true;
        std::memcpy(e.addr, &in6->sin6_addr, 16);
        e.scope_id = in6->sin6_scope_id;
      } else {
        continue;
      }
      out.push_back(e);
    }
    ::freeaddrinfo(list);
  }
  std::lock_guard<std::mutex> lock(s.mu);
  if (rc != 0) {
    s.error = lookup_error(rc);
  } else if (out.empty()) {
    s.error = LookupError::NoName;
  }
  s.addresses = std::move(out);
  s.done = true;
  if (s.event) {
    const uint64_t one = 1;
    (void)!::write(s.event.get(), &one, sizeof one);
  }
}

}  // namespace

std::optional<IpEndpoint> parse_ip(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
    if (text.find(':') == std::string_view::npos) return std::nullopt;  // [1.2.3.4] is not one
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  const std::string s(text);
  IpEndpoint e;
  if (::inet_pton(AF_INET, s.c_str(), e.addr) == 1) return e;
  if (::inet_pton(AF_INET6, s.c_str(), e.addr) == 1) {
    e.v6 = true;
    return e;
  }
  return std::nullopt;
}

std::shared_ptr<NameLookup> NameLookup::start(std::string name) {
  auto state = std::make_shared<State>();
  state->name = std::move(name);
  const int efd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (efd >= 0 && lookups_running.fetch_add(1) < kMaxLookupThreads) {
    state->event = OwnedFd(efd);
    try {
      std::thread([state] {
        resolve(*state);
        lookups_running.fetch_sub(1);
      }).detach();
      return std::shared_ptr<NameLookup>(new NameLookup(std::move(state)));
    } catch (const std::system_error&) {
      // No thread to be had: resolve here instead.
    }
  } else if (efd >= 0) {
    ::close(efd);
  }
  if (efd >= 0) lookups_running.fetch_sub(1);
  state->event.reset();
  resolve(*state);
  return std::shared_ptr<NameLookup>(new NameLookup(std::move(state)));
}

NameLookup::~NameLookup() = default;

int NameLookup::poll_fd() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->event.get();
}

bool NameLookup::done() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  return state_->done;
}

Result<std::vector<IpEndpoint>, LookupError> NameLookup::result() const {
  std::lock_guard<std::mutex> lock(state_->mu);
  if (state_->error) return unexpected(*state_->error);
  return state_->addresses;
}

}  // namespace zinc::wasi::host

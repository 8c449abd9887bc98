// tests/wasi/host_misc_test.cc: Table, streams, clocks, random, poll and sockets of wasi/host.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cerrno>
#include <string>

#include "tests/wasi/host_test_util.h"
#include "wasi/host/clocks.h"
#include "wasi/host/errno.h"
#include "wasi/host/poll.h"
#include "wasi/host/random.h"
#include "wasi/host/socket.h"
#include "wasi/host/streams.h"
#include "wasi/host/table.h"

namespace zinc::wasi::host {
namespace {

TEST_CASE("errno: POSIX values translate by name", "[wasi][host]") {
  CHECK(errno_from_posix(0) == Errno::Success);
  CHECK(errno_from_posix(ENOENT) == Errno::NoEnt);
  CHECK(errno_from_posix(EWOULDBLOCK) == Errno::Again);
  CHECK(errno_from_posix(EOPNOTSUPP) == Errno::NotSup);
  CHECK(errno_from_posix(EXDEV) == Errno::XDev);
  CHECK(errno_from_posix(123456) == Errno::Io);
  CHECK(errno_name(Errno::NotCapable) == "NotCapable");
  CHECK(errno_name(Errno::Access) == "Access");
}

TEST_CASE("table: lowest free handle, remove, renumber, limits", "[wasi][host]") {
  Table<int> t(8);
  CHECK(*t.insert(std::make_shared<int>(0)) == 0);
  CHECK(*t.insert(std::make_shared<int>(1)) == 1);
  REQUIRE(t.insert_at(5, std::make_shared<int>(5)));
  CHECK(t.insert_at(5, std::make_shared<int>(55)).error() == Errno::Exist);
  CHECK(*t.insert(std::make_shared<int>(2)) == 2);
  CHECK(*t.insert(std::make_shared<int>(3)) == 3);
  CHECK(*t.insert(std::make_shared<int>(4)) == 4);
  CHECK(*t.insert(std::make_shared<int>(6)) == 6);
  CHECK(t.size() == 7);

  auto held = t.get(1);
  REQUIRE(t.remove(1));
  CHECK(*held == 1);  // the object outlives its handle while referenced
  CHECK(!t.get(1));
  CHECK(!t.remove(1));
  CHECK(*t.insert(std::make_shared<int>(10)) == 1);

  REQUIRE(t.renumber(6, 2));
  CHECK(*t.get(2) == 6);
  CHECK(!t.contains(6));
  CHECK(t.renumber(6, 2).error() == Errno::BadF);
  CHECK(t.renumber(2, 6).error() == Errno::BadF);
  REQUIRE(t.renumber(2, 2));

  CHECK(*t.insert(std::make_shared<int>(7)) == 6);
  CHECK(*t.insert(std::make_shared<int>(8)) == 7);
  CHECK(t.insert(std::make_shared<int>(9)).error() == Errno::MFile);
  CHECK(t.get(1000) == nullptr);

  int count = 0;
  t.for_each([&](uint32_t, int&) { ++count; });
  CHECK(count == 8);

  // Churn does not grow the table.
  Table<int> u;
  for (int i = 0; i < 10000; ++i) {
    auto h = u.insert(std::make_shared<int>(i));
    REQUIRE(h);
    CHECK(*h == 0);
    u.remove(*h);
  }
}

TEST_CASE("streams: memory input and bounded memory output", "[wasi][host]") {
  MemoryInputStream in(std::string_view("hello"));
  uint8_t buf[3];
  CHECK(*in.read(buf) == 3);
  CHECK(std::string(buf, buf + 3) == "hel");
  CHECK(*in.read(buf) == 2);
  CHECK(*in.read(buf) == 0);

  MemoryOutputStream out(6);
  const uint8_t data[] = {'a', 'b', 'c', 'd'};
  CHECK(*out.write(data) == 4);
  CHECK(*out.write(data) == 2);
  CHECK(out.write(data).error() == Errno::NoSpace);
  CHECK(out.text() == "abcdab");

  NullInputStream null_in;
  CHECK(*null_in.read(buf) == 0);
  NullOutputStream null_out;
  CHECK(*null_out.write(data) == 4);
}

TEST_CASE("streams: descriptor streams over a pipe", "[wasi][host]") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  FdOutputStream w(p[1]);
  FdInputStream r(p[0]);
  CHECK(!w.is_terminal());
  CHECK(r.poll_fd() == p[0]);
  const uint8_t msg[] = {'h', 'i'};
  CHECK(*w.write(msg) == 2);
  uint8_t buf[8];
  CHECK(*r.read(buf) == 2);
  ::close(p[1]);
  CHECK(*r.read(buf) == 0);
  ::close(p[0]);
}

TEST_CASE("clocks and random", "[wasi][host]") {
  auto a = clock_now(ClockId::Monotonic);
  auto b = clock_now(ClockId::Monotonic);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*a <= *b);
  CHECK(*clock_now(ClockId::Realtime) > uint64_t{1'600'000'000} * 1'000'000'000);
  CHECK(clock_now(ClockId::ProcessCpuTime));
  CHECK(clock_now(ClockId::ThreadCpuTime));
  for (auto c :
       {ClockId::Realtime, ClockId::Monotonic, ClockId::ProcessCpuTime, ClockId::ThreadCpuTime}) {
    auto res = clock_resolution(c);
    REQUIRE(res);
    CHECK(*res > 0);
  }
  auto t0 = *clock_now(ClockId::Monotonic);
  sleep_ns(2'000'000);
  CHECK(*clock_now(ClockId::Monotonic) - t0 >= 2'000'000);

  std::vector<uint8_t> buf(4096, 0);
  REQUIRE(random_fill(buf));
  CHECK(std::any_of(buf.begin(), buf.end(), [](uint8_t x) { return x != 0; }));
  REQUIRE(random_fill({}));
}

TEST_CASE("poll: readiness and timeouts", "[wasi][host]") {
  int p[2];
  REQUIRE(::pipe(p) == 0);
  PollEntry e[2];
  e[0].fd = p[0];
  e[0].want_read = true;
  e[1].fd = p[1];
  e[1].want_write = true;
  CHECK(*poll_fds(e, 0) == 1);
  CHECK(!e[0].readable);
  CHECK(e[1].writable);

  e[1].want_write = false;
  auto t0 = *clock_now(ClockId::Monotonic);
  CHECK(*poll_fds(std::span<PollEntry>(e, 1), 5'000'000) == 0);
  CHECK(*clock_now(ClockId::Monotonic) - t0 >= 5'000'000);

  REQUIRE(::write(p[1], "abc", 3) == 3);
  CHECK(*poll_fds(std::span<PollEntry>(e, 1), std::nullopt) == 1);
  CHECK(e[0].readable);
  CHECK(bytes_readable(p[0]) == std::optional<uint64_t>(3));
  ::close(p[1]);
  ::close(p[0]);

  // No descriptors: a plain sleep.
  t0 = *clock_now(ClockId::Monotonic);
  CHECK(*poll_fds({}, 1'000'000) == 0);
  CHECK(*clock_now(ClockId::Monotonic) - t0 >= 1'000'000);

  PollEntry bad;
  bad.fd = 1 << 20;
  bad.want_read = true;
  CHECK(*poll_fds(std::span<PollEntry>(&bad, 1), 0) == 1);
  CHECK(bad.error);
}

TEST_CASE("sockets: send, recv, peek, shutdown, accept", "[wasi][host]") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  auto a = Socket::adopt(OwnedFd(sv[0]));
  auto b = Socket::adopt(OwnedFd(sv[1]));
  REQUIRE(a);
  REQUIRE(b);
  CHECK(*(*a)->type() == FileType::SocketStream);
  iovec out{const_cast<char*>("ping"), 4};
  CHECK(*(*a)->send({&out, 1}) == 4);
  char buf[8];
  iovec in{buf, sizeof buf};
  auto r = (*b)->recv({&in, 1}, /*peek=*/true, false);
  REQUIRE(r);
  CHECK(r->bytes == 4);
  r = (*b)->recv({&in, 1}, false, false);
  CHECK(r->bytes == 4);
  CHECK(std::string(buf, 4) == "ping");
  REQUIRE((*a)->shutdown(false, true));
  r = (*b)->recv({&in, 1}, false, false);
  CHECK(r->bytes == 0);
  CHECK((*a)->shutdown(false, false).error() == Errno::Inval);
  REQUIRE((*b)->set_nonblocking(true));
  CHECK(*(*b)->nonblocking());

  // Datagram truncation is reported.
  REQUIRE(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) == 0);
  auto da = Socket::adopt(OwnedFd(sv[0]));
  auto db = Socket::adopt(OwnedFd(sv[1]));
  CHECK(*(*da)->type() == FileType::SocketDgram);
  iovec big{const_cast<char*>("0123456789"), 10};
  CHECK(*(*da)->send({&big, 1}) == 10);
  iovec small{buf, 4};
  r = (*db)->recv({&small, 1}, false, false);
  CHECK(r->bytes == 4);
  CHECK(r->truncated);

  // accept on a listening socket.
  testing::TempDir tmp;
  int l = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(l >= 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::string path = tmp / "sock";
  std::copy(path.begin(), path.end(), addr.sun_path);
  REQUIRE(::bind(l, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(l, 1) == 0);
  auto listener = Socket::adopt(OwnedFd(l));
  REQUIRE(listener);
  REQUIRE((*listener)->set_nonblocking(true));
  CHECK((*listener)->accept(false).error() == Errno::Again);
  REQUIRE((*listener)->set_nonblocking(false));
  int c = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(::connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  auto conn = (*listener)->accept(/*nonblock=*/true);
  REQUIRE(conn);
  CHECK(*(*conn)->nonblocking());
  ::close(c);

  // Not a socket.
  int p[2];
  REQUIRE(::pipe(p) == 0);
  CHECK(Socket::adopt(OwnedFd(p[0])).error() == Errno::NotSock);
  ::close(p[1]);
}

}  // namespace
}  // namespace zinc::wasi::host

// tests/wasi/host_sandbox_test.cc: sandbox escape attempts against wasi/host path resolution.
//
// Every case runs under both resolvers (openat2 and the manual walk) and checks both the error
// and that nothing outside the sandbox root was read, created, changed or removed.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <string>

#include "tests/wasi/host_test_util.h"
#include "wasi/host/fs.h"
#include "wasi/host/resolve.h"

namespace zinc::wasi::host {
namespace {

using testing::exists_nofollow;
using testing::make_dir;
using testing::make_symlink;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

// Restores the default resolver when a test ends.
struct ResolverGuard {
  explicit ResolverGuard(Resolver r) { set_resolver_for_testing(r); }
  ~ResolverGuard() { set_resolver_for_testing(Resolver::Auto); }
};

// tmp/outside/secret, tmp/root/{file, dir/nested/file, links...}; the sandbox is tmp/root.
struct Sandbox {
  TempDir tmp;
  std::string outside = tmp / "outside";
  std::string root = tmp / "root";
  std::shared_ptr<Dir> dir;

  Sandbox() {
    REQUIRE(make_dir(outside));
    REQUIRE(write_file(outside + "/secret", "secret"));
    REQUIRE(make_dir(outside + "/empty"));
    REQUIRE(make_dir(root));
    REQUIRE(write_file(root + "/file", "hello"));
    REQUIRE(make_dir(root + "/dir"));
    REQUIRE(make_dir(root + "/dir/nested"));
    REQUIRE(write_file(root + "/dir/nested/file", "nested"));
    REQUIRE(make_symlink("/etc", root + "/link_to_etc"));
    REQUIRE(make_symlink(outside + "/secret", root + "/link_abs_file"));
    REQUIRE(make_symlink("../outside/secret", root + "/link_up"));
    REQUIRE(make_symlink("..", root + "/link_dotdot"));
    REQUIRE(make_symlink("dir/../../outside", root + "/link_sneaky"));
    REQUIRE(make_symlink("chain2", root + "/chain1"));
    REQUIRE(make_symlink("dir/../chain3", root + "/chain2"));
    REQUIRE(make_symlink("file", root + "/chain3"));
    REQUIRE(make_symlink("chain_out2", root + "/chain_out1"));
    REQUIRE(make_symlink("dir/nested/../../../outside", root + "/chain_out2"));
    REQUIRE(make_symlink("loop", root + "/loop"));
    REQUIRE(make_symlink("dir", root + "/dirlink"));
    REQUIRE(make_symlink("../outside/created", root + "/dangling_out"));
    REQUIRE(make_symlink("../outside/empty", root + "/link_empty_out"));
    auto d = Dir::open_host(root);
    REQUIRE(d);
    dir = *d;
  }

  // The outside world is exactly as created.
  void check_outside_untouched() const {
    CHECK(read_file(outside + "/secret") == "secret");
    struct stat st;
    REQUIRE(::stat((outside + "/secret").c_str(), &st) == 0);
    CHECK(st.st_nlink == 1);
    CHECK(!exists_nofollow(outside + "/created"));
    CHECK(!exists_nofollow(outside + "/moved"));
    CHECK(!exists_nofollow(tmp / "escaped"));
    struct stat dir_st;
    CHECK(::lstat((outside + "/empty").c_str(), &dir_st) == 0);
    CHECK(S_ISDIR(dir_st.st_mode));
  }
};

Errno open_error(Dir& dir, std::string_view path, OpenOptions o = {}) {
  auto r = dir.open_at(path, o);
  return r ? Errno::Success : r.error();
}

std::string read_all(File& f) {
  char buf[256];
  iovec iov{buf, sizeof buf};
  auto n = f.read({&iov, 1});
  return n ? std::string(buf, *n) : "<error>";
}

TEST_CASE("sandbox: paths cannot leave the root", "[wasi][host][sandbox]") {
  auto mode = GENERATE(Resolver::Auto, Resolver::ManualOnly);
  ResolverGuard guard(mode);
  Sandbox sb;
  Dir& d = *sb.dir;

  SECTION("dot-dot above the root") {
    CHECK(open_error(d, "../outside/secret") == Errno::NotCapable);
    CHECK(open_error(d, "..") == Errno::NotCapable);
    CHECK(open_error(d, "dir/../../outside/secret") == Errno::NotCapable);
    CHECK(open_error(d, "dir/nested/../../../outside/secret") == Errno::NotCapable);
    CHECK(open_error(d, "./../root/file") == Errno::NotCapable);
  }
  SECTION("dot-dot that stays inside is fine") {
    auto f = d.open_at("dir/.//nested/../../dir/nested/../nested///./file", {});
    REQUIRE(f);
    REQUIRE(f->file);
    CHECK(read_all(*f->file) == "nested");
    auto r = d.open_at("dir/..", {});
    REQUIRE(r);
    REQUIRE(r->dir);
    CHECK(r->dir->stat()->ino == d.stat()->ino);
  }
  SECTION("absolute paths") {
    CHECK(open_error(d, "/etc/passwd") == Errno::NotCapable);
    CHECK(open_error(d, sb.outside + "/secret") == Errno::NotCapable);
    CHECK(d.stat_at("/", true).error() == Errno::NotCapable);
  }
  SECTION("symlinks to absolute paths") {
    CHECK(open_error(d, "link_to_etc/passwd") == Errno::NotCapable);
    CHECK(open_error(d, "link_to_etc") == Errno::NotCapable);
    CHECK(open_error(d, "link_abs_file") == Errno::NotCapable);
    CHECK(d.stat_at("link_to_etc", true).error() == Errno::NotCapable);
    CHECK(d.stat_at("link_to_etc/passwd", false).error() == Errno::NotCapable);
    // Not following is fine: the link itself is inside.
    auto st = d.stat_at("link_to_etc", false);
    REQUIRE(st);
    CHECK(st->type == FileType::SymbolicLink);
    CHECK(*d.read_link_at("link_to_etc") == "/etc");
  }
  SECTION("relative symlinks that climb out") {
    CHECK(open_error(d, "link_up") == Errno::NotCapable);
    CHECK(open_error(d, "link_dotdot/outside/secret") == Errno::NotCapable);
    CHECK(open_error(d, "link_sneaky/secret") == Errno::NotCapable);
    CHECK(open_error(d, "dirlink/../link_up") == Errno::NotCapable);
    CHECK(d.stat_at("link_up", true).error() == Errno::NotCapable);
  }
  SECTION("symlink chains") {
    auto f = d.open_at("chain1", {});
    REQUIRE(f);
    CHECK(read_all(*f->file) == "hello");
    CHECK(open_error(d, "chain_out1/secret") == Errno::NotCapable);
    CHECK(open_error(d, "chain_out1") == Errno::NotCapable);
  }
  SECTION("symlink loops and long chains") {
    CHECK(open_error(d, "loop") == Errno::Loop);
    CHECK(open_error(d, "loop/x") == Errno::Loop);
    CHECK(d.stat_at("loop", true).error() == Errno::Loop);
    for (int i = 0; i < 50; ++i) {
      REQUIRE(make_symlink("long" + std::to_string(i + 1), sb.root + "/long" + std::to_string(i)));
    }
    REQUIRE(write_file(sb.root + "/long50", "end"));
    CHECK(open_error(d, "long0") == Errno::Loop);
    CHECK(d.stat_at("long0", true).error() == Errno::Loop);
    CHECK(open_error(d, "long45") == Errno::Success);
  }
  SECTION("no-follow on a final symlink") {
    OpenOptions o;
    o.follow = false;
    CHECK(open_error(d, "link_to_etc", o) == Errno::Loop);
    CHECK(open_error(d, "chain1", o) == Errno::Loop);
    o.directory = true;
    Errno e = open_error(d, "dirlink", o);
    CHECK((e == Errno::Loop || e == Errno::NotDir));
    // Intermediate symlinks are still followed.
    o.directory = false;
    CHECK(open_error(d, "dirlink/nested/file", o) == Errno::Success);
  }
  SECTION("trailing slashes mean directory") {
    CHECK(open_error(d, "file/") == Errno::NotDir);
    CHECK(open_error(d, "file///") == Errno::NotDir);
    CHECK(open_error(d, "dir/") == Errno::Success);
    CHECK(open_error(d, "dirlink/") == Errno::Success);
    CHECK(open_error(d, "link_to_etc/") == Errno::NotCapable);
    CHECK(d.stat_at("file/", false).error() == Errno::NotDir);
    CHECK(d.stat_at("dirlink/", false)->type == FileType::Directory);
    OpenOptions create;
    create.create = true;
    create.write = true;
    CHECK(open_error(d, "newfile/", create) == Errno::IsDir);
    CHECK(!exists_nofollow(sb.root + "/newfile"));
  }
  SECTION("creating through a symlink that points out") {
    OpenOptions o;
    o.create = true;
    o.write = true;
    CHECK(open_error(d, "dangling_out", o) == Errno::NotCapable);
    CHECK(open_error(d, "link_dotdot/escaped", o) == Errno::NotCapable);
    CHECK(d.create_dir_at("link_dotdot/escaped").error() == Errno::NotCapable);
    CHECK(d.create_dir_at("../escaped").error() == Errno::NotCapable);
    CHECK(d.symlink_at("x", "../escaped").error() == Errno::NotCapable);
  }
  SECTION("removing and renaming outside") {
    CHECK(d.unlink_file_at("../outside/secret").error() == Errno::NotCapable);
    CHECK(d.unlink_file_at("link_dotdot/outside/secret").error() == Errno::NotCapable);
    CHECK(d.remove_dir_at("../outside").error() == Errno::NotCapable);
    CHECK(d.remove_dir_at("link_sneaky/").error() != Errno::Success);
    // A trailing slash must not make the kernel follow the final symlink out of the sandbox.
    CHECK(d.remove_dir_at("link_empty_out/").error() == Errno::NotDir);
    CHECK(d.remove_dir_at("link_empty_out").error() == Errno::NotDir);
    CHECK(d.unlink_file_at("link_empty_out/").error() != Errno::Success);
    CHECK(d.create_dir_at("dangling_out/").error() == Errno::Exist);
    CHECK(d.symlink_at("x", "dangling_out/").error() == Errno::NotDir);
    CHECK(Dir::hard_link(d, "file", false, d, "dangling_out/").error() == Errno::NotDir);
    CHECK(Dir::rename(d, "file", d, "link_empty_out/").error() != Errno::Success);
    CHECK(Dir::rename(d, "link_empty_out/", d, "moved").error() != Errno::Success);
    CHECK(Dir::rename(d, "file", d, "../outside/moved").error() == Errno::NotCapable);
    CHECK(Dir::rename(d, "../outside/secret", d, "stolen").error() == Errno::NotCapable);
    CHECK(Dir::rename(d, "link_sneaky/secret", d, "stolen").error() == Errno::NotCapable);
    CHECK(!exists_nofollow(sb.root + "/stolen"));
    CHECK(read_file(sb.root + "/file") == "hello");
  }
  SECTION("hard links cannot reach outside files") {
    CHECK(Dir::hard_link(d, "../outside/secret", false, d, "stolen").error() == Errno::NotCapable);
    CHECK(Dir::hard_link(d, "link_up", true, d, "stolen").error() == Errno::NotCapable);
    CHECK(Dir::hard_link(d, "link_abs_file", true, d, "stolen").error() == Errno::NotCapable);
    CHECK(Dir::hard_link(d, "file", false, d, "../escaped").error() == Errno::NotCapable);
    CHECK(!exists_nofollow(sb.root + "/stolen"));
    // Linking the symlink itself (no follow) is allowed: it still resolves in the sandbox.
    REQUIRE(Dir::hard_link(d, "link_up", false, d, "link_copy"));
    CHECK(open_error(d, "link_copy") == Errno::NotCapable);
  }
  SECTION("times and stat through escaping links") {
    struct stat before;
    REQUIRE(::stat((sb.outside + "/secret").c_str(), &before) == 0);
    CHECK(d.set_times_at("link_abs_file", true, NewTime::at(0), NewTime::at(0)).error() ==
          Errno::NotCapable);
    CHECK(d.set_times_at("link_up", true, NewTime::at(0), NewTime::at(0)).error() ==
          Errno::NotCapable);
    struct stat after;
    REQUIRE(::stat((sb.outside + "/secret").c_str(), &after) == 0);
    CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
    CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  }
  SECTION("absolute symlink targets are refused; relative ones are stored verbatim") {
    CHECK(d.symlink_at("/etc", "abs").error() == Errno::NotCapable);
    CHECK(!exists_nofollow(sb.root + "/abs"));
    REQUIRE(d.symlink_at("../outside/secret", "up"));
    CHECK(*d.read_link_at("up") == "../outside/secret");
    CHECK(open_error(d, "up") == Errno::NotCapable);
  }
  SECTION("a directory opened from the root is its own root") {
    auto sub = d.open_at("dir", {});
    REQUIRE(sub);
    REQUIRE(sub->dir);
    CHECK(open_error(*sub->dir, "../file") == Errno::NotCapable);
    CHECK(open_error(*sub->dir, "nested/../../file") == Errno::NotCapable);
    CHECK(open_error(*sub->dir, "nested/file") == Errno::Success);
  }
  SECTION("malformed paths") {
    CHECK(open_error(d, "") == Errno::NoEnt);
    CHECK(open_error(d, std::string_view("file\0", 5)) == Errno::Inval);
    CHECK(open_error(d, std::string(5000, 'a')) == Errno::NameTooLong);
  }
  sb.check_outside_untouched();
}

TEST_CASE("sandbox: resolve_parent splits the final component", "[wasi][host][sandbox]") {
  auto mode = GENERATE(Resolver::Auto, Resolver::ManualOnly);
  ResolverGuard guard(mode);
  Sandbox sb;
  int root = sb.dir->fd();

  auto rp = resolve_parent(root, "dir/nested/file", false);
  REQUIRE(rp);
  CHECK(rp->name == "file");
  CHECK(!rp->trailing_slash);
  CHECK(rp->dir != root);

  rp = resolve_parent(root, "file", false);
  REQUIRE(rp);
  CHECK(rp->dir == root);
  CHECK(rp->name == "file");

  rp = resolve_parent(root, "dir//", false);
  REQUIRE(rp);
  CHECK(rp->name == "dir");
  CHECK(rp->trailing_slash);

  rp = resolve_parent(root, "dir/nested/..", false);
  REQUIRE(rp);
  CHECK(rp->name == ".");

  rp = resolve_parent(root, "chain1", true);
  REQUIRE(rp);
  CHECK(rp->name == "file");

  rp = resolve_parent(root, "chain1", false);
  REQUIRE(rp);
  CHECK(rp->name == "chain1");

  CHECK(resolve_parent(root, "dir/nested/../../..", false).error() == Errno::NotCapable);
  CHECK(resolve_parent(root, "file/x", false).error() == Errno::NotDir);
  CHECK(resolve_parent(root, "missing/x", false).error() == Errno::NoEnt);
}

}  // namespace
}  // namespace zinc::wasi::host

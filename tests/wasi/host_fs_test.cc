// tests/wasi/host_fs_test.cc: Dir and File operations of wasi/host/fs.h inside a sandbox.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "tests/wasi/host_test_util.h"
#include "wasi/host/fs.h"
#include "wasi/host/resolve.h"

namespace zinc::wasi::host {
namespace {

using testing::exists_nofollow;
using testing::make_dir;
using testing::read_file;
using testing::TempDir;
using testing::write_file;

struct Fixture {
  TempDir tmp;
  std::shared_ptr<Dir> dir;
  Fixture() {
    auto d = Dir::open_host(tmp.path());
    REQUIRE(d);
    dir = *d;
  }
  std::shared_ptr<File> open(std::string_view path, OpenOptions o) {
    auto r = dir->open_at(path, o);
    REQUIRE(r);
    REQUIRE(r->file);
    return r->file;
  }
};

OpenOptions rw_create() {
  OpenOptions o;
  o.read = o.write = o.create = true;
  return o;
}

size_t write_str(File& f, std::string_view s) {
  iovec iov{const_cast<char*>(s.data()), s.size()};
  auto n = f.write({&iov, 1});
  REQUIRE(n);
  return *n;
}

std::string read_str(File& f, size_t max = 256) {
  std::string buf(max, '\0');
  iovec iov{buf.data(), buf.size()};
  auto n = f.read({&iov, 1});
  REQUIRE(n);
  buf.resize(*n);
  return buf;
}

TEST_CASE("fs: read, write, seek, pread, pwrite", "[wasi][host][fs]") {
  Fixture fx;
  auto f = fx.open("data", rw_create());
  CHECK(*f->tell() == 0);
  CHECK(write_str(*f, "0123456789") == 10);
  CHECK(*f->tell() == 10);
  CHECK(*f->seek(-4, Whence::Cur) == 6);
  CHECK(read_str(*f) == "6789");
  CHECK(*f->seek(0, Whence::Set) == 0);
  CHECK(f->seek(-1, Whence::Set).error() == Errno::Inval);
  CHECK(*f->seek(-2, Whence::End) == 8);
  CHECK(*f->seek(1000, Whence::Cur) == 1008);

  // Scatter/gather at an offset leaves the position alone.
  char a[3], b[4];
  iovec iovs[2] = {{a, sizeof a}, {b, sizeof b}};
  CHECK(*f->pread(iovs, 2) == 7);
  CHECK(std::string(a, 3) == "234");
  CHECK(std::string(b, 4) == "5678");
  iovec w{const_cast<char*>("AB"), 2};
  CHECK(*f->pwrite({&w, 1}, 1) == 2);
  CHECK(*f->tell() == 1008);
  CHECK(read_file(fx.tmp / "data") == "0AB3456789");
  CHECK(f->pread({&w, 1}, uint64_t{1} << 63).error() == Errno::Inval);
}

TEST_CASE("fs: append and nonblock flags", "[wasi][host][fs]") {
  Fixture fx;
  OpenOptions o = rw_create();
  o.flags.append = true;
  auto f = fx.open("log", o);
  write_str(*f, "aa");
  REQUIRE(f->seek(0, Whence::Set));
  write_str(*f, "bb");
  CHECK(read_file(fx.tmp / "log") == "aabb");
  auto fl = f->flags();
  REQUIRE(fl);
  CHECK(fl->append);
  CHECK(!fl->nonblock);
  FdFlags nf;
  nf.nonblock = true;
  REQUIRE(f->set_flags(nf));
  CHECK(!f->flags()->append);
  CHECK(f->flags()->nonblock);
  REQUIRE(f->seek(0, Whence::Set));
  write_str(*f, "c");
  CHECK(read_file(fx.tmp / "log") == "cabb");
  FdFlags sync;
  sync.sync = true;
  CHECK(f->set_flags(sync).error() == Errno::Inval);
}

TEST_CASE("fs: size, allocate, advise, sync, stat, times", "[wasi][host][fs]") {
  Fixture fx;
  auto f = fx.open("f", rw_create());
  REQUIRE(f->set_size(100));
  CHECK(f->stat()->size == 100);
  CHECK(f->stat()->type == FileType::RegularFile);
  REQUIRE(f->allocate(100, 100));
  CHECK(f->stat()->size == 200);
  REQUIRE(f->allocate(10, 10));
  CHECK(f->stat()->size == 200);
  CHECK(f->advise(0, 50, Advice::Sequential));
  CHECK(f->sync());
  CHECK(f->datasync());
  CHECK(f->set_size(uint64_t{1} << 63).error() == Errno::FileTooBig);

  REQUIRE(f->set_times(NewTime::at(5'000'000'123), NewTime::at(7'000'000'456)));
  auto st = f->stat();
  CHECK(st->atim == 5'000'000'123);
  CHECK(st->mtim == 7'000'000'456);
  REQUIRE(f->set_times(NewTime::keep(), NewTime::at(9'000'000'000)));
  CHECK(f->stat()->atim == 5'000'000'123);
  CHECK(f->stat()->mtim == 9'000'000'000);

  auto ps = fx.dir->stat_at("f", false);
  REQUIRE(ps);
  CHECK(ps->ino == f->stat()->ino);
  CHECK(ps->nlink == 1);
  REQUIRE(fx.dir->set_times_at("f", false, NewTime::at(1'000'000'000), NewTime::keep()));
  CHECK(fx.dir->stat_at("f", true)->atim == 1'000'000'000);

  REQUIRE(fx.dir->set_times(NewTime::keep(), NewTime::at(3'000'000'000)));
  CHECK(fx.dir->stat()->mtim == 3'000'000'000);
  CHECK(fx.dir->stat()->type == FileType::Directory);
  CHECK(fx.dir->sync());
}

TEST_CASE("fs: open flags", "[wasi][host][fs]") {
  Fixture fx;
  REQUIRE(write_file(fx.tmp / "file", "content"));
  REQUIRE(make_dir(fx.tmp / "dir"));

  OpenOptions excl = rw_create();
  excl.exclusive = true;
  CHECK(fx.dir->open_at("file", excl).error() == Errno::Exist);
  CHECK(fx.dir->open_at("missing", {}).error() == Errno::NoEnt);

  OpenOptions dir_only;
  dir_only.directory = true;
  CHECK(fx.dir->open_at("file", dir_only).error() == Errno::NotDir);
  auto d = fx.dir->open_at("dir", dir_only);
  REQUIRE(d);
  CHECK(d->dir);
  // A directory opened like a file still comes back as a Dir.
  auto d2 = fx.dir->open_at("dir", {});
  REQUIRE(d2);
  CHECK(d2->dir);

  OpenOptions write;
  write.write = true;
  CHECK(fx.dir->open_at("dir", write).error() == Errno::IsDir);
  write.directory = true;
  CHECK(fx.dir->open_at(".", write).error() == Errno::IsDir);
  OpenOptions mkdir_like;
  mkdir_like.directory = mkdir_like.create = true;
  CHECK(fx.dir->open_at("newdir", mkdir_like).error() == Errno::Inval);

  OpenOptions trunc;
  trunc.write = trunc.truncate = true;
  auto t = fx.dir->open_at("file", trunc);
  REQUIRE(t);
  CHECK(read_file(fx.tmp / "file").empty());

  // Read-only descriptors refuse writes; write-only refuse reads.
  auto ro = fx.open("file", {});
  CHECK(ro->readable());
  CHECK(!ro->writable());
  iovec iov{const_cast<char*>("x"), 1};
  CHECK(ro->write({&iov, 1}).error() == Errno::BadF);
  OpenOptions wo;
  wo.read = false;
  wo.write = true;
  auto w = fx.open("file", wo);
  char c;
  iovec r{&c, 1};
  CHECK(w->read({&r, 1}).error() == Errno::BadF);
}

TEST_CASE("fs: directories, unlink, trailing slashes", "[wasi][host][fs]") {
  Fixture fx;
  Dir& d = *fx.dir;
  REQUIRE(d.create_dir_at("a"));
  REQUIRE(d.create_dir_at("a/b/"));
  CHECK(d.create_dir_at("a").error() == Errno::Exist);
  CHECK(d.create_dir_at(".").error() == Errno::Exist);
  CHECK(d.remove_dir_at("a").error() == Errno::NotEmpty);
  REQUIRE(d.remove_dir_at("a/b/"));
  REQUIRE(write_file(fx.tmp / "a/f", ""));
  CHECK(d.remove_dir_at("a/f").error() == Errno::NotDir);
  CHECK(d.remove_dir_at("a/f/").error() == Errno::NotDir);
  CHECK(d.unlink_file_at("a/f/").error() == Errno::NotDir);
  CHECK(d.unlink_file_at("a").error() == Errno::IsDir);
  CHECK(d.unlink_file_at("a/").error() == Errno::IsDir);
  REQUIRE(d.unlink_file_at("a/f"));
  CHECK(d.unlink_file_at("a/f").error() == Errno::NoEnt);
  CHECK(d.remove_dir_at(".").error() == Errno::Inval);
  REQUIRE(d.remove_dir_at("a"));
  CHECK(!exists_nofollow(fx.tmp / "a"));
}

TEST_CASE("fs: rename, link, symlink, readlink", "[wasi][host][fs]") {
  Fixture fx;
  Dir& d = *fx.dir;
  REQUIRE(write_file(fx.tmp / "src", "x"));
  REQUIRE(d.create_dir_at("sub"));
  auto sub = d.open_at("sub", {});
  REQUIRE(sub);
  REQUIRE(sub->dir);

  // Across two directory capabilities.
  REQUIRE(Dir::rename(d, "src", *sub->dir, "moved"));
  CHECK(read_file(fx.tmp / "sub/moved") == "x");
  REQUIRE(Dir::rename(*sub->dir, "moved", d, "src"));

  REQUIRE(d.create_dir_at("source"));
  REQUIRE(Dir::rename(d, "source/", d, "target"));
  REQUIRE(Dir::rename(d, "target", d, "source/"));
  CHECK(Dir::rename(d, "src/", d, "other").error() == Errno::NotDir);
  REQUIRE(d.create_dir_at("nonempty"));
  REQUIRE(write_file(fx.tmp / "nonempty/f", ""));
  CHECK(Dir::rename(d, "source", d, "nonempty").error() == Errno::NotEmpty);
  CHECK(Dir::rename(d, "src", d, "nonempty").error() == Errno::IsDir);
  CHECK(Dir::rename(d, "source", d, "nonempty/f").error() == Errno::NotDir);

  REQUIRE(Dir::hard_link(d, "src", false, d, "hard"));
  CHECK(d.stat_at("hard", false)->nlink == 2);
  CHECK(Dir::hard_link(d, "src", false, d, "hard").error() == Errno::Exist);
  CHECK(Dir::hard_link(d, "src", false, d, "src").error() == Errno::Exist);
  CHECK(Dir::hard_link(d, "source", false, d, "dirlink").error() == Errno::Perm);
  CHECK(Dir::hard_link(d, "src", false, d, "newlink/").error() == Errno::NoEnt);

  REQUIRE(d.symlink_at("src", "sym"));
  CHECK(*d.read_link_at("sym") == "src");
  CHECK(d.stat_at("sym", false)->type == FileType::SymbolicLink);
  CHECK(d.stat_at("sym", true)->type == FileType::RegularFile);
  CHECK(d.read_link_at("src").error() == Errno::Inval);
  CHECK(d.symlink_at("src", "sym").error() == Errno::Exist);
  CHECK(d.symlink_at("x", "missing/").error() == Errno::NoEnt);
  CHECK(d.symlink_at("x", "source/").error() == Errno::Exist);
  CHECK(d.symlink_at("x", "src/").error() == Errno::NotDir);
  CHECK(Dir::hard_link(d, "src", false, d, "src3/").error() == Errno::NoEnt);
  // Hard link of the symlink itself vs. of its target.
  REQUIRE(Dir::hard_link(d, "sym", false, d, "sym2"));
  CHECK(d.stat_at("sym2", false)->type == FileType::SymbolicLink);
  REQUIRE(Dir::hard_link(d, "sym", true, d, "src3"));
  CHECK(d.stat_at("src3", false)->type == FileType::RegularFile);
  // A dangling symlink: lookups that follow fail, the link itself is there.
  REQUIRE(d.symlink_at("nowhere", "dangling"));
  CHECK(d.stat_at("dangling", true).error() == Errno::NoEnt);
  CHECK(d.stat_at("dangling", false));
  OpenOptions o;
  o.follow = false;
  CHECK(d.open_at("dangling", o).error() == Errno::Loop);
  // Setting the times of the link itself leaves its target alone.
  REQUIRE(d.set_times_at("sym", false, NewTime::keep(), NewTime::at(2'000'000'000)));
  CHECK(d.stat_at("sym", false)->mtim == 2'000'000'000);
  CHECK(d.stat_at("src", false)->mtim != 2'000'000'000);
  REQUIRE(d.set_times_at("sym", true, NewTime::keep(), NewTime::at(4'000'000'000)));
  CHECK(d.stat_at("src", false)->mtim == 4'000'000'000);
}

std::vector<DirEntry> read_from(Dir& d, uint64_t cookie, size_t max) {
  std::vector<DirEntry> out;
  auto r = d.read_dir(cookie, [&](const DirEntry& e) {
    out.push_back(e);
    return out.size() < max;
  });
  REQUIRE(r);
  return out;
}

TEST_CASE("fs: read_dir with cookies", "[wasi][host][fs]") {
  Fixture fx;
  Dir& d = *fx.dir;
  auto all = read_from(d, 0, 1000);
  REQUIRE(all.size() == 2);
  std::set<std::string> names;
  for (auto& e : all) {
    names.insert(e.name);
    CHECK(e.type == FileType::Directory);
  }
  CHECK(names == std::set<std::string>{".", ".."});
  for (auto& e : all) {
    if (e.name == ".") CHECK(e.ino == d.stat()->ino);
  }

  for (int i = 0; i < 100; ++i) REQUIRE(write_file(fx.tmp / ("file." + std::to_string(i)), ""));
  REQUIRE(d.create_dir_at("subdir"));
  REQUIRE(d.symlink_at("file.0", "link"));

  // Reading three at a time and resuming from the last cookie visits everything once.
  std::multiset<std::string> seen;
  uint64_t cookie = 0;
  for (;;) {
    auto chunk = read_from(d, cookie, 3);
    if (chunk.empty()) break;
    for (auto& e : chunk) seen.insert(e.name);
    cookie = chunk.back().next;
  }
  CHECK(seen.size() == 104);  // 100 files, subdir, link, ".", ".."
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 104);

  all = read_from(d, 0, 1000);
  for (auto& e : all) {
    if (e.name == "..") continue;  // above the sandbox root
    auto st = d.stat_at(e.name, false);
    REQUIRE(st);
    CHECK(st->ino == e.ino);
    CHECK(st->type == e.type);
  }
  // A cookie taken from the middle resumes right after that entry, even after removals.
  size_t mid = all.size() / 2;
  auto rest = read_from(d, all[mid].next, 1000);
  REQUIRE(!rest.empty());
  CHECK(rest.front().name == all[mid + 1].name);
  REQUIRE(d.unlink_file_at(
      all[mid].name == "subdir" || all[mid].name == "." || all[mid].name == ".." ? "file.99"
                                                                                 : all[mid].name));
  auto again = read_from(d, all[mid].next, 1000);
  REQUIRE(!again.empty());
  CHECK(again.front().name == all[mid + 1].name);
}

TEST_CASE("fs: preopen of a missing host directory fails", "[wasi][host][fs]") {
  CHECK(Dir::open_host("/nonexistent/zinc/dir").error() == Errno::NoEnt);
  TempDir tmp;
  REQUIRE(write_file(tmp / "f", ""));
  CHECK(Dir::open_host(tmp / "f").error() == Errno::NotDir);
}

}  // namespace
}  // namespace zinc::wasi::host

// tests/wasi/host_test_util.h: scratch directories for the wasi/host tests.
//
// TempDir creates a fresh directory under /tmp and removes it (recursively, without following
// symlinks) when destroyed, so sandbox-escape tests can check that nothing outside the sandbox
// was touched.
#pragma once

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "wasi/host/errno.h"

namespace zinc::wasi::host::testing {

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/zinc-wasi-test-XXXXXX";
    const char* p = ::mkdtemp(tmpl);
    path_ = p ? p : "";
  }
  ~TempDir() {
    if (!path_.empty()) {
      ::nftw(
          path_.c_str(),
          [](const char* fpath, const struct stat*, int, struct FTW*) { return ::remove(fpath); },
          64, FTW_DEPTH | FTW_PHYS);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

inline bool write_file(const std::string& path, const std::string& contents) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(contents.data(), 1, contents.size(), f) == contents.size();
  return std::fclose(f) == 0 && ok;
}

inline std::string read_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return "<missing>";
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
  std::fclose(f);
  return out;
}

inline bool exists_nofollow(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

inline bool make_dir(const std::string& path) {
  return ::mkdir(path.c_str(), 0755) == 0;
}

inline bool make_symlink(const std::string& target, const std::string& path) {
  return ::symlink(target.c_str(), path.c_str()) == 0;
}

}  // namespace zinc::wasi::host::testing

namespace Catch {
template <>
struct StringMaker<zinc::wasi::host::Errno> {
  static std::string convert(zinc::wasi::host::Errno e) {
    return std::string(zinc::wasi::host::errno_name(e));
  }
};
}  // namespace Catch

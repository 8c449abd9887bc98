// tests/wasi/guest/sandbox_escape.c: a hostile WASI guest for the sandbox test (issue 5).
//
// Run with its sandbox preopened as "/sandbox" (and nothing else). argv[1] is a path outside
// the sandbox (e.g. a secret file next to it) that the guest knows about; the checker plants a
// symlink `sandbox/link-out` pointing outside, `sandbox/link-abs` with an absolute target,
// `sandbox/chain1 -> chain2 -> ../..` and a directory `sandbox/sub`.
// Every attempt must fail; the program prints one line per attempt ("ok NAME" when blocked,
// "ESCAPED NAME" when it read, wrote or created something) and exits 0 only if all were
// blocked. The checker also verifies nothing outside the sandbox changed.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int escaped = 0;

static void expect_blocked(const char* name, int result) {
  if (result < 0) {
    printf("ok %s (errno %d)\n", name, errno);
  } else {
    printf("ESCAPED %s\n", name);
    escaped = 1;
  }
}

static int try_read(const char* path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  char buf[16];
  ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  return n >= 0 ? 0 : -1;
}

static int try_create(const char* path) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  ssize_t n = write(fd, "pwned", 5);
  close(fd);
  return n >= 0 ? 0 : -1;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: sandbox_escape OUTSIDE_PATH\n");
    return 2;
  }
  const char* outside = argv[1];
  char path[512];

  // Reading: absolute host path, dot-dot climbs, through symlinks.
  expect_blocked("read absolute host path", try_read(outside));
  expect_blocked("read /etc/passwd", try_read("/etc/passwd"));
  expect_blocked("read ../secret", try_read("/sandbox/../secret"));
  expect_blocked("read sub/../../secret", try_read("/sandbox/sub/../../secret"));
  expect_blocked("read via relative symlink", try_read("/sandbox/link-out"));
  expect_blocked("read via absolute symlink", try_read("/sandbox/link-abs"));
  expect_blocked("read via symlink chain", try_read("/sandbox/chain1/secret"));
  expect_blocked("read trailing slash on file", try_read("/sandbox/inside.txt/"));
  expect_blocked("read via symlink + trailing slash", try_read("/sandbox/link-out/"));

  // Writing and creating outside.
  expect_blocked("create ../created", try_create("/sandbox/../created"));
  expect_blocked("create via symlink dir", try_create("/sandbox/chain1/created"));
  expect_blocked("write via relative symlink", try_create("/sandbox/link-out"));
  expect_blocked("mkdir ../made", mkdir("/sandbox/../made", 0755));
  snprintf(path, sizeof path, "/sandbox/sub/../../created2");
  expect_blocked("create sub/../../created2", try_create(path));

  // Links, renames and removals reaching outside.
  expect_blocked("hard link to outside", link("/sandbox/../secret", "/sandbox/hard"));
  expect_blocked("rename into outside", rename("/sandbox/inside.txt", "/sandbox/../moved"));
  expect_blocked("unlink outside", unlink("/sandbox/../secret"));
  expect_blocked("rmdir outside", rmdir("/sandbox/.."));
  expect_blocked("stat outside", ({ struct stat st; stat("/sandbox/../secret", &st); }));
  expect_blocked("opendir ..", ({ DIR* d = opendir("/sandbox/.."); d ? (closedir(d), 0) : -1; }));

  // A symlink the guest creates may name anything, but following it must stay inside.
  symlink("../../../../../../etc", "/sandbox/made-link");
  expect_blocked("read via guest-made symlink", try_read("/sandbox/made-link/passwd"));

  // Inside the sandbox everything works (the test is not vacuous).
  if (try_read("/sandbox/inside.txt") != 0 || try_create("/sandbox/sub/new.txt") != 0) {
    printf("FAILED inside access\n");
    return 3;
  }
  printf("ok inside access works\n");
  return escaped ? 1 : 0;
}

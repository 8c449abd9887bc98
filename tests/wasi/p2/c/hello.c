// tests/wasi/p2/c/hello.c: a small WASI command program in C (clang-19 + wasi-libc, a
// wasm32-wasip1 module made a Preview 2 command component by jco's command adapter) that
// exercises the command world: its arguments, its environment, a file in the preopened
// directory /data (reads input.txt, writes output.txt, lists the folder), stdin with
// `--stdin`, stderr, and its exit status (`--fail`: exit(3), which the adapter reports as
// wasi:cli/exit's error, so the host's status is 1). Everything it prints is deterministic,
// so tests/wasi/p2/check_commands.py can compare Zinc's output with Node's byte for byte.
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

static int compare_names(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

// Prints the contents of /data/input.txt and writes them, upper-cased, to /data/output.txt.
static void use_data_dir(void) {
  FILE* in = fopen("/data/input.txt", "r");
  if (!in) {
    printf("open /data/input.txt: %s\n", strerror(errno));
    return;
  }
  char text[4096];
  size_t n = fread(text, 1, sizeof(text) - 1, in);
  text[n] = '\0';
  fclose(in);
  printf("input.txt (%zu bytes): %s", n, text);
  for (size_t i = 0; i < n; i++) {
    if (text[i] >= 'a' && text[i] <= 'z') text[i] = (char)(text[i] - 'a' + 'A');
  }
  FILE* out = fopen("/data/output.txt", "w");
  if (!out || fwrite(text, 1, n, out) != n || fclose(out) != 0) {
    printf("write /data/output.txt: %s\n", strerror(errno));
  }
  DIR* dir = opendir("/data");
  if (!dir) {
    printf("opendir /data: %s\n", strerror(errno));
    return;
  }
  char* names[64];
  size_t count = 0;
  for (struct dirent* e; (e = readdir(dir)) != NULL && count < 64;) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      names[count++] = strdup(e->d_name);
    }
  }
  closedir(dir);
  qsort(names, count, sizeof(names[0]), compare_names);
  for (size_t i = 0; i < count; i++) {
    printf("entry %s\n", names[i]);
    free(names[i]);
  }
}

int main(int argc, char** argv) {
  int fail = 0;
  int read_stdin = 0;
  printf("argc %d\n", argc);
  for (int i = 1; i < argc; i++) {
    printf("arg %d: %s\n", i, argv[i]);
    if (strcmp(argv[i], "--fail") == 0) fail = 1;
    if (strcmp(argv[i], "--stdin") == 0) read_stdin = 1;
  }
  for (char** e = environ; *e; e++) printf("env %s\n", *e);
  use_data_dir();
  if (read_stdin) {
    char line[256];
    while (fgets(line, sizeof(line), stdin)) printf("stdin: %s", line);
    printf("stdin: end\n");
  }
  fprintf(stderr, "hello.c: %d arguments to stderr\n", argc - 1);
  fflush(stdout);
  return fail ? 3 : 0;
}

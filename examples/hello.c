// examples/hello.c: the bundled example program for the quick start.
//
// A small WASI (preview 1) command: greets its first argument (or "world") and prints a few
// Fibonacci numbers, so it exercises imports (fd_write, args), memory, data and a loop.
// Rebuild hello.wasm with `bash examples/build.sh` (clang-19 + wasi-libc, Debian packages).
#include <stdio.h>

static unsigned long long fib(unsigned n) {
  unsigned long long a = 0, b = 1;
  for (unsigned i = 0; i < n; ++i) {
    unsigned long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}

int main(int argc, char** argv) {
  const char* who = argc > 1 ? argv[1] : "world";
  printf("Hello, %s!\n", who);
  for (unsigned n = 10; n <= 50; n += 10) printf("fib(%u) = %llu\n", n, fib(n));
  return 0;
}

/* hello: the tiny start-up module. Prints one line (WASI build) or returns 42 (no-import
 * build); bench/run times whole processes running it to show start-up cost. */
#ifdef BENCH_NOLIBC
__attribute__((export_name("run"))) long long run(void) {
  return 42;
}
#else
#include <stdio.h>
int main(void) {
  puts("hello");
  return 0;
}
#endif

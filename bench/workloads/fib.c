/* fib: recursive calls. Doubly recursive Fibonacci, so the time is almost all call and return
 * overhead (argument passing, frame set-up, a compare and a branch per call). */
#include "bench.h"

/* Read through a volatile so the compiler cannot fold the computation. */
static volatile int fib_n = BENCH_SIZE(39, 33);
static volatile int tak_x = BENCH_SIZE(26, 22), tak_y = BENCH_SIZE(18, 16),
                    tak_z = BENCH_SIZE(9, 8);

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

/* A second recursion shape: Takeuchi's function, three arguments and nested calls. */
__attribute__((noinline)) static int tak(int x, int y, int z) {
  if (y >= x) return z;
  return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y));
}

static uint64_t workload(void) {
  uint64_t h = 0;
  h = mix(h, fib((uint32_t)fib_n));
  h = mix(h, (uint64_t)tak(tak_x, tak_y, tak_z));
  return h;
}

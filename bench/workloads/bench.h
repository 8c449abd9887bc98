/* bench/workloads/bench.h: the harness shared by every workload.
 *
 * A workload defines `static uint64_t workload(void)`, which computes a checksum without any
 * libc call (only the freestanding helpers below and compiler builtins; with -mbulk-memory,
 * __builtin_memcpy/memset become memory.copy/memory.fill in wasm). This header adds the entry
 * points of the three builds made by bench/build.sh:
 *   - BENCH_NOLIBC (wasm32, no imports): an exported `run()` returning the checksum as i64,
 *     for wabt's wasm-interp and `zinc run --invoke run`;
 *   - otherwise (wasm32-wasi and native x86-64): `main` printing "checksum: N"; the wasm32-wasi
 *     build also exports an empty `bench_empty` so Wasmtime-through-wizer can be timed with
 *     and without the work (bench/README.md).
 * Checksums are masked to 63 bits so that signed and unsigned printers agree.
 * Sizes: BENCH_QUICK selects the small sizes of `bench/run --quick`.
 */
#ifndef BENCH_WORKLOADS_BENCH_H_
#define BENCH_WORKLOADS_BENCH_H_

#include <stddef.h>
#include <stdint.h>

#ifdef BENCH_QUICK
#define BENCH_SIZE(full, quick) (quick)
#else
#define BENCH_SIZE(full, quick) (full)
#endif

/* Deterministic pseudo-random numbers (xorshift64*), identical on every target. */
typedef struct {
  uint64_t s;
} Rng;

static inline uint64_t rng_next(Rng* r) {
  uint64_t x = r->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  r->s = x;
  return x * 0x2545F4914F6CDD1DULL;
}

static inline uint32_t rng_u32(Rng* r) {
  return (uint32_t)(rng_next(r) >> 32);
}

/* Mixes a value into a running checksum (order-sensitive). */
static inline uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
  return h;
}

static inline uint64_t f64_bits(double d) {
  uint64_t u;
  __builtin_memcpy(&u, &d, sizeof u);
  return u;
}

static inline uint32_t f32_bits(float f) {
  uint32_t u;
  __builtin_memcpy(&u, &f, sizeof u);
  return u;
}

static uint64_t workload(void);

#ifdef BENCH_NOLIBC

__attribute__((export_name("run"))) int64_t run(void) {
  return (int64_t)(workload() & 0x7FFFFFFFFFFFFFFFULL);
}

#else

#include <stdio.h>

#ifdef __wasm__
__attribute__((export_name("bench_empty"))) void bench_empty(void) {}
#endif

int main(void) {
  unsigned long long sum = workload() & 0x7FFFFFFFFFFFFFFFULL;
  printf("checksum: %llu\n", sum);
  return 0;
}

#endif

#endif /* BENCH_WORKLOADS_BENCH_H_ */

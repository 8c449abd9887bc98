/* matmul: dense linear algebra. C = A * B for f64 matrices (i-k-j loop order, so the inner
 * loop streams rows), then an i32 matrix product with a transposed operand; checksums over
 * the result bits. */
#include "bench.h"

#define MM_N BENCH_SIZE(300, 120)
#define MM_REPS BENCH_SIZE(12, 12)

static double fa[MM_N][MM_N], fb[MM_N][MM_N], fc[MM_N][MM_N];
static int32_t ia[MM_N][MM_N], ibt[MM_N][MM_N], ic[MM_N][MM_N];

static void fill(uint64_t seed) {
  Rng rng = {seed};
  for (int i = 0; i < MM_N; i++)
    for (int j = 0; j < MM_N; j++) {
      fa[i][j] = (double)(int32_t)(rng_u32(&rng) % 2001 - 1000) / 256.0;
      fb[i][j] = (double)(int32_t)(rng_u32(&rng) % 2001 - 1000) / 512.0;
      ia[i][j] = (int32_t)(rng_u32(&rng) % 201) - 100;
      ibt[i][j] = (int32_t)(rng_u32(&rng) % 201) - 100;
    }
}

static void matmul_f64(void) {
  for (int i = 0; i < MM_N; i++) {
    for (int j = 0; j < MM_N; j++) fc[i][j] = 0;
    for (int k = 0; k < MM_N; k++) {
      double a = fa[i][k];
      for (int j = 0; j < MM_N; j++) fc[i][j] += a * fb[k][j];
    }
  }
}

static void matmul_i32(void) {
  for (int i = 0; i < MM_N; i++)
    for (int j = 0; j < MM_N; j++) {
      int32_t s = 0;
      for (int k = 0; k < MM_N; k++) s += ia[i][k] * ibt[j][k];
      ic[i][j] = s;
    }
}

static uint64_t workload(void) {
  uint64_t h = 0;
  for (int r = 0; r < MM_REPS; r++) {
    fill(0xC0FFEEULL + (uint64_t)r);
    matmul_f64();
    matmul_i32();
    for (int i = 0; i < MM_N; i++) {
      double row = 0;
      for (int j = 0; j < MM_N; j++) row += fc[i][j];
      h = mix(h, f64_bits(row));
      h = mix(h, (uint32_t)ic[i][(i * 7) % MM_N]);
    }
  }
  return h;
}

/* memops: memcpy/memset/memmove-heavy code, as guests that shuffle buffers do. Copies of
 * every size from a few bytes (struct copies) to 256 KiB blocks, overlapping moves, fills,
 * and a byte-wise compare; in wasm (-mbulk-memory) the builtins become memory.copy and
 * memory.fill. */
#include "bench.h"

#define MEM_ARENA (4u << 20)
#define MEM_ROUNDS BENCH_SIZE(40, 3)
#define MEM_SMALL_OPS BENCH_SIZE(8000000, 500000)

static uint8_t arena[MEM_ARENA];
static uint8_t scratch[MEM_ARENA];

typedef struct {
  uint32_t id;
  uint16_t kind, flags;
  uint64_t payload[5];
} Record; /* 48 bytes: copied as a whole */

static Record records[4096];

/* Byte compare written out (no libc memcmp). */
static int compare_bytes(const uint8_t* a, const uint8_t* b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

static uint64_t sample(const uint8_t* p, uint32_t n) {
  uint64_t h = 0;
  for (uint32_t i = 0; i < n; i += 4093) h = h * 31 + p[i];
  return h;
}

static uint64_t workload(void) {
  Rng rng = {7};
  for (uint32_t i = 0; i < MEM_ARENA; i += 8) {
    uint64_t v = rng_next(&rng);
    __builtin_memcpy(arena + i, &v, 8);
  }
  uint64_t h = 0;
  /* Large blocks: whole-buffer copies, fills and overlapping moves. */
  for (int r = 0; r < MEM_ROUNDS; r++) {
    __builtin_memcpy(scratch, arena, MEM_ARENA);
    for (uint32_t off = 0; off + (256u << 10) <= MEM_ARENA; off += 256u << 10) {
      __builtin_memmove(scratch + off + 1 + (uint32_t)r, scratch + off, (256u << 10) - 64);
      __builtin_memset(scratch + off + 4096, r & 0xff, 1000 + (uint32_t)r);
    }
    __builtin_memmove(arena + 3, arena + 1000, MEM_ARENA - 1000);
    h = mix(h, sample(scratch, MEM_ARENA));
    h = mix(h, (uint64_t)(compare_bytes(scratch + 4096, arena + 4096, 65536) + 2));
  }
  /* Small copies of varying sizes and record copies. */
  for (uint32_t i = 0; i < 4096; i++) {
    records[i].id = i;
    records[i].kind = (uint16_t)(i * 7);
    records[i].flags = (uint16_t)i;
    for (int k = 0; k < 5; k++) records[i].payload[k] = rng_next(&rng);
  }
  for (uint32_t i = 0; i < MEM_SMALL_OPS; i++) {
    uint32_t x = rng_u32(&rng);
    uint32_t len = (x & 127) + 1;
    uint32_t src = (x >> 7) & (MEM_ARENA / 2 - 1);
    uint32_t dst = ((x >> 9) ^ i) & (MEM_ARENA / 2 - 1);
    __builtin_memcpy(scratch + dst, arena + src, len);
    if ((i & 3) == 0) __builtin_memset(scratch + src, (int)i & 0xff, len >> 1);
    Record tmp = records[x & 4095];
    tmp.payload[i % 5] ^= i;
    records[(x >> 12) & 4095] = tmp;
  }
  h = mix(h, sample(scratch, MEM_ARENA));
  for (uint32_t i = 0; i < 4096; i += 17) h = mix(h, records[i].payload[i % 5] ^ records[i].id);
  return h;
}

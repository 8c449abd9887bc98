/* sort: sorting through comparator function pointers (indirect calls), as qsort does. A
 * qsort-style generic quicksort (median of three, insertion sort for short runs, byte-wise
 * element swaps) sorts records by several keys, each comparator reached by call_indirect. */
#include "bench.h"

#define SORT_N BENCH_SIZE(200000, 28000)
#define SORT_ROUNDS BENCH_SIZE(2, 1)

typedef int (*Compare)(const void*, const void*);

typedef struct {
  uint32_t key;
  int32_t score;
  double weight;
  char name[8];
} Item; /* 24 bytes */

static Item items[SORT_N];
static uint32_t words[SORT_N];

static void swap_bytes(uint8_t* a, uint8_t* b, size_t size) {
  for (size_t i = 0; i < size; i++) {
    uint8_t t = a[i];
    a[i] = b[i];
    b[i] = t;
  }
}

/* Sorts n elements of `size` bytes (at most 64). */
static void generic_sort(void* base, size_t n, size_t size, Compare cmp) {
  uint8_t* b = (uint8_t*)base;
  uint8_t pivot[64];
  while (n > 12) {
    uint8_t* lo = b;
    uint8_t* mid = b + (n / 2) * size;
    uint8_t* hi = b + (n - 1) * size;
    /* Median of three: afterwards *lo <= *mid <= *hi, so lo and hi are sentinels. */
    if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
    if (cmp(hi, mid) < 0) {
      swap_bytes(hi, mid, size);
      if (cmp(mid, lo) < 0) swap_bytes(mid, lo, size);
    }
    __builtin_memcpy(pivot, mid, size);
    /* Hoare partition of (lo, hi): [b, i) <= pivot <= [i, hi], both parts non-empty. */
    uint8_t* i = lo;
    uint8_t* j = hi;
    for (;;) {
      do i += size;
      while (cmp(i, pivot) < 0);
      do j -= size;
      while (cmp(pivot, j) < 0);
      if (i >= j) break;
      swap_bytes(i, j, size);
    }
    /* Recurse into the smaller part, loop on the larger. */
    size_t left = (size_t)(i - b) / size;
    size_t right = n - left;
    if (left < right) {
      generic_sort(b, left, size, cmp);
      b = i;
      n = right;
    } else {
      generic_sort(i, right, size, cmp);
      n = left;
    }
  }
  for (size_t k = 1; k < n; k++)
    for (uint8_t* p = b + k * size; p > b && cmp(p, p - size) < 0; p -= size)
      swap_bytes(p, p - size, size);
}

static int by_key(const void* a, const void* b) {
  uint32_t x = ((const Item*)a)->key, y = ((const Item*)b)->key;
  return (x > y) - (x < y);
}
static int by_score_then_key(const void* a, const void* b) {
  const Item* x = (const Item*)a;
  const Item* y = (const Item*)b;
  if (x->score != y->score) return x->score < y->score ? -1 : 1;
  return by_key(a, b);
}
static int by_weight(const void* a, const void* b) {
  double x = ((const Item*)a)->weight, y = ((const Item*)b)->weight;
  return (x > y) - (x < y);
}
static int by_name(const void* a, const void* b) {
  const char* x = ((const Item*)a)->name;
  const char* y = ((const Item*)b)->name;
  for (int i = 0; i < 8; i++)
    if (x[i] != y[i]) return (unsigned char)x[i] < (unsigned char)y[i] ? -1 : 1;
  return by_key(a, b);
}
static int u32_desc(const void* a, const void* b) {
  uint32_t x = *(const uint32_t*)a, y = *(const uint32_t*)b;
  return (x < y) - (x > y);
}

static Compare comparators[4] = {by_key, by_score_then_key, by_weight, by_name};

static uint64_t workload(void) {
  Rng rng = {99};
  uint64_t h = 0;
  for (int round = 0; round < SORT_ROUNDS; round++) {
    for (uint32_t i = 0; i < SORT_N; i++) {
      uint64_t r = rng_next(&rng);
      items[i].key = (uint32_t)r;
      items[i].score = (int32_t)(r >> 32) % 1000;
      items[i].weight = (double)(r >> 40) / 4096.0;
      for (int k = 0; k < 7; k++) items[i].name[k] = (char)('a' + (r >> (5 * k)) % 26);
      items[i].name[7] = 0;
      words[i] = rng_u32(&rng) % 100000;
    }
    for (int c = 0; c < 4; c++) {
      generic_sort(items, SORT_N, sizeof(Item), comparators[(c + round) & 3]);
      for (uint32_t i = 0; i < SORT_N; i += 997) h = mix(h, items[i].key);
    }
    generic_sort(words, SORT_N, sizeof(uint32_t), u32_desc);
    for (uint32_t i = 1; i < SORT_N; i++) h += words[i] > words[i - 1]; /* 0 if sorted */
    h = mix(h, words[SORT_N / 3]);
  }
  return h;
}

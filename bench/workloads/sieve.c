/* sieve: bit manipulation. A bit-array sieve of Eratosthenes, then popcount, bit reversal
 * and rotate/shift mixes over the bit set, all on 64-bit words. */
#include "bench.h"

#define SIEVE_LIMIT BENCH_SIZE(60000000u, 4000000u)
#define SIEVE_WORDS ((SIEVE_LIMIT / 2 + 63) / 64)
#define SIEVE_ROUNDS BENCH_SIZE(2, 2)

static uint64_t bits[SIEVE_WORDS]; /* bit i set: 2*i+1 is composite */

static inline uint64_t reverse_bits(uint64_t x) {
  x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
  x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
  x = ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
  x = ((x >> 8) & 0x00FF00FF00FF00FFULL) | ((x & 0x00FF00FF00FF00FFULL) << 8);
  x = ((x >> 16) & 0x0000FFFF0000FFFFULL) | ((x & 0x0000FFFF0000FFFFULL) << 16);
  return (x >> 32) | (x << 32);
}

static uint64_t sieve(uint32_t limit) {
  uint32_t words = (limit / 2 + 63) / 64;
  for (uint32_t i = 0; i < words; i++) bits[i] = 0;
  for (uint32_t p = 3; (uint64_t)p * p < limit; p += 2) {
    uint32_t pi = p / 2;
    if (bits[pi >> 6] & (1ULL << (pi & 63))) continue;
    for (uint32_t m = (p * p) / 2; m < limit / 2; m += p) bits[m >> 6] |= 1ULL << (m & 63);
  }
  /* Count primes (1 is not; 2 is) and fold the bit pattern into a hash. */
  uint64_t composite = 0, h = 0;
  for (uint32_t i = 0; i < words; i++) {
    uint64_t w = bits[i];
    composite += (uint64_t)__builtin_popcountll(w);
    uint64_t r = reverse_bits(w);
    h = (h << 7 | h >> 57) ^ r ^ (w >> (i & 31));
    if (w != ~0ULL) h += (uint64_t)__builtin_ctzll(~w) * (uint64_t)__builtin_clzll(w | 1);
  }
  /* Odd numbers below limit, minus the composite ones, minus 1 (not prime), plus 2. */
  uint64_t primes = limit / 2 - composite;
  return mix(h, primes);
}

static uint64_t workload(void) {
  uint64_t h = 0;
  for (int r = 0; r < SIEVE_ROUNDS; r++) h = mix(h, sieve(SIEVE_LIMIT - (uint32_t)r * 1000));
  return h;
}

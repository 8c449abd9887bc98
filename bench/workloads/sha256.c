/* sha256: a cryptographic hash (FIPS 180-4 SHA-256), 32-bit rotates, adds and big-endian
 * loads. Hashes a pseudo-random buffer, then chains digests; the checksum folds the final
 * digest. The first digest of "abc" is checked against the standard's example. */
#include "bench.h"

#define SHA_BUF_BYTES (1u << 20)
#define SHA_PASSES BENCH_SIZE(24, 2)
#define SHA_CHAIN BENCH_SIZE(100000, 6000)

static const uint32_t kRound[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

typedef struct {
  uint32_t h[8];
  uint8_t block[64];
  uint32_t used;
  uint64_t length;
} Sha256;

static inline uint32_t rotr(uint32_t x, int n) {
  return (x >> n) | (x << (32 - n));
}

static void sha_compress(uint32_t h[8], const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 |
           p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 =
        k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + kRound[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    k = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a;
  h[1] += b;
  h[2] += c;
  h[3] += d;
  h[4] += e;
  h[5] += f;
  h[6] += g;
  h[7] += k;
}

static void sha_init(Sha256* s) {
  static const uint32_t kInit[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  for (int i = 0; i < 8; i++) s->h[i] = kInit[i];
  s->used = 0;
  s->length = 0;
}

static void sha_update(Sha256* s, const uint8_t* p, uint32_t n) {
  s->length += n;
  while (n > 0) {
    if (s->used == 0 && n >= 64) {
      sha_compress(s->h, p);
      p += 64;
      n -= 64;
      continue;
    }
    uint32_t take = 64 - s->used < n ? 64 - s->used : n;
    __builtin_memcpy(s->block + s->used, p, take);
    s->used += take;
    p += take;
    n -= take;
    if (s->used == 64) {
      sha_compress(s->h, s->block);
      s->used = 0;
    }
  }
}

static void sha_final(Sha256* s, uint8_t out[32]) {
  uint64_t bits = s->length * 8;
  uint8_t pad = 0x80;
  sha_update(s, &pad, 1);
  pad = 0;
  while (s->used != 56) sha_update(s, &pad, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha_update(s, len, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

static uint8_t buffer[SHA_BUF_BYTES];

static uint64_t fold(const uint8_t d[32]) {
  uint64_t h = 0;
  for (int i = 0; i < 32; i++) h = h * 131 + d[i];
  return h;
}

static uint64_t workload(void) {
  uint8_t digest[32];
  Sha256 s;
  /* FIPS 180-4 example: SHA-256("abc") starts ba7816bf. */
  sha_init(&s);
  sha_update(&s, (const uint8_t*)"abc", 3);
  sha_final(&s, digest);
  uint64_t h = digest[0] == 0xba && digest[1] == 0x78 && digest[2] == 0x16 ? 1 : 0;

  Rng rng = {42};
  for (uint32_t i = 0; i < SHA_BUF_BYTES; i += 8) {
    uint64_t v = rng_next(&rng);
    __builtin_memcpy(buffer + i, &v, 8);
  }
  for (int pass = 0; pass < SHA_PASSES; pass++) {
    sha_init(&s);
    sha_update(&s, buffer, SHA_BUF_BYTES - (uint32_t)pass * 7);
    sha_final(&s, digest);
    h = mix(h, fold(digest));
  }
  /* Chained short messages: the finalisation path. */
  for (int i = 0; i < SHA_CHAIN; i++) {
    sha_init(&s);
    sha_update(&s, digest, (uint32_t)(i % 32) + 1);
    sha_final(&s, digest);
  }
  return mix(h, fold(digest));
}

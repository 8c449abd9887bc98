/* lz: byte-oriented compression, the branchy load/store-heavy code of codecs. An LZ77
 * compressor with a hash table of recent positions (greedy matching, literal runs and
 * back-references in a simple varint format) and its decompressor; the round trip is checked
 * and the checksum covers the compressed size and bytes. */
#include "bench.h"

#define LZ_INPUT (1u << 20)
#define LZ_ROUNDS BENCH_SIZE(24, 2)
#define LZ_HASH_BITS 14
#define LZ_MIN_MATCH 4
#define LZ_WINDOW 65535

static uint8_t input[LZ_INPUT];
static uint8_t packed[LZ_INPUT + LZ_INPUT / 8 + 64];
static uint8_t output[LZ_INPUT];
static uint32_t head_pos[1 << LZ_HASH_BITS];

static inline uint32_t load32(const uint8_t* p) {
  uint32_t v;
  __builtin_memcpy(&v, p, 4);
  return v;
}
static inline uint32_t hash4(uint32_t v) {
  return (v * 2654435761u) >> (32 - LZ_HASH_BITS);
}

static uint8_t* put_varint(uint8_t* out, uint32_t v) {
  while (v >= 0x80) {
    *out++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *out++ = (uint8_t)v;
  return out;
}
static const uint8_t* get_varint(const uint8_t* in, uint32_t* v) {
  uint32_t r = 0;
  int shift = 0;
  while (*in & 0x80) {
    r |= (uint32_t)(*in++ & 0x7f) << shift;
    shift += 7;
  }
  *v = r | (uint32_t)*in++ << shift;
  return in;
}

/* Token: varint (literal_count << 1 | has_match), literals, then varint length and offset. */
static uint32_t compress(const uint8_t* in, uint32_t n, uint8_t* out0) {
  uint8_t* out = out0;
  for (uint32_t i = 0; i < (1u << LZ_HASH_BITS); i++) head_pos[i] = 0xFFFFFFFFu;
  uint32_t lit_start = 0, i = 0;
  while (i + LZ_MIN_MATCH <= n) {
    uint32_t v = load32(in + i);
    uint32_t hsh = hash4(v);
    uint32_t cand = head_pos[hsh];
    head_pos[hsh] = i;
    if (cand != 0xFFFFFFFFu && i - cand <= LZ_WINDOW && load32(in + cand) == v) {
      uint32_t len = LZ_MIN_MATCH;
      while (i + len < n && in[cand + len] == in[i + len] && len < 4096) len++;
      uint32_t lits = i - lit_start;
      out = put_varint(out, lits << 1 | 1);
      for (uint32_t k = 0; k < lits; k++) *out++ = in[lit_start + k];
      out = put_varint(out, len - LZ_MIN_MATCH);
      out = put_varint(out, i - cand);
      for (uint32_t k = 1; k < len && i + k + LZ_MIN_MATCH <= n; k += 3)
        head_pos[hash4(load32(in + i + k))] = i + k;
      i += len;
      lit_start = i;
    } else {
      i++;
    }
  }
  uint32_t lits = n - lit_start;
  out = put_varint(out, lits << 1);
  for (uint32_t k = 0; k < lits; k++) *out++ = in[lit_start + k];
  return (uint32_t)(out - out0);
}

static uint32_t decompress(const uint8_t* in, uint32_t n, uint8_t* out0) {
  const uint8_t* end = in + n;
  uint8_t* out = out0;
  while (in < end) {
    uint32_t tok;
    in = get_varint(in, &tok);
    uint32_t lits = tok >> 1;
    for (uint32_t k = 0; k < lits; k++) *out++ = *in++;
    if (tok & 1) {
      uint32_t len, off;
      in = get_varint(in, &len);
      in = get_varint(in, &off);
      len += LZ_MIN_MATCH;
      const uint8_t* src = out - off;
      for (uint32_t k = 0; k < len; k++) out[k] = src[k]; /* may overlap: byte by byte */
      out += len;
    }
  }
  return (uint32_t)(out - out0);
}

/* Compressible input: words from a small vocabulary, runs and noise. */
static void make_input(Rng* rng) {
  static const char* const kWords[12] = {"the ",    "wasm ",  "engine ",  "zinc ",
                                         "module ", "func ",  "i32.add ", "local.get ",
                                         "memory ", "table ", "\n",       "0x1f2e "};
  uint32_t at = 0;
  while (at < LZ_INPUT) {
    uint32_t r = rng_u32(rng);
    if ((r & 31) == 0) {
      uint32_t run = (r >> 8) % 40;
      while (run-- && at < LZ_INPUT) input[at++] = (uint8_t)(r >> 16);
    } else if ((r & 31) == 1) {
      input[at++] = (uint8_t)(r >> 24);
    } else {
      for (const char* w = kWords[(r >> 5) % 12]; *w && at < LZ_INPUT; w++)
        input[at++] = (uint8_t)*w;
    }
  }
}

static uint64_t workload(void) {
  Rng rng = {314159};
  uint64_t h = 0;
  for (int r = 0; r < LZ_ROUNDS; r++) {
    make_input(&rng);
    uint32_t size = compress(input, LZ_INPUT, packed);
    uint32_t back = decompress(packed, size, output);
    uint32_t bad = back != LZ_INPUT;
    for (uint32_t i = 0; i < LZ_INPUT; i++) bad += output[i] != input[i];
    h = mix(h, size);
    h = mix(h, bad);
    for (uint32_t i = 0; i < size; i += 251) h = mix(h, packed[i]);
  }
  return h;
}

/* strings: string processing. Generates text of pseudo-random words, then tokenises it,
 * counts word frequencies in a chained hash table (string hashing and comparison), searches
 * for substrings, parses and formats decimal numbers and reverses words in place. Everything
 * is NUL-terminated C strings handled by hand-written helpers. */
#include "bench.h"

#define TEXT_BYTES BENCH_SIZE((6u << 20), (3u << 18))
#define STR_ROUNDS BENCH_SIZE(2, 1)
#define TABLE_BITS 16

static char text[TEXT_BYTES + 64];
static char copy[TEXT_BYTES + 64];

typedef struct {
  const char* word;
  uint32_t len;
  uint32_t count;
  int32_t next;
} Entry;

static Entry entries[1 << TABLE_BITS];
static int32_t buckets[1 << TABLE_BITS];
static int32_t entry_count;

static uint32_t str_len(const char* s) {
  const char* p = s;
  while (*p) p++;
  return (uint32_t)(p - s);
}

static int str_ncmp(const char* a, const char* b, uint32_t n) {
  for (uint32_t i = 0; i < n; i++) {
    if (a[i] != b[i]) return (unsigned char)a[i] - (unsigned char)b[i];
    if (!a[i]) return 0;
  }
  return 0;
}

static uint32_t hash_word(const char* s, uint32_t n) {
  uint32_t h = 2166136261u;
  for (uint32_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return h;
}

static void count_word(const char* w, uint32_t n) {
  uint32_t b = hash_word(w, n) & ((1 << TABLE_BITS) - 1);
  for (int32_t e = buckets[b]; e >= 0; e = entries[e].next)
    if (entries[e].len == n && str_ncmp(entries[e].word, w, n) == 0) {
      entries[e].count++;
      return;
    }
  if (entry_count == (1 << TABLE_BITS)) return;
  Entry* e = &entries[entry_count];
  e->word = w;
  e->len = n;
  e->count = 1;
  e->next = buckets[b];
  buckets[b] = entry_count++;
}

/* Writes the decimal form of v; returns its length. */
static uint32_t format_u32(char* out, uint32_t v) {
  char tmp[12];
  uint32_t n = 0;
  do {
    tmp[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (uint32_t i = 0; i < n; i++) out[i] = tmp[n - 1 - i];
  out[n] = 0;
  return n;
}

static uint32_t parse_u32(const char* s, const char** end) {
  uint32_t v = 0;
  while (*s >= '0' && *s <= '9') v = v * 10 + (uint32_t)(*s++ - '0');
  *end = s;
  return v;
}

static uint32_t count_occurrences(const char* hay, const char* needle) {
  uint32_t n = str_len(needle), count = 0;
  for (const char* p = hay; *p; p++)
    if (*p == needle[0] && str_ncmp(p, needle, n) == 0) count++;
  return count;
}

static void generate(Rng* rng) {
  static const char* const kSyllables[16] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa", "ti", "vo",
                                             "zen", "qua", "bri", "dol", "fer", "gu", "hy", "ix"};
  uint32_t at = 0;
  while (at < TEXT_BYTES - 32) {
    uint32_t r = rng_u32(rng);
    if ((r & 15) == 0) {
      at += format_u32(text + at, r >> 12);
    } else {
      uint32_t parts = 1 + (r >> 4) % 3;
      for (uint32_t k = 0; k < parts; k++) {
        const char* s = kSyllables[(r >> (8 + 4 * k)) & 15];
        while (*s) text[at++] = *s++;
      }
    }
    text[at++] = (r >> 28) == 0 ? '\n' : ' ';
  }
  text[at] = 0;
}

static uint64_t workload(void) {
  Rng rng = {2024};
  uint64_t h = 0;
  for (int round = 0; round < STR_ROUNDS; round++) {
    generate(&rng);
    entry_count = 0;
    for (int i = 0; i < (1 << TABLE_BITS); i++) buckets[i] = -1;
    uint64_t numbers = 0;
    const char* p = text;
    while (*p) {
      while (*p == ' ' || *p == '\n') p++;
      if (!*p) break;
      if (*p >= '0' && *p <= '9') {
        numbers += parse_u32(p, &p);
        continue;
      }
      const char* w = p;
      while (*p && *p != ' ' && *p != '\n') p++;
      count_word(w, (uint32_t)(p - w));
    }
    h = mix(h, numbers);
    h = mix(h, (uint64_t)entry_count);
    for (int32_t e = 0; e < entry_count; e += 7) h = mix(h, entries[e].count);
    h = mix(h, count_occurrences(text, "zenqua"));
    h = mix(h, count_occurrences(text, "ix ka"));
    /* Reverse every word of a copy in place, then hash the result. */
    uint32_t n = str_len(text);
    __builtin_memcpy(copy, text, n + 1);
    for (uint32_t i = 0; i < n;) {
      uint32_t j = i;
      while (j < n && copy[j] != ' ' && copy[j] != '\n') j++;
      for (uint32_t a = i, b = j; a + 1 < b; a++, b--) {
        char t = copy[a];
        copy[a] = copy[b - 1];
        copy[b - 1] = t;
      }
      i = j + 1;
    }
    h = mix(h, hash_word(copy, n));
  }
  return h;
}

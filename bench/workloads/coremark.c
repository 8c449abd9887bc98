/* coremark: a CoreMark-like mixed integer workload (written for Zinc, not EEMBC's code):
 * linked-list search, reversal and merge sort; small integer matrix kernels; a character
 * state machine that classifies numeric tokens; and a bit-serial CRC-16 that chains every
 * result together, as CoreMark's own validation does. */
#include "bench.h"

#define CM_ITERATIONS BENCH_SIZE(6000, 400)
#define CM_LIST 200
#define CM_MAT 16
#define CM_TEXT 480

typedef struct Node {
  struct Node* next;
  int16_t value;
  int16_t index;
} Node;

static Node nodes[CM_LIST];
static int16_t ma[CM_MAT * CM_MAT], mb[CM_MAT * CM_MAT];
static int32_t mc[CM_MAT * CM_MAT];
static char tokens[CM_TEXT + 1];

static uint16_t crc16_byte(uint8_t data, uint16_t crc) {
  for (int i = 0; i < 8; i++) {
    uint16_t bit = (uint16_t)((data ^ crc) & 1);
    data >>= 1;
    crc >>= 1;
    if (bit) crc ^= 0xA001;
  }
  return crc;
}
static uint16_t crc16(uint16_t v, uint16_t crc) {
  return crc16_byte((uint8_t)(v >> 8), crc16_byte((uint8_t)v, crc));
}

/* ---- linked list ---- */
static Node* list_build(Rng* rng) {
  for (int i = 0; i < CM_LIST; i++) {
    nodes[i].value = (int16_t)(rng_u32(rng) & 0x7fff);
    nodes[i].index = (int16_t)i;
    nodes[i].next = i + 1 < CM_LIST ? &nodes[i + 1] : 0;
  }
  return &nodes[0];
}
static Node* list_reverse(Node* head) {
  Node* prev = 0;
  while (head) {
    Node* next = head->next;
    head->next = prev;
    prev = head;
    head = next;
  }
  return prev;
}
static Node* list_find(Node* head, int16_t value) {
  while (head && head->value != value) head = head->next;
  return head;
}
static int list_cmp(const Node* a, const Node* b, int by_index) {
  return by_index ? a->index - b->index : (a->value & 0xff) - (b->value & 0xff);
}
/* Bottom-up merge sort of a singly linked list. */
static Node* list_sort(Node* head, int by_index) {
  for (int width = 1;; width *= 2) {
    Node* p = head;
    Node* tail = 0;
    head = 0;
    int merges = 0;
    while (p) {
      merges++;
      Node* q = p;
      int psize = 0;
      for (int i = 0; i < width && q; i++, q = q->next) psize++;
      int qsize = width;
      while (psize > 0 || (qsize > 0 && q)) {
        Node* e;
        if (psize == 0) {
          e = q, q = q->next, qsize--;
        } else if (qsize == 0 || !q || list_cmp(p, q, by_index) <= 0) {
          e = p, p = p->next, psize--;
        } else {
          e = q, q = q->next, qsize--;
        }
        if (tail)
          tail->next = e;
        else
          head = e;
        tail = e;
      }
      p = q;
    }
    tail->next = 0;
    if (merges <= 1) return head;
  }
}
static uint16_t bench_list(Rng* rng, uint16_t crc) {
  Node* head = list_build(rng);
  int found = 0, missing = 0;
  for (int i = 0; i < 24; i++) {
    Node* n = list_find(head, nodes[(i * 37) % CM_LIST].value ^ (int16_t)(i & 1));
    if (n)
      found += n->index;
    else
      missing++;
  }
  head = list_reverse(head);
  head = list_sort(head, 0);
  crc = crc16((uint16_t)head->value, crc);
  for (Node* n = head; n; n = n->next) crc = crc16((uint16_t)n->index, crc);
  head = list_sort(head, 1);
  crc = crc16((uint16_t)(found * 4 + missing), crc);
  return crc16((uint16_t)head->next->next->value, crc);
}

/* ---- matrices ---- */
static uint16_t bench_matrix(int16_t seed, uint16_t crc) {
  for (int i = 0; i < CM_MAT * CM_MAT; i++) {
    ma[i] = (int16_t)((seed * (i + 1)) & 0x3ff) - 0x200;
    mb[i] = (int16_t)(((seed ^ i) * 13) & 0x3ff) - 0x200;
  }
  for (int i = 0; i < CM_MAT * CM_MAT; i++) ma[i] += (int16_t)(seed & 7); /* add constant */
  for (int i = 0; i < CM_MAT; i++)
    for (int j = 0; j < CM_MAT; j++) {
      int32_t s = 0;
      for (int k = 0; k < CM_MAT; k++) s += (int32_t)ma[i * CM_MAT + k] * mb[k * CM_MAT + j];
      mc[i * CM_MAT + j] = s;
    }
  int32_t acc = 0;
  for (int i = 0; i < CM_MAT * CM_MAT; i++) {
    int32_t v = (mc[i] >> 2) & 0xffff; /* bit extract */
    acc += v > 0x7fff ? -1 : v & 1;
    mc[i] = (int32_t)ma[i] * (int32_t)(seed & 0xf); /* multiply by constant */
  }
  for (int i = 0; i < CM_MAT * CM_MAT; i++) acc += mc[i] > 0;
  return crc16((uint16_t)acc, crc);
}

/* ---- state machine ---- */
enum State { S_START, S_INT, S_FRAC, S_EXP, S_EXP_SIGN, S_SCI, S_INVALID, S_COUNT };

static void make_tokens(Rng* rng) {
  static const char* const kPieces[8] = {"5012", "-1.25",  "3e7", "+9.e-2",
                                         "x4",   "1.5E+3", "0.0", "-.e1"};
  int at = 0;
  while (at < CM_TEXT - 8) {
    const char* s = kPieces[rng_u32(rng) & 7];
    while (*s) tokens[at++] = *s++;
    tokens[at++] = ',';
  }
  tokens[at] = 0;
}

static enum State next_state(enum State s, char c) {
  int digit = c >= '0' && c <= '9';
  switch (s) {
    case S_START:
      if (digit) return S_INT;
      if (c == '+' || c == '-') return S_INT;
      if (c == '.') return S_FRAC;
      return S_INVALID;
    case S_INT:
      if (digit) return S_INT;
      if (c == '.') return S_FRAC;
      if (c == 'e' || c == 'E') return S_EXP;
      return S_INVALID;
    case S_FRAC:
      if (digit) return S_FRAC;
      if (c == 'e' || c == 'E') return S_EXP;
      return S_INVALID;
    case S_EXP:
      if (c == '+' || c == '-') return S_EXP_SIGN;
      if (digit) return S_SCI;
      return S_INVALID;
    case S_EXP_SIGN:
    case S_SCI:
      return digit ? S_SCI : S_INVALID;
    default:
      return S_INVALID;
  }
}

static uint16_t bench_state(uint16_t crc) {
  uint32_t finals[S_COUNT] = {0}, transitions = 0;
  const char* p = tokens;
  while (*p) {
    enum State s = S_START;
    while (*p && *p != ',') {
      enum State n = next_state(s, *p++);
      transitions += n != s;
      s = n;
    }
    finals[s]++;
    if (*p) p++;
  }
  for (int i = 0; i < S_COUNT; i++) crc = crc16((uint16_t)finals[i], crc);
  return crc16((uint16_t)transitions, crc);
}

static uint64_t workload(void) {
  Rng rng = {0x66};
  make_tokens(&rng);
  uint16_t crc = 0;
  uint64_t h = 0;
  for (int it = 0; it < CM_ITERATIONS; it++) {
    crc = bench_list(&rng, crc);
    crc = bench_matrix((int16_t)(crc | 1), crc);
    crc = bench_state(crc);
    if ((it & 63) == 0) make_tokens(&rng);
    h = mix(h, crc);
  }
  return h;
}

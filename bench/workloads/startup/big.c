/* big: the ~2 MB start-up module. 4096 distinct functions of straight-line integer code,
 * reachable through a function table so none is removed; the program calls only a few of
 * them, so its start-up cost is dominated by loading, validating and preparing the code. */
#include <stdint.h>

#define STEP(k)                                                              \
  x = (x ^ (x >> ((k) % 7 + 3))) * (uint32_t)(2 * (SEED) + 2 * (k) + 1) + y; \
  y = (y << ((k) % 5 + 1)) ^ (x + (uint32_t)(k)*0x9E3779B9u);
#define STEP4(k) STEP(k) STEP(k + 1) STEP(k + 2) STEP(k + 3)
#define STEP16(k) STEP4(k) STEP4(k + 4) STEP4(k + 8) STEP4(k + 12)
#define BODY STEP16(0)

#define F(n)                                                   \
  __attribute__((noinline)) static uint32_t f##n(uint32_t x) { \
    enum { SEED = 0x##n };                                     \
    uint32_t y = x + SEED;                                     \
    BODY return x ^ y;                                         \
  }
#define F8(n) F(n##0) F(n##1) F(n##2) F(n##3) F(n##4) F(n##5) F(n##6) F(n##7)
#define F64(n) F8(n##0) F8(n##1) F8(n##2) F8(n##3) F8(n##4) F8(n##5) F8(n##6) F8(n##7)
#define F512(n) F64(n##0) F64(n##1) F64(n##2) F64(n##3) F64(n##4) F64(n##5) F64(n##6) F64(n##7)
F512(1)
F512(2) F512(3) F512(4) F512(5) F512(6) F512(7) F512(8)

#define R(n) f##n,
#define R8(n) R(n##0) R(n##1) R(n##2) R(n##3) R(n##4) R(n##5) R(n##6) R(n##7)
#define R64(n) R8(n##0) R8(n##1) R8(n##2) R8(n##3) R8(n##4) R8(n##5) R8(n##6) R8(n##7)
#define R512(n) R64(n##0) R64(n##1) R64(n##2) R64(n##3) R64(n##4) R64(n##5) R64(n##6) R64(n##7)
    static uint32_t (*const table[])(uint32_t) = {R512(1) R512(2) R512(3) R512(4) R512(5) R512(6)
                                                      R512(7) R512(8)};

/* Read through a volatile so every table entry stays reachable. */
static volatile uint32_t pick = 7;

static uint32_t call_some(void) {
  uint32_t s = 0;
  for (uint32_t i = 0; i < 4; i++) s += table[(pick * (i + 1)) % (sizeof table / sizeof *table)](i);
  return s;
}

#ifdef BENCH_NOLIBC
__attribute__((export_name("run"))) long long run(void) {
  return call_some() & 0xffff;
}
#else
#include <stdio.h>
int main(void) {
  printf("hello %u\n", (unsigned)(call_some() & 0xffff));
  return 0;
}
#endif

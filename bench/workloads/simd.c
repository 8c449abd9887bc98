/* simd: 128-bit SIMD kernels. In wasm (built with -msimd128) every vector operation is a
 * wasm_simd128.h intrinsic; natively the same operations are written with clang's vector
 * extensions, lane for lane, so both builds compute bit-identical checksums. Three kernels:
 * f32x4 arithmetic with compare + bitselect, u8x16 image blending (rounding average,
 * saturating add, byte shuffle) reduced with i32x4.dot_i16x8, and an i32x4 integer hash
 * (shifts, xor, multiply). */
#include "bench.h"

#define SIMD_FLOATS 4096
#define SIMD_PIXELS 65536
#define SIMD_F_ROUNDS BENCH_SIZE(12000, 800)
#define SIMD_I_ROUNDS BENCH_SIZE(1500, 100)
#define SIMD_H_ROUNDS BENCH_SIZE(120000000, 8000000)

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
typedef v128_t V;
#define LOAD(p) wasm_v128_load(p)
#define STORE(p, v) wasm_v128_store(p, v)
#define F32_SPLAT(x) wasm_f32x4_splat(x)
#define F32_ADD(a, b) wasm_f32x4_add(a, b)
#define F32_SUB(a, b) wasm_f32x4_sub(a, b)
#define F32_MUL(a, b) wasm_f32x4_mul(a, b)
#define F32_DIV(a, b) wasm_f32x4_div(a, b)
#define F32_LT(a, b) wasm_f32x4_lt(a, b)
#define F32_LANE(v, i) wasm_f32x4_extract_lane(v, i)
#define I32_SPLAT(x) wasm_i32x4_splat(x)
#define I32_MAKE(a, b, c, d) wasm_i32x4_make(a, b, c, d)
#define I32_ADD(a, b) wasm_i32x4_add(a, b)
#define I32_MUL(a, b) wasm_i32x4_mul(a, b)
#define I32_SHL(a, n) wasm_i32x4_shl(a, n)
#define U32_SHR(a, n) wasm_u32x4_shr(a, n)
#define I32_LANE(v, i) wasm_i32x4_extract_lane(v, i)
#define I32_FROM_F32(a) wasm_i32x4_trunc_sat_f32x4(a)
#define I32_DOT_I16(a, b) wasm_i32x4_dot_i16x8(a, b)
#define U8_AVGR(a, b) wasm_u8x16_avgr(a, b)
#define U8_ADD_SAT(a, b) wasm_u8x16_add_sat(a, b)
#define U8_SPLAT(x) wasm_u8x16_splat(x)
#define U8_REVERSE(a) wasm_i8x16_shuffle(a, a, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0)
#define V_XOR(a, b) wasm_v128_xor(a, b)
#define V_SELECT(a, b, mask) wasm_v128_bitselect(a, b, mask)
#else
typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef uint16_t u16x16 __attribute__((vector_size(32)));
typedef i32x4 V;
static inline V load_v(const void* p) {
  V v;
  __builtin_memcpy(&v, p, 16);
  return v;
}
static inline void store_v(void* p, V v) {
  __builtin_memcpy(p, &v, 16);
}
static inline V dot_i16(V a, V b) {
  i16x8 x = (i16x8)a, y = (i16x8)b;
  i32x4 xe = __builtin_convertvector(__builtin_shufflevector(x, x, 0, 2, 4, 6), i32x4);
  i32x4 xo = __builtin_convertvector(__builtin_shufflevector(x, x, 1, 3, 5, 7), i32x4);
  i32x4 ye = __builtin_convertvector(__builtin_shufflevector(y, y, 0, 2, 4, 6), i32x4);
  i32x4 yo = __builtin_convertvector(__builtin_shufflevector(y, y, 1, 3, 5, 7), i32x4);
  return (V)((u32x4)(xe * ye) + (u32x4)(xo * yo)); /* wrapping, as i32x4.dot_i16x8 */
}
static inline V avgr_u8(V a, V b) {
  u16x16 x = __builtin_convertvector((u8x16)a, u16x16);
  u16x16 y = __builtin_convertvector((u8x16)b, u16x16);
  return (V) __builtin_convertvector((x + y + 1) >> 1, u8x16);
}
#define LOAD(p) load_v(p)
#define STORE(p, v) store_v(p, v)
#define F32_SPLAT(x) ((V)(f32x4){x, x, x, x})
#define F32_ADD(a, b) ((V)((f32x4)(a) + (f32x4)(b)))
#define F32_SUB(a, b) ((V)((f32x4)(a) - (f32x4)(b)))
#define F32_MUL(a, b) ((V)((f32x4)(a) * (f32x4)(b)))
#define F32_DIV(a, b) ((V)((f32x4)(a) / (f32x4)(b)))
#define F32_LT(a, b) ((V)((f32x4)(a) < (f32x4)(b)))
#define F32_LANE(v, i) (((f32x4)(v))[i])
#define I32_SPLAT(x) ((V){x, x, x, x})
#define I32_MAKE(a, b, c, d) ((V){a, b, c, d})
#define I32_ADD(a, b) ((V)((u32x4)(a) + (u32x4)(b)))
#define I32_MUL(a, b) ((V)((u32x4)(a) * (u32x4)(b)))
#define I32_SHL(a, n) ((V)((u32x4)(a) << (n)))
#define U32_SHR(a, n) ((V)((u32x4)(a) >> (n)))
#define I32_LANE(v, i) (((i32x4)(v))[i])
#define I32_FROM_F32(a) __builtin_convertvector((f32x4)(a), i32x4) /* operands in range */
#define I32_DOT_I16(a, b) dot_i16(a, b)
#define U8_AVGR(a, b) avgr_u8(a, b)
#define U8_ADD_SAT(a, b) ((V)__builtin_elementwise_add_sat((u8x16)(a), (u8x16)(b)))
#define U8_SPLAT(x) ((V)(u8x16){x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x})
#define U8_REVERSE(a)                                                                              \
  ((V)__builtin_shufflevector((u8x16)(a), (u8x16)(a), 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, \
                              2, 1, 0))
#define V_XOR(a, b) ((a) ^ (b))
#define V_SELECT(a, b, mask) (((a) & (mask)) | ((b) & ~(mask)))
#endif

static float xs[SIMD_FLOATS] __attribute__((aligned(16)));
static float ys[SIMD_FLOATS] __attribute__((aligned(16)));
static uint8_t img_a[SIMD_PIXELS] __attribute__((aligned(16)));
static uint8_t img_b[SIMD_PIXELS] __attribute__((aligned(16)));

/* A contracting linear update (bounded values, no overflow or NaN) with a select. */
static uint64_t kernel_f32(void) {
  Rng rng = {5};
  for (int i = 0; i < SIMD_FLOATS; i++) {
    xs[i] = (float)(int32_t)(rng_u32(&rng) % 2001 - 1000) / 100.0f;
    ys[i] = (float)(int32_t)(rng_u32(&rng) % 2001 - 1000) / 100.0f;
  }
  V half = F32_SPLAT(0.5f), quarter = F32_SPLAT(0.25f), c = F32_SPLAT(1.5f);
  V three = F32_SPLAT(3.0f), acc = F32_SPLAT(0.0f);
  V iacc = I32_SPLAT(0);
  for (int r = 0; r < SIMD_F_ROUNDS; r++) {
    for (int i = 0; i < SIMD_FLOATS; i += 4) {
      V x = LOAD(&xs[i]), y = LOAD(&ys[i]);
      V ny = F32_ADD(F32_ADD(F32_MUL(half, y), F32_MUL(quarter, x)), c);
      V nx = F32_SUB(F32_MUL(half, x), F32_MUL(quarter, ny));
      V pick = V_SELECT(F32_MUL(nx, ny), F32_DIV(F32_SUB(ny, nx), three), F32_LT(nx, ny));
      acc = F32_ADD(acc, F32_MUL(pick, F32_SPLAT(0.001f)));
      iacc = I32_ADD(iacc, I32_FROM_F32(F32_MUL(nx, F32_SPLAT(64.0f))));
      STORE(&xs[i], nx);
      STORE(&ys[i], ny);
    }
    if ((r & 255) == 0) { /* keep the accumulator small so it never loses all precision */
      acc = F32_MUL(acc, F32_SPLAT(0.125f));
    }
  }
  uint64_t h = 0;
  h = mix(h, f32_bits(F32_LANE(acc, 0)));
  h = mix(h, f32_bits(F32_LANE(acc, 1)));
  h = mix(h, f32_bits(F32_LANE(acc, 2)));
  h = mix(h, f32_bits(F32_LANE(acc, 3)));
  h = mix(h, (uint32_t)(I32_LANE(iacc, 0) ^ I32_LANE(iacc, 3)));
  h = mix(h, f32_bits(xs[17]) ^ f32_bits(ys[4000]));
  return h;
}

/* Image blending on bytes, reduced with a 16-bit dot product. */
static uint64_t kernel_u8(void) {
  Rng rng = {6};
  for (int i = 0; i < SIMD_PIXELS; i += 8) {
    uint64_t a = rng_next(&rng), b = rng_next(&rng);
    __builtin_memcpy(&img_a[i], &a, 8);
    __builtin_memcpy(&img_b[i], &b, 8);
  }
  V weights = I32_SPLAT(0x00030001); /* i16 lanes 1, 3, 1, 3, ... */
  V bias = U8_SPLAT(3);
  V acc = I32_SPLAT(0);
  for (int r = 0; r < SIMD_I_ROUNDS; r++) {
    for (int i = 0; i < SIMD_PIXELS; i += 16) {
      V a = LOAD(&img_a[i]), b = LOAD(&img_b[i]);
      V c = U8_ADD_SAT(U8_AVGR(a, b), U8_REVERSE(bias));
      V d = V_XOR(c, U8_REVERSE(a));
      STORE(&img_b[i], d);
      acc = I32_ADD(acc, I32_DOT_I16(d, weights));
    }
    bias = I32_ADD(bias, I32_SPLAT(0x01000100));
  }
  uint32_t lanes[4];
  STORE(lanes, acc);
  uint64_t h = 0;
  for (int i = 0; i < 4; i++) h = mix(h, lanes[i]);
  return mix(h, img_b[12345]);
}

/* Integer hashing in all four lanes. */
static uint64_t kernel_hash(void) {
  V s = I32_MAKE(0x12345678, (int32_t)0x9abcdef0, 0x0fedcba9, (int32_t)0x87654321);
  V acc = I32_SPLAT(0);
  V mul = I32_SPLAT((int32_t)0x2c1b3c6d);
  for (int i = 0; i < SIMD_H_ROUNDS / 4; i++) {
    s = V_XOR(s, I32_SHL(s, 13));
    s = V_XOR(s, U32_SHR(s, 17));
    s = V_XOR(s, I32_SHL(s, 5));
    acc = I32_ADD(acc, I32_MUL(s, mul));
  }
  uint32_t acc_lanes[4], s_lanes[4];
  STORE(acc_lanes, acc);
  STORE(s_lanes, s);
  uint64_t h = 0;
  for (int i = 0; i < 4; i++) h = mix(h, acc_lanes[i] ^ s_lanes[i]);
  return h;
}

static uint64_t workload(void) {
  uint64_t h = kernel_f32();
  h = mix(h, kernel_u8());
  return mix(h, kernel_hash());
}

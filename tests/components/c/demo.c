#include <stddef.h>
#include <stdint.h>
extern unsigned char __heap_base;
static uintptr_t next_free = 0;
__attribute__((export_name("cabi_realloc")))
void* cabi_realloc(void* old, size_t old_size, size_t align, size_t new_size) {
  if (!next_free) next_free = (uintptr_t)&__heap_base;
  next_free = (next_free + align - 1) & ~(uintptr_t)(align - 1);
  unsigned char* p = (unsigned char*)next_free;
  next_free += new_size;
  if (next_free > __builtin_wasm_memory_size(0) * 65536) {
    __builtin_wasm_memory_grow(0, (next_free >> 16) + 1 - __builtin_wasm_memory_size(0));
  }
  for (size_t i = 0; i < old_size && i < new_size; ++i) p[i] = ((unsigned char*)old)[i];
  return p;
}
static uint32_t ret[4];
__attribute__((export_name("upper")))
uint32_t* upper(unsigned char* s, size_t len) {
  unsigned char* out = cabi_realloc(0, 0, 1, len);
  for (size_t i = 0; i < len; ++i) out[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
  ret[0] = (uint32_t)(uintptr_t)out; ret[1] = len;
  return ret;
}
__attribute__((export_name("sum")))
uint64_t sum(uint32_t* xs, size_t n) {
  uint64_t t = 0;
  for (size_t i = 0; i < n; ++i) t += xs[i];
  return t;
}
__attribute__((export_name("scale")))
uint32_t* scale(int32_t x, int32_t y, int32_t k) {
  ret[0] = (uint32_t)(x * k); ret[1] = (uint32_t)(y * k);
  return ret;
}
__attribute__((export_name("area")))
uint64_t area(int32_t tag, uint32_t v) {
  if (tag == 0) return (uint64_t)3 * v * v;
  if (tag == 1) return (uint64_t)v * v;
  return 0;
}
__attribute__((export_name("split")))
uint32_t* split(unsigned char* s, size_t len) {
  /* words separated by spaces: list<string> = (ptr, count) of (ptr, len) pairs */
  size_t count = 0;
  for (size_t i = 0; i < len; ++i) if (s[i] != ' ' && (i == 0 || s[i-1] == ' ')) ++count;
  uint32_t* pairs = cabi_realloc(0, 0, 4, count * 8);
  size_t k = 0;
  for (size_t i = 0; i < len; ) {
    while (i < len && s[i] == ' ') ++i;
    size_t b = i;
    while (i < len && s[i] != ' ') ++i;
    if (i > b) { pairs[2*k] = (uint32_t)(uintptr_t)(s + b); pairs[2*k+1] = i - b; ++k; }
  }
  ret[0] = (uint32_t)(uintptr_t)pairs; ret[1] = count;
  return ret;
}

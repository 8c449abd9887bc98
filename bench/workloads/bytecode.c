/* bytecode: a switch-dispatched stack-machine interpreter, the loop at the heart of every
 * scripting-language guest. Two programs are assembled at start-up (Collatz chain lengths and
 * a table of gcds) and interpreted; the checksum is their results. */
#include "bench.h"

/* Every Collatz trajectory from below 100000 stays below 2^32 (the highest peak, from 77671,
 * is 1,570,824,736), so u32 arithmetic is exact. */
#define VM_COLLATZ_N BENCH_SIZE(100000, 7000)
#define VM_GCD_N BENCH_SIZE(700, 180)

enum Op {
  OP_PUSH,
  OP_LOAD,
  OP_STORE,
  OP_ADD,
  OP_SUB,
  OP_MUL,
  OP_DIVU,
  OP_REMU,
  OP_AND,
  OP_OR,
  OP_XOR,
  OP_SHL,
  OP_SHRU,
  OP_LTU,
  OP_EQ,
  OP_NE,
  OP_JMP,
  OP_JZ,
  OP_JNZ,
  OP_INC,
  OP_DUP,
  OP_DROP,
  OP_SWAP,
  OP_HALT
};

static int32_t code[256];
static int32_t pc_at;

static void emit(int32_t op) {
  code[pc_at++] = op;
}
static void emit2(int32_t op, int32_t imm) {
  code[pc_at++] = op;
  code[pc_at++] = imm;
}
/* Emits a jump with a placeholder target; returns where to patch. */
static int32_t emit_jump(int32_t op) {
  emit2(op, -1);
  return pc_at - 1;
}
static void patch(int32_t at, int32_t target) {
  code[at] = target;
}

__attribute__((noinline)) static uint32_t interpret(const int32_t* pc0, uint32_t* regs) {
  uint32_t stack[64];
  uint32_t* sp = stack;
  const int32_t* pc = pc0;
  for (;;) {
    int32_t op = *pc++;
    switch (op) {
      case OP_PUSH:
        *sp++ = (uint32_t)*pc++;
        break;
      case OP_LOAD:
        *sp++ = regs[*pc++];
        break;
      case OP_STORE:
        regs[*pc++] = *--sp;
        break;
      case OP_ADD:
        sp--;
        sp[-1] += sp[0];
        break;
      case OP_SUB:
        sp--;
        sp[-1] -= sp[0];
        break;
      case OP_MUL:
        sp--;
        sp[-1] *= sp[0];
        break;
      case OP_DIVU:
        sp--;
        sp[-1] = sp[0] ? sp[-1] / sp[0] : 0;
        break;
      case OP_REMU:
        sp--;
        sp[-1] = sp[0] ? sp[-1] % sp[0] : 0;
        break;
      case OP_AND:
        sp--;
        sp[-1] &= sp[0];
        break;
      case OP_OR:
        sp--;
        sp[-1] |= sp[0];
        break;
      case OP_XOR:
        sp--;
        sp[-1] ^= sp[0];
        break;
      case OP_SHL:
        sp--;
        sp[-1] <<= (sp[0] & 31);
        break;
      case OP_SHRU:
        sp--;
        sp[-1] >>= (sp[0] & 31);
        break;
      case OP_LTU:
        sp--;
        sp[-1] = sp[-1] < sp[0];
        break;
      case OP_EQ:
        sp--;
        sp[-1] = sp[-1] == sp[0];
        break;
      case OP_NE:
        sp--;
        sp[-1] = sp[-1] != sp[0];
        break;
      case OP_JMP:
        pc = pc0 + *pc;
        break;
      case OP_JZ: {
        int32_t t = *pc++;
        if (*--sp == 0) pc = pc0 + t;
        break;
      }
      case OP_JNZ: {
        int32_t t = *pc++;
        if (*--sp != 0) pc = pc0 + t;
        break;
      }
      case OP_INC:
        regs[*pc++]++;
        break;
      case OP_DUP:
        sp[0] = sp[-1];
        sp++;
        break;
      case OP_DROP:
        sp--;
        break;
      case OP_SWAP: {
        uint32_t t = sp[-1];
        sp[-1] = sp[-2];
        sp[-2] = t;
        break;
      }
      case OP_HALT:
        return sp > stack ? sp[-1] : 0;
      default:
        return 0xDEAD;
    }
  }
}

/* r0 = n, r1 = x, r2 = total steps, r3 = limit, r4 = longest chain */
static void assemble_collatz(uint32_t limit) {
  pc_at = 0;
  emit2(OP_PUSH, 1);
  emit2(OP_STORE, 0);
  emit2(OP_PUSH, (int32_t)limit);
  emit2(OP_STORE, 3);
  int32_t outer = pc_at;
  emit2(OP_LOAD, 0);
  emit2(OP_LOAD, 3);
  emit(OP_LTU);
  int32_t exit_outer = emit_jump(OP_JZ);
  emit2(OP_LOAD, 0);
  emit2(OP_STORE, 1);
  int32_t inner = pc_at;
  emit2(OP_LOAD, 1);
  emit2(OP_PUSH, 1);
  emit(OP_NE);
  int32_t exit_inner = emit_jump(OP_JZ);
  emit2(OP_LOAD, 1);
  emit2(OP_PUSH, 1);
  emit(OP_AND);
  int32_t even = emit_jump(OP_JZ);
  emit2(OP_LOAD, 1);
  emit2(OP_PUSH, 3);
  emit(OP_MUL);
  emit2(OP_PUSH, 1);
  emit(OP_ADD);
  emit2(OP_STORE, 1);
  int32_t joined = emit_jump(OP_JMP);
  patch(even, pc_at);
  emit2(OP_LOAD, 1);
  emit2(OP_PUSH, 1);
  emit(OP_SHRU);
  emit2(OP_STORE, 1);
  patch(joined, pc_at);
  emit2(OP_INC, 2);
  emit2(OP_JMP, inner);
  patch(exit_inner, pc_at);
  emit2(OP_INC, 0);
  emit2(OP_JMP, outer);
  patch(exit_outer, pc_at);
  emit2(OP_LOAD, 2);
  emit(OP_HALT);
}

/* r0 = i, r1 = j, r2 = a, r3 = b, r4 = sum, r5 = n */
static void assemble_gcd(uint32_t n) {
  pc_at = 0;
  emit2(OP_PUSH, (int32_t)n);
  emit2(OP_STORE, 5);
  emit2(OP_PUSH, 1);
  emit2(OP_STORE, 0);
  int32_t loop_i = pc_at;
  emit2(OP_LOAD, 0);
  emit2(OP_LOAD, 5);
  emit(OP_LTU);
  int32_t exit_i = emit_jump(OP_JZ);
  emit2(OP_PUSH, 1);
  emit2(OP_STORE, 1);
  int32_t loop_j = pc_at;
  emit2(OP_LOAD, 1);
  emit2(OP_LOAD, 5);
  emit(OP_LTU);
  int32_t exit_j = emit_jump(OP_JZ);
  emit2(OP_LOAD, 0);
  emit2(OP_STORE, 2);
  emit2(OP_LOAD, 1);
  emit2(OP_STORE, 3);
  int32_t loop_g = pc_at;
  emit2(OP_LOAD, 3);
  int32_t exit_g = emit_jump(OP_JZ);
  emit2(OP_LOAD, 2);
  emit2(OP_LOAD, 3);
  emit(OP_REMU);
  emit2(OP_LOAD, 3);
  emit2(OP_STORE, 2);
  emit2(OP_STORE, 3);
  emit2(OP_JMP, loop_g);
  patch(exit_g, pc_at);
  emit2(OP_LOAD, 4);
  emit2(OP_LOAD, 2);
  emit2(OP_LOAD, 0);
  emit(OP_XOR);
  emit(OP_ADD);
  emit2(OP_STORE, 4);
  emit2(OP_INC, 1);
  emit2(OP_JMP, loop_j);
  patch(exit_j, pc_at);
  emit2(OP_INC, 0);
  emit2(OP_JMP, loop_i);
  patch(exit_i, pc_at);
  emit2(OP_LOAD, 4);
  emit(OP_HALT);
}

static uint64_t workload(void) {
  uint32_t regs[8] = {0};
  assemble_collatz(VM_COLLATZ_N);
  uint64_t h = mix(0, interpret(code, regs));
  for (int i = 0; i < 8; i++) regs[i] = 0;
  assemble_gcd(VM_GCD_N);
  h = mix(h, interpret(code, regs));
  return h;
}

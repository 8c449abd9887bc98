/* nbody: floating-point physics. A small gravitational system (one heavy body and a ring of
 * lighter ones) advanced with a symplectic Euler step; all-pairs forces with f64 sqrt and
 * division. The checksum is the bit pattern of the final energy and positions: every engine
 * must agree to the last bit (IEEE 754 arithmetic, no fused multiply-add, no libm). */
#include "bench.h"

#define NBODIES 8
#define NBODY_STEPS BENCH_SIZE(2000000, 130000)

typedef struct {
  double x, y, z, vx, vy, vz, mass;
} Body;

static Body bodies[NBODIES];

static void init_bodies(void) {
  Rng rng = {0x1234567887654321ULL};
  bodies[0] = (Body){0, 0, 0, 0, 0, 0, 39.47841760435743};
  for (int i = 1; i < NBODIES; i++) {
    double r = 1.0 + 3.0 * i + (double)(rng_u32(&rng) % 1000) / 1000.0;
    double k = (double)(rng_u32(&rng) % 2000) / 1000.0 - 1.0; /* [-1, 1): position on ring */
    double c = 1.0 - k * k; /* a rough cosine-like factor without libm */
    Body* b = &bodies[i];
    b->x = r * k;
    b->y = r * c;
    b->z = (double)(rng_u32(&rng) % 200) / 1000.0 - 0.1;
    double v = 6.283185307179586 / __builtin_sqrt(r);
    b->vx = -v * c * 0.5;
    b->vy = v * k * 0.5;
    b->vz = 0.001 * (double)i;
    b->mass = 0.001 * (double)(rng_u32(&rng) % 1000 + 1) / 100.0;
  }
  /* Remove the system's momentum so it stays in place. */
  double px = 0, py = 0, pz = 0;
  for (int i = 0; i < NBODIES; i++) {
    px += bodies[i].vx * bodies[i].mass;
    py += bodies[i].vy * bodies[i].mass;
    pz += bodies[i].vz * bodies[i].mass;
  }
  bodies[0].vx = -px / bodies[0].mass;
  bodies[0].vy = -py / bodies[0].mass;
  bodies[0].vz = -pz / bodies[0].mass;
}

static void advance(double dt) {
  for (int i = 0; i < NBODIES; i++) {
    Body* a = &bodies[i];
    for (int j = i + 1; j < NBODIES; j++) {
      Body* b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      double d2 = dx * dx + dy * dy + dz * dz;
      double mag = dt / (d2 * __builtin_sqrt(d2));
      double ma = a->mass * mag, mb = b->mass * mag;
      a->vx -= dx * mb;
      a->vy -= dy * mb;
      a->vz -= dz * mb;
      b->vx += dx * ma;
      b->vy += dy * ma;
      b->vz += dz * ma;
    }
  }
  for (int i = 0; i < NBODIES; i++) {
    Body* b = &bodies[i];
    b->x += dt * b->vx;
    b->y += dt * b->vy;
    b->z += dt * b->vz;
  }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < NBODIES; i++) {
    Body* a = &bodies[i];
    e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
    for (int j = i + 1; j < NBODIES; j++) {
      Body* b = &bodies[j];
      double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
      e -= a->mass * b->mass / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

static uint64_t workload(void) {
  init_bodies();
  uint64_t h = f64_bits(energy());
  for (int s = 0; s < NBODY_STEPS; s++) advance(0.001);
  h = mix(h, f64_bits(energy()));
  for (int i = 0; i < NBODIES; i++) {
    h = mix(h, f64_bits(bodies[i].x));
    h = mix(h, f64_bits(bodies[i].vy));
  }
  return h;
}

export function greet(name) { return `Hello, ${name}!`; }
export function words(s) { return s.split(' ').filter((w) => w.length > 0); }
export function scale(p, k) { return { x: p.x * k, y: p.y * k }; }
export function area(s) {
  if (s.tag === 'circle') return 3n * BigInt(s.val) * BigInt(s.val);
  if (s.tag === 'square') return BigInt(s.val) * BigInt(s.val);
  return 0n;
}
class Counter {
  constructor(start) { this.v = start; }
  increment(by) { this.v += by; return this.v; }
  value() { return this.v; }
}
export const counters = {
  Counter,
  countUp(start, times) {
    const c = new Counter(start);
    for (let i = 0; i < times; i++) c.increment(1);
    return c.value();
  },
};

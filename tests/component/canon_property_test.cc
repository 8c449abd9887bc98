// tests/component/canon_property_test.cc: property tests of the Canonical ABI over random
// types (bounded depth) and random values of them:
//   * lower then lift gives the same value (memory: store/load; flat: lower_flat/lift_flat),
//     in every string encoding;
//   * lift then lower the bytes of a valid encoding gives the same bytes;
//   * a fused component-to-component call delivers the same value as the Val path, both
//     for arguments and for results, between guests of different string encodings.
// Seeds are fixed, so a failure reproduces; the failing type and value are printed.
#include <catch2/catch.hpp>
#include <random>

#include "tests/component/canon_test_util.h"

namespace zinc::component::canon::test {
namespace {

class Gen {
 public:
  Gen(Types& ty, uint64_t seed) : ty_(ty), rng_(seed) {}

  uint64_t below(uint64_t n) { return rng_() % n; }
  bool coin() { return rng_() & 1; }

  TypeRef type(int depth) {
    static constexpr ValKind kPrims[] = {ValKind::Bool,  ValKind::S8,  ValKind::U8,  ValKind::S16,
                                         ValKind::U16,   ValKind::S32, ValKind::U32, ValKind::S64,
                                         ValKind::U64,   ValKind::F32, ValKind::F64, ValKind::Char,
                                         ValKind::String};
    const uint64_t k = depth <= 0 ? below(13) : below(23);
    if (k < 13) return ty_.p(kPrims[k]);
    switch (k) {
      case 13:
      case 14:
        return ty_.list(type(depth - 1));
      case 15:
        return ty_.fixed_list(type(depth - 1), 1 + static_cast<uint32_t>(below(3)));
      case 16: {
        std::vector<Field> fs;
        const size_t n = 1 + below(4);
        for (size_t i = 0; i < n; ++i) fs.push_back({"f" + std::to_string(i), type(depth - 1)});
        return ty_.record(std::move(fs));
      }
      case 17: {
        std::vector<TypeRef> es;
        const size_t n = 1 + below(3);
        for (size_t i = 0; i < n; ++i) es.push_back(type(depth - 1));
        return ty_.tuple(std::move(es));
      }
      case 18: {
        std::vector<Case> cs;
        const size_t n = 1 + below(4);
        for (size_t i = 0; i < n; ++i) {
          cs.push_back({"c" + std::to_string(i), coin() ? type(depth - 1) : nullptr});
        }
        return ty_.variant(std::move(cs));
      }
      case 19:
        return ty_.enumeration(labels(1 + below(5), "e"));
      case 20:
        return ty_.option(type(depth - 1));
      case 21:
        return ty_.result(coin() ? type(depth - 1) : nullptr, coin() ? type(depth - 1) : nullptr);
      default:
        return ty_.flags(labels(1 + below(32)));
    }
  }

  std::string str() {
    static const char* const kPieces[] = {"a",
                                          "Z",
                                          " ",
                                          "~",
                                          "\xC3\xA9",
                                          "\xC3\xBF",
                                          "\xE6\x97\xA5",
                                          "\xE2\x82\xAC",
                                          "\xF0\x9F\x98\x80",
                                          "\x7f",
                                          "\xC2\x80",
                                          "\xEF\xBF\xBF"};
    std::string s;
    const size_t n = below(4) == 0 ? 0 : below(12);
    for (size_t i = 0; i < n; ++i) s += kPieces[below(std::size(kPieces))];
    return s;
  }

  uint64_t scalar_bits(ValKind k) {
    const uint64_t r = rng_();
    switch (k) {
      case ValKind::Bool:
        return r & 1;
      case ValKind::U8:
        return r & 0xff;
      case ValKind::U16:
        return r & 0xffff;
      case ValKind::U32:
        return r & 0xffffffffu;
      case ValKind::S8:
        return static_cast<uint64_t>(int64_t{static_cast<int8_t>(r)});
      case ValKind::S16:
        return static_cast<uint64_t>(int64_t{static_cast<int16_t>(r)});
      case ValKind::S32:
        return static_cast<uint64_t>(int64_t{static_cast<int32_t>(r)});
      case ValKind::F32:
        return canonicalize_nan32(static_cast<uint32_t>(r));
      case ValKind::F64:
        return canonicalize_nan64(r);
      case ValKind::Char: {
        const uint64_t c = below(3) == 0 ? below(0x80) : below(0x110000 - 0x800);
        return c < 0xD800 ? c : c + 0x800;
      }
      default:
        return r;  // s64, u64
    }
  }

  Val value(TypeRef t) {
    Val v;
    v.kind = t->kind;
    switch (t->kind) {
      case ValKind::String:
        v.str = str();
        return v;
      case ValKind::List: {
        const size_t n = t->length ? *t->length : below(5);
        if (Val::packable(t->elem->kind) && coin()) {  // either form must work
          const uint32_t size = Val::packed_size(t->elem->kind);
          std::string bytes(n * size, '\0');
          for (size_t i = 0; i < n; ++i) {
            const uint64_t b = scalar_bits(t->elem->kind);
            std::memcpy(bytes.data() + i * size, &b, size);
          }
          return Val::packed_list(t->elem->kind, std::move(bytes));
        }
        for (size_t i = 0; i < n; ++i) v.items.push_back(value(t->elem));
        return v;
      }
      case ValKind::Record:
        for (const Field& f : t->fields) {
          v.names.push_back(f.label);
          v.items.push_back(value(f.type));
        }
        return v;
      case ValKind::Tuple:
        for (TypeRef e : t->elems) v.items.push_back(value(e));
        return v;
      case ValKind::Variant: {
        const Case& c = t->cases[below(t->cases.size())];
        v.str = c.label;
        if (c.type) v.items.push_back(value(c.type));
        return v;
      }
      case ValKind::Enum:
        v.str = t->labels[below(t->labels.size())];
        return v;
      case ValKind::Option:
        if (coin()) v.items.push_back(value(t->elem));
        return v;
      case ValKind::Result: {
        v.is_ok = coin();
        TypeRef p = v.is_ok ? t->ok : t->err;
        if (p) v.items.push_back(value(p));
        return v;
      }
      case ValKind::Flags:
        for (const std::string& l : t->labels) {
          if (coin()) v.names.push_back(l);
        }
        return v;
      default:
        v.bits = scalar_bits(t->kind);
        return v;
    }
  }

  StringEncoding encoding() { return static_cast<StringEncoding>(below(3)); }

 private:
  Types& ty_;
  std::mt19937_64 rng_;
};

constexpr int kTypes = 400;
constexpr int kValuesPerType = 3;

TEST_CASE("canon property: store then load, lower_flat then lift_flat", "[canon][property]") {
  Types ty;
  Gen gen(ty, 0x5eed0001);
  int checked = 0;
  for (int i = 0; i < kTypes; ++i) {
    const TypeRef t = gen.type(3);
    if (t->size > 4096) continue;
    for (int j = 0; j < kValuesPerType; ++j) {
      const Val v = gen.value(t);
      REQUIRE(matches(v, t));
      const StringEncoding enc = gen.encoding();
      INFO("type " << to_string(t) << " value " << to_wave(v) << " encoding "
                   << encoding_name(enc));
      Guest g(enc);
      const uint32_t ptr = static_cast<uint32_t>(align_to(64, t->align));
      g.mem.bump = static_cast<uint32_t>(align_to(ptr + t->size, 8));
      bool ok = store(*g.cx, v, t, ptr);
      INFO(g.error());
      REQUIRE(ok);
      Val back;
      ok = load(*g.cx, ptr, t, back);
      INFO(g.error());
      REQUIRE(ok);
      CHECK(back == v);
      CHECK(matches(back, t));

      FlatValues flat;
      ok = lower_flat(*g.cx, v, t, flat);
      INFO(g.error());
      REQUIRE(ok);
      CHECK(flat.size() == t->flat.size());
      CoreValueIter vi(flat.data(), flat.size());
      Val flat_back;
      ok = lift_flat(*g.cx, vi, t, flat_back);
      INFO(g.error());
      REQUIRE(ok);
      CHECK(vi.done());
      CHECK(flat_back == v);
      ++checked;
    }
  }
  CHECK(checked > kTypes * kValuesPerType / 2);
}

TEST_CASE("canon property: lift then lower valid bytes gives the same bytes", "[canon][property]") {
  Types ty;
  Gen gen(ty, 0x5eed0002);
  int checked = 0;
  for (int i = 0; i < kTypes; ++i) {
    const TypeRef t = gen.type(3);
    if (t->size > 4096) continue;
    const Val v = gen.value(t);
    const StringEncoding enc = gen.encoding();
    INFO("type " << to_string(t) << " value " << to_wave(v) << " encoding " << encoding_name(enc));
    const uint32_t ptr = static_cast<uint32_t>(align_to(64, t->align));
    const uint32_t start = static_cast<uint32_t>(align_to(ptr + t->size, 8));
    // Valid bytes: an encoding of a random value (every pointer in range, every string valid).
    Guest a(enc);
    a.mem.bump = start;
    REQUIRE(store(*a.cx, v, t, ptr));
    const uint32_t end_a = a.mem.bump;
    Val lifted;
    REQUIRE(load(*a.cx, ptr, t, lifted));
    Guest b(enc);
    b.mem.bump = start;
    const bool ok = store(*b.cx, lifted, t, ptr);
    INFO(b.error());
    REQUIRE(ok);
    CHECK(b.mem.bump == end_a);
    CHECK(b.mem.slice(0, end_a) == a.mem.slice(0, end_a));
    ++checked;
  }
  CHECK(checked > kTypes / 2);
}

TEST_CASE("canon property: fused calls deliver the values of the Val path",
          "[canon][property][fused]") {
  Types ty;
  Gen gen(ty, 0x5eed0003);
  int checked = 0;
  for (int i = 0; i < kTypes / 2; ++i) {
    const TypeRef t = gen.type(2);
    if (t->size > 4096) continue;
    const Val v = gen.value(t);
    const StringEncoding ea = gen.encoding(), eb = gen.encoding();
    INFO("type " << to_string(t) << " value " << to_wave(v) << " caller " << encoding_name(ea)
                 << " callee " << encoding_name(eb));
    // Arguments: the caller lowers v (as its compiled code would have), the fused call copies
    // it, the callee's lift sees v.
    {
      Guest a(ea), b(eb);
      FuncType f;
      f.params.push_back({"p", t});
      const FuncType* ft = ty.table.intern_func(std::move(f));
      FlatValues args;
      REQUIRE(lower_flat_values(*a.cx, kMaxFlatParams, std::vector<Val>{v}, std::vector<TypeRef>{t},
                                args));
      std::vector<Val> seen;
      std::string callee_error;
      auto callee = [&](uint64_t* slots, size_t n) -> Result<void> {
        Cx cx(b.opts, &b.inst);
        CoreValueIter vi(slots, std::min(n, args.size()));
        if (!lift_flat_values(cx, kMaxFlatParams, vi, std::vector<TypeRef>{t}, seen)) {
          callee_error = cx.error().message;
        }
        return {};
      };
      LoweredFunc lower(ft, a.opts, &a.inst);
      LiftedFunc lift(ft, b.opts, &b.inst, callee);
      args.resize(std::max<size_t>(args.size(), 1));
      Result<void> r = call_fused(lower, lift, args.data(), args.size());
      INFO((r.ok() ? callee_error : r.error().message));
      REQUIRE(r.ok());
      REQUIRE(callee_error.empty());
      REQUIRE(seen.size() == 1);
      CHECK(seen[0] == v);
    }
    // Results: the callee lowers v, the fused call copies it, the caller's lift sees v.
    {
      Guest a(ea), b(eb);
      FuncType f;
      f.result = t;
      const FuncType* ft = ty.table.intern_func(std::move(f));
      auto callee = [&](uint64_t* slots, size_t) -> Result<void> {
        Task task(&b.inst);
        Cx cx(b.opts, &b.inst, &task);
        FlatValues out;
        REQUIRE(lower_flat_values(cx, kMaxFlatResults, std::vector<Val>{v}, std::vector<TypeRef>{t},
                                  out));
        REQUIRE(out.size() <= 1);
        if (!out.empty()) slots[0] = out[0];
        return {};
      };
      const bool spilled = t->flat.size() > kMaxFlatResults;
      uint64_t slots[2] = {0, 0};
      if (spilled) {
        uint32_t retptr;
        REQUIRE(a.cx->allocate(t->align, t->size, &retptr));
        slots[0] = retptr;
      }
      LoweredFunc lower(ft, a.opts, &a.inst);
      LiftedFunc lift(ft, b.opts, &b.inst, callee);
      Result<void> r = call_fused(lower, lift, slots, 2);
      INFO((r.ok() ? std::string() : r.error().message));
      REQUIRE(r.ok());
      std::vector<Val> back;
      CoreValueIter vi(slots, 1);
      a.reset();
      const bool ok = lift_flat_values(*a.cx, kMaxFlatResults, vi, std::vector<TypeRef>{t}, back);
      INFO(a.error());
      REQUIRE(ok);
      CHECK(back[0] == v);
    }
    ++checked;
  }
  CHECK(checked > kTypes / 4);
}

// Hostile guests: random bytes in memory and random flat values, lifted as random types,
// must either lift or trap with a message -- never crash, hang or allocate without bound.
TEST_CASE("canon property: random bytes never crash a lift", "[canon][property][hostile]") {
  Types ty;
  Gen gen(ty, 0x5eed0004);
  std::mt19937_64 rng(42);
  int lifted = 0, trapped = 0;
  for (int i = 0; i < kTypes; ++i) {
    const TypeRef t = gen.type(3);
    if (t->size > 4096) continue;
    Guest g(gen.encoding(), nullptr, 1 << 16);
    for (size_t k = 0; k < g.mem.bytes.size(); k += 8) {
      uint64_t r = rng();
      // Small numbers are likelier to be in-range lengths, pointers and discriminants.
      if (rng() % 2) r &= 0x0000ffff0000ffffull;
      if (rng() % 2) r &= 0x000000ff000000ffull;
      std::memcpy(g.mem.base + k, &r, 8);
    }
    g.cx->host_budget = 1 << 20;
    const uint32_t ptr = static_cast<uint32_t>(align_to(rng() % (60000 - t->size), t->align));
    INFO("type " << to_string(t));
    Val v;
    if (load(*g.cx, ptr, t, v)) {
      ++lifted;
      CHECK(matches(v, t));
    } else {
      ++trapped;
      CHECK(g.cx->error().kind == ErrorKind::Trap);
      CHECK_FALSE(g.error().empty());
    }
    // The same bytes as flat values.
    g.reset();
    g.cx->host_budget = 1 << 20;
    std::vector<uint64_t> flat(t->flat.size());
    for (uint64_t& f : flat) f = rng() % 3 == 0 ? rng() : rng() % 64;
    CoreValueIter vi(flat.data(), flat.size());
    Val fv;
    if (lift_flat(*g.cx, vi, t, fv)) CHECK(matches(fv, t));
    // And copied to another guest by a fused call's copy.
    Guest dst(gen.encoding());
    dst.mem.fixed = true;  // a claimed huge copy traps instead of growing the test memory
    g.reset();
    FuncType f;
    f.params.push_back({"p", t});
    const FuncType* ft = ty.table.intern_func(std::move(f));
    LoweredFunc lower(ft, g.opts, &g.inst);
    LiftedFunc lift(ft, dst.opts, &dst.inst, [](uint64_t*, size_t) -> Result<void> { return {}; });
    uint64_t p = ptr;
    FlatValues args;
    if (t->flat.size() > kMaxFlatParams) {
      args.push_back(p);
    } else {
      for (uint64_t x : flat) args.push_back(x);
    }
    Result<void> r = call_fused(lower, lift, args.data(), args.size());
    if (!r) CHECK(r.error().kind == ErrorKind::Trap);
  }
  CHECK(lifted > 0);
  CHECK(trapped > 0);
}

}  // namespace
}  // namespace zinc::component::canon::test

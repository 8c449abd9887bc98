// tests/component/canon_test.cc: the Canonical ABI's load/store, flat lifting/lowering and
// string functions (component/canon_*.cc) at known byte layouts, with their traps.
#include <catch2/catch.hpp>

#include "tests/component/canon_test_util.h"

namespace zinc::component::canon::test {
namespace {

Val load_ok(Guest& g, uint32_t ptr, TypeRef t) {
  Val v;
  const bool ok = load(*g.cx, ptr, t, v);
  INFO(g.error());
  REQUIRE(ok);
  return v;
}

void store_ok(Guest& g, const Val& v, TypeRef t, uint32_t ptr) {
  const bool ok = store(*g.cx, v, t, ptr);
  INFO(g.error());
  REQUIRE(ok);
}

// Loads `t` at `ptr` expecting a trap whose message starts with `text`.
void load_traps(Guest& g, uint32_t ptr, TypeRef t, std::string_view text) {
  g.reset();
  Val v;
  CHECK_FALSE(load(*g.cx, ptr, t, v));
  REQUIRE(g.cx->failed());
  INFO(g.error());
  CHECK(g.error().starts_with(text));
  CHECK(g.cx->error().kind == ErrorKind::Trap);
}

TEST_CASE("canon: scalars load and store at their sizes, little-endian", "[canon]") {
  Types ty;
  Guest g;
  g.mem.put(64, {0x80, 0xff, 0x34, 0x12, 0x78, 0x56, 0x34, 0x12});
  CHECK(load_ok(g, 64, ty.p(ValKind::U8)) == Val::u8(0x80));
  CHECK(load_ok(g, 64, ty.p(ValKind::S8)) == Val::s8(-128));
  CHECK(load_ok(g, 64, ty.p(ValKind::S16)) == Val::s16(-128));
  CHECK(load_ok(g, 66, ty.p(ValKind::U16)) == Val::u16(0x1234));
  CHECK(load_ok(g, 68, ty.p(ValKind::U32)) == Val::u32(0x12345678));
  CHECK(load_ok(g, 64, ty.p(ValKind::U64)) == Val::u64(0x123456781234ff80ull));
  CHECK(load_ok(g, 64, ty.p(ValKind::S32)) == Val::s32(0x1234ff80));
  CHECK(load_ok(g, 64, ty.p(ValKind::Bool)) == Val::boolean(true));  // any nonzero byte

  store_ok(g, Val::s16(-2), ty.p(ValKind::S16), 80);
  CHECK(g.mem.slice(80, 2) == std::vector<uint8_t>{0xfe, 0xff});
  store_ok(g, Val::s64(-1), ty.p(ValKind::S64), 88);
  CHECK(g.mem.slice(88, 8) == std::vector<uint8_t>(8, 0xff));
  store_ok(g, Val::boolean(true), ty.p(ValKind::Bool), 96);
  CHECK(g.mem.base[96] == 1);
  store_ok(g, Val::f32(1.5f), ty.p(ValKind::F32), 100);
  CHECK(g.mem.get32(100) == 0x3fc00000u);
  store_ok(g, Val::character(0x1F600), ty.p(ValKind::Char), 104);
  CHECK(g.mem.get32(104) == 0x1F600u);
}

TEST_CASE("canon: floats lift with NaNs canonicalised", "[canon]") {
  Types ty;
  Guest g;
  g.mem.put32(64, 0x7fa00001u);  // a signalling NaN payload
  CHECK(load_ok(g, 64, ty.p(ValKind::F32)).bits == kCanonicalFloat32Nan);
  g.mem.put32(64, 0xffc00000u);  // negative quiet NaN
  CHECK(load_ok(g, 64, ty.p(ValKind::F32)).bits == kCanonicalFloat32Nan);
  g.mem.put32(64, 0x7f800000u);  // +inf stays
  CHECK(load_ok(g, 64, ty.p(ValKind::F32)).bits == 0x7f800000u);
  const uint64_t nan64 = 0xfff0000000000001ull;
  std::memcpy(g.mem.base + 72, &nan64, 8);
  CHECK(load_ok(g, 72, ty.p(ValKind::F64)).bits == kCanonicalFloat64Nan);
  CHECK(canonicalize_nan64(0x3ff0000000000000ull) == 0x3ff0000000000000ull);
}

TEST_CASE("canon: char validation traps on surrogates and beyond U+10FFFF", "[canon]") {
  Types ty;
  Guest g;
  const TypeRef c = ty.p(ValKind::Char);
  for (uint32_t bad : {0xD800u, 0xDBFFu, 0xDC00u, 0xDFFFu, 0x110000u, 0xFFFFFFFFu}) {
    g.mem.put32(64, bad);
    load_traps(g, 64, c, "invalid `char` bit pattern");
  }
  for (uint32_t good : {0u, 0xD7FFu, 0xE000u, 0x10FFFFu}) {
    g.reset();
    g.mem.put32(64, good);
    CHECK(load_ok(g, 64, c) == Val::character(good));
  }
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::character(0xD800), c, 64));
  CHECK(g.error() == "invalid `char` bit pattern");
  // Flat lifting checks too.
  g.reset();
  uint64_t slot = 0xDFFF;
  CoreValueIter vi(&slot, 1);
  Val v;
  CHECK_FALSE(lift_flat(*g.cx, vi, c, v));
}

TEST_CASE("canon: record and tuple layouts follow alignment", "[canon]") {
  Types ty;
  Guest g;
  // record { a: u8, b: u32, c: u16, d: u64 } -> offsets 0, 4, 8, 16; size 24, align 8
  const TypeRef r = ty.record({{"a", ty.p(ValKind::U8)},
                               {"b", ty.p(ValKind::U32)},
                               {"c", ty.p(ValKind::U16)},
                               {"d", ty.p(ValKind::U64)}});
  CHECK(r->size == 24);
  CHECK(r->align == 8);
  const Val v = Val::record({"a", "b", "c", "d"},
                            {Val::u8(1), Val::u32(0x02020202), Val::u16(0x0303), Val::u64(4)});
  std::memset(g.mem.base + 64, 0xAA, 24);
  store_ok(g, v, r, 64);
  CHECK(g.mem.slice(64, 24) == std::vector<uint8_t>{1, 0xAA, 0xAA, 0xAA, 2,    2,    2,    2,
                                                    3, 3,    0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA,
                                                    4, 0,    0,    0,    0,    0,    0,    0});
  CHECK(load_ok(g, 64, r) == v);
  const TypeRef t = ty.tuple({ty.p(ValKind::U8), ty.p(ValKind::U16)});
  CHECK(t->size == 4);
  store_ok(g, Val::tuple({Val::u8(9), Val::u16(0x0a0b)}), t, 128);
  CHECK(g.mem.slice(128, 4)[0] == 9);
  CHECK(g.mem.slice(128, 4)[2] == 0x0b);
  CHECK(load_ok(g, 128, t) == Val::tuple({Val::u8(9), Val::u16(0x0a0b)}));
}

TEST_CASE("canon: variants, enums, options and results", "[canon]") {
  Types ty;
  Guest g;
  // variant { a, b(u64), c(u8) }: discriminant u8, payload at 8, size 16
  const TypeRef var =
      ty.variant({{"a", nullptr}, {"b", ty.p(ValKind::U64)}, {"c", ty.p(ValKind::U8)}});
  CHECK(var->size == 16);
  store_ok(g, Val::variant("b", {Val::u64(7)}), var, 64);
  CHECK(g.mem.base[64] == 1);
  CHECK(g.mem.base[72] == 7);
  CHECK(load_ok(g, 64, var) == Val::variant("b", {Val::u64(7)}));
  g.mem.base[64] = 3;
  load_traps(g, 64, var, "invalid variant discriminant");

  const TypeRef e = ty.enumeration({"red", "green", "blue"});
  g.reset();
  store_ok(g, Val::enumeration("blue"), e, 80);
  CHECK(g.mem.base[80] == 2);
  CHECK(load_ok(g, 80, e) == Val::enumeration("blue"));
  g.mem.base[80] = 3;
  load_traps(g, 80, e, "invalid variant discriminant");

  // An enum of 300 cases has a 2-byte discriminant.
  const TypeRef big = ty.enumeration(labels(300, "e"));
  CHECK(big->size == 2);
  g.reset();
  g.mem.put(96, {0x2b, 0x01});
  CHECK(load_ok(g, 96, big) == Val::enumeration("e299"));
  g.mem.put(96, {0x2c, 0x01});
  load_traps(g, 96, big, "invalid variant discriminant");

  const TypeRef opt = ty.option(ty.p(ValKind::U32));
  g.reset();
  store_ok(g, Val::option({Val::u32(5)}), opt, 112);
  CHECK(g.mem.base[112] == 1);
  CHECK(g.mem.get32(116) == 5);
  CHECK(load_ok(g, 112, opt) == Val::option({Val::u32(5)}));
  g.mem.base[112] = 2;
  load_traps(g, 112, opt, "invalid variant discriminant");

  const TypeRef res = ty.result(nullptr, ty.p(ValKind::String));
  g.reset();
  store_ok(g, Val::result(true), res, 128);
  CHECK(load_ok(g, 128, res) == Val::result(true));
  store_ok(g, Val::result(false, {Val::string("bad")}), res, 128);
  CHECK(g.mem.base[128] == 1);
  CHECK(load_ok(g, 128, res) == Val::result(false, {Val::string("bad")}));

  // A Val that does not match its variant type traps instead of writing garbage.
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::variant("zzz"), var, 64));
  CHECK(g.error().starts_with("value does not match type"));
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::variant("b"), var, 64));  // missing payload
}

TEST_CASE("canon: flags up to 32 labels, sizes 1/2/4", "[canon]") {
  Types ty;
  Guest g;
  const TypeRef f8 = ty.flags(labels(8));
  const TypeRef f9 = ty.flags(labels(9));
  const TypeRef f32 = ty.flags(labels(32));
  CHECK(f8->size == 1);
  CHECK(f9->size == 2);
  CHECK(f32->size == 4);
  store_ok(g, Val::flags({"f0", "f8"}), f9, 64);
  CHECK(g.mem.slice(64, 2) == std::vector<uint8_t>{1, 1});
  CHECK(load_ok(g, 64, f9) == Val::flags({"f8", "f0"}));  // a set: order does not matter
  store_ok(g, Val::flags(labels(32)), f32, 68);
  CHECK(g.mem.get32(68) == 0xffffffffu);
  CHECK(load_ok(g, 68, f32) == Val::flags(labels(32)));
  // Bits beyond the labels are ignored when lifting.
  g.mem.put(72, {0xff, 0xff});
  CHECK(load_ok(g, 72, f9).names.size() == 9);
  // More than 32 flags is not a valid type (Binary.md; the ABI has no multi-word flags).
  std::string err;
  ValType t;
  t.kind = ValKind::Flags;
  t.labels = labels(33);
  CHECK(ty.table.intern(std::move(t), &err) == nullptr);
  CHECK(err == "cannot have more than 32 flags");
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::flags({"nope"}), f8, 64));
}

TEST_CASE("canon: lists are packed, aligned and bounds-checked", "[canon]") {
  Types ty;
  Guest g;
  const TypeRef lu8 = ty.list(ty.p(ValKind::U8));
  const TypeRef lu32 = ty.list(ty.p(ValKind::U32));
  g.mem.put(256, {1, 2, 3, 4, 5, 6, 7, 8});
  g.mem.put32(64, 256);
  g.mem.put32(68, 8);
  const Val v = load_ok(g, 64, lu8);
  CHECK(v.packed);
  CHECK(v.list_size() == 8);
  CHECK(v.list_item(7) == Val::u8(8));
  CHECK(v == Val::list({Val::u8(1), Val::u8(2), Val::u8(3), Val::u8(4), Val::u8(5), Val::u8(6),
                        Val::u8(7), Val::u8(8)}));
  g.mem.put32(68, 2);
  CHECK(load_ok(g, 64, lu32) == Val::list({Val::u32(0x04030201), Val::u32(0x08070605)}));

  g.mem.put32(64, 258);  // misaligned for u32
  load_traps(g, 64, lu32, "list pointer is not aligned");
  g.mem.put32(64, 0xfffffff0u);
  load_traps(g, 64, lu8, "list pointer/length out of bounds of memory");
  g.mem.put32(64, 256);
  g.mem.put32(68, 0x10000000u);  // 2^28 u8: over the byte limit
  load_traps(g, 64, lu8, "list byte length 268435456 exceeds");
  g.mem.put32(68, 0x08000000u);  // 2^27 u32 = 2^29 bytes
  load_traps(g, 64, lu32, "list byte length 536870912 exceeds");

  // A bool list normalises, a char list validates.
  const TypeRef lb = ty.list(ty.p(ValKind::Bool));
  g.mem.put(256, {0, 7, 1});
  g.mem.put32(64, 256);
  g.mem.put32(68, 3);
  g.reset();
  CHECK(load_ok(g, 64, lb) ==
        Val::list({Val::boolean(false), Val::boolean(true), Val::boolean(true)}));
  const TypeRef lc = ty.list(ty.p(ValKind::Char));
  g.mem.put32(256, 'a');
  g.mem.put32(260, 0xD800);
  g.mem.put32(68, 2);
  load_traps(g, 64, lc, "invalid `char` bit pattern");

  // Storing allocates through realloc with the element's alignment.
  g.reset();
  g.mem.bump = 301;
  store_ok(g, Val::list({Val::u32(1), Val::u32(2)}), lu32, 64);
  CHECK(g.mem.get32(64) == 304);
  CHECK(g.mem.get32(68) == 2);
  CHECK(g.mem.get32(308) == 2);
  // A packed Val stores with one copy.
  store_ok(g, Val::packed_list(ValKind::U8, std::string("xyz")), lu8, 72);
  CHECK(g.mem.get32(76) == 3);
  CHECK(g.mem.base[g.mem.get32(72) + 2] == 'z');
}

TEST_CASE("canon: fixed-length lists are stored inline", "[canon]") {
  Types ty;
  Guest g;
  const TypeRef fl = ty.fixed_list(ty.p(ValKind::U16), 3);
  CHECK(fl->size == 6);
  CHECK(fl->flat.size() == 3);
  const Val v = Val::list({Val::u16(1), Val::u16(2), Val::u16(3)});
  store_ok(g, v, fl, 64);
  CHECK(g.mem.slice(64, 6) == std::vector<uint8_t>{1, 0, 2, 0, 3, 0});
  CHECK(load_ok(g, 64, fl) == v);
  CHECK(g.mem.realloc_calls == 0);
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::list({Val::u16(1)}), fl, 64));  // wrong length
  // Flat: three i32s.
  g.reset();
  FlatValues flat;
  REQUIRE(lower_flat(*g.cx, v, fl, flat));
  CHECK(flat == FlatValues{1, 2, 3});
  CoreValueIter vi(flat.data(), flat.size());
  Val back;
  REQUIRE(lift_flat(*g.cx, vi, fl, back));
  CHECK(back == v);
}

TEST_CASE("canon: maps are lists of (key, value) records", "[canon]") {
  Types ty;
  Guest g;
  const TypeRef m = ty.map(ty.p(ValKind::String), ty.p(ValKind::U32));
  CHECK(m->size == 8);
  CHECK(m->flat.size() == 2);
  Val v;
  v.kind = ValKind::Map;
  v.items = {Val::tuple({Val::string("a"), Val::u32(1)}),
             Val::tuple({Val::string("bc"), Val::u32(2)})};
  REQUIRE(matches(v, m));
  store_ok(g, v, m, 64);
  const uint32_t entries = g.mem.get32(64);
  CHECK(g.mem.get32(68) == 2);
  CHECK(g.mem.get32(entries + 12 + 4) == 2);  // entry 1: (ptr, len) then u32 at offset 8
  CHECK(g.mem.get32(entries + 12 + 8) == 2);
  CHECK(load_ok(g, 64, m) == v);
  // The host may pass a map as a plain list of entries.
  Val as_list = Val::list(v.items);
  CHECK(matches(as_list, m));
  FlatValues flat;
  REQUIRE(lower_flat(*g.cx, as_list, m, flat));
  CoreValueIter vi(flat.data(), flat.size());
  Val back;
  REQUIRE(lift_flat(*g.cx, vi, m, back));
  CHECK(back == v);
}

// ---- strings ----

// Stores `s` (host UTF-8) into a guest of encoding `enc` and returns (ptr, tagged units).
std::pair<uint32_t, uint32_t> put_string(Guest& g, std::string_view s) {
  uint32_t ptr = 0, tagged = 0;
  const bool ok = store_string_into_range(*g.cx, StringRef::utf8(s), &ptr, &tagged);
  INFO(g.error());
  REQUIRE(ok);
  return {ptr, tagged};
}

std::string get_string(Guest& g, uint32_t ptr, uint32_t tagged) {
  StringRef s;
  bool ok = load_string_from_range(*g.cx, ptr, tagged, &s);
  INFO(g.error());
  REQUIRE(ok);
  Val v;
  ok = lift_string_val(*g.cx, s, v);
  REQUIRE(ok);
  return v.str;
}

const char* const kSamples[] = {
    "",
    "hello",
    "h\xC3\xA9llo \xC3\xBF",                 // latin-1 range
    "\xE6\x97\xA5\xE6\x9C\xAC",              // BMP beyond latin-1
    "a\xF0\x9F\x98\x80z",                    // astral (surrogate pair in UTF-16)
    "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80",  // every width
    "plain ascii that is long enough to take the sixteen-byte fast path twice over",
};

TEST_CASE("canon: string encodings -- exact layouts", "[canon][string]") {
  Guest u8(StringEncoding::Utf8), u16(StringEncoding::Utf16), l1(StringEncoding::Latin1Utf16);
  auto [p8, n8] = put_string(u8, "h\xC3\xA9");
  CHECK(n8 == 3);
  CHECK(u8.mem.slice(p8, 3) == std::vector<uint8_t>{'h', 0xC3, 0xA9});
  auto [p16, n16] = put_string(u16, "h\xC3\xA9\xF0\x9F\x98\x80");
  CHECK(p16 % 2 == 0);
  CHECK(n16 == 4);
  CHECK(u16.mem.slice(p16, 8) == std::vector<uint8_t>{'h', 0, 0xE9, 0, 0x3D, 0xD8, 0x00, 0xDE});
  auto [pl, nl] = put_string(l1, "h\xC3\xA9");
  CHECK(nl == 2);  // latin-1, untagged
  CHECK(l1.mem.slice(pl, 2) == std::vector<uint8_t>{'h', 0xE9});
  auto [pw, nw] = put_string(l1, "h\xE6\x97\xA5");
  CHECK(nw == (2u | kUtf16Tag));  // UTF-16, tagged
  CHECK(l1.mem.slice(pw, 4) == std::vector<uint8_t>{'h', 0, 0xE5, 0x65});
}

TEST_CASE("canon: string transcoding in all nine directions", "[canon][string]") {
  const StringEncoding encs[] = {StringEncoding::Utf8, StringEncoding::Utf16,
                                 StringEncoding::Latin1Utf16};
  for (StringEncoding from : encs) {
    for (StringEncoding to : encs) {
      for (const char* sample : kSamples) {
        INFO(encoding_name(from) << " -> " << encoding_name(to) << ": " << sample);
        Guest a(from), b(to);
        auto [pa, na] = put_string(a, sample);
        StringRef src;
        REQUIRE(load_string_from_range(*a.cx, pa, na, &src));
        uint32_t pb = 0, nb = 0;
        const bool ok = store_string_into_range(*b.cx, src, &pb, &nb);
        INFO(b.error());
        REQUIRE(ok);
        CHECK(get_string(b, pb, nb) == sample);
        // The canonical form in `to` does not depend on where the string came from.
        Guest c(to);
        auto [pc, nc] = put_string(c, sample);
        CHECK(nb == nc);
        const uint64_t bytes = StringRef{to, nb}.byte_length();
        CHECK(b.mem.slice(pb, static_cast<uint32_t>(bytes)) ==
              c.mem.slice(pc, static_cast<uint32_t>(bytes)));
      }
    }
  }
}

TEST_CASE("canon: transcoding shrinks its allocation to fit", "[canon][string]") {
  // utf16 -> utf8 of "é" allocates 1 byte, grows to 3 (worst case), shrinks to 2.
  Guest a(StringEncoding::Utf16), b(StringEncoding::Utf8);
  auto [pa, na] = put_string(a, "\xC3\xA9");
  StringRef src;
  REQUIRE(load_string_from_range(*a.cx, pa, na, &src));
  b.mem.realloc_calls = 0;
  uint32_t pb, nb;
  REQUIRE(store_string_into_range(*b.cx, src, &pb, &nb));
  CHECK(nb == 2);
  CHECK(b.mem.realloc_calls == 3);
}

TEST_CASE("canon: invalid strings trap with the official wording", "[canon][string]") {
  Guest g(StringEncoding::Utf8);
  auto check = [&](std::initializer_list<uint8_t> bytes, std::string_view text) {
    g.reset();
    g.mem.put(512, bytes);
    StringRef s;
    CHECK_FALSE(load_string_from_range(*g.cx, 512, static_cast<uint32_t>(bytes.size()), &s));
    INFO(g.error());
    CHECK(g.error().starts_with(text));
  };
  check({0xff}, "invalid utf-8 sequence of 1 bytes from index 0");
  check({'a', 0xc3}, "incomplete utf-8 byte sequence from index 1");
  check({0xc0, 0x80}, "invalid utf-8");                                         // overlong
  check({0xed, 0xa0, 0x80}, "invalid utf-8 sequence of 1 bytes from index 0");  // surrogate
  check({0xf4, 0x90, 0x80, 0x80}, "invalid utf-8");                             // > U+10FFFF
  check({0xe6, 0x97, 'x'}, "invalid utf-8 sequence of 2 bytes from index 0");
  check({0x80}, "invalid utf-8");  // lone continuation
  // Bounds and lengths.
  g.reset();
  StringRef s;
  CHECK_FALSE(load_string_from_range(*g.cx, 0xfffffff0u, 100, &s));
  CHECK(g.error() == "string pointer/length out of bounds of memory");
  g.reset();
  CHECK_FALSE(load_string_from_range(*g.cx, 0, 1u << 28, &s));
  CHECK(g.error().starts_with("string byte length 268435456 exceeds"));
  // At a component boundary the same trap is worded as Wasmtime's adapters word it.
  g.reset();
  g.cx->boundary = Boundary::Component;
  CHECK_FALSE(load_string_from_range(*g.cx, 0xfffffff0u, 100, &s));
  CHECK(g.error() == "string content out-of-bounds");

  Guest w(StringEncoding::Utf16);
  CHECK_FALSE(load_string_from_range(*w.cx, 513, 0, &s));  // alignment even when empty
  CHECK(w.error() == "string pointer not aligned to 2");
  w.reset();
  w.mem.put(512, {0x00, 0xD8, 'a', 0});  // high surrogate then 'a'
  CHECK_FALSE(load_string_from_range(*w.cx, 512, 2, &s));
  CHECK(w.error() == "invalid utf-16: unpaired surrogate at code unit 0");
  w.reset();
  w.mem.put(512, {'a', 0, 0x00, 0xDC});  // lone low surrogate
  CHECK_FALSE(load_string_from_range(*w.cx, 512, 2, &s));
  CHECK(w.error() == "invalid utf-16: unpaired surrogate at code unit 1");

  Guest l(StringEncoding::Latin1Utf16);
  CHECK_FALSE(load_string_from_range(*l.cx, 513, 1, &s));  // latin1 form also 2-aligned
  CHECK(l.error() == "string pointer not aligned to 2");
  l.reset();
  CHECK_FALSE(load_string_from_range(*l.cx, 512, 0x80000000u | (1u << 27), &s));
  CHECK(l.error().starts_with("string byte length 268435456"));

  // A host string that is not UTF-8 is refused before it reaches the guest.
  Guest h;
  uint32_t p, n;
  CHECK_FALSE(store_string_into_range(*h.cx, StringRef::utf8("\xff"), &p, &n));
  CHECK(h.error().starts_with("value does not match type string"));
}

TEST_CASE("canon: validate_utf8 agrees with a reference decoder", "[canon][string]") {
  // Every 1-, 2- and 3-byte sequence over an interesting byte alphabet.
  const uint8_t alphabet[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                              0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  auto reference = [](const std::vector<uint8_t>& s) {
    size_t i = 0;
    while (i < s.size()) {
      const uint8_t c = s[i];
      uint32_t cp, len;
      if (c < 0x80) {
        ++i;
        continue;
      } else if ((c & 0xE0) == 0xC0) {
        len = 2, cp = c & 0x1F;
      } else if ((c & 0xF0) == 0xE0) {
        len = 3, cp = c & 0x0F;
      } else if ((c & 0xF8) == 0xF0) {
        len = 4, cp = c & 0x07;
      } else {
        return false;
      }
      if (i + len > s.size()) return false;
      for (uint32_t k = 1; k < len; ++k) {
        if ((s[i + k] & 0xC0) != 0x80) return false;
        cp = (cp << 6) | (s[i + k] & 0x3F);
      }
      const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
      if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
      i += len;
    }
    return true;
  };
  size_t checked = 0;
  for (uint8_t a : alphabet) {
    for (uint8_t b : alphabet) {
      for (uint8_t c : alphabet) {
        for (size_t n = 1; n <= 3; ++n) {
          std::vector<uint8_t> s = {a, b, c};
          s.resize(n);
          CHECK(validate_utf8(s.data(), s.size()).ok == reference(s));
          ++checked;
        }
      }
    }
  }
  CHECK(checked == 3 * 20 * 20 * 20);
}

// The index of the first invalid sequence of `s` (a reference decoder), or npos.
size_t first_invalid_utf8(const std::string& s) {
  const auto* b = reinterpret_cast<const uint8_t*>(s.data());
  size_t i = 0;
  while (i < s.size()) {
    const uint8_t c = b[i];
    uint32_t cp, len;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, cp = c & 0x07;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    for (uint32_t k = 1; k < len; ++k) {
      if ((b[i + k] & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (b[i + k] & 0x3F);
    }
    const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += len;
  }
  return std::string::npos;
}

// Checks the three validators (SIMD where the CPU has it, scalar, and the error finder)
// against the reference on `s`.
void check_utf8(const std::string& s) {
  const size_t expect = first_invalid_utf8(s);
  const auto* b = reinterpret_cast<const uint8_t*>(s.data());
  INFO("length " << s.size() << ", first error " << expect);
  CHECK(utf8_valid(b, s.size()) == (expect == std::string::npos));
  CHECK(utf8_valid_scalar(b, s.size()) == (expect == std::string::npos));
  const Utf8Check got = validate_utf8(b, s.size());
  CHECK(got.ok == (expect == std::string::npos));
  if (!got.ok) CHECK(got.index == expect);
}

TEST_CASE("canon: UTF-8 validation across 16-byte block boundaries", "[canon][string]") {
  // Every sequence of up to three bytes over an interesting alphabet, and 4-byte ones over a
  // smaller one, placed so that they straddle or end at a block boundary of the 16-byte
  // validator (or the end of the input), between ASCII bytes.
  const uint8_t alphabet[] = {0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0,
                              0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  const uint8_t leads4[] = {0xf0, 0xf1, 0xf4, 0xf5};
  const uint8_t tails4[] = {0x00, 0x80, 0x8f, 0x90, 0xbf, 0xc2};
  std::vector<std::string> seqs;
  for (uint8_t a : alphabet) {
    seqs.push_back(std::string(1, static_cast<char>(a)));
    for (uint8_t b : alphabet) {
      seqs.push_back(std::string{static_cast<char>(a), static_cast<char>(b)});
      for (uint8_t c : alphabet) {
        seqs.push_back(
            std::string{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)});
      }
    }
  }
  for (uint8_t a : leads4) {
    for (uint8_t b : tails4) {
      for (uint8_t c : tails4) {
        for (uint8_t d : tails4) {
          seqs.push_back(std::string{static_cast<char>(a), static_cast<char>(b),
                                     static_cast<char>(c), static_cast<char>(d)});
        }
      }
    }
  }
  for (const std::string& seq : seqs) {
    for (size_t pre : {13, 14, 15, 16, 29}) {
      for (size_t post : {0, 1, 18}) {
        check_utf8(std::string(pre, 'a') + seq + std::string(post, 'b'));
      }
    }
  }
}

TEST_CASE("canon: validate_utf8 on long mixed text finds the first error", "[canon][string]") {
  // Long random texts of ASCII runs and 2-, 3- and 4-byte characters, half with one byte
  // replaced by a byte that often breaks a sequence, some cut short at the end.
  const char* const pieces[] = {"a",
                                "0123456789abcdefghij",
                                "\xC3\xA9",
                                "\xE2\x82\xAC",
                                "\xF0\x9F\x98\x80",
                                "\xED\x9F\xBF",
                                "\xEF\xBF\xBF",
                                "\xF4\x8F\xBF\xBF"};
  const uint8_t bad[] = {0x80, 0xBF, 0xC0, 0xC1, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF};
  uint32_t seed = 12345;
  auto rnd = [&seed](uint32_t n) {
    seed = seed * 1103515245u + 12345u;
    return (seed >> 8) % n;
  };
  size_t valid = 0;
  for (int round = 0; round < 3000; ++round) {
    const size_t target = rnd(4) == 0 ? rnd(24) : rnd(1200);
    std::string s;
    while (s.size() < target) s += pieces[rnd(std::size(pieces))];
    if (rnd(2) == 0 && !s.empty()) {
      s[rnd(static_cast<uint32_t>(s.size()))] = static_cast<char>(bad[rnd(std::size(bad))]);
    }
    if (rnd(8) == 0 && !s.empty()) s.pop_back();
    INFO("round " << round);
    check_utf8(s);
    if (first_invalid_utf8(s) == std::string::npos) ++valid;
  }
  CHECK(valid > 500);
  CHECK(valid < 2500);
}

TEST_CASE("canon: store_host_string stores as store_string_into_range does", "[canon][string]") {
  for (StringEncoding enc :
       {StringEncoding::Utf8, StringEncoding::Utf16, StringEncoding::Latin1Utf16}) {
    for (const char* sample : kSamples) {
      INFO(encoding_name(enc) << ": " << sample);
      Guest a(enc), b(enc);
      uint32_t pa = 0, na = 0;
      const bool ok = store_host_string(*a.cx, sample, &pa, &na);
      INFO(a.error());
      REQUIRE(ok);
      CHECK(get_string(a, pa, na) == sample);
      auto [pb, nb] = put_string(b, sample);
      CHECK(na == nb);
      const auto bytes = static_cast<uint32_t>(StringRef{enc, nb}.byte_length());
      CHECK(a.mem.slice(pa, bytes) == b.mem.slice(pb, bytes));
    }
  }
  Guest g;
  uint32_t p, n;
  CHECK_FALSE(store_host_string(*g.cx, "ok\xC3", &p, &n));
  CHECK(g.error() == "value does not match type string (not valid UTF-8)");
  // The realloc's result is checked: out of bounds traps instead of writing.
  Guest small(StringEncoding::Utf8, nullptr, 64);
  small.mem.fixed = true;
  CHECK_FALSE(store_host_string(*small.cx, std::string(100, 'x'), &p, &n));
  CHECK(small.error() == "realloc return: beyond end of memory");
}

// ---- flat ----

TEST_CASE("canon: flat lowering joins variant payloads", "[canon][flat]") {
  Types ty;
  Guest g;
  // variant { a(f32), b(u64), c } flattens to [i32, i64]
  const TypeRef v =
      ty.variant({{"a", ty.p(ValKind::F32)}, {"b", ty.p(ValKind::U64)}, {"c", nullptr}});
  REQUIRE(v->flat == std::vector<CoreType>{CoreType::I32, CoreType::I64});
  FlatValues out;
  REQUIRE(lower_flat(*g.cx, Val::variant("a", {Val::f32(2.0f)}), v, out));
  CHECK(out == FlatValues{0, 0x40000000u});
  out.clear();
  REQUIRE(lower_flat(*g.cx, Val::variant("c"), v, out));
  CHECK(out == FlatValues{2, 0});
  const uint64_t in[] = {0, 0x40000000u};
  CoreValueIter vi(in, 2);
  Val back;
  REQUIRE(lift_flat(*g.cx, vi, v, back));
  CHECK(back == Val::variant("a", {Val::f32(2.0f)}));
  CHECK(vi.done());
  const uint64_t bad[] = {3, 0};
  CoreValueIter vb(bad, 2);
  Val x;
  CHECK_FALSE(lift_flat(*g.cx, vb, v, x));
  CHECK(g.error() == "invalid variant discriminant");
}

TEST_CASE("canon: flat integers wrap and sign-extend", "[canon][flat]") {
  Types ty;
  Guest g;
  const uint64_t in[] = {0x1ff, 0xff, 0xffff8000u, 0xffffffffffffffffull};
  CoreValueIter vi(in, 4);
  Val a, b, c, d;
  REQUIRE(lift_flat(*g.cx, vi, ty.p(ValKind::U8), a));
  REQUIRE(lift_flat(*g.cx, vi, ty.p(ValKind::S8), b));
  REQUIRE(lift_flat(*g.cx, vi, ty.p(ValKind::S16), c));
  REQUIRE(lift_flat(*g.cx, vi, ty.p(ValKind::S64), d));
  CHECK(a == Val::u8(0xff));
  CHECK(b == Val::s8(-1));
  CHECK(c == Val::s16(-32768));
  CHECK(d == Val::s64(-1));
  FlatValues out;
  REQUIRE(lower_flat(*g.cx, Val::s8(-1), ty.p(ValKind::S8), out));
  CHECK(out == FlatValues{0xffffffffu});
}

TEST_CASE("canon: flat values spill past 16 params and 1 result", "[canon][flat]") {
  Types ty;
  Guest g;
  std::vector<TypeRef> ts(17, ty.p(ValKind::U32));
  std::vector<Val> vs;
  for (uint32_t i = 0; i < 17; ++i) vs.push_back(Val::u32(i * 3));
  FlatValues out;
  REQUIRE(lower_flat_values(*g.cx, kMaxFlatParams, vs, ts, out));
  REQUIRE(out.size() == 1);  // a pointer to the tuple
  CHECK(g.mem.get32(static_cast<uint32_t>(out[0]) + 16 * 4) == 48);
  CoreValueIter vi(out.data(), 1);
  std::vector<Val> back;
  REQUIRE(lift_flat_values(*g.cx, kMaxFlatParams, vi, ts, back));
  CHECK(back == vs);
  // A bad spilled pointer traps.
  uint64_t odd = 2;
  CoreValueIter vo(&odd, 1);
  CHECK_FALSE(lift_flat_values(*g.cx, kMaxFlatParams, vo, ts, back));
  CHECK(g.error() == "unaligned pointer");
  g.reset();
  uint64_t far = 0xfffffff0u;
  CoreValueIter vf(&far, 1);
  CHECK_FALSE(lift_flat_values(*g.cx, kMaxFlatParams, vf, ts, back));
  CHECK(g.error() == "pointer out of bounds of memory");
  // Results through a caller-supplied retptr (out_param).
  g.reset();
  const TypeRef str = ty.p(ValKind::String);
  uint64_t retptr = 1024;
  CoreValueIter op(&retptr, 1);
  FlatValues none;
  const std::vector<Val> r = {Val::string("xy")};
  REQUIRE(lower_flat_values(*g.cx, kMaxFlatResults, r, std::vector<TypeRef>{str}, none, &op));
  CHECK(none.empty());
  CHECK(g.mem.get32(1028) == 2);
  retptr = 1026;
  CoreValueIter op2(&retptr, 1);
  CHECK_FALSE(lower_flat_values(*g.cx, kMaxFlatResults, r, std::vector<TypeRef>{str}, none, &op2));
  CHECK(g.error() == "unaligned pointer");
}

TEST_CASE("canon: realloc results are checked", "[canon]") {
  Types ty;
  Guest g;
  g.mem.fixed = true;
  g.mem.bump = 0xfff0;  // next allocation runs past the 64 KiB memory
  const TypeRef lu32 = ty.list(ty.p(ValKind::U32));
  CHECK_FALSE(store(*g.cx,
                    Val::list({Val::u32(1), Val::u32(2), Val::u32(3), Val::u32(4), Val::u32(5)}),
                    lu32, 64));
  CHECK(g.error() == "realloc return: beyond end of memory");
  g.reset();
  g.opts.realloc = [](uint32_t, uint32_t, uint32_t, uint32_t) -> Result<uint32_t> {
    return 0xffffffffu;
  };
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::list({Val::u32(1)}), lu32, 64));
  CHECK(g.error() == "realloc return: result not aligned");
  g.reset();
  g.cx->boundary = Boundary::Component;
  CHECK_FALSE(store(*g.cx, Val::list({Val::u32(1)}), lu32, 64));
  CHECK(g.error() == "unaligned pointer");
  // No realloc option at all.
  g.opts.realloc = nullptr;
  g.reset();
  CHECK_FALSE(store(*g.cx, Val::string("x"), ty.p(ValKind::String), 64));
  CHECK(g.error() == "canonical option `realloc` is required but missing");
}

TEST_CASE("canon: the host budget bounds what a lift allocates", "[canon]") {
  Types ty;
  Guest g(StringEncoding::Utf8, nullptr, 1 << 20);
  // list<list<u8>> whose 100000 entries all point at the same 1000 bytes: 100 MB of Vals.
  const TypeRef inner = ty.list(ty.p(ValKind::U8));
  const TypeRef outer = ty.list(inner);
  for (uint32_t i = 0; i < 100000; ++i) {
    g.mem.put32(4096 + 8 * i, 0);
    g.mem.put32(4096 + 8 * i + 4, 1000);
  }
  g.mem.put32(64, 4096);
  g.mem.put32(68, 100000);
  g.cx->host_budget = 10 << 20;
  Val v;
  CHECK_FALSE(load(*g.cx, 64, outer, v));
  CHECK(g.error().starts_with("lifted value exceeds the host's limit of"));
}

TEST_CASE("canon: Val helpers -- matches, equality, WAVE", "[canon][val]") {
  Types ty;
  CHECK(matches(Val::u8(255), ty.p(ValKind::U8)));
  Val too_big = Val::u8(0);
  too_big.bits = 256;
  CHECK_FALSE(matches(too_big, ty.p(ValKind::U8)));
  CHECK(matches(Val::s8(-128), ty.p(ValKind::S8)));
  CHECK_FALSE(matches(Val::s16(-129), ty.p(ValKind::S8)));
  CHECK_FALSE(matches(Val::character(0xD800), ty.p(ValKind::Char)));
  CHECK_FALSE(matches(Val::string("\xc3"), ty.p(ValKind::String)));
  const TypeRef r = ty.record({{"a", ty.p(ValKind::U8)}, {"b", ty.option(ty.p(ValKind::Bool))}});
  CHECK(matches(Val::record({"a", "b"}, {Val::u8(1), Val::option({})}), r));
  CHECK_FALSE(matches(Val::record({"a", "c"}, {Val::u8(1), Val::option({})}), r));
  CHECK_FALSE(matches(Val::record({"a"}, {Val::u8(1)}), r));
  const TypeRef f = ty.flags({"read", "write"});
  CHECK(matches(Val::flags({"write"}), f));
  CHECK_FALSE(matches(Val::flags({"write", "write"}), f));
  CHECK_FALSE(matches(Val::flags({"exec"}), f));
  CHECK(matches(Val::packed_list(ValKind::U16, std::string(4, '\0')), ty.list(ty.p(ValKind::U16))));
  CHECK_FALSE(
      matches(Val::packed_list(ValKind::U16, std::string(3, '\0')), ty.list(ty.p(ValKind::U16))));
  CHECK_FALSE(
      matches(Val::packed_list(ValKind::U8, std::string(2, '\0')), ty.list(ty.p(ValKind::U16))));

  CHECK(to_wave(Val::string("a\"b\n")) == "\"a\\\"b\\n\"");
  CHECK(to_wave(Val::list({Val::u8(1), Val::u8(2)})) == "[1, 2]");
  CHECK(to_wave(Val::packed_list(ValKind::S16, std::string("\xff\xff\x02\x00", 4))) == "[-1, 2]");
  CHECK(to_wave(Val::record({"a", "true"}, {Val::s32(-1), Val::boolean(true)})) ==
        "{a: -1, %true: true}");
  CHECK(to_wave(Val::option({Val::u8(3)})) == "some(3)");
  CHECK(to_wave(Val::option({})) == "none");
  CHECK(to_wave(Val::result(true, {Val::string("x")})) == "ok(\"x\")");
  CHECK(to_wave(Val::result(false)) == "err");
  CHECK(to_wave(Val::enumeration("red")) == "red");
  CHECK(to_wave(Val::variant("some-case", {Val::character('\'')})) == "some-case('\\'')");
  CHECK(to_wave(Val::flags({"read", "write"})) == "{read, write}");
  CHECK(to_wave(Val::flags({})) == "{}");
  CHECK(to_wave(Val::tuple({Val::f64(1.5), Val::f32(-0.25f)})) == "(1.5, -0.25)");
  CHECK(to_wave(Val::f64(std::numeric_limits<double>::quiet_NaN())) == "nan");
  CHECK(to_wave(Val::f32(-std::numeric_limits<float>::infinity())) == "-inf");
  CHECK(to_wave(Val::character(0x1F600)) == "'\xF0\x9F\x98\x80'");
}

}  // namespace
}  // namespace zinc::component::canon::test

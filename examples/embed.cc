// examples/embed.cc: embedding Zinc in a C++ program, from source text to a trap's backtrace.
//
// The steps most embedders need, in order: compile a module (here WebAssembly text kept in the
// program), give it host functions with Linker::func_wrap (one reads a string out of the
// guest's linear memory through its Caller), instantiate it, call exports through typed views,
// and handle a trap by printing its message and wasm backtrace. Every Zinc call returns a
// zinc::Result, so errors are ordinary values: nothing here throws.
//
// Build and run: `ninja -C build examples/embed && build/examples/embed`
// (examples/check_embed.sh checks its output as part of `meson test --suite examples`).
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "zinc/zinc.h"

namespace {

// The guest: sums the squares of 1..n, asking the host to square each number and telling it
// what it is doing through "log"; `mean` divides and so traps when the count is zero.
constexpr std::string_view kGuest = R"((module
  (import "host" "log" (func $log (param i32 i32)))  ;; (pointer, length) of a UTF-8 string
  (import "host" "square" (func $square (param i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "summing squares")
  (func (export "sum_squares") (param $n i32) (result i32)
    (local $i i32) (local $sum i32)
    (call $log (i32.const 16) (i32.const 15))
    (block $done
      (loop $next
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $done (i32.gt_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (local.get $sum) (call $square (local.get $i))))
        (br $next)))
    (local.get $sum))
  (func $divide (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func (export "mean") (param $total i32) (param $count i32) (result i32)
    (call $divide (local.get $total) (local.get $count)))))";

// Prints an error the way a command-line tool would: traps with their wasm backtrace.
void report(std::string_view what, const zinc::Error& error) {
  std::printf("%.*s failed: %s\n", static_cast<int>(what.size()), what.data(),
              error.message.c_str());
  if (error.kind == zinc::ErrorKind::Trap && error.trap != nullptr) {
    std::printf("wasm backtrace:\n%s", error.trap->backtrace().c_str());
  }
}

}  // namespace

int main() {
  // An Engine holds the configuration; a Store owns everything instantiated in it.
  zinc::Engine engine;
  zinc::Store store(engine);

  // Text or binary: Module::compile accepts both. The name shows up in backtraces.
  auto module = zinc::Module::compile(
      engine, {reinterpret_cast<const uint8_t*>(kGuest.data()), kGuest.size()}, "guest.wat");
  if (!module.ok()) {
    report("compile", module.error());
    return 1;
  }

  // Host functions. Signatures are deduced from the C++ callables: (int32_t) -> int32_t is
  // (func (param i32) (result i32)). A leading `zinc::Caller&` gives access to the calling
  // instance, here its memory; the string is read through a bounds-checked span, and an
  // out-of-bounds pointer becomes an error that traps the guest instead of crashing the host.
  zinc::Linker linker(engine);
  auto defined = linker.func_wrap(
      "host", "log", [](zinc::Caller& caller, int32_t ptr, int32_t len) -> zinc::Result<void> {
        auto memory = caller.memory();
        auto text = memory ? memory->span(caller.store(), static_cast<uint32_t>(ptr),
                                          static_cast<uint32_t>(len))
                           : std::nullopt;
        if (!text) return zinc::api_error(zinc::ErrorKind::Generic, "log: string out of bounds");
        std::printf("guest says: %.*s\n", static_cast<int>(text->size()),
                    reinterpret_cast<const char*>(text->data()));
        return {};
      });
  if (defined.ok()) defined = linker.func_wrap("host", "square", [](int32_t x) { return x * x; });
  if (!defined.ok()) {
    report("define", defined.error());
    return 1;
  }

  // Instantiation resolves every import by (module, name) and fails with ErrorKind::Link if one
  // is missing or has the wrong type.
  auto instance = linker.instantiate(store, *module);
  if (!instance.ok()) {
    report("instantiate", instance.error());
    return 1;
  }

  // Typed views check the export's signature once; calls then pass values directly.
  auto sum_export = instance->get_func(store, "sum_squares");
  auto mean_export = instance->get_func(store, "mean");
  if (!sum_export || !mean_export) {
    std::printf("missing export\n");
    return 1;
  }
  auto sum_squares = sum_export->typed<int32_t(int32_t)>(store);
  auto mean = mean_export->typed<int32_t(int32_t, int32_t)>(store);
  if (!sum_squares.ok() || !mean.ok()) {
    report("typed", sum_squares.ok() ? mean.error() : sum_squares.error());
    return 1;
  }

  auto sum = sum_squares->call(store, 10);
  if (!sum.ok()) {
    report("sum_squares(10)", sum.error());
    return 1;
  }
  std::printf("sum_squares(10) = %d\n", *sum);

  auto average = mean->call(store, *sum, 10);
  if (!average.ok()) {
    report("mean", average.error());
    return 1;
  }
  std::printf("mean(%d, 10) = %d\n", *sum, *average);

  // A trap is an error like any other: its code says what happened, its frames where. The
  // store stays usable afterwards.
  auto trapped = mean->call(store, *sum, 0);
  if (trapped.ok()) {
    std::printf("mean(%d, 0) unexpectedly returned %d\n", *sum, *trapped);
    return 1;
  }
  report("mean(" + std::to_string(*sum) + ", 0)", trapped.error());
  const bool divide_by_zero = trapped.error().trap != nullptr &&
                              trapped.error().trap->code == zinc::TrapCode::IntegerDivideByZero;
  std::printf("trap code is IntegerDivideByZero: %s\n", divide_by_zero ? "yes" : "no");
  return divide_by_zero ? 0 : 1;
}

// tests/main.cc: Catch2 v2 main for the unit-test binary.
#define CATCH_CONFIG_MAIN
// Catch2 would install its own SIGSEGV handler around each test case and restore the previous
// one afterwards, uninstalling Zinc's guard-page handler (vm/signals.cc) for later test cases.
#define CATCH_CONFIG_NO_POSIX_SIGNALS
#include <catch2/catch.hpp>

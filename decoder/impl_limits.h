// decoder/impl_limits.h: implementation limits enforced on hostile input.
//
// These are the limits every Web engine shares (the JS API's "implementation-defined limits",
// https://webassembly.github.io/spec/js-api/#limits). Exceeding one is an
// ErrorCode::ImplementationLimit error whose detail names the limit.
#pragma once

#include <cstdint>

namespace zinc::decoder::limits {

inline constexpr uint32_t kMaxTypes = 1'000'000;
inline constexpr uint32_t kMaxRecGroupTypes = 1'000'000;
inline constexpr uint32_t kMaxFunctions = 1'000'000;
inline constexpr uint32_t kMaxImports = 100'000;
inline constexpr uint32_t kMaxExports = 100'000;
inline constexpr uint32_t kMaxGlobals = 1'000'000;
inline constexpr uint32_t kMaxTags = 1'000'000;
inline constexpr uint32_t kMaxDataSegments = 100'000;
inline constexpr uint32_t kMaxElemSegments = 10'000'000;
inline constexpr uint32_t kMaxTables = 100'000;
inline constexpr uint32_t kMaxMemories = 100'000;
inline constexpr uint32_t kMaxTableSize = 10'000'000;
inline constexpr uint32_t kMaxElemSegmentSize = 10'000'000;
inline constexpr uint32_t kMaxMemoryPages32 = 65'536;
inline constexpr uint32_t kMaxFunctionSize = 7'654'321;
inline constexpr uint32_t kMaxFunctionLocals = 50'000;
inline constexpr uint32_t kMaxFunctionParams = 1'000;
inline constexpr uint32_t kMaxFunctionResults = 1'000;
inline constexpr uint32_t kMaxBrTableSize = 65'520;
inline constexpr uint32_t kMaxModuleSize = 1'073'741'824;  // 1 GiB
inline constexpr uint32_t kMaxStructFields = 10'000;
inline constexpr uint32_t kMaxControlDepth = 1'000'000;

}  // namespace zinc::decoder::limits

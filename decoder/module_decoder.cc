// placeholder (owned by the module-decoder work)
#include "decoder/decode.h"
namespace zinc::decoder {
BinaryKind detect_binary_kind(std::span<const uint8_t>) { return BinaryKind::Unknown; }
Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t>, const DecodeOptions&) {
  return make_error(ErrorCode::UnexpectedEnd, 0);
}
const char* section_name(SectionId) { return "?"; }
std::string_view Module::func_name(uint32_t) const { return {}; }
}  // namespace zinc::decoder

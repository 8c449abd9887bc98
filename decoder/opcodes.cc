// placeholder (owned by the function-decoder work)
#include "decoder/opcodes.h"
namespace zinc::decoder {
const uint16_t kSingleByteOpcodes[256] = {};
std::optional<Opcode> decode_prefixed_opcode(uint8_t, uint32_t) { return std::nullopt; }
}  // namespace zinc::decoder

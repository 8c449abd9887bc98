// placeholder (owned by the module-decoder work)
#include "decoder/types.h"
namespace zinc::decoder {
std::string to_string(HeapType) { return "?"; }
std::string to_string(ValType) { return "?"; }
const char* to_string(ExternKind) { return "?"; }
}  // namespace zinc::decoder

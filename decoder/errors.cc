// decoder/errors.cc: error code texts from errors.def.
#include "decoder/errors.h"

namespace zinc::decoder {

std::string_view error_text(ErrorCode code) {
  switch (code) {
    case ErrorCode::None: return "no error";
#define E(Name, text) \
  case ErrorCode::Name: return text;
#include "decoder/errors.def"
#undef E
  }
  return "unknown error";
}

bool is_malformed(ErrorCode code) {
  return static_cast<uint16_t>(code) <= static_cast<uint16_t>(ErrorCode::ComponentNotSupported);
}

std::string Error::message() const {
  std::string m(error_text(code));
  if (!detail.empty()) {
    m += ": ";
    m += detail;
  }
  return m;
}

}  // namespace zinc::decoder

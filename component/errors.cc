// component/errors.cc: error templates from errors.def and their formatting.
#include "component/errors.h"

namespace zinc::component {

std::string_view error_template(ErrorCode code) {
  switch (code) {
    case ErrorCode::None:
      return "no error";
#define E(Name, text)   \
  case ErrorCode::Name: \
    return text;
#include "component/errors.def"
#undef E
  }
  return "unknown error";
}

bool is_malformed(ErrorCode code) {
  return code != ErrorCode::None &&
         static_cast<uint16_t>(code) < static_cast<uint16_t>(ErrorCode::LastMalformed);
}

std::string format_template(std::string_view tmpl, const std::string* args, size_t count) {
  std::string out;
  out.reserve(tmpl.size() + 16);
  size_t next = 0;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 1 < tmpl.size() && tmpl[i + 1] == '}') {
      if (next < count) out += args[next];
      ++next;
      ++i;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

}  // namespace zinc::component

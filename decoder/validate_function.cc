// decoder/validate_function.cc: validate_function (decode.h) as FunctionDecoder<NullInterface>.
//
// Buffers are thread-local and reused, so validating the thousands of bodies of a large module
// allocates only while the largest body seen so far grows them.
#include "decoder/decode.h"
#include "decoder/function_decoder.h"

namespace zinc::decoder {

Result<void> validate_function(const Module& module, FunctionBody& body, const Features& features) {
  thread_local DecoderBuffers buffers;
  NullInterface iface;
  FunctionDecoder<NullInterface> decoder(module, features, buffers, iface);
  if (decoder.decode(body)) return {};
  Error e = decoder.error();
  e.func_index = body.func_index;
  return Unexpected<Error>{std::move(e)};
}

}  // namespace zinc::decoder

// decoder/module_decoder.cc: decode_module's driver: preamble, section framing and order, the
// code section, custom sections and the checks that need the whole module.
//
// Invariants: the Module's bytes are copied once and never resized afterwards, so every
// ByteRange and string_view into them stays valid; no Reader ever reaches past the module.
// Allocation is bounded by the bytes present (Reader::count before any reserve). Function bodies
// are framed here and validated by validate_function (validate_function.cc) once the whole code
// section is known to be well framed. Spec:
// https://webassembly.github.io/spec/core/binary/modules.html
#include <algorithm>
#include <cstring>
#include <string>

#include "decoder/decode.h"
#include "decoder/impl_limits.h"
#include "decoder/module_decoder_impl.h"

namespace zinc::decoder {

namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6D};
constexpr uint8_t kCoreVersion[4] = {0x01, 0x00, 0x00, 0x00};
constexpr uint8_t kComponentVersion[4] = {0x0D, 0x00, 0x01, 0x00};

// Position of each known section in the mandatory order (custom sections excepted). 0 means
// "not a section of Wasm 2.0". The tag section (Wasm 3.0) would sit between memory and global.
int section_rank(SectionId id) {
  switch (id) {
    case SectionId::Type:
      return 1;
    case SectionId::Import:
      return 2;
    case SectionId::Function:
      return 3;
    case SectionId::Table:
      return 4;
    case SectionId::Memory:
      return 5;
    case SectionId::Global:
      return 7;
    case SectionId::Export:
      return 8;
    case SectionId::Start:
      return 9;
    case SectionId::Element:
      return 10;
    case SectionId::DataCount:
      return 11;
    case SectionId::Code:
      return 12;
    case SectionId::Data:
      return 13;
    case SectionId::Custom:
    case SectionId::Tag:
      return 0;
  }
  return 0;
}

}  // namespace

BinaryKind detect_binary_kind(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8 || std::memcmp(bytes.data(), kMagic, 4) != 0) return BinaryKind::Unknown;
  if (std::memcmp(bytes.data() + 4, kCoreVersion, 4) == 0) return BinaryKind::CoreModule;
  if (std::memcmp(bytes.data() + 4, kComponentVersion, 4) == 0) return BinaryKind::Component;
  return BinaryKind::Unknown;
}

const char* section_name(SectionId id) {
  switch (id) {
    case SectionId::Custom:
      return "custom";
    case SectionId::Type:
      return "type";
    case SectionId::Import:
      return "import";
    case SectionId::Function:
      return "function";
    case SectionId::Table:
      return "table";
    case SectionId::Memory:
      return "memory";
    case SectionId::Global:
      return "global";
    case SectionId::Export:
      return "export";
    case SectionId::Start:
      return "start";
    case SectionId::Element:
      return "element";
    case SectionId::Code:
      return "code";
    case SectionId::Data:
      return "data";
    case SectionId::DataCount:
      return "datacount";
    case SectionId::Tag:
      return "tag";
  }
  return "unknown";
}

std::string_view Module::func_name(uint32_t func_index) const {
  const auto& names = this->names.function_names;
  auto it = std::lower_bound(names.begin(), names.end(), func_index,
                             [](const auto& entry, uint32_t idx) { return entry.first < idx; });
  if (it == names.end() || it->first != func_index) return {};
  return it->second;
}

Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes,
                                                    const DecodeOptions& options) {
  if (bytes.size() > limits::kMaxModuleSize) {
    return make_error(ErrorCode::ImplementationLimit, 0, "module size exceeds 1 GiB");
  }
  auto module = std::make_shared<Module>();
  module->bytes.assign(bytes.begin(), bytes.end());
  internal::ModuleDecoder decoder(*module, options);
  Result<void> result = decoder.decode();
  if (!result) return Unexpected<Error>{result.error()};
  return std::shared_ptr<const Module>(std::move(module));
}

namespace internal {

bool ModuleDecoder::decode_preamble(Reader& r) {
  const uint8_t* magic = r.bytes(4);
  if (magic == nullptr) return false;
  if (std::memcmp(magic, kMagic, 4) != 0) {
    r.fail_at(0, ErrorCode::MagicHeaderNotDetected);
    return false;
  }
  const uint8_t* version = r.bytes(4);
  if (version == nullptr) return false;
  if (std::memcmp(version, kComponentVersion, 4) == 0) {
    r.fail_at(4, ErrorCode::ComponentNotSupported, "component model layer 1 binary");
    return false;
  }
  if (std::memcmp(version, kCoreVersion, 4) != 0) {
    r.fail_at(4, ErrorCode::UnknownBinaryVersion);
    return false;
  }
  return true;
}

Result<void> ModuleDecoder::decode() {
  const uint8_t* begin = m_.bytes.data();
  Reader r(begin, begin + m_.bytes.size(), 0);
  if (!decode_preamble(r)) return Unexpected<Error>{r.take_error()};

  int last_rank = 0;
  while (r.ok() && !r.at_end()) {
    const size_t header = r.offset();
    const uint8_t id_byte = r.u8();
    if (id_byte > static_cast<uint8_t>(SectionId::DataCount)) {
      r.fail_at(header, ErrorCode::MalformedSectionId, "section id " + std::to_string(id_byte));
      break;
    }
    const auto id = static_cast<SectionId>(id_byte);
    const size_t size_offset = r.offset();
    const uint32_t size = r.u32();
    if (!r.ok()) break;
    if (size > r.remaining()) {
      r.fail_at(size_offset, ErrorCode::LengthOutOfBounds,
                std::string(section_name(id)) + " section size");
      break;
    }
    if (id != SectionId::Custom) {
      const int rank = section_rank(id);
      if (rank <= last_rank) {
        r.fail_at(header, ErrorCode::SectionOutOfOrder,
                  std::string(section_name(id)) + " section out of order or repeated");
        break;
      }
      last_rank = rank;
    }
    SectionInfo info;
    info.id = id;
    info.header_offset = static_cast<uint32_t>(header);
    info.payload = {static_cast<uint32_t>(r.offset()), size};
    // Like the reference interpreter, section contents are read against the end of the
    // module, not of the section: an entry that runs past its section is then reported as
    // the precise error it hits ("illegal opcode", "integer representation too long", ...)
    // or, if it parses, as a size mismatch below. Reads still never leave the module.
    const uint8_t* section_end = r.pos() + size;
    Reader section(r.pos(), r.end(), r.offset());
    r.skip(size);
    if (id == SectionId::Custom) {
      section = Reader(section.pos(), section_end, section.offset());
      decode_custom_section(section, info);
    } else {
      decode_section(id, section);
    }
    if (body_error_) return Unexpected<Error>{std::move(*body_error_)};
    if (!section.ok()) {
      Error e = section.take_error();
      if (e.code == ErrorCode::UnexpectedEnd) e.code = ErrorCode::UnexpectedEndOfSection;
      return Unexpected<Error>{std::move(e)};
    }
    if (section.pos() != section_end) {
      return make_error(ErrorCode::SectionSizeMismatch, info.payload.offset,
                        std::string(section_name(id)) + " section declares " +
                            std::to_string(size) + " bytes, contents use " +
                            std::to_string(section.offset() - info.payload.offset));
    }
    // Bodies are validated only once the code section is known to be well framed, so a
    // framing error is reported before any error inside a body.
    if (id == SectionId::Code) {
      validate_bodies();
      if (body_error_) return Unexpected<Error>{std::move(*body_error_)};
    }
    m_.sections.push_back(std::move(info));
  }
  if (r.ok()) finish(r);
  if (body_error_) return Unexpected<Error>{std::move(*body_error_)};
  if (!r.ok()) {
    Error e = r.take_error();
    if (e.code == ErrorCode::UnexpectedEnd && e.offset >= 8) {
      e.code = ErrorCode::UnexpectedEndOfSection;
    }
    return Unexpected<Error>{std::move(e)};
  }
  return {};
}

void ModuleDecoder::decode_section(SectionId id, Reader& r) {
  switch (id) {
    case SectionId::Type:
      decode_type_section(r);
      break;
    case SectionId::Import:
      decode_import_section(r);
      break;
    case SectionId::Function:
      decode_function_section(r);
      break;
    case SectionId::Table:
      decode_table_section(r);
      break;
    case SectionId::Memory:
      decode_memory_section(r);
      break;
    case SectionId::Global:
      decode_global_section(r);
      break;
    case SectionId::Export:
      decode_export_section(r);
      break;
    case SectionId::Start:
      decode_start_section(r);
      break;
    case SectionId::Element:
      decode_element_section(r);
      break;
    case SectionId::DataCount:
      decode_data_count_section(r);
      break;
    case SectionId::Code:
      decode_code_section(r);
      break;
    case SectionId::Data:
      decode_data_section(r);
      break;
    case SectionId::Custom:
    case SectionId::Tag:
      r.fail(ErrorCode::MalformedSectionId);
      break;
  }
}

void ModuleDecoder::decode_custom_section(Reader& r, SectionInfo& info) {
  std::string_view name = r.name();
  if (!r.ok()) return;
  info.custom_name = std::string(name);
  CustomSection custom;
  custom.name = std::string(name);
  custom.payload = {static_cast<uint32_t>(r.offset()), static_cast<uint32_t>(r.remaining())};
  r.skip(r.remaining());
  if (name == "name" && !seen_name_section_) {
    seen_name_section_ = true;
    // Malformed names are ignored: custom sections never make a module invalid.
    (void)parse_name_section(m_, custom.payload, &m_.names);
  }
  m_.customs.push_back(std::move(custom));
}

void ModuleDecoder::prepare_declared_func_refs() {
  if (!m_.declared_func_refs.empty() || m_.funcs.empty()) return;
  m_.declared_func_refs.assign(m_.funcs.size(), false);
  for (uint32_t f : func_refs_) {
    if (f < m_.declared_func_refs.size()) m_.declared_func_refs[f] = true;
  }
}

void ModuleDecoder::decode_code_section(Reader& r) {
  seen_code_section_ = true;
  const size_t start = r.offset();
  const uint32_t count = r.count(1);
  if (!r.ok()) return;
  if (count != declared_funcs_) {
    r.fail_at(start, ErrorCode::FunctionCodeMismatch,
              std::to_string(declared_funcs_) + " functions, " + std::to_string(count) + " bodies");
    return;
  }
  prepare_declared_func_refs();
  reserve_bounded(m_.bodies, count, r, 1);
  for (uint32_t i = 0; i < count; ++i) {
    const size_t size_offset = r.offset();
    const uint32_t size = r.u32();
    if (!r.ok()) return;
    if (size > limits::kMaxFunctionSize) {
      r.fail_at(size_offset, ErrorCode::ImplementationLimit,
                "function body size exceeds " + std::to_string(limits::kMaxFunctionSize));
      return;
    }
    if (size > r.remaining()) {
      r.fail_at(size_offset, ErrorCode::UnexpectedEndOfSection, "function body size");
      return;
    }
    FunctionBody body;
    body.func_index = m_.num_imported_funcs + i;
    body.range = {static_cast<uint32_t>(r.offset()), size};
    m_.bodies.push_back(std::move(body));
    r.skip(size);
  }
}

void ModuleDecoder::validate_bodies() {
  if (!options_.validate) return;
  for (FunctionBody& body : m_.bodies) {
    Result<void> res = validate_function(m_, body, features_);
    if (!res) {
      body_error_ = res.error();
      if (body_error_->func_index == Error::kNoFunc) body_error_->func_index = body.func_index;
      return;
    }
  }
}

void ModuleDecoder::finish(Reader& r) {
  const size_t end = r.offset();
  if (!seen_code_section_ && declared_funcs_ != 0) {
    r.fail_at(end, ErrorCode::FunctionCodeMismatch,
              std::to_string(declared_funcs_) + " functions, no code section");
    return;
  }
  if (m_.data_count && !seen_data_section_ && *m_.data_count != 0) {
    r.fail_at(end, ErrorCode::DataCountMismatch,
              "data count " + std::to_string(*m_.data_count) + ", no data section");
    return;
  }
  prepare_declared_func_refs();
}

}  // namespace internal

}  // namespace zinc::decoder

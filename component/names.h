// component/names.h: import/export names, labels and semantic versions of components.
//
// Owns the lexical rules of Explainer.md "Import and Export Definitions": kebab-case labels,
// plain names with `[constructor]`/`[method]`/`[static]` annotations, interface names
// `ns:pkg/iface@version`, the strong-uniqueness key of a name ("Name Uniqueness") and a
// Semantic Versioning 2.0 parser. Errors use the wording wasm-tools uses (the official tests
// expect it). Nested namespaces/projections (🪺) are not accepted.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "component/errors.h"

namespace zinc::component {

/// Explainer `label`: kebab-case words, each all-lowercase or all-uppercase, the first one
/// starting with a letter.
bool is_kebab(std::string_view s);

/// ASCII lowercase copy.
std::string ascii_lower(std::string_view s);

enum class NameKind : uint8_t { Label, Constructor, Method, Static, Interface };

/// A parsed extern name. For Constructor, `resource` is the label after the annotation; for
/// Method/Static, `resource` and `method` are the labels around the `.`; for Interface,
/// `version` is the text after `@` (empty if none, `has_version` tells).
struct ExternName {
  NameKind kind = NameKind::Label;
  std::string_view raw;
  std::string_view resource;
  std::string_view method;
  std::string_view version;
  bool has_version = false;

  /// The strong-uniqueness key: equal keys mean the names conflict. `[method]l.l` and
  /// `[static]l.l` conflict with `l`; `[method]a.b` conflicts with `[static]a.b`; labels
  /// compare case-insensitively, interface names exactly.
  std::string key() const;
};

/// Parses `name` as an extern name; on error records it (without context) in `d` at `offset`.
bool parse_extern_name(std::string_view name, ExternName* out, Diag& d, size_t offset);

/// Parses a semantic version (semver.org 2.0); on error records it in `d`.
bool parse_semver(std::string_view s, Diag& d, size_t offset);

}  // namespace zinc::component

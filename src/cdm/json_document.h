// Reading CDM JSON documents: a UTF-8 BOM is accepted, syntax errors become Problems naming the file, line and
// column, and semantic problems can be located by searching the text (nlohmann::json keeps no positions).
// Also the trait references that CDM documents use everywhere (exhibitsTraits, appliedTraits, cdm:traits).
// Thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cdm/model.h"
#include "util/file_system.h"

namespace cdmlake::cdm {

struct JsonDocument {
  std::string path;  // lake-relative
  std::string text;
  nlohmann::json json;

  // The 1-based line of the first occurrence of needle in the text, or 0.
  int64_t LineOf(std::string_view needle) const;
  // The line of `"key"` followed (after optional spaces) by `: "value"`, or of the value alone, or 0.
  int64_t LineOfName(std::string_view value) const;
};

// Parses text as JSON. On a syntax error, adds a Problem (file:line: malformed JSON ...) and returns nullopt.
std::optional<JsonDocument> ParseJsonDocument(std::string path, std::string text, std::vector<Problem>* problems);

// A trait reference: "is.nullable", or {"traitReference": "is.x" | {"traitName": ...}, "arguments": [...]}.
struct TraitRef {
  std::string name;
  // Arguments in order; the name is empty for positional arguments.
  std::vector<std::pair<std::string, nlohmann::json>> arguments;

  // The argument with this name (case-insensitive), else the one at this position, else nullptr.
  const nlohmann::json* Argument(std::string_view arg_name, size_t position) const;
};

// Parses an array of trait references; anything else gives an empty list.
std::vector<TraitRef> ParseTraits(const nlohmann::json& traits);
const TraitRef* FindTrait(const std::vector<TraitRef>& traits, std::string_view name);
// A JSON scalar as text: strings as they are, booleans "true"/"false", numbers in decimal. Empty for others.
std::string ScalarText(const nlohmann::json& value);
// The string member `key` of an object (case-insensitive key match), or "".
std::string StringMember(const nlohmann::json& object, std::string_view key);
// The member `key` of an object with case-insensitive key match, or nullptr.
const nlohmann::json* Member(const nlohmann::json& object, std::string_view key);

}  // namespace cdmlake::cdm

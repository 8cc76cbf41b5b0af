#include "cdm/json_document.h"

#include <algorithm>

#include "util/strings.h"

namespace cdmlake::cdm {

namespace {
int64_t LineAt(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}
}  // namespace

int64_t JsonDocument::LineOf(std::string_view needle) const {
  size_t pos = text.find(needle);
  return pos == std::string::npos ? 0 : LineAt(text, pos);
}

int64_t JsonDocument::LineOfName(std::string_view value) const {
  // Search for the value as it is written in the document: JSON-encoded (a regex's \\d is "\\\\d" there).
  std::string quoted = nlohmann::json(std::string(value)).dump();
  // Prefer an occurrence that is a value ("name": "X"), so a key of the same spelling is not taken.
  size_t pos = 0;
  while ((pos = text.find(quoted, pos)) != std::string::npos) {
    size_t before = pos;
    while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t' || text[before - 1] == '\n' ||
                          text[before - 1] == '\r')) {
      --before;
    }
    if (before > 0 && text[before - 1] == ':') return LineAt(text, pos);
    pos += quoted.size();
  }
  return LineOf(quoted);
}

std::optional<JsonDocument> ParseJsonDocument(std::string path, std::string text, std::vector<Problem>* problems) {
  JsonDocument doc{std::move(path), std::move(text), {}};
  std::string_view body = StripUtf8Bom(doc.text);
  size_t bom = doc.text.size() - body.size();
  try {
    doc.json = nlohmann::json::parse(body.begin(), body.end());
  } catch (const nlohmann::json::parse_error& e) {
    size_t offset = e.byte > 0 ? e.byte - 1 + bom : bom;
    int64_t line = LineAt(doc.text, offset);
    size_t line_start = doc.text.rfind('\n', offset == 0 ? 0 : offset - 1);
    size_t column = line_start == std::string::npos ? offset + 1 : offset - line_start;
    std::string what = e.what();
    // nlohmann's text starts with "[json.exception.parse_error.101] parse error at line 3, column 5: "
    size_t colon = what.find(": ");
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    problems->push_back(Problem{Severity::kError, doc.path, line, "",
                                "malformed JSON at column " + std::to_string(column) + ": " + reason});
    return std::nullopt;
  }
  if (!doc.json.is_object()) {
    problems->push_back(Problem{Severity::kError, doc.path, 1, "", "the document is not a JSON object"});
    return std::nullopt;
  }
  return doc;
}

const nlohmann::json* TraitRef::Argument(std::string_view arg_name, size_t position) const {
  for (const auto& [arg, value] : arguments) {
    if (!arg.empty() && EqualsIgnoreCase(arg, arg_name)) return &value;
  }
  if (position < arguments.size() && arguments[position].first.empty()) return &arguments[position].second;
  return nullptr;
}

std::vector<TraitRef> ParseTraits(const nlohmann::json& traits) {
  std::vector<TraitRef> out;
  if (!traits.is_array()) return out;
  for (const auto& t : traits) {
    TraitRef ref;
    if (t.is_string()) {
      ref.name = t.get<std::string>();
    } else if (t.is_object()) {
      const nlohmann::json* reference = Member(t, "traitReference");
      if (reference && reference->is_string()) {
        ref.name = reference->get<std::string>();
      } else if (reference && reference->is_object()) {
        ref.name = StringMember(*reference, "traitName");
      } else {
        ref.name = StringMember(t, "traitName");
      }
      if (const nlohmann::json* args = Member(t, "arguments"); args && args->is_array()) {
        for (const auto& a : *args) {
          if (a.is_object() && (Member(a, "value") || Member(a, "name") || Member(a, "key"))) {
            std::string name = StringMember(a, "name");
            if (name.empty()) name = StringMember(a, "key");  // legacy documents
            const nlohmann::json* value = Member(a, "value");
            ref.arguments.emplace_back(name, value ? *value : nlohmann::json());
          } else {
            ref.arguments.emplace_back("", a);
          }
        }
      }
    }
    if (!ref.name.empty()) out.push_back(std::move(ref));
  }
  return out;
}

const TraitRef* FindTrait(const std::vector<TraitRef>& traits, std::string_view name) {
  for (const auto& t : traits) {
    if (EqualsIgnoreCase(t.name, name)) return &t;
  }
  return nullptr;
}

std::string ScalarText(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  if (value.is_number_integer()) return std::to_string(value.get<int64_t>());
  if (value.is_number_unsigned()) return std::to_string(value.get<uint64_t>());
  if (value.is_number_float()) return value.dump();
  return "";
}

const nlohmann::json* Member(const nlohmann::json& object, std::string_view key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(std::string(key));
  if (it != object.end()) return &*it;
  for (auto i = object.begin(); i != object.end(); ++i) {
    if (EqualsIgnoreCase(i.key(), key)) return &*i;
  }
  return nullptr;
}

std::string StringMember(const nlohmann::json& object, std::string_view key) {
  const nlohmann::json* m = Member(object, key);
  return m ? ScalarText(*m) : "";
}

}  // namespace cdmlake::cdm

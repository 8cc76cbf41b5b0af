#include "unify/normalize_nicknames.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "unify/normalize_unicode.h"
#include "util/error.h"
#include "util/strings.h"

namespace cdmlake::unify {
namespace {

constexpr char kFormatHint[] =
    "a nickname file is CSV with the header name,nickname_1,nickname_2,... and one row per name: the name, then "
    "its nicknames, one word each";

[[noreturn]] void Fail(const std::string& file, int64_t line, const std::string& message) {
  throw Error(ErrorKind::kUser, message, Location{file, line, ""}, kFormatHint);
}

// Letters, digits and dots of valid UTF-8 (any character past ASCII counts as a letter).
bool IsOneWord(std::string_view s) {
  const auto length = static_cast<int32_t>(std::min<size_t>(s.size(), INT32_MAX));
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(s.data(), i, length, c);
    if (c < 0) return false;
    const bool ascii_word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.';
    if (c < 0x80 && !ascii_word) return false;
  }
  return true;
}

// The key under which a word from the file is looked up: lower case (ICU, so Émile and émile are one name),
// without dots.
std::string NameKey(std::string_view field) {
  std::string lower(field);
  LowerCase(&lower);
  std::string key;
  WordKey(lower, &key);
  return key;
}

// Names and their links, as read from the rows.
struct NameGraph {
  std::map<std::string, int> ids;  // ordered, so ids (and all that follows) do not depend on row order
  std::vector<std::set<std::string>> own_variants;  // by id: the variants on the name's own rows
  std::vector<bool> is_variant;                     // by id: listed as somebody's variant
  std::vector<std::set<int>> neighbours;

  int Id(const std::string& name) {
    auto [it, added] = ids.emplace(name, static_cast<int>(ids.size()));
    if (added) {
      own_variants.emplace_back();
      is_variant.push_back(false);
      neighbours.emplace_back();
    }
    return it->second;
  }
};

}  // namespace

NicknameTable ParseNicknameCsv(std::string_view text, const std::string& file_name) {
  text = StripUtf8Bom(text);
  NameGraph graph;
  int64_t line_number = 0;
  bool saw_header = false;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty()) continue;
    if (line.find('"') != std::string_view::npos) {
      Fail(file_name, line_number, "quoted fields are not supported in a nickname file");
    }
    std::vector<std::string> fields = Split(line, ',');
    for (std::string& field : fields) field = std::string(Trim(field));
    if (!saw_header) {
      if (!EqualsIgnoreCase(fields[0], "name")) {
        Fail(file_name, line_number, "expected the header row \"name,nickname_1,...\", found \"" +
                                         std::string(line.substr(0, 60)) + "\"");
      }
      saw_header = true;
      continue;
    }
    for (const std::string& field : fields) {
      if (!IsOneWord(field)) {
        Fail(file_name, line_number, "\"" + field + "\" is not one word (letters, digits and dots only, in UTF-8)");
      }
    }
    if (fields[0].empty()) Fail(file_name, line_number, "a row has nicknames but no name in its first field");
    const std::string name = NameKey(fields[0]);
    const int name_id = graph.Id(name);
    for (size_t i = 1; i < fields.size(); ++i) {
      if (fields[i].empty()) continue;
      const std::string variant = NameKey(fields[i]);
      if (variant == name) continue;
      const int variant_id = graph.Id(variant);
      graph.own_variants[name_id].insert(variant);
      graph.is_variant[variant_id] = true;
      graph.neighbours[name_id].insert(variant_id);
      graph.neighbours[variant_id].insert(name_id);
    }
  }
  if (!saw_header) Fail(file_name, 1, "the nickname file is empty; it needs at least the header row");

  std::vector<const std::string*> names(graph.ids.size());
  for (const auto& [name, id] : graph.ids) names[static_cast<size_t>(id)] = &name;
  auto rank = [&](int id) {  // smaller is better
    return std::make_tuple(-static_cast<int64_t>(graph.own_variants[static_cast<size_t>(id)].size()),
                           static_cast<bool>(graph.is_variant[static_cast<size_t>(id)]),
                           std::string_view(*names[static_cast<size_t>(id)]));
  };
  std::vector<int> best(names.size());
  for (size_t id = 0; id < names.size(); ++id) {
    int b = static_cast<int>(id);
    for (int n : graph.neighbours[id]) {
      if (rank(n) < rank(b)) b = n;
    }
    best[id] = b;
  }

  NicknameTable table;
  table.name_count = names.size();
  for (size_t id = 0; id < names.size(); ++id) {
    int top = static_cast<int>(id);
    while (best[static_cast<size_t>(top)] != top) top = best[static_cast<size_t>(top)];
    table.canonical.emplace(*names[id], *names[static_cast<size_t>(top)]);
  }
  return table;
}

NicknameTable LoadNicknameFile(const std::string& path, FileSystem* fs) {
  return ParseNicknameCsv(fs->ReadFile(path), path);
}

}  // namespace cdmlake::unify

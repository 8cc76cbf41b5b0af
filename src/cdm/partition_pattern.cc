#include "cdm/partition_pattern.h"

namespace cdmlake::cdm {

namespace {
bool IsSeparator(char c) { return c == '/' || c == '\\'; }
}  // namespace

std::string GlobToRegex(std::string_view glob) {
  const std::string kSeparator = "[/\\\\]";
  const std::string kSegmentChars = "[^/\\\\]*";
  std::string out = kSeparator;  // every path starts with a separator
  size_t i = (!glob.empty() && IsSeparator(glob[0])) ? 1 : 0;
  for (; i < glob.size(); ++i) {
    char c = glob[i];
    if (c == '.') {
      out += "\\.";
    } else if (c == '\\') {
      out += kSeparator;
    } else if (c == '?') {
      out += '.';
    } else if (c == '*') {
      bool double_star = i + 1 < glob.size() && glob[i + 1] == '*';
      if (!double_star) {
        out += kSegmentChars;
        continue;
      }
      // A globstar crosses folders only as a whole segment: at the start (after the implied '/'), at the end,
      // or between separators.
      bool segment_start = i == 0 || IsSeparator(glob[i - 1]);
      bool segment_end = i + 2 >= glob.size() || IsSeparator(glob[i + 2]);
      if (segment_start && segment_end) {
        if (i + 2 < glob.size()) {
          // "/**/" also matches zero folders: "(?:.*[/\\])?" after the separator already written.
          out += "(?:.*" + kSeparator + ")?";
          i += 2;  // consume "**" and the following separator
        } else {
          out += ".*";
          i += 1;
        }
      } else {
        out += kSegmentChars;
        i += 1;
      }
    } else {
      out += c;
    }
  }
  return out;
}

PatternMatcher::PatternMatcher(std::string_view glob, std::string_view regex) {
  expression_ = !glob.empty() ? GlobToRegex(glob) : std::string(regex);
  if (glob.empty() && regex.empty()) {
    error_ = "the pattern has neither globPattern nor regularExpression";
    return;
  }
  try {
    regex_ = std::regex(expression_, std::regex::ECMAScript);
  } catch (const std::regex_error& e) {
    error_ = std::string(glob.empty() ? "invalid regularExpression '" : "invalid globPattern '") +
             std::string(glob.empty() ? regex : glob) + "': " + e.what();
  }
}

std::optional<std::vector<std::string>> PatternMatcher::Match(std::string_view relative_path) const {
  if (!ok()) return std::nullopt;
  std::string path(relative_path);
  if (path.empty() || !IsSeparator(path[0])) path.insert(0, "/");
  std::smatch m;
  if (!std::regex_match(path, m, regex_)) return std::nullopt;
  std::vector<std::string> captures;
  for (size_t g = 1; g < m.size(); ++g) captures.push_back(m[g].matched ? m[g].str() : "");
  return captures;
}

}  // namespace cdmlake::cdm

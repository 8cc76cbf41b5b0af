#include "util/error.h"

namespace cdmlake {

std::string Location::ToString() const {
  std::string out = file;
  if (line > 0) out += (out.empty() ? "line " : ":") + std::to_string(line);
  if (!entity.empty()) out += (out.empty() ? "entity " : " (entity ") + entity + (file.empty() && line == 0 ? "" : ")");
  return out;
}

std::string FormatError(const Location& location, const std::string& message, const std::string& hint) {
  std::string out = location.empty() ? message : location.ToString() + ": " + message;
  if (!hint.empty()) out += "\n  hint: " + hint;
  return out;
}

Error::Error(ErrorKind kind, std::string message, Location location, std::string hint)
    : std::runtime_error(FormatError(location, message, hint)),
      kind_(kind),
      message_(std::move(message)),
      location_(std::move(location)),
      hint_(std::move(hint)) {}

}  // namespace cdmlake

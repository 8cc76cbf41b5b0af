#include "util/real_path.h"

#include <climits>
#include <cstdlib>

#include "util/path.h"

namespace cdmlake {

std::string RealPath(const std::string& path) {
  char buffer[PATH_MAX];
  return ::realpath(path.c_str(), buffer) ? std::string(buffer) : std::string();
}

bool ResolvesWithin(const std::string& root, const std::string& path) {
  const std::string real_root = RealPath(root);
  if (real_root.empty()) return false;
  // Walk up to the part that exists; what is below it is created by the caller, as plain folders.
  std::string existing = AbsolutePath(path);  // absolute and normalized
  std::string rest;
  std::string real = RealPath(existing);
  while (real.empty() && !existing.empty() && existing != "/") {
    rest = rest.empty() ? BaseName(existing) : JoinPath(BaseName(existing), rest);
    existing = DirName(existing);
    real = RealPath(existing.empty() ? "/" : existing);
  }
  if (real.empty()) return false;
  return IsWithin(real_root, NormalizePath(rest.empty() ? real : JoinPath(real, rest)));
}

}  // namespace cdmlake

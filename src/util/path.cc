#include "util/path.h"

#include <filesystem>
#include <vector>

#include "util/strings.h"

namespace cdmlake {

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty() || (!b.empty() && b.front() == '/')) return std::string(b);
  if (b.empty()) return std::string(a);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

std::string NormalizePath(std::string_view path) {
  bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string> parts;
  for (std::string& part : Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);  // keep: the path escapes its base
      }
      continue;
    }
    parts.push_back(std::move(part));
  }
  std::string out = absolute ? "/" : "";
  out += Join(parts, "/");
  return out.empty() ? "." : out;
}

bool IsWithin(std::string_view root, std::string_view path) {
  if (root == "/" ) return !path.empty() && path.front() == '/';
  if (root == ".") return path != ".." && path.rfind("../", 0) != 0 && (path.empty() || path.front() != '/');
  if (path.size() < root.size() || path.substr(0, root.size()) != root) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

std::string RelativePath(std::string_view root, std::string_view path) {
  if (root == "." ) return std::string(path == "." ? "" : path);
  if (path.size() <= root.size()) return "";
  size_t skip = root.size() + (root == "/" ? 0 : 1);
  return std::string(path.substr(skip));
}

std::string DirName(std::string_view path) {
  size_t pos = path.rfind('/');
  if (pos == std::string_view::npos) return "";
  if (pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

std::string BaseName(std::string_view path) {
  size_t pos = path.rfind('/');
  return std::string(pos == std::string_view::npos ? path : path.substr(pos + 1));
}

std::string AbsolutePath(std::string_view path) {
  std::string p(path);
  if (p.empty()) p = ".";
  if (p.front() != '/') p = JoinPath(std::filesystem::current_path().string(), p);
  return NormalizePath(p);
}

}  // namespace cdmlake

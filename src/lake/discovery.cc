#include "lake/discovery.h"

#include <algorithm>

#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {
constexpr int kMaxDepth = 12;

bool IsManifest(const std::string& name) {
  return EndsWithIgnoreCase(name, ".manifest.cdm.json") || EndsWithIgnoreCase(name, ".folio.cdm.json");
}
}  // namespace

std::string RefreshStateFolder(const std::string& schema, const std::string& entity) {
  return std::string(kStateFolder) + "/refresh/" + SafeFileName(schema) + "/" + SafeFileName(entity);
}

std::vector<std::string> FindRootDocuments(FileSystem& fs, const std::string& lake_root) {
  std::vector<std::string> roots;
  std::vector<std::pair<std::string, int>> pending{{"", 0}};
  while (!pending.empty()) {
    auto [dir, depth] = pending.back();
    pending.pop_back();
    std::vector<FileInfo> entries = fs.ListDirectory(dir.empty() ? lake_root : JoinPath(lake_root, dir));
    std::vector<std::string> manifests;
    bool has_model = false;
    for (const FileInfo& e : entries) {
      if (e.is_directory) continue;
      if (IsManifest(e.name)) manifests.push_back(e.name);
      if (EqualsIgnoreCase(e.name, "model.json")) has_model = true;
    }
    auto rel = [&dir](const std::string& name) { return dir.empty() ? name : dir + "/" + name; };
    if (!manifests.empty()) {
      for (const auto& m : manifests) roots.push_back(rel(m));
      continue;
    }
    if (has_model) {
      roots.push_back(rel("model.json"));
      continue;
    }
    if (depth >= kMaxDepth) continue;
    for (const FileInfo& e : entries) {
      if (!e.is_directory || e.name.front() == '.' || e.name == kStateFolder) continue;
      pending.emplace_back(rel(e.name), depth + 1);
    }
  }
  std::sort(roots.begin(), roots.end());
  return roots;
}

}  // namespace cdmlake::lake

#include "cdm/document_loader.h"

#include "util/error.h"

namespace cdmlake::cdm {

void DocumentLoader::Stamp(const std::string& path, const std::optional<FileInfo>& info) {
  if (stamped_[path]) return;
  stamped_[path] = true;
  root_->documents.push_back(DocumentStamp{path, info ? static_cast<int64_t>(info->size) : -1, info ? info->mtime_ns : 0});
}

bool DocumentLoader::Exists(const std::string& path) {
  auto info = resolver_.fs().Stat(resolver_.Absolute(path));
  Stamp(path, info);
  return info.has_value() && !info->is_directory;
}

const JsonDocument* DocumentLoader::Load(const std::string& path, const std::string& referrer) {
  if (auto it = loaded_.find(path); it != loaded_.end()) return it->second ? &*it->second : nullptr;
  std::optional<JsonDocument>& slot = loaded_[path];
  std::string absolute = resolver_.Absolute(path);
  auto info = resolver_.fs().Stat(absolute);
  Stamp(path, info);
  if (!info || info->is_directory) {
    std::string message = "the document " + path + " does not exist";
    if (!referrer.empty()) message += " (referenced by " + referrer + ")";
    root_->problems.push_back(Problem{Severity::kError, referrer.empty() ? path : referrer, 0, "", message});
    return nullptr;
  }
  std::string text;
  try {
    text = resolver_.fs().ReadFile(absolute);
  } catch (const Error& e) {
    root_->problems.push_back(Problem{Severity::kError, path, 0, "", e.message()});
    return nullptr;
  }
  slot = ParseJsonDocument(path, std::move(text), &root_->problems);
  return slot ? &*slot : nullptr;
}

}  // namespace cdmlake::cdm

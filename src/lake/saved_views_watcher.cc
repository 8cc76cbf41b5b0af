#include "lake/saved_views_watcher.h"

#include <algorithm>

#include "engine/quote.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::lake {

SavedViewsWatcher::SavedViewsWatcher(FileSystem& fs, LakeSession& session, const std::string& lake_root,
                                     std::vector<SavedView> current)
    : fs_(fs),
      session_(session),
      root_(lake_root),
      path_(JoinPath(lake_root, kSavedViewsFile)),
      current_(std::move(current)) {
  stamp_ = Stamp();
}

std::optional<std::pair<uint64_t, int64_t>> SavedViewsWatcher::Stamp() const {
  std::optional<FileInfo> info = fs_.Stat(path_);
  if (!info) return std::nullopt;
  return std::make_pair(info->size, info->mtime_ns);
}

bool SavedViewsWatcher::Poll(std::vector<std::string>* problems) {
  auto stamp = Stamp();
  if (stamp == stamp_) return false;
  std::vector<SavedView> next;
  try {
    // The file is replaced atomically by its writer, so it is read whole, old or new.
    next = LoadSavedViews(fs_, root_);
  } catch (const Error& e) {
    problems->push_back(e.what());
    stamp_ = stamp;  // reported once; the views stay as they were until the file changes again
    return false;
  }
  stamp_ = stamp;
  bool changed = false;
  for (const SavedView& old : current_) {
    bool kept = std::any_of(next.begin(), next.end(), [&old](const SavedView& v) {
      return v.schema == old.schema && v.name == old.name;
    });
    if (kept) continue;
    session_.connection().Execute("DROP VIEW IF EXISTS " + engine::QuoteQualified(old.schema, old.name));
    changed = true;
  }
  std::vector<SavedView> create;
  for (const SavedView& v : next) {
    if (std::find(current_.begin(), current_.end(), v) == current_.end()) create.push_back(v);
  }
  if (!create.empty()) {
    for (std::string& p : CreateSavedViews(session_, create)) problems->push_back(std::move(p));
    changed = true;
  }
  current_ = std::move(next);
  return changed;
}

}  // namespace cdmlake::lake

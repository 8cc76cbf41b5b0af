// Writing a folder's contents all or nothing: everything is written into a staging folder beside the target, and
// only Commit moves it in, entry by entry (each top-level file or folder replaces the one of the same name; other
// entries of the target are left alone). A writer that fails halfway leaves the target as it was, and the staging
// folder is removed. Used by `cdmlake generate`, whose lake must never be left with some tables rewritten and
// others truncated.
#pragma once

#include <string>

namespace cdmlake {

class StagedFolder {
 public:
  // Creates <parent of target>/.<name of target>.staging-<pid> (the same file system, so Commit only renames).
  // Throws Error(kUser) for an empty target, Error(kIo) when the staging folder cannot be created.
  explicit StagedFolder(const std::string& target);
  ~StagedFolder();  // removes the staging folder unless committed
  StagedFolder(const StagedFolder&) = delete;
  StagedFolder& operator=(const StagedFolder&) = delete;

  const std::string& dir() const { return staging_; }
  const std::string& target() const { return target_; }
  // Creates the target if missing, then moves each entry of the staging folder over the target's entry of that
  // name (the old one is renamed aside first and removed after). Throws Error(kIo) naming the entry.
  void Commit();

 private:
  std::string target_;
  std::string staging_;
  bool committed_ = false;
};

}  // namespace cdmlake

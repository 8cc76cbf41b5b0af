#include "util/staged_folder.h"

#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <vector>

#include "util/error.h"
#include "util/path.h"

namespace cdmlake {

namespace fs = std::filesystem;

StagedFolder::StagedFolder(const std::string& target) : target_(NormalizePath(target)) {
  if (target.empty() || BaseName(target_).empty() || target_ == "/") {
    throw Error(ErrorKind::kUser, "the output folder is empty or the root", {}, "give a folder such as --out lake");
  }
  const std::string parent = DirName(target_).empty() ? "." : DirName(target_);
  staging_ = JoinPath(parent, "." + BaseName(target_) + ".staging-" + std::to_string(::getpid()));
  std::error_code error;
  fs::remove_all(staging_, error);  // a leftover of a killed run with the same pid
  fs::create_directories(staging_, error);
  if (error) {
    throw Error(ErrorKind::kIo, "cannot create the staging folder " + staging_ + ": " + error.message(),
                Location{staging_, 0, ""}, "check that the folder above the output exists and is writable");
  }
}

StagedFolder::~StagedFolder() {
  if (committed_) return;
  std::error_code ignored;
  fs::remove_all(staging_, ignored);
}

void StagedFolder::Commit() {
  std::error_code error;
  fs::create_directories(target_, error);
  if (error) {
    throw Error(ErrorKind::kIo, "cannot create " + target_ + ": " + error.message(), Location{target_, 0, ""});
  }
  std::vector<std::string> names;  // listed first: moving the replaced entries aside adds to the folder
  for (const fs::directory_entry& entry : fs::directory_iterator(staging_)) {
    names.push_back(entry.path().filename().string());
  }
  for (const std::string& name : names) {
    const std::string destination = JoinPath(target_, name);
    const std::string aside = JoinPath(staging_, ".replaced-" + name);
    const bool existed = fs::symlink_status(destination, error).type() != fs::file_type::not_found;
    error.clear();
    if (existed) fs::rename(destination, aside, error);
    if (!error) fs::rename(JoinPath(staging_, name), destination, error);
    if (error) {
      committed_ = true;  // keep the staging folder: it holds what was not moved, and what was replaced
      throw Error(ErrorKind::kIo, "cannot move " + name + " into " + target_ + ": " + error.message(),
                  Location{destination, 0, ""}, "the rest of the output, and what it replaced, is in " + staging_);
    }
  }
  committed_ = true;
  fs::remove_all(staging_, error);  // the replaced entries; a failure leaves only this hidden folder behind
}

}  // namespace cdmlake

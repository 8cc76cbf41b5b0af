// Resolving partition locations and document paths to lake-relative paths, and keeping them inside the lake.
//
// Locations come as corpus paths relative to the declaring document ("SalesLine/SALESLINE_00001.csv"), as
// namespace paths ("adls:/container/folder/file.csv", "local:/folder/file.csv"), or in model.json as full URLs
// ("https://account.dfs.core.windows.net/container/folder/file.csv"). A lake on local disk has no account or
// container, so URL-like locations are matched by their longest path suffix that exists below the declaring
// document's folder or the lake root. Nothing may resolve outside the lake root. Thread-compatible.
#pragma once

#include <string>
#include <string_view>

#include "util/file_system.h"

namespace cdmlake::cdm {

struct ResolvedLocation {
  bool ok = false;
  std::string path;   // lake-relative, normalized (when ok)
  std::string error;  // why not (when !ok)
};

class LocationResolver {
 public:
  // lake_root: absolute, normalized path of the lake.
  LocationResolver(FileSystem& fs, std::string lake_root) : fs_(fs), lake_root_(std::move(lake_root)) {}

  // Resolves `location`, written in the document at lake-relative `document_path`.
  ResolvedLocation Resolve(std::string_view document_path, std::string_view location) const;
  // The absolute path of a lake-relative path.
  std::string Absolute(std::string_view relative) const;
  const std::string& lake_root() const { return lake_root_; }
  FileSystem& fs() const { return fs_; }

 private:
  ResolvedLocation FromSegments(std::string_view document_dir, std::string_view url_path) const;
  ResolvedLocation Relative(std::string_view base_dir, std::string_view path, std::string_view original) const;
  FileSystem& fs_;
  std::string lake_root_;
};

}  // namespace cdmlake::cdm

// Loads the metadata documents of one root (a manifest tree or a model.json), recording a stamp (size and
// modification time) of every file it reads or looks for, so the catalog can tell later whether anything
// changed. Each document is read at most once per root. Thread-compatible.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "cdm/json_document.h"
#include "cdm/location.h"
#include "cdm/model.h"

namespace cdmlake::cdm {

class DocumentLoader {
 public:
  DocumentLoader(const LocationResolver& resolver, RootDocument* root) : resolver_(resolver), root_(root) {}

  // The parsed document at a lake-relative path, or nullptr (with a Problem added) when it is missing or
  // malformed. `referrer` names who pointed at it, for the message.
  const JsonDocument* Load(const std::string& path, const std::string& referrer = "");
  // Whether a file exists; recorded so that a file appearing later invalidates the cache.
  bool Exists(const std::string& path);

 private:
  void Stamp(const std::string& path, const std::optional<FileInfo>& info);
  const LocationResolver& resolver_;
  RootDocument* root_;
  std::map<std::string, std::optional<JsonDocument>> loaded_;
  std::map<std::string, bool> stamped_;
};

}  // namespace cdmlake::cdm

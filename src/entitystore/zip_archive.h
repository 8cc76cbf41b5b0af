// A small read-only view of a zip archive (libzip), for EMEX packages and .axpp files.
//
// EMEX builds its zips on Windows with backslash entry names ("dimensions\CUSTOMER.json") and its readers look
// files up by upper-cased element names, so lookups here normalise both separators to '/' and ignore ASCII case:
// "dimensions/customer.json" finds "dimensions\CUSTOMER.json". Entries keep their stored spelling for messages.
// The archive is read fully into the object (from a file or a buffer); the file is not kept open.
//
// Thread-compatible: a ZipArchive may be read from one thread at a time (libzip handles are not thread-safe).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cdmlake::entitystore {

// The lookup key of an entry name: '\' → '/', leading "./" and '/' removed, ASCII upper case.
std::string ZipEntryKey(std::string_view name);

class ZipArchive {
 public:
  // Opens the zip file at path. Throws Error(kIo) when the file cannot be read and Error(kData) when it is not
  // a zip archive; both name the path.
  static std::unique_ptr<ZipArchive> Open(const std::string& path);
  // Reads a zip held in memory; `display_name` stands for the archive in messages. Throws like Open.
  static std::unique_ptr<ZipArchive> FromBuffer(std::string data, std::string display_name);

  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // The path or display name given when opening.
  const std::string& path() const { return path_; }
  // File entries as stored (directories left out), in archive order.
  const std::vector<std::string>& entries() const { return entries_; }
  // True when an entry matches name (separators and case normalised).
  bool Contains(std::string_view name) const;
  // The stored spelling of the entry matching name, or nullopt.
  std::optional<std::string> Find(std::string_view name) const;
  // The content of the entry matching name. Throws Error(kData) naming "<zip>:<name>" when there is no such
  // entry or it cannot be decompressed.
  std::string Read(std::string_view name) const;
  // "<zip>:<entry>" for messages and SourceRefs (the entry as stored when it exists, else as given).
  std::string Describe(std::string_view name) const;

 private:
  struct Handle;
  ZipArchive(std::string path, std::string data);

  std::string path_;
  std::string data_;  // the archive bytes; libzip reads from this buffer
  std::unique_ptr<Handle> handle_;
  std::vector<std::string> entries_;
  std::unordered_map<std::string, uint64_t> index_;  // ZipEntryKey → libzip index (first entry wins)
};

// Writes a zip file with the given entries (name as written, content), replacing any file at path. Used by
// tests to build EMEX packages and .axpp files. Throws Error(kIo) naming the path on failure.
void WriteZipFile(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries);

}  // namespace cdmlake::entitystore

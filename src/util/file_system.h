// All file-system access of cdmlake goes through FileSystem, so that tests can run parsers on in-memory files
// and simulate a full disk or a torn write (as LevelDB's Env and Ninja's DiskInterface do). DuckDB reads data
// files itself; everything cdmlake reads or writes on its own (metadata, catalog cache, generated lakes, outputs)
// goes through here.
//
// Thread-safety: the default (real) file system is safe to use from several threads. MemoryFileSystem is not.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake {

struct FileInfo {
  std::string name;  // the last path component
  bool is_directory = false;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

// A file being written. Append buffers; Sync makes the data durable; Close flushes. Errors throw kIo.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual void Append(std::string_view data) = 0;
  virtual void Sync() = 0;
  virtual void Close() = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // Reads a whole file. Throws Error(kIo) naming the path when it cannot.
  virtual std::string ReadFile(const std::string& path) = 0;
  // Reads at most max_bytes from the start of a file (less when the file is shorter). Throws like ReadFile.
  virtual std::string ReadFilePrefix(const std::string& path, size_t max_bytes) = 0;
  // Information about a path, or nullopt when nothing is there.
  virtual std::optional<FileInfo> Stat(const std::string& path) = 0;
  // The entries of a directory sorted by name. Throws Error(kIo) when it is not a readable directory.
  virtual std::vector<FileInfo> ListDirectory(const std::string& path) = 0;
  // Creates or truncates a file for writing; the parent directory must exist.
  virtual std::unique_ptr<WritableFile> NewWritableFile(const std::string& path) = 0;
  // Atomically replaces `to` with `from` (POSIX rename).
  virtual void Rename(const std::string& from, const std::string& to) = 0;
  // Gives the file `from` a second name `to` (a hard link: the data is shared, nothing is copied), or copies it
  // where the file system cannot link (another device, no hard links). `to` must not exist. Throws Error(kIo).
  virtual void LinkFile(const std::string& from, const std::string& to) = 0;
  // Removes a file; no error when it does not exist.
  virtual void RemoveFile(const std::string& path) = 0;
  // Creates a directory and its parents; no error when it exists.
  virtual void CreateDirectories(const std::string& path) = 0;
  // Removes a file or a directory with everything below it; no error when nothing is there.
  virtual void RemoveAll(const std::string& path) = 0;
  // Makes a file's data, or a directory's entries, durable (fsync). Needed after files written by others
  // (DuckDB's COPY) and after a rename, before depending on them.
  virtual void SyncPath(const std::string& path) = 0;

  // Writes data to a temporary file beside path, syncs it and renames it over path, so a reader sees either
  // the old or the new content, never a mix.
  void WriteFileAtomic(const std::string& path, std::string_view data);
  // Every file below dir, as paths relative to dir ('/'-separated), sorted.
  std::vector<std::string> ListFilesRecursive(const std::string& dir);
};

// The process-wide real file system.
FileSystem* DefaultFileSystem();

// An in-memory file system for tests. Paths are taken as given (use absolute, normalized paths). A write
// budget simulates a full disk: once more than `budget` bytes were appended, Append throws "No space left".
class MemoryFileSystem : public FileSystem {
 public:
  std::string ReadFile(const std::string& path) override;
  std::string ReadFilePrefix(const std::string& path, size_t max_bytes) override;
  std::optional<FileInfo> Stat(const std::string& path) override;
  std::vector<FileInfo> ListDirectory(const std::string& path) override;
  std::unique_ptr<WritableFile> NewWritableFile(const std::string& path) override;
  void Rename(const std::string& from, const std::string& to) override;
  void LinkFile(const std::string& from, const std::string& to) override;  // a copy with the same time
  void RemoveFile(const std::string& path) override;
  void CreateDirectories(const std::string& path) override;
  void RemoveAll(const std::string& path) override;
  void SyncPath(const std::string&) override {}

  // Adds a file (creating parent directories) with the given modification time.
  void AddFile(const std::string& path, std::string content, int64_t mtime_ns = 1);
  void set_write_budget(int64_t bytes) { write_budget_ = bytes; }
  const std::map<std::string, std::string>& files() const { return files_; }

 private:
  friend class MemoryWritableFile;
  std::map<std::string, std::string> files_;
  std::map<std::string, int64_t> mtimes_;
  std::map<std::string, bool> directories_;
  int64_t write_budget_ = -1;
  int64_t clock_ = 1;
};

}  // namespace cdmlake

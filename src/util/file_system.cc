#include "util/file_system.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <dirent.h>
#include <filesystem>
#include <iterator>

#include "util/error.h"
#include "util/path.h"

namespace cdmlake {

namespace {

[[noreturn]] void ThrowIo(const std::string& what, const std::string& path, int err) {
  throw Error(ErrorKind::kIo, what + ": " + std::strerror(err), Location{path});
}

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) { buffer_.reserve(kBufferSize); }
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }
  void Append(std::string_view data) override {
    if (buffer_.size() + data.size() > kBufferSize) {
      Flush();
      if (data.size() >= kBufferSize) {
        WriteAll(data);
        return;
      }
    }
    buffer_.append(data);
  }
  void Sync() override {
    Flush();
    if (::fsync(fd_) != 0) ThrowIo("cannot sync file", path_, errno);
  }
  void Close() override {
    if (fd_ < 0) return;
    Flush();
    int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) ThrowIo("cannot close file", path_, errno);
  }

 private:
  static constexpr size_t kBufferSize = 1 << 20;
  void Flush() {
    WriteAll(buffer_);
    buffer_.clear();
  }
  void WriteAll(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        ThrowIo("cannot write file", path_, errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
      written_ += static_cast<uint64_t>(n);
    }
    StartWriteback();
  }
  // Starts writing back what was written so far, every few MiB, without waiting for it: Sync then waits for the
  // last part only instead of the whole file (a writer thread sat in fsync for 0.1 s at the end of a 160 MB file).
  // Only a hint: failures are left to Sync.
  void StartWriteback() {
#ifdef __linux__
    constexpr uint64_t kWritebackBytes = 8 << 20;
    if (written_ - written_back_ < kWritebackBytes) return;
    ::sync_file_range(fd_, static_cast<off64_t>(written_back_), static_cast<off64_t>(written_ - written_back_),
                      SYNC_FILE_RANGE_WRITE);
    written_back_ = written_;
#endif
  }
  std::string path_;
  int fd_;
  std::string buffer_;
  uint64_t written_ = 0;       // bytes written to the file
  uint64_t written_back_ = 0;  // bytes whose writeback was started
};

class PosixFileSystem : public FileSystem {
 public:
  std::string ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ThrowIo("cannot open file", path, errno);
    // Read in place into a buffer of the file's size (plus one byte, to see the end without another resize): a
    // data file of 80 MB grown by appends was copied about twice over and faulted in twice.
    struct stat st;
    size_t capacity = ::fstat(fd, &st) == 0 && st.st_size > 0 ? static_cast<size_t>(st.st_size) + 1 : (1 << 16);
    std::string out(capacity, '\0');
    size_t size = 0;
    while (true) {
      if (size == out.size()) out.resize(out.size() * 2);  // the file grew since fstat, or has no size (a pipe)
      ssize_t n = ::read(fd, out.data() + size, out.size() - size);
      if (n < 0) {
        if (errno == EINTR) continue;
        int err = errno;
        ::close(fd);
        ThrowIo("cannot read file", path, err);
      }
      if (n == 0) break;
      size += static_cast<size_t>(n);
    }
    ::close(fd);
    out.resize(size);
    return out;
  }

  std::string ReadFilePrefix(const std::string& path, size_t max_bytes) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ThrowIo("cannot open file", path, errno);
    std::string out(max_bytes, '\0');
    size_t done = 0;
    while (done < max_bytes) {
      ssize_t n = ::read(fd, out.data() + done, max_bytes - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::close(fd);
        ThrowIo("cannot read file", path, err);
      }
      if (n == 0) break;
      done += static_cast<size_t>(n);
    }
    ::close(fd);
    out.resize(done);
    return out;
  }

  std::optional<FileInfo> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return FileInfo{BaseName(path), S_ISDIR(st.st_mode), static_cast<uint64_t>(st.st_size),
                    static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
  }

  std::vector<FileInfo> ListDirectory(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (!dir) ThrowIo("cannot list directory", path, errno);
    std::vector<FileInfo> out;
    while (struct dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      FileInfo info{name, false, 0, 0};
      if (e->d_type == DT_DIR) {
        info.is_directory = true;
      } else if (e->d_type == DT_UNKNOWN || e->d_type == DT_LNK) {
        if (auto st = Stat(JoinPath(path, name))) info.is_directory = st->is_directory;
      }
      out.push_back(std::move(info));
    }
    ::closedir(dir);
    std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
    return out;
  }

  std::unique_ptr<WritableFile> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) ThrowIo("cannot create file", path, errno);
    return std::make_unique<PosixWritableFile>(path, fd);
  }

  void Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) ThrowIo("cannot rename " + from + " to " + to, from, errno);
  }

  void LinkFile(const std::string& from, const std::string& to) override {
    if (::link(from.c_str(), to.c_str()) == 0) return;
    const int error = errno;
    if (error != EXDEV && error != EPERM && error != ENOTSUP && error != EMLINK) {
      ThrowIo("cannot link " + from + " to " + to, from, error);
    }
    std::error_code ec;
    std::filesystem::copy_file(from, to, ec);
    if (ec) ThrowIo("cannot copy " + from + " to " + to, from, ec.value());
  }

  void RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) ThrowIo("cannot remove file", path, errno);
  }

  void CreateDirectories(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) ThrowIo("cannot create directory", path, ec.value());
  }

  void RemoveAll(const std::string& path) override {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) ThrowIo("cannot remove", path, ec.value());
  }

  void SyncPath(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) ThrowIo("cannot open for sync", path, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) ThrowIo("cannot sync", path, err);
  }
};

}  // namespace

void FileSystem::WriteFileAtomic(const std::string& path, std::string_view data) {
  static std::atomic<uint64_t> counter{0};
  std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  try {
    auto file = NewWritableFile(temp);
    file->Append(data);
    file->Sync();
    file->Close();
    Rename(temp, path);
  } catch (...) {
    RemoveFile(temp);
    throw;
  }
}

std::vector<std::string> FileSystem::ListFilesRecursive(const std::string& dir) {
  std::vector<std::string> out;
  std::vector<std::string> pending{""};
  while (!pending.empty()) {
    std::string rel = std::move(pending.back());
    pending.pop_back();
    for (const FileInfo& e : ListDirectory(rel.empty() ? dir : JoinPath(dir, rel))) {
      std::string child = rel.empty() ? e.name : rel + "/" + e.name;
      if (e.is_directory) {
        pending.push_back(child);
      } else {
        out.push_back(child);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

FileSystem* DefaultFileSystem() {
  static PosixFileSystem fs;
  return &fs;
}

// ---- MemoryFileSystem ----

class MemoryWritableFile : public WritableFile {
 public:
  MemoryWritableFile(MemoryFileSystem* fs, std::string path) : fs_(fs), path_(std::move(path)) {}
  void Append(std::string_view data) override {
    if (fs_->write_budget_ >= 0) {
      if (static_cast<int64_t>(data.size()) > fs_->write_budget_) {
        fs_->write_budget_ = 0;
        throw Error(ErrorKind::kIo, "cannot write file: No space left on device", Location{path_});
      }
      fs_->write_budget_ -= static_cast<int64_t>(data.size());
    }
    fs_->files_[path_].append(data);
    fs_->mtimes_[path_] = ++fs_->clock_;
  }
  void Sync() override {}
  void Close() override {}

 private:
  MemoryFileSystem* fs_;
  std::string path_;
};

std::string MemoryFileSystem::ReadFile(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) throw Error(ErrorKind::kIo, "cannot open file: No such file or directory", Location{path});
  return it->second;
}

std::string MemoryFileSystem::ReadFilePrefix(const std::string& path, size_t max_bytes) {
  return ReadFile(path).substr(0, max_bytes);
}

std::optional<FileInfo> MemoryFileSystem::Stat(const std::string& path) {
  if (auto it = files_.find(path); it != files_.end()) {
    return FileInfo{BaseName(path), false, it->second.size(), mtimes_[path]};
  }
  if (directories_.count(path)) return FileInfo{BaseName(path), true, 0, 0};
  return std::nullopt;
}

std::vector<FileInfo> MemoryFileSystem::ListDirectory(const std::string& path) {
  if (!directories_.count(path)) {
    throw Error(ErrorKind::kIo, "cannot list directory: No such file or directory", Location{path});
  }
  std::vector<FileInfo> out;
  std::string prefix = path == "/" ? "/" : path + "/";
  for (const auto& [name, unused] : directories_) {
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        name.find('/', prefix.size()) == std::string::npos) {
      out.push_back(FileInfo{name.substr(prefix.size()), true, 0, 0});
    }
  }
  for (const auto& [name, content] : files_) {
    if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        name.find('/', prefix.size()) == std::string::npos) {
      out.push_back(FileInfo{name.substr(prefix.size()), false, content.size(), mtimes_[name]});
    }
  }
  std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.name < b.name; });
  return out;
}

std::unique_ptr<WritableFile> MemoryFileSystem::NewWritableFile(const std::string& path) {
  std::string parent = DirName(path);
  if (!parent.empty() && !directories_.count(parent)) {
    throw Error(ErrorKind::kIo, "cannot create file: No such file or directory", Location{path});
  }
  files_[path].clear();
  mtimes_[path] = ++clock_;
  return std::make_unique<MemoryWritableFile>(this, path);
}

void MemoryFileSystem::Rename(const std::string& from, const std::string& to) {
  auto it = files_.find(from);
  if (it == files_.end()) throw Error(ErrorKind::kIo, "cannot rename: No such file or directory", Location{from});
  files_[to] = std::move(it->second);
  mtimes_[to] = ++clock_;
  files_.erase(it);
  mtimes_.erase(from);
}

void MemoryFileSystem::LinkFile(const std::string& from, const std::string& to) {
  auto it = files_.find(from);
  if (it == files_.end()) throw Error(ErrorKind::kIo, "cannot link: No such file or directory", Location{from});
  if (files_.count(to)) throw Error(ErrorKind::kIo, "cannot link: File exists", Location{to});
  files_[to] = it->second;
  mtimes_[to] = mtimes_[from];
}

void MemoryFileSystem::RemoveFile(const std::string& path) {
  files_.erase(path);
  mtimes_.erase(path);
}

void MemoryFileSystem::RemoveAll(const std::string& path) {
  std::string prefix = path + "/";
  for (auto it = files_.begin(); it != files_.end();) {
    if (it->first == path || it->first.rfind(prefix, 0) == 0) {
      mtimes_.erase(it->first);
      it = files_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto it = directories_.begin(); it != directories_.end();) {
    it = (it->first == path || it->first.rfind(prefix, 0) == 0) ? directories_.erase(it) : std::next(it);
  }
}

void MemoryFileSystem::CreateDirectories(const std::string& path) {
  std::string p = path;
  while (!p.empty() && p != "/" && p != ".") {
    directories_[p] = true;
    p = DirName(p);
  }
  if (p == "/") directories_["/"] = true;
}

void MemoryFileSystem::AddFile(const std::string& path, std::string content, int64_t mtime_ns) {
  CreateDirectories(DirName(path));
  files_[path] = std::move(content);
  mtimes_[path] = mtime_ns;
}

}  // namespace cdmlake

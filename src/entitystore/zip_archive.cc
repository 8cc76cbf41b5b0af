#include "entitystore/zip_archive.h"

#include <zip.h>

#include "util/error.h"
#include "util/file_system.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

namespace {

std::string ZipErrorText(int code) {
  zip_error_t error;
  zip_error_init_with_code(&error, code);
  std::string text = zip_error_strerror(&error);
  zip_error_fini(&error);
  return text;
}

}  // namespace

struct ZipArchive::Handle {
  zip_t* zip = nullptr;
  ~Handle() {
    if (zip != nullptr) zip_discard(zip);
  }
};

std::string ZipEntryKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) {
    if (c == '\\') c = '/';
  }
  size_t start = 0;
  while (start < key.size()) {
    if (key[start] == '/') {
      ++start;
    } else if (key.compare(start, 2, "./") == 0) {
      start += 2;
    } else {
      break;
    }
  }
  return ToUpper(std::string_view(key).substr(start));
}

std::unique_ptr<ZipArchive> ZipArchive::Open(const std::string& path) {
  return FromBuffer(DefaultFileSystem()->ReadFile(path), path);
}

std::unique_ptr<ZipArchive> ZipArchive::FromBuffer(std::string data, std::string display_name) {
  return std::unique_ptr<ZipArchive>(new ZipArchive(std::move(display_name), std::move(data)));
}

ZipArchive::ZipArchive(std::string path, std::string data)
    : path_(std::move(path)), data_(std::move(data)), handle_(std::make_unique<Handle>()) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(data_.data(), data_.size(), 0, &error);
  if (source == nullptr) {
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(ErrorKind::kInternal, "cannot read zip archive: " + text, Location{path_});
  }
  handle_->zip = zip_open_from_source(source, ZIP_RDONLY, &error);
  if (handle_->zip == nullptr) {
    zip_source_free(source);
    std::string text = zip_error_strerror(&error);
    zip_error_fini(&error);
    throw Error(ErrorKind::kData, "not a readable zip archive: " + text, Location{path_},
                "an EMEX package or an .axpp file is expected to be a zip");
  }
  zip_error_fini(&error);
  zip_int64_t count = zip_get_num_entries(handle_->zip, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(handle_->zip, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS);
    if (name == nullptr) continue;
    std::string entry = name;
    if (entry.empty() || entry.back() == '/' || entry.back() == '\\') continue;  // a directory
    entries_.push_back(entry);
    index_.emplace(ZipEntryKey(entry), static_cast<uint64_t>(i));
  }
}

ZipArchive::~ZipArchive() = default;

bool ZipArchive::Contains(std::string_view name) const { return index_.count(ZipEntryKey(name)) > 0; }

std::optional<std::string> ZipArchive::Find(std::string_view name) const {
  auto it = index_.find(ZipEntryKey(name));
  if (it == index_.end()) return std::nullopt;
  return std::string(zip_get_name(handle_->zip, it->second, ZIP_FL_ENC_GUESS));
}

std::string ZipArchive::Describe(std::string_view name) const {
  std::optional<std::string> stored = Find(name);
  return path_ + ":" + (stored ? *stored : std::string(name));
}

std::string ZipArchive::Read(std::string_view name) const {
  auto it = index_.find(ZipEntryKey(name));
  if (it == index_.end()) {
    throw Error(ErrorKind::kData, "no entry '" + std::string(name) + "' in the zip archive", Location{path_});
  }
  std::string where = Describe(name);
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat_index(handle_->zip, it->second, 0, &stat) != 0 || (stat.valid & ZIP_STAT_SIZE) == 0) {
    throw Error(ErrorKind::kData, "cannot read the zip entry: " + std::string(zip_strerror(handle_->zip)),
                Location{where});
  }
  zip_file_t* file = zip_fopen_index(handle_->zip, it->second, 0);
  if (file == nullptr) {
    throw Error(ErrorKind::kData, "cannot open the zip entry: " + std::string(zip_strerror(handle_->zip)),
                Location{where});
  }
  std::string out(stat.size, '\0');
  zip_uint64_t done = 0;
  while (done < stat.size) {
    zip_int64_t n = zip_fread(file, out.data() + done, stat.size - done);
    if (n <= 0) {
      std::string text = n < 0 ? zip_file_strerror(file) : "unexpected end of data";
      zip_fclose(file);
      throw Error(ErrorKind::kData, "cannot decompress the zip entry: " + text, Location{where});
    }
    done += static_cast<zip_uint64_t>(n);
  }
  zip_fclose(file);
  return out;
}

void WriteZipFile(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries) {
  int code = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &code);
  if (zip == nullptr) throw Error(ErrorKind::kIo, "cannot create zip archive: " + ZipErrorText(code), Location{path});
  for (const auto& [name, content] : entries) {
    // The buffers stay alive until zip_close: `entries` outlives this function's use of them.
    zip_source_t* source = zip_source_buffer(zip, content.data(), content.size(), 0);
    if (source == nullptr || zip_file_add(zip, name.c_str(), source, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) < 0) {
      if (source != nullptr) zip_source_free(source);
      std::string text = zip_strerror(zip);
      zip_discard(zip);
      throw Error(ErrorKind::kIo, "cannot add '" + name + "' to zip archive: " + text, Location{path});
    }
  }
  if (zip_close(zip) != 0) {
    std::string text = zip_strerror(zip);
    zip_discard(zip);
    throw Error(ErrorKind::kIo, "cannot write zip archive: " + text, Location{path});
  }
}

}  // namespace cdmlake::entitystore

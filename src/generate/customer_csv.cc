#include "generate/customer_csv.h"

#include <algorithm>
#include <charconv>

#include "util/path.h"

namespace cdmlake::generate {

namespace {

constexpr size_t kChunkBytes = 1 << 20;

std::string FileName(const std::string& prefix, int number) {
  std::string digits = std::to_string(number);
  return prefix + "_" + std::string(digits.size() < 5 ? 5 - digits.size() : 0, '0') + digits + ".csv";
}

}  // namespace

CsvTableWriter::CsvTableWriter(FileSystem& fs, std::string root, std::string folder, std::string prefix,
                               std::string header, int64_t rows_per_file)
    : fs_(fs),
      root_(std::move(root)),
      folder_(std::move(folder)),
      prefix_(std::move(prefix)),
      header_(std::move(header)),
      rows_per_file_(rows_per_file) {
  buffer_.reserve(kChunkBytes + (64 << 10));
  fs_.CreateDirectories(JoinPath(root_, folder_));
  OpenFile();
}

void CsvTableWriter::Quoted(std::string_view s) {
  buffer_.push_back('"');
  for (size_t quote = s.find('"'); quote != std::string_view::npos; quote = s.find('"')) {
    buffer_.append(s.data(), quote + 1);
    buffer_.push_back('"');
    s.remove_prefix(quote + 1);
  }
  buffer_.append(s);
  buffer_.append("\",");
}

void CsvTableWriter::Text(std::string_view s) {
  // A plain loop: string_view::find_first_of calls memchr on the set for every character.
  for (char c : s) {
    if (c == ',' || c == '"' || c == '\r' || c == '\n') {
      Quoted(s);
      return;
    }
  }
  buffer_.append(s);
  buffer_.push_back(',');
}

void CsvTableWriter::Int(int64_t v) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  buffer_.append(buf, result.ptr);
  buffer_.push_back(',');
}

void CsvTableWriter::Cents(int64_t cents) {
  if (cents < 0) {
    buffer_.push_back('-');
    cents = -cents;
  }
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, cents / 100);
  buffer_.append(buf, result.ptr);
  buffer_.push_back('.');
  buffer_.push_back(static_cast<char>('0' + cents / 10 % 10));
  buffer_.push_back(static_cast<char>('0' + cents % 10));
  buffer_.push_back(',');
}

void CsvTableWriter::EndRow() {
  buffer_.back() = '\n';
  ++written_.rows;
  if (++rows_in_file_ == rows_per_file_) {
    CloseFile();
    OpenFile();
  } else if (buffer_.size() >= kChunkBytes) {
    Flush();
  }
}

void CsvTableWriter::OpenFile() {
  std::string relative = folder_ + "/" + FileName(prefix_, static_cast<int>(written_.files.size()) + 1);
  file_ = fs_.NewWritableFile(JoinPath(root_, relative));
  written_.files.push_back(relative);
  rows_in_file_ = 0;
  if (!header_.empty()) {
    buffer_.append(header_);
    buffer_.push_back('\n');
  }
}

void CsvTableWriter::Flush() {
  file_->Append(buffer_);
  written_.bytes += buffer_.size();
  buffer_.clear();
}

void CsvTableWriter::CloseFile() {
  Flush();
  file_->Close();
  file_.reset();
}

WrittenTable CsvTableWriter::Finish() {
  // A file opened after the last full one holds only the header: drop it, unless it is the only file.
  if (rows_in_file_ == 0 && written_.files.size() > 1) {
    buffer_.clear();
    file_->Close();
    file_.reset();
    fs_.RemoveFile(JoinPath(root_, written_.files.back()));
    written_.files.pop_back();
  } else {
    CloseFile();
  }
  std::string dir = JoinPath(root_, folder_);
  for (const FileInfo& info : fs_.ListDirectory(dir)) {
    const std::string& name = info.name;
    bool ours = name.size() > prefix_.size() + 5 && name.compare(0, prefix_.size() + 1, prefix_ + "_") == 0 &&
                name.compare(name.size() - 4, 4, ".csv") == 0;
    if (ours && std::find(written_.files.begin(), written_.files.end(), folder_ + "/" + name) == written_.files.end()) {
      fs_.RemoveFile(JoinPath(dir, name));
    }
  }
  return written_;
}

}  // namespace cdmlake::generate

// Columns of text values packed into one buffer each. Unification keeps its sources' values so
// (unify/source_data.h), and the lake's CSV text reader fills them (lake/csv_text_reader.h). Thread-compatible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake {

// A value that may be null, viewed where it is stored (a TextColumn, which must outlive the view).
using TextView = std::optional<std::string_view>;

// One column of text values packed into one buffer: a million rows allocate per column, not per value, and are
// read in order from contiguous memory. Views stay valid while the column lives, even when it is moved (the bytes
// are on the heap), but not across appends.
class TextColumn {
 public:
  void Append(std::string_view value) {
    bytes_.insert(bytes_.end(), value.begin(), value.end());
    ends_.push_back(bytes_.size());
    nulls_.push_back(0);
  }
  void AppendNull() {
    ends_.push_back(bytes_.size());
    nulls_.push_back(1);
  }
  void Append(TextView value) {
    if (value) {
      Append(*value);
    } else {
      AppendNull();
    }
  }
  // Appends every value of `other`, in order (a column read in pieces joined back together).
  void AppendColumn(const TextColumn& other) {
    const uint64_t base = bytes_.size();
    bytes_.insert(bytes_.end(), other.bytes_.begin(), other.bytes_.end());
    ends_.reserve(ends_.size() + other.ends_.size());
    for (uint64_t end : other.ends_) ends_.push_back(base + end);
    nulls_.insert(nulls_.end(), other.nulls_.begin(), other.nulls_.end());
  }
  void Reserve(size_t values, size_t bytes = 0) {
    ends_.reserve(values);
    nulls_.reserve(values);
    bytes_.reserve(bytes);
  }
  size_t size() const { return ends_.size(); }
  size_t bytes() const { return bytes_.size(); }
  bool IsNull(size_t row) const { return nulls_[row] != 0; }
  // The value of a row ("" for null).
  std::string_view View(size_t row) const {
    const size_t begin = row == 0 ? 0 : ends_[row - 1];
    return std::string_view(bytes_.data() + begin, ends_[row] - begin);
  }
  TextView Get(size_t row) const { return IsNull(row) ? TextView() : TextView(View(row)); }
  std::optional<std::string> Value(size_t row) const {
    return IsNull(row) ? std::nullopt : std::optional<std::string>(View(row));
  }

 private:
  std::vector<char> bytes_;  // not std::string: a short string's bytes would move with the object
  std::vector<uint64_t> ends_;  // per row: the end of its value in bytes_
  std::vector<uint8_t> nulls_;
};

}  // namespace cdmlake

// Rows that cdmlake makes in memory (the outputs of `unify run`), handed to the CDM folder writer
// (lake/cdm_folder_writer.h, CdmFolderWriter::AddRows) or to a DuckDB table function (unify/row_function.h) one
// row at a time, so that no output is copied into a table first: a RowSource makes each row when it is asked
// for, from the data it was built on.
//
// Cells are text, exactly as they are to be written: a writer quotes them for CSV but never reformats them (a
// number or a timestamp must already have the text its CDM format reads back).
// Thread-safety: a RowCells and a RowSource are used by one thread at a time; distinct sources may run on distinct
// threads at once when they share nothing mutable (the CDM folder writer runs its entities in parallel).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdmlake::lake {

// The cells of the row being made: each is null, a view (valid until the row has been taken, i.e. also while
// the next row is made), or a copy.
class RowCells {
 public:
  explicit RowCells(size_t columns) : cells_(columns) {}

  void SetNull(size_t column) { cells_[column] = Cell{}; }
  // `value` must stay valid until the row has been taken (the run's data does).
  void Set(size_t column, std::string_view value) { cells_[column] = Cell{Kind::kView, value.data(), value.size()}; }
  void Set(size_t column, const std::string& value) { Set(column, std::string_view(value)); }
  void Set(size_t column, const std::optional<std::string>& value) {
    if (value) {
      Set(column, std::string_view(*value));
    } else {
      SetNull(column);
    }
  }
  void Set(size_t column, const std::optional<std::string_view>& value) {
    if (value) {
      Set(column, *value);
    } else {
      SetNull(column);
    }
  }
  // Copies `value` (text made for this row only).
  void SetCopy(size_t column, std::string_view value) {
    cells_[column] = Cell{Kind::kOwned, nullptr, value.size(), owned_.size()};
    owned_.append(value);
  }

  size_t size() const { return cells_.size(); }
  bool IsNull(size_t column) const { return cells_[column].kind == Kind::kNull; }
  std::string_view Get(size_t column) const {
    const Cell& c = cells_[column];
    return c.kind == Kind::kOwned ? std::string_view(owned_).substr(c.offset, c.size) : std::string_view(c.data, c.size);
  }
  // Asks for the text of every cell to be fetched into the cache (a row about to be written).
  void Prefetch() const {
    for (size_t c = 0; c < cells_.size(); ++c) {
      if (cells_[c].kind == Kind::kView) __builtin_prefetch(cells_[c].data);
    }
  }
  void Clear() {
    owned_.clear();
    for (Cell& c : cells_) c = Cell{};
  }

 private:
  enum class Kind { kNull, kView, kOwned };
  struct Cell {
    Kind kind = Kind::kNull;
    const char* data = nullptr;
    size_t size = 0;
    size_t offset = 0;  // kOwned: into owned_ (which may move while the row is made)
  };
  std::vector<Cell> cells_;
  std::string owned_;
};

// A set of rows made on demand. Row is called with row = 0, 1, ... size() - 1 in order (and again from 0 when a
// reader reads the set again); it sets every cell it does not leave null.
class RowSource {
 public:
  virtual ~RowSource() = default;
  virtual size_t size() const = 0;
  // Makes row `row` in `cells`. The CDM folder writer asks for the next row before it has written this one (to
  // fetch its text into the cache meanwhile), so a view set here must not point into state that the next call
  // changes: such text is set with SetCopy.
  virtual void Row(size_t row, RowCells* cells) = 0;
};

}  // namespace cdmlake::lake

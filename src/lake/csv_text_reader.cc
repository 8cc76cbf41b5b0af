#include "lake/csv_text_reader.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#include "util/parallel.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

// Thrown inside the reader when it declines; caught by ReadCsvAsText.
struct Declined {
  std::string reason;
};

// How a column's field becomes its text.
enum class Conversion { kText, kGuid, kDate, kDateTime, kInt16, kInt32, kInt64 };

std::optional<Conversion> ConversionOf(cdm::DataFormat format) {
  switch (format) {
    case cdm::DataFormat::kString: case cdm::DataFormat::kChar: case cdm::DataFormat::kUnknown:
      return Conversion::kText;
    case cdm::DataFormat::kGuid: return Conversion::kGuid;
    case cdm::DataFormat::kDate: return Conversion::kDate;
    case cdm::DataFormat::kDateTime: return Conversion::kDateTime;
    case cdm::DataFormat::kInt16: return Conversion::kInt16;
    case cdm::DataFormat::kInt32: return Conversion::kInt32;
    case cdm::DataFormat::kInt64: return Conversion::kInt64;
    default: return std::nullopt;
  }
}

constexpr uint64_t kOnes = 0x0101010101010101ull;
constexpr uint64_t kHighs = 0x8080808080808080ull;

// The bytes of `word` equal to c flagged in their high bit. Only the lowest flag is sure to be exact (a borrow may
// flag bytes above a match), which is all that the callers use.
inline uint64_t BytesEqual(uint64_t word, unsigned char c) {
  const uint64_t x = word ^ (kOnes * c);
  return (x - kOnes) & ~x & kHighs;
}

inline uint64_t Load8(const unsigned char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  return word;
}

// Strict UTF-8 (no overlong forms, surrogates or code points past U+10FFFF) without NUL bytes: what DuckDB
// accepts, or less (declining more than DuckDB only costs speed).
bool IsPlainUtf8(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const auto* end = p + text.size();
  while (p < end) {
    // Eight ASCII bytes without a NUL at a time: most text is that.
    if (end - p >= 8) {
      const uint64_t word = Load8(p);
      if ((word & kHighs) == 0 && BytesEqual(word, 0) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c >= 0x01 && c < 0x80) {
      ++p;
      continue;
    }
    int extra;
    uint32_t low;  // the smallest code point the length may encode
    uint32_t code;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1, low = 0x80, code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2, low = 0x800, code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3, low = 0x10000, code = c & 0x07;
    } else {
      return false;  // NUL, a continuation byte first, or a byte never used
    }
    if (end - p <= extra) return false;
    for (int i = 1; i <= extra; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      code = code << 6 | (p[i] & 0x3F);
    }
    if (code < low || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return false;
    p += extra + 1;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The value of `count` digits at text[at], or -1.
int Digits(std::string_view text, size_t at, size_t count) {
  if (at + count > text.size()) return -1;
  int value = 0;
  for (size_t i = at; i < at + count; ++i) {
    if (!IsDigit(text[i])) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// A YYYY-MM-DD at the start of text, checked against the calendar.
bool ReadDate(std::string_view text, int* year, int* month, int* day) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return false;
  *year = Digits(text, 0, 4), *month = Digits(text, 5, 2), *day = Digits(text, 8, 2);
  if (*year < 1 || *month < 1 || *month > 12 || *day < 1) return false;
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int days = kDays[*month - 1] + (*month == 2 && IsLeapYear(*year) ? 1 : 0);
  return *day <= days;
}

// The conversions append a field's text to *out, or return false when the field is not in the one plain form
// they read.
bool AppendGuid(std::string_view field, std::string* out) {
  if (field.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const char c = field[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
      out->push_back(c);
    } else if (IsDigit(c) || (c >= 'a' && c <= 'f')) {
      out->push_back(c);
    } else if (c >= 'A' && c <= 'F') {
      out->push_back(static_cast<char>(c - 'A' + 'a'));
    } else {
      return false;
    }
  }
  return true;
}

// Sets *sentinel when the date is F&O's 1900-01-01.
bool AppendDate(std::string_view field, std::string* out, bool* sentinel) {
  int year, month, day;
  if (field.size() != 10 || !ReadDate(field, &year, &month, &day)) return false;
  *sentinel = year == 1900 && month == 1 && day == 1;
  out->append(field);
  return true;
}

bool AppendDateTime(std::string_view field, std::string* out, bool* sentinel) {
  int year, month, day;
  if (field.size() < 19 || !ReadDate(field, &year, &month, &day)) return false;
  if ((field[10] != 'T' && field[10] != ' ') || field[13] != ':' || field[16] != ':') return false;
  const int hour = Digits(field, 11, 2), minute = Digits(field, 14, 2), second = Digits(field, 17, 2);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  size_t at = 19;
  char fraction[6] = {'0', '0', '0', '0', '0', '0'};
  int fraction_digits = 0;  // significant digits of the microseconds, trailing zeros left out
  if (at < field.size() && field[at] == '.') {
    ++at;
    const size_t first = at;
    while (at < field.size() && IsDigit(field[at])) {
      const size_t i = at - first;
      if (i >= 9) return false;
      if (i < 6) {
        fraction[i] = field[at];
        if (field[at] != '0') fraction_digits = static_cast<int>(i) + 1;
      } else if (field[at] != '0') {
        return false;  // below a microsecond: DuckDB truncates, and this reader does not guess
      }
      ++at;
    }
    if (at == first) return false;
  }
  if (at < field.size() && field[at] == 'Z') ++at;
  if (at != field.size()) return false;
  *sentinel = year == 1900 && month == 1 && day == 1 && hour == 0 && minute == 0 && second == 0 &&
              fraction_digits == 0;
  out->append(field.substr(0, 10));
  out->push_back(' ');
  out->append(field.substr(11, 8));
  if (fraction_digits > 0) {
    out->push_back('.');
    out->append(fraction, static_cast<size_t>(fraction_digits));
  }
  return true;
}

// Signed integers of two's complement types: [-max - 1, max].
bool AppendInteger(std::string_view field, int64_t max, std::string* out) {
  size_t at = 0;
  const bool negative = !field.empty() && field[0] == '-';
  if (negative) at = 1;
  const size_t digits = field.size() - at;
  if (digits == 0 || digits > 19) return false;
  if (field[at] == '0' && (digits > 1 || negative)) return false;  // leading zeros, "-0"
  uint64_t value = 0;
  for (size_t i = at; i < field.size(); ++i) {
    if (!IsDigit(field[i])) return false;
    const uint64_t next = value * 10 + static_cast<uint64_t>(field[i] - '0');
    if (next / 10 != value) return false;
    value = next;
  }
  if (value > static_cast<uint64_t>(max) + (negative ? 1 : 0)) return false;
  out->append(field);
  return true;
}

// A field read: the output column its values go to, and how they are converted.
struct Target {
  Conversion conversion = Conversion::kText;
  int output = -1;  // -1: the field is not read
};

// Reads the records of a CSV file's text that start in [begin, end) into `columns` (the output columns, which the
// targets, indexed by field, name). The last record may run past `end` (a quoted line break); position() then
// tells where it ended, which is where the records after it start.
class FileReader {
 public:
  FileReader(std::string_view text, size_t begin, size_t end, char delimiter, size_t width, bool empty_dates,
             const std::vector<Target>& targets, TextColumn* columns)
      : text_(text), end_(end), delimiter_(delimiter), width_(width), empty_dates_(empty_dates), targets_(targets),
        columns_(columns), pos_(begin) {
    for (size_t i = 0; i < 256; ++i) stop_[i] = false;
    stop_[static_cast<unsigned char>(delimiter)] = true;
    stop_['\n'] = true;
    stop_['"'] = true;
  }

  // Returns the number of records read; with skip_first the first one (the header) is read but not kept.
  size_t Read(bool skip_first) {
    size_t records = 0;
    bool skip = skip_first;
    while (pos_ < end_) {
      if (text_[pos_] == '\n') throw Declined{"an empty line"};
      ReadRecord(skip);
      if (!skip) ++records;
      skip = false;
    }
    return records;
  }
  size_t position() const { return pos_; }

 private:
  void ReadRecord(bool skip) {
    size_t field = 0;
    while (true) {
      if (field >= width_) throw Declined{"a record with more fields than the file's " + std::to_string(width_)};
      const Target* target = skip || targets_[field].output < 0 ? nullptr : &targets_[field];
      bool ended_record;
      if (pos_ < text_.size() && text_[pos_] == '"') {
        ended_record = ReadQuoted(target);
      } else {
        ended_record = ReadUnquoted(target);
      }
      ++field;
      if (ended_record) break;
    }
    if (field != width_) throw Declined{"a record with fewer fields than the file's " + std::to_string(width_)};
  }

  // Both return true when the field ended its record (a line break or the end of the file).
  bool ReadUnquoted(const Target* target) {
    const size_t begin = pos_;
    // Eight bytes at a time up to the first delimiter, line break or quote, then byte by byte.
    const auto* bytes = reinterpret_cast<const unsigned char*>(text_.data());
    while (std::endian::native == std::endian::little && pos_ + 8 <= text_.size()) {
      const uint64_t word = Load8(bytes + pos_);
      const uint64_t found = BytesEqual(word, static_cast<unsigned char>(delimiter_)) | BytesEqual(word, '\n') |
                             BytesEqual(word, '"');
      if (found != 0) {
        pos_ += static_cast<size_t>(__builtin_ctzll(found)) / 8;
        break;
      }
      pos_ += 8;
    }
    while (pos_ < text_.size() && !stop_[static_cast<unsigned char>(text_[pos_])]) ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '"') throw Declined{"a quote inside an unquoted field"};
    const std::string_view value = text_.substr(begin, pos_ - begin);
    if (target) {
      if (value.empty()) {
        columns_[target->output].AppendNull();
      } else {
        Store(*target, value);
      }
    }
    return EndField();
  }

  bool ReadQuoted(const Target* target) {
    ++pos_;  // the opening quote
    const size_t begin = pos_;
    bool escaped = false;
    while (true) {
      const size_t quote = text_.find('"', pos_);
      if (quote == std::string_view::npos) throw Declined{"a quote left open at the end of the file"};
      if (quote + 1 < text_.size() && text_[quote + 1] == '"') {
        escaped = true;
        pos_ = quote + 2;
        continue;
      }
      pos_ = quote + 1;
      break;
    }
    if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n') {
      throw Declined{"text after a closing quote"};
    }
    if (target) {
      std::string_view value = text_.substr(begin, pos_ - 1 - begin);
      if (escaped) {
        unescaped_.clear();
        for (size_t i = 0; i < value.size(); ++i) {
          unescaped_.push_back(value[i]);
          if (value[i] == '"') ++i;  // the second quote of a pair
        }
        value = unescaped_;
      }
      if (value.empty() && target->conversion != Conversion::kText) throw Declined{"a quoted empty typed value"};
      Store(*target, value);
    }
    return EndField();
  }

  // Steps over the delimiter or line break after a field; true when the record ended.
  bool EndField() {
    if (pos_ >= text_.size()) return true;
    const char c = text_[pos_++];
    return c == '\n';
  }

  void Store(const Target& target, std::string_view value) {
    if (!IsPlainUtf8(value)) throw Declined{"a value that is not valid UTF-8, or holds a NUL byte"};
    TextColumn& column = columns_[target.output];
    if (target.conversion == Conversion::kText) {
      column.Append(value);
      return;
    }
    converted_.clear();
    bool sentinel = false;
    bool ok = false;
    switch (target.conversion) {
      case Conversion::kText: break;
      case Conversion::kGuid: ok = AppendGuid(value, &converted_); break;
      case Conversion::kDate: ok = AppendDate(value, &converted_, &sentinel); break;
      case Conversion::kDateTime: ok = AppendDateTime(value, &converted_, &sentinel); break;
      case Conversion::kInt16: ok = AppendInteger(value, INT16_MAX, &converted_); break;
      case Conversion::kInt32: ok = AppendInteger(value, INT32_MAX, &converted_); break;
      case Conversion::kInt64: ok = AppendInteger(value, INT64_MAX, &converted_); break;
    }
    if (!ok) throw Declined{"a typed value in another form than the plain one"};
    if (sentinel && empty_dates_) {
      column.AppendNull();
    } else {
      column.Append(std::string_view(converted_));
    }
  }

  std::string_view text_;
  size_t end_;
  char delimiter_;
  size_t width_;
  bool empty_dates_;
  const std::vector<Target>& targets_;
  TextColumn* columns_;
  std::array<bool, 256> stop_;
  size_t pos_;
  std::string unescaped_;
  std::string converted_;
};

// A file this large is cut into one piece per thread (at most 8), read side by side.
constexpr size_t kParallelBytes = 4 << 20;

size_t LineBreaks(std::string_view text) { return static_cast<size_t>(std::count(text.begin(), text.end(), '\n')); }

// Reads one file's text into the output columns `out` as the targets say, returning its records. A large file is read
// in pieces on all threads: each piece but the first starts after a line break, guessing that a record starts
// there. A guess is right when the pieces before it, read in order, end exactly there; from the first wrong guess
// (a line break inside a quoted value) the rest of the file is read again in order. So the result is always that
// of one reading from the start, and a piece's refusal counts only when its start was right.
size_t ReadText(std::string_view text, char delimiter, size_t width, bool header, bool empty_dates,
                const std::vector<Target>& targets, std::vector<TextColumn>& out) {
  if (text.empty()) throw Declined{"an empty file"};
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") throw Declined{"a byte-order mark"};
  if (text.find('\r') != std::string_view::npos) throw Declined{"a carriage return (CRLF records)"};
  auto reserve = [&targets](std::vector<TextColumn>& columns, std::string_view part) {
    // Room for every row, and for all of the part's bytes in every column read: only the pages written are
    // touched, so this costs address space, not memory, and no column is copied as it grows.
    const size_t lines = LineBreaks(part) + 1;
    for (const Target& t : targets) {
      if (t.output < 0) continue;
      TextColumn& column = columns[static_cast<size_t>(t.output)];
      column.Reserve(column.size() + lines, column.bytes() + part.size());
    }
  };
  std::vector<size_t> starts = {0};
  const size_t pieces = text.size() >= kParallelBytes ? std::min<size_t>(WorkerThreads(), 8) : 1;
  for (size_t k = 1; k < pieces; ++k) {
    const size_t line_break = text.find('\n', k * text.size() / pieces);
    if (line_break == std::string_view::npos || line_break + 1 >= text.size()) break;
    if (line_break + 1 > starts.back()) starts.push_back(line_break + 1);
  }
  starts.push_back(text.size());
  const size_t n = starts.size() - 1;
  if (n == 1) {
    reserve(out, text);
    return FileReader(text, 0, text.size(), delimiter, width, empty_dates, targets, out.data()).Read(header);
  }
  struct Piece {
    std::vector<TextColumn> columns;  // pieces after the first; the first writes into `out` directly
    size_t records = 0;
    size_t end = 0;
    std::optional<std::string> declined;
  };
  std::vector<Piece> piece(n);
  for (size_t k = 1; k < n; ++k) piece[k].columns.resize(out.size());
  RunTasks(n, [&](size_t k) {
    Piece& p = piece[k];
    std::vector<TextColumn>& columns = k == 0 ? out : p.columns;
    reserve(columns, text.substr(starts[k], starts[k + 1] - starts[k]));
    try {
      FileReader reader(text, starts[k], starts[k + 1], delimiter, width, empty_dates, targets, columns.data());
      p.records = reader.Read(k == 0 && header);
      p.end = reader.position();
    } catch (const Declined& d) {
      p.declined = d.reason;
    }
  });
  if (piece[0].declined) throw Declined{*piece[0].declined};
  size_t records = piece[0].records;
  size_t at = piece[0].end;
  for (size_t k = 1; k < n; ++k) {
    if (at != starts[k]) {  // a wrong guess: the rest is read in order
      FileReader reader(text, at, text.size(), delimiter, width, empty_dates, targets, out.data());
      return records + reader.Read(false);
    }
    if (piece[k].declined) throw Declined{*piece[k].declined};
    for (size_t c = 0; c < out.size(); ++c) {
      out[c].AppendColumn(piece[k].columns[c]);
      piece[k].columns[c] = TextColumn();  // freed as soon as copied
    }
    records += piece[k].records;
    at = piece[k].end;
  }
  return records;
}

std::vector<TextColumn> Read(FileSystem& fs, const cdm::Entity& entity, const std::vector<cdm::Partition>& partitions,
                             const std::string& lake_root, const std::vector<std::string>& columns) {
  const size_t full = entity.attributes.size();
  auto width_of = [full](const cdm::Partition& p) {
    return p.columns > 0 && static_cast<size_t>(p.columns) < full ? static_cast<size_t>(p.columns) : full;
  };
  for (const cdm::Partition& p : partitions) {
    if (p.format != cdm::FileFormat::kCsv) throw Declined{"a partition that is not CSV"};
    if (!(p.csv == partitions[0].csv) || width_of(p) != width_of(partitions[0])) {
      throw Declined{"partitions of more than one dialect or width"};
    }
  }
  std::vector<TextColumn> out(columns.size());
  if (partitions.empty()) return out;
  const cdm::CsvFormat& csv = partitions[0].csv;
  if (csv.delimiter.size() != 1 || csv.delimiter[0] == '"' || csv.delimiter[0] == '\n' || csv.delimiter[0] == '\r' ||
      csv.quote != "\"" || csv.escape != "\"" || csv.skip_lines != 0 ||
      !(csv.encoding.empty() || EqualsIgnoreCase(csv.encoding, "UTF-8")) ||
      !(csv.newline.empty() || csv.newline == "\n" || csv.newline == "\\n")) {
    throw Declined{"a CSV dialect other than the plain one"};
  }
  const size_t width = width_of(partitions[0]);
  std::vector<Target> targets(width);
  for (size_t c = 0; c < columns.size(); ++c) {
    auto it = std::find_if(entity.attributes.begin(), entity.attributes.end(),
                           [&](const cdm::Attribute& a) { return EqualsIgnoreCase(a.name, columns[c]); });
    if (it == entity.attributes.end()) throw Declined{"no attribute " + columns[c]};
    const std::optional<Conversion> conversion = ConversionOf(it->format);
    if (!conversion) throw Declined{"the type of " + it->name};
    const size_t index = static_cast<size_t>(it - entity.attributes.begin());
    if (index >= width) continue;  // not in these files: NULL in every row, added below
    if (targets[index].output >= 0) throw Declined{"a column read twice"};
    targets[index] = Target{*conversion, static_cast<int>(c)};
  }
  size_t rows = 0;
  for (const cdm::Partition& p : partitions) {
    const std::string text = fs.ReadFile(JoinPath(lake_root, p.location));
    rows += ReadText(text, csv.delimiter[0], width, csv.header, entity.d365_empty_dates, targets, out);
  }
  // Columns the files do not have: NULL in every row.
  for (TextColumn& column : out) {
    while (column.size() < rows) column.AppendNull();
  }
  return out;
}

}  // namespace

std::optional<std::vector<TextColumn>> ReadCsvAsText(FileSystem& fs, const cdm::Entity& entity,
                                                     const std::vector<cdm::Partition>& partitions,
                                                     const std::string& lake_root,
                                                     const std::vector<std::string>& columns, std::string* declined) {
  try {
    return Read(fs, entity, partitions, lake_root, columns);
  } catch (const Declined& d) {
    if (declined) *declined = d.reason;
    return std::nullopt;
  }
}

}  // namespace cdmlake::lake

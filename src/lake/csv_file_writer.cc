#include "lake/csv_file_writer.h"

#include <array>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "util/path.h"

namespace cdmlake::lake {

namespace {

// The bytes that make DuckDB 1.4's CSV writer quote a field (measured on its COPY ... (FORMAT csv) with this
// dialect over every byte 1..127: exactly these five).
constexpr std::array<bool, 256> kQuoteBytes = [] {
  std::array<bool, 256> table{};
  for (unsigned char c : {',', '"', '\n', '\r', '#'}) table[c] = true;
  return table;
}();

// Handing ~1 MiB at a time to the file keeps the per-row cost to appending to a string.
constexpr size_t kFlushBytes = 1 << 20;

// The scan for those bytes is most of the cost of writing a field (fields are mostly UUIDs and names), so it
// looks at 16 bytes at a time with SSE2 (every x86-64 has it) or 8 with plain 64-bit arithmetic, and at the end of
// a value with an overlapping load rather than byte by byte.

// Whether any byte of `word` is one of the five: the exact has-a-zero-byte test on word ^ c, for each c.
inline bool WordNeedsQuotes(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof word);
  constexpr uint64_t kOnes = 0x0101010101010101ull;
  constexpr uint64_t kHighs = 0x8080808080808080ull;
  uint64_t found = 0;
  for (unsigned char c : {',', '"', '\n', '\r', '#'}) {
    const uint64_t x = word ^ (kOnes * c);
    found |= (x - kOnes) & ~x & kHighs;
  }
  return found != 0;
}

#if defined(__SSE2__)
inline bool BlockNeedsQuotes(const char* p) {
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
  __m128i found = _mm_cmpeq_epi8(v, _mm_set1_epi8(','));
  for (char c : {'"', '\n', '\r', '#'}) found = _mm_or_si128(found, _mm_cmpeq_epi8(v, _mm_set1_epi8(c)));
  return _mm_movemask_epi8(found) != 0;
}
#endif

}  // namespace

bool CsvNeedsQuotes(std::string_view value) {
  const size_t n = value.size();
  const char* p = value.data();
  if (n == 0) return true;  // "" is the empty string; an empty field is NULL
#if defined(__SSE2__)
  if (n >= 16) {
    for (size_t i = 0; i + 16 <= n; i += 16) {
      if (BlockNeedsQuotes(p + i)) return true;
    }
    return n % 16 != 0 && BlockNeedsQuotes(p + n - 16);
  }
#endif
  if (n >= 8) {
    for (size_t i = 0; i + 8 <= n; i += 8) {
      if (WordNeedsQuotes(p + i)) return true;
    }
    return n % 8 != 0 && WordNeedsQuotes(p + n - 8);
  }
  for (size_t i = 0; i < n; ++i) {
    if (kQuoteBytes[static_cast<unsigned char>(p[i])]) return true;
  }
  return false;
}

void AppendCsvField(std::string* out, std::string_view value) {
  if (!CsvNeedsQuotes(value)) {
    out->append(value);
    return;
  }
  out->push_back('"');
  for (size_t start = 0;;) {
    const size_t quote = value.find('"', start);
    if (quote == std::string_view::npos) {
      out->append(value.substr(start));
      break;
    }
    out->append(value.substr(start, quote + 1 - start));
    out->push_back('"');  // the escape of the quote just written
    start = quote + 1;
  }
  out->push_back('"');
}

void AppendCsvRow(std::string* out, const RowCells& cells) {
  for (size_t c = 0; c < cells.size(); ++c) {
    if (c > 0) out->push_back(',');
    if (!cells.IsNull(c)) AppendCsvField(out, cells.Get(c));
  }
  out->push_back('\n');
}

void AppendCsvHeader(std::string* out, const std::vector<std::string>& names) {
  for (size_t c = 0; c < names.size(); ++c) {
    if (c > 0) out->push_back(',');
    AppendCsvField(out, names[c]);
  }
  out->push_back('\n');
}

CsvPartitionWriter::CsvPartitionWriter(FileSystem& fs, std::string folder, std::string stem,
                                       std::vector<std::string> header, uint64_t max_file_bytes)
    : fs_(fs), folder_(std::move(folder)), stem_(std::move(stem)), max_file_bytes_(max_file_bytes) {
  if (!header.empty()) AppendCsvHeader(&header_, header);
  buffer_.reserve(kFlushBytes + (64 << 10));
  StartFile();
}

// A writer abandoned by an exception just closes its file (the commit that owns it fails, and the folder it
// wrote into is never committed).
CsvPartitionWriter::~CsvPartitionWriter() = default;

void CsvPartitionWriter::StartFile() {
  if (file_) {
    Flush();
    file_->Sync();
    file_->Close();
  }
  const std::string name = stem_ + "-" + std::to_string(files_.size()) + ".csv";
  file_ = fs_.NewWritableFile(JoinPath(folder_, name));
  files_.push_back(name);
  buffer_.append(header_);
  file_bytes_ = header_.size();
  file_has_rows_ = false;
}

void CsvPartitionWriter::Flush() {
  if (buffer_.empty()) return;
  file_->Append(buffer_);
  buffer_.clear();
}

void CsvPartitionWriter::Append(const RowCells& cells) {
  if (file_has_rows_ && file_bytes_ >= max_file_bytes_) StartFile();
  const size_t before = buffer_.size();
  AppendCsvRow(&buffer_, cells);
  file_bytes_ += buffer_.size() - before;
  file_has_rows_ = true;
  ++rows_;
  if (buffer_.size() >= kFlushBytes) Flush();
}

std::vector<std::string> CsvPartitionWriter::Finish() {
  Flush();
  file_->Sync();
  file_->Close();
  file_.reset();
  return files_;
}

}  // namespace cdmlake::lake

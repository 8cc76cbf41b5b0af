#include "unify/normalize_unicode.h"

#include <unicode/locid.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

// NFKD before Latin-ASCII: circled (Ⓐ) and full-width (Ａ) letters have compatibility decompositions but no
// Latin-ASCII rule; removing the non-spacing marks it leaves catches accents Latin-ASCII has no rule for.
constexpr char kFoldId[] = "Any-Latin; NFKD; [:Mn:] Remove; Latin-ASCII";

// Built once and never destroyed, so no thread can see it die while ICU cleans up at exit.
const icu::Transliterator& FoldPrototype() {
  static const icu::Transliterator* prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    icu::Transliterator* t =
        icu::Transliterator::createInstance(icu::UnicodeString::fromUTF8(kFoldId), UTRANS_FORWARD, status);
    if (U_FAILURE(status) || t == nullptr) {
      throw Error(ErrorKind::kInternal, std::string("cannot create the ICU transliterator \"") + kFoldId +
                                            "\": " + u_errorName(status),
                  {}, "the ICU data library (libicu) may be incomplete");
    }
    return t;
  }();
  return *prototype;
}

// Cloning is serialized because it reads the prototype's rule data; it happens once per thread.
std::unique_ptr<icu::Transliterator> CloneFold() {
  static std::mutex mu;
  std::lock_guard<std::mutex> lock(mu);
  return std::unique_ptr<icu::Transliterator>(FoldPrototype().clone());
}

// Transliterators are not safe for concurrent use, so each thread transliterates with its own clone.
icu::Transliterator& ThreadFold() {
  thread_local std::unique_ptr<icu::Transliterator> fold = CloneFold();
  return *fold;
}

// The ICU fold of the whole string.
void FoldWithTransliterator(std::string* s) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(*s);
  ThreadFold().transliterate(text);
  s->clear();
  text.toUTF8String(*s);
}

// The fold of single characters from the blocks that European names and addresses use, computed once with the
// transliterator itself: most non-ASCII values then fold by table lookups (~20x faster than transliterating).
// A character is only put in the table when its fold does not depend on its neighbours (checked between lower-
// and upper-case letters); the others, and characters outside these blocks, send the value to the transliterator.
class FoldTable {
 public:
  FoldTable() {
    std::unique_ptr<icu::Transliterator> fold = CloneFold();
    auto transliterate = [&](const icu::UnicodeString& in) {
      icu::UnicodeString text = in;
      fold->transliterate(text);
      std::string out;
      text.toUTF8String(out);
      return out;
    };
    for (const Block& block : kBlocks) {
      for (UChar32 c = block.first; c <= block.last; ++c) {
        const icu::UnicodeString one(c);
        const std::string folded = transliterate(one);
        const bool context_free = transliterate(icu::UnicodeString(u"a") + one + u"a") == "a" + folded + "a" &&
                                  transliterate(icu::UnicodeString(u"A") + one + u"A") == "A" + folded + "A";
        if (context_free && HasOnlyAscii(folded)) folds_.emplace(c, folded);
      }
    }
  }

  // The fold of one character, or nullptr when it must be transliterated in context.
  const std::string* Find(UChar32 c) const {
    auto it = folds_.find(c);
    return it == folds_.end() ? nullptr : &it->second;
  }

 private:
  struct Block {
    UChar32 first;
    UChar32 last;
  };
  static constexpr Block kBlocks[] = {
      {0x0080, 0x024F},  // Latin-1 Supplement, Latin Extended-A and -B
      {0x0300, 0x036F},  // combining diacritical marks
      {0x1E00, 0x1EFF},  // Latin Extended Additional
      {0x2000, 0x206F},  // general punctuation: dashes, quotes, spaces
      {0x2460, 0x24FF},  // enclosed alphanumerics: Ⓐ, ①
      {0xFF01, 0xFF5E},  // full-width ASCII: Ａ
  };
  std::unordered_map<UChar32, std::string> folds_;
};

const FoldTable& SharedFoldTable() {
  static const FoldTable* table = new FoldTable();  // never destroyed, like the prototype
  return *table;
}

bool IsAsciiSymbol(unsigned char c) {
  return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) || (c >= 0x7B && c <= 0x7E);
}

bool IsAsciiWhitespace(unsigned char c) { return c == ' ' || (c >= 0x09 && c <= 0x0D); }

// Deletes the code points for which drop_ascii (bytes < 0x80) or drop_other (decoded code points) is true, in
// place. Ill-formed UTF-8 bytes are kept as they are.
template <typename DropAscii, typename DropOther>
void DeleteCodePoints(std::string* s, DropAscii drop_ascii, DropOther drop_other) {
  char* data = s->data();
  const int32_t length = static_cast<int32_t>(s->size());
  int32_t out = 0;
  int32_t i = 0;
  while (i < length) {
    const auto byte = static_cast<unsigned char>(data[i]);
    if (byte < 0x80) {
      if (!drop_ascii(byte)) data[out++] = data[i];
      ++i;
      continue;
    }
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(data, i, length, c);
    if (c >= 0 && drop_other(c)) continue;
    for (int32_t k = start; k < i; ++k) data[out++] = data[k];
  }
  s->resize(static_cast<size_t>(out));
}

// The whole non-negative number a numeric character stands for, or -1 (fractions, no value, not category N).
int64_t WholeNumericValue(UChar32 c) {
  const int8_t type = u_charType(c);
  if (type != U_DECIMAL_DIGIT_NUMBER && type != U_LETTER_NUMBER && type != U_OTHER_NUMBER) return -1;
  const double value = u_getNumericValue(c);
  if (value == U_NO_NUMERIC_VALUE || value < 0 || value > 1e15 || value != std::floor(value)) return -1;
  return static_cast<int64_t>(value);
}

}  // namespace

bool HasOnlyAscii(std::string_view s) {
  // Eight bytes at a time: this runs on every value of every column.
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t word;
    __builtin_memcpy(&word, s.data() + i, 8);
    if (word & 0x8080808080808080ULL) return false;
  }
  for (; i < s.size(); ++i) {
    if (static_cast<unsigned char>(s[i]) >= 0x80) return false;
  }
  return true;
}

void FoldToAscii(std::string* s) {
  if (HasOnlyAscii(*s)) return;
  const FoldTable& table = SharedFoldTable();
  std::string out;
  out.reserve(s->size());
  const char* data = s->data();
  const int32_t length = static_cast<int32_t>(s->size());
  int32_t i = 0;
  while (i < length) {
    if (static_cast<unsigned char>(data[i]) < 0x80) {
      out += data[i++];
      continue;
    }
    UChar32 c;
    U8_NEXT(data, i, length, c);
    const std::string* folded = c >= 0 ? table.Find(c) : nullptr;
    if (folded == nullptr) return FoldWithTransliterator(s);
    out += *folded;
  }
  *s = std::move(out);
}

void FoldToAsciiWithTransliterator(std::string* s) {
  if (!HasOnlyAscii(*s)) FoldWithTransliterator(s);
}

void MapNumerals(std::string* s) {
  if (HasOnlyAscii(*s)) return;
  std::string out;
  out.reserve(s->size());
  const char* data = s->data();
  const int32_t length = static_cast<int32_t>(s->size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(data, i, length, c);
    const int64_t value = c >= 0x80 ? WholeNumericValue(c) : -1;
    if (value >= 0) {
      out += std::to_string(value);
    } else {
      out.append(data + start, static_cast<size_t>(i - start));
    }
  }
  *s = std::move(out);
}

void LowerCase(std::string* s) {
  if (HasOnlyAscii(*s)) {
    for (char& c : *s) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return;
  }
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(*s);
  text.toLower(icu::Locale::getRoot());
  s->clear();
  text.toUTF8String(*s);
}

void RemoveSymbols(std::string* s) {
  DeleteCodePoints(s, IsAsciiSymbol, [](UChar32 c) { return (U_GET_GC_MASK(c) & (U_GC_P_MASK | U_GC_S_MASK)) != 0; });
}

void RemoveWhitespace(std::string* s) {
  DeleteCodePoints(s, IsAsciiWhitespace, [](UChar32 c) { return u_isUWhiteSpace(c) != 0; });
}

bool IsBlank(std::string_view s) {
  const int32_t length = static_cast<int32_t>(s.size());
  int32_t i = 0;
  while (i < length) {
    const auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80) {
      if (!IsAsciiWhitespace(byte)) return false;
      ++i;
      continue;
    }
    UChar32 c;
    U8_NEXT(s.data(), i, length, c);
    if (c < 0 || !u_isUWhiteSpace(c)) return false;
  }
  return true;
}

}  // namespace cdmlake::unify

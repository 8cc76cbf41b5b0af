#include "unify/levenshtein.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>

namespace cdmlake::unify {
namespace {

constexpr size_t kUnbounded = std::numeric_limits<size_t>::max();
constexpr size_t kWordBits = 64;
// Symbols below 128 are ASCII characters; non-ASCII code points are renumbered from here (see Remap).
constexpr uint32_t kAsciiAlphabet = 128;

// Decodes one code point starting at s[i] and advances i. An invalid byte becomes U+DC00 + byte and advances one.
inline uint32_t DecodeOne(std::string_view s, size_t& i) {
  const auto byte = [&](size_t at) { return static_cast<unsigned char>(s[at]); };
  const unsigned char c = byte(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  const auto continuation = [&](size_t at, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return at < s.size() && byte(at) >= lo && byte(at) <= hi;
  };
  if (c >= 0xC2 && c <= 0xDF && continuation(i + 1)) {
    const uint32_t cp = ((c & 0x1Fu) << 6) | (byte(i + 1) & 0x3Fu);
    i += 2;
    return cp;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    // E0 excludes overlong forms, ED excludes the UTF-16 surrogates.
    const unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = c == 0xED ? 0x9F : 0xBF;
    if (continuation(i + 1, lo, hi) && continuation(i + 2)) {
      const uint32_t cp = ((c & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
      i += 3;
      return cp;
    }
  }
  if (c >= 0xF0 && c <= 0xF4) {
    // F0 excludes overlong forms, F4 stops at U+10FFFF.
    const unsigned char lo = c == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;
    if (continuation(i + 1, lo, hi) && continuation(i + 2) && continuation(i + 3)) {
      const uint32_t cp = ((c & 0x07u) << 18) | ((byte(i + 1) & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) |
                          (byte(i + 3) & 0x3Fu);
      i += 4;
      return cp;
    }
  }
  ++i;
  return 0xDC00u + c;
}

// Per-thread scratch space, reused so that no call allocates once the buffers have grown to the largest input.
struct Scratch {
  std::vector<uint32_t> a, b;         // decoded (then renumbered) units
  std::vector<uint32_t> alphabet;     // sorted distinct non-ASCII code points of the pattern
  std::vector<uint64_t> peq;          // blocked match masks, all zero between calls
  std::vector<uint64_t> pv, mv;       // blocked vertical delta vectors
  std::vector<size_t> score;          // blocked: the distance at each block's bottom row
  std::vector<size_t> row;            // LevenshteinDp
};
thread_local Scratch scratch;
// The single-word match masks of ASCII patterns, kept apart from Scratch: a trivially constructible thread_local
// needs no initialization guard on the hot path. All zero between calls.
thread_local uint64_t ascii_peq[kAsciiAlphabet];

// Myers/Hyyrö for a pattern of 1..64 symbols against a text of any length. peq must be zero on entry for every
// symbol that occurs; it is zero again on return. Bounded: returns a value > k as soon as the distance at the last
// row minus the columns left exceeds k (each remaining column can lower it by at most one).
template <bool kBounded, typename Sym>
size_t OneWord(const Sym* p, size_t m, const Sym* t, size_t n, size_t k, uint64_t* peq) {
  for (size_t i = 0; i < m; ++i) peq[p[i]] |= uint64_t{1} << i;
  const uint64_t last = uint64_t{1} << (m - 1);
  uint64_t pv = ~uint64_t{0};
  uint64_t mv = 0;
  size_t score = m;
  for (size_t j = 0; j < n; ++j) {
    const uint64_t eq = peq[t[j]];
    const uint64_t xv = eq | mv;
    const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
    uint64_t ph = mv | ~(xh | pv);
    uint64_t mh = pv & xh;
    score += (ph & last) != 0;
    score -= (mh & last) != 0;
    // Row 0 of the matrix is 0, 1, 2, ...: the horizontal delta entering the top row is +1.
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
    if constexpr (kBounded) {
      const size_t remaining = n - 1 - j;
      if (score > remaining && score - remaining > k) {
        score = k + 1;
        break;
      }
    }
  }
  for (size_t i = 0; i < m; ++i) peq[p[i]] = 0;
  return score;
}

// One 64-row block of one column (Myers 1999, Fig. 7). hin is the horizontal delta entering the block's top row;
// returns the delta leaving the row selected by bottom.
inline int AdvanceBlock(uint64_t& pv, uint64_t& mv, uint64_t eq, int hin, uint64_t bottom) {
  const uint64_t xv = eq | mv;
  if (hin < 0) eq |= 1;
  const uint64_t xh = (((eq & pv) + pv) ^ pv) | eq;
  uint64_t ph = mv | ~(xh | pv);
  uint64_t mh = pv & xh;
  int hout = 0;
  if (ph & bottom) hout = 1;
  if (mh & bottom) hout = -1;
  ph <<= 1;
  mh <<= 1;
  if (hin < 0) {
    mh |= 1;
  } else if (hin > 0) {
    ph |= 1;
  }
  pv = mh | ~(xv | ph);
  mv = ph & xv;
  return hout;
}

// The blocked variant for a pattern of more than 64 symbols (m <= n). alphabet bounds the symbol values. Bounded
// (k < n): only the rows a path of cost <= k can use are computed, i.e. at column j the rows j - k .. j - (n - m)
// + k (Ukkonen's band). Blocks enter the band lazily with all vertical deltas +1 and leave it with a +1 carry into
// the next block; both overestimate cells outside the band, which only cells with distance > k depend on, so a
// result <= k is exact.
size_t Blocked(const uint32_t* p, size_t m, const uint32_t* t, size_t n, size_t k, size_t alphabet) {
  const size_t words = (m + kWordBits - 1) / kWordBits;
  Scratch& s = scratch;
  if (s.peq.size() < alphabet * words) s.peq.resize(alphabet * words, 0);
  s.pv.assign(words, ~uint64_t{0});
  s.mv.assign(words, 0);
  s.score.assign(words, 0);
  uint64_t* peq = s.peq.data();
  for (size_t i = 0; i < m; ++i) peq[p[i] * words + i / kWordBits] |= uint64_t{1} << (i % kWordBits);
  const uint64_t last_bottom = uint64_t{1} << ((m - 1) % kWordBits);
  const size_t delta = n - m;
  const bool bounded = k < n;  // k >= n cannot cut anything: the distance is at most n
  const auto rows_up_to = [&](size_t column) {  // the last row (1-based) the band needs at this column
    return bounded ? std::min(m, column + k - delta) : m;
  };

  size_t first = 0;
  size_t last = (rows_up_to(1) - 1) / kWordBits;
  for (size_t b = 0; b <= last; ++b) s.score[b] = std::min(m, (b + 1) * kWordBits);
  size_t result = kUnbounded;
  for (size_t j = 1; j <= n; ++j) {
    const size_t want = (rows_up_to(j) - 1) / kWordBits;
    for (size_t b = last + 1; b <= want; ++b) {
      s.pv[b] = ~uint64_t{0};
      s.mv[b] = 0;
      s.score[b] = s.score[b - 1] + (std::min(m, (b + 1) * kWordBits) - b * kWordBits);
    }
    last = std::max(last, want);
    if (bounded) {
      while (j > k && (first + 1) * kWordBits < j - k) ++first;  // the block lies wholly above the band
    }
    const uint64_t* eq = peq + static_cast<size_t>(t[j - 1]) * words;
    int carry = 1;
    for (size_t b = first; b <= last; ++b) {
      const uint64_t bottom = b + 1 == words ? last_bottom : uint64_t{1} << 63;
      carry = AdvanceBlock(s.pv[b], s.mv[b], eq[b], carry, bottom);
      s.score[b] += carry;
    }
    if (bounded && last + 1 == words && s.score[last] > k + (n - j)) {
      result = k + 1;
      break;
    }
  }
  if (result == kUnbounded) result = s.score[words - 1];
  for (size_t i = 0; i < m; ++i) peq[p[i] * words + i / kWordBits] = 0;
  return result;
}

// mbleven (Hyyrö's and others' idea, as in rapidfuzz): for k <= 3 the few edit scripts that could stay within k
// are tried directly; each is a string of 2-bit operations (1 = skip a character of the longer value, 2 = of the
// shorter, 3 = both, i.e. substitute) applied at the mismatches. Row (k·(k+1)/2 + length difference - 1) lists the
// scripts for that bound and length difference; 0 ends a row.
constexpr uint8_t kMbleven[9][8] = {
    {0x03},                                      // k = 1, difference 0
    {0x01},                                      // k = 1, difference 1
    {0x0F, 0x09, 0x06},                          // k = 2, difference 0
    {0x0D, 0x07},                                // k = 2, difference 1
    {0x05},                                      // k = 2, difference 2
    {0x3F, 0x27, 0x2D, 0x39, 0x36, 0x1E, 0x1B},  // k = 3, difference 0
    {0x3D, 0x37, 0x1F, 0x25, 0x19, 0x16},        // k = 3, difference 1
    {0x35, 0x1D, 0x17},                          // k = 3, difference 2
    {0x15},                                      // k = 3, difference 3
};

// The distance if <= k (1..3), else k + 1. a is the shorter value; both are non-empty and, after Trim, differ in
// their first and in their last symbol.
template <typename Sym>
size_t Mbleven(const Sym* a, size_t na, const Sym* b, size_t nb, size_t k) {
  const size_t difference = nb - na;
  if (k == 1) return difference == 1 || nb != 1 ? 2 : 1;
  size_t best = k + 1;
  for (uint8_t script : kMbleven[(k + k * k) / 2 + difference - 1]) {
    if (script == 0) break;
    size_t i = 0;  // in b, the longer value
    size_t j = 0;  // in a
    size_t cost = 0;
    while (i < nb && j < na) {
      if (b[i] != a[j]) {
        ++cost;
        if (script == 0) break;
        if (script & 1) ++i;
        if (script & 2) ++j;
        script >>= 2;
      } else {
        ++i;
        ++j;
      }
    }
    cost += (nb - i) + (na - j);
    best = std::min(best, cost);
  }
  return best <= k ? best : k + 1;
}

// Drops the common prefix and suffix (they never change the distance) and orders the pair so that a is the
// shorter one, the pattern.
template <typename Sym>
void Trim(const Sym*& a, size_t& na, const Sym*& b, size_t& nb) {
  while (na > 0 && nb > 0 && *a == *b) ++a, ++b, --na, --nb;
  while (na > 0 && nb > 0 && a[na - 1] == b[nb - 1]) --na, --nb;
  if (na > nb) {
    std::swap(a, b);
    std::swap(na, nb);
  }
}

// Renumbers the pattern's non-ASCII code points 128, 129, ... and the text's the same way, mapping code points
// absent from the pattern to one extra symbol whose mask stays zero; returns the alphabet size. This keeps the
// match-mask table small and directly indexed.
size_t Remap(uint32_t* p, size_t m, uint32_t* t, size_t n) {
  std::vector<uint32_t>& alphabet = scratch.alphabet;
  alphabet.clear();
  for (size_t i = 0; i < m; ++i) {
    if (p[i] >= kAsciiAlphabet) alphabet.push_back(p[i]);
  }
  std::sort(alphabet.begin(), alphabet.end());
  alphabet.erase(std::unique(alphabet.begin(), alphabet.end()), alphabet.end());
  const auto id = [&](uint32_t cp, uint32_t absent) -> uint32_t {
    if (cp < kAsciiAlphabet) return cp;
    auto it = std::lower_bound(alphabet.begin(), alphabet.end(), cp);
    if (it == alphabet.end() || *it != cp) return absent;
    return kAsciiAlphabet + static_cast<uint32_t>(it - alphabet.begin());
  };
  const auto absent = static_cast<uint32_t>(kAsciiAlphabet + alphabet.size());
  for (size_t i = 0; i < m; ++i) p[i] = id(p[i], absent);
  for (size_t i = 0; i < n; ++i) t[i] = id(t[i], absent);
  return absent + 1;
}

size_t AsciiDistance(std::string_view sa, std::string_view sb, size_t k) {
  const auto* a = reinterpret_cast<const unsigned char*>(sa.data());
  const auto* b = reinterpret_cast<const unsigned char*>(sb.data());
  size_t na = sa.size();
  size_t nb = sb.size();
  // The length filter first: trimming never changes the length difference.
  if ((na > nb ? na - nb : nb - na) > k) return k + 1;
  Trim(a, na, b, nb);
  if (na == 0) return nb;
  if (k >= 1 && k <= 3) return Mbleven(a, na, b, nb, k);
  if (na <= kWordBits) {
    return k == kUnbounded ? OneWord<false>(a, na, b, nb, k, ascii_peq) : OneWord<true>(a, na, b, nb, k, ascii_peq);
  }
  // The blocked kernel works on 32-bit symbols; long ASCII strings are rare enough to copy.
  scratch.a.assign(a, a + na);
  scratch.b.assign(b, b + nb);
  return Blocked(scratch.a.data(), na, scratch.b.data(), nb, k, kAsciiAlphabet);
}

size_t UnicodeDistance(std::string_view sa, std::string_view sb, size_t k) {
  Scratch& s = scratch;
  DecodeEditUnits(sa, &s.a);
  DecodeEditUnits(sb, &s.b);
  const uint32_t* ca = s.a.data();
  const uint32_t* cb = s.b.data();
  size_t na = s.a.size();
  size_t nb = s.b.size();
  Trim(ca, na, cb, nb);
  if (nb - na > k) return k + 1;
  if (na == 0) return nb;
  if (k >= 1 && k <= 3) return Mbleven(ca, na, cb, nb, k);
  // Trim only moved the pointers inside s.a and s.b; renumber those ranges in place.
  auto* p = const_cast<uint32_t*>(ca);
  auto* t = const_cast<uint32_t*>(cb);
  const size_t alphabet = Remap(p, na, t, nb);
  if (na <= kWordBits) {
    if (s.peq.size() < alphabet) s.peq.resize(alphabet, 0);
    return k == kUnbounded ? OneWord<false>(p, na, t, nb, k, s.peq.data())
                           : OneWord<true>(p, na, t, nb, k, s.peq.data());
  }
  return Blocked(p, na, t, nb, k, alphabet);
}

size_t Distance(std::string_view a, std::string_view b, size_t k) {
  if (IsAscii(a) && IsAscii(b)) return AsciiDistance(a, b, k);
  return UnicodeDistance(a, b, k);
}

}  // namespace

bool IsAscii(std::string_view s) {
  // An OR over all bytes: branch-free, so the compiler vectorizes it.
  unsigned char any = 0;
  for (char c : s) any |= static_cast<unsigned char>(c);
  return any < 0x80;
}

size_t EditLength(std::string_view s) {
  if (IsAscii(s)) return s.size();
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) DecodeOne(s, i);
  return count;
}

void DecodeEditUnits(std::string_view s, std::vector<uint32_t>* out) {
  out->clear();
  if (IsAscii(s)) {
    out->assign(reinterpret_cast<const unsigned char*>(s.data()),
                reinterpret_cast<const unsigned char*>(s.data()) + s.size());
    return;
  }
  for (size_t i = 0; i < s.size();) out->push_back(DecodeOne(s, i));
}

size_t Levenshtein(std::string_view a, std::string_view b) { return Distance(a, b, kUnbounded); }

size_t LevenshteinAtMost(std::string_view a, std::string_view b, size_t k) {
  if (k == kUnbounded) --k;  // keep k + 1 representable
  // Units are equal exactly when bytes are (decoding is one-to-one), so k = 0 needs no kernel.
  if (k == 0) return a == b ? 0 : 1;
  return Distance(a, b, k);
}

size_t LevenshteinDp(std::string_view sa, std::string_view sb) {
  // The same scratch buffers as the kernel, so that the benchmark compares algorithms, not allocations.
  std::vector<uint32_t>& a = scratch.a;
  std::vector<uint32_t>& b = scratch.b;
  DecodeEditUnits(sa, &a);
  DecodeEditUnits(sb, &b);
  std::vector<size_t>& row = scratch.row;
  row.resize(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({above + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace cdmlake::unify

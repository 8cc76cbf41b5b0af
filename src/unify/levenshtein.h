// Levenshtein distance (insert, delete and substitute each cost 1), the similarity kernel of fuzzy match
// conditions (docs/unify-matching.md, spec unification.md §1.4).
//
// Units: when both strings are ASCII the distance counts bytes; otherwise both are decoded from UTF-8 and it counts
// code points, so "é" against "e" is one edit, not two. A byte that is not part of valid UTF-8 counts as one unit
// of its own (decoded as U+DC00 + byte, a lone surrogate that valid UTF-8 cannot produce), so every input has a
// well-defined distance.
//
// The kernel is Myers' bit-parallel algorithm (Hyyrö's formulation): one 64-bit word per text character when the
// shorter string has at most 64 units, Myers' blocked variant above that. The inner loops allocate nothing: scratch
// tables are per thread and reused. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace cdmlake::unify {

// The edit distance between a and b, in units as above.
size_t Levenshtein(std::string_view a, std::string_view b);

// min(distance, k + 1): the exact distance when it is at most k, otherwise k + 1. Cheaper than Levenshtein: a
// length difference above k returns at once, the common prefix and suffix are skipped, the computation is limited
// to the diagonal band that a path of cost <= k can use, and it stops as soon as the distance certainly exceeds k.
size_t LevenshteinAtMost(std::string_view a, std::string_view b, size_t k);

// The textbook O(|a|·|b|) dynamic program with the same units; the reference for tests and the benchmark.
size_t LevenshteinDp(std::string_view a, std::string_view b);

// True when every byte of s is below 0x80.
bool IsAscii(std::string_view s);

// The number of units of s: its bytes when s is ASCII, otherwise its code points (invalid bytes count one each).
size_t EditLength(std::string_view s);

// Replaces *out with the units of s: bytes of an ASCII string, otherwise code points (invalid bytes as
// U+DC00 + byte). Shared with the q-gram candidate generator, which must count the same units.
void DecodeEditUnits(std::string_view s, std::vector<uint32_t>* out);

}  // namespace cdmlake::unify

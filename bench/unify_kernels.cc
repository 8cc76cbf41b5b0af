// Micro-benchmark of the unification kernels (docs/unify-matching.md): the bit-parallel Levenshtein (unbounded,
// bounded, FuzzyMatch at High precision) against the plain dynamic program on name- and email-like pairs, exact
// blocking of 1M keys with a skewed value, q-gram candidates, and union-find.
//
//   cdmlake_bench_unify_kernels [--pairs N] [--dp-pairs N] [--pool N] [--keys N] [--qgram-values N]
//
// Data is generated here with a fixed seed; every run measures the same work. One thread.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unify/blocking.h"
#include "unify/levenshtein.h"
#include "unify/match_score.h"
#include "unify/union_find.h"

namespace {

using cdmlake::unify::BlockingKey;

// splitmix64: a fast, seedable generator; the sequence is the same on every platform.
struct Random {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  size_t Below(size_t n) { return static_cast<size_t>(Next() % n); }
};

const char* const kSyllables[] = {"an", "ber", "ca", "da", "el", "fi", "ga", "han", "is", "jo", "ka", "li",
                                  "mar", "ne", "ol", "pe", "ra", "son", "ta", "vi", "wil", "ya", "ze", "chr"};
const char* const kAccented[] = {"é", "ü", "ö", "ñ", "ç", "å", "ø", "ß"};
const char* const kDomains[] = {"@hotmail.com", "@gmail.com", "@contoso.com", "@outlook.com", "@example.org"};

std::string Word(Random& rng, size_t syllables) {
  std::string out;
  for (size_t i = 0; i < syllables; ++i) out += kSyllables[rng.Below(std::size(kSyllables))];
  return out;
}

std::string Name(Random& rng, bool accented) {
  std::string out = Word(rng, 2 + rng.Below(2));
  if (accented) out += kAccented[rng.Below(std::size(kAccented))];
  out += ' ';
  out += Word(rng, 2 + rng.Below(3));
  return out;
}

std::string Email(Random& rng) {
  return Word(rng, 2 + rng.Below(2)) + "." + Word(rng, 2 + rng.Below(2)) + std::to_string(rng.Below(10000)) +
         kDomains[rng.Below(std::size(kDomains))];
}

// One or two typos (ASCII letters), as a data-entry clerk would make them.
std::string Typo(Random& rng, std::string s) {
  for (size_t e = 1 + rng.Below(2); e > 0 && s.size() > 1; --e) {
    size_t at = rng.Below(s.size());
    while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;  // stay on a character boundary
    size_t end = at + 1;
    while (end < s.size() && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) ++end;
    const char letter = static_cast<char>('a' + rng.Below(26));
    switch (rng.Below(3)) {
      case 0: s.insert(at, 1, letter); break;
      case 1: s.erase(at, end - at); break;
      default: s.replace(at, end - at, 1, letter); break;
    }
  }
  return s;
}

// Originals and a typo variant of each; pair p is (original x, variant x) for even p and (original x, original
// y) for odd p: half near-duplicates, half unrelated values, as inside a block.
struct PairPool {
  std::vector<std::string> original;
  std::vector<std::string> variant;
  double mean_length = 0;
};

PairPool MakePool(size_t size, const std::function<std::string(Random&)>& make, uint64_t seed) {
  Random rng{seed};
  PairPool pool;
  size_t total = 0;
  for (size_t i = 0; i < size; ++i) {
    pool.original.push_back(make(rng));
    pool.variant.push_back(Typo(rng, pool.original.back()));
    total += pool.original.back().size();
  }
  pool.mean_length = static_cast<double>(total) / static_cast<double>(size);
  return pool;
}

// Wall time and this thread's CPU time: on a shared machine the CPU time is the steadier of the two, and the rates
// are computed from it.
struct Clock {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  double cpu = ThreadCpuSeconds();

  static double ThreadCpuSeconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }
  double WallSeconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double CpuSeconds() const { return ThreadCpuSeconds() - cpu; }
};

void Report(const char* what, uint64_t items, const Clock& clock, const char* unit, uint64_t checksum) {
  const double cpu = clock.CpuSeconds();
  const double wall = clock.WallSeconds();
  std::printf("%-46s %10llu %-5s cpu %7.3f s (wall %7.3f) %9.1f ns/%s %11.0f %s/s  (check %llu)\n", what,
              static_cast<unsigned long long>(items), unit, cpu, wall, cpu * 1e9 / static_cast<double>(items), unit,
              static_cast<double>(items) / cpu, unit, static_cast<unsigned long long>(checksum));
}

template <typename Kernel>
void TimePairs(const char* what, const PairPool& pool, uint64_t pairs, Kernel kernel) {
  Random rng{7};
  uint64_t checksum = 0;
  const Clock clock;
  const size_t n = pool.original.size();
  for (uint64_t p = 0; p < pairs; ++p) {
    const size_t x = rng.Below(n);
    const std::string& a = pool.original[x];
    const std::string& b = (p & 1) == 0 ? pool.variant[x] : pool.original[rng.Below(n)];
    checksum += kernel(a, b);
  }
  Report(what, pairs, clock, "pair", checksum);
}

uint64_t Flag(int argc, char** argv, const char* name, uint64_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
  }
  return fallback;
}

void BenchStrings(uint64_t pairs, uint64_t dp_pairs, size_t pool) {
  struct Set {
    const char* label;
    PairPool pool;
  };
  std::vector<Set> sets;
  sets.push_back({"names", MakePool(pool, [](Random& r) { return Name(r, false); }, 1)});
  sets.push_back({"emails", MakePool(pool, Email, 2)});
  sets.push_back({"names, non-ASCII", MakePool(pool, [](Random& r) { return Name(r, true); }, 3)});
  using cdmlake::unify::FuzzyMatch;
  using cdmlake::unify::kPrecisionHigh;
  using cdmlake::unify::Levenshtein;
  using cdmlake::unify::LevenshteinAtMost;
  using cdmlake::unify::LevenshteinDp;
  for (const Set& set : sets) {
    std::printf("\n%s: mean length %.1f bytes; half typo pairs, half unrelated\n", set.label, set.pool.mean_length);
    const std::string prefix = std::string(set.label) + ": ";
    TimePairs((prefix + "Levenshtein").c_str(), set.pool, pairs,
              [](std::string_view a, std::string_view b) { return Levenshtein(a, b); });
    TimePairs((prefix + "LevenshteinAtMost k=2").c_str(), set.pool, pairs,
              [](std::string_view a, std::string_view b) { return LevenshteinAtMost(a, b, 2); });
    TimePairs((prefix + "FuzzyMatch at High (80%)").c_str(), set.pool, pairs,
              [](std::string_view a, std::string_view b) { return FuzzyMatch(a, b, kPrecisionHigh) ? 1 : 0; });
    TimePairs((prefix + "plain DP").c_str(), set.pool, dp_pairs,
              [](std::string_view a, std::string_view b) { return LevenshteinDp(a, b); });
    // Same answers: the kernel against the DP on a sample.
    Random rng{11};
    uint64_t mismatches = 0;
    for (int i = 0; i < 20000; ++i) {
      const size_t x = rng.Below(set.pool.original.size());
      const std::string& a = set.pool.original[x];
      const std::string& b = i % 2 == 0 ? set.pool.variant[x] : set.pool.original[rng.Below(set.pool.original.size())];
      mismatches += Levenshtein(a, b) != LevenshteinDp(a, b);
    }
    std::printf("%-46s %llu of 20000\n", (prefix + "kernel vs DP mismatches").c_str(),
                static_cast<unsigned long long>(mismatches));
  }
}

void BenchBlocking(uint64_t keys) {
  // Phone-like keys: mostly unique, ~30% of values in small duplicate groups, a dummy phone on 10% of the rows
  // and 5% nulls.
  Random rng{5};
  std::vector<std::string> storage(keys);
  std::vector<BlockingKey> views(keys);
  for (uint64_t i = 0; i < keys; ++i) {
    const size_t kind = rng.Below(100);
    if (kind < 5) continue;
    if (kind < 15) {
      storage[i] = "4255551212";
    } else if (kind < 45) {
      storage[i] = std::to_string(1000000000ull + rng.Below(keys / 4 + 1));
    } else {
      storage[i] = std::to_string(5000000000ull + i);
    }
    views[i] = storage[i];
  }
  std::printf("\nexact blocking: %llu keys\n", static_cast<unsigned long long>(keys));
  Clock clock;
  const cdmlake::unify::ExactBlocking blocking(views);
  Report("exact blocking: index and estimate", keys, clock, "key", blocking.stats().blocks);
  const auto& stats = blocking.stats();
  std::printf("  blocks %llu, pairs before caps %llu, expanded %llu, avoided %llu, warnings %zu (top: '%s' on %llu rows)\n",
              static_cast<unsigned long long>(stats.blocks), static_cast<unsigned long long>(stats.pairs_total),
              static_cast<unsigned long long>(stats.pairs_expanded), static_cast<unsigned long long>(stats.pairs_avoided),
              blocking.warnings().size(), blocking.warnings().empty() ? "" : blocking.warnings()[0].key.c_str(),
              static_cast<unsigned long long>(blocking.warnings().empty() ? 0 : blocking.warnings()[0].rows));
  uint64_t checksum = 0;
  clock = Clock();
  const uint64_t pairs = blocking.ForEachPair([&](uint32_t i, uint32_t j) { checksum += i ^ j; });
  Report("exact blocking: expand pairs", pairs, clock, "pair", checksum);

  // Cross-table: the first half against the second half.
  const std::span<const BlockingKey> all(views);
  clock = Clock();
  const cdmlake::unify::CrossBlocking cross(all.first(keys / 2), all.subspan(keys / 2));
  checksum = 0;
  const uint64_t cross_pairs = cross.ForEachPair([&](uint32_t i, uint32_t j) { checksum += i ^ j; });
  Report("cross blocking: index, expand (per key)", keys, clock, "key", checksum + cross_pairs);

  // Union-find over the expanded pairs.
  clock = Clock();
  cdmlake::unify::UnionFind sets(static_cast<uint32_t>(keys));
  blocking.ForEachPair([&](uint32_t i, uint32_t j) { sets.Union(i, j); });
  Report("union-find: union every expanded pair", pairs, clock, "pair", sets.set_count());
}

void BenchQGrams(uint64_t values) {
  Random rng{9};
  std::vector<std::string> storage;
  for (uint64_t i = 0; i < values; ++i) {
    storage.push_back(i % 4 == 3 ? Typo(rng, storage[i - 1]) : Email(rng));
  }
  std::vector<BlockingKey> views(storage.begin(), storage.end());
  std::printf("\nq-gram candidates (q=2, High precision): %llu emails, a quarter typo variants\n",
              static_cast<unsigned long long>(values));
  const Clock clock;
  uint64_t matches = 0;
  const auto result = cdmlake::unify::QGramCandidates(
      views, cdmlake::unify::kPrecisionHigh, {}, [&](uint32_t i, uint32_t j) {
        matches += cdmlake::unify::FuzzyMatch(storage[i], storage[j], cdmlake::unify::kPrecisionHigh);
      });
  Report("q-grams: candidates and FuzzyMatch", values, clock, "value", matches);
  std::printf("  candidates %llu, matches %llu, postings scanned %llu, skipped q-grams %llu\n",
              static_cast<unsigned long long>(result.stats.pairs_emitted), static_cast<unsigned long long>(matches),
              static_cast<unsigned long long>(result.stats.postings_scanned),
              static_cast<unsigned long long>(result.stats.skipped_qgrams));
}

}  // namespace

int main(int argc, char** argv) {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // show each result as it comes, also when redirected
  const uint64_t pairs = Flag(argc, argv, "--pairs", 10000000);
  const uint64_t dp_pairs = Flag(argc, argv, "--dp-pairs", 1000000);
  const uint64_t keys = Flag(argc, argv, "--keys", 1000000);
  const uint64_t qgram_values = Flag(argc, argv, "--qgram-values", 20000);
  // 5,000 strings per pool stay in cache, so the string benchmarks measure the kernels rather than memory latency.
  const uint64_t pool = Flag(argc, argv, "--pool", 5000);
  BenchStrings(pairs, dp_pairs, pool);
  BenchBlocking(keys);
  BenchQGrams(qgram_values);
  return 0;
}

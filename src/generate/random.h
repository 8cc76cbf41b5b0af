// A tiny deterministic pseudo-random generator for the data generators.
//
// Generated lakes must be byte-identical for the same seed on every run, compiler and machine, so that tests
// can compare files and benchmarks are repeatable. The standard library cannot promise that: the engines are
// portable but std::uniform_int_distribution and friends are implementation-defined, and std::random_device is
// nondeterministic by design. Random is splitmix64 (Steele, Lea and Flood), which is fast, has a 64-bit state
// that is trivially seeded, and passes BigCrush; the helpers below map its output to ranges with integer
// arithmetic only (Chance uses one exact double comparison, which IEEE 754 makes identical everywhere).
//
// Thread-safety: a Random is a plain value; use one per thread. Derive() gives independent streams, so work
// split across threads or tables does not depend on the order in which it runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>

namespace cdmlake::generate {

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}

  // A generator for one (stream, index) pair of a seed, e.g. (kOrders, 123) for the 123rd order. The result
  // depends only on its arguments, so a row can be regenerated without replaying the rows before it.
  static Random Derive(uint64_t seed, uint64_t stream, uint64_t index = 0) {
    return Random(Mix(Mix(seed ^ Mix(stream + 0x5851f42d4c957f2dULL)) + index));
  }

  // The next 64 random bits.
  uint64_t Next() {
    state_ += 0x9e3779b97f4a7c15ULL;
    return Mix(state_);
  }

  // A uniform integer in [0, n); n must be > 0. Uses the high half of a 64x64-bit product (Lemire), whose bias
  // of at most n/2^64 is irrelevant for test data and which needs no division.
  uint64_t Uniform(uint64_t n) {
    __extension__ typedef unsigned __int128 U128;  // __extension__: GCC and Clang have it; -Wpedantic does not know
    return static_cast<uint64_t>((static_cast<U128>(Next()) * n) >> 64);
  }

  // A uniform integer in [lo, hi], both inclusive; lo must be <= hi.
  int64_t Range(int64_t lo, int64_t hi) {
    uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
    if (span == 0) return static_cast<int64_t>(Next());  // the full 64-bit range
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + Uniform(span));
  }

  // True with probability p (p <= 0: never, p >= 1: always).
  bool Chance(double p) { return static_cast<double>(Next() >> 11) * 0x1.0p-53 < p; }

  // A uniformly chosen element of a non-empty std::vector, std::array or C array.
  template <typename Container>
  const auto& Pick(const Container& items) {
    return items[Uniform(std::size(items))];
  }

 private:
  // The splitmix64 output function: a bijective mixer of 64-bit values.
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  uint64_t state_;
};

}  // namespace cdmlake::generate

// A progress bar on stderr for long work. It draws only when stderr is a terminal (and CDMLAKE_PROGRESS is
// not "0"), at most ten times a second, and erases itself when done, so piped output and logs stay clean.
// Not thread-safe: update it from the thread that owns it.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace cdmlake {

class Progress {
 public:
  // total == 0 means unknown: the bar shows a count instead of a percentage.
  Progress(std::string label, uint64_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void Set(uint64_t done);
  void Add(uint64_t n) { Set(done_ + n); }
  // Sets the fraction done directly (for work that reports a percentage, such as a DuckDB query).
  void SetFraction(double fraction);
  void Finish();

  // Whether progress would be drawn at all in this process.
  static bool Enabled();

 private:
  void Draw(bool force);
  std::string label_;
  uint64_t total_;
  uint64_t done_ = 0;
  double fraction_ = -1;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_draw_{};
  std::chrono::steady_clock::time_point start_;
};

}  // namespace cdmlake

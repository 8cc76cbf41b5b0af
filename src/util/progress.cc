#include "util/progress.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace cdmlake {

bool Progress::Enabled() {
  const char* env = std::getenv("CDMLAKE_PROGRESS");
  if (env && std::strcmp(env, "0") == 0) return false;
  if (env && std::strcmp(env, "1") == 0) return true;
  return ::isatty(STDERR_FILENO) == 1;
}

Progress::Progress(std::string label, uint64_t total)
    : label_(std::move(label)), total_(total), enabled_(Enabled()), start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { Finish(); }

void Progress::Set(uint64_t done) {
  done_ = done;
  Draw(false);
}

void Progress::SetFraction(double fraction) {
  fraction_ = fraction;
  Draw(false);
}

void Progress::Draw(bool force) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  // Quick work never shows a bar: start drawing after half a second.
  if (!force && (now - start_ < std::chrono::milliseconds(500) || now - last_draw_ < std::chrono::milliseconds(100))) {
    return;
  }
  last_draw_ = now;
  double fraction = fraction_ >= 0 ? fraction_ : (total_ > 0 ? static_cast<double>(done_) / total_ : -1);
  char line[256];
  if (fraction >= 0) {
    if (fraction > 1) fraction = 1;
    const int width = 30;
    int filled = static_cast<int>(fraction * width);
    std::string bar(filled, '#');
    bar.append(width - filled, '.');
    std::snprintf(line, sizeof line, "\r%s [%s] %3d%%", label_.c_str(), bar.c_str(), static_cast<int>(fraction * 100));
  } else {
    std::snprintf(line, sizeof line, "\r%s %llu", label_.c_str(), static_cast<unsigned long long>(done_));
  }
  std::fputs(line, stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::Finish() {
  if (drawn_) {
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    drawn_ = false;
  }
  enabled_ = false;
}

}  // namespace cdmlake

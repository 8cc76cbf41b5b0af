// CPU time of the whole process (all threads), for reports that show where a run's work went: next to wall time
// it tells how well a step used the machine's cores.
#pragma once

#include <ctime>

namespace cdmlake {

inline double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

}  // namespace cdmlake

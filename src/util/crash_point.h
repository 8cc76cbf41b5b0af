// Named crash points for testing the commit protocol: when the environment variable CDMLAKE_CRASH_AT names a
// point, the process kills itself (SIGKILL, as an outside kill -9 would) on reaching it. Costs one getenv per
// call; never set in production. Thread-safe.
#pragma once

namespace cdmlake {

void CrashPoint(const char* name);

}  // namespace cdmlake

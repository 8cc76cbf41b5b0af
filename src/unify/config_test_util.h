// Helpers shared by the configuration tests (config_loader_test.cc, config_validate_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "unify/config.h"

namespace cdmlake::unify::testing {

// Every problem, one per line, for failure messages.
inline std::string DumpProblems(const std::vector<ConfigProblem>& problems) {
  std::string out;
  for (const ConfigProblem& p : problems) out += p.ToString() + "\n";
  return out;
}

// The only problem whose message contains `text`; fails the test when there is not exactly one.
inline const ConfigProblem& OnlyProblem(const std::vector<ConfigProblem>& problems, const std::string& text) {
  const ConfigProblem* found = nullptr;
  int count = 0;
  for (const ConfigProblem& p : problems) {
    if (p.message.find(text) != std::string::npos) {
      found = &p;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << "problems with '" << text << "':\n" << DumpProblems(problems);
  static const ConfigProblem kNone;
  return found ? *found : kNone;
}

}  // namespace cdmlake::unify::testing

// Golden files for the unit tests (tests only; header-only so that it is not part of any library, and it
// includes gtest). CDMLAKE_UPDATE_GOLDEN=1 makes the tests rewrite their golden files with what the code produces
// now instead of comparing; review the diff before committing it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cdmlake::golden {

// CDMLAKE_UPDATE_GOLDEN=1 is set: rewrite the golden files instead of comparing with them.
inline bool UpdateRequested() {
  const char* v = std::getenv("CDMLAKE_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

// The whole file, byte for byte ("" when it cannot be read).
inline std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Writes `text` to `path` (replacing it), creating its folder.
inline void WriteText(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

// Expects the golden file `path` to hold exactly `actual`; with CDMLAKE_UPDATE_GOLDEN=1 writes `actual` to it.
inline void ExpectMatchesFile(const std::filesystem::path& path, const std::string& actual) {
  if (UpdateRequested()) {
    WriteText(path, actual);
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << path << "; run with CDMLAKE_UPDATE_GOLDEN=1 to create it";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(expected.str(), actual) << "golden " << path << " differs; CDMLAKE_UPDATE_GOLDEN=1 rewrites it";
}

}  // namespace cdmlake::golden

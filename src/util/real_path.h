// Paths as the file system resolves them (symbolic links followed), for checks that a path reached through a
// link does not leave a root folder. The lexical helpers are in path.h.
#pragma once

#include <string>

namespace cdmlake {

// The absolute path with every symbolic link resolved (realpath(3)); "" when the path does not exist.
std::string RealPath(const std::string& path);

// Whether `path`, which need not exist yet, resolves inside `root` (or to it): the real path of its nearest
// existing ancestor, with the rest of the path appended, lies within the real path of `root`. False when the
// root does not exist.
bool ResolvesWithin(const std::string& root, const std::string& path);

}  // namespace cdmlake

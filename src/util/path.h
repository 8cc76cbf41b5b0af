// Lexical path helpers (no file-system access). Paths use '/' separators. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace cdmlake {

// Joins b onto a; an absolute b replaces a.
std::string JoinPath(std::string_view a, std::string_view b);
// Resolves "." and ".." lexically and removes repeated and trailing slashes. Leading ".." of a relative path
// are kept, so a caller can see that the path escapes its base.
std::string NormalizePath(std::string_view path);
// True when normalized path equals root or lies below it. Both must be normalized and of the same kind.
bool IsWithin(std::string_view root, std::string_view path);
// path relative to root (path must be within root); "" when equal.
std::string RelativePath(std::string_view root, std::string_view path);
std::string DirName(std::string_view path);   // "" for a bare name
std::string BaseName(std::string_view path);
// The absolute, normalized form of a path given on the command line (relative to the working directory).
std::string AbsolutePath(std::string_view path);

}  // namespace cdmlake

// Reading a unification configuration (docs/unify.md) from YAML into a UnifyConfig.
//
// The loader checks what one key can tell on its own: the YAML syntax, that every key is known (a typo is an
// error, never ignored), the type of every value, names of policies, normalizations and precisions, and that
// the files named (CSV sources, list files, the nickname file) exist. It reads the list files it names (custom
// match pairs, aliases, bypass values) into the model, so later steps see inline lists only. Cross references
// (columns, ranks, policies against column types) are config_validate.h's. Every problem is collected, so a
// user sees them all at once. Thread-safe when the FileSystem is.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "unify/config.h"
#include "util/file_system.h"

namespace cdmlake::unify {

// Reads and parses the configuration at `path`. Relative paths written in it resolve against `base_dir`, which
// itself is relative to the directory of `path` (default: that directory). Throws Error(kIo) when the file
// cannot be read, and one Error(kUser) listing every problem (file:line:column, key path, hint) otherwise.
UnifyConfig LoadUnifyConfig(const std::string& path, FileSystem* fs = DefaultFileSystem());

// Parses `text` as if read from `file`, appending every problem found to *problems (the model is then partial:
// values with problems keep their defaults). Does not throw on configuration problems.
UnifyConfig ParseUnifyConfig(std::string_view text, const std::string& file, FileSystem* fs,
                             std::vector<ConfigProblem>* problems);

}  // namespace cdmlake::unify

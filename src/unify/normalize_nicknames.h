// The nickname table of Type-Name (spec unification.md §1.3, docs/unify-normalizations.md), read from a
// configurable CSV file in the format of ../shared/data/nicknames.csv:
//
//   name,nickname_1,nickname_2,...
//   robert,rob,bobby,bob
//   bob,rob,robert
//
// Each row links a name with its variants. Such files are not a clean name -> canonical map: a nickname belongs
// to several names ("abe": abel, abraham, abram) and nicknames have rows of their own ("bob" lists "robert").
// So the rows are read as an undirected graph, and every word is mapped to one canonical name by climbing:
// a word moves to its best-ranked neighbour (or stays, if it ranks best itself) until it stops moving. Ranking:
//   1. more variants on the name's own row first (formal names list more: robert 7, bob 2);
//   2. then names that are nobody's variant;
//   3. then the alphabetically smaller name.
// The rank improves strictly with every move, so climbing ends, and the result depends only on the file's
// content, not on the order of its rows. bob, bobby, rob -> robert; bill, will -> william; debby -> deborah.
//
// Thread-safety: a NicknameTable is immutable once loaded.
#pragma once

#include <string>
#include <string_view>

#include "unify/normalize_words.h"
#include "util/file_system.h"

namespace cdmlake::unify {

struct NicknameTable {
  // word key -> its canonical name, for every name in the file (a canonical name maps to itself, so that a name
  // is written in lower case whether or not it changes: "Robert" and "Bob" both give "robert")
  WordTable canonical;
  size_t name_count = 0;  // distinct names and nicknames in the file
};

// Parses the text of a nickname file. file_name is only used in errors. Throws Error(kUser) naming the file and
// line for: no header row (first field "name"), a quoted field, a row with nicknames but no name, and a name
// that is not one word (letters, digits and dots; tokens are matched one word at a time).
NicknameTable ParseNicknameCsv(std::string_view text, const std::string& file_name);

// Reads and parses a nickname file. Throws Error(kIo) when it cannot be read.
NicknameTable LoadNicknameFile(const std::string& path, FileSystem* fs = DefaultFileSystem());

}  // namespace cdmlake::unify

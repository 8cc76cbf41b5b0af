// Word-level normalizations (spec unification.md §1.3, docs/unify-normalizations.md): Type-Name titles,
// Type-Address abbreviations and Type-Organization noise words, as word tables, and the rewriter that applies
// such tables word by word. Nicknames (normalize_nicknames.h) use the same table type.
//
// A word is a run of letters, digits, combining marks and dots ("Dr.", "L.L.C.", "Müller"); everything else
// (spaces, no-break spaces, punctuation, symbols) separates words. A word is looked up by its key: ASCII lower case without dots ("L.L.C." -> "llc").
//
// Thread-safety: the tables are immutable after first use; everything may be called concurrently.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace cdmlake::unify {

// Hash that lets an unordered_map<std::string, ...> be searched with a string_view without a copy.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// Word key -> replacement. An empty replacement deletes the word.
using WordTable = std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>;

// Type-Name titles and suffixes to one form each: professor -> prof, doctor -> dr, mister -> mr, junior -> jr.
const WordTable& NameTitleTable();
// Type-Address: USPS street suffixes (street -> st, avenue -> ave), directionals (northwest -> nw) and
// secondary unit designators (apartment -> apt, suite -> ste).
const WordTable& AddressTable();
// Type-Organization: legal-form and noise words that are deleted (inc, ltd, corp, gmbh, the, ...).
const WordTable& OrganizationTable();

// The lookup key of a word: ASCII lower case, dots removed ("Dr." -> "dr"). Non-ASCII bytes are kept.
void WordKey(std::string_view word, std::string* key);

// Rewrites each word of value found in one of tables (the first table that has it wins) and appends the result
// to *out. A replaced word is written in lower case. A deleted word takes the separators before it along
// ("Contoso, Inc." -> "Contoso"), or those after it when it starts the value ("The Contoso" -> "Contoso").
void RewriteWords(std::string_view value, std::span<const WordTable* const> tables, std::string* out);

}  // namespace cdmlake::unify

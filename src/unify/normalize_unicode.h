// The character-level normalizations of spec unification.md §1.3 (docs/unify-normalizations.md): Unicode to
// ASCII, numerals, lower case, symbols and whitespace. Each rewrites a UTF-8 string in place. Values whose bytes
// are all ASCII (the common case in D365 data) never reach ICU.
//
// Thread-safety: every function may be called from several threads at once. FoldToAscii uses an ICU
// Transliterator, which is not safe for concurrent use, so each thread gets its own clone of one prototype.
#pragma once

#include <string>
#include <string_view>

namespace cdmlake::unify {

// True when every byte is below 0x80.
bool HasOnlyAscii(std::string_view s);

// Unicode to ASCII: ICU "Any-Latin; NFKD; [:Mn:] Remove; Latin-ASCII" (à -> a, Ä -> A, Ⓐ -> A, Ａ -> A,
// Straße -> Strasse, Москва -> Moskva). The compatibility decomposition is what folds circled and full-width
// forms, which Latin-ASCII alone leaves alone. Case is kept here (the normalization unicode-to-ascii lower-cases
// after it, normalizer.cc); characters with no Latin form (emoji) stay.
// Characters of the Latin, punctuation, enclosed and full-width blocks whose fold does not depend on context are
// folded from a table built once with the same transliterator; a value with any other character is transliterated
// whole.
void FoldToAscii(std::string* s);
// The same without the table (tests compare both).
void FoldToAsciiWithTransliterator(std::string* s);

// Numerals: every character of general category N (Nd, Nl, No) whose Unicode numeric value is a whole number
// becomes that number in ASCII digits (Ⅷ -> 8, ❽ -> 8, ٣ -> 3, ⑳ -> 20). Fractions (½) stay as they are, and so
// do letters that merely have a numeric reading (CJK 一, 万), which would otherwise turn names into digits.
void MapNumerals(std::string* s);

// Full Unicode lower-casing with the root locale (ICU u_strToLower: Σ -> σ, İ -> i̇).
void LowerCase(std::string* s);

// Symbols: deletes every character of Unicode general categories P* and S* (in ASCII exactly the 32
// punctuation characters !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~).
void RemoveSymbols(std::string* s);

// Whitespace: deletes every character with the Unicode White_Space property (space, tab, line breaks,
// no-break space, ideographic space, ...).
void RemoveWhitespace(std::string* s);

// True when s is empty or only White_Space characters: such a key is null for matching.
bool IsBlank(std::string_view s);

}  // namespace cdmlake::unify

// Type-Phone (spec unification.md §1.3, docs/unify-normalizations.md): a phone number's comparison key is its
// digits, with the country code significant, leading zeros of a written country code ignored (+01 = +1) and
// extensions (x123, ext. 12, #12) dropped.
//
//   - "+..." numbers are parsed by libphonenumber: key = country calling code + national significant number.
//   - Numbers without "+" are read in the source's default region when it has one ("(425) 555-0100" in US ->
//     14255550100, the same key as "+1 425 555 0100"), and are just their digits when it has none (so
//     "(425) 555-1212" -> 4255551212 differs from "+1 425 555 1212", as the docs require).
//   - Whatever libphonenumber cannot parse falls back to the digit rule; nothing throws.
//
// North American numbers (country code 1), the bulk of D365 data, take a fast path that gives libphonenumber's
// key without calling it (its Parse costs ~20 µs, the fast path well under 1 µs); normalize_phone_test.cc checks
// that both agree.
//
// Thread-safety: all functions may be called concurrently (libphonenumber's PhoneNumberUtil is a thread-safe
// singleton with const methods).
#pragma once

#include <string>
#include <string_view>

namespace cdmlake::unify {

struct PhoneRegion {
  std::string code;      // ISO 3166-1 alpha-2 in upper case ("US"); empty: numbers without "+" keep no country code
  int country_code = 0;  // its calling code (1 for US), 0 when code is empty
};

// The region for an ISO 3166 code (any case; empty gives no region). Throws Error(kUser) for a code
// libphonenumber does not know.
PhoneRegion MakePhoneRegion(std::string_view code);
// Whether libphonenumber knows the region of this ISO 3166 code (in capitals), so MakePhoneRegion accepts it.
bool IsKnownPhoneRegion(std::string_view code);

// The comparison key of a phone number; empty when it has no digits.
std::string PhoneKey(std::string_view value, const PhoneRegion& region);

// The same key computed without the fast path (for tests and for values the fast path declines).
std::string PhoneKeyWithLibphonenumber(std::string_view value, const PhoneRegion& region);

// The fallback digit rule: ASCII and Unicode decimal digits up to the first letter or '#' that follows a digit
// (an extension); when a '+' comes before the first digit, leading zeros are dropped (the country code's).
std::string PhoneDigits(std::string_view value);

}  // namespace cdmlake::unify

// Vocabulary of the customer generator: given names, surnames, nicknames, streets, cities, e-mail providers and
// company words. The lists are our own, small and US-flavoured; they include what breaks naive matching: very
// common surnames (picked with a skewed distribution, so "Smith" and "Johnson" repeat a lot), accented names
// (José, Müller), an apostrophe (O'Brien) and multi-token surnames (De la Cruz).
//
// Pure data and pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <utility>

#include "generate/random.h"

namespace cdmlake::generate {

struct CityInfo {
  std::string_view city;
  std::string_view state;
  int zip_base;    // the city's first five-digit ZIP code; others follow it
  int area_codes[2];  // telephone area codes of the city
};

// A given name, drawn with a skewed distribution (a few names are very common).
std::string_view PickFirstName(Random& rng);
// A surname, drawn with a skewed distribution.
std::string_view PickLastName(Random& rng);
// The common nicknames of a given name ("Robert" -> {"Bob", "Rob", "Bobby"}); empty when it has none.
std::span<const std::string_view> Nicknames(std::string_view first_name);
// Every (formal name, nickname) pair of the table, for tests and docs.
std::span<const std::pair<std::string_view, std::string_view>> NicknamePairs();

std::string_view PickStreetName(Random& rng);
std::string_view PickStreetSuffix(Random& rng);
const CityInfo& PickCity(Random& rng);
std::string_view PickEmailDomain(Random& rng);
// Words for organization names: "<word> <kind> <suffix>", e.g. "Northwind Traders Inc.".
std::string_view PickCompanyWord(Random& rng);
std::string_view PickCompanyKind(Random& rng);
std::string_view PickCompanySuffix(Random& rng);

}  // namespace cdmlake::generate

// Proleptic Gregorian calendar arithmetic for the generators (Howard Hinnant's civil_from_days and
// days_from_civil): exact, no time zone, no C library. Pure functions; thread-safe.
#pragma once

#include <cstdint>

namespace cdmlake::generate {

// The date of a day count since 1970-01-01.
void CivilFromDays(int64_t days, int* year, int* month, int* day);
// The day count since 1970-01-01 of a date.
int64_t DaysFromCivil(int64_t year, int month, int day);

}  // namespace cdmlake::generate

#include "unify/precision.h"

#include <gtest/gtest.h>

namespace cdmlake::unify {
namespace {

TEST(PrecisionTest, ParsesBasicLevelsAndPercentages) {
  EXPECT_EQ(ParsePrecision("exact"), kPrecisionExact);
  EXPECT_EQ(ParsePrecision("High"), kPrecisionHigh);
  EXPECT_EQ(ParsePrecision(" medium "), kPrecisionMedium);
  EXPECT_EQ(ParsePrecision("LOW"), kPrecisionLow);
  EXPECT_EQ(ParsePrecision("85%").percent, 85);
  EXPECT_EQ(ParsePrecision("1%").percent, 1);
  EXPECT_EQ(ParsePrecision("100%"), kPrecisionExact);
  EXPECT_EQ(ParsePrecision("80 %"), kPrecisionHigh);
  EXPECT_EQ(kPrecisionLow.percent, 30);
  EXPECT_EQ(kPrecisionMedium.percent, 60);
  EXPECT_EQ(kPrecisionHigh.percent, 80);
  EXPECT_TRUE(kPrecisionExact.exact());
  EXPECT_TRUE(Precision{}.exact());  // the default is Exact (spec §1.4)
}

TEST(PrecisionTest, RefusesEverythingElse) {
  for (const char* bad : {"", "%", "fuzzy", "80", "0%", "101%", "-5%", "80.5%", "0.8", "1000%", "8O%", "%80",
                          "high%", "exactly"}) {
    EXPECT_FALSE(TryParsePrecision(bad).has_value()) << bad;
  }
  try {
    ParsePrecision("0.8", Location{"unify.yaml", 12, ""});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_EQ(e.location().line, 12);
    EXPECT_NE(e.message().find("'0.8'"), std::string::npos);
    EXPECT_NE(e.hint().find("exact, high (80%), medium (60%), low (30%)"), std::string::npos);
  }
}

TEST(PrecisionTest, NamesRoundTrip) {
  EXPECT_EQ(PrecisionName(kPrecisionExact), "exact");
  EXPECT_EQ(PrecisionName(kPrecisionHigh), "high");
  EXPECT_EQ(PrecisionName(kPrecisionMedium), "medium");
  EXPECT_EQ(PrecisionName(kPrecisionLow), "low");
  EXPECT_EQ(PrecisionName(Precision{85}), "85%");
  for (int p = 1; p <= 100; ++p) EXPECT_EQ(ParsePrecision(PrecisionName(Precision{p})).percent, p);
}

}  // namespace
}  // namespace cdmlake::unify

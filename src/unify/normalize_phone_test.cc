#include "unify/normalize_phone.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "util/error.h"

namespace cdmlake::unify {
namespace {

const PhoneRegion kNoRegion = MakePhoneRegion("");

TEST(NormalizePhoneTest, DocExampleWithoutDefaultRegion) {
  // Spec §1.3: "+01 425.555.1212 matches 1 (425) 555-1212 but not (425) 555-1212".
  const std::string a = PhoneKey("+01 425.555.1212", kNoRegion);
  EXPECT_EQ(a, "14255551212");
  EXPECT_EQ(PhoneKey("1 (425) 555-1212", kNoRegion), a);
  EXPECT_NE(PhoneKey("(425) 555-1212", kNoRegion), a);
  EXPECT_EQ(PhoneKey("(425) 555-1212", kNoRegion), "4255551212");
}

TEST(NormalizePhoneTest, DefaultRegionGivesNumbersWithoutCountryCodeOne) {
  const PhoneRegion us = MakePhoneRegion("US");
  EXPECT_EQ(us.country_code, 1);
  EXPECT_EQ(PhoneKey("(425) 555-0100", us), "14255550100");
  EXPECT_EQ(PhoneKey("+1 425 555 0100", us), "14255550100");
  EXPECT_EQ(PhoneKey("1-425-555-0100", us), "14255550100");
  EXPECT_EQ(PhoneKey("+01 425.555.1212", us), PhoneKey("425 555 1212", us));
  // A number written with another country code stays different.
  EXPECT_NE(PhoneKey("+44 425 555 0100", us), PhoneKey("425 555 0100", us));

  const PhoneRegion gb = MakePhoneRegion("gb");
  EXPECT_EQ(gb.code, "GB");
  EXPECT_EQ(PhoneKey("020 7946 0958", gb), "442079460958");
  EXPECT_EQ(PhoneKey("+44 (0)20 7946 0958", gb), "442079460958");
  EXPECT_EQ(PhoneKey("+44 (0)20 7946 0958", kNoRegion), "442079460958");
}

TEST(NormalizePhoneTest, ExtensionsAreDropped) {
  const PhoneRegion us = MakePhoneRegion("US");
  for (const PhoneRegion* region : {&kNoRegion, &us}) {
    const std::string plain = PhoneKey("983.566.0706", *region);
    EXPECT_EQ(PhoneKey("983.566.0706x9509", *region), plain);
    EXPECT_EQ(PhoneKey("983-566-0706 x123", *region), plain);
    EXPECT_EQ(PhoneKey("983 566 0706 ext. 12", *region), plain);
    EXPECT_EQ(PhoneKey("983 566 0706 Extension 12", *region), plain);
    EXPECT_EQ(PhoneKey("983 566 0706 #12", *region), plain);
  }
  EXPECT_EQ(PhoneKey("+44 (0)20 7946 0958 ext. 12", kNoRegion), "442079460958");
}

TEST(NormalizePhoneTest, UnparseableNumbersFallBackToDigits) {
  const PhoneRegion us = MakePhoneRegion("US");
  EXPECT_EQ(PhoneKey("+0", us), "");
  EXPECT_EQ(PhoneKey("no number", us), "");
  EXPECT_EQ(PhoneKey("", us), "");
  EXPECT_EQ(PhoneKey("+999 12", kNoRegion), "99912");  // no such country code
  EXPECT_EQ(PhoneDigits("Tel: +00 49 (30) 1234-5678 ext 9"), "493012345678");
  EXPECT_EQ(PhoneDigits("٤٢٥ ٥٥٥ ١٢١٢"), "4255551212");  // Arabic-Indic digits
  EXPECT_EQ(PhoneKey("٤٢٥ ٥٥٥ ١٢١٢", us), "14255551212");
}

TEST(NormalizePhoneTest, UnknownRegionIsAUserError) {
  try {
    MakePhoneRegion("XX");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kUser);
    EXPECT_NE(e.message().find("\"XX\""), std::string::npos);
    EXPECT_FALSE(e.hint().empty());
  }
}

// The fast path for North American numbers must give exactly libphonenumber's key.
TEST(NormalizePhoneTest, FastPathAgreesWithLibphonenumber) {
  const PhoneRegion regions[] = {kNoRegion, MakePhoneRegion("US"), MakePhoneRegion("CA"), MakePhoneRegion("GB")};
  const char* formats[] = {"(%s) %s-%s", "%s-%s-%s", "%s.%s.%s", "%s %s %s", "1 (%s) %s-%s", "1-%s-%s-%s",
                           "+1 %s %s %s", "+01 (%s) %s-%s", "+1-%s-%s-%sx12", "%s.%s.%s ext. 345", "%s%s%s",
                           "1%s%s%s #9", "+1 %s/%s/%s", " %s %s %s ", "+44 %s %s %s", "001 %s %s %s"};
  std::mt19937 random(7);
  int checked = 0;
  for (int i = 0; i < 400; ++i) {
    const std::string area = std::to_string(100 + random() % 900);
    const std::string exchange = std::to_string(100 + random() % 900);
    const std::string line = std::to_string(1000 + random() % 9000);
    for (const char* format : formats) {
      char value[80];
      std::snprintf(value, sizeof(value), format, area.c_str(), exchange.c_str(), line.c_str());
      for (const PhoneRegion& region : regions) {
        EXPECT_EQ(PhoneKey(value, region), PhoneKeyWithLibphonenumber(value, region))
            << "value \"" << value << "\" region \"" << region.code << "\"";
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 400 * 16 * 4);
}

}  // namespace
}  // namespace cdmlake::unify

#include "unify/normalize_words.h"

#include <gtest/gtest.h>

#include <string>

namespace cdmlake::unify {
namespace {

std::string Rewrite(std::string_view value, const WordTable& table) {
  const WordTable* tables[] = {&table};
  std::string out;
  RewriteWords(value, tables, &out);
  return out;
}

TEST(NormalizeWordsTest, WordKeyIsLowerCaseWithoutDots) {
  std::string key;
  WordKey("L.L.C.", &key);
  EXPECT_EQ(key, "llc");
  WordKey("Dr.", &key);
  EXPECT_EQ(key, "dr");
  WordKey("Müller", &key);
  EXPECT_EQ(key, "müller");
}

TEST(NormalizeWordsTest, AddressDocExamples) {
  EXPECT_EQ(Rewrite("street", AddressTable()), "st");
  EXPECT_EQ(Rewrite("northwest", AddressTable()), "nw");
  EXPECT_EQ(Rewrite("1 Microsoft Way, Redmond", AddressTable()), "1 Microsoft Way, Redmond");
  EXPECT_EQ(Rewrite("123 North Main Street, Apartment 4", AddressTable()), "123 n Main st, apt 4");
  EXPECT_EQ(Rewrite("500 Fifth Ave. Suite 12", AddressTable()), "500 Fifth ave ste 12");
  EXPECT_EQ(Rewrite("PARKWAY/BOULEVARD", AddressTable()), "pkwy/blvd");
  EXPECT_EQ(Rewrite("Hauptstraße\u00A0North\u2013Street", AddressTable()), "Hauptstraße\u00A0n\u2013st");
  EXPECT_GE(AddressTable().size(), 100u);
}

TEST(NormalizeWordsTest, OrganizationNoiseWordsAreDeleted) {
  EXPECT_EQ(Rewrite("Contoso Ltd", OrganizationTable()), "Contoso");
  EXPECT_EQ(Rewrite("Contoso, Inc.", OrganizationTable()), "Contoso");
  EXPECT_EQ(Rewrite("The Contoso Corporation", OrganizationTable()), "Contoso");
  EXPECT_EQ(Rewrite("Fabrikam Co. L.L.C.", OrganizationTable()), "Fabrikam");
  EXPECT_EQ(Rewrite("Müller GmbH & Co. KG", OrganizationTable()), "Müller");
  EXPECT_EQ(Rewrite("Tailspin Toys", OrganizationTable()), "Tailspin Toys");
  EXPECT_EQ(Rewrite("Inc", OrganizationTable()), "");
  for (const char* word : {"co", "corp", "corporation", "ltd", "inc", "llc", "gmbh"}) {
    EXPECT_EQ(Rewrite(std::string("Acme ") + word, OrganizationTable()), "Acme") << word;
  }
  EXPECT_GE(OrganizationTable().size(), 50u);
}

TEST(NormalizeWordsTest, TitlesHaveOneForm) {
  EXPECT_EQ(Rewrite("Prof. Ada Lovelace", NameTitleTable()), "prof Ada Lovelace");
  EXPECT_EQ(Rewrite("Professor Ada Lovelace", NameTitleTable()), "prof Ada Lovelace");
  EXPECT_EQ(Rewrite("Doctor Who", NameTitleTable()), "dr Who");
  EXPECT_EQ(Rewrite("Dr Who", NameTitleTable()), "dr Who");
  EXPECT_EQ(Rewrite("Mister Smith Junior", NameTitleTable()), "mr Smith jr");
}

TEST(NormalizeWordsTest, FirstTableWithTheWordWins) {
  const WordTable first = {{"bob", "robert"}};
  const WordTable second = {{"bob", "bobby"}, {"liz", "elizabeth"}};
  const WordTable* tables[] = {&first, nullptr, &second};
  std::string out;
  RewriteWords("Bob and Liz", tables, &out);
  EXPECT_EQ(out, "robert and elizabeth");
}

}  // namespace
}  // namespace cdmlake::unify

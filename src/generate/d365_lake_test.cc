#include "generate/d365_lake.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "generate/random.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::generate {
namespace {

using Json = nlohmann::json;

// ---- A small RFC 4180 parser, independent of the generator: quoted fields may hold commas, doubled quotes
// and line breaks; records end at an LF outside quotes. ----

struct Field {
  std::string value;
  bool quoted = false;
};
using Record = std::vector<Field>;

std::vector<Record> ParseCsv(const std::string& text) {
  std::vector<Record> records;
  Record record;
  Field field;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"' && field.value.empty() && !field.quoted) {
      field.quoted = true;
      ++i;
      while (true) {
        if (i >= text.size()) {
          ADD_FAILURE() << "unterminated quoted field";
          return records;
        }
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field.value += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.value += text[i++];
      }
      if (i < text.size() && text[i] != ',' && text[i] != '\n') ADD_FAILURE() << "text after closing quote at " << i;
      continue;
    }
    if (c == ',') {
      record.push_back(std::move(field));
      field = Field();
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field = Field();
      records.push_back(std::move(record));
      record.clear();
    } else {
      field.value += c;
    }
    ++i;
  }
  EXPECT_TRUE(record.empty() && field.value.empty() && !field.quoted) << "last record does not end with LF";
  return records;
}

TEST(CsvParserTest, HandlesQuotesCommasAndNewlines) {
  auto records = ParseCsv("1,\"a,b\",\"say \"\"hi\"\"\"\n2,\"line1\nline2\",\"\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0][1].value, "a,b");
  EXPECT_EQ(records[0][2].value, "say \"hi\"");
  EXPECT_FALSE(records[0][0].quoted);
  EXPECT_EQ(records[1][1].value, "line1\nline2");
  EXPECT_TRUE(records[1][2].quoted);
  EXPECT_EQ(records[1][2].value, "");
}

// ---- A reader of the generated lake, written from the layout contract (not from the generator). ----

struct Attribute {
  std::string name;
  std::string format;
  int max_length = 0;
};

struct Table {
  std::string folder;  // lake-relative folder of the manifest
  std::vector<Attribute> attributes;
  std::vector<std::string> files;  // absolute partition paths, in order
  std::vector<Record> records;

  size_t Column(const std::string& name) const {
    for (size_t i = 0; i < attributes.size(); ++i) {
      if (attributes[i].name == name) return i;
    }
    ADD_FAILURE() << "no column " << name;
    return 0;
  }
  std::vector<std::string> Values(const std::string& name) const {
    size_t c = Column(name);
    std::vector<std::string> out;
    for (const Record& r : records) out.push_back(r.at(c).value);
    return out;
  }
};

Json ReadJson(MemoryFileSystem& fs, const std::string& path) {
  EXPECT_TRUE(fs.Stat(path)) << path;
  return Json::parse(fs.ReadFile(path));
}

void ExpectManifestKeys(const Json& m, const std::string& folder) {
  EXPECT_EQ(m.at("jsonSchemaSemanticVersion"), "1.0.0") << folder;
  EXPECT_EQ(m.at("imports").at(0).at("corpusPath"), "cdm:/foundations.cdm.json") << folder;
  EXPECT_EQ(m.at("manifestName"), BaseName(folder));
  EXPECT_TRUE(m.at("explanation").is_string());
  EXPECT_TRUE(m.at("entities").is_array());
  EXPECT_TRUE(m.at("subManifests").is_array());
}

void ExpectCsvTrait(const Json& traits) {
  ASSERT_EQ(traits.size(), 1u);
  EXPECT_EQ(traits[0].at("traitReference"), "is.partition.format.CSV");
  EXPECT_EQ(traits[0].at("arguments").at(0).at("name"), "columnHeaders");
  EXPECT_EQ(traits[0].at("arguments").at(0).at("value"), "false");
  EXPECT_EQ(traits[0].at("arguments").at(1).at("name"), "delimiter");
  EXPECT_EQ(traits[0].at("arguments").at(1).at("value"), ",");
}

std::vector<Attribute> ReadEntity(MemoryFileSystem& fs, const std::string& path, const std::string& entity) {
  Json doc = ReadJson(fs, path);
  EXPECT_EQ(doc.at("jsonSchemaSemanticVersion"), "1.0.0");
  EXPECT_EQ(doc.at("imports").at(0).at("corpusPath"), "cdm:/foundations.cdm.json");
  const Json& def = doc.at("definitions").at(0);
  EXPECT_EQ(def.at("entityName"), entity);
  EXPECT_EQ(def.at("exhibitsTraits").at(0).at("traitReference"), "has.entitySchemaAbstractionLevel");
  std::vector<Attribute> out;
  for (const Json& a : def.at("hasAttributes")) {
    Attribute attr{a.at("name"), a.at("dataFormat")};
    if (attr.format == "String") attr.max_length = a.at("maximumLength");
    if (attr.name == "RECID") {
      EXPECT_EQ(a.at("isNullable"), false);
      EXPECT_EQ(a.at("purpose"), "identifiedBy");
    }
    if (attr.format == "Decimal") {
      const Json& t = a.at("appliedTraits").at(0);
      EXPECT_EQ(t.at("traitReference"), "is.dataFormat.numeric.shaped");
      EXPECT_EQ(t.at("arguments").at(0).at("value"), "32");
      EXPECT_EQ(t.at("arguments").at(1).at("value"), "6");
    }
    static const std::set<std::string> kFormats = {"Int64", "Int32", "String", "Decimal", "DateTime"};
    EXPECT_TRUE(kFormats.count(attr.format)) << attr.format;
    out.push_back(attr);
  }
  return out;
}

// Walks the manifest tree from Tables/Tables.manifest.cdm.json and loads every entity and its data.
class Lake {
 public:
  Lake(MemoryFileSystem& fs, const std::string& root) : fs_(fs), root_(root) { Walk("Tables"); }

  std::map<std::string, Table> tables;
  std::vector<std::string> manifests;  // lake-relative folders, in visiting order
  std::vector<Json> relationships;     // with "folder" added

 private:
  void Walk(const std::string& folder) {
    manifests.push_back(folder);
    std::string dir = JoinPath(root_, folder);
    Json m = ReadJson(fs_, JoinPath(dir, BaseName(folder) + ".manifest.cdm.json"));
    ExpectManifestKeys(m, folder);
    for (const Json& e : m.at("entities")) LoadEntity(folder, dir, e);
    if (!m.at("entities").empty()) {
      for (Json r : m.at("relationships")) {
        r["folder"] = folder;
        relationships.push_back(r);
      }
    }
    for (const Json& s : m.at("subManifests")) {
      std::string child = s.at("manifestName");
      EXPECT_EQ(s.at("definition"), child + "/" + child + ".manifest.cdm.json");
      Walk(folder + "/" + child);
    }
  }

  void LoadEntity(const std::string& folder, const std::string& dir, const Json& e) {
    EXPECT_EQ(e.at("type"), "LocalEntity");
    std::string name = e.at("entityName");
    std::string path = e.at("entityPath");
    ASSERT_EQ(path.substr(path.rfind('/')), "/" + name);
    Table& t = tables[name];
    t.folder = folder;
    t.attributes = ReadEntity(fs_, JoinPath(dir, path.substr(0, path.rfind('/'))), name);
    if (e.contains("dataPartitionPatterns")) {
      EXPECT_FALSE(e.contains("dataPartitions"));
      const Json& p = e.at("dataPartitionPatterns").at(0);
      EXPECT_EQ(p.at("globPattern"), "/*.csv");
      ExpectCsvTrait(p.at("exhibitsTraits"));
      std::string data_dir = JoinPath(dir, p.at("rootLocation").get<std::string>());
      for (const FileInfo& f : fs_.ListDirectory(data_dir)) {
        if (EndsWithCsv(f.name)) t.files.push_back(JoinPath(data_dir, f.name));
      }
    } else {
      for (const Json& p : e.at("dataPartitions")) {
        std::string location = p.at("location");
        EXPECT_EQ(location, name + "/" + p.at("name").get<std::string>() + ".csv");
        ExpectCsvTrait(p.at("exhibitsTraits"));
        t.files.push_back(JoinPath(dir, location));
      }
    }
    for (const std::string& file : t.files) {
      ASSERT_TRUE(fs_.Stat(file)) << "missing partition " << file;
      std::string text = fs_.ReadFile(file);
      EXPECT_NE(text.rfind("\xEF\xBB\xBF", 0), 0u) << "BOM in " << file;
      EXPECT_EQ(text.find('\r'), std::string::npos) << "CR in " << file;
      for (Record& r : ParseCsv(text)) t.records.push_back(std::move(r));
    }
  }

  static bool EndsWithCsv(const std::string& s) { return s.size() > 4 && s.substr(s.size() - 4) == ".csv"; }

  MemoryFileSystem& fs_;
  std::string root_;
};

// Exact decimal parsing: value * 10^scale as an integer; fails on anything but [-]digits[.digits].
int64_t ParseScaled(const std::string& s, int scale) {
  size_t i = 0;
  bool negative = !s.empty() && s[0] == '-';
  if (negative) ++i;
  int64_t units = 0;
  int decimals = -1;
  EXPECT_LT(i, s.size()) << s;
  for (; i < s.size(); ++i) {
    if (s[i] == '.' && decimals < 0) {
      decimals = 0;
      continue;
    }
    EXPECT_TRUE(s[i] >= '0' && s[i] <= '9') << "bad decimal " << s;
    units = units * 10 + (s[i] - '0');
    if (decimals >= 0) ++decimals;
  }
  if (decimals < 0) decimals = 0;
  EXPECT_LE(decimals, scale) << s;
  EXPECT_NE(s.back(), '.') << s;
  for (int d = decimals; d < scale; ++d) units *= 10;
  return negative ? -units : units;
}

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

bool IsDateTime(const std::string& s) {
  // YYYY-MM-DDTHH:MM:SS.fffffffZ
  if (s.size() != 28 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[27] != 'Z') {
    return false;
  }
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25, 26}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return s >= "2020-01-01";  // every generated date lies after the base date
}

const char* const kEmptyDate = "1900-01-01T00:00:00.0000000";

class D365LakeTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs_ = new MemoryFileSystem();
    summary_ = new D365LakeSummary(GenerateD365Lake(*fs_, {"/lake", kScale, 42}, nullptr));
    lake_ = new Lake(*fs_, "/lake");
  }
  static void TearDownTestSuite() {
    delete lake_;
    delete summary_;
    delete fs_;
  }
  static const Table& T(const std::string& name) { return lake_->tables.at(name); }

  static constexpr int64_t kScale = 20000;
  static MemoryFileSystem* fs_;
  static D365LakeSummary* summary_;
  static Lake* lake_;
};

MemoryFileSystem* D365LakeTest::fs_ = nullptr;
D365LakeSummary* D365LakeTest::summary_ = nullptr;
Lake* D365LakeTest::lake_ = nullptr;

TEST_F(D365LakeTest, ManifestTree) {
  const std::vector<std::string> expected = {
      "Tables",
      "Tables/CommonCore",
      "Tables/CommonCore/GlobalAddressBook",
      "Tables/CommonCore/GlobalAddressBook/Main",
      "Tables/Finance",
      "Tables/Finance/AccountsReceivable",
      "Tables/Finance/AccountsReceivable/Main",
      "Tables/Finance/AccountsReceivable/Group",
      "Tables/SupplyChain",
      "Tables/SupplyChain/SalesAndMarketing",
      "Tables/SupplyChain/SalesAndMarketing/Main",
      "Tables/SupplyChain/SalesAndMarketing/WorksheetLine",
      "Tables/SupplyChain/ProductInformationManagement",
      "Tables/SupplyChain/ProductInformationManagement/Main",
  };
  EXPECT_EQ(lake_->manifests, expected);
  const std::map<std::string, std::string> folders = {
      {"DirPartyTable", "Tables/CommonCore/GlobalAddressBook/Main"},
      {"LogisticsPostalAddress", "Tables/CommonCore/GlobalAddressBook/Main"},
      {"CustTable", "Tables/Finance/AccountsReceivable/Main"},
      {"CustGroup", "Tables/Finance/AccountsReceivable/Group"},
      {"SalesTable", "Tables/SupplyChain/SalesAndMarketing/Main"},
      {"SalesLine", "Tables/SupplyChain/SalesAndMarketing/WorksheetLine"},
      {"InventTable", "Tables/SupplyChain/ProductInformationManagement/Main"},
      {"EcoResProduct", "Tables/SupplyChain/ProductInformationManagement/Main"},
  };
  ASSERT_EQ(lake_->tables.size(), folders.size());
  for (const auto& [name, folder] : folders) EXPECT_EQ(T(name).folder, folder) << name;
  // The documents sit where the contract says.
  EXPECT_TRUE(fs_->Stat("/lake/Tables/SupplyChain/ProductInformationManagement/Main/resolved/InventTable.cdm.json"));
  EXPECT_TRUE(fs_->Stat("/lake/Tables/SupplyChain/SalesAndMarketing/WorksheetLine/SalesLine.cdm.json"));
  EXPECT_TRUE(fs_->Stat("/lake/Tables/SupplyChain/SalesAndMarketing/WorksheetLine/SalesLine/SALESLINE_00001.csv"));
  // No temporary files of the atomic writes are left behind.
  for (const auto& [path, unused] : fs_->files()) EXPECT_EQ(path.find(".tmp"), std::string::npos) << path;
}

TEST_F(D365LakeTest, EnumsAreConstrainedLists) {
  Json doc = Json::parse(fs_->ReadFile("/lake/Tables/SupplyChain/SalesAndMarketing/Main/SalesTable.cdm.json"));
  for (const Json& a : doc["definitions"][0]["hasAttributes"]) {
    if (a["name"] != "SALESSTATUS") continue;
    EXPECT_EQ(a["dataFormat"], "Int32");
    const Json& trait = a.at("appliedTraits").at(0);
    EXPECT_EQ(trait.at("traitReference"), "is.constrainedList.wellKnown");
    const Json& list = trait.at("arguments").at(0).at("value").at("entityReference");
    EXPECT_EQ(list.at("entityShape"), "localizedConstantValues");
    EXPECT_EQ(list.at("constantValues").at(1), Json::parse(R"(["en-US","Open order","Backorder","1"])"));
    EXPECT_EQ(list.at("constantValues").size(), 5u);
    return;
  }
  FAIL() << "no SALESSTATUS";
}

TEST_F(D365LakeTest, Relationships) {
  std::set<std::string> seen;
  for (const Json& r : lake_->relationships) {
    std::string folder = r.at("folder");
    std::string from = r.at("fromEntity"), to = r.at("toEntity");
    std::string from_name = BaseName(from), to_name = BaseName(to);
    seen.insert(from_name + "." + r.at("fromEntityAttribute").get<std::string>() + "->" + to_name + "." +
                r.at("toEntityAttribute").get<std::string>());
    EXPECT_EQ(T(from_name).folder, folder);
    // toEntity resolves, relative to the manifest folder, to the target's entity document.
    std::string doc = NormalizePath(JoinPath("/lake/" + folder, DirName(to)));
    EXPECT_TRUE(fs_->Stat(doc)) << doc;
    EXPECT_EQ(DirName(doc).rfind("/lake/" + T(to_name).folder, 0), 0u) << doc;
  }
  EXPECT_EQ(seen, (std::set<std::string>{
                      "SalesLine.SALESID->SalesTable.SALESID", "SalesLine.ITEMID->InventTable.ITEMID",
                      "SalesTable.CUSTACCOUNT->CustTable.ACCOUNTNUM", "CustTable.PARTY->DirPartyTable.RECID",
                      "InventTable.PRODUCT->EcoResProduct.RECID"}));
  for (const Json& r : lake_->relationships) {
    if (r["fromEntity"] == "SalesLine.cdm.json/SalesLine" && r["toEntityAttribute"] == "SALESID") {
      EXPECT_EQ(r["toEntity"], "../Main/SalesTable.cdm.json/SalesTable");
    }
  }
}

TEST_F(D365LakeTest, RowCountsAndPartitions) {
  ASSERT_EQ(summary_->tables.size(), 8u);
  int64_t total = 0;
  for (const GeneratedTable& g : summary_->tables) {
    const Table& t = T(g.name);
    EXPECT_EQ(g.folder, t.folder);
    EXPECT_EQ(static_cast<int64_t>(t.records.size()), g.rows) << g.name;
    EXPECT_EQ(static_cast<int>(t.files.size()), g.partitions) << g.name;
    total += g.rows;
  }
  EXPECT_EQ(total, D365LakeRowCount(kScale));
  EXPECT_GT(summary_->bytes_written, 0u);
  EXPECT_EQ(T("SalesLine").records.size(), static_cast<size_t>(kScale));
  EXPECT_EQ(T("SalesLine").files.size(), 2u);
  EXPECT_EQ(T("SalesTable").files.size(), 2u);
  EXPECT_EQ(T("CustTable").files.size(), 1u);
  EXPECT_EQ(T("CustGroup").records.size(), 6u);
  EXPECT_EQ(T("CustTable").records.size(), static_cast<size_t>(std::max<int64_t>(20, kScale / 50)));
  EXPECT_EQ(T("DirPartyTable").records.size(), T("CustTable").records.size());
  EXPECT_EQ(T("LogisticsPostalAddress").records.size(), T("CustTable").records.size());
  EXPECT_EQ(T("InventTable").records.size(), static_cast<size_t>(std::max<int64_t>(20, kScale / 200)));
  EXPECT_EQ(T("SalesTable").records.size(), static_cast<size_t>(kScale / 4));
  // Rows are split evenly between the files.
  auto first = ParseCsv(fs_->ReadFile(T("SalesLine").files[0]));
  EXPECT_EQ(first.size(), static_cast<size_t>(kScale / 2));
}

TEST_F(D365LakeTest, FieldsMatchTheSchema) {
  for (const auto& [name, t] : lake_->tables) {
    std::set<std::string> recids;
    for (const Record& r : t.records) {
      ASSERT_EQ(r.size(), t.attributes.size()) << name;
      for (size_t i = 0; i < r.size(); ++i) {
        const Attribute& a = t.attributes[i];
        const Field& f = r[i];
        if (a.format == "String") {
          EXPECT_TRUE(f.quoted) << name << "." << a.name;
          EXPECT_LE(CodePoints(f.value), static_cast<size_t>(a.max_length)) << name << "." << a.name << " " << f.value;
        } else if (a.format == "DateTime") {
          EXPECT_TRUE(f.quoted) << name << "." << a.name;
          EXPECT_TRUE(IsDateTime(f.value) || f.value == kEmptyDate) << name << "." << a.name << " " << f.value;
        } else {
          EXPECT_FALSE(f.quoted) << name << "." << a.name;
          ParseScaled(f.value, a.format == "Decimal" ? 6 : 0);  // fails the test if not a plain number
        }
      }
      EXPECT_EQ(r[t.Column("PARTITION")].value, "5637144576");
      EXPECT_TRUE(recids.insert(r[0].value).second) << "duplicate RECID in " << name;
    }
    EXPECT_EQ(t.attributes[0].name, "RECID");
  }
}

TEST_F(D365LakeTest, LineAmountsAreRoundedProducts) {
  const Table& lines = T("SalesLine");
  size_t qty = lines.Column("SALESQTY"), price = lines.Column("SALESPRICE"), amount = lines.Column("LINEAMOUNT");
  int64_t expected = 0, actual = 0;
  bool negative = false, fractional_price = false;
  for (const Record& r : lines.records) {
    // qty in 1e-6 units times price in 1e-6 units = 1e-12 units; round half away from zero to cents (1e-2).
    __extension__ typedef __int128 I128;
    I128 product = static_cast<I128>(ParseScaled(r[qty].value, 6)) * ParseScaled(r[price].value, 6);
    const I128 unit = static_cast<I128>(10000000000LL);
    I128 cents = product >= 0 ? (product + unit / 2) / unit : -((-product + unit / 2) / unit);
    int64_t line_amount = ParseScaled(r[amount].value, 2);
    EXPECT_EQ(static_cast<int64_t>(cents), line_amount) << r[qty].value << " * " << r[price].value;
    expected += static_cast<int64_t>(cents);
    actual += line_amount;
    negative |= line_amount < 0;
    fractional_price |= r[price].value.find('.') != std::string::npos;
  }
  EXPECT_EQ(actual, expected);
  EXPECT_TRUE(negative) << "no return lines";
  EXPECT_TRUE(fractional_price);
}

TEST_F(D365LakeTest, ReferencesResolve) {
  auto set_of = [](const Table& t, const std::string& column) {
    auto v = t.Values(column);
    return std::set<std::string>(v.begin(), v.end());
  };
  const Table& lines = T("SalesLine");
  const Table& orders = T("SalesTable");
  std::set<std::string> sales_ids = set_of(orders, "SALESID");
  std::set<std::string> item_ids = set_of(T("InventTable"), "ITEMID");
  std::set<std::string> accounts = set_of(T("CustTable"), "ACCOUNTNUM");
  std::set<std::string> parties = set_of(T("DirPartyTable"), "RECID");
  std::set<std::string> products = set_of(T("EcoResProduct"), "RECID");
  std::set<std::string> locations = set_of(T("LogisticsPostalAddress"), "LOCATION");
  EXPECT_EQ(sales_ids.size(), orders.records.size());
  EXPECT_EQ(item_ids.size(), T("InventTable").records.size());
  for (const auto& v : lines.Values("SALESID")) ASSERT_TRUE(sales_ids.count(v)) << v;
  for (const auto& v : lines.Values("ITEMID")) ASSERT_TRUE(item_ids.count(v)) << v;
  for (const auto& v : orders.Values("CUSTACCOUNT")) ASSERT_TRUE(accounts.count(v)) << v;
  for (const auto& v : T("CustTable").Values("PARTY")) ASSERT_TRUE(parties.count(v)) << v;
  for (const auto& v : T("InventTable").Values("PRODUCT")) ASSERT_TRUE(products.count(v)) << v;
  for (const auto& v : T("DirPartyTable").Values("PRIMARYADDRESSLOCATION")) ASSERT_TRUE(locations.count(v)) << v;
  std::set<std::string> groups = set_of(T("CustGroup"), "CUSTGROUP");
  for (const auto& v : T("CustTable").Values("CUSTGROUP")) ASSERT_TRUE(groups.count(v)) << v;

  // Every order has lines numbered 1, 2, 3, ...; a line repeats its order's customer and company.
  std::map<std::string, std::pair<std::string, std::string>> order_of;  // SALESID -> (CUSTACCOUNT, DATAAREAID)
  for (const Record& r : orders.records) {
    order_of[r[orders.Column("SALESID")].value] = {r[orders.Column("CUSTACCOUNT")].value,
                                                   r[orders.Column("DATAAREAID")].value};
  }
  std::map<std::string, int64_t> last_line;
  for (const Record& r : lines.records) {
    const std::string& id = r[lines.Column("SALESID")].value;
    int64_t n = ParseScaled(r[lines.Column("LINENUM")].value, 0);
    EXPECT_EQ(n, last_line[id] + 1) << id;
    last_line[id] = n;
    EXPECT_EQ(r[lines.Column("CUSTACCOUNT")].value, order_of[id].first);
    EXPECT_EQ(r[lines.Column("DATAAREAID")].value, order_of[id].second);
  }
  EXPECT_EQ(last_line.size(), orders.records.size()) << "an order without lines";
}

TEST_F(D365LakeTest, HardCasesArePresent) {
  auto any = [](const Table& t, const std::string& column, auto predicate) {
    for (const auto& v : t.Values(column)) {
      if (predicate(v)) return true;
    }
    return false;
  };
  auto has = [](const char* s) { return [s](const std::string& v) { return v.find(s) != std::string::npos; }; };
  auto non_ascii = [](const std::string& v) {
    for (unsigned char c : v) {
      if (c >= 0x80) return true;
    }
    return false;
  };
  auto quote_and_comma = [](const std::string& v) {
    return v.find('"') != std::string::npos && v.find(',') != std::string::npos;
  };
  const Table& party = T("DirPartyTable");
  const Table& lines = T("SalesLine");
  EXPECT_TRUE(any(party, "NAME", quote_and_comma));
  EXPECT_TRUE(any(party, "NAME", non_ascii));
  EXPECT_TRUE(any(party, "NAME", has("Müller GmbH")));
  EXPECT_TRUE(any(party, "NAME", has("Café Olé")));
  EXPECT_TRUE(any(lines, "NAME", quote_and_comma));
  EXPECT_TRUE(any(lines, "NAME", has("\n")));
  EXPECT_TRUE(any(lines, "NAME", non_ascii));
  EXPECT_TRUE(any(lines, "NAME", [](const std::string& v) { return v.empty(); }));
  EXPECT_TRUE(any(party, "NAMEALIAS", [](const std::string& v) { return v.empty(); }));
  for (const auto& v : T("LogisticsPostalAddress").Values("ADDRESS")) EXPECT_NE(v.find('\n'), std::string::npos);
  EXPECT_TRUE(any(lines, "SHIPPINGDATECONFIRMED", [](const std::string& v) { return v == kEmptyDate; }));
  EXPECT_TRUE(any(T("SalesTable"), "SHIPPINGDATECONFIRMED", [](const std::string& v) { return v == kEmptyDate; }));
  EXPECT_TRUE(any(lines, "SHIPPINGDATECONFIRMED", IsDateTime));
  // DATAAREAID: all three companies, lower case, usmf the most common.
  std::map<std::string, int> areas;
  for (const auto& v : lines.Values("DATAAREAID")) ++areas[v];
  EXPECT_EQ(areas.size(), 3u);
  EXPECT_GT(areas["usmf"], areas["demf"]);
  EXPECT_GT(areas["demf"], areas["gbsi"]);
  EXPECT_GT(areas["gbsi"], 0);
}

TEST_F(D365LakeTest, RawCsvFormat) {
  std::string text = fs_->ReadFile(T("SalesLine").files[0]);
  // The first line: RECID, "SO-0000001", LINENUM 1, ...; numbers unquoted, strings quoted.
  std::string first = text.substr(0, text.find('\n'));
  EXPECT_EQ(first.rfind("5637144576", 0), std::string::npos);  // SalesLine RECIDs are in their own range
  EXPECT_NE(first.find(",\"SO-0000001\",1,\""), std::string::npos) << first;
  EXPECT_NE(text.find("\"\""), std::string::npos);  // empty strings or doubled quotes
  EXPECT_EQ(text.back(), '\n');
}

TEST(D365LakeGenerateTest, SameSeedIsByteIdentical) {
  MemoryFileSystem a, b, c;
  GenerateD365Lake(a, {"/lake", 500, 7}, nullptr);
  GenerateD365Lake(b, {"/lake", 500, 7}, nullptr);
  GenerateD365Lake(c, {"/lake", 500, 8}, nullptr);
  EXPECT_TRUE(a.files() == b.files());
  ASSERT_EQ(a.files().size(), c.files().size());
  const std::string line = "/lake/Tables/SupplyChain/SalesAndMarketing/WorksheetLine/SalesLine/SALESLINE_00001.csv";
  EXPECT_NE(a.files().at(line), c.files().at(line));
  const std::string party = "/lake/Tables/CommonCore/GlobalAddressBook/Main/DirPartyTable/DIRPARTYTABLE_00001.csv";
  EXPECT_NE(a.files().at(party), c.files().at(party));
}

TEST(D365LakeGenerateTest, RejectsBadOptions) {
  MemoryFileSystem fs;
  for (D365LakeOptions bad : {D365LakeOptions{"/lake", 0, 1}, D365LakeOptions{"/lake", -5, 1},
                              D365LakeOptions{"", 10, 1}, D365LakeOptions{"relative/lake", 10, 1}}) {
    try {
      GenerateD365Lake(fs, bad, nullptr);
      ADD_FAILURE() << "accepted scale " << bad.scale << " dir '" << bad.out_dir << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::kUser);
    }
  }
  EXPECT_TRUE(fs.files().empty());
}

TEST(D365LakeGenerateTest, WriteErrorsAreIoErrors) {
  MemoryFileSystem fs;
  fs.set_write_budget(10000);
  try {
    GenerateD365Lake(fs, {"/lake", 1000, 1}, nullptr);
    FAIL() << "expected a write error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kIo);
  }
}

TEST(D365LakeGenerateTest, RowCountMatchesSummaryAtEveryScale) {
  for (int64_t scale : {1, 2, 9, 10, 11, 99, 100, 1001}) {
    MemoryFileSystem fs;
    Progress progress("test", static_cast<uint64_t>(D365LakeRowCount(scale)));
    D365LakeSummary summary = GenerateD365Lake(fs, {"/lake", scale, 3}, &progress);
    int64_t total = 0;
    for (const GeneratedTable& t : summary.tables) {
      total += t.rows;
      EXPECT_GE(t.partitions, 1);
    }
    EXPECT_EQ(total, D365LakeRowCount(scale)) << scale;
    Lake lake(fs, "/lake");
    EXPECT_EQ(static_cast<int64_t>(lake.tables.at("SalesLine").records.size()), scale);
    EXPECT_EQ(lake.tables.at("SalesLine").files.size(), scale >= 2 ? 2u : 1u) << scale;
    uint64_t bytes = 0;
    for (const auto& [path, content] : fs.files()) bytes += content.size();
    EXPECT_EQ(summary.bytes_written, bytes) << scale;
  }
  EXPECT_EQ(D365LakeRowCount(0), 0);
}

TEST(D365LakeGenerateTest, RemovesStalePartitionsOfALargerRun) {
  MemoryFileSystem fs;
  const std::string dir = "/lake/Tables/SupplyChain/ProductInformationManagement/Main/InventTable";
  fs.AddFile(dir + "/INVENTTABLE_00002.csv", "stale\n");
  fs.AddFile(dir + "/notes.txt", "keep me");
  D365LakeSummary summary = GenerateD365Lake(fs, {"/lake", 100, 1}, nullptr);
  EXPECT_FALSE(fs.Stat(dir + "/INVENTTABLE_00002.csv"));
  EXPECT_TRUE(fs.Stat(dir + "/INVENTTABLE_00001.csv"));
  EXPECT_TRUE(fs.Stat(dir + "/notes.txt"));
  Lake lake(fs, "/lake");
  EXPECT_EQ(lake.tables.at("InventTable").records.size(), 20u);
}

TEST(RandomTest, DeterministicAndInRange) {
  Random a(1), b(1);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.Next(), b.Next());
  Random r(99);
  int counts[5] = {};
  for (int i = 0; i < 10000; ++i) {
    int64_t v = r.Range(-2, 2);
    ASSERT_GE(v, -2);
    ASSERT_LE(v, 2);
    ++counts[v + 2];
    ASSERT_LT(r.Uniform(7), 7u);
  }
  for (int c : counts) EXPECT_GT(c, 1500);
  int heads = 0;
  for (int i = 0; i < 10000; ++i) heads += r.Chance(0.3);
  EXPECT_NEAR(heads, 3000, 300);
  EXPECT_FALSE(Random(5).Chance(0));
  EXPECT_TRUE(Random(5).Chance(1));
  const std::vector<std::string> words = {"a", "b"};
  EXPECT_TRUE(Random(3).Pick(words) == "a" || Random(3).Pick(words) == "b");
  // Derived streams depend only on their arguments, and differ between streams and indexes.
  EXPECT_EQ(Random::Derive(1, 2, 3).Next(), Random::Derive(1, 2, 3).Next());
  EXPECT_NE(Random::Derive(1, 2, 3).Next(), Random::Derive(1, 2, 4).Next());
  EXPECT_NE(Random::Derive(1, 2, 3).Next(), Random::Derive(1, 3, 3).Next());
  EXPECT_NE(Random::Derive(1, 2, 3).Next(), Random::Derive(2, 2, 3).Next());
  // Fixed values: the output must never change between compilers or machines.
  EXPECT_EQ(Random(0).Next(), 0xe220a8397b1dcdafULL);
}

}  // namespace
}  // namespace cdmlake::generate

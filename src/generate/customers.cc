#include "generate/customers.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <memory>
#include <utility>

#include "cdm/writer.h"
#include "generate/calendar.h"
#include "generate/customer_csv.h"
#include "generate/customer_names.h"
#include "generate/random.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::generate {

namespace {

// ---------------------------------------------------------------------------------------------------------
// Shape of the population. These do not depend on the noise level: the same seed gives the same people, the
// same households and the same source membership at every level, only the records' noise differs.

constexpr double kOrganizationShare = 0.06;  // ERP only: the web shop and the stores sell to people
constexpr double kHouseholdStart = 0.08;     // a new person starts a household of 2-4 (~20% of people in one)
constexpr double kHouseholdSameSurname = 0.85;
constexpr double kInCrm = 0.65, kInPos = 0.50, kInErp = 0.35;  // persons; one at random when none is drawn
constexpr double kPosLastCommaFirst = 0.20;  // POS Name written "Last, First" (the till's other format, no noise)
// A duplicate is written this many entities later at most, so it is not next to its original in the file.
constexpr int64_t kDuplicateDelay = 5000;
constexpr int64_t kRowsPerFile = 500000;  // as the F&O export
constexpr int64_t kProgressEntities = 8192;
constexpr int64_t kRecIdBase = 5637144576;  // F&O's first RecId of a partition
constexpr int64_t kBaseDay = 17532;         // 2018-01-01, the start of the customers' history
constexpr int64_t kHistorySeconds = int64_t{8 * 365} * 86400;

enum Source : int { kErp, kCrm, kPos, kSourceCount };
constexpr const char* kSourceNames[kSourceCount] = {kErpCustomerSource, kCrmContactSource, kLoyaltySource};

// Random streams: entities, then one per source for records, keys and activities.
enum Stream : uint64_t { kEntityStream = 1000, kRecordStream = 1100, kGuidStream = 1200, kActivityStream = 1300 };

constexpr std::string_view kDummyPhones[] = {"555-0100", "000-000-0000", "(999) 999-9999"};
constexpr std::string_view kDummyEmails[] = {"noemail@example.com", "none@none.com", "na@na.com"};

// ---------------------------------------------------------------------------------------------------------
// True entities.

struct Address {
  std::string street;
  const CityInfo* city = nullptr;
  int zip = 0;
};

struct Phone {
  int area = 0, exchange = 0, line = 0;
};

struct Entity {
  int64_t index = 0;
  bool organization = false;
  std::string first, last;  // persons
  std::string org_name;     // organizations
  int birth_year = 0, birth_month = 0, birth_day = 0;
  std::string email;
  Phone phone;
  Address address;
  int64_t since = 0;  // seconds after 2018-01-01 of the first contact; activities come after it
};

// The people of a household being made: the next `remaining` persons share its address, phone and (mostly)
// surname, each with another given name.
struct Household {
  int remaining = 0;
  Address address;
  Phone phone;
  std::string last;
  std::vector<std::string_view> first_names;
};

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, result.ptr);
}

void AppendPadded(std::string* out, int64_t v, int width) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  for (int n = static_cast<int>(result.ptr - buf); n < width; ++n) out->push_back('0');
  out->append(buf, result.ptr);
}

Address MakeAddress(Random& rng) {
  Address a;
  const CityInfo& city = PickCity(rng);
  AppendInt(&a.street, rng.Range(1, 9999));
  a.street += ' ';
  a.street += PickStreetName(rng);
  a.street += ' ';
  a.street += PickStreetSuffix(rng);
  if (rng.Chance(0.1)) {
    a.street += ", Apt ";
    AppendInt(&a.street, rng.Range(1, 40));
  }
  a.city = &city;
  a.zip = city.zip_base + static_cast<int>(rng.Uniform(40));
  return a;
}

Phone MakePhone(Random& rng, const CityInfo& city) {
  Phone p;
  p.area = city.area_codes[rng.Uniform(2)];
  p.exchange = static_cast<int>(rng.Range(201, 998));
  if (p.exchange == 555) p.exchange = 556;  // 555 is the fictional exchange of the dummy numbers
  p.line = static_cast<int>(rng.Range(0, 9999));
  return p;
}

// The letters and digits of s in lower case, accents dropped: the e-mail form of a name ("De la Cruz" ->
// "delacruz", "O'Brien" -> "obrien").
std::string EmailToken(std::string_view s) {
  std::string out;
  for (char c : StripAccents(s)) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      out.push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    }
  }
  return out;
}

// A personal e-mail address. The number is a bijection of the entity index (multiplication by an odd number
// not divisible by 5, modulo a power of ten at least ten times the population), so no two entities share an
// address, and it does not give the index away.
std::string PersonEmail(Random& rng, std::string_view first, std::string_view last, int64_t index, int64_t modulus,
                        std::string_view domain) {
  std::string f = EmailToken(first), l = EmailToken(last);
  std::string out;
  switch (rng.Uniform(6)) {
    case 0: out = f + "." + l; break;
    case 1: out = f + l; break;
    case 2: out = f.substr(0, 1) + "." + l; break;
    case 3: out = f + "_" + l; break;
    case 4: out = l + "." + f; break;
    default: out = f + l.substr(0, 1); break;
  }
  AppendInt(&out, (index * 14348907 + 7777) % modulus);
  out += '@';
  out += domain;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Records: one source's copy of an entity, with noise.

struct Record {
  std::string first, last;  // persons (after nickname, typo, case, swap)
  std::string org_name;     // organizations
  std::string email;        // empty: missing
  std::string phone;        // empty: missing
  std::string street;       // empty: missing
  const CityInfo* city = nullptr;
  int zip = 0;
  int birth_year = 0, birth_month = 0, birth_day = 0;  // 0: missing (or no birth date in this source)
  bool birth_other_format = false;  // POS: written in another format than the till's usual M/D/YYYY
};

// The usual phone format of each source.
constexpr PhoneFormat kSourcePhoneFormat[kSourceCount] = {PhoneFormat::kParentheses, PhoneFormat::kDashes,
                                                          PhoneFormat::kDigits};

Record MakeRecord(const Entity& e, Source source, Random& rng, Noise& noise, int64_t email_modulus) {
  Record r;
  if (e.organization) {
    r.org_name = e.org_name;
    if (noise.Roll(rng, kNameTypo)) ApplyTypo(rng, &r.org_name);
    if (noise.Roll(rng, kCaseVariant)) ToUpperAscii(&r.org_name);
  } else {
    r.first = e.first;
    r.last = e.last;
    auto nicknames = Nicknames(r.first);
    if (!nicknames.empty() && noise.Roll(rng, kNickname)) r.first = std::string(rng.Pick(nicknames));
    if ((HasNonAscii(r.first) || HasNonAscii(r.last)) && noise.Roll(rng, kAccentStripped)) {
      r.first = StripAccents(r.first);
      r.last = StripAccents(r.last);
    }
    if (noise.Roll(rng, kNameTypo)) ApplyTypo(rng, &r.first);
    if (noise.Roll(rng, kNameTypo)) ApplyTypo(rng, &r.last);
    if (noise.Roll(rng, kCaseVariant)) {
      bool upper = rng.Chance(0.5);
      for (std::string* s : {&r.first, &r.last}) upper ? ToUpperAscii(s) : ToLowerAscii(s);
    }
    if (noise.Roll(rng, kSwappedNames)) std::swap(r.first, r.last);
  }

  r.email = e.email;
  if (noise.Roll(rng, kOtherEmail)) {
    if (e.organization) {
      r.email = "sales@" + r.email.substr(r.email.find('@') + 1);
    } else {
      // Another pattern or provider; a few draws, as one of them may give the same address again.
      for (int attempt = 0; attempt < 4 && r.email == e.email; ++attempt) {
        r.email = PersonEmail(rng, e.first, e.last, e.index, email_modulus, PickEmailDomain(rng));
      }
    }
  }
  if (noise.Roll(rng, kEmailTypo)) ApplyTypo(rng, &r.email);
  if (noise.Roll(rng, kDummyValue)) r.email = std::string(rng.Pick(kDummyEmails));
  if (noise.Roll(rng, kMissing)) r.email.clear();

  if (noise.Roll(rng, kDummyValue)) {
    r.phone = std::string(rng.Pick(kDummyPhones));
  } else {
    PhoneFormat format = kSourcePhoneFormat[source];
    if (noise.Roll(rng, kPhoneFormat)) {
      // Another format than the source's usual one.
      int other = static_cast<int>(rng.Uniform(kPhoneFormatCount - 1));
      format = static_cast<PhoneFormat>(other >= static_cast<int>(format) ? other + 1 : other);
    }
    AppendPhone(&r.phone, e.phone.area, e.phone.exchange, e.phone.line, format);
    if (noise.Roll(rng, kPhoneExtension)) {
      r.phone += " x";
      AppendInt(&r.phone, rng.Range(10, 9999));
    }
  }
  if (noise.Roll(rng, kMissing)) r.phone.clear();

  Address moved;
  const Address* address = &e.address;
  if (noise.Roll(rng, kMoved)) {
    moved = MakeAddress(rng);
    address = &moved;
  }
  r.street = address->street;
  r.city = address->city;
  r.zip = address->zip;
  if (noise.Roll(rng, kStreetTypo)) ApplyTypo(rng, &r.street);
  if (noise.Roll(rng, kMissing)) r.street.clear();

  if (source != kErp && !e.organization) {  // the ERP customer entity has no birth date
    r.birth_year = e.birth_year;
    r.birth_month = e.birth_month;
    r.birth_day = e.birth_day;
    if (r.birth_day <= 12 && r.birth_day != r.birth_month && noise.Roll(rng, kDateTransposed)) {
      std::swap(r.birth_day, r.birth_month);
    }
    // The CRM stores a typed date; only the POS till's free-text date can come in another format.
    if (source == kPos) r.birth_other_format = noise.Roll(rng, kDateFormat);
    if (noise.Roll(rng, kMissing)) r.birth_year = 0;
  }
  return r;
}

std::string FullName(const Record& r) {
  if (r.first.empty()) return r.last;
  if (r.last.empty()) return r.first;
  return r.first + " " + r.last;
}

// ---------------------------------------------------------------------------------------------------------
// Timestamps, as each system writes them. seconds count from 2018-01-01T00:00:00Z.

struct Civil {
  int year, month, day, hour, minute, second;
};

Civil ToCivil(int64_t seconds) {
  Civil c{};
  CivilFromDays(kBaseDay + seconds / 86400, &c.year, &c.month, &c.day);
  int64_t of_day = seconds % 86400;
  c.hour = static_cast<int>(of_day / 3600);
  c.minute = static_cast<int>(of_day / 60 % 60);
  c.second = static_cast<int>(of_day % 60);
  return c;
}

// "2021-03-04T05:06:07" (+ suffix), or with a space instead of the T.
void AppendTimestamp(std::string* out, int64_t seconds, char separator, std::string_view suffix) {
  Civil c = ToCivil(seconds);
  AppendDate(out, c.year, c.month, c.day, DateFormat::kIso);
  out->push_back(separator);
  AppendPadded(out, c.hour, 2);
  out->push_back(':');
  AppendPadded(out, c.minute, 2);
  out->push_back(':');
  AppendPadded(out, c.second, 2);
  out->append(suffix);
}

// ---------------------------------------------------------------------------------------------------------
// Table schemas: the columns of each table, written into the entity documents.

struct ColumnDef {
  const char* name;
  cdm::DataFormat format;
  int max_length;        // strings; 0: not declared
  const char* semantic;  // the CDM semantic type a unify mapping would give it, as the description ("" for none)
};

struct TableDef {
  const char* name;
  const char* prefix;  // partition file prefix
  bool header;         // CSV header row
  bool profile;
  const char* description;
  std::vector<ColumnDef> columns;  // the first is the primary key
};

using F = cdm::DataFormat;

// clang-format off
std::vector<TableDef> TableDefs() {
  return {
      {kErpCustomerSource, "CUSTCUSTOMERV3ENTITY", false, true,
       "ERP customers (D365 Finance and Operations customer entity, company usmf)",
       {{"CUSTOMERACCOUNT", F::kString, 20, "Identity.Service.CustomerId"}, {"DATAAREAID", F::kString, 4, ""},
        {"PARTYTYPE", F::kString, 20, ""}, {"ORGANIZATIONNAME", F::kString, 100, "Person.FullName"},
        {"PERSONFIRSTNAME", F::kString, 25, "Person.FirstName"}, {"PERSONLASTNAME", F::kString, 25, "Person.LastName"},
        {"PRIMARYCONTACTEMAIL", F::kString, 255, "Identity.Service.Email"},
        {"PRIMARYCONTACTPHONE", F::kString, 255, "Identity.Service.Phone"},
        {"ADDRESSSTREET", F::kString, 250, "Location.Address"}, {"ADDRESSCITY", F::kString, 60, "Location.City"},
        {"ADDRESSSTATE", F::kString, 10, "Location.StateOrProvince"},
        {"ADDRESSZIPCODE", F::kString, 10, "Location.PostalCode"},
        {"ADDRESSCOUNTRYREGIONID", F::kString, 10, "Location.CountryOrRegion"},
        {"CUSTOMERGROUPID", F::kString, 10, ""}, {"MODIFIEDDATETIME", F::kDateTime, 0, ""},
        {"RECID", F::kInt64, 0, ""}}},
      {kCrmContactSource, "CONTACT", false, true, "CRM contacts (Dataverse contact)",
       {{"contactid", F::kGuid, 0, "Identity.Service.CustomerId"}, {"firstname", F::kString, 50, "Person.FirstName"},
        {"lastname", F::kString, 50, "Person.LastName"}, {"fullname", F::kString, 160, "Person.FullName"},
        {"emailaddress1", F::kString, 100, "Identity.Service.Email"},
        {"telephone1", F::kString, 50, "Identity.Service.Phone"},
        {"address1_line1", F::kString, 250, "Location.Address"}, {"address1_city", F::kString, 80, "Location.City"},
        {"address1_stateorprovince", F::kString, 50, "Location.StateOrProvince"},
        {"address1_postalcode", F::kString, 20, "Location.PostalCode"},
        {"birthdate", F::kDate, 0, "Person.BirthDate"}, {"createdon", F::kDateTime, 0, ""},
        {"modifiedon", F::kDateTime, 0, ""}}},
      {kLoyaltySource, "LOYALTYMEMBER", true, true, "POS loyalty members",
       {{"LoyaltyId", F::kString, 12, "Identity.Service.CustomerId"}, {"Name", F::kString, 120, "Person.FullName"},
        {"Email", F::kString, 100, "Identity.Service.Email"}, {"Phone", F::kString, 40, "Identity.Service.Phone"},
        {"ZipCode", F::kString, 10, "Location.PostalCode"}, {"BirthDate", F::kString, 10, "Person.BirthDate"},
        {"JoinDate", F::kString, 10, ""}, {"Tier", F::kString, 10, ""}, {"RewardPoints", F::kInt32, 0, ""}}},
      {"SalesOrderHeaderV2Entity", "SALESORDERHEADERV2ENTITY", false, false,
       "ERP sales orders (activity SalesOrder, by CUSTOMERACCOUNT)",
       {{"SALESORDERNUMBER", F::kString, 20, ""}, {"DATAAREAID", F::kString, 4, ""},
        {"ORDERINGCUSTOMERACCOUNTNUMBER", F::kString, 20, ""}, {"ORDERCREATIONDATETIME", F::kDateTime, 0, ""},
        {"CURRENCYCODE", F::kString, 3, ""}, {"ORDERTOTALAMOUNT", F::kDecimal, 0, ""}, {"RECID", F::kInt64, 0, ""}}},
      {"OnlinePurchase", "ONLINEPURCHASE", true, false, "Web shop orders (activity SalesOrder, by contactid)",
       {{"OrderId", F::kString, 20, ""}, {"contactid", F::kGuid, 0, ""}, {"PurchasedOn", F::kDateTime, 0, ""},
        {"TotalPrice", F::kDecimal, 0, ""}, {"Channel", F::kString, 10, ""}}},
      {"PosPurchase", "POSPURCHASE", true, false, "Store purchases (activity SalesOrder, by LoyaltyId)",
       {{"PurchaseId", F::kString, 20, ""}, {"LoyaltyId", F::kString, 12, ""}, {"StoreId", F::kString, 10, ""},
        {"PurchasedOn", F::kDateTime, 0, ""}, {"TotalPrice", F::kDecimal, 0, ""}, {"ItemCount", F::kInt32, 0, ""}}},
  };
}
// clang-format on

enum Table : int { kErpTable, kCrmTable, kPosTable, kErpOrders, kOnlineOrders, kPosPurchases, kTableCount };

std::string HeaderLine(const TableDef& t) {
  if (!t.header) return "";
  std::string line;
  for (const ColumnDef& c : t.columns) line += (line.empty() ? "" : ",") + std::string(c.name);
  return line;
}

cdm::EntityOutput EntityOutput(const TableDef& t, const WrittenTable& written) {
  cdm::EntityOutput out;
  out.entity.name = t.name;
  out.entity.description = t.description;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    const ColumnDef& c = t.columns[i];
    cdm::Attribute a;
    a.name = c.name;
    a.format = c.format;
    if (c.max_length > 0) a.maximum_length = c.max_length;
    if (c.format == F::kDecimal) {
      a.precision = 32;
      a.scale = 2;
    }
    a.primary_key = i == 0;
    a.nullable = i != 0;
    a.description = c.semantic;
    out.entity.attributes.push_back(std::move(a));
  }
  out.document = std::string(t.name) + ".cdm.json";
  out.csv.header = t.header;
  out.partitions = written.files;
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The generator: makes entities one by one and writes each one's records, activities and truth rows.

class Generator {
 public:
  Generator(FileSystem& fs, const CustomerOptions& options, std::string root, Progress* progress)
      : fs_(fs),
        options_(options),
        root_(std::move(root)),
        progress_(progress),
        noise_(RatesFor(options.noise)),
        defs_(TableDefs()) {
    email_modulus_ = 1000;
    while (email_modulus_ < options.customers * 10) email_modulus_ *= 10;
    for (int t = 0; t < kTableCount; ++t) {
      writers_[t] = std::make_unique<CsvTableWriter>(fs_, root_, defs_[t].name, defs_[t].prefix,
                                                     HeaderLine(defs_[t]), kRowsPerFile);
    }
    truth_ = std::make_unique<CsvTableWriter>(fs_, root_, "_truth", "customers_truth", "source,key,entity",
                                              INT64_MAX);
  }

  CustomerSummary Run() {
    int64_t unreported = 0;
    for (int64_t i = 0; i < options_.customers; ++i) {
      Entity e = MakeEntity(i);
      summary_.organizations += e.organization;
      Random rng = Random::Derive(options_.seed, kEntityStream + 1, static_cast<uint64_t>(i));
      for (int s : Sources(e, rng)) {
        WriteRecord(e, static_cast<Source>(s));
        // A duplicate: the same entity entered again later, with its own key and its own noise.
        if (noise_.Roll(rng, kDuplicate)) {
          pending_.emplace(i + rng.Range(1, kDuplicateDelay), std::make_pair(static_cast<Source>(s), e));
        }
      }
      while (!pending_.empty() && pending_.begin()->first <= i) WritePending();
      if (++unreported == kProgressEntities && progress_ != nullptr) {
        progress_->Add(static_cast<uint64_t>(unreported));
        unreported = 0;
      }
    }
    while (!pending_.empty()) WritePending();
    if (progress_ != nullptr) progress_->Add(static_cast<uint64_t>(unreported));
    return Finish();
  }

 private:
  Entity MakeEntity(int64_t i) {
    Random rng = Random::Derive(options_.seed, kEntityStream, static_cast<uint64_t>(i));
    Entity e;
    e.index = i;
    e.since = rng.Range(0, kHistorySeconds - 1);
    if (household_.remaining == 0 && rng.Chance(kOrganizationShare)) {
      e.organization = true;
      std::string word(PickCompanyWord(rng)), kind(PickCompanyKind(rng));
      e.org_name = word + " " + kind + " " + std::string(PickCompanySuffix(rng));
      e.address = MakeAddress(rng);
      e.phone = MakePhone(rng, *e.address.city);
      e.email = "info@" + EmailToken(word) + EmailToken(kind);
      AppendInt(&e.email, (i * 14348907 + 7777) % email_modulus_);
      e.email += ".com";
      return e;
    }
    if (household_.remaining > 0) {
      --household_.remaining;
      e.last = rng.Chance(kHouseholdSameSurname) ? household_.last : std::string(PickLastName(rng));
      std::string_view first;
      do {
        first = PickFirstName(rng);
      } while (std::find(household_.first_names.begin(), household_.first_names.end(), first) !=
               household_.first_names.end());
      household_.first_names.push_back(first);
      e.first = std::string(first);
      e.address = household_.address;
      e.phone = household_.phone;
      ++summary_.household_members;
    } else {
      std::string_view first = PickFirstName(rng);
      e.first = std::string(first);
      e.last = std::string(PickLastName(rng));
      e.address = MakeAddress(rng);
      e.phone = MakePhone(rng, *e.address.city);
      if (rng.Chance(kHouseholdStart)) {
        household_ = {static_cast<int>(rng.Range(1, 3)), e.address, e.phone, e.last, {first}};
        ++summary_.households;
        ++summary_.household_members;
      }
    }
    int64_t birth = rng.Range(DaysFromCivil(1940, 1, 1), DaysFromCivil(2006, 12, 31));
    CivilFromDays(birth, &e.birth_year, &e.birth_month, &e.birth_day);
    e.email = PersonEmail(rng, e.first, e.last, i, email_modulus_, PickEmailDomain(rng));
    return e;
  }

  // The sources an entity is in: organizations only in the ERP, persons in a random non-empty subset.
  std::vector<int> Sources(const Entity& e, Random& rng) {
    if (e.organization) return {kErp};
    std::vector<int> sources;
    if (rng.Chance(kInErp)) sources.push_back(kErp);
    if (rng.Chance(kInCrm)) sources.push_back(kCrm);
    if (rng.Chance(kInPos)) sources.push_back(kPos);
    if (sources.empty()) sources.push_back(static_cast<int>(rng.Uniform(kSourceCount)));
    return sources;
  }

  void WritePending() {
    auto it = pending_.begin();
    WriteRecord(it->second.second, it->second.first);
    pending_.erase(it);
  }

  void WriteRecord(const Entity& e, Source source) {
    int64_t n = record_count_[source]++;
    Random rng = Random::Derive(options_.seed, kRecordStream + static_cast<uint64_t>(source), static_cast<uint64_t>(n));
    Record r = MakeRecord(e, source, rng, noise_, email_modulus_);
    key_.clear();
    int64_t modified = std::min(kHistorySeconds - 1, e.since + rng.Range(0, 400 * 86400));
    switch (source) {
      case kErp:
        key_ = "US-";
        AppendPadded(&key_, n + 1, 7);
        WriteErp(e, r, n, modified);
        break;
      case kCrm:
        AppendGuid(&key_, n);
        WriteCrm(r, e.since, modified);
        break;
      case kPos:
        // A bijection of the record number onto nine digits (3^18 is prime to 10), so ids look random.
        key_ = "LOY";
        AppendPadded(&key_, (n * 387420489 + 123456789) % 1'000'000'000, 9);
        WritePos(r, rng, e.since);
        break;
      case kSourceCount:
        break;
    }
    WriteActivities(source, e.since);
    CsvTableWriter& t = *truth_;
    t.Text(kSourceNames[source]);
    t.Text(key_);
    std::string& out = t.Raw();
    out.push_back('E');
    AppendInt(&out, e.index + 1);
    t.EndField();
    t.EndRow();
  }

  void AppendGuid(std::string* out, int64_t n) {
    Random rng = Random::Derive(options_.seed, kGuidStream, static_cast<uint64_t>(n));
    uint64_t hi = rng.Next(), lo = rng.Next();
    hi = (hi & ~0xF000ULL) | 0x4000ULL;                   // version 4
    lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
      if (i == 8 || i == 12 || i == 16 || i == 20) out->push_back('-');
      uint64_t word = i < 16 ? hi : lo;
      out->push_back(kHex[(word >> (60 - 4 * (i % 16))) & 0xF]);
    }
  }

  void WriteErp(const Entity& e, const Record& r, int64_t n, int64_t modified) {
    CsvTableWriter& w = *writers_[kErpTable];
    // F&O writes every string quoted, and "" (never NULL) for an empty one.
    w.Quoted(key_);
    w.Quoted("usmf");
    w.Quoted(e.organization ? "Organization" : "Person");
    w.Quoted(e.organization ? r.org_name : FullName(r));
    w.Quoted(r.first);
    w.Quoted(r.last);
    w.Quoted(r.email);
    w.Quoted(r.phone);
    w.Quoted(r.street);
    w.Quoted(r.city->city);
    w.Quoted(r.city->state);
    std::string& out = w.Raw();
    out.push_back('"');
    AppendPadded(&out, r.zip, 5);
    out.push_back('"');
    w.EndField();
    w.Quoted("USA");
    w.Quoted(e.organization ? "30" : (e.index % 3 == 0 ? "10" : "20"));
    out.push_back('"');
    AppendTimestamp(&out, modified, 'T', ".0000000Z\"");
    w.EndField();
    w.Int(kRecIdBase + n);
    w.EndRow();
  }

  void WriteCrm(const Record& r, int64_t created, int64_t modified) {
    CsvTableWriter& w = *writers_[kCrmTable];
    // Dataverse leaves a missing value empty (NULL) and quotes only what needs it.
    w.Text(key_);
    w.Text(r.first);
    w.Text(r.last);
    w.Text(FullName(r));
    w.Text(r.email);
    w.Text(r.phone);
    w.Text(r.street);
    w.Text(r.city->city);
    w.Text(r.city->state);
    std::string& out = w.Raw();
    AppendPadded(&out, r.zip, 5);
    w.EndField();
    if (r.birth_year != 0) AppendDate(&out, r.birth_year, r.birth_month, r.birth_day, DateFormat::kIso);
    w.EndField();
    AppendTimestamp(&out, created, 'T', "Z");
    w.EndField();
    AppendTimestamp(&out, modified, 'T', "Z");
    w.EndField();
    w.EndRow();
  }

  void WritePos(const Record& r, Random& rng, int64_t joined) {
    CsvTableWriter& w = *writers_[kPosTable];
    w.Text(key_);
    // The till has one name field: "First Last", sometimes "Last, First".
    if (!r.first.empty() && !r.last.empty() && rng.Chance(kPosLastCommaFirst)) {
      w.Text(r.last + ", " + r.first);
    } else {
      w.Text(FullName(r));
    }
    w.Text(r.email);
    w.Text(r.phone);
    std::string& out = w.Raw();
    AppendPadded(&out, r.zip, 5);
    w.EndField();
    if (r.birth_year != 0) {
      DateFormat format = DateFormat::kUsSlashes;
      if (r.birth_other_format) format = rng.Chance(0.5) ? DateFormat::kIso : DateFormat::kEuropeDots;
      AppendDate(&out, r.birth_year, r.birth_month, r.birth_day, format);
    }
    w.EndField();
    Civil j = ToCivil(joined);
    AppendDate(&out, j.year, j.month, j.day, DateFormat::kUsSlashes);
    w.EndField();
    static constexpr std::string_view kTiers[] = {"Bronze", "Bronze", "Bronze", "Silver", "Silver", "Gold"};
    w.Text(rng.Pick(kTiers));
    w.Int(rng.Range(0, 5000));
    w.EndRow();
  }

  // The activities of the record just written (key_), dated after the entity's first contact.
  void WriteActivities(Source source, int64_t since) {
    Random rng = Random::Derive(options_.seed, kActivityStream + static_cast<uint64_t>(source),
                                static_cast<uint64_t>(record_count_[source]));
    int count = static_cast<int>(rng.Uniform(source == kPos ? 5 : 4));
    for (int k = 0; k < count; ++k) {
      int64_t at = rng.Range(since, kHistorySeconds - 1);
      int64_t n = activity_count_[source]++;
      switch (source) {
        case kErp: {
          CsvTableWriter& w = *writers_[kErpOrders];
          std::string& out = w.Raw();
          out += "\"SO-";
          AppendPadded(&out, n + 1, 9);
          out.push_back('"');
          w.EndField();
          w.Quoted("usmf");
          w.Quoted(key_);
          out.push_back('"');
          AppendTimestamp(&out, at, 'T', ".0000000Z\"");
          w.EndField();
          w.Quoted("USD");
          w.Cents(rng.Range(500, 2'500'000));
          w.Int(kRecIdBase + n);
          w.EndRow();
          break;
        }
        case kCrm: {
          CsvTableWriter& w = *writers_[kOnlineOrders];
          std::string& out = w.Raw();
          out += "WEB";
          AppendPadded(&out, n + 1, 9);
          w.EndField();
          w.Text(key_);
          AppendTimestamp(&out, at, 'T', "Z");
          w.EndField();
          w.Cents(rng.Range(199, 50'000));
          w.Text(rng.Chance(0.6) ? "Web" : "App");
          w.EndRow();
          break;
        }
        case kPos: {
          CsvTableWriter& w = *writers_[kPosPurchases];
          std::string& out = w.Raw();
          out += "P";
          AppendPadded(&out, n + 1, 10);
          w.EndField();
          w.Text(key_);
          out += "S";
          AppendPadded(&out, rng.Range(1, 60), 3);
          w.EndField();
          AppendTimestamp(&out, at, ' ', "");
          w.EndField();
          w.Cents(rng.Range(99, 30'000));
          w.Int(rng.Range(1, 12));
          w.EndRow();
          break;
        }
        case kSourceCount:
          break;
      }
    }
  }

  CustomerSummary Finish() {
    std::vector<cdm::EntityOutput> entities;
    for (int t = 0; t < kTableCount; ++t) {
      WrittenTable written = writers_[t]->Finish();
      summary_.bytes_written += written.bytes;
      summary_.tables.push_back(
          {defs_[t].name, defs_[t].profile, written.rows, static_cast<int>(written.files.size())});
      if (defs_[t].profile) summary_.profile_records += written.rows;
      entities.push_back(EntityOutput(defs_[t], written));
    }
    for (const cdm::EntityOutput& e : entities) {
      std::string doc = cdm::EntityDocument(e.entity);
      fs_.WriteFileAtomic(JoinPath(root_, e.document), doc);
      summary_.bytes_written += doc.size();
    }
    std::string manifest = cdm::ManifestDocument(kCustomersFolder, entities);
    fs_.WriteFileAtomic(JoinPath(root_, std::string(kCustomersFolder) + ".manifest.cdm.json"), manifest);
    summary_.bytes_written += manifest.size();

    // The truth file last, under its fixed name (the writer numbers its files).
    WrittenTable truth = truth_->Finish();
    summary_.bytes_written += truth.bytes;
    fs_.Rename(JoinPath(root_, truth.files.front()), JoinPath(root_, "_truth/customers_truth.csv"));

    summary_.entities = options_.customers;
    summary_.noise = noise_.tally();
    return summary_;
  }

  FileSystem& fs_;
  const CustomerOptions& options_;
  std::string root_;
  Progress* progress_;
  Noise noise_;
  std::vector<TableDef> defs_;
  int64_t email_modulus_ = 1000;
  std::unique_ptr<CsvTableWriter> writers_[kTableCount];
  std::unique_ptr<CsvTableWriter> truth_;
  Household household_;
  std::multimap<int64_t, std::pair<Source, Entity>> pending_;  // duplicates by the entity index to write them at
  int64_t record_count_[kSourceCount] = {};
  int64_t activity_count_[kSourceCount] = {};
  std::string key_;  // the key of the record being written
  CustomerSummary summary_;
};

}  // namespace

CustomerSummary GenerateCustomers(FileSystem& fs, const CustomerOptions& options, Progress* progress) {
  if (options.out_dir.empty() || options.out_dir.front() != '/') {
    throw Error(ErrorKind::kUser, "the output directory must be an absolute path, got '" + options.out_dir + "'");
  }
  if (options.customers < 1 || options.customers > kMaxCustomers) {
    throw Error(ErrorKind::kUser, "--customers must be between 1 and " + std::to_string(kMaxCustomers) + ", got " +
                                      std::to_string(options.customers));
  }
  std::string root = JoinPath(NormalizePath(options.out_dir), kCustomersFolder);
  fs.CreateDirectories(root);
  Generator generator(fs, options, root, progress);
  return generator.Run();
}

}  // namespace cdmlake::generate

#include "generate/d365_lake.h"

#include "generate/calendar.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <memory>
#include <nlohmann/json.hpp>
#include <span>
#include <string_view>

#include "generate/random.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::generate {

namespace {

using Json = nlohmann::ordered_json;

// ---------------------------------------------------------------------------------------------------------
// Constants of the F&O export.

// Every row of a single-partition F&O database carries this PARTITION value, and RecIds start at it too.
constexpr int64_t kPartition = 5637144576;
constexpr std::string_view kPartitionText = "5637144576";
// The export starts a new CSV file after this many rows.
constexpr int64_t kRowsPerPartition = 500000;
// F&O's "no date" (dateNull()) as the export writes it: no time zone designator.
constexpr std::string_view kEmptyDate = "\"1900-01-01T00:00:00.0000000\"";
// F&O's "never expires" (DateTimeUtil::maxValue()) of valid-time-state tables.
constexpr std::string_view kMaxDate = "\"2154-12-31T23:59:59.0000000Z\"";
// Days from 1970-01-01 to 2020-01-01, the base of every generated date.
constexpr int64_t kBaseDay = 18262;
constexpr int64_t kDay = 86400;
// Table ids written into INSTANCERELATIONTYPE (the concrete type of a row of an inheritance hierarchy).
constexpr int64_t kDirPersonTableId = 2975;
constexpr int64_t kDirOrganizationTableId = 2978;
constexpr int64_t kEcoResDistinctProductTableId = 3265;

// Rows are built in a buffer and handed to the WritableFile in chunks of a little over this size: one Append
// per chunk keeps the per-row cost to the formatting itself, on the real and on the in-memory file system, and
// a chunk at least as large as the real file's own 1 MiB buffer is written through without another copy.
constexpr size_t kChunkBytes = 1 << 20;
// Progress is reported every this many rows, so that Progress::Add stays off the per-row path.
constexpr int64_t kProgressRows = 8192;

// ---------------------------------------------------------------------------------------------------------
// The shape of the lake: how many rows each table gets for a scale.

struct Shape {
  int64_t customers;  // CustTable, DirPartyTable and LogisticsPostalAddress rows
  int64_t items;      // InventTable and EcoResProduct rows
  int64_t orders;     // SalesTable rows
  int64_t lines;      // SalesLine rows
};

constexpr int64_t kCustGroupRows = 6;

Shape ComputeShape(int64_t scale) {
  return Shape{std::max<int64_t>(20, scale / 50), std::max<int64_t>(20, scale / 200), std::max<int64_t>(10, scale / 4),
               scale};
}

// Which table a row belongs to; also selects the table's RECID range and its random stream.
enum TableId : int {
  kDirPartyTable,
  kLogisticsPostalAddress,
  kCustTable,
  kCustGroup,
  kSalesTable,
  kSalesLine,
  kInventTable,
  kEcoResProduct,
  kTableCount,
};

// Random streams that are not a table's own row stream.
enum Stream : uint64_t {
  kCustomerStream = 100,
  kItemStream,
  kOrderStream,
  kLineCountStream,
};

// RECIDs are unique per table (as in F&O); giving each table its own range also makes them unique across the
// lake, so a join on the wrong column finds nothing instead of something plausible.
int64_t RecId(int table, int64_t index) { return kPartition + table * kMaxD365LakeScale + index; }
// LogisticsLocation RecIds, referenced by DirPartyTable.PRIMARYADDRESSLOCATION and LogisticsPostalAddress.
int64_t LocationId(int64_t index) { return RecId(kTableCount, index); }

// ---------------------------------------------------------------------------------------------------------
// Schema: the columns of each table and the metadata the entity documents declare.

enum class Type { kInt64, kInt32, kString, kDecimal, kDateTime };

struct EnumValue {
  int value;
  const char* symbol;
  const char* label;
};

constexpr EnumValue kSalesStatus[] = {{0, "None", "None"},
                                      {1, "Backorder", "Open order"},
                                      {2, "Delivered", "Delivered"},
                                      {3, "Invoiced", "Invoiced"},
                                      {4, "Canceled", "Canceled"}};
constexpr EnumValue kSalesType[] = {{0, "Journal", "Journal"},
                                    {1, "Quotation", "Quotation"},
                                    {2, "Subscription", "Subscription"},
                                    {3, "Sales", "Sales order"},
                                    {4, "ReturnItem", "Returned order"}};
constexpr EnumValue kCustVendorBlocked[] = {{0, "No", "No"}, {1, "Invoice", "Invoice"}, {2, "All", "All"}};
constexpr EnumValue kEcoResProductType[] = {{1, "Item", "Item"}, {2, "Service", "Service"}};
constexpr EnumValue kItemType[] = {{0, "Item", "Item"}, {1, "BOM", "BOM"}, {2, "Service", "Service"}};

constexpr int kStatusBackorder = 1, kStatusDelivered = 2, kStatusInvoiced = 3, kStatusCanceled = 4;
constexpr int kTypeJournal = 0, kTypeQuotation = 1, kTypeSubscription = 2, kTypeSales = 3, kTypeReturn = 4;

struct Column {
  std::string name;
  Type type;
  int max_length = 0;                   // kString only
  std::span<const EnumValue> values{};  // kInt32 enums only
};

Column Str(std::string name, int max_length) { return {std::move(name), Type::kString, max_length}; }
Column Int64(std::string name) { return {std::move(name), Type::kInt64}; }
Column Int32(std::string name) { return {std::move(name), Type::kInt32}; }
Column Enum(std::string name, std::span<const EnumValue> values) { return {std::move(name), Type::kInt32, 0, values}; }
Column Dec(std::string name) { return {std::move(name), Type::kDecimal}; }
Column Date(std::string name) { return {std::move(name), Type::kDateTime}; }

struct TableDef {
  TableId id;
  std::string name;
  std::string folder;         // lake-relative folder of the leaf manifest
  bool resolved_doc = false;  // entity document in a resolved/ subfolder
  bool pattern = false;       // declared by dataPartitionPatterns instead of dataPartitions
  std::vector<Column> columns;

  // Partition files: SalesTable and SalesLine are always split (when they can be), so that even small lakes
  // exercise multi-file tables.
  int Partitions(int64_t rows) const {
    int64_t n = (rows + kRowsPerPartition - 1) / kRowsPerPartition;
    if ((id == kSalesTable || id == kSalesLine) && rows >= 2) n = std::max<int64_t>(n, 2);
    return static_cast<int>(n);
  }
  std::string EntityPath() const { return (resolved_doc ? "resolved/" : "") + name + ".cdm.json/" + name; }
  std::string FilePrefix() const {
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return upper;
  }
};

// The common tail of every table: company, database partition and optimistic-concurrency version.
void AddSystemColumns(std::vector<Column>* columns, bool company) {
  if (company) columns->push_back(Str("DATAAREAID", 4));
  columns->push_back(Int64("PARTITION"));
  columns->push_back(Int32("RECVERSION"));
}

// clang-format off
std::vector<TableDef> TableDefs() {
  const std::string gab = "Tables/CommonCore/GlobalAddressBook/Main";
  const std::string ar = "Tables/Finance/AccountsReceivable";
  const std::string sales = "Tables/SupplyChain/SalesAndMarketing";
  const std::string pim = "Tables/SupplyChain/ProductInformationManagement/Main";
  std::vector<TableDef> t(kTableCount);
  t[kDirPartyTable] = {kDirPartyTable, "DirPartyTable", gab, false, false,
                       {Int64("RECID"), Str("PARTYNUMBER", 40), Str("NAME", 100), Str("NAMEALIAS", 20),
                        Str("LANGUAGEID", 7), Int64("INSTANCERELATIONTYPE"), Int64("PRIMARYADDRESSLOCATION")}};
  AddSystemColumns(&t[kDirPartyTable].columns, false);
  t[kLogisticsPostalAddress] = {kLogisticsPostalAddress, "LogisticsPostalAddress", gab, false, false,
                                {Int64("RECID"), Int64("LOCATION"), Str("ADDRESS", 250), Str("STREET", 250),
                                 Str("CITY", 60), Str("STATE", 10), Str("ZIPCODE", 10), Str("COUNTRYREGIONID", 10),
                                 Date("VALIDFROM"), Date("VALIDTO")}};
  AddSystemColumns(&t[kLogisticsPostalAddress].columns, false);
  t[kCustTable] = {kCustTable, "CustTable", ar + "/Main", false, false,
                   {Int64("RECID"), Str("ACCOUNTNUM", 20), Int64("PARTY"), Str("CUSTGROUP", 10), Str("CURRENCY", 3),
                    Dec("CREDITMAX"), Enum("BLOCKED", kCustVendorBlocked), Date("CREATEDDATETIME"),
                    Date("MODIFIEDDATETIME")}};
  AddSystemColumns(&t[kCustTable].columns, true);
  t[kCustGroup] = {kCustGroup, "CustGroup", ar + "/Group", false, false,
                   {Int64("RECID"), Str("CUSTGROUP", 10), Str("NAME", 60), Str("PAYMTERMID", 10)}};
  AddSystemColumns(&t[kCustGroup].columns, true);
  t[kSalesTable] = {kSalesTable, "SalesTable", sales + "/Main", false, false,
                    {Int64("RECID"), Str("SALESID", 20), Str("CUSTACCOUNT", 20), Str("SALESNAME", 60),
                     Enum("SALESSTATUS", kSalesStatus), Enum("SALESTYPE", kSalesType), Str("CURRENCYCODE", 3),
                     Date("DELIVERYDATE"), Date("SHIPPINGDATECONFIRMED"), Date("CREATEDDATETIME")}};
  AddSystemColumns(&t[kSalesTable].columns, true);
  t[kSalesLine] = {kSalesLine, "SalesLine", sales + "/WorksheetLine", false, false,
                   {Int64("RECID"), Str("SALESID", 20), Dec("LINENUM"), Str("ITEMID", 20), Str("NAME", 1000),
                    Dec("SALESQTY"), Dec("SALESPRICE"), Dec("LINEAMOUNT"), Str("CURRENCYCODE", 3),
                    Enum("SALESSTATUS", kSalesStatus), Str("CUSTACCOUNT", 20), Date("SHIPPINGDATEREQUESTED"),
                    Date("SHIPPINGDATECONFIRMED"), Date("CREATEDDATETIME")}};
  AddSystemColumns(&t[kSalesLine].columns, true);
  t[kInventTable] = {kInventTable, "InventTable", pim, true, true,
                     {Int64("RECID"), Str("ITEMID", 20), Int64("PRODUCT"), Enum("ITEMTYPE", kItemType),
                      Str("NAMEALIAS", 20), Dec("NETWEIGHT")}};
  AddSystemColumns(&t[kInventTable].columns, true);
  t[kEcoResProduct] = {kEcoResProduct, "EcoResProduct", pim, true, false,
                       {Int64("RECID"), Str("DISPLAYPRODUCTNUMBER", 70), Str("SEARCHNAME", 20),
                        Enum("PRODUCTTYPE", kEcoResProductType), Int64("INSTANCERELATIONTYPE")}};
  AddSystemColumns(&t[kEcoResProduct].columns, false);
  return t;
}
// clang-format on

struct Relationship {
  TableId from;
  const char* from_attribute;
  TableId to;
  const char* to_attribute;
};

constexpr Relationship kRelationships[] = {
    {kSalesLine, "SALESID", kSalesTable, "SALESID"},        {kSalesLine, "ITEMID", kInventTable, "ITEMID"},
    {kSalesTable, "CUSTACCOUNT", kCustTable, "ACCOUNTNUM"}, {kCustTable, "PARTY", kDirPartyTable, "RECID"},
    {kInventTable, "PRODUCT", kEcoResProduct, "RECID"},
};

int64_t TableRows(TableId id, const Shape& shape) {
  switch (id) {
    case kDirPartyTable:
    case kLogisticsPostalAddress:
    case kCustTable:
      return shape.customers;
    case kCustGroup:
      return kCustGroupRows;
    case kSalesTable:
      return shape.orders;
    case kSalesLine:
      return shape.lines;
    case kInventTable:
    case kEcoResProduct:
      return shape.items;
    case kTableCount:
      break;
  }
  throw Error(ErrorKind::kInternal, "unknown generated table");
}

// ---------------------------------------------------------------------------------------------------------
// Formatting helpers. Everything appends to a caller's buffer: no temporary strings on the per-row path.

void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, result.ptr);
}

// v in decimal, left-padded with zeros to at least width digits.
void AppendPadded(std::string* out, uint64_t v, int width) {
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, v);
  int digits = static_cast<int>(result.ptr - buf);
  if (digits < width) out->append(static_cast<size_t>(width - digits), '0');
  out->append(buf, result.ptr);
}

constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

// units / 10^scale as a plain decimal: no exponent, no trailing fractional zeros, no '.' for whole numbers
// ("12.5", "-3", "1234.56"), which is how the export writes numeric(32,6) values.
void AppendDecimal(std::string* out, int64_t units, int scale) {
  uint64_t magnitude = units < 0 ? 0 - static_cast<uint64_t>(units) : static_cast<uint64_t>(units);
  if (units < 0) out->push_back('-');
  uint64_t p = static_cast<uint64_t>(kPow10[scale]);
  char buf[24];
  auto result = std::to_chars(buf, buf + sizeof buf, magnitude / p);
  out->append(buf, result.ptr);
  uint64_t fraction = magnitude % p;
  if (fraction == 0) return;
  char digits[8];
  for (int i = scale - 1; i >= 0; --i) {
    digits[i] = static_cast<char>('0' + fraction % 10);
    fraction /= 10;
  }
  int length = scale;
  while (digits[length - 1] == '0') --length;
  out->push_back('.');
  out->append(digits, static_cast<size_t>(length));
}

void PutDigits(char* at, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    at[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// A quoted UTC timestamp as the export writes it, e.g. "2021-03-04T05:06:07.0000000Z"; seconds count from
// 2020-01-01T00:00:00Z and must not be negative.
void AppendDateTime(std::string* out, int64_t seconds) {
  int year, month, day;
  CivilFromDays(kBaseDay + seconds / kDay, &year, &month, &day);
  int64_t of_day = seconds % kDay;
  char buf[] = "\"YYYY-MM-DDTHH:MM:SS.0000000Z\"";
  PutDigits(buf + 1, year, 4);
  PutDigits(buf + 6, month, 2);
  PutDigits(buf + 9, day, 2);
  PutDigits(buf + 12, static_cast<int>(of_day / 3600), 2);
  PutDigits(buf + 15, static_cast<int>(of_day / 60 % 60), 2);
  PutDigits(buf + 18, static_cast<int>(of_day % 60), 2);
  out->append(buf, sizeof buf - 1);
}

// s as a CSV string field: always quoted, embedded quotes doubled (RFC 4180); commas and line breaks need
// nothing else inside quotes.
void AppendQuoted(std::string* out, std::string_view s) {
  out->push_back('"');
  while (true) {
    size_t quote = s.find('"');
    if (quote == std::string_view::npos) break;
    out->append(s.data(), quote + 1);
    out->push_back('"');
    s.remove_prefix(quote + 1);
  }
  out->append(s);
  out->push_back('"');
}

std::string Quoted(std::string_view s) {
  std::string out;
  AppendQuoted(&out, s);
  return out;
}

// The first max_bytes bytes of s, shortened further so that no UTF-8 sequence is cut.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return s.substr(0, n);
}

// Rounds numerator / denominator to the nearest integer, halves away from zero (as F&O rounds amounts).
int64_t RoundDiv(int64_t numerator, int64_t denominator) {
  int64_t half = denominator / 2;
  return numerator >= 0 ? (numerator + half) / denominator : -((-numerator + half) / denominator);
}

// ---------------------------------------------------------------------------------------------------------
// Writing one table: rows are formatted field by field into a chunk buffer and streamed into numbered
// partition files, starting the next file when a partition's share of the rows is written.

class TableWriter {
 public:
  TableWriter(FileSystem& fs, const std::string& dir, std::string prefix, int64_t rows, int partitions,
              Progress* progress)
      : fs_(fs), dir_(dir), prefix_(std::move(prefix)), rows_(rows), partitions_(partitions), progress_(progress) {
    buffer_.reserve(kChunkBytes + (64 << 10));
    OpenPartition();
  }
  TableWriter(const TableWriter&) = delete;
  TableWriter& operator=(const TableWriter&) = delete;

  // Field appenders: each adds one field and its trailing comma; EndRow turns the last comma into '\n'.
  void Int(int64_t v) {
    AppendInt(&buffer_, v);
    buffer_.push_back(',');
  }
  void Str(std::string_view s) {
    AppendQuoted(&buffer_, s);
    buffer_.push_back(',');
  }
  // A field that is already formatted (a number, or a string quoted with Quoted()).
  void Raw(std::string_view formatted) {
    buffer_.append(formatted);
    buffer_.push_back(',');
  }
  void Decimal(int64_t units, int scale) {
    AppendDecimal(&buffer_, units, scale);
    buffer_.push_back(',');
  }
  void DateTime(int64_t seconds) {
    AppendDateTime(&buffer_, seconds);
    buffer_.push_back(',');
  }
  // A date that F&O leaves empty when seconds < 0.
  void OptionalDateTime(int64_t seconds) {
    if (seconds < 0) {
      Raw(kEmptyDate);
    } else {
      DateTime(seconds);
    }
  }
  void Partition() { Raw(kPartitionText); }

  void EndRow() {
    buffer_.back() = '\n';
    ++row_;
    if (++unreported_ == kProgressRows) ReportProgress();
    if (row_ == partition_end_) {
      ClosePartition();
      if (row_ < rows_) OpenPartition();
    } else if (buffer_.size() >= kChunkBytes) {
      Flush();
    }
  }

  // Checks that the generator wrote exactly the rows it announced and returns the bytes written.
  uint64_t Finish() {
    if (row_ != rows_ || file_) {
      throw Error(ErrorKind::kInternal, "generator wrote " + std::to_string(row_) + " rows of " + prefix_ +
                                            ", expected " + std::to_string(rows_));
    }
    ReportProgress();
    return bytes_;
  }

 private:
  void OpenPartition() {
    ++partition_;
    partition_end_ = rows_ * partition_ / partitions_;
    std::string name = prefix_ + "_";
    AppendPadded(&name, static_cast<uint64_t>(partition_), 5);
    file_ = fs_.NewWritableFile(JoinPath(dir_, name + ".csv"));
  }
  void ClosePartition() {
    Flush();
    file_->Close();
    file_.reset();
  }
  void Flush() {
    file_->Append(buffer_);
    bytes_ += buffer_.size();
    buffer_.clear();
  }
  void ReportProgress() {
    if (progress_ && unreported_ > 0) progress_->Add(static_cast<uint64_t>(unreported_));
    unreported_ = 0;
  }

  FileSystem& fs_;
  std::string dir_;
  std::string prefix_;
  int64_t rows_;
  int partitions_;
  Progress* progress_;
  std::unique_ptr<WritableFile> file_;
  std::string buffer_;
  int partition_ = 0;
  int64_t partition_end_ = 0;
  int64_t row_ = 0;
  int64_t unreported_ = 0;
  uint64_t bytes_ = 0;
};

// ---------------------------------------------------------------------------------------------------------
// Vocabulary. Names deliberately include the cases readers get wrong: commas, double quotes (also as an inch
// mark), apostrophes, ampersands and non-ASCII letters.

struct Area {
  const char* id;  // DATAAREAID, lower case as F&O writes it
  const char* currency;
  const char* language;
  const char* account_prefix;
};

constexpr Area kAreas[] = {
    {"usmf", "USD", "en-us", "US-"}, {"demf", "EUR", "de", "DE-"}, {"gbsi", "GBP", "en-gb", "GB-"}};
constexpr int kUsmf = 0, kDemf = 1, kGbsi = 2;

// usmf ~70%, demf ~20%, gbsi ~10%.
int PickArea(Random& rng) {
  uint64_t r = rng.Uniform(10);
  return r < 7 ? kUsmf : (r < 9 ? kDemf : kGbsi);
}

// clang-format off
constexpr const char* kCompanies[] = {
    "Contoso", "Fabrikam", "Adventure Works", "Northwind Traders", "Litware", "Tailspin Toys", "Wingtip Toys",
    "Proseware", "Alpine Ski House", "Coho Winery", "Trey Research", "Lucerne Publishing", "Woodgrove",
    "Fourth Coffee", "A. Datum", "Wide World Importers", "Margie's Travel", "Blue Yonder Airlines", "Müller",
    "Café Olé", "Bäckerei Schön", "Søndergaard", "Zürich Feinkost", "Łódź Handel", "Crème de la Crème",
    "Ångström Labs", "Björk & Berg", "Peña Distribución", "東京商事", "Œuvre Design"};
constexpr const char* kCompanySuffixes[] = {" Inc.", " Ltd.", ", Ltd.", " GmbH", " LLC", ", Inc.", " AG",
                                            " plc",  " & Sons", " Corp.", " S.A.", ""};
constexpr const char* kNicknames[] = {"Retail", "East", "The Big One", "Outlet", "Nord", "Wholesale"};
constexpr const char* kFirstNames[] = {"Jane",  "John", "Jürgen", "Zoë",    "Søren",  "Amélie", "Sean",
                                       "María", "Li",   "Fatima", "Olivia", "Noah",   "Hélène", "Chloé"};
constexpr const char* kLastNames[] = {"Smith", "Müller", "O'Brien", "García", "Weiß", "Nguyen", "Johansson",
                                      "Kowalski", "Dubois", "Brown", "Schäfer", "Jensen", "Rossi", "Lee"};

constexpr const char* kAdjectives[] = {"Mid-Range", "Premium", "Compact", "Heavy-Duty", "Wireless", "Standard",
                                       "Deluxe",    "Portable", "Industrial", "Classic", "Ergonomic", "Smart"};
constexpr const char* kNouns[] = {"Speaker",     "Receiver", "Projector", "Desk",       "Office Chair", "Monitor",
                                  "Cable",       "Lamp",     "Router",    "Coffee Maker", "Headphones", "Bookshelf",
                                  "Crème Brûlée Mix", "Espresso Beans", "Drill", "Toolbox"};
constexpr const char* kVariants[] = {", black", ", 2-pack", ", Größe L", " (refurbished)", ", café edition"};
constexpr const char* kLineNotes[] = {"Deliver to loading dock 4",
                                      "Call before delivery, ask for Zoë",
                                      "Fragile: \"handle with care\"",
                                      "Leave at reception\nSecond floor, room 2.14",
                                      "Gift wrap, no invoice in parcel"};
constexpr const char* kLineRemarks[] = {", \"B-stock\"", " - \"Gift\", wrapped", ", 3/4\" fitting", " \"as is\""};

struct CityInfo {
  const char* city;
  const char* state;
};
constexpr CityInfo kUsCities[] = {{"Seattle", "WA"}, {"Redmond", "WA"}, {"Chicago", "IL"}, {"New York", "NY"},
                                  {"Austin", "TX"},  {"Miami", "FL"},   {"Denver", "CO"},  {"San José", "CA"}};
constexpr CityInfo kDeCities[] = {{"München", "BY"}, {"Berlin", "BE"},  {"Köln", "NW"},
                                  {"Düsseldorf", "NW"}, {"Frankfurt am Main", "HE"}, {"Hamburg", "HH"}};
constexpr const char* kGbCities[] = {"London", "Manchester", "Leeds", "Bristol", "Edinburgh"};
constexpr const char* kUsStreets[] = {"Main St", "1st Ave NE", "Elm Street", "Microsoft Way", "Oak Blvd, Suite 200"};
constexpr const char* kDeStreets[] = {"Königstraße", "Hauptstraße", "Schloßallee", "Am Müllerweg", "Gartenstraße"};
constexpr const char* kGbStreets[] = {"High Street", "Station Road", "King's Road", "Church Lane", "Victoria Road"};
constexpr const char* kGbPostcodes[] = {"SW1A 1AA", "M1 1AE", "LS1 4DY", "BS1 5TR", "EH1 1YZ", "EC1A 1BB"};
// clang-format on

struct CustGroupRow {
  const char* code;
  const char* name;
  const char* payment_terms;
  int area;
};
constexpr CustGroupRow kCustGroups[kCustGroupRows] = {{"10", "Wholesale customers", "Net30", kUsmf},
                                                      {"20", "Major customers", "Net45", kUsmf},
                                                      {"30", "Retail customers", "Net10", kUsmf},
                                                      {"40", "Internet customers", "COD", kUsmf},
                                                      {"80", "Sonstige Kunden, \"Inland\"", "Net30", kDemf},
                                                      {"90", "Intercompany customers", "Net30", kGbsi}};

// RECVERSION: 1 for rows never updated, a random positive int32 otherwise (F&O assigns a random value).
int64_t RecVersion(Random& rng) { return rng.Chance(0.6) ? 1 : rng.Range(2, 2147483647); }

// ---------------------------------------------------------------------------------------------------------
// Master data, computed once and shared by the tables that reference it.

struct Customer {
  int area;
  bool person;
  std::string name;
  std::string account;         // ACCOUNTNUM, e.g. "US-000123"
  std::string quoted_account;  // the two fields every order and line repeats, quoted once here
  std::string quoted_name;
};

std::string CustomerName(Random& rng, int64_t index, bool person) {
  // A few fixed names guarantee the hard cases at every scale, whatever the seed.
  switch (index) {
    case 1:
      return "Contoso \"Retail\", Ltd.";
    case 2:
      return "Müller GmbH";
    case 3:
      return "Café Olé";
    default:
      break;
  }
  if (person) return std::string(rng.Pick(kFirstNames)) + " " + rng.Pick(kLastNames);
  std::string name = rng.Pick(kCompanies);
  if (rng.Chance(0.06)) name += std::string(" \"") + rng.Pick(kNicknames) + "\",";
  return name + rng.Pick(kCompanySuffixes);
}

std::vector<Customer> MakeCustomers(uint64_t seed, int64_t count) {
  Random rng = Random::Derive(seed, kCustomerStream);
  std::vector<Customer> customers(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    Customer& c = customers[static_cast<size_t>(i)];
    c.area = PickArea(rng);
    c.person = i > 3 && rng.Chance(0.2);
    c.name = CustomerName(rng, i, c.person);
    c.account = kAreas[c.area].account_prefix;
    AppendPadded(&c.account, static_cast<uint64_t>(i + 1), 6);
    c.quoted_account = Quoted(c.account);
    c.quoted_name = Quoted(TruncateUtf8(c.name, 60));  // SALESNAME is String(60)
  }
  return customers;
}

struct Item {
  int area;            // items are released to one company; lines pick items of their order's company
  int type;            // ItemType
  int64_t price;       // list price in units of 0.0001
  int64_t net_weight;  // grams
  std::string id;
  std::string name;
  std::string quoted_id;
  std::string quoted_name;
};

std::string ItemName(Random& rng, int64_t index) {
  switch (index) {
    case 0:
      return "Cable 3/4\", 10 ft";
    case 1:
      return "Café Olé Espresso Beans";
    case 2:
      return "Desk, \"Oak\" finish";
    default:
      break;
  }
  std::string name = std::string(rng.Pick(kAdjectives)) + " " + rng.Pick(kNouns);
  if (rng.Chance(0.05)) name += " 24\"";
  if (rng.Chance(0.1)) name += rng.Pick(kVariants);
  return name;
}

// The company of item i: items are laid out in company blocks of 70%, 20% and 10%, so that lines can pick an
// item of their own company in O(1).
int ItemArea(int64_t index, int64_t items) {
  if (index < items * 7 / 10) return kUsmf;
  return index < items * 9 / 10 ? kDemf : kGbsi;
}

std::vector<Item> MakeItems(uint64_t seed, int64_t count) {
  Random rng = Random::Derive(seed, kItemStream);
  std::vector<Item> items(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) {
    Item& item = items[static_cast<size_t>(i)];
    item.area = ItemArea(i, count);
    uint64_t kind = rng.Uniform(20);
    item.type = kind == 0 ? 2 : (kind <= 2 ? 1 : 0);  // 5% Service, 10% BOM
    // Most prices are whole cents; some carry four decimals, as unit prices in F&O may.
    item.price = rng.Chance(0.8) ? rng.Range(50, 250000) * 100 : rng.Range(5000, 25000000);
    item.net_weight = item.type == 2 ? 0 : rng.Range(10, 250000);
    item.id = "D";
    AppendPadded(&item.id, static_cast<uint64_t>(i + 1), 5);
    item.name = ItemName(rng, i);
    item.quoted_id = Quoted(item.id);
    item.quoted_name = Quoted(item.name);
  }
  return items;
}

// A short search name (NAMEALIAS, SEARCHNAME: String(20)): the name cut to 20 bytes, without a dangling space.
std::string_view SearchName(std::string_view name) { return Trim(TruncateUtf8(name, 20)); }

// ---------------------------------------------------------------------------------------------------------
// Orders are a pure function of (seed, order index), so SalesTable and SalesLine agree without keeping every
// order in memory.

struct Order {
  int64_t customer;
  int status;
  int type;
  int64_t created;    // seconds since the base date
  int64_t delivery;   // a date (midnight)
  int64_t confirmed;  // a date, or -1 for F&O's empty date
  int64_t recversion;
};

Order MakeOrder(uint64_t seed, const Shape& shape, int64_t index) {
  Random rng = Random::Derive(seed, kOrderStream, static_cast<uint64_t>(index));
  Order o;
  o.customer = static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(shape.customers)));
  uint64_t s = rng.Uniform(100);
  o.status = s < 5    ? 0
             : s < 35 ? kStatusBackorder
             : s < 50 ? kStatusDelivered
             : s < 95 ? kStatusInvoiced
                      : kStatusCanceled;
  uint64_t t = rng.Uniform(100);
  o.type = t < 3    ? kTypeJournal
           : t < 6  ? kTypeQuotation
           : t < 9  ? kTypeSubscription
           : t < 96 ? kTypeSales
                    : kTypeReturn;
  // Order numbers follow creation time over four years, as a number sequence would.
  const int64_t span = 4 * 365 * kDay;
  o.created = 30 * kDay + index * span / shape.orders + rng.Range(0, kDay - 1);
  o.delivery = (o.created / kDay + rng.Range(2, 30)) * kDay;
  o.confirmed = rng.Chance(0.4) ? -1 : o.delivery + rng.Range(0, 5) * kDay;
  o.recversion = RecVersion(rng);
  return o;
}

// How many lines each order has: one each (when there are enough lines), the rest spread at random.
std::vector<uint32_t> LineCounts(uint64_t seed, const Shape& shape) {
  std::vector<uint32_t> counts(static_cast<size_t>(shape.orders), 0);
  int64_t rest = shape.lines;
  for (int64_t o = 0; o < shape.orders && rest > 0; ++o, --rest) counts[static_cast<size_t>(o)] = 1;
  Random rng = Random::Derive(seed, kLineCountStream);
  for (; rest > 0; --rest) ++counts[rng.Uniform(counts.size())];
  return counts;
}

// ---------------------------------------------------------------------------------------------------------
// The row generators, one per table. Each writes exactly TableRows(id) rows in column order.

struct Context {
  uint64_t seed;
  Shape shape;
  std::vector<Customer> customers;
  std::vector<Item> items;
};

void WriteDirPartyTable(const Context& ctx, TableWriter& w) {
  Random rng = Random::Derive(ctx.seed, kDirPartyTable);
  for (int64_t i = 0; i < ctx.shape.customers; ++i) {
    const Customer& c = ctx.customers[static_cast<size_t>(i)];
    w.Int(RecId(kDirPartyTable, i));
    std::string number;
    AppendPadded(&number, static_cast<uint64_t>(i + 1), 9);
    w.Str(number);
    w.Str(c.name);
    w.Str(rng.Chance(0.1) ? std::string_view() : SearchName(c.name));
    w.Str(kAreas[c.area].language);
    w.Int(c.person ? kDirPersonTableId : kDirOrganizationTableId);
    w.Int(LocationId(i));
    w.Partition();
    w.Int(RecVersion(rng));
    w.EndRow();
  }
}

struct Address {
  std::string street, city, state, zip, country, full;
};

Address MakeAddress(Random& rng, int area) {
  Address a;
  if (area == kUsmf) {
    const CityInfo& city = rng.Pick(kUsCities);
    a.street = std::to_string(rng.Range(1, 9999)) + " " + rng.Pick(kUsStreets);
    a.city = city.city;
    a.state = city.state;
    a.zip = std::to_string(rng.Range(10000, 99999));
    a.country = "USA";
    a.full = a.street + "\n" + a.city + ", " + a.state + " " + a.zip + "\nUSA";
  } else if (area == kDemf) {
    const CityInfo& city = rng.Pick(kDeCities);
    a.street = std::string(rng.Pick(kDeStreets)) + " " + std::to_string(rng.Range(1, 200));
    a.city = city.city;
    a.state = city.state;
    a.zip = std::to_string(rng.Range(10000, 99999));
    a.country = "DEU";
    a.full = a.street + "\n" + a.zip + " " + a.city + "\nDEU";
  } else {
    a.street = std::to_string(rng.Range(1, 300)) + " " + rng.Pick(kGbStreets);
    a.city = rng.Pick(kGbCities);
    a.zip = rng.Pick(kGbPostcodes);
    a.country = "GBR";  // British addresses have no state: STATE is an empty string
    a.full = a.street + "\n" + a.city + "\n" + a.zip + "\nGBR";
  }
  return a;
}

void WriteLogisticsPostalAddress(const Context& ctx, TableWriter& w) {
  Random rng = Random::Derive(ctx.seed, kLogisticsPostalAddress);
  for (int64_t i = 0; i < ctx.shape.customers; ++i) {
    Address a = MakeAddress(rng, ctx.customers[static_cast<size_t>(i)].area);
    w.Int(RecId(kLogisticsPostalAddress, i));
    w.Int(LocationId(i));
    w.Str(a.full);
    w.Str(a.street);
    w.Str(a.city);
    w.Str(a.state);
    w.Str(a.zip);
    w.Str(a.country);
    w.DateTime(rng.Range(0, 365 * kDay - 1));
    w.Raw(kMaxDate);
    w.Partition();
    w.Int(RecVersion(rng));
    w.EndRow();
  }
}

void WriteCustTable(const Context& ctx, TableWriter& w) {
  static constexpr int64_t kCreditLimits[] = {0, 500000, 1000000, 2500000, 10000000};  // cents
  Random rng = Random::Derive(ctx.seed, kCustTable);
  for (int64_t i = 0; i < ctx.shape.customers; ++i) {
    const Customer& c = ctx.customers[static_cast<size_t>(i)];
    w.Int(RecId(kCustTable, i));
    w.Raw(c.quoted_account);
    w.Int(RecId(kDirPartyTable, i));
    // Customer groups belong to a company: usmf has four, demf and gbsi one each.
    w.Str(kCustGroups[c.area == kUsmf ? rng.Uniform(4) : (c.area == kDemf ? 4 : 5)].code);
    w.Str(kAreas[c.area].currency);
    w.Decimal(rng.Chance(0.8) ? rng.Pick(kCreditLimits) : rng.Range(1, 5000000), 2);
    uint64_t blocked = rng.Uniform(100);
    w.Int(blocked < 94 ? 0 : (blocked < 97 ? 1 : 2));
    int64_t created = rng.Range(0, 365 * kDay - 1);
    w.DateTime(created);
    w.DateTime(created + rng.Range(0, 3 * 365 * kDay));
    w.Str(kAreas[c.area].id);
    w.Partition();
    w.Int(RecVersion(rng));
    w.EndRow();
  }
}

void WriteCustGroup(const Context& ctx, TableWriter& w) {
  Random rng = Random::Derive(ctx.seed, kCustGroup);
  for (int64_t i = 0; i < kCustGroupRows; ++i) {
    const CustGroupRow& g = kCustGroups[i];
    w.Int(RecId(kCustGroup, i));
    w.Str(g.code);
    w.Str(g.name);
    w.Str(g.payment_terms);
    w.Str(kAreas[g.area].id);
    w.Partition();
    w.Int(RecVersion(rng));
    w.EndRow();
  }
}

void AppendSalesId(std::string* out, int64_t order) {
  out->append("\"SO-");
  AppendPadded(out, static_cast<uint64_t>(order + 1), 7);
  out->push_back('"');
}

void WriteSalesTable(const Context& ctx, TableWriter& w) {
  std::string sales_id;
  for (int64_t i = 0; i < ctx.shape.orders; ++i) {
    Order o = MakeOrder(ctx.seed, ctx.shape, i);
    const Customer& c = ctx.customers[static_cast<size_t>(o.customer)];
    sales_id.clear();
    AppendSalesId(&sales_id, i);
    w.Int(RecId(kSalesTable, i));
    w.Raw(sales_id);
    w.Raw(c.quoted_account);
    w.Raw(c.quoted_name);
    w.Int(o.status);
    w.Int(o.type);
    w.Str(kAreas[c.area].currency);
    w.DateTime(o.delivery);
    w.OptionalDateTime(o.confirmed);
    w.DateTime(o.created);
    w.Str(kAreas[c.area].id);
    w.Partition();
    w.Int(o.recversion);
    w.EndRow();
  }
}

// Quantity in units of 0.01: mostly whole pieces, sometimes bulk, sometimes fractional (kg, hours).
int64_t LineQuantity(Random& rng) {
  uint64_t r = rng.Uniform(100);
  if (r < 80) return rng.Range(1, 20) * 100;
  if (r < 93) return rng.Range(25, 500) * 100;
  return rng.Range(1, 1000);
}

// The line's NAME. Fixed line positions guarantee a multi-line name, embedded quotes with commas and an empty
// name at every scale >= 100; the item names add more of each at random.
void AppendLineName(Random& rng, int64_t line, const Item& item, std::string* out) {
  if (line % 41 == 3) {
    AppendQuoted(out, item.name + "\n" + rng.Pick(kLineNotes));
  } else if (line % 43 == 5) {
    AppendQuoted(out, item.name + rng.Pick(kLineRemarks));
  } else if (line % 47 == 9) {
    out->append("\"\"");
  } else {
    out->append(item.quoted_name);
  }
}

void WriteSalesLine(const Context& ctx, TableWriter& w) {
  const std::vector<uint32_t> counts = LineCounts(ctx.seed, ctx.shape);
  const int64_t items = ctx.shape.items;
  const int64_t area_begin[] = {0, items * 7 / 10, items * 9 / 10, items};
  Random rng = Random::Derive(ctx.seed, kSalesLine);
  std::string sales_id, requested, name;
  int64_t line = 0;
  for (int64_t oi = 0; oi < ctx.shape.orders; ++oi) {
    uint32_t count = counts[static_cast<size_t>(oi)];
    if (count == 0) continue;
    Order o = MakeOrder(ctx.seed, ctx.shape, oi);
    const Customer& c = ctx.customers[static_cast<size_t>(o.customer)];
    const std::string_view currency = kAreas[c.area].currency;
    const std::string_view area = kAreas[c.area].id;
    sales_id.clear();
    AppendSalesId(&sales_id, oi);
    requested.clear();
    AppendDateTime(&requested, o.delivery);
    int64_t created = o.created;
    for (uint32_t k = 1; k <= count; ++k, ++line) {
      const int64_t begin = area_begin[c.area], end = area_begin[c.area + 1];
      const Item& item =
          ctx.items[static_cast<size_t>(begin + static_cast<int64_t>(rng.Uniform(static_cast<uint64_t>(end - begin))))];
      int64_t quantity = LineQuantity(rng);
      if (o.type == kTypeReturn) quantity = -quantity;
      int64_t price = item.price;
      if (rng.Chance(0.15)) price -= price * rng.Range(1, 30) / 100;  // a line discount, truncated
      // LINEAMOUNT = round(qty * price, 2) computed exactly: 0.01 * 0.0001 units, then to cents.
      int64_t amount = RoundDiv(quantity * price, 10000);
      name.clear();
      AppendLineName(rng, line, item, &name);

      w.Int(RecId(kSalesLine, line));
      w.Raw(sales_id);
      w.Int(k);
      w.Raw(item.quoted_id);
      w.Raw(name);
      w.Decimal(quantity, 2);
      w.Decimal(price, 4);
      w.Decimal(amount, 2);
      w.Str(currency);
      w.Int(o.status);
      w.Raw(c.quoted_account);
      w.Raw(requested);
      w.OptionalDateTime(rng.Chance(0.4) ? -1 : o.delivery + rng.Range(0, 5) * kDay);
      w.DateTime(created);
      w.Str(area);
      w.Partition();
      w.Int(RecVersion(rng));
      w.EndRow();
      created += rng.Range(5, 90);
    }
  }
}

void WriteEcoResProduct(const Context& ctx, TableWriter& w) {
  Random rng = Random::Derive(ctx.seed, kEcoResProduct);
  for (int64_t i = 0; i < ctx.shape.items; ++i) {
    const Item& item = ctx.items[static_cast<size_t>(i)];
    w.Int(RecId(kEcoResProduct, i));
    w.Raw(item.quoted_id);
    w.Str(SearchName(item.name));
    w.Int(item.type == 2 ? 2 : 1);
    w.Int(kEcoResDistinctProductTableId);
    w.Partition();
    w.Int(RecVersion(rng));
    w.EndRow();
  }
}

void WriteInventTable(const Context& ctx, TableWriter& w) {
  Random rng = Random::Derive(ctx.seed, kInventTable);
  for (int64_t i = 0; i < ctx.shape.items; ++i) {
    const Item& item = ctx.items[static_cast<size_t>(i)];
    w.Int(RecId(kInventTable, i));
    w.Raw(item.quoted_id);
    w.Int(RecId(kEcoResProduct, i));
    w.Int(item.type);
    w.Str(rng.Chance(0.1) ? std::string_view() : SearchName(item.name));
    w.Decimal(item.net_weight, 3);
    w.Str(kAreas[item.area].id);
    w.Partition();
    w.Int(RecVersion(rng));
    w.EndRow();
  }
}

void WriteRows(const Context& ctx, TableId id, TableWriter& w) {
  switch (id) {
    case kDirPartyTable:
      return WriteDirPartyTable(ctx, w);
    case kLogisticsPostalAddress:
      return WriteLogisticsPostalAddress(ctx, w);
    case kCustTable:
      return WriteCustTable(ctx, w);
    case kCustGroup:
      return WriteCustGroup(ctx, w);
    case kSalesTable:
      return WriteSalesTable(ctx, w);
    case kSalesLine:
      return WriteSalesLine(ctx, w);
    case kInventTable:
      return WriteInventTable(ctx, w);
    case kEcoResProduct:
      return WriteEcoResProduct(ctx, w);
    case kTableCount:
      break;
  }
  throw Error(ErrorKind::kInternal, "unknown generated table");
}

// Removes partitions of an earlier, larger run (our own naming only), which the InventTable pattern would
// otherwise pick up.
void RemoveStalePartitions(FileSystem& fs, const std::string& dir, const std::string& prefix, int partitions) {
  for (const FileInfo& entry : fs.ListDirectory(dir)) {
    std::string_view name = entry.name;
    if (entry.is_directory || name.size() <= prefix.size() + 5 || name.substr(0, prefix.size()) != prefix ||
        name[prefix.size()] != '_' || name.substr(name.size() - 4) != ".csv") {
      continue;
    }
    std::string_view number = name.substr(prefix.size() + 1, name.size() - prefix.size() - 5);
    int n = 0;
    auto result = std::from_chars(number.data(), number.data() + number.size(), n);
    if (result.ec == std::errc() && result.ptr == number.data() + number.size() && n > partitions) {
      fs.RemoveFile(JoinPath(dir, entry.name));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Metadata: entity documents and the manifest tree.

Json Imports() { return Json::array({{{"corpusPath", "cdm:/foundations.cdm.json"}}}); }

Json AttributeJson(const Column& c) {
  static constexpr const char* kFormats[] = {"Int64", "Int32", "String", "Decimal", "DateTime"};
  Json a;
  a["name"] = c.name;
  a["dataFormat"] = kFormats[static_cast<int>(c.type)];
  if (c.type == Type::kString) a["maximumLength"] = c.max_length;
  if (c.name == "RECID") {
    a["isNullable"] = false;
    a["purpose"] = "identifiedBy";
    return a;
  }
  a["isNullable"] = true;
  if (c.type == Type::kDecimal) {
    a["appliedTraits"] =
        Json::array({{{"traitReference", "is.dataFormat.numeric.shaped"},
                      {"arguments",
                       Json::array({{{"name", "precision"}, {"value", "32"}}, {{"name", "scale"}, {"value", "6"}}})}}});
  } else if (!c.values.empty()) {
    Json constants = Json::array();
    for (const EnumValue& v : c.values) {
      constants.push_back(Json::array({"en-US", v.label, v.symbol, std::to_string(v.value)}));
    }
    Json list = {{"entityReference", {{"entityShape", "localizedConstantValues"}, {"constantValues", constants}}}};
    a["appliedTraits"] = Json::array({{{"traitReference", "is.constrainedList.wellKnown"},
                                       {"arguments", Json::array({{{"name", "defaultList"}, {"value", list}}})}}});
  }
  return a;
}

Json EntityDocument(const TableDef& t) {
  Json attributes = Json::array();
  for (const Column& c : t.columns) attributes.push_back(AttributeJson(c));
  Json level = {{"traitReference", "has.entitySchemaAbstractionLevel"},
                {"arguments", Json::array({{{"name", "level"}, {"value", "resolved"}}})}};
  Json definition;
  definition["entityName"] = t.name;
  definition["exhibitsTraits"] = Json::array({level});
  definition["hasAttributes"] = std::move(attributes);
  Json doc;
  doc["jsonSchemaSemanticVersion"] = "1.0.0";
  doc["imports"] = Imports();
  doc["definitions"] = Json::array({std::move(definition)});
  return doc;
}

Json CsvTrait() {
  return {{"traitReference", "is.partition.format.CSV"},
          {"arguments",
           Json::array({{{"name", "columnHeaders"}, {"value", "false"}}, {{"name", "delimiter"}, {"value", ","}}})}};
}

Json EntityDeclaration(const TableDef& t, int partitions) {
  Json e;
  e["type"] = "LocalEntity";
  e["entityName"] = t.name;
  e["entityPath"] = t.EntityPath();
  if (t.pattern) {
    e["dataPartitionPatterns"] = Json::array({{{"name", t.name},
                                               {"rootLocation", t.name},
                                               {"globPattern", "/*.csv"},
                                               {"exhibitsTraits", Json::array({CsvTrait()})}}});
    return e;
  }
  Json list = Json::array();
  std::string prefix = t.FilePrefix();
  for (int p = 1; p <= partitions; ++p) {
    std::string name = prefix + "_";
    AppendPadded(&name, static_cast<uint64_t>(p), 5);
    list.push_back(
        {{"name", name}, {"location", t.name + "/" + name + ".csv"}, {"exhibitsTraits", Json::array({CsvTrait()})}});
  }
  e["dataPartitions"] = std::move(list);
  return e;
}

// The corpus path of target (lake-relative) as seen from folder (lake-relative), e.g. "../Main/X.cdm.json/X".
std::string RelativeCorpusPath(const std::string& folder, const std::string& target) {
  std::vector<std::string> from = Split(folder, '/'), to = Split(target, '/');
  size_t common = 0;
  while (common < from.size() && common + 1 < to.size() && from[common] == to[common]) ++common;
  std::string out;
  for (size_t i = common; i < from.size(); ++i) out += "../";
  for (size_t i = common; i < to.size(); ++i) out += (i > common ? "/" : "") + to[i];
  return out;
}

Json Manifest(const std::string& name, const std::string& explanation, Json entities, Json sub_manifests) {
  Json m;
  m["jsonSchemaSemanticVersion"] = "1.0.0";
  m["imports"] = Imports();
  m["manifestName"] = name;
  m["explanation"] = explanation;
  m["entities"] = std::move(entities);
  m["subManifests"] = std::move(sub_manifests);
  return m;
}

std::string ManifestPath(const std::string& folder) { return folder + "/" + BaseName(folder) + ".manifest.cdm.json"; }

// Writes a JSON document atomically and returns its size.
uint64_t WriteJson(FileSystem& fs, const std::string& path, const Json& json) {
  std::string text = json.dump(2) + "\n";
  fs.WriteFileAtomic(path, text);
  return text.size();
}

// Writes the entity documents and every manifest, leaves first (so each parent is written after its children).
uint64_t WriteMetadata(FileSystem& fs, const std::string& root, const std::vector<TableDef>& tables,
                       const std::vector<GeneratedTable>& generated) {
  uint64_t bytes = 0;
  // Leaf folders in table order, and every folder's children in order of first appearance.
  std::vector<std::string> folders;
  std::vector<std::vector<std::string>> children;
  auto folder_index = [&](const std::string& folder) {
    auto it = std::find(folders.begin(), folders.end(), folder);
    if (it != folders.end()) return static_cast<size_t>(it - folders.begin());
    folders.push_back(folder);
    children.emplace_back();
    return folders.size() - 1;
  };
  for (const TableDef& t : tables) {
    std::string folder = t.folder;
    folder_index(folder);
    for (std::string parent = DirName(folder); !parent.empty(); folder = parent, parent = DirName(parent)) {
      size_t p = folder_index(parent);
      std::string child = BaseName(folder);
      if (std::find(children[p].begin(), children[p].end(), child) == children[p].end()) {
        children[p].push_back(child);
      }
    }
  }

  for (const TableDef& t : tables) {
    std::string doc_dir = JoinPath(root, t.folder + (t.resolved_doc ? "/resolved" : ""));
    fs.CreateDirectories(doc_dir);
    bytes += WriteJson(fs, JoinPath(doc_dir, t.name + ".cdm.json"), EntityDocument(t));
  }

  for (size_t f = folders.size(); f-- > 0;) {
    const std::string& folder = folders[f];
    Json entities = Json::array();
    for (size_t i = 0; i < tables.size(); ++i) {
      if (tables[i].folder == folder) entities.push_back(EntityDeclaration(tables[i], generated[i].partitions));
    }
    Json subs = Json::array();
    for (const std::string& child : children[f]) {
      subs.push_back({{"manifestName", child}, {"definition", child + "/" + child + ".manifest.cdm.json"}});
    }
    bool leaf = !entities.empty();
    std::string explanation = leaf ? "Tables of " + folder.substr(folder.find('/') + 1) +
                                         " exported from Dynamics 365 Finance and Operations (synthetic data "
                                         "generated by cdmlake)."
                                   : "Tables exported from Dynamics 365 Finance and Operations: " + folder + ".";
    Json manifest = Manifest(BaseName(folder), explanation, std::move(entities), std::move(subs));
    if (leaf) {
      Json relationships = Json::array();
      for (const Relationship& r : kRelationships) {
        const TableDef& from = tables[r.from];
        const TableDef& to = tables[r.to];
        if (from.folder != folder) continue;
        relationships.push_back({{"fromEntity", from.EntityPath()},
                                 {"fromEntityAttribute", r.from_attribute},
                                 {"toEntity", RelativeCorpusPath(folder, to.folder + "/" + to.EntityPath())},
                                 {"toEntityAttribute", r.to_attribute}});
      }
      manifest["relationships"] = std::move(relationships);
    }
    fs.CreateDirectories(JoinPath(root, folder));
    bytes += WriteJson(fs, JoinPath(root, ManifestPath(folder)), manifest);
  }
  return bytes;
}

}  // namespace

int64_t D365LakeRowCount(int64_t scale) {
  if (scale < 1) return 0;
  Shape shape = ComputeShape(scale);
  return kCustGroupRows + 3 * shape.customers + 2 * shape.items + shape.orders + shape.lines;
}

D365LakeSummary GenerateD365Lake(FileSystem& fs, const D365LakeOptions& options, Progress* progress) {
  if (options.out_dir.empty() || options.out_dir.front() != '/') {
    throw Error(ErrorKind::kUser, "the output directory must be an absolute path, got '" + options.out_dir + "'");
  }
  if (options.scale < 1 || options.scale > kMaxD365LakeScale) {
    throw Error(ErrorKind::kUser, "scale must be between 1 and " + std::to_string(kMaxD365LakeScale) + ", got " +
                                      std::to_string(options.scale));
  }
  const std::string root = NormalizePath(options.out_dir);
  Context ctx{options.seed, ComputeShape(options.scale), {}, {}};
  ctx.customers = MakeCustomers(ctx.seed, ctx.shape.customers);
  ctx.items = MakeItems(ctx.seed, ctx.shape.items);

  const std::vector<TableDef> tables = TableDefs();
  D365LakeSummary summary;
  for (const TableDef& t : tables) {
    int64_t rows = TableRows(t.id, ctx.shape);
    int partitions = t.Partitions(rows);
    std::string dir = JoinPath(root, t.folder + "/" + t.name);
    fs.CreateDirectories(dir);
    TableWriter writer(fs, dir, t.FilePrefix(), rows, partitions, progress);
    WriteRows(ctx, t.id, writer);
    summary.bytes_written += writer.Finish();
    RemoveStalePartitions(fs, dir, t.FilePrefix(), partitions);
    summary.tables.push_back(GeneratedTable{t.name, t.folder, rows, partitions});
  }
  summary.bytes_written += WriteMetadata(fs, root, tables, summary.tables);
  return summary;
}

}  // namespace cdmlake::generate

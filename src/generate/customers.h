// Writes synthetic customer data for customer unification (`cdmlake generate --customers N`): three profile
// sources that describe the same people with realistic noise, three activity tables keyed by the sources' keys,
// and a truth file naming the true entity of every profile record.
//
// Below <out_dir>/Customers/ (a CDM root of its own, Customers.manifest.cdm.json, so the lake catalog reads it as
// schema "Customers"):
//   CustCustomerV3Entity      ERP customers as D365 F&O exports its customer entity (header-less, quoted strings),
//                             persons and organizations
//   contact                   CRM contacts as Dataverse exports them (header-less, GUID keys)
//   LoyaltyMember             POS loyalty members (with a header row; Name in one field, dates as strings)
//   SalesOrderHeaderV2Entity  ERP sales orders by CUSTOMERACCOUNT
//   OnlinePurchase            web shop orders by contactid
//   PosPurchase               store purchases by LoyaltyId
//   _truth/customers_truth.csv  source,key,entity for every profile record (outside the manifest: not a table)
// docs/customer-generator.md describes the columns, the noise kinds and their rates (customer_noise.h).
//
// Every true entity is in a random subset of the sources (some in one only), sometimes twice in one source (each
// record with its own key); the noise is drawn per record. Output is a pure function of the options: the same
// seed writes byte-identical files everywhere. Entities are made and written one at a time, so memory does not
// grow with N (only the few duplicates waiting to be written later, a bounded window, are kept).
//
// Thread-safety: may run concurrently for different out_dirs; no global state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "generate/customer_noise.h"
#include "util/file_system.h"
#include "util/progress.h"

namespace cdmlake::generate {

// The folder below the lake root, its manifest and the truth file (lake-relative).
inline constexpr const char* kCustomersFolder = "Customers";
inline constexpr const char* kCustomersManifest = "Customers/Customers.manifest.cdm.json";
inline constexpr const char* kCustomersTruth = "Customers/_truth/customers_truth.csv";
// Source (entity) names as the truth file and a unify configuration use them.
inline constexpr const char* kErpCustomerSource = "CustCustomerV3Entity";
inline constexpr const char* kCrmContactSource = "contact";
inline constexpr const char* kLoyaltySource = "LoyaltyMember";

inline constexpr int64_t kMaxCustomers = 100'000'000;

struct CustomerOptions {
  std::string out_dir;        // absolute path of the lake root (created if missing)
  int64_t customers = 10000;  // true entities (people and organizations); about 1.6 profile records each
  NoiseLevel noise = NoiseLevel::kMedium;
  uint64_t seed = 42;
};

struct CustomerTable {
  std::string name;  // entity name, e.g. "contact"
  bool profile = false;  // a customer source (in the truth file), else an activity table
  int64_t rows = 0;
  int files = 0;
};

struct CustomerSummary {
  std::vector<CustomerTable> tables;  // profile sources first
  int64_t entities = 0;
  int64_t organizations = 0;
  int64_t households = 0;          // households of two or more people
  int64_t household_members = 0;   // people living in them
  int64_t profile_records = 0;     // rows of the truth file
  NoiseTally noise;
  uint64_t bytes_written = 0;
};

// Writes the customer sources below options.out_dir/Customers: data files first, then entity documents and the
// manifest (replaced atomically), then the truth file; files of an earlier, larger run are removed. Throws
// Error(kUser) for bad options (relative or empty out_dir, customers < 1 or > kMaxCustomers) and Error(kIo) when
// a write fails. progress may be null; when set, progress->Add is called as entities are made, adding up to
// options.customers.
CustomerSummary GenerateCustomers(FileSystem& fs, const CustomerOptions& options, Progress* progress);

}  // namespace cdmlake::generate

#include "entitystore/measurement_store.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "entitystore/package_codec.h"
#include "lake/discovery.h"
#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

MeasurementStore::MeasurementStore(FileSystem& fs, std::string lake_root)
    : fs_(fs), root_(JoinPath(lake_root, std::string(lake::kStateFolder) + "/entitystore")) {}

std::string MeasurementStore::Folder(const std::string& name) const { return JoinPath(root_, SafeFileName(name)); }

void MeasurementStore::Save(const StoredMeasurement& measurement) {
  std::string folder = Folder(measurement.package.measurement.name);
  fs_.CreateDirectories(folder);
  nlohmann::json settings;
  settings["name"] = measurement.package.measurement.name;
  settings["date_table"] = measurement.date_table;
  fs_.WriteFileAtomic(JoinPath(folder, "package.json"), EncodePackage(measurement.package));
  fs_.WriteFileAtomic(JoinPath(folder, "settings.json"), settings.dump(2) + "\n");
}

StoredMeasurement MeasurementStore::Load(const std::string& name) const {
  std::string found;
  for (const auto& n : Names()) {
    if (EqualsIgnoreCase(n, name)) found = n;
  }
  if (found.empty()) {
    std::vector<std::string> names = Names();
    throw Error(ErrorKind::kUser, "no measurement named " + name + " has been imported into this lake",
                Location{root_, 0, name},
                names.empty() ? "import one with `cdmlake entitystore import PACKAGE`"
                              : "imported measurements: " + Join(names, ", "));
  }
  std::string folder = Folder(found);
  StoredMeasurement out;
  std::string package_file = JoinPath(folder, "package.json");
  out.package = DecodePackage(fs_.ReadFile(package_file), package_file);
  std::string settings_file = JoinPath(folder, "settings.json");
  try {
    nlohmann::json settings = nlohmann::json::parse(fs_.ReadFile(settings_file));
    out.date_table = settings.value("date_table", "");
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorKind::kData, std::string("cannot read the import settings: ") + e.what(),
                Location{settings_file, 0, found}, "import the measurement again");
  }
  return out;
}

std::vector<std::string> MeasurementStore::Names() const {
  std::vector<std::string> names;
  if (!fs_.Stat(root_)) return names;
  for (const auto& entry : fs_.ListDirectory(root_)) {
    if (!entry.is_directory) continue;
    std::string settings_file = JoinPath(JoinPath(root_, entry.name), "settings.json");
    if (!fs_.Stat(settings_file)) continue;
    try {
      names.push_back(nlohmann::json::parse(fs_.ReadFile(settings_file)).at("name").get<std::string>());
    } catch (const nlohmann::json::exception&) {
      names.push_back(entry.name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace cdmlake::entitystore

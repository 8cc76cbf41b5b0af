#include "entitystore/import.h"

#include <memory>
#include <optional>

#include "entitystore/aot_xml_reader.h"
#include "entitystore/emex_reader.h"
#include "entitystore/zip_archive.h"
#include "util/error.h"
#include "util/file_system.h"
#include "util/strings.h"

namespace cdmlake::entitystore {

MetadataPackage ImportMetadata(const std::string& path, const std::string& measurement) {
  std::optional<FileInfo> info = DefaultFileSystem()->Stat(path);
  if (!info) throw Error(ErrorKind::kIo, "no such file or folder", Location{path});
  if (info->is_directory) return ReadAotXml(path, measurement);
  std::unique_ptr<ZipArchive> zip = ZipArchive::Open(path);
  if (EndsWithIgnoreCase(path, ".axpp") || !zip->Contains("measurement.json")) return ReadAotXml(*zip, measurement);
  MetadataPackage package = ReadEmexPackage(*zip);
  if (!measurement.empty() && !EqualsIgnoreCase(measurement, package.measurement.name)) {
    throw Error(ErrorKind::kUser,
                "the EMEX package holds the measurement '" + package.measurement.name + "', not '" + measurement + "'",
                Location{path}, "EMEX exports one measurement per zip");
  }
  return package;
}

}  // namespace cdmlake::entitystore

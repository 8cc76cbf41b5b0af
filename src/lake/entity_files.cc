#include "lake/entity_files.h"

#include "cdm/partition_listing.h"
#include "lake/csv_probe.h"
#include "util/error.h"
#include "util/path.h"
#include "util/real_path.h"

namespace cdmlake::lake {

std::vector<cdm::Partition> PrepareEntityFiles(const Catalog& catalog, const cdm::Entity& entity,
                                               std::vector<EntityFile>* files) {
  std::vector<cdm::Problem> problems;
  cdm::LocationResolver resolver = catalog.resolver();
  std::vector<cdm::Partition> partitions = cdm::ListPartitions(resolver, entity, &problems);
  for (const auto& p : problems) {
    if (p.severity == cdm::Severity::kError) throw Error(ErrorKind::kData, p.message, Location{p.file, p.line, entity.name});
  }
  const std::string real_root = RealPath(catalog.lake_root());
  for (cdm::Partition& p : partitions) {
    std::string absolute = resolver.Absolute(p.location);
    auto info = catalog.fs().Stat(absolute);
    if (!info || info->is_directory) {
      throw Error(ErrorKind::kData, "the data file " + p.location + " of entity " + entity.name + " does not exist",
                  Location{entity.manifest, 0, entity.name},
                  "the manifest lists a partition that is not in the lake; restore the file or fix the manifest");
    }
    // A symbolic link must not lead out of the lake either.
    std::string real = RealPath(absolute);
    if (!real_root.empty() && !IsWithin(real_root, real)) {
      throw Error(ErrorKind::kData, "the data file " + p.location + " of entity " + entity.name + " resolves to " +
                                        real + ", outside the lake root",
                  Location{entity.manifest, 0, entity.name});
    }
    if (p.format == cdm::FileFormat::kCsv) {
      CsvShape shape = ProbeCsvFile(catalog.fs(), absolute, p.csv);
      p.columns = shape.width;
      // Take the file's own record ends: DuckDB would guess them from the first line break it sees, which may be
      // a CRLF inside a quoted value of a file whose records end with LF.
      if (p.csv.newline.empty()) p.csv.newline = shape.newline;
    }
    if (files) files->push_back(EntityFile{absolute, *info});
  }
  return partitions;
}

}  // namespace cdmlake::lake

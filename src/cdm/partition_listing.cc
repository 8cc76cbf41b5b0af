#include "cdm/partition_listing.h"

#include <set>

#include "cdm/partition_pattern.h"
#include "util/error.h"
#include "util/path.h"

namespace cdmlake::cdm {

std::vector<Partition> ListPartitions(const LocationResolver& resolver, const Entity& entity,
                                      std::vector<Problem>* problems) {
  std::vector<Partition> out = entity.partitions;
  std::set<std::string> seen;
  for (const auto& p : out) seen.insert(p.location);
  for (const PartitionPattern& pattern : entity.patterns) {
    PatternMatcher matcher(pattern.glob, pattern.regex);
    if (!matcher.ok()) continue;  // reported when the manifest was read
    std::string root = resolver.Absolute(pattern.root_location);
    auto info = resolver.fs().Stat(root);
    if (!info || !info->is_directory) {
      problems->push_back(Problem{Severity::kWarning, entity.manifest, 0, entity.name,
                                  "partition pattern " + pattern.name + ": the folder " + pattern.root_location +
                                      " does not exist; the pattern matches no files"});
      continue;
    }
    std::vector<std::string> files;
    try {
      files = resolver.fs().ListFilesRecursive(root);
    } catch (const Error& e) {
      problems->push_back(Problem{Severity::kError, entity.manifest, 0, entity.name, e.message()});
      continue;
    }
    for (const std::string& file : files) {
      // Hidden files (editor and tool leftovers) are never data.
      if (BaseName(file).front() == '.') continue;
      auto captures = matcher.Match(file);
      if (!captures) continue;
      std::string location = pattern.root_location.empty() ? file : pattern.root_location + "/" + file;
      if (!seen.insert(location).second) continue;
      Partition partition{BaseName(file), location, pattern.format, pattern.csv, {}, pattern.name};
      for (size_t i = 0; i < captures->size() && i < pattern.parameters.size(); ++i) {
        partition.arguments.emplace_back(pattern.parameters[i], (*captures)[i]);
      }
      out.push_back(std::move(partition));
    }
  }
  return out;
}

}  // namespace cdmlake::cdm

// Lists the data files of an entity: its explicit partitions, plus the files that its partition patterns match
// below their root folders (an explicit partition wins over an inferred one for the same file). Reads
// directories, so it is done when a table is used, not cached with the metadata. Thread-compatible.
#pragma once

#include <vector>

#include "cdm/location.h"
#include "cdm/model.h"

namespace cdmlake::cdm {

// Problems (a pattern root that does not exist...) are added with the entity's manifest as file.
std::vector<Partition> ListPartitions(const LocationResolver& resolver, const Entity& entity,
                                      std::vector<Problem>* problems);

}  // namespace cdmlake::cdm

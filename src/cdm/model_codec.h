// A compact binary encoding of the model, for the catalog cache. A warm start of a lake with thousands of entities
// must take milliseconds: decoding through a JSON document tree (even CBOR) costs about as much as reading the
// metadata again, so the cache is written and read field by field. Decoding checks every length and returns false
// on anything malformed (a damaged cache is rebuilt, never trusted). Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cdm/model.h"

namespace cdmlake::cdm {

std::string EncodeRoots(const std::vector<RootDocument>& roots);
bool DecodeRoots(std::string_view data, std::vector<RootDocument>* roots);

}  // namespace cdmlake::cdm

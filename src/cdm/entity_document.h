// Reading the attributes of a resolved CDM entity definition (<Entity>.cdm.json).
//
// Resolved documents (what D365, Synapse Link and the SDK's samples write) list flat type attributes with a
// dataFormat or a dataType, and their traits. Logical documents (entity attributes, attribute groups,
// projections) need a full CDM resolver and are reported as problems pointing at the resolved copy.
// Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cdm/json_document.h"
#include "cdm/model.h"

namespace cdmlake::cdm {

// The definition of entity_name in the document's "definitions" (case-insensitive), or nullptr.
const nlohmann::json* FindEntityDefinition(const JsonDocument& doc, std::string_view entity_name);

// Reads the attributes of a definition. Adds a Problem for each attribute that cannot be read (naming the
// document, line and entity) and sets *readable to false when any such problem is an error.
std::vector<Attribute> ReadEntityAttributes(const JsonDocument& doc, const nlohmann::json& definition,
                                            const std::string& entity, std::vector<Problem>* problems,
                                            bool* readable);

// Sets precision, scale, maximum length, nullability, key and enum values of an attribute from its traits.
// Shared by entity documents (appliedTraits) and model.json (cdm:traits).
void ApplyAttributeTraits(const std::vector<TraitRef>& traits, Attribute* attribute);

}  // namespace cdmlake::cdm

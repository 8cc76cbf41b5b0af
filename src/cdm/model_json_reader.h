// Reads a model.json (the CDM folder format v1 written by Power BI dataflows, Synapse Link for Dataverse and
// Customer Insights) into flat entities. Tolerant of missing optional keys and of producer-specific keys
// (pbi:*, Synapse Link's "maxLength"); problems are collected, never thrown. Thread-compatible.
#pragma once

#include <string>

#include "cdm/location.h"
#include "cdm/model.h"

namespace cdmlake::cdm {

// Reads the model.json at lake-relative `path`; result.failed is set when it could not be read at all.
RootDocument ReadModelJson(const LocationResolver& resolver, const std::string& path);

}  // namespace cdmlake::cdm

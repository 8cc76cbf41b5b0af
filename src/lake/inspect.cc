#include "lake/inspect.h"

#include "cdm/partition_listing.h"
#include "util/strings.h"

namespace cdmlake::lake {

namespace {

const char* FormatName(cdm::FileFormat f) { return f == cdm::FileFormat::kParquet ? "parquet" : "csv"; }
const char* Bool(bool b) { return b ? "true" : "false"; }

// Appends "key": value pairs; the caller writes the braces.
class ObjectWriter {
 public:
  explicit ObjectWriter(std::string* out) : out_(out) {}
  ObjectWriter& Raw(const char* key, std::string_view raw) {
    Key(key);
    out_->append(raw);
    return *this;
  }
  ObjectWriter& Str(const char* key, std::string_view value) {
    Key(key);
    AppendJsonQuoted(out_, value);
    return *this;
  }
  ObjectWriter& Int(const char* key, int64_t value) { return Raw(key, std::to_string(value)); }
  ObjectWriter& Flag(const char* key, bool value) { return Raw(key, Bool(value)); }

 private:
  void Key(const char* key) {
    if (!first_) out_->append(", ");
    first_ = false;
    out_->push_back('"');
    out_->append(key);  // keys are plain identifiers
    out_->append("\": ");
  }
  std::string* out_;
  bool first_ = true;
};

void WriteColumn(const cdm::Attribute& a, std::string* out) {
  std::string enums = "[";
  for (size_t i = 0; i < a.enum_values.size(); ++i) {
    const cdm::EnumValue& v = a.enum_values[i];
    enums += (i > 0 ? ", " : "") + std::string("{\"value\": ") + std::to_string(v.value) +
             ", \"symbol\": " + JsonQuote(v.symbol) + ", \"label\": " + JsonQuote(v.label) + "}";
  }
  enums += "]";
  *out += "{";
  ObjectWriter(out)
      .Str("name", a.name)
      .Str("cdm_type", a.declared_type)
      .Str("data_format", cdm::DataFormatName(a.format))
      .Str("sql_type", a.SqlType())
      .Flag("nullable", a.nullable)
      .Flag("primary_key", a.primary_key)
      .Int("maximum_length", a.maximum_length)
      .Int("precision", a.precision)
      .Int("scale", a.scale)
      .Raw("enum_values", enums);
  *out += "}";
}

void WritePartition(const InspectedPartition& ip, std::string* out) {
  const cdm::Partition& p = ip.partition;
  std::string args = "{";
  for (size_t i = 0; i < p.arguments.size(); ++i) {
    args += (i > 0 ? ", " : "") + JsonQuote(p.arguments[i].first) + ": " + JsonQuote(p.arguments[i].second);
  }
  args += "}";
  *out += "{";
  ObjectWriter(out)
      .Str("location", p.location)
      .Str("format", FormatName(p.format))
      .Str("pattern", p.pattern)
      .Raw("arguments", args)
      .Int("bytes", ip.bytes);
  *out += "}";
}

}  // namespace

bool InspectReport::has_errors() const {
  for (const cdm::Problem& p : problems) {
    if (p.severity == cdm::Severity::kError) return true;
  }
  return false;
}

InspectReport Inspect(const Catalog& catalog) {
  InspectReport report;
  report.lake = catalog.lake_root();
  report.problems = catalog.problems();
  cdm::LocationResolver resolver = catalog.resolver();
  for (const cdm::Entity* e : catalog.entities()) {
    InspectedEntity inspected{e, {}};
    for (cdm::Partition& p : cdm::ListPartitions(resolver, *e, &report.problems)) {
      auto info = catalog.fs().Stat(resolver.Absolute(p.location));
      bool missing = !info || info->is_directory;
      if (missing) {
        report.problems.push_back(cdm::Problem{cdm::Severity::kError, e->manifest, 0, e->name,
                                               "the data file " + p.location + " does not exist"});
      }
      inspected.partitions.push_back(InspectedPartition{std::move(p), missing ? -1 : static_cast<int64_t>(info->size)});
    }
    report.entities.push_back(std::move(inspected));
  }
  return report;
}

std::string InspectJson(const InspectReport& report) {
  size_t estimate = 4096;
  for (const InspectedEntity& ie : report.entities) {
    estimate += 512 + ie.entity->attributes.size() * 260 + ie.partitions.size() * 200;
  }
  std::string out;
  out.reserve(estimate);
  out += "{\n  \"lake\": " + JsonQuote(report.lake) + ",\n  \"entities\": [";
  for (size_t i = 0; i < report.entities.size(); ++i) {
    const InspectedEntity& ie = report.entities[i];
    const cdm::Entity& e = *ie.entity;
    out += i > 0 ? ",\n    {" : "\n    {";
    ObjectWriter(&out)
        .Str("name", e.name)
        .Str("schema", e.schema)
        .Str("manifest", e.manifest)
        .Str("document", e.document)
        .Flag("readable", e.readable)
        .Int("partition_count", static_cast<int64_t>(ie.partitions.size()));
    out += ",\n     \"partitions\": [";
    for (size_t p = 0; p < ie.partitions.size(); ++p) {
      out += p > 0 ? ",\n       " : "\n       ";
      WritePartition(ie.partitions[p], &out);
    }
    out += ie.partitions.empty() ? "]" : "\n     ]";
    out += ",\n     \"columns\": [";
    for (size_t c = 0; c < e.attributes.size(); ++c) {
      out += c > 0 ? ",\n       " : "\n       ";
      WriteColumn(e.attributes[c], &out);
    }
    out += e.attributes.empty() ? "]}" : "\n     ]}";
  }
  out += report.entities.empty() ? "],\n  \"problems\": [" : "\n  ],\n  \"problems\": [";
  for (size_t i = 0; i < report.problems.size(); ++i) {
    const cdm::Problem& p = report.problems[i];
    out += i > 0 ? ",\n    {" : "\n    {";
    ObjectWriter(&out)
        .Str("severity", p.severity == cdm::Severity::kError ? "error" : "warning")
        .Str("file", p.file)
        .Int("line", p.line)
        .Str("entity", p.entity)
        .Str("message", p.message);
    out += "}";
  }
  out += report.problems.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace cdmlake::lake

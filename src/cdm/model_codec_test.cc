#include "cdm/model_codec.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cdmlake::cdm {

// The model as JSON, only as an oracle that compares every field of a decoded catalog with the original.
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(EnumValue, value, symbol, label)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Attribute, name, format, declared_type, precision, scale, maximum_length, nullable,
                                   primary_key, description, enum_values)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CsvFormat, header, delimiter, quote, escape, encoding, newline, skip_lines)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Partition, name, location, format, csv, arguments, pattern)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(PartitionPattern, name, root_location, glob, regex, parameters, format, csv)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Problem, severity, file, line, entity, message)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(Entity, name, schema, manifest, document, description, attributes, partitions,
                                   patterns, d365_empty_dates, readable)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(DocumentStamp, path, size, mtime_ns)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RootDocument, path, name, entities, problems, documents, failed)

namespace {

std::vector<RootDocument> Sample() {
  RootDocument root;
  root.path = "Tables/Tables.manifest.cdm.json";
  root.name = "Tables";
  Entity e;
  e.name = "SalesLine";
  e.schema = "Tables";
  e.manifest = "Tables/x.manifest.cdm.json";
  e.document = "Tables/SalesLine.cdm.json";
  e.description = "lines, \"quoted\"\nand ü";
  e.d365_empty_dates = true;
  e.readable = false;
  Attribute a;
  a.name = "AMOUNT";
  a.format = DataFormat::kDecimal;
  a.declared_type = "Decimal";
  a.precision = 32;
  a.scale = 6;
  a.maximum_length = -1;
  a.nullable = false;
  a.primary_key = true;
  a.enum_values = {{-3, "Neg", "Negative"}, {4000000000LL, "Big", ""}};
  e.attributes = {a, Attribute{}};
  Partition p;
  p.name = "p1";
  p.location = "Tables/SalesLine/SALESLINE_00001.csv";
  p.format = FileFormat::kParquet;
  p.csv.header = true;
  p.csv.delimiter = ";";
  p.csv.skip_lines = 2;
  p.arguments = {{"year", "2024"}};
  p.pattern = "byYear";
  e.partitions = {p};
  PartitionPattern pat;
  pat.name = "byYear";
  pat.root_location = "Tables/SalesLine";
  pat.regex = "/(\\d{4})/x.csv";
  pat.parameters = {"year"};
  e.patterns = {pat};
  root.entities = {e};
  root.problems = {Problem{Severity::kWarning, "f", 12, "SalesLine", "m"}};
  root.documents = {DocumentStamp{"a", -1, 0}, DocumentStamp{"b", 123, 1732200000123456789}};
  RootDocument failed;
  failed.path = "bad/model.json";
  failed.failed = true;
  return {root, failed};
}

TEST(ModelCodecTest, RoundTripsEveryField) {
  std::vector<RootDocument> in = Sample();
  std::vector<RootDocument> out;
  ASSERT_TRUE(DecodeRoots(EncodeRoots(in), &out));
  // Compare through the JSON form, which covers every field.
  EXPECT_EQ(nlohmann::json(out).dump(), nlohmann::json(in).dump());
}

TEST(ModelCodecTest, DamagedDataIsRejectedNotTrusted) {
  std::string data = EncodeRoots(Sample());
  std::vector<RootDocument> out;
  for (size_t cut = 0; cut < data.size(); ++cut) {
    EXPECT_FALSE(DecodeRoots(std::string_view(data).substr(0, cut), &out)) << "truncated at " << cut;
  }
  EXPECT_FALSE(DecodeRoots(data + "x", &out)) << "trailing bytes";
  EXPECT_FALSE(DecodeRoots("garbage", &out));
  std::string flipped = data;
  for (size_t i = 20; i < flipped.size(); i += 7) flipped[i] = static_cast<char>(0xFF);
  DecodeRoots(flipped, &out);  // must not crash or allocate without bound, whatever it returns
}

}  // namespace
}  // namespace cdmlake::cdm

#include "cdm/model_codec.h"

#include <cstdint>
#include <cstring>

namespace cdmlake::cdm {

namespace {

constexpr char kMagic[] = "CDMLAKE-CATALOG-2";

class Encoder {
 public:
  void U64(uint64_t v) {
    while (v >= 0x80) {
      out_ += static_cast<char>((v & 0x7F) | 0x80);
      v >>= 7;
    }
    out_ += static_cast<char>(v);
  }
  void I64(int64_t v) { U64((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }  // zigzag
  void Bool(bool v) { U64(v ? 1 : 0); }
  void Str(std::string_view s) {
    U64(s.size());
    out_.append(s);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class Decoder {
 public:
  explicit Decoder(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  uint64_t U64() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Fail();
      uint8_t b = static_cast<uint8_t>(in_[pos_++]);
      v |= static_cast<uint64_t>(b & 0x7F) << shift;
      if (!(b & 0x80)) return v;
    }
    return Fail();
  }
  int64_t I64() {
    uint64_t u = U64();
    return static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  bool Bool() { return U64() != 0; }
  std::string Str() {
    uint64_t n = U64();
    if (!ok_ || n > in_.size() - pos_) {
      Fail();
      return "";
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  // A count of items that each take at least one byte: larger than what is left means damage.
  size_t Count() {
    uint64_t n = U64();
    if (n > in_.size() - pos_) {
      Fail();
      return 0;
    }
    return static_cast<size_t>(n);
  }

 private:
  uint64_t Fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void Put(Encoder& e, const CsvFormat& c) {
  e.Bool(c.header);
  e.Str(c.delimiter);
  e.Str(c.quote);
  e.Str(c.escape);
  e.Str(c.encoding);
  e.Str(c.newline);
  e.I64(c.skip_lines);
}

void Get(Decoder& d, CsvFormat* c) {
  c->header = d.Bool();
  c->delimiter = d.Str();
  c->quote = d.Str();
  c->escape = d.Str();
  c->encoding = d.Str();
  c->newline = d.Str();
  c->skip_lines = static_cast<int>(d.I64());
}

void Put(Encoder& e, const Attribute& a) {
  e.Str(a.name);
  e.U64(static_cast<uint64_t>(a.format));
  e.Str(a.declared_type);
  e.I64(a.precision);
  e.I64(a.scale);
  e.I64(a.maximum_length);
  e.Bool(a.nullable);
  e.Bool(a.primary_key);
  e.Str(a.description);
  e.U64(a.enum_values.size());
  for (const EnumValue& v : a.enum_values) {
    e.I64(v.value);
    e.Str(v.symbol);
    e.Str(v.label);
  }
}

void Get(Decoder& d, Attribute* a) {
  a->name = d.Str();
  uint64_t format = d.U64();
  a->format = format <= static_cast<uint64_t>(DataFormat::kJson) ? static_cast<DataFormat>(format) : DataFormat::kUnknown;
  a->declared_type = d.Str();
  a->precision = static_cast<int>(d.I64());
  a->scale = static_cast<int>(d.I64());
  a->maximum_length = d.I64();
  a->nullable = d.Bool();
  a->primary_key = d.Bool();
  a->description = d.Str();
  a->enum_values.resize(d.Count());
  for (EnumValue& v : a->enum_values) {
    v.value = d.I64();
    v.symbol = d.Str();
    v.label = d.Str();
  }
}

void PutArguments(Encoder& e, const std::vector<std::pair<std::string, std::string>>& args) {
  e.U64(args.size());
  for (const auto& [k, v] : args) {
    e.Str(k);
    e.Str(v);
  }
}

void GetArguments(Decoder& d, std::vector<std::pair<std::string, std::string>>* args) {
  args->resize(d.Count());
  for (auto& [k, v] : *args) {
    k = d.Str();
    v = d.Str();
  }
}

void Put(Encoder& e, const Entity& x) {
  e.Str(x.name);
  e.Str(x.schema);
  e.Str(x.manifest);
  e.Str(x.document);
  e.Str(x.description);
  e.Bool(x.d365_empty_dates);
  e.Bool(x.readable);
  e.U64(x.attributes.size());
  for (const Attribute& a : x.attributes) Put(e, a);
  e.U64(x.partitions.size());
  for (const Partition& p : x.partitions) {
    e.Str(p.name);
    e.Str(p.location);
    e.U64(static_cast<uint64_t>(p.format));
    Put(e, p.csv);
    PutArguments(e, p.arguments);
    e.Str(p.pattern);
  }
  e.U64(x.patterns.size());
  for (const PartitionPattern& p : x.patterns) {
    e.Str(p.name);
    e.Str(p.root_location);
    e.Str(p.glob);
    e.Str(p.regex);
    e.U64(p.parameters.size());
    for (const std::string& s : p.parameters) e.Str(s);
    e.U64(static_cast<uint64_t>(p.format));
    Put(e, p.csv);
  }
}

FileFormat FormatFrom(uint64_t v) { return v == 1 ? FileFormat::kParquet : FileFormat::kCsv; }

void Get(Decoder& d, Entity* x) {
  x->name = d.Str();
  x->schema = d.Str();
  x->manifest = d.Str();
  x->document = d.Str();
  x->description = d.Str();
  x->d365_empty_dates = d.Bool();
  x->readable = d.Bool();
  x->attributes.resize(d.Count());
  for (Attribute& a : x->attributes) Get(d, &a);
  x->partitions.resize(d.Count());
  for (Partition& p : x->partitions) {
    p.name = d.Str();
    p.location = d.Str();
    p.format = FormatFrom(d.U64());
    Get(d, &p.csv);
    GetArguments(d, &p.arguments);
    p.pattern = d.Str();
  }
  x->patterns.resize(d.Count());
  for (PartitionPattern& p : x->patterns) {
    p.name = d.Str();
    p.root_location = d.Str();
    p.glob = d.Str();
    p.regex = d.Str();
    p.parameters.resize(d.Count());
    for (std::string& s : p.parameters) s = d.Str();
    p.format = FormatFrom(d.U64());
    Get(d, &p.csv);
  }
}

}  // namespace

std::string EncodeRoots(const std::vector<RootDocument>& roots) {
  Encoder e;
  e.Str(kMagic);
  e.U64(roots.size());
  for (const RootDocument& r : roots) {
    e.Str(r.path);
    e.Str(r.name);
    e.Bool(r.failed);
    e.U64(r.entities.size());
    for (const Entity& x : r.entities) Put(e, x);
    e.U64(r.problems.size());
    for (const Problem& p : r.problems) {
      e.U64(p.severity == Severity::kError ? 0 : 1);
      e.Str(p.file);
      e.I64(p.line);
      e.Str(p.entity);
      e.Str(p.message);
    }
    e.U64(r.documents.size());
    for (const DocumentStamp& s : r.documents) {
      e.Str(s.path);
      e.I64(s.size);
      e.I64(s.mtime_ns);
    }
  }
  return e.Take();
}

bool DecodeRoots(std::string_view data, std::vector<RootDocument>* roots) {
  Decoder d(data);
  if (d.Str() != kMagic || !d.ok()) return false;
  roots->clear();
  roots->resize(d.Count());
  for (RootDocument& r : *roots) {
    r.path = d.Str();
    r.name = d.Str();
    r.failed = d.Bool();
    r.entities.resize(d.Count());
    for (Entity& x : r.entities) Get(d, &x);
    r.problems.resize(d.Count());
    for (Problem& p : r.problems) {
      p.severity = d.U64() == 0 ? Severity::kError : Severity::kWarning;
      p.file = d.Str();
      p.line = d.I64();
      p.entity = d.Str();
      p.message = d.Str();
    }
    r.documents.resize(d.Count());
    for (DocumentStamp& s : r.documents) {
      s.path = d.Str();
      s.size = d.I64();
      s.mtime_ns = d.I64();
    }
    if (!d.ok()) return false;
  }
  return d.ok() && d.done();
}

}  // namespace cdmlake::cdm

#include "cdm/manifest_reader.h"

#include <set>

#include "cdm/document_loader.h"
#include "cdm/entity_document.h"
#include "cdm/partition_format.h"
#include "cdm/partition_pattern.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::cdm {

namespace {

constexpr int kMaxManifestDepth = 64;

class ManifestTreeReader {
 public:
  ManifestTreeReader(const LocationResolver& resolver, RootDocument* root)
      : resolver_(resolver), root_(root), loader_(resolver, root) {}

  void ReadManifest(const std::string& path, const std::string& referrer, int depth) {
    if (depth > kMaxManifestDepth) {
      Error(referrer, 0, "", "sub-manifests are nested more than " + std::to_string(kMaxManifestDepth) + " deep");
      return;
    }
    if (!visited_.insert(path).second) {
      Error(referrer, 0, "", "the sub-manifest " + path + " is included twice (a cycle?); read once");
      return;
    }
    const JsonDocument* doc = loader_.Load(path, referrer);
    if (!doc) {
      if (depth == 0) root_->failed = true;
      return;
    }
    if (depth == 0) {
      root_->name = StringMember(doc->json, "manifestName");
      if (root_->name.empty()) root_->name = StringMember(doc->json, "folioName");
    }
    if (const nlohmann::json* entities = Member(doc->json, "entities")) {
      if (entities->is_array()) {
        for (const auto& decl : *entities) ReadEntityDeclaration(*doc, decl);
      } else {
        Error(path, doc->LineOf("\"entities\""), "", "\"entities\" is not a list");
      }
    }
    if (const nlohmann::json* subs = Member(doc->json, "subManifests"); subs && subs->is_array()) {
      for (const auto& sub : *subs) {
        std::string definition = StringMember(sub, "definition");
        if (definition.empty()) {
          Error(path, doc->LineOf("\"subManifests\""), "", "a sub-manifest has no definition");
          continue;
        }
        ResolvedLocation where = resolver_.Resolve(path, definition);
        if (!where.ok) {
          Error(path, doc->LineOfName(definition), "", "sub-manifest " + where.error);
          continue;
        }
        ReadManifest(where.path, path, depth + 1);
      }
    }
  }

 private:
  void Error(const std::string& file, int64_t line, const std::string& entity, const std::string& message) {
    root_->problems.push_back(Problem{Severity::kError, file, line, entity, message});
  }
  void Warning(const std::string& file, int64_t line, const std::string& entity, const std::string& message) {
    root_->problems.push_back(Problem{Severity::kWarning, file, line, entity, message});
  }

  // Finds the entity document, preferring a resolved copy (resolved/<doc> or <doc>-resolved.cdm.json).
  std::string FindEntityDocument(const std::string& doc_path) {
    std::string dir = DirName(doc_path);
    std::string file = BaseName(doc_path);
    if (BaseName(dir) != "resolved" && !EndsWithIgnoreCase(file, "-resolved.cdm.json")) {
      std::string in_folder = JoinPath(dir, "resolved/" + file);
      if (loader_.Exists(in_folder)) return in_folder;
      if (EndsWithIgnoreCase(file, ".cdm.json")) {
        std::string suffixed = JoinPath(dir, file.substr(0, file.size() - 9) + "-resolved.cdm.json");
        if (loader_.Exists(suffixed)) return suffixed;
      }
    }
    return doc_path;
  }

  void ReadEntityDeclaration(const JsonDocument& manifest, const nlohmann::json& decl) {
    Entity entity;
    entity.name = StringMember(decl, "entityName");
    entity.manifest = manifest.path;
    entity.d365_empty_dates = d365_;
    // Finding a line scans the document: only done for a problem.
    auto line = [&manifest, &entity] { return manifest.LineOfName(entity.name); };
    if (entity.name.empty()) {
      Error(manifest.path, 0, "", "an entity declaration has no entityName");
      return;
    }
    std::string type = StringMember(decl, "type");
    if (EqualsIgnoreCase(type, "ReferencedEntity")) {
      Warning(manifest.path, line(), entity.name,
              "referenced entities (declared in another manifest) are read from their own manifest, not here");
      return;
    }
    std::string entity_path = StringMember(decl, "entityPath");
    if (entity_path.empty()) entity_path = StringMember(decl, "entitySchema");  // legacy name
    size_t slash = entity_path.rfind('/');
    if (entity_path.empty() || slash == std::string::npos) {
      Error(manifest.path, line(), entity.name, "entityPath '" + entity_path + "' is not <document>.cdm.json/<Entity>");
      return;
    }
    std::string definition_name = entity_path.substr(slash + 1);
    ResolvedLocation doc_location = resolver_.Resolve(manifest.path, entity_path.substr(0, slash));
    if (!doc_location.ok) {
      Error(manifest.path, line(), entity.name, "entity document " + doc_location.error);
      return;
    }
    entity.document = FindEntityDocument(doc_location.path);
    entity.description = StringMember(decl, "explanation");
    if (const JsonDocument* doc = loader_.Load(entity.document, manifest.path)) {
      if (const nlohmann::json* definition = FindEntityDefinition(*doc, definition_name)) {
        entity.attributes = ReadEntityAttributes(*doc, *definition, entity.name, &root_->problems, &entity.readable);
        if (entity.description.empty()) entity.description = StringMember(*definition, "description");
      } else {
        Error(entity.document, 0, entity.name, "the document defines no entity named " + definition_name);
        entity.readable = false;
      }
    } else {
      entity.readable = false;
    }
    ReadPartitions(manifest, decl, &entity);
    root_->entities.push_back(std::move(entity));
  }

  void ReadPartitions(const JsonDocument& manifest, const nlohmann::json& decl, Entity* entity) {
    auto bad = [&](int64_t at, const std::string& message) {
      Error(manifest.path, at, entity->name, message);
      entity->readable = false;
    };
    if (const nlohmann::json* parts = Member(decl, "dataPartitions"); parts && parts->is_array()) {
      for (const auto& p : *parts) {
        std::string location = StringMember(p, "location");
        auto line = [&] { return location.empty() ? manifest.LineOfName(entity->name) : manifest.LineOfName(location); };
        ResolvedLocation where = resolver_.Resolve(manifest.path, location);
        if (!where.ok) {
          bad(line(), "partition " + where.error);
          continue;
        }
        std::vector<TraitRef> traits;
        if (const nlohmann::json* t = Member(p, "exhibitsTraits")) traits = ParseTraits(*t);
        PartitionFormat format = FormatFromTraits(traits, where.path);
        for (const auto& e : format.errors) bad(line(), "partition " + location + ": " + e);
        Partition partition{StringMember(p, "name"), where.path, format.format, format.csv, {}, ""};
        if (const nlohmann::json* args = Member(p, "arguments"); args && args->is_array()) {
          for (const auto& a : *args) {
            std::string name = StringMember(a, "name");
            if (name.empty()) name = StringMember(a, "key");
            partition.arguments.emplace_back(name, StringMember(a, "value"));
          }
        }
        entity->partitions.push_back(std::move(partition));
      }
    }
    if (const nlohmann::json* patterns = Member(decl, "dataPartitionPatterns"); patterns && patterns->is_array()) {
      for (const auto& p : *patterns) {
        PartitionPattern pattern;
        pattern.name = StringMember(p, "name");
        pattern.glob = StringMember(p, "globPattern");
        pattern.regex = StringMember(p, "regularExpression");
        auto line = [&] {
          return manifest.LineOfName(!pattern.glob.empty() ? pattern.glob : !pattern.regex.empty() ? pattern.regex : entity->name);
        };
        std::string root = StringMember(p, "rootLocation");
        ResolvedLocation where = resolver_.Resolve(manifest.path, root.empty() ? "." : root);
        if (!where.ok) {
          bad(line(), "partition pattern " + pattern.name + ": rootLocation " + where.error);
          continue;
        }
        pattern.root_location = where.path;
        if (!pattern.glob.empty() && !pattern.regex.empty()) {
          Warning(manifest.path, line(), entity->name,
                  "partition pattern " + pattern.name + " has both globPattern and regularExpression; the glob is used");
        }
        PatternMatcher matcher(pattern.glob, pattern.regex);
        if (!matcher.ok()) {
          bad(line(), "partition pattern " + pattern.name + ": " + matcher.error());
          continue;
        }
        if (const nlohmann::json* params = Member(p, "parameters"); params && params->is_array()) {
          for (const auto& param : *params) pattern.parameters.push_back(ScalarText(param));
        }
        std::vector<TraitRef> traits;
        if (const nlohmann::json* t = Member(p, "exhibitsTraits")) traits = ParseTraits(*t);
        PartitionFormat format = FormatFromTraits(traits, pattern.glob);
        for (const auto& e : format.errors) bad(line(), "partition pattern " + pattern.name + ": " + e);
        pattern.format = format.format;
        pattern.csv = format.csv;
        entity->patterns.push_back(std::move(pattern));
      }
    }
    for (const char* incremental : {"incrementalPartitions", "incrementalPartitionPatterns"}) {
      if (const nlohmann::json* inc = Member(decl, incremental); inc && inc->is_array() && !inc->empty()) {
        Warning(manifest.path, manifest.LineOf(incremental), entity->name,
                std::string(incremental) + " hold change data: they are applied by `cdmlake lake refresh`, "
                                           "not read as part of the table");
      }
    }
  }

 public:
  bool d365_ = false;

 private:
  const LocationResolver& resolver_;
  RootDocument* root_;
  DocumentLoader loader_;
  std::set<std::string> visited_;
};

}  // namespace

bool IsD365ExportManifest(const std::string& path) {
  std::string file = BaseName(path);
  return EqualsIgnoreCase(file, "Tables.manifest.cdm.json") || EqualsIgnoreCase(file, "ChangeFeed.manifest.cdm.json");
}

RootDocument ReadManifestTree(const LocationResolver& resolver, const std::string& path) {
  RootDocument root;
  root.path = path;
  ManifestTreeReader reader(resolver, &root);
  reader.d365_ = IsD365ExportManifest(path);
  reader.ReadManifest(path, "", 0);
  if (root.name.empty()) root.name = BaseName(DirName(path));
  return root;
}

}  // namespace cdmlake::cdm

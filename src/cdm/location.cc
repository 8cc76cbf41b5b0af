#include "cdm/location.h"

#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::cdm {

namespace {
std::string_view AfterScheme(std::string_view location, size_t scheme_end) {
  std::string_view rest = location.substr(scheme_end);
  // Drop the query string that Power BI dataflows add (?snapshot=...).
  if (size_t q = rest.find('?'); q != std::string_view::npos) rest = rest.substr(0, q);
  return rest;
}
}  // namespace

std::string LocationResolver::Absolute(std::string_view relative) const {
  return relative.empty() ? lake_root_ : JoinPath(lake_root_, relative);
}

ResolvedLocation LocationResolver::Relative(std::string_view base_dir, std::string_view path,
                                            std::string_view original) const {
  std::string joined = NormalizePath(JoinPath(base_dir.empty() ? "." : base_dir, path));
  if (joined == ".." || joined.rfind("../", 0) == 0) {
    return {false, "", "location '" + std::string(original) + "' is outside the lake root " + lake_root_};
  }
  return {true, joined == "." ? "" : joined, ""};
}

ResolvedLocation LocationResolver::FromSegments(std::string_view document_dir, std::string_view url_path) const {
  std::vector<std::string> segments;
  for (std::string& s : Split(PercentDecode(url_path), '/')) {
    if (!s.empty()) segments.push_back(std::move(s));
  }
  if (segments.empty()) return {false, "", "location has no path"};
  for (const std::string& s : segments) {
    if (s == "..") return {false, "", "location '" + std::string(url_path) + "' is outside the lake root " + lake_root_};
  }
  // The longest suffix that exists wins; first below the document's folder, then below the lake root.
  for (size_t k = 0; k < segments.size(); ++k) {
    std::string suffix = Join(std::vector<std::string>(segments.begin() + static_cast<std::ptrdiff_t>(k), segments.end()), "/");
    for (std::string_view base : {document_dir, std::string_view()}) {
      ResolvedLocation r = Relative(base, suffix, suffix);
      if (r.ok && fs_.Stat(Absolute(r.path))) return r;
    }
  }
  // Nothing exists: assume the first segment is the container and the rest is below the lake root, so the
  // "missing file" message names a plausible path.
  std::string rest = segments.size() > 1
                         ? Join(std::vector<std::string>(segments.begin() + 1, segments.end()), "/")
                         : segments[0];
  return Relative("", rest, url_path);
}

ResolvedLocation LocationResolver::Resolve(std::string_view document_path, std::string_view location) const {
  std::string document_dir = DirName(document_path);
  std::string_view loc = Trim(location);
  if (loc.empty()) return {false, "", "location is empty"};
  if (size_t scheme = loc.find("://"); scheme != std::string_view::npos && scheme < 10) {
    std::string_view rest = AfterScheme(loc, scheme + 3);
    size_t slash = rest.find('/');
    return FromSegments(document_dir, slash == std::string_view::npos ? "" : rest.substr(slash));
  }
  if (size_t colon = loc.find(":/"); colon != std::string_view::npos && colon > 1 && loc.find('/') > colon) {
    std::string ns = ToLower(loc.substr(0, colon));
    std::string_view rest = loc.substr(colon + 1);
    if (ns == "cdm") return {false, "", "'" + std::string(loc) + "' is a CDM standard document, not data"};
    if (ns == "local") return Relative("", std::string(rest.substr(1)), loc);
    return FromSegments(document_dir, rest);  // adls:/container/path and other storage namespaces
  }
  if (loc.front() == '/') {
    std::string absolute = NormalizePath(loc);
    if (IsWithin(lake_root_, absolute)) return {true, RelativePath(lake_root_, absolute), ""};
    // A corpus path that is absolute within the lake's namespace ("/Tables/x.csv").
    ResolvedLocation r = Relative("", loc.substr(1), loc);
    if (r.ok && fs_.Stat(Absolute(r.path))) return r;
    return {false, "", "location '" + std::string(loc) + "' is outside the lake root " + lake_root_};
  }
  return Relative(document_dir, PercentDecode(loc), loc);
}

}  // namespace cdmlake::cdm

#include "server/users_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "util/error.h"
#include "util/path.h"
#include "util/strings.h"

namespace cdmlake::server {
namespace {

constexpr const char* kFormatHint =
    "each line is NAME:SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>; "
    "`cdmlake serve adduser --users FILE NAME` writes one";

// The lines of a file without their '\n'; a final line without '\n' counts, an empty tail after the last '\n'
// does not.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

bool IsCommentOrBlank(std::string_view trimmed) { return trimmed.empty() || trimmed[0] == '#'; }

// The name part of a non-comment line (before the first ':'), whole line when there is no ':'.
std::string_view NameOf(std::string_view trimmed) { return trimmed.substr(0, trimmed.find(':')); }

}  // namespace

std::string CheckUserName(std::string_view name) {
  if (name.empty()) return "empty user name";
  if (name[0] == '#') return "user name \"" + std::string(name) + "\" starts with '#' (a comment)";
  for (char c : name) {
    auto u = static_cast<unsigned char>(c);
    if (c == ':') return "user name \"" + std::string(name) + "\" contains ':'";
    if (u == ' ' || (u >= '\t' && u <= '\r')) return "user name \"" + std::string(name) + "\" contains whitespace";
    if (u < 0x20 || u == 0x7F) return "user name contains a control character";
  }
  return "";
}

UsersFile UsersFile::Parse(std::string_view text, const std::string& file_name) {
  UsersFile out;
  std::vector<std::string_view> lines = Lines(StripUtf8Bom(text));
  for (size_t i = 0; i < lines.size(); ++i) {
    Location where{file_name, static_cast<int64_t>(i + 1)};
    std::string_view line = Trim(lines[i]);
    if (IsCommentOrBlank(line)) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      throw Error(ErrorKind::kUser, "expected NAME:VERIFIER, found no ':'", where, kFormatHint);
    }
    std::string_view name = line.substr(0, colon);
    std::string problem = CheckUserName(name);
    if (!problem.empty()) throw Error(ErrorKind::kUser, problem, where, kFormatHint);
    std::optional<ScramVerifier> verifier = ScramVerifier::Parse(line.substr(colon + 1));
    if (!verifier) {
      throw Error(ErrorKind::kUser, "bad SCRAM-SHA-256 verifier for user \"" + std::string(name) + "\"", where,
                  kFormatHint);
    }
    if (!out.users_.emplace(std::string(name), std::move(*verifier)).second) {
      throw Error(ErrorKind::kUser, "duplicate user \"" + std::string(name) + "\"", where,
                  "keep one line per user");
    }
  }
  return out;
}

UsersFile UsersFile::Load(const std::string& path, FileSystem* fs) {
  std::string text;
  try {
    text = fs->ReadFile(path);
  } catch (const Error& e) {
    throw Error(ErrorKind::kUser, "cannot read the users file: " + e.message(), Location{path},
                "create it with `cdmlake serve adduser --users " + path + " NAME`");
  }
  return Parse(text, path);
}

const ScramVerifier* UsersFile::Find(std::string_view name) const {
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : &it->second;
}

std::vector<std::string> UsersFile::names() const {
  std::vector<std::string> out;
  for (const auto& [name, verifier] : users_) out.push_back(name);
  return out;
}

void AddUser(const std::string& path, const std::string& name, std::string_view password, int iterations) {
  std::string problem = CheckUserName(name);
  if (!problem.empty()) throw Error(ErrorKind::kUser, problem);
  FileSystem* fs = DefaultFileSystem();
  std::string old_text;
  if (fs->Stat(path)) {
    old_text = fs->ReadFile(path);
    UsersFile::Parse(old_text, path);  // refuse to rewrite (and so spread) a broken file
  }
  std::string entry = name + ":" + MakeScramVerifier(password, iterations).ToString();

  std::string new_text;
  bool replaced = false;
  for (std::string_view line : Lines(StripUtf8Bom(old_text))) {
    std::string_view trimmed = Trim(line);
    if (!IsCommentOrBlank(trimmed) && NameOf(trimmed) == name) {
      new_text += entry;  // Parse above guarantees there is at most one such line
      replaced = true;
    } else {
      new_text += line;
    }
    new_text += '\n';
  }
  if (!replaced) new_text += entry + "\n";

  // FileSystem::WriteFileAtomic creates its temporary file 0644; the verifiers are offline-attackable, so the
  // temporary file is made 0600 before anything is written to it and then renamed over the old one.
  static std::atomic<uint64_t> counter{0};
  std::string temp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter++);
  try {
    auto file = fs->NewWritableFile(temp);
    if (::chmod(temp.c_str(), S_IRUSR | S_IWUSR) != 0) {
      throw Error(ErrorKind::kIo, std::string("cannot restrict permissions: ") + std::strerror(errno),
                  Location{temp});
    }
    file->Append(new_text);
    file->Sync();
    file->Close();
    fs->Rename(temp, path);
  } catch (...) {
    fs->RemoveFile(temp);
    throw;
  }
  std::string dir = DirName(path);
  fs->SyncPath(dir.empty() ? "." : dir);
}

}  // namespace cdmlake::server

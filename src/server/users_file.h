// The users file of `cdmlake serve --users FILE`: who may log in, each with a SCRAM-SHA-256 verifier.
//
// One user per line, "name:SCRAM-SHA-256$<iter>:<salt>$<StoredKey>:<ServerKey>" (PostgreSQL's pg_authid form,
// so verifiers can be copied from or to a PostgreSQL cluster); lines starting with '#' and blank lines are
// ignored; surrounding whitespace and a trailing '\r' are tolerated. A name is non-empty and holds no ':', no
// whitespace and no control characters, and does not start with '#'. Passwords are never stored.
//
// Thread-safety: a loaded UsersFile is immutable and may be read from any number of threads. AddUser must not
// run concurrently with another AddUser on the same file (the last rename wins).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/scram.h"
#include "util/file_system.h"

namespace cdmlake::server {

class UsersFile {
 public:
  // Reads and parses a users file. Throws cdmlake::Error kUser naming the file (and the line, for content
  // errors) when it cannot be read or is not valid: a malformed line, a bad verifier, a duplicate user, an
  // empty name, a name with ':' or whitespace.
  static UsersFile Load(const std::string& path, FileSystem* fs = DefaultFileSystem());
  // Parses the text of a users file; file_name only names the file in errors. Throws like Load.
  static UsersFile Parse(std::string_view text, const std::string& file_name);

  // The verifier of a user, or nullptr when there is no such user. The pointer lives as long as this object.
  const ScramVerifier* Find(std::string_view name) const;
  // The user names, sorted.
  std::vector<std::string> names() const;
  size_t size() const { return users_.size(); }

 private:
  std::map<std::string, ScramVerifier, std::less<>> users_;
};

// Why `name` cannot be a user name of the users file, or "" when it can.
std::string CheckUserName(std::string_view name);

// Creates the users file, or updates it, so that `name` logs in with `password`: a new verifier (random salt,
// `iterations` rounds) replaces the line of an existing entry for that name in place, or is appended; all other
// lines, comments included, are kept as they are. The file is written beside the old one and renamed over it
// (readers see the old or the new file, never a mix) with permissions 0600; a symbolic link at `path` is
// replaced by a regular file. Throws cdmlake::Error kUser for an invalid name or an existing file that does not
// parse (nothing is written then), kIo when the file cannot be written.
void AddUser(const std::string& path, const std::string& name, std::string_view password,
             int iterations = kScramDefaultIterations);

}  // namespace cdmlake::server

// Test twins for the session: an in-memory Stream that replays what a client sends and keeps what the server
// answers, builders for client messages, and a parser for server messages.
#pragma once

#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "server/stream.h"
#include "server/wire.h"

namespace cdmlake::server::testing {

class MemoryStream : public Stream {
 public:
  explicit MemoryStream(std::string input, std::string* output) : input_(std::move(input)), output_(output) {}
  size_t Read(void* data, size_t size) override {
    size_t n = std::min(size, input_.size() - position_);
    // Small reads exercise the reader's reassembly of messages split across reads.
    n = std::min<size_t>(n, 7);
    std::memcpy(data, input_.data() + position_, n);
    position_ += n;
    return n;
  }
  void WriteAll(const void* data, size_t size) override { output_->append(static_cast<const char*>(data), size); }

 private:
  std::string input_;
  size_t position_ = 0;
  std::string* output_;
};

// Client messages.
class ClientScript {
 public:
  ClientScript& Startup(const std::map<std::string, std::string>& params, int32_t code = 196608) {
    std::string body;
    AppendInt32(&body, code);
    for (const auto& [k, v] : params) body += k + '\0' + v + '\0';
    body.push_back('\0');
    AppendInt32(&bytes_, static_cast<int32_t>(body.size() + 4));
    bytes_ += body;
    return *this;
  }
  ClientScript& Raw(const std::string& raw) {
    bytes_ += raw;
    return *this;
  }
  ClientScript& Message(char type, const std::string& body) {
    bytes_.push_back(type);
    AppendInt32(&bytes_, static_cast<int32_t>(body.size() + 4));
    bytes_ += body;
    return *this;
  }
  ClientScript& Query(const std::string& sql) { return Message('Q', sql + '\0'); }
  ClientScript& Parse(const std::string& name, const std::string& sql, const std::vector<int32_t>& oids = {}) {
    std::string body = name + '\0' + sql + '\0';
    AppendInt16(&body, static_cast<int16_t>(oids.size()));
    for (int32_t oid : oids) AppendInt32(&body, oid);
    return Message('P', body);
  }
  // Text parameters (nullptr-free strings; "\x01NULL" means NULL) and result formats.
  ClientScript& Bind(const std::string& portal, const std::string& statement, const std::vector<std::string>& params,
                     const std::vector<int16_t>& result_formats = {}, const std::vector<int16_t>& param_formats = {}) {
    std::string body = portal + '\0' + statement + '\0';
    AppendInt16(&body, static_cast<int16_t>(param_formats.size()));
    for (int16_t f : param_formats) AppendInt16(&body, f);
    AppendInt16(&body, static_cast<int16_t>(params.size()));
    for (const std::string& p : params) {
      if (p == "\x01NULL") {
        AppendInt32(&body, -1);
      } else {
        AppendInt32(&body, static_cast<int32_t>(p.size()));
        body += p;
      }
    }
    AppendInt16(&body, static_cast<int16_t>(result_formats.size()));
    for (int16_t f : result_formats) AppendInt16(&body, f);
    return Message('B', body);
  }
  ClientScript& Describe(char kind, const std::string& name) { return Message('D', std::string(1, kind) + name + '\0'); }
  ClientScript& Execute(const std::string& portal, int32_t max_rows = 0) {
    std::string body = portal + '\0';
    AppendInt32(&body, max_rows);
    return Message('E', body);
  }
  ClientScript& Close(char kind, const std::string& name) { return Message('C', std::string(1, kind) + name + '\0'); }
  ClientScript& Sync() { return Message('S', ""); }
  ClientScript& Flush() { return Message('H', ""); }
  ClientScript& Terminate() { return Message('X', ""); }
  const std::string& bytes() const { return bytes_; }

 private:
  std::string bytes_;
};

struct ServerMessage {
  char type;
  std::string body;
  // Field of an ErrorResponse/NoticeResponse ('C', 'M', 'S'…).
  std::string Field(char code) const {
    size_t i = 0;
    while (i < body.size() && body[i] != '\0') {
      char c = body[i];
      size_t end = body.find('\0', i + 1);
      if (c == code) return body.substr(i + 1, end - i - 1);
      i = end + 1;
    }
    return {};
  }
  // DataRow values as text (NULL as "NULL").
  std::vector<std::string> Values() const {
    std::vector<std::string> out;
    int n = (static_cast<unsigned char>(body[0]) << 8) | static_cast<unsigned char>(body[1]);
    size_t p = 2;
    for (int i = 0; i < n; ++i) {
      int32_t len = ReadInt32(body.data() + p);
      p += 4;
      if (len < 0) {
        out.push_back("NULL");
      } else {
        out.push_back(body.substr(p, static_cast<size_t>(len)));
        p += static_cast<size_t>(len);
      }
    }
    return out;
  }
  // RowDescription: (name, type oid, format) per column.
  struct Column {
    std::string name;
    int32_t oid;
    int16_t format;
  };
  std::vector<Column> Columns() const {
    std::vector<Column> out;
    int n = (static_cast<unsigned char>(body[0]) << 8) | static_cast<unsigned char>(body[1]);
    size_t p = 2;
    for (int i = 0; i < n; ++i) {
      size_t end = body.find('\0', p);
      Column c{body.substr(p, end - p), 0, 0};
      p = end + 1 + 6;
      c.oid = ReadInt32(body.data() + p);
      p += 4 + 2 + 4;
      c.format = static_cast<int16_t>((static_cast<unsigned char>(body[p]) << 8) | static_cast<unsigned char>(body[p + 1]));
      p += 2;
      out.push_back(c);
    }
    return out;
  }
};

// Parses the server's bytes; the one-byte SSL answers ('N'/'S') come first when `ssl_answers` says so.
inline std::vector<ServerMessage> ParseServerMessages(const std::string& bytes, size_t ssl_answers = 0) {
  std::vector<ServerMessage> out;
  size_t p = 0;
  for (size_t i = 0; i < ssl_answers && p < bytes.size(); ++i, ++p) out.push_back({bytes[p], {}});
  while (p + 5 <= bytes.size()) {
    char type = bytes[p];
    int32_t len = ReadInt32(bytes.data() + p + 1);
    out.push_back({type, bytes.substr(p + 5, static_cast<size_t>(len) - 4)});
    p += 1 + static_cast<size_t>(len);
  }
  return out;
}

// The message types in order, as a string ("R S S K Z" without spaces) for compact assertions.
inline std::string Types(const std::vector<ServerMessage>& messages) {
  std::string s;
  for (const ServerMessage& m : messages) s.push_back(m.type);
  return s;
}

}  // namespace cdmlake::server::testing

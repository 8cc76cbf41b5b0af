// The framing of PostgreSQL's frontend/backend protocol v3: reading client messages from a Stream, taking their
// fields apart, and building server messages.
//
// Every message a client sends after the startup packet is a type byte, an Int32 length that counts itself, and a
// body; the startup packet has no type byte. All integers are big-endian and strings end with a NUL byte. A length
// that is negative, too small or above the configured limit, or a body that ends before its fields do, is a
// protocol violation (PgError 08P01): the caller ends the connection, as PostgreSQL does.
//
// Not thread-safe: a MessageReader or MessageWriter belongs to one session.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "server/stream.h"

namespace cdmlake::server {

// Field-by-field reading of one message body. Every read checks the bounds and throws PgError 08P01 naming the
// message when the body is too short.
class MessageCursor {
 public:
  MessageCursor(std::string_view body, char type) : body_(body), type_(type) {}

  int16_t Int16();
  int32_t Int32();
  uint8_t Byte();
  // A NUL-terminated string (without the NUL).
  std::string_view CString();
  // The next n bytes; n must not be negative.
  std::string_view Bytes(int32_t n);
  size_t remaining() const { return body_.size() - position_; }
  // Throws 08P01 when bytes are left over: a message longer than its fields is malformed too.
  void ExpectEnd() const;

 private:
  [[noreturn]] void Truncated() const;
  std::string_view body_;
  size_t position_ = 0;
  char type_;
};

// Reads whole messages from a stream into a reused buffer.
class MessageReader {
 public:
  // max_message: the largest body accepted (bigger ones are refused with 08P01 / 54000 before they are read).
  MessageReader(Stream* stream, size_t max_message) : stream_(stream), max_message_(max_message) {}

  void set_stream(Stream* stream) { stream_ = stream; }
  // The startup-phase packet (Int32 length, then the body whose first Int32 is the protocol code). Returns
  // false when the client closed the connection before sending anything.
  bool ReadStartup(std::string_view* body);
  // The next regular message; returns false at a clean end of the stream (between messages). The body stays
  // valid until the next call.
  bool ReadMessage(char* type, std::string_view* body);
  // True when buffered bytes wait to be processed (the session flushes its output before blocking otherwise).
  bool HasBuffered() const { return begin_ < end_; }

 private:
  // Ensures n bytes are buffered; returns false on end of stream before any of them arrived (at_boundary) and
  // throws 08P01 when the stream ends in the middle.
  bool Fill(size_t n, bool at_boundary);
  Stream* stream_;
  size_t max_message_;
  std::string buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
};

// Builds server messages into an output buffer and sends them when flushed.
class MessageWriter {
 public:
  explicit MessageWriter(Stream* stream) : stream_(stream) {}

  void set_stream(Stream* stream) { stream_ = stream; }
  // Starts a message of the given type; End() fills in its length.
  MessageWriter& Begin(char type);
  MessageWriter& Int16(int16_t value);
  MessageWriter& Int32(int32_t value);
  MessageWriter& Byte(uint8_t value);
  MessageWriter& CString(std::string_view value);
  MessageWriter& Bytes(std::string_view value);
  void End();
  // Raw bytes outside any message (the one-byte answer to SSLRequest).
  void Raw(std::string_view bytes);
  // The buffer being built, for encoders that append fields in place (DataRow values).
  std::string* buffer() { return &buffer_; }
  // Sends everything buffered.
  void Flush();
  // Sends when the buffer has grown large, so a big result streams instead of piling up in memory.
  void MaybeFlush() {
    if (buffer_.size() >= kFlushThreshold) Flush();
  }
  size_t buffered() const { return buffer_.size(); }

 private:
  static constexpr size_t kFlushThreshold = 64 * 1024;
  Stream* stream_;
  std::string buffer_;
  size_t message_start_ = std::string::npos;
};

// Big-endian integer helpers shared by the codecs.
void AppendInt16(std::string* out, int16_t value);
void AppendInt32(std::string* out, int32_t value);
void AppendInt64(std::string* out, int64_t value);
int32_t ReadInt32(const char* data);

}  // namespace cdmlake::server

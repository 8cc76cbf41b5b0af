#include "server/wire.h"

#include <cstring>

#include "server/pg_error.h"

namespace cdmlake::server {

namespace {

std::string MessageName(char type) {
  if (type == 0) return "startup packet";
  return std::string("message '") + type + "'";
}

}  // namespace

void AppendInt16(std::string* out, int16_t value) {
  uint16_t v = static_cast<uint16_t>(value);
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v & 0xff));
}

void AppendInt32(std::string* out, int32_t value) {
  uint32_t v = static_cast<uint32_t>(value);
  char bytes[4] = {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
                   static_cast<char>(v)};
  out->append(bytes, 4);
}

void AppendInt64(std::string* out, int64_t value) {
  AppendInt32(out, static_cast<int32_t>(static_cast<uint64_t>(value) >> 32));
  AppendInt32(out, static_cast<int32_t>(static_cast<uint64_t>(value) & 0xffffffffu));
}

int32_t ReadInt32(const char* data) {
  const auto* u = reinterpret_cast<const unsigned char*>(data);
  return static_cast<int32_t>((uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | u[3]);
}

// ---- MessageCursor ----

void MessageCursor::Truncated() const {
  throw PgError(sqlstate::kProtocolViolation, "invalid " + MessageName(type_) + ": it ends before its fields do",
                Severity::kFatal);
}

int16_t MessageCursor::Int16() {
  if (remaining() < 2) Truncated();
  const auto* u = reinterpret_cast<const unsigned char*>(body_.data() + position_);
  position_ += 2;
  return static_cast<int16_t>((u[0] << 8) | u[1]);
}

int32_t MessageCursor::Int32() {
  if (remaining() < 4) Truncated();
  int32_t v = ReadInt32(body_.data() + position_);
  position_ += 4;
  return v;
}

uint8_t MessageCursor::Byte() {
  if (remaining() < 1) Truncated();
  return static_cast<uint8_t>(body_[position_++]);
}

std::string_view MessageCursor::CString() {
  size_t nul = body_.find('\0', position_);
  if (nul == std::string_view::npos) Truncated();
  std::string_view s = body_.substr(position_, nul - position_);
  position_ = nul + 1;
  return s;
}

std::string_view MessageCursor::Bytes(int32_t n) {
  if (n < 0 || static_cast<size_t>(n) > remaining()) Truncated();
  std::string_view s = body_.substr(position_, static_cast<size_t>(n));
  position_ += static_cast<size_t>(n);
  return s;
}

void MessageCursor::ExpectEnd() const {
  if (remaining() != 0) {
    throw PgError(sqlstate::kProtocolViolation,
                  "invalid " + MessageName(type_) + ": " + std::to_string(remaining()) + " bytes after its fields",
                  Severity::kFatal);
  }
}

// ---- MessageReader ----

bool MessageReader::Fill(size_t n, bool at_boundary) {
  if (end_ - begin_ >= n) return true;
  if (begin_ > 0 && begin_ == end_) begin_ = end_ = 0;
  if (buffer_.size() < begin_ + n) {
    // Compact first, then grow; reads ask for at least 8 KiB so small messages arrive in few system calls.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (buffer_.size() < n) buffer_.resize(std::max(n, size_t{8192}));
  }
  if (buffer_.size() < 8192) buffer_.resize(8192);
  while (end_ - begin_ < n) {
    size_t got = stream_->Read(buffer_.data() + end_, buffer_.size() - end_);
    if (got == 0) {
      if (at_boundary && end_ == begin_) return false;
      throw PgError(sqlstate::kProtocolViolation, "the connection ended in the middle of a message", Severity::kFatal);
    }
    end_ += got;
  }
  return true;
}

bool MessageReader::ReadStartup(std::string_view* body) {
  if (!Fill(4, true)) return false;
  int32_t length = ReadInt32(buffer_.data() + begin_);
  // PostgreSQL refuses startup packets outside 8..10000 bytes before reading them.
  if (length < 8 || length > 10000) {
    throw PgError(sqlstate::kProtocolViolation, "invalid length of startup packet: " + std::to_string(length),
                  Severity::kFatal);
  }
  Fill(static_cast<size_t>(length), false);
  *body = std::string_view(buffer_.data() + begin_ + 4, static_cast<size_t>(length) - 4);
  begin_ += static_cast<size_t>(length);
  return true;
}

bool MessageReader::ReadMessage(char* type, std::string_view* body) {
  if (!Fill(5, true)) return false;
  *type = buffer_[begin_];
  int32_t length = ReadInt32(buffer_.data() + begin_ + 1);
  if (length < 4) {
    throw PgError(sqlstate::kProtocolViolation,
                  "invalid message length " + std::to_string(length) + " for " + MessageName(*type), Severity::kFatal);
  }
  if (static_cast<size_t>(length) - 4 > max_message_) {
    throw PgError(sqlstate::kProtocolViolation,
                  MessageName(*type) + " of " + std::to_string(length) + " bytes is larger than the limit of " +
                      std::to_string(max_message_) + " bytes",
                  Severity::kFatal);
  }
  Fill(static_cast<size_t>(length) + 1, false);
  *body = std::string_view(buffer_.data() + begin_ + 5, static_cast<size_t>(length) - 4);
  begin_ += static_cast<size_t>(length) + 1;
  return true;
}

// ---- MessageWriter ----

MessageWriter& MessageWriter::Begin(char type) {
  buffer_.push_back(type);
  message_start_ = buffer_.size();
  AppendInt32(&buffer_, 0);
  return *this;
}

MessageWriter& MessageWriter::Int16(int16_t value) {
  AppendInt16(&buffer_, value);
  return *this;
}

MessageWriter& MessageWriter::Int32(int32_t value) {
  AppendInt32(&buffer_, value);
  return *this;
}

MessageWriter& MessageWriter::Byte(uint8_t value) {
  buffer_.push_back(static_cast<char>(value));
  return *this;
}

MessageWriter& MessageWriter::CString(std::string_view value) {
  // A NUL inside would end the string early and shift every later field: cut it there instead.
  buffer_.append(value.substr(0, value.find('\0')));
  buffer_.push_back('\0');
  return *this;
}

MessageWriter& MessageWriter::Bytes(std::string_view value) {
  buffer_.append(value);
  return *this;
}

void MessageWriter::End() {
  int32_t length = static_cast<int32_t>(buffer_.size() - message_start_);
  std::string patched;
  AppendInt32(&patched, length);
  std::memcpy(buffer_.data() + message_start_, patched.data(), 4);
  message_start_ = std::string::npos;
}

void MessageWriter::Raw(std::string_view bytes) { buffer_.append(bytes); }

void MessageWriter::Flush() {
  if (buffer_.empty()) return;
  stream_->WriteAll(buffer_.data(), buffer_.size());
  buffer_.clear();
}

}  // namespace cdmlake::server

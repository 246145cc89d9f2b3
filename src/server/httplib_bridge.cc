#include "httplib_bridge.h"

#include <algorithm>
#include <cstring>

namespace caravan::server {
namespace {

// A request in memory for httplib to read, and its response written back.
class MemoryStream : public httplib::Stream {
 public:
  MemoryStream(std::string_view in, const Peer& peer) : in_(in), peer_(peer) {}

  bool is_readable() const override { return true; }
  bool is_writable() const override { return true; }
  ssize_t read(char* ptr, size_t size) override {
    size_t n = std::min(size, in_.size());
    std::memcpy(ptr, in_.data(), n);
    in_.remove_prefix(n);
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    out_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_.ip;
    port = peer_.port;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    ip = peer_.local_ip;
    port = peer_.local_port;
  }
  socket_t socket() const override { return INVALID_SOCKET; }

  std::string take_output() { return std::move(out_); }

 private:
  std::string_view in_;
  const Peer& peer_;
  std::string out_;
};

std::string_view reason(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 408:
      return "Request Timeout";
    case 413:
      return "Payload Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 417:
      return "Expectation Failed";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return status < 500 ? "Bad Request" : "Internal Server Error";
  }
}

}  // namespace

std::string Router::handle(std::string_view request, const Peer& peer, bool close, bool* client_closes) {
  MemoryStream stream(request, peer);
  bool closes = false;
  process_request(stream, close, closes, nullptr);
  if (client_closes != nullptr) *client_closes = closes;
  return stream.take_output();
}

std::string canonical_request(const RequestHead& head, std::string_view body) {
  std::string out = head.method + " " + head.target + " " + head.version + "\r\n";
  for (const HeaderField& f : head.fields) {
    out += f.name;
    out += ": ";
    for (char c : f.value) {
      if (c == '%') {
        out += "%25";
      } else {
        out += c;
      }
    }
    out += "\r\n";
  }
  const bool takes_body = head.method == "POST" || head.method == "PUT" || head.method == "PATCH";
  if (!body.empty() || takes_body) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out.append(body);
  return out;
}

std::string raw_response(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                         std::string_view body) {
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason(status)) + "\r\n";
  for (const auto& [name, value] : headers) out += name + ": " + value + "\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  out.append(body);
  return out;
}

}  // namespace caravan::server

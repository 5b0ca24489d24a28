// A small blocking HTTP/1.1 client for tests: raw exchanges (to send malformed
// requests) and simple requests with a parsed response. Loopback (or any numeric
// address) only; every call has a deadline.
#ifndef JEPSEN_TEST_LIBJEPSEN_WEB_HTTP_CLIENT_H_
#define JEPSEN_TEST_LIBJEPSEN_WEB_HTTP_CLIENT_H_

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace jepsen::testing {

struct HttpResponse {
  int status = 0;                              // 0: no parsable response
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;                            // de-chunked
};

// True if `raw` starts with one complete response: its head (enough for a HEAD
// request) and a body delimited by Content-Length or ended by the last chunk.
inline bool HasCompleteResponse(const std::string& raw, bool head_only) {
  size_t end = raw.find("\r\n\r\n");
  if (end == std::string::npos) return false;
  if (head_only) return true;
  std::string head = raw.substr(0, end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (head.find("transfer-encoding: chunked") != std::string::npos) {
    return raw.size() >= end + 9 && raw.compare(raw.size() - 5, 5, "0\r\n\r\n") == 0;
  }
  size_t at = head.find("\r\ncontent-length:");
  if (at == std::string::npos) return false;  // delimited by the end of the connection
  size_t length = std::stoul(head.substr(at + 17));
  return raw.size() >= end + 4 + length;
}

// Connects to host:port, sends `request` as is, and reads until the server closes the
// connection, `timeout` passes or (with `one_response`) a complete response is in.
// `shut_write` half-closes after sending. Returns what was received ("" if nothing, or
// the connection failed).
inline std::string RawExchange(
    int port, std::string_view request,
    std::chrono::milliseconds timeout = std::chrono::seconds(10), bool shut_write = false,
    const std::string& host = "127.0.0.1", bool one_response = false,
    bool head_only = false) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return "";
  struct sockaddr_in addr {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd, reinterpret_cast<struct sockaddr*>(&addr), sizeof(addr)) != 0) {
    ::close(fd);
    return "";
  }
  size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<size_t>(n);
  }
  if (shut_write) ::shutdown(fd, SHUT_WR);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    struct pollfd p {
      .fd = fd, .events = POLLIN, .revents = 0
    };
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
    char buf[65536];
    ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
    if (one_response && HasCompleteResponse(out, head_only)) break;
  }
  ::close(fd);
  return out;
}

// Parses the responses in `raw`, one after another (pipelined or kept-alive). Bodies
// are delimited by Content-Length, chunked encoding or the end of `raw`; `head_only`
// responses (to HEAD) have none.
inline std::vector<HttpResponse> ParseResponses(const std::string& raw,
                                                bool head_only = false) {
  std::vector<HttpResponse> out;
  size_t pos = 0;
  while (pos < raw.size()) {
    size_t end = raw.find("\r\n\r\n", pos);
    if (end == std::string::npos) break;
    HttpResponse r;
    std::string head = raw.substr(pos, end - pos);
    pos = end + 4;
    size_t line_end = head.find("\r\n");
    std::string status_line = head.substr(0, line_end);
    if (status_line.size() < 12 || status_line.compare(0, 5, "HTTP/") != 0) break;
    r.status = std::stoi(status_line.substr(9, 3));
    size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
    while (at < head.size()) {
      size_t next = head.find("\r\n", at);
      if (next == std::string::npos) next = head.size();
      std::string line = head.substr(at, next - at);
      size_t colon = line.find(':');
      if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        for (char& c : name)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t v = line.find_first_not_of(' ', colon + 1);
        r.headers[name] = v == std::string::npos ? "" : line.substr(v);
      }
      at = next + 2;
    }
    bool no_body = head_only || r.status == 204 || r.status == 304;
    if (no_body) {
    } else if (r.headers.count("transfer-encoding")) {
      for (;;) {
        size_t crlf = raw.find("\r\n", pos);
        if (crlf == std::string::npos) break;
        size_t size = std::stoul(raw.substr(pos, crlf - pos), nullptr, 16);
        pos = crlf + 2;
        if (size == 0) {
          pos += 2;
          break;
        }
        r.body += raw.substr(pos, size);
        pos += size + 2;
      }
    } else if (r.headers.count("content-length")) {
      size_t size = std::stoul(r.headers["content-length"]);
      r.body = raw.substr(pos, size);
      pos += size;
    } else {
      r.body = raw.substr(pos);
      pos = raw.size();
    }
    out.push_back(std::move(r));
  }
  return out;
}

// One request with "Connection: close"; the parsed response (status 0 if none).
inline HttpResponse HttpRequest(
    int port, const std::string& method, const std::string& target,
    const std::string& body = "", const std::string& extra_headers = "",
    std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  std::string request = method + " " + target +
                        " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) +
                        "\r\nConnection: close\r\n" + extra_headers;
  if (!body.empty() || method == "POST") {
    request += "Content-Type: application/json\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  bool head_only = method == "HEAD";
  std::vector<HttpResponse> r = ParseResponses(
      RawExchange(port, request, timeout, false, "127.0.0.1", true, head_only),
      head_only);
  return r.empty() ? HttpResponse{} : r[0];
}

inline HttpResponse HttpGet(int port, const std::string& target,
                            const std::string& extra_headers = "") {
  return HttpRequest(port, "GET", target, "", extra_headers);
}

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_LIBJEPSEN_WEB_HTTP_CLIENT_H_

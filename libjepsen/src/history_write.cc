// Formatting ops as lines, format detection, and the history writers.
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "jepsen/edn.h"
#include "jepsen/history_io.h"
#include "jepsen/json.h"
#include "text_util.h"

namespace jepsen {
namespace {

void AppendInt(std::string& out, int64_t i) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof(buf), i);
  out.append(buf, r.ptr);
}

// {:index 0, :time 12, :type :invoke, :process 0, :f :read, :value nil}, written
// directly rather than through Op::ToValue: this is the hot path of the interpreter.
void AppendEdnOp(std::string& out, const Op& op) {
  out += '{';
  if (op.index >= 0) {
    out += ":index ";
    AppendInt(out, op.index);
    out += ", ";
  }
  if (op.time >= 0) {
    out += ":time ";
    AppendInt(out, op.time);
    out += ", ";
  }
  out += ":type :";
  out += OpTypeName(op.type);
  out += ", :process ";
  if (op.is_nemesis()) {
    out += ":nemesis";
  } else {
    AppendInt(out, op.process);
  }
  out += ", :f ";
  AppendEdn(out, op.f);
  out += ", :value ";
  AppendEdn(out, op.value);
  if (!op.error.is_nil()) {
    out += ", :error ";
    AppendEdn(out, op.error);
  }
  for (const MapEntry& e : op.extra.entries()) {
    out += ", ";
    AppendEdn(out, e.key);
    out += ' ';
    AppendEdn(out, e.value);
  }
  out += '}';
}

void AppendJsonOp(std::string& out, const Op& op) {
  out += '{';
  if (op.index >= 0) {
    out += "\"index\":";
    AppendInt(out, op.index);
    out += ',';
  }
  if (op.time >= 0) {
    out += "\"time\":";
    AppendInt(out, op.time);
    out += ',';
  }
  out += "\"type\":\"";
  out += OpTypeName(op.type);
  out += "\",\"process\":";
  if (op.is_nemesis()) {
    out += "\":nemesis\"";
  } else {
    AppendInt(out, op.process);
  }
  out += ",\"f\":";
  AppendJson(out, op.f);
  out += ",\"value\":";
  AppendJson(out, op.value);
  if (!op.error.is_nil()) {
    out += ",\"error\":";
    AppendJson(out, op.error);
  }
  // Extra keys are keywords in practice and become plain field names; anything else
  // goes under "~~extra" (which reads back as the string "~extra", a name no plain
  // field can have) in the general map encoding.
  std::vector<MapEntry> odd;
  for (const MapEntry& e : op.extra.entries()) {
    std::string_view name = e.key.is_keyword() ? e.key.AsString() : std::string_view();
    if (name.empty() || name[0] == '~' || name[0] == ':' || name == "index" ||
        name == "time" || name == "type" || name == "process" || name == "f" ||
        name == "value" || name == "error") {
      odd.push_back(e);
      continue;
    }
    out += ',';
    internal::AppendQuotedString(out, name);
    out += ':';
    AppendJson(out, e.value);
  }
  if (!odd.empty()) {
    out += ",\"~~extra\":";
    AppendJson(out, Value::Map(std::move(odd)));
  }
  out += '}';
}

// Jepsen's op->str: process, type, f and value (pr-str), then the error (str).
void AppendTxtOp(std::string& out, const Op& op) {
  if (op.is_nemesis()) {
    out += ":nemesis";
  } else {
    AppendInt(out, op.process);
  }
  out += "\t:";
  out += OpTypeName(op.type);
  out += '\t';
  AppendEdn(out, op.f);
  out += '\t';
  AppendEdn(out, op.value);
  if (op.error.is_nil()) return;
  out += '\t';
  // A string error is written bare when it reads back as the same string; other
  // values (and strings that would not) are written as EDN.
  if (op.error.is_string()) {
    std::string_view s = op.error.AsString();
    bool bare = !s.empty() && s.find_first_of("\t\n\r") == std::string_view::npos;
    if (bare) {
      Result<Value> reread = ParseEdn(s);
      bare = !reread.ok() || reread->is_symbol();
    }
    if (bare) {
      out += s;
      return;
    }
  }
  AppendEdn(out, op.error);
}

}  // namespace

std::string_view HistoryFormatName(HistoryFormat format) {
  switch (format) {
    case HistoryFormat::kEdn:
      return "edn";
    case HistoryFormat::kJsonl:
      return "jsonl";
    case HistoryFormat::kTxt:
      return "txt";
  }
  return "unknown";
}

std::optional<HistoryFormat> HistoryFormatFromName(std::string_view name) {
  if (name == "edn") return HistoryFormat::kEdn;
  if (name == "jsonl" || name == "json") return HistoryFormat::kJsonl;
  if (name == "txt") return HistoryFormat::kTxt;
  return std::nullopt;
}

std::optional<HistoryFormat> DetectHistoryFormat(std::string_view head,
                                                 std::string_view path) {
  size_t i = 0;
  if (head.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // a UTF-8 byte order mark
  auto skip_space = [&] {
    while (i < head.size() && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' ||
                               head[i] == '\t' || head[i] == ',')) {
      ++i;
    }
  };
  skip_space();
  if (i < head.size()) {
    char c = head[i];
    if (c == '{') {
      ++i;
      skip_space();
      if (i < head.size() && head[i] == '"') return HistoryFormat::kJsonl;
      return HistoryFormat::kEdn;
    }
    if (c == '[' || c == '(' || c == '#' || c == ';') return HistoryFormat::kEdn;
    // history.txt starts with a process: a number or :nemesis, then a tab.
    size_t line_end = head.find('\n', i);
    std::string_view first = head.substr(
        i, line_end == std::string_view::npos ? std::string_view::npos : line_end - i);
    if ((std::isdigit(static_cast<unsigned char>(c)) || c == ':') &&
        first.find('\t') != std::string_view::npos) {
      return HistoryFormat::kTxt;
    }
  }
  auto ends_with = [&](std::string_view suffix) {
    return path.size() >= suffix.size() &&
           path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends_with(".edn")) return HistoryFormat::kEdn;
  if (ends_with(".jsonl") || ends_with(".json")) return HistoryFormat::kJsonl;
  if (ends_with(".txt")) return HistoryFormat::kTxt;
  return std::nullopt;
}

void AppendOpLine(std::string& out, const Op& op, HistoryFormat format) {
  switch (format) {
    case HistoryFormat::kEdn:
      AppendEdnOp(out, op);
      break;
    case HistoryFormat::kJsonl:
      AppendJsonOp(out, op);
      break;
    case HistoryFormat::kTxt:
      AppendTxtOp(out, op);
      break;
  }
  out += '\n';
}

std::string FormatOp(const Op& op, HistoryFormat format) {
  std::string out;
  AppendOpLine(out, op, format);
  out.pop_back();
  return out;
}

// ---- HistoryWriter ----------------------------------------------------------------

namespace {
constexpr size_t kBatchBytes = 1 << 20;

Status WriteAll(int fd, const std::string& path, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return IoError(fmt::format("writing {}: {}", path, std::strerror(errno)));
    data.remove_prefix(static_cast<size_t>(n));
  }
  return OkStatus();
}
}  // namespace

Result<std::unique_ptr<HistoryWriter>> HistoryWriter::Open(const std::string& path,
                                                           HistoryFormat format,
                                                           HistoryWriterOptions options) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    return IoError(fmt::format("cannot create {}: {}", path, std::strerror(errno)));
  return std::unique_ptr<HistoryWriter>(new HistoryWriter(path, fd, format, options));
}

HistoryWriter::HistoryWriter(std::string path, int fd, HistoryFormat format,
                             HistoryWriterOptions options)
    : path_(std::move(path)), fd_(fd), format_(format), options_(options) {}

HistoryWriter::~HistoryWriter() { (void)Close(); }

Status HistoryWriter::Write(const Op& op) {
  if (fd_ < 0) return FailedPreconditionError(fmt::format("{} is closed", path_));
  AppendOpLine(buffer_, op, format_);
  if (options_.flush_each_op || buffer_.size() >= kBatchBytes) return Flush();
  return OkStatus();
}

Status HistoryWriter::Flush() {
  if (fd_ < 0) return FailedPreconditionError(fmt::format("{} is closed", path_));
  Status s = WriteAll(fd_, path_, buffer_);
  buffer_.clear();
  return s;
}

Status HistoryWriter::Close() {
  if (fd_ < 0) return OkStatus();
  Status s = Flush();
  if (::close(fd_) != 0 && s.ok()) {
    s = IoError(fmt::format("closing {}: {}", path_, std::strerror(errno)));
  }
  fd_ = -1;
  return s;
}

Status WriteHistoryFile(const History& history, const std::string& path,
                        HistoryFormat format) {
  JEPSEN_ASSIGN_OR_RETURN(std::unique_ptr<HistoryWriter> writer,
                          HistoryWriter::Open(path, format, {.flush_each_op = false}));
  for (const Op& op : history) JEPSEN_RETURN_IF_ERROR(writer->Write(op));
  return writer->Close();
}

}  // namespace jepsen

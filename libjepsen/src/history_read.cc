// The three history readers. Each streams its input through an InputBuffer and reports
// errors at "source:line:column".
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "edn_parser.h"
#include "input_buffer.h"
#include "jepsen/edn.h"
#include "jepsen/history_io.h"
#include "json_parser.h"
#include "text_util.h"

namespace jepsen {
namespace {

using internal::EdnParser;
using internal::InputBuffer;

class Reader {
 public:
  Reader(InputBuffer& in, std::string_view source, const ReadHistoryOptions& options,
         HistoryReadReport* report)
      : in_(in), source_(source), options_(options), report_(report) {}

  Status ReadEdn();
  Status ReadJsonl();
  Status ReadTxt();
  History& history() { return history_; }

 private:
  Status ErrorAt(const char* at, std::string_view what) {
    auto [line, col] = in_.Locate(at);
    return InvalidArgumentError(fmt::format("{}:{}:{}: {}", source_, line, col, what));
  }
  void WarnAt(const char* at, std::string_view what) {
    auto [line, col] = in_.Locate(at);
    if (report_)
      report_->warnings.push_back(fmt::format("{}:{}:{}: {}", source_, line, col, what));
  }
  // Appends the op decoded from `form` (which starts at `at`).
  Status AddOp(Result<Op> op, const char* at) {
    if (!op.ok()) return ErrorAt(at, op.status().message());
    Status s = history_.Append(std::move(*op));
    if (!s.ok()) return ErrorAt(at, s.message());
    return OkStatus();
  }
  // Calls `on_line(begin, end, is_last_unterminated)` for every line, refilling the
  // buffer as needed; the line excludes its newline (and a trailing '\r').
  template <typename OnLine>
  Status ForEachLine(OnLine on_line);

  Status TxtLine(const char* begin, const char* end, bool unterminated, bool* stop);

  InputBuffer& in_;
  std::string_view source_;
  const ReadHistoryOptions& options_;
  HistoryReadReport* report_;
  History history_;
};

Status Reader::ReadEdn() {
  EdnParser parser(options_.max_depth);
  char close = 0;                 // the closing bracket of an enclosing vector or list
  const char* open_at = nullptr;  // where that vector opened, for the warning
  int64_t open_line = 0;
  for (;;) {
    parser.Reset(in_.begin(), in_.end(), in_.eof());
    EdnParser::Outcome o = parser.SkipSpace();
    if (o == EdnParser::Outcome::kNeedMore) {
      JEPSEN_RETURN_IF_ERROR(in_.Fill());
      continue;
    }
    if (o == EdnParser::Outcome::kError)
      return ErrorAt(parser.error_pos(), parser.error());
    in_.Consume(parser.pos());
    if (o == EdnParser::Outcome::kEnd) {
      if (in_.eof()) break;
      JEPSEN_RETURN_IF_ERROR(in_.Fill());
      continue;
    }
    char c = *in_.begin();
    if (close == 0 && (c == '[' || c == '(')) {
      close = c == '[' ? ']' : ')';
      open_at = in_.begin();
      open_line = in_.Locate(open_at).first;
      in_.Consume(in_.begin() + 1);
      continue;
    }
    if (close != 0 && c == close) {
      close = 0;
      in_.Consume(in_.begin() + 1);
      continue;
    }
    Value form;
    o = parser.Next(&form);
    if (o == EdnParser::Outcome::kNeedMore) {
      JEPSEN_RETURN_IF_ERROR(in_.Fill());
      continue;
    }
    if (o == EdnParser::Outcome::kError) {
      if (parser.error_at_end()) {
        WarnAt(in_.begin(), fmt::format("truncated op skipped ({})", parser.error()));
        break;
      }
      return ErrorAt(parser.error_pos(), parser.error());
    }
    JEPSEN_RETURN_IF_ERROR(AddOp(Op::FromValue(form), in_.begin()));
    in_.Consume(parser.pos());
  }
  if (close != 0 && report_) {
    report_->warnings.push_back(
        fmt::format("{}: the '{}' opened at line {} is never closed (truncated file?)",
                    source_, close == ']' ? '[' : '(', open_line));
  }
  return OkStatus();
}

template <typename OnLine>
Status Reader::ForEachLine(OnLine on_line) {
  for (;;) {
    const char* begin = in_.begin();
    const void* nl = std::memchr(begin, '\n', static_cast<size_t>(in_.end() - begin));
    if (nl == nullptr && !in_.eof()) {
      JEPSEN_RETURN_IF_ERROR(in_.Fill());
      continue;
    }
    const char* end = nl ? static_cast<const char*>(nl) : in_.end();
    if (nl == nullptr && begin == end) return OkStatus();
    const char* content_end = end > begin && end[-1] == '\r' ? end - 1 : end;
    bool stop = false;
    JEPSEN_RETURN_IF_ERROR(on_line(begin, content_end, nl == nullptr, &stop));
    if (stop) return OkStatus();
    in_.Consume(nl ? end + 1 : end);
  }
}

bool IsBlank(const char* begin, const char* end) {
  for (const char* p = begin; p < end; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\r') return false;
  }
  return true;
}

// A JSONL op object has plain field names and "type" as a plain string; turn it into
// Jepsen's op map and decode that, so both formats share one set of rules.
Result<Op> OpFromJsonObject(const Value& object) {
  if (!object.is_map()) {
    return InvalidArgumentError(
        fmt::format("expected a JSON object like "
                    "{{\"type\":\"invoke\",\"process\":0,\"f\":\":read\"}}, "
                    "got a {}",
                    ValueKindName(object.kind())));
  }
  std::vector<MapEntry> entries;
  for (const MapEntry& e : object.entries()) {
    if (e.key.IsNamed("~extra") && e.value.is_map()) {
      for (const MapEntry& x : e.value.entries()) entries.push_back(x);
      continue;
    }
    if (!e.key.is_string() && !e.key.is_keyword()) {
      return InvalidArgumentError(
          fmt::format("unexpected key {} in an op object", e.key));
    }
    // Field names are keyword names; a name that cannot be a keyword stays a string.
    Value key = e.key.is_keyword() || internal::IsValidName(e.key.AsString(), true)
                    ? Value::Keyword(e.key.AsString())
                    : e.key;
    if (e.key.IsNamed("type") && e.value.is_string()) {
      entries.push_back({std::move(key), Value::Keyword(e.value.AsString())});
    } else {
      entries.push_back({std::move(key), e.value});
    }
  }
  return Op::FromValue(Value::Map(std::move(entries)));
}

Status Reader::ReadJsonl() {
  internal::JsonParser parser(options_.max_depth);
  return ForEachLine(
      [&](const char* begin, const char* end, bool unterminated, bool* stop) {
        if (IsBlank(begin, end)) return OkStatus();
        Value object;
        if (!parser.Parse(std::string_view(begin, static_cast<size_t>(end - begin)),
                          &object)) {
          if (unterminated && parser.error_at_end()) {
            WarnAt(begin, fmt::format("truncated op skipped ({})", parser.error()));
            *stop = true;
            return OkStatus();
          }
          return ErrorAt(parser.error_pos(), parser.error());
        }
        return AddOp(OpFromJsonObject(object), begin);
      });
}

// Jepsen writes the error with str, not pr-str: a plain message is not quoted. Read it
// as EDN when it is exactly one non-symbol form, else as the raw text.
Value TxtErrorField(std::string_view text, int max_depth) {
  Result<Value> v = ParseEdn(text, {.max_depth = max_depth});
  if (v.ok() && !v->is_symbol()) return *v;
  return Value::String(text);
}

Status Reader::TxtLine(const char* begin, const char* end, bool unterminated,
                       bool* stop) {
  if (IsBlank(begin, end)) return OkStatus();
  // The error field is taken verbatim, so check the whole line is text.
  if (const char* bad = internal::FindInvalidUtf8(begin, end)) {
    return ErrorAt(bad, fmt::format("invalid UTF-8 byte 0x{:02x}",
                                    static_cast<unsigned char>(*bad)));
  }
  const char* fields[4][2];
  const char* p = begin;
  int n = 0;
  for (; n < 4; ++n) {
    const void* tab = std::memchr(p, '\t', static_cast<size_t>(end - p));
    const char* field_end = tab ? static_cast<const char*>(tab) : end;
    fields[n][0] = p;
    fields[n][1] = field_end;
    if (!tab) {
      ++n;
      p = end;
      break;
    }
    p = field_end + 1;
  }
  auto truncated = [&](std::string_view why) {
    WarnAt(begin, fmt::format("truncated op skipped ({})", why));
    *stop = true;
    return OkStatus();
  };
  if (n < 4) {
    std::string why = fmt::format(
        "expected 4 tab-separated fields (process, type, f, value), found {}", n);
    return unterminated ? truncated(why) : ErrorAt(end, why);
  }
  EdnParser parser(options_.max_depth);
  Value parsed[4];
  static constexpr const char* kNames[] = {"process", "type", "f", "value"};
  for (int i = 0; i < 4; ++i) {
    parser.Reset(fields[i][0], fields[i][1], true);
    EdnParser::Outcome o = parser.Next(&parsed[i]);
    if (o == EdnParser::Outcome::kValue) o = parser.SkipSpace();
    if (o == EdnParser::Outcome::kEnd && parser.pos() == fields[i][0]) {
      return ErrorAt(fields[i][0], fmt::format("empty {} field", kNames[i]));
    }
    if (o == EdnParser::Outcome::kError) {
      if (unterminated && parser.error_at_end() && i == 3 && p == end) {
        return truncated(parser.error());
      }
      return ErrorAt(parser.error_pos(),
                     fmt::format("in the {} field: {}", kNames[i], parser.error()));
    }
    if (o != EdnParser::Outcome::kEnd) {
      return ErrorAt(parser.pos(),
                     fmt::format("expected one form in the {} field", kNames[i]));
    }
  }
  std::vector<MapEntry> entries = {
      {Value::Keyword("process"), parsed[0]},
      {Value::Keyword("type"), parsed[1]},
      {Value::Keyword("f"), parsed[2]},
      {Value::Keyword("value"), parsed[3]},
  };
  if (p < end) {
    entries.push_back({Value::Keyword("error"),
                       TxtErrorField(std::string_view(p, static_cast<size_t>(end - p)),
                                     options_.max_depth)});
  }
  return AddOp(Op::FromValue(Value::Map(std::move(entries))), begin);
}

Status Reader::ReadTxt() {
  return ForEachLine([&](const char* begin, const char* end, bool unterminated,
                         bool* stop) { return TxtLine(begin, end, unterminated, stop); });
}

Result<History> Read(InputBuffer& in, std::string_view source, std::string_view path,
                     const ReadHistoryOptions& options, HistoryReadReport* report) {
  std::optional<HistoryFormat> format = options.format;
  if (!format) {
    JEPSEN_RETURN_IF_ERROR(in.FillHead(4096));
    format = DetectHistoryFormat(std::string_view(in.begin(), in.size()), path);
    if (!format) {
      return InvalidArgumentError(fmt::format(
          "{}: cannot tell the history format: expected Jepsen's history.edn (op maps), "
          "history.txt (tab-separated) or history.jsonl (JSON objects)",
          source));
    }
  }
  if (report) report->format = *format;
  Reader reader(in, source, options, report);
  switch (*format) {
    case HistoryFormat::kEdn:
      JEPSEN_RETURN_IF_ERROR(reader.ReadEdn());
      break;
    case HistoryFormat::kJsonl:
      JEPSEN_RETURN_IF_ERROR(reader.ReadJsonl());
      break;
    case HistoryFormat::kTxt:
      JEPSEN_RETURN_IF_ERROR(reader.ReadTxt());
      break;
  }
  return std::move(reader.history());
}

}  // namespace

Result<History> ReadHistoryFile(const std::string& path,
                                const ReadHistoryOptions& options,
                                HistoryReadReport* report) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int err = errno;
    std::string message = fmt::format("cannot open {}: {}", path, std::strerror(err));
    return err == ENOENT ? NotFoundError(message) : IoError(message);
  }
  InputBuffer in(fd, path, /*owns_fd=*/fd != STDIN_FILENO);
  return Read(in, path == "-" ? "<stdin>" : path, path, options, report);
}

Result<History> ParseHistory(std::string_view text, const ReadHistoryOptions& options,
                             HistoryReadReport* report, std::string_view source) {
  InputBuffer in(text);
  return Read(in, source, "", options, report);
}

}  // namespace jepsen

// Reading and writing histories in Jepsen's file formats.
//
//   history.edn    one op map per line as Jepsen writes it, or one EDN vector (or list)
//                  of op maps as Knossos and Elle ship test histories; op records
//                  (#jepsen.history.Op{...}) and unknown tags are accepted.
//   history.txt    Jepsen's tab-separated "process type f value [error]" lines. It
//                  holds no index, time or extra keys.
//   history.jsonl  one JSON object per line: {"index":0,"time":12,"type":"invoke",
//                  "process":0,"f":":read","value":null}; field values use the
//                  encoding of jepsen/json.h (docs/history-formats.md).
//
// The format is detected from the content (the file name only breaks ties). Readers
// stream any size of file through a small buffer. A truncated last op (a killed
// writer) is skipped with a warning; anything else malformed is an error naming
// "file:line:column: what was expected".
//
//   HistoryReadReport report;
//   Result<History> h = ReadHistoryFile("store/latest/history.edn", {}, &report);
//
// Writers write one line per op. The streaming writer hands each line to the kernel
// before Write returns, so a killed process leaves a readable file.
//
// Thread safety: functions are reentrant; a HistoryWriter is not thread-safe.
#ifndef JEPSEN_HISTORY_IO_H_
#define JEPSEN_HISTORY_IO_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jepsen/history.h"
#include "jepsen/status.h"

namespace jepsen {

enum class HistoryFormat { kEdn, kJsonl, kTxt };

// "edn", "jsonl", "txt".
std::string_view HistoryFormatName(HistoryFormat format);
// The format with that name ("edn", "jsonl" or "json", "txt"), if any.
std::optional<HistoryFormat> HistoryFormatFromName(std::string_view name);
// The format of a file whose content starts with `head`; `path`'s extension decides
// when the content cannot (e.g. an empty file).
std::optional<HistoryFormat> DetectHistoryFormat(std::string_view head,
                                                 std::string_view path = "");

struct ReadHistoryOptions {
  // Read as this format instead of detecting it.
  std::optional<HistoryFormat> format;
  // Deepest nesting of values accepted.
  int max_depth = 1000;
};

// What a read noticed without failing.
struct HistoryReadReport {
  HistoryFormat format = HistoryFormat::kEdn;
  // E.g. "history.edn:1001:1: truncated op skipped (unexpected end of input...)".
  std::vector<std::string> warnings;
};

// Reads a history file ("-" reads standard input). Errors: kNotFound / kIoError for the
// file, kInvalidArgument for malformed content.
Result<History> ReadHistoryFile(const std::string& path,
                                const ReadHistoryOptions& options = {},
                                HistoryReadReport* report = nullptr);
// Parses a history held in memory; `source` names it in messages.
Result<History> ParseHistory(std::string_view text,
                             const ReadHistoryOptions& options = {},
                             HistoryReadReport* report = nullptr,
                             std::string_view source = "<input>");

// One op as a line of `format`, without the newline.
std::string FormatOp(const Op& op, HistoryFormat format);
// Appends the line and a newline to `out`.
void AppendOpLine(std::string& out, const Op& op, HistoryFormat format);

struct HistoryWriterOptions {
  // Hand every line to the kernel before Write returns (a killed process loses
  // nothing). Off, lines are written in 1 MiB batches and on Flush/Close.
  bool flush_each_op = true;
};

// Writes ops to a file, one line each.
class HistoryWriter {
 public:
  // Creates (truncates) `path`.
  static Result<std::unique_ptr<HistoryWriter>> Open(const std::string& path,
                                                     HistoryFormat format,
                                                     HistoryWriterOptions options = {});
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  HistoryFormat format() const { return format_; }
  Status Write(const Op& op);
  Status Flush();
  // Flushes and closes; further writes fail. The destructor closes too, ignoring errors.
  Status Close();

 private:
  HistoryWriter(std::string path, int fd, HistoryFormat format,
                HistoryWriterOptions options);

  std::string path_;
  int fd_;
  HistoryFormat format_;
  HistoryWriterOptions options_;
  std::string buffer_;
};

// Writes a whole history to `path`, batching writes.
Status WriteHistoryFile(const History& history, const std::string& path,
                        HistoryFormat format);

}  // namespace jepsen

#endif  // JEPSEN_HISTORY_IO_H_

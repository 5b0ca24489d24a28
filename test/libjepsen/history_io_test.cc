#include "jepsen/history_io.h"

#include <catch2/catch.hpp>

#include "support/temp_dir.h"

namespace jepsen {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

std::string Data(const std::string& name) {
  return std::string(JEPSEN_TEST_DATA_DIR) + "/" + name;
}

History MustRead(const std::string& path, HistoryReadReport* report = nullptr) {
  Result<History> h = ReadHistoryFile(path, {}, report);
  INFO(path);
  REQUIRE(h.ok());
  return std::move(*h);
}

// What history.txt can hold of an op.
std::string TxtView(const Op& op) {
  Op stripped = op;
  stripped.index = -1;
  stripped.time = -1;
  stripped.extra = Value();
  return stripped.ToValue().ToEdn();
}

TEST_CASE("History files read Jepsen's shapes in every format", "[history_io]") {
  HistoryReadReport report;
  History append = MustRead(Data("list_append.edn"), &report);
  CHECK(report.format == HistoryFormat::kEdn);
  CHECK(report.warnings.empty());
  REQUIRE(append.size() == 12);
  CHECK(append[0].value.ToEdn() == "[[:append 9 1] [:r 8 nil]]");
  CHECK(append[3].is_nemesis());
  CHECK(append[6].value[1].Find(Value::String("n1"))->ToEdn() == "#{\"n2\" \"n3\"}");
  CHECK(append[7].error.ToEdn() == "[:timeout \"read timed out\"]");
  CHECK(append[10].Extra("node")->AsString() == "n2");
  CHECK(append.Completion(1)->value.ToEdn() == "[[:r 9 [1]] [:append 9 2] [:r 9 [1 2]]]");

  History knossos = MustRead(Data("cas_register_knossos.edn"));
  REQUIRE(knossos.size() == 11);
  CHECK(knossos[9].value.IsKeyword("timed-out"));
  CHECK(knossos.PendingInvocations() == std::vector<size_t>{10});
  CHECK(knossos[5].time == -1);

  History records = MustRead(Data("records.edn"));
  REQUIRE(records.size() == 4);
  CHECK(records[1].Extra("node")->AsString() == "n1");
  CHECK(records[2].Extra("debug")->tag() == "inst");
  CHECK(records[3].error.tag() == "error");

  History txt = MustRead(Data("register.txt"), &report);
  CHECK(report.format == HistoryFormat::kTxt);
  REQUIRE(txt.size() == 8);
  CHECK(txt[4].error.AsString() == "not found");
  CHECK(txt[5].value.AsString() == "Cut off {:n1 #{:n3}}");
  CHECK(txt[7].error.IsKeyword("timeout"));

  History jsonl = MustRead(Data("register.jsonl"), &report);
  CHECK(report.format == HistoryFormat::kJsonl);
  REQUIRE(jsonl.size() == 5);
  CHECK(jsonl[3].error.IsKeyword("timeout"));
  CHECK(jsonl[4].is_nemesis());
  CHECK(jsonl[4].value.ToEdn() == "[\"n1\" \"n2\"]");
}

TEST_CASE("History files round-trip through every format", "[history_io]") {
  TempDir dir;
  for (const char* name : {"list_append.edn", "cas_register_knossos.edn", "records.edn",
                           "register.txt", "register.jsonl"}) {
    History original = MustRead(Data(name));
    for (HistoryFormat format :
         {HistoryFormat::kEdn, HistoryFormat::kJsonl, HistoryFormat::kTxt}) {
      INFO(name << " as " << HistoryFormatName(format));
      std::string out =
          dir.File(std::string("h.") + std::string(HistoryFormatName(format)));
      REQUIRE(WriteHistoryFile(original, out, format).ok());
      History back = MustRead(out);
      REQUIRE(back.size() == original.size());
      for (size_t i = 0; i < back.size(); ++i) {
        if (format == HistoryFormat::kTxt) {
          CHECK(TxtView(back[i]) == TxtView(original[i]));
        } else {
          CHECK(back[i] == original[i]);
        }
      }
    }
  }
}

TEST_CASE("History files skip a truncated last op with a warning", "[history_io]") {
  TempDir dir;
  History original = MustRead(Data("list_append.edn"));
  for (HistoryFormat format :
       {HistoryFormat::kEdn, HistoryFormat::kJsonl, HistoryFormat::kTxt}) {
    INFO(HistoryFormatName(format));
    std::string text;
    for (const Op& op : original) AppendOpLine(text, op, format);
    std::string cut = text.substr(0, text.size() - 15);  // mid-way through the last line
    HistoryReadReport report;
    Result<History> h = ParseHistory(cut, {}, &report, "h");
    REQUIRE(h.ok());
    CHECK(h->size() == original.size() - 1);
    REQUIRE(report.warnings.size() == 1);
    CHECK(report.warnings[0].rfind("h:12:1: truncated op skipped", 0) == 0);
  }
  // A Knossos vector cut short keeps its complete ops.
  std::string vec = ReadFile(Data("cas_register_knossos.edn"));
  HistoryReadReport report;
  Result<History> h = ParseHistory(vec.substr(0, vec.size() - 30), {}, &report, "k");
  REQUIRE(h.ok());
  CHECK(h->size() == 10);
  CHECK(report.warnings.size() == 2);
}

TEST_CASE("History files report malformed ops at file, line and column", "[history_io]") {
  auto err = [](std::string_view text) {
    Result<History> h = ParseHistory(text, {}, nullptr, "h");
    return h.ok() ? std::string("ok") : h.status().message();
  };
  CHECK(err("{:type :invoke, :process 0, :f :read}\n{:type :ok :process 0 :f}\n{:type "
            ":ok}\n") == "h:2:1: map literal has an odd number of forms (5)");
  CHECK(err("{:type :invoke, :process 0}\n  {:type :done, :process 0}\n") ==
        "h:2:3: :type must be one of :invoke, :ok, :fail, :info, not :done");
  CHECK(err("{:type :ok, :process 0, :f :read}\n") ==
        "h:1:1: process 0 completes :read (index 0, ok) but has no open invocation");
  CHECK(err("{\"type\":\"invoke\",\"process\":0}\n{\"type\":\"ok\",\"process\":0,}\n") ==
        "h:2:26: expected a string key in the object, found '}'");
  CHECK(err("0\t:invoke\t:read\tnil\n0\t:ok\t:read\t[1 2\n1\t:invoke\t:read\tnil\n") ==
        "h:2:17: in the value field: unexpected end of input: expected ']' to close the "
        "vector");
  CHECK(err("0\t:invoke\t:read\n") ==
        "h:1:16: expected 4 tab-separated fields (process, type, f, value), found 3");
  CHECK(err("[{:type :invoke, :process 0} 7]") ==
        "h:1:30: expected an op map like {:type :invoke, :f :read, :process 0}, not 7");
  CHECK(err(std::string("\x7f"
                        "ELF\x02\x01\x01",
                        7)) ==
        "h: cannot tell the history format: expected Jepsen's history.edn (op maps), "
        "history.txt (tab-separated) or history.jsonl (JSON objects)");
  CHECK(err("{:type :invoke, :process 0, :f " + std::string(100000, '[') + "}") ==
        "h:1:1032: nesting deeper than 1000 levels");
}

TEST_CASE("History formats are detected from content before the name", "[history_io]") {
  CHECK(DetectHistoryFormat("{:index 0}", "x.jsonl") == HistoryFormat::kEdn);
  CHECK(DetectHistoryFormat("  {\"index\":0}", "x.edn") == HistoryFormat::kJsonl);
  CHECK(DetectHistoryFormat("[{:process 0}]") == HistoryFormat::kEdn);
  CHECK(DetectHistoryFormat("#jepsen.history.Op{}") == HistoryFormat::kEdn);
  CHECK(DetectHistoryFormat("3\t:invoke\t:read\tnil") == HistoryFormat::kTxt);
  CHECK(DetectHistoryFormat(":nemesis\t:info\t:start\tnil") == HistoryFormat::kTxt);
  CHECK(DetectHistoryFormat("", "store/history.txt") == HistoryFormat::kTxt);
  CHECK(DetectHistoryFormat("garbage") == std::nullopt);
}

TEST_CASE("History writers flush every line so a killed process leaves a readable file",
          "[history_io]") {
  TempDir dir;
  History original = MustRead(Data("list_append.edn"));
  for (HistoryFormat format :
       {HistoryFormat::kEdn, HistoryFormat::kJsonl, HistoryFormat::kTxt}) {
    std::string path = dir.File("live");
    auto writer = HistoryWriter::Open(path, format);
    REQUIRE(writer.ok());
    for (size_t i = 0; i < 5; ++i) REQUIRE((*writer)->Write(original[i]).ok());
    // Still open: everything written so far is in the file.
    Result<History> h = ReadHistoryFile(path, {.format = format});
    REQUIRE(h.ok());
    CHECK(h->size() == 5);
    REQUIRE((*writer)->Close().ok());
    CHECK((*writer)->Write(original[5]).code() == StatusCode::kFailedPrecondition);
  }
}

TEST_CASE("History files larger than the read buffer stream through it", "[history_io]") {
  TempDir dir;
  History big;
  for (int i = 0; i < 40000; ++i) {
    Op op{.time = i * 1000,
          .type = i % 2 ? OpType::kOk : OpType::kInvoke,
          .process = (i / 2) % 7,
          .f = Value::Keyword("txn"),
          .value = Value::Vector({Value::Vector({Value::Keyword("append"), i % 13, i}),
                                  Value::Vector({Value::Keyword("r"), i % 5, Value()})})};
    REQUIRE(big.Append(op).ok());
  }
  for (HistoryFormat format :
       {HistoryFormat::kEdn, HistoryFormat::kJsonl, HistoryFormat::kTxt}) {
    std::string path = dir.File("big");
    REQUIRE(WriteHistoryFile(big, path, format).ok());
    REQUIRE(ReadFile(path).size() > (1u << 20));
    History back = MustRead(path);
    REQUIRE(back.size() == big.size());
    CHECK(back[39999].value == big[39999].value);
  }
  // The same as one EDN vector spanning many buffers.
  std::string vec = "[";
  for (const Op& op : big) AppendOpLine(vec, op, HistoryFormat::kEdn);
  vec += "]";
  WriteFile(dir.File("vec.edn"), vec);
  CHECK(MustRead(dir.File("vec.edn")).size() == big.size());
}

TEST_CASE("History files that do not exist are a not-found error", "[history_io]") {
  Result<History> h = ReadHistoryFile("/nonexistent/history.edn");
  CHECK(h.status().code() == StatusCode::kNotFound);
  CHECK(h.status().message() ==
        "cannot open /nonexistent/history.edn: No such file or directory");
}

}  // namespace
}  // namespace jepsen

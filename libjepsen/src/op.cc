#include "jepsen/op.h"

#include <fmt/format.h>

namespace jepsen {

std::string_view OpTypeName(OpType type) {
  switch (type) {
    case OpType::kInvoke:
      return "invoke";
    case OpType::kOk:
      return "ok";
    case OpType::kFail:
      return "fail";
    case OpType::kInfo:
      return "info";
  }
  return "unknown";
}

std::optional<OpType> ParseOpType(std::string_view name) {
  if (name == "invoke") return OpType::kInvoke;
  if (name == "ok") return OpType::kOk;
  if (name == "fail") return OpType::kFail;
  if (name == "info") return OpType::kInfo;
  return std::nullopt;
}

Value ProcessValue(int64_t process) {
  return process == kNemesisProcess ? Value::Keyword("nemesis") : Value::Int(process);
}

Result<int64_t> ProcessFromValue(const Value& v) {
  if (v.is_int() && v.AsInt() >= 0) return v.AsInt();
  if (v.IsNamed("nemesis")) return kNemesisProcess;
  return InvalidArgumentError(
      fmt::format(":process must be a non-negative integer or :nemesis, not {}", v));
}

Value Op::ToValue() const {
  std::vector<MapEntry> entries;
  entries.reserve(7 + extra.size());
  if (index >= 0) entries.push_back({Value::Keyword("index"), Value::Int(index)});
  if (time >= 0) entries.push_back({Value::Keyword("time"), Value::Int(time)});
  entries.push_back({Value::Keyword("type"), Value::Keyword(OpTypeName(type))});
  entries.push_back({Value::Keyword("process"), ProcessValue(process)});
  entries.push_back({Value::Keyword("f"), f});
  entries.push_back({Value::Keyword("value"), value});
  if (!error.is_nil()) entries.push_back({Value::Keyword("error"), error});
  for (const MapEntry& e : extra.entries()) entries.push_back(e);
  return Value::Map(std::move(entries));
}

namespace {

Status NotInteger(std::string_view key, const Value& v) {
  return InvalidArgumentError(
      fmt::format(":{} must be a non-negative integer, not {}", key, v));
}

}  // namespace

Result<Op> Op::FromValue(const Value& form) {
  const Value& map =
      form.is_tagged() && form.tag() == "jepsen.history.Op" ? form.tagged_value() : form;
  if (!map.is_map()) {
    std::string text = form.ToEdn();
    if (text.size() > 60) text = text.substr(0, 57) + "...";
    return InvalidArgumentError(fmt::format(
        "expected an op map like {{:type :invoke, :f :read, :process 0}}, not {}", text));
  }
  Op op;
  bool has_type = false, has_process = false;
  std::vector<MapEntry> extra;
  for (const MapEntry& e : map.entries()) {
    const Value& k = e.key;
    const Value& v = e.value;
    if (k.IsKeyword("type")) {
      std::optional<OpType> type =
          v.is_keyword() ? ParseOpType(v.AsString()) : std::nullopt;
      if (!type) {
        return InvalidArgumentError(
            fmt::format(":type must be one of :invoke, :ok, :fail, :info, not {}", v));
      }
      op.type = *type;
      has_type = true;
    } else if (k.IsKeyword("process")) {
      Result<int64_t> p = ProcessFromValue(v);
      if (!p.ok()) return p.status();
      op.process = *p;
      has_process = true;
    } else if (k.IsKeyword("f")) {
      op.f = v;
    } else if (k.IsKeyword("value")) {
      op.value = v;
    } else if (k.IsKeyword("index")) {
      if (!v.is_int() || v.AsInt() < 0) return NotInteger("index", v);
      op.index = v.AsInt();
    } else if (k.IsKeyword("time")) {
      if (v.is_nil()) continue;
      if (!v.is_int() || v.AsInt() < 0) return NotInteger("time", v);
      op.time = v.AsInt();
    } else if (k.IsKeyword("error")) {
      op.error = v;
    } else {
      extra.push_back(e);
    }
  }
  if (!has_type) return InvalidArgumentError("op has no :type");
  if (!has_process) return InvalidArgumentError("op has no :process");
  if (!extra.empty()) op.extra = Value::Map(std::move(extra));
  return op;
}

}  // namespace jepsen

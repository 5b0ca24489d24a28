// timeline.html (see jepsen/report/pages.h). The ops are embedded as columnar JSON
// arrays of integers plus a string table, and drawn on a canvas by the inline script,
// so 100,000 ops (and more) open without building a DOM node per op.
#include <algorithm>
#include <charconv>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "jepsen/report/pages.h"
#include "report/html.h"
#include "report/ops.h"
#include "report/svg.h"

namespace jepsen {
namespace {

constexpr size_t kMaxValueChars = 300;

extern const char kTimelineScript[];

class StringTable {
 public:
  void Reserve(size_t n) {
    ids_.reserve(n);
    strings_.reserve(n);
  }
  uint32_t Id(std::string s) {
    auto [it, added] = ids_.try_emplace(std::move(s), static_cast<uint32_t>(strings_.size()));
    if (added) strings_.push_back(&it->first);
    return it->second;
  }
  void AppendJson(std::string& out) const {
    out += '[';
    for (size_t i = 0; i < strings_.size(); ++i) {
      if (i) out += ',';
      report::AppendScriptJsonString(out, *strings_[i]);
    }
    out += ']';
  }

 private:
  std::unordered_map<std::string, uint32_t> ids_;
  std::vector<const std::string*> strings_;
};

std::string ValueText(const Value& v) {
  std::string s = v.ToEdn();
  return s.size() > kMaxValueChars ? report::Ellipsize(s, kMaxValueChars) : s;
}

void AppendInts(std::string& out, const char* name, const std::vector<int64_t>& v) {
  fmt::format_to(std::back_inserter(out), "\"{}\":[", name);
  char buf[24];
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) out += ',';
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v[i]);
    (void)ec;
    out.append(buf, end);
  }
  out += ']';
}

// Lanes for processes: the nemesis gets lane 0. A client process that appears after
// another has done its last op (as an :info retires a process) takes over the lowest
// such freed lane, so lanes follow worker threads and a history with many :info ops
// does not spread over thousands of mostly empty lanes. Bars in a lane never overlap.
std::unordered_map<int64_t, int64_t> AssignLanes(const History& history, int64_t* lane_count) {
  std::unordered_map<int64_t, size_t> last;  // process -> position of its last op
  for (size_t i = 0; i < history.size(); ++i) last[history[i].process] = i;
  std::unordered_map<int64_t, int64_t> lane;
  int64_t next = 0;
  if (last.count(kNemesisProcess) != 0) lane[kNemesisProcess] = next++;
  using Busy = std::pair<size_t, int64_t>;  // (last position of its process, lane)
  std::priority_queue<Busy, std::vector<Busy>, std::greater<Busy>> busy;
  std::set<int64_t> free;
  for (size_t i = 0; i < history.size(); ++i) {
    const Op& op = history[i];
    if (!op.is_client() || lane.count(op.process) != 0) continue;
    while (!busy.empty() && busy.top().first < i) {
      free.insert(busy.top().second);
      busy.pop();
    }
    int64_t l = next;
    if (free.empty()) {
      ++next;
    } else {
      l = *free.begin();
      free.erase(free.begin());
    }
    lane[op.process] = l;
    busy.push({last[op.process], l});
  }
  *lane_count = next;
  return lane;
}

// The ops as columns of integers, one entry per invocation, in history order.
struct Columns {
  std::vector<int64_t> processes;  // every process, ascending
  int64_t lanes = 0;
  std::vector<int64_t> proc;       // per op: its process
  bool timed = true;               // times are µs; else positions stand in for them
  int64_t end = 0;
  StringTable strings;
  struct {
    // lane, start delta, duration, type, f, value, result, index delta, completion
    // index minus invocation index.
    std::vector<int64_t> l, s, d, t, f, a, b, ix, cx;
  } cols;
};

Columns BuildColumns(const History& history) {
  Columns c;
  std::vector<int64_t>& processes = c.processes;
  bool& timed = c.timed;
  int64_t& end = c.end;
  StringTable& strings = c.strings;
  auto& [l, s, d, t, f, a, b, ix, cx] = c.cols;
  processes = history.Processes();
  std::unordered_map<int64_t, int64_t> lane = AssignLanes(history, &c.lanes);
  for (const Op& op : history) timed &= op.time >= 0;
  // Times in microseconds; without times, positions stand in for them.
  // Rendering a value is the costly part, and histories share Values (keywords, small
  // integers, the same map in an invocation and its completion): cache string ids by
  // the values' words. Every Value stays alive in `history` meanwhile, so equal words
  // mean the same immutable value.
  struct Key {
    uint64_t a, b;
    bool result;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const {
      return std::hash<uint64_t>()(k.a * 0x9E3779B97F4A7C15ull ^ k.b) ^ k.result;
    }
  };
  std::unordered_map<Key, uint32_t, KeyHash> ids;
  // About three strings per invocation at most (f, value, result): no rehashing.
  ids.reserve(history.size() * 3 / 2);
  strings.Reserve(history.size() * 3 / 2);
  auto cached = [&](const Value& x, const Value& y, bool result, const auto& render) {
    auto [it, added] = ids.try_emplace(Key{x.raw_bits(), y.raw_bits(), result}, 0);
    if (added) it->second = strings.Id(render());
    return it->second;
  };
  auto time_of = [&](size_t pos) {
    return timed ? history[pos].time / 1000 : static_cast<int64_t>(pos);
  };

  int64_t prev_start = 0, prev_index = 0;
  for (size_t i = 0; i < history.size(); ++i) {
    if (!report::IsInvocation(history, i)) continue;
    const Op& op = history[i];
    int64_t partner = history.Partner(i);
    const Op* done = partner == History::kNoPartner ? nullptr : &history[static_cast<size_t>(partner)];
    int64_t start = time_of(i);
    l.push_back(lane[op.process]);
    c.proc.push_back(op.process);
    s.push_back(start - prev_start);
    prev_start = start;
    int64_t stop = done ? time_of(static_cast<size_t>(partner)) : -1;
    d.push_back(done ? std::max<int64_t>(stop - start, 0) : -1);
    end = std::max(end, std::max(start, stop));
    t.push_back(!done ? 3 : done->is_ok() ? 0 : done->is_fail() ? 1 : 2);
    f.push_back(cached(op.f, Value(), false, [&] { return report::FName(op.f); }));
    a.push_back(cached(op.value, Value(), false, [&] { return ValueText(op.value); }));
    b.push_back(done == nullptr ? strings.Id("")
                                : cached(done->value, done->error, true, [&] {
                                    std::string r = ValueText(done->value);
                                    if (!done->error.is_nil()) r += " error: " + ValueText(done->error);
                                    return r;
                                  }));
    ix.push_back(op.index - prev_index);
    prev_index = op.index;
    cx.push_back(done ? done->index - op.index : -1);
  }

  return c;
}

// The JSON embedded in the page (see docs/reports.md for its layout).
std::string DataJson(const Columns& c, const std::vector<FaultInterval>& faults,
                     std::string_view test_name) {
  const std::vector<int64_t>& processes = c.processes;
  const auto& [l, s, d, t, f, a, b, ix, cx] = c.cols;
  std::string data = "{\"name\":";
  report::AppendScriptJsonString(data, test_name);
  fmt::format_to(std::back_inserter(data), ",\"timed\":{},\"end\":{},\"lanes\":{},\"processes\":{}",
                 c.timed ? "true" : "false", c.end, c.lanes, processes.size());
  data += ",\"faults\":[";
  for (size_t i = 0; i < faults.size(); ++i) {
    if (i) data += ',';
    data += "[";
    report::AppendScriptJsonString(data, faults[i].name);
    data += ',';
    report::AppendScriptJsonString(data, faults[i].color);
    fmt::format_to(std::back_inserter(data), ",{},{}]",
                   static_cast<int64_t>(faults[i].start * 1e6),
                   static_cast<int64_t>(faults[i].end * 1e6));
  }
  data += "],\"strings\":";
  c.strings.AppendJson(data);
  data += ",\"ops\":{";
  AppendInts(data, "lane", l);
  data += ',';
  AppendInts(data, "proc", c.proc);
  data += ',';
  AppendInts(data, "start", s);
  data += ',';
  AppendInts(data, "dur", d);
  data += ',';
  AppendInts(data, "type", t);
  data += ',';
  AppendInts(data, "f", f);
  data += ',';
  AppendInts(data, "value", a);
  data += ',';
  AppendInts(data, "result", b);
  data += ',';
  AppendInts(data, "index", ix);
  data += ',';
  AppendInts(data, "cindex", cx);
  data += "}}";
  return data;
}

}  // namespace

std::string TimelineHtml(const History& history, const std::vector<FaultInterval>& faults,
                         std::string_view test_name) {
  Columns columns = BuildColumns(history);
  std::string data = DataJson(columns, faults, test_name);
  size_t ops = columns.cols.l.size(), processes = columns.processes.size();
  std::string name = report::XmlEscape(test_name);
  std::string html;
  html.reserve(data.size() + 16384);
  fmt::format_to(std::back_inserter(html),
                 "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                 "<title>{0} timeline</title>\n<style>{1}"
                 "#controls {{ margin: 6px 0; font-size: 13px; }}\n"
                 "#controls button {{ margin-right: 4px; }}\n"
                 "#timeline {{ display: block; width: 100%; border: 1px solid #ccc; "
                 "cursor: crosshair; }}\n"
                 "#op-detail {{ min-height: 4.5em; background: #f8f8f8; border: 1px solid #ddd; "
                 "padding: 6px; margin-top: 6px; }}\n"
                 ".key {{ display: inline-block; width: 12px; height: 12px; margin: 0 3px 0 10px; "
                 "vertical-align: middle; }}\n</style>\n</head>\n"
                 "<body data-ready=\"false\">\n<h1>{0}: timeline</h1>\n"
                 "<p id=\"timeline-summary\">{2} operations on {3} processes</p>\n"
                 "<div id=\"controls\"><button id=\"zoom-in\">zoom in</button>"
                 "<button id=\"zoom-out\">zoom out</button><button id=\"reset\">reset</button>"
                 "<span class=\"muted\"> wheel: zoom time, shift+wheel: scroll lanes, "
                 "drag: pan, click: pin an op</span>"
                 "<span class=\"key\" style=\"background:#6DB6FE\"></span>ok"
                 "<span class=\"key\" style=\"background:#FEB5DA\"></span>fail"
                 "<span class=\"key\" style=\"background:#FFAA26\"></span>info"
                 "<span class=\"key\" style=\"background:#D0D0D0\"></span>pending</div>\n"
                 "<div id=\"lane-range\" class=\"muted\"></div>\n"
                 "<canvas id=\"timeline\" width=\"1200\" height=\"500\"></canvas>\n"
                 "<pre id=\"op-detail\">Move the mouse over an operation.</pre>\n"
                 "<script id=\"timeline-data\" type=\"application/json\">",
                 name, report::kPageCss, ops, processes);
  html += data;
  html += "</script>\n<script>\n";
  html += kTimelineScript;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

namespace {

const char kTimelineScript[] = R"js("use strict";
(function () {
  const D = JSON.parse(document.getElementById("timeline-data").textContent);
  const O = D.ops, n = O.lane.length, S = D.strings;
  const start = new Float64Array(n), stop = new Float64Array(n);
  const index = new Float64Array(n);
  let t = 0, ix = 0;
  for (let i = 0; i < n; i++) {
    t += O.start[i]; ix += O.index[i];
    start[i] = t; index[i] = ix;
    stop[i] = O.dur[i] < 0 ? Infinity : t + O.dur[i];
  }
  const lanes = Array.from({ length: D.lanes }, () => []);
  for (let i = 0; i < n; i++) lanes[O.lane[i]].push(i);
  const end = Math.max(D.end, 1);
  const colors = ["#6DB6FE", "#FEB5DA", "#FFAA26", "#D0D0D0"];
  const types = ["ok", "fail", "info", "pending"];
  const canvas = document.getElementById("timeline");
  const ctx = canvas.getContext("2d");
  const detail = document.getElementById("op-detail");
  const range = document.getElementById("lane-range");
  const LEFT = 70, TOP = 26, LANE = 16;
  let t0 = 0, t1 = end * 1.02, laneTop = 0, pinned = -1, W = 0, H = 0;
  const unit = D.timed ? 1e6 : 1;

  function resize() {
    const dpr = window.devicePixelRatio || 1;
    W = canvas.clientWidth || 1200;
    H = Math.max(200, Math.min(window.innerHeight - 240, TOP + LANE * lanes.length + 4));
    canvas.style.height = H + "px";
    canvas.width = W * dpr; canvas.height = H * dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  }
  const X = (v) => LEFT + (v - t0) / (t1 - t0) * (W - LEFT - 8);
  const T = (x) => t0 + (x - LEFT) / (W - LEFT - 8) * (t1 - t0);
  const visibleLanes = () => Math.max(1, Math.floor((H - TOP) / LANE));

  // First op of a lane whose bar ends at or after time v (bars of one process never
  // overlap, so ends increase along a lane).
  function firstEnding(list, v) {
    let lo = 0, hi = list.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (stop[list[m]] < v) lo = m + 1; else hi = m; }
    return lo;
  }

  function niceStep(span) {
    const raw = span / 10, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 5, 10]) if (m * mag >= raw) return m * mag;
    return 10 * mag;
  }

  function draw() {
    ctx.clearRect(0, 0, W, H);
    ctx.font = "11px sans-serif";
    // Fault bands.
    for (const [name, color, a, b] of D.faults) {
      const xa = Math.max(LEFT, X(a)), xb = Math.min(W, Math.max(X(b), xa + 1));
      if (xb < LEFT || xa > W) continue;
      ctx.fillStyle = color; ctx.globalAlpha = 0.3;
      ctx.fillRect(xa, TOP, xb - xa, H - TOP);
      ctx.globalAlpha = 1; ctx.fillStyle = "#444";
      if (xb - xa > 40) ctx.fillText(name, xa + 2, TOP + 10);
    }
    // Time axis.
    const step = niceStep((t1 - t0) / unit) * unit;
    ctx.strokeStyle = "#ddd"; ctx.fillStyle = "#333"; ctx.textAlign = "center";
    for (let v = Math.ceil(t0 / step) * step; v <= t1; v += step) {
      const x = X(v);
      ctx.beginPath(); ctx.moveTo(x, TOP - 4); ctx.lineTo(x, H); ctx.stroke();
      ctx.fillText(+(v / unit).toPrecision(6) + (D.timed ? " s" : ""), x, TOP - 8);
    }
    ctx.textAlign = "left";
    const count = visibleLanes();
    for (let k = 0; k < count && laneTop + k < lanes.length; k++) {
      const li = laneTop + k, y = TOP + k * LANE, list = lanes[li];
      ctx.fillStyle = "#333";
      // A lane holds successive processes of one worker: name the one in view.
      if (list.length > 0) {
        const p = O.proc[list[Math.min(firstEnding(list, t0), list.length - 1)]];
        ctx.fillText(p < 0 ? "nemesis" : "p " + p, 4, y + 12);
      }
      let lastPx = -1;
      for (let j = firstEnding(list, t0); j < list.length; j++) {
        const i = list[j];
        if (start[i] > t1) break;
        const xa = Math.max(LEFT, X(start[i]));
        const xb = Math.min(W - 2, stop[i] === Infinity ? W - 2 : X(stop[i]));
        if (xb < lastPx + 0.5 && xa < lastPx + 0.5 && i !== pinned) continue;
        const w = Math.max(1, xb - xa);
        ctx.fillStyle = colors[O.type[i]];
        ctx.fillRect(xa, y + 1, w, LANE - 3);
        if (i === pinned) { ctx.strokeStyle = "#000"; ctx.strokeRect(xa, y + 1, w, LANE - 3); }
        if (w > 50) {
          ctx.save(); ctx.beginPath(); ctx.rect(xa, y, w, LANE); ctx.clip();
          ctx.fillStyle = "#111";
          ctx.fillText(S[O.f[i]] + " " + S[O.value[i]], xa + 2, y + 11);
          ctx.restore();
        }
        lastPx = xa + w;
      }
    }
    range.textContent = lanes.length > count
        ? "showing lanes " + (laneTop + 1) + "-" + Math.min(lanes.length, laneTop + count) +
          " of " + lanes.length + " (shift+wheel or drag to scroll)"
        : "";
  }

  function opAt(px, py) {
    const k = Math.floor((py - TOP) / LANE);
    if (k < 0 || px < LEFT) return -1;
    const list = lanes[laneTop + k];
    if (!list) return -1;
    const slack = 3 * (t1 - t0) / (W - LEFT);
    const v = T(px);
    let j = firstEnding(list, v - slack);
    let best = -1;
    for (; j < list.length && start[list[j]] <= v + slack; j++) best = list[j];
    return best;
  }

  function fmtTime(v) { return D.timed ? (v / 1e6).toFixed(6) + " s" : "position " + v; }
  function show(i) {
    if (i < 0) return;
    const lines = [
      "process " + (O.proc[i] < 0 ? "nemesis" : O.proc[i]) + "   f " + S[O.f[i]] + "   " + types[O.type[i]],
      "invoke   index " + index[i] + "   at " + fmtTime(start[i]) + "   value " + S[O.value[i]]];
    if (O.dur[i] >= 0) {
      lines.push("complete index " + (index[i] + O.cindex[i]) + "   at " + fmtTime(stop[i]) +
                 "   value " + S[O.result[i]]);
      if (D.timed) lines.push("latency  " + (O.dur[i] / 1000).toFixed(3) + " ms");
    } else {
      lines.push("no completion (pending at the end of the history)");
    }
    detail.textContent = lines.join("\n");
  }

  function zoom(factor, at) {
    const span = t1 - t0, c = at === undefined ? t0 + span / 2 : at;
    const nspan = Math.min(end * 1.02 * 4, Math.max(span * factor, 10));
    t0 = c - (c - t0) * nspan / span; t1 = t0 + nspan;
    draw();
  }
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    if (e.shiftKey) {
      const max = Math.max(0, lanes.length - visibleLanes());
      laneTop = Math.min(max, Math.max(0, laneTop + (e.deltaY > 0 ? 3 : -3)));
      draw();
    } else {
      zoom(e.deltaY > 0 ? 1.25 : 0.8, T(e.offsetX));
    }
  }, { passive: false });
  let drag = null;
  canvas.addEventListener("mousedown", (e) => { drag = { x: e.offsetX, y: e.offsetY, t0, t1, laneTop, moved: false }; });
  window.addEventListener("mouseup", () => { drag = null; });
  canvas.addEventListener("mousemove", (e) => {
    if (drag && (e.buttons & 1)) {
      const dt = (e.offsetX - drag.x) / (W - LEFT - 8) * (drag.t1 - drag.t0);
      if (Math.abs(e.offsetX - drag.x) + Math.abs(e.offsetY - drag.y) > 3) drag.moved = true;
      t0 = drag.t0 - dt; t1 = drag.t1 - dt;
      const max = Math.max(0, lanes.length - visibleLanes());
      laneTop = Math.min(max, Math.max(0, drag.laneTop - Math.round((e.offsetY - drag.y) / LANE)));
      draw();
      return;
    }
    if (pinned < 0) show(opAt(e.offsetX, e.offsetY));
  });
  canvas.addEventListener("click", (e) => {
    if (drag && drag.moved) return;
    const i = opAt(e.offsetX, e.offsetY);
    pinned = pinned === i ? -1 : i;
    show(i); draw();
  });
  document.getElementById("zoom-in").onclick = () => zoom(0.5);
  document.getElementById("zoom-out").onclick = () => zoom(2);
  document.getElementById("reset").onclick = () => { t0 = 0; t1 = end * 1.02; laneTop = 0; draw(); };
  window.addEventListener("resize", () => { resize(); draw(); });
  resize(); draw();
  document.body.setAttribute("data-ready", "true");
})();
)js";

}  // namespace
}  // namespace jepsen

// A minimal, strict XML reader for the report tests: elements, attributes, text and
// the five predefined entities plus numeric references. Anything else (a bare '<' or
// '&' in text, an unclosed or mismatched tag) fails the parse, which is how the tests
// prove that every text in a plot is escaped.
#ifndef JEPSEN_TEST_LIBJEPSEN_REPORT_XML_H_
#define JEPSEN_TEST_LIBJEPSEN_REPORT_XML_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jepsen::testing {

struct XmlNode {
  std::string name;
  std::map<std::string, std::string> attrs;
  std::vector<std::unique_ptr<XmlNode>> children;
  std::string text;  // the text directly inside, unescaped

  std::string Attr(const std::string& key) const {
    auto it = attrs.find(key);
    return it == attrs.end() ? "" : it->second;
  }
  bool HasClass(std::string_view cls) const {
    std::string all = " " + Attr("class") + " ";
    return all.find(" " + std::string(cls) + " ") != std::string::npos;
  }
  // Text of this node and all descendants.
  std::string AllText() const {
    std::string out = text;
    for (const auto& c : children) out += c->AllText();
    return out;
  }
  // Every descendant (and this node) satisfying `pred`, in document order.
  std::vector<const XmlNode*> FindAll(const std::function<bool(const XmlNode&)>& pred) const {
    std::vector<const XmlNode*> out;
    Walk([&](const XmlNode& n) {
      if (pred(n)) out.push_back(&n);
    });
    return out;
  }
  void Walk(const std::function<void(const XmlNode&)>& fn) const {
    fn(*this);
    for (const auto& c : children) c->Walk(fn);
  }
};

class XmlReader {
 public:
  // The root element, or nullopt with error() set.
  static std::unique_ptr<XmlNode> Parse(std::string_view text, std::string* error) {
    XmlReader r(text);
    auto root = r.Document();
    if (!root && error) *error = r.error_;
    return root;
  }

 private:
  explicit XmlReader(std::string_view s) : s_(s) {}

  std::unique_ptr<XmlNode> Document() {
    Skip();
    if (s_.substr(i_, 5) == "<?xml") {
      size_t end = s_.find("?>", i_);
      if (end == std::string_view::npos) return Fail("unterminated XML declaration");
      i_ = end + 2;
    }
    Skip();
    if (s_.substr(i_, 9) == "<!DOCTYPE") {
      i_ = s_.find('>', i_) + 1;
      Skip();
    }
    auto root = Element();
    if (!root) return nullptr;
    Skip();
    if (i_ != s_.size()) return Fail("content after the root element");
    return root;
  }

  std::unique_ptr<XmlNode> Element() {
    if (i_ >= s_.size() || s_[i_] != '<') return Fail("expected '<'");
    ++i_;
    auto node = std::make_unique<XmlNode>();
    node->name = Name();
    if (node->name.empty()) return Fail("empty tag name");
    for (;;) {
      Skip();
      if (i_ >= s_.size()) return Fail("unterminated tag " + node->name);
      if (s_.substr(i_, 2) == "/>") {
        i_ += 2;
        return node;
      }
      if (s_[i_] == '>') {
        ++i_;
        break;
      }
      std::string key = Name();
      if (key.empty()) return Fail("bad attribute in " + node->name);
      Skip();
      if (i_ >= s_.size() || s_[i_] != '=') return Fail("attribute without '=': " + key);
      ++i_;
      Skip();
      if (i_ >= s_.size() || (s_[i_] != '"' && s_[i_] != '\'')) return Fail("unquoted " + key);
      char q = s_[i_++];
      size_t end = s_.find(q, i_);
      if (end == std::string_view::npos) return Fail("unterminated attribute " + key);
      std::optional<std::string> v = Unescape(s_.substr(i_, end - i_));
      if (!v) return Fail("bad escape in attribute " + key);
      if (node->attrs.count(key)) return Fail("duplicate attribute " + key);
      node->attrs[key] = *v;
      i_ = end + 1;
    }
    for (;;) {
      size_t lt = s_.find('<', i_);
      if (lt == std::string_view::npos) return Fail("unclosed " + node->name);
      std::optional<std::string> t = Unescape(s_.substr(i_, lt - i_));
      if (!t) return Fail("bad text in " + node->name);
      node->text += *t;
      i_ = lt;
      if (s_.substr(i_, 2) == "</") {
        i_ += 2;
        std::string close = Name();
        if (close != node->name) return Fail("</" + close + "> closes <" + node->name + ">");
        Skip();
        if (i_ >= s_.size() || s_[i_] != '>') return Fail("bad close tag");
        ++i_;
        return node;
      }
      auto child = Element();
      if (!child) return nullptr;
      node->children.push_back(std::move(child));
    }
  }

  std::string Name() {
    size_t start = i_;
    while (i_ < s_.size() && (std::isalnum(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' ||
                              s_[i_] == '_' || s_[i_] == ':' || s_[i_] == '.')) {
      ++i_;
    }
    return std::string(s_.substr(start, i_ - start));
  }

  static std::optional<std::string> Unescape(std::string_view t) {
    std::string out;
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i] == '>') return std::nullopt;  // we always escape '>' too
      if (t[i] != '&') {
        out += t[i];
        continue;
      }
      size_t semi = t.find(';', i);
      if (semi == std::string_view::npos) return std::nullopt;
      std::string_view e = t.substr(i + 1, semi - i - 1);
      if (e == "amp") out += '&';
      else if (e == "lt") out += '<';
      else if (e == "gt") out += '>';
      else if (e == "quot") out += '"';
      else if (e == "apos" || e == "#39") out += '\'';
      else return std::nullopt;
      i = semi;
    }
    return out;
  }

  void Skip() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  std::unique_ptr<XmlNode> Fail(std::string message) {
    if (error_.empty()) error_ = message + " at byte " + std::to_string(i_);
    return nullptr;
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string error_;
};

}  // namespace jepsen::testing

#endif  // JEPSEN_TEST_LIBJEPSEN_REPORT_XML_H_

#include "registry/ethnicity.h"

#include <algorithm>

#include "core/embedded.h"

namespace jd::registry {
namespace {

constexpr std::string_view kZu = "族";

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

Ethnicities::Ethnicities(std::string_view csv) {
  bool header = true;
  while (!csv.empty()) {
    std::size_t nl = csv.find('\n');
    std::string_view line = TrimAscii(csv.substr(0, nl));
    csv = nl == std::string_view::npos ? std::string_view() : csv.substr(nl + 1);
    if (line.empty()) continue;
    if (header) {
      header = false;
      continue;
    }
    std::size_t c1 = line.find(',');
    std::size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos) continue;
    std::string_view code = line.substr(0, c1);
    if (code.size() != 2 || !IsDigit(code[0]) || !IsDigit(code[1])) continue;
    entries_.push_back({std::string(code), std::string(line.substr(c1 + 1, c2 - c1 - 1)),
                        std::string(line.substr(c2 + 1))});
  }
  std::sort(entries_.begin(), entries_.end(),
            [](const Ethnicity& a, const Ethnicity& b) { return a.code < b.code; });
}

const Ethnicities& Ethnicities::Builtin() {
  static const Ethnicities kBuiltin(embedded::ethnicities());
  return kBuiltin;
}

const Ethnicity* Ethnicities::Find(std::string_view code) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), code,
                             [](const Ethnicity& e, std::string_view c) { return e.code < c; });
  return it != entries_.end() && it->code == code ? &*it : nullptr;
}

std::optional<std::string> Ethnicities::NameZh(std::string_view code) const {
  const Ethnicity* e = Find(code);
  return e ? std::optional<std::string>(e->name_zh) : std::nullopt;
}

std::optional<std::string> Ethnicities::NameEn(std::string_view code) const {
  const Ethnicity* e = Find(code);
  return e ? std::optional<std::string>(e->name_en) : std::nullopt;
}

std::optional<std::string> Ethnicities::Resolve(std::string_view text) const {
  text = TrimAscii(text);
  if (text.empty()) return std::nullopt;
  if (std::all_of(text.begin(), text.end(), IsDigit)) {
    // Spreadsheets turn "01" into 1.
    std::string code = text.size() == 1 ? "0" + std::string(text) : std::string(text);
    return Valid(code) ? std::optional<std::string>(code) : std::nullopt;
  }
  for (const Ethnicity& e : entries_) {
    std::string_view name = e.name_zh;
    if (text == name) return e.code;
    // "汉" for "汉族"; names without 族 (其他) only match in full.
    if (name.ends_with(kZu) && text == name.substr(0, name.size() - kZu.size())) return e.code;
  }
  return std::nullopt;
}

}  // namespace jd::registry

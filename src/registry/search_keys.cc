#include "registry/search_keys.h"

#include <algorithm>
#include <unordered_map>

#include "core/csv.h"
#include "core/embedded.h"
#include "core/text.h"

namespace jd::registry {

namespace {

constexpr std::string_view kAfterEverything = "\xf4\x8f\xbf\xbf";  // U+10FFFF

std::string Utf8(char32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::string Utf8(const std::u32string& s) {
  std::string out;
  for (char32_t c : s) out += Utf8(c);
  return out;
}

char32_t Lower(char32_t c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; }
bool IsAsciiLetter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// Separators inside a name: space and the middle dots of transliterated names (阿依古丽·买买提).
bool IsNameSeparator(char32_t c) { return c == ' ' || c == U'·' || c == U'•' || c == U'・'; }

const std::unordered_map<char32_t, std::string>& InitialsTable() {
  static const std::unordered_map<char32_t, std::string> table = [] {
    std::unordered_map<char32_t, std::string> t;
    CsvReader reader(embedded::pinyin_initials());
    std::vector<std::string> f;
    reader.Next(f);  // header
    while (reader.Next(f)) {
      if (f.size() < 2) continue;
      t[static_cast<char32_t>(std::stoul(f[0], nullptr, 16))] = f[1];
    }
    return t;
  }();
  return table;
}

KeyRange Prefix(std::string lo) {
  std::string hi = lo + std::string(kAfterEverything);
  return {std::move(lo), std::move(hi)};
}

std::string Reversed(std::string_view s) { return {s.rbegin(), s.rend()}; }

}  // namespace

std::string_view PinyinInitials(char32_t c) {
  const auto& t = InitialsTable();
  auto it = t.find(c);
  return it == t.end() ? std::string_view() : std::string_view(it->second);
}

std::vector<std::string> PersonSearchKeys(std::string_view name, std::string_view phone,
                                          std::string_view id_number) {
  std::vector<std::string> keys;
  auto decoded = DecodeUtf8(Trim(name));
  if (decoded && !decoded->empty()) {
    std::u32string n;
    for (char32_t c : *decoded) n += Lower(c);
    // Name parts: suffixes from each Chinese character and each Latin word's start.
    for (std::size_t i = 0; i < n.size(); ++i) {
      bool starts_part = n[i] >= 0x80 ? !IsNameSeparator(n[i])
                                      : IsAsciiLetter(n[i]) && (i == 0 || !IsAsciiLetter(n[i - 1]));
      if (starts_part) keys.push_back("n:" + Utf8(n.substr(i)));
      if (n[i] >= 0x80 && !IsNameSeparator(n[i])) keys.push_back("c:" + Utf8(n.substr(i, 1)));
    }
    // Pinyin initials of a Chinese name: every character must have a reading.
    std::vector<std::string_view> readings;
    bool chinese = true;
    for (char32_t c : n) {
      if (IsNameSeparator(c)) continue;
      std::string_view r = PinyinInitials(c);
      if (r.empty()) {
        chinese = false;
        break;
      }
      readings.push_back(r);
    }
    if (chinese && readings.size() >= 2) {
      std::string rest;
      for (std::size_t i = 1; i < readings.size(); ++i) rest += readings[i][0];
      for (char surname : readings[0]) keys.push_back("p:" + std::string(1, surname) + rest);
      for (std::size_t i = 0; i + 2 <= rest.size(); ++i) keys.push_back("p:" + rest.substr(i));
    }
  }
  std::string digits;
  for (char c : phone)
    if (IsDigit(c)) digits += c;
  if (!digits.empty()) keys.push_back("m:" + Reversed(digits));
  std::string id = Trim(id_number);
  if (!id.empty()) {
    for (char& c : id)
      if (c == 'x') c = 'X';
    keys.push_back("d:" + Reversed(id));
  }
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  return keys;
}

PersonSearchPlan PlanPersonSearch(std::string_view q) {
  PersonSearchPlan plan;
  std::string text = Trim(q);
  if (text.empty()) return plan;
  bool all_digits = std::all_of(text.begin(), text.end(), IsDigit);
  bool id_like = std::all_of(text.begin(), text.end(),
                             [](char c) { return IsDigit(c) || c == 'x' || c == 'X'; });
  if (id_like) {
    for (char& c : text)
      if (c == 'x') c = 'X';
    std::size_t n = text.size();
    if (all_digits && n < 4) {
      plan.id_number.push_back(Prefix(text));
    } else if (all_digits && n <= 5) {
      plan.keys.push_back(Prefix("m:" + Reversed(text)));
    } else if (all_digits && n <= 11) {
      plan.keys.push_back(Prefix("d:" + Reversed(text)));
      plan.keys.push_back(Prefix("m:" + Reversed(text)));
    } else if (n == 15 || n == 18) {
      plan.id_number.push_back(Prefix(text));  // a whole number: its own beginning and end
    } else {
      plan.keys.push_back(Prefix("d:" + Reversed(text)));
      plan.id_number.push_back(Prefix(text));
    }
    return plan;
  }
  auto decoded = DecodeUtf8(text);
  if (!decoded) return plan;
  std::u32string lower;
  for (char32_t c : *decoded) lower += Lower(c);
  std::string needle = Utf8(lower);
  if (lower.size() == 1 && lower[0] >= 0x80 && !IsNameSeparator(lower[0])) {
    KeyRange one = Prefix("c:" + needle);
    one.exact = true;
    plan.keys.push_back(std::move(one));
    return plan;
  }
  plan.keys.push_back(Prefix("n:" + needle));
  if (std::all_of(lower.begin(), lower.end(), IsAsciiLetter)) {
    plan.keys.push_back(Prefix("p:" + needle));
  }
  return plan;
}

}  // namespace jd::registry

#include "kpi/dhis2.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace jd::kpi {

namespace {

using ojson = nlohmann::ordered_json;

bool IsAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// DHIS2 UIDs: a letter, then 10 letters or digits.
bool IsUid(std::string_view s) {
  if (s.size() != 11 || !IsAlpha(s[0])) return false;
  for (char c : s) {
    if (!IsAlpha(c) && !IsDigit(c)) return false;
  }
  return true;
}

// Our org units: GB/T 2260 (6 digits), street (9) and community (12) statistical codes.
bool IsOrgCode(std::string_view s) {
  if (s.size() != 6 && s.size() != 9 && s.size() != 12) return false;
  for (char c : s) {
    if (!IsDigit(c)) return false;
  }
  return true;
}

// A metadata code we put in a message: DHIS2 codes hold at most 50 characters; letters, digits
// and '_' keep it usable as an ADX attribute value and name.
bool IsCode(std::string_view s) {
  if (s.empty() || s.size() > 50) return false;
  for (char c : s) {
    if (!IsAlpha(c) && !IsDigit(c) && c != '_') return false;
  }
  return true;
}

// An XML attribute name usable by DHIS2's ADX reader for a category.
bool IsCategoryName(std::string_view s) { return IsCode(s) && !IsDigit(s[0]); }

struct Item {
  std::string data_element;
  std::string period;  // DHIS2 form
  Period p;
  std::string org;
  std::string combo;  // empty: the default combo
  std::string value;
};

// The data values the indicator values stand for, in order (see the header for why rates are
// sent as numerator and denominator).
Result<std::vector<Item>> Items(const std::vector<IndicatorValue>& values,
                                const std::vector<Indicator>& indicators,
                                const Dhis2Options& options) {
  FieldErrors errors;
  if (!IsCode(options.numerator_combo) || !IsCode(options.denominator_combo) ||
      options.numerator_combo == options.denominator_combo) {
    errors.Add("options", "invalid_combo_code",
               "分子、分母的类别选项组合代码须为不同的字母、数字或下划线（最多50个字符）",
               "the numerator and denominator combo codes must differ and be 1–50 letters, "
               "digits or '_'");
  }
  std::unordered_map<std::string, const Indicator*> by_code;
  for (const Indicator& ind : indicators) by_code.emplace(ind.code, &ind);
  std::vector<Item> items;
  // A second value for the same cell would silently overwrite the first at the receiver.
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  for (const IndicatorValue& v : values) {
    auto it = by_code.find(v.code);
    if (it == by_code.end()) {
      errors.Add("values", "unknown_indicator", "指标不在目录中：" + v.code,
                 "indicator not in the catalogue: " + v.code);
      continue;
    }
    const Indicator& ind = *it->second;
    if (!IsUid(ind.dhis2_uid)) {
      errors.Add("values", "invalid_dhis2_uid",
                 fmt::format("指标 {} 的 DHIS2 数据元 UID 无效：{}", ind.code, ind.dhis2_uid),
                 fmt::format("indicator {} has no valid DHIS2 UID: {}", ind.code, ind.dhis2_uid));
      continue;
    }
    if (!IsOrgCode(v.org)) {
      errors.Add("values", "invalid_org_code", "单位代码无效：" + v.org,
                 "not an org unit code: " + v.org);
      continue;
    }
    if (!seen.emplace(ind.dhis2_uid, v.period.Dhis2Code(), v.org).second) {
      errors.Add("values", "duplicate_value",
                 fmt::format("{} 在 {} 的 {} 有两个值", v.code, v.org, v.period.Code()),
                 fmt::format("two values of {} for {} in {}", v.code, v.org, v.period.Code()));
      continue;
    }
    Item base{ind.dhis2_uid, v.period.Dhis2Code(), v.period, v.org, "", ""};
    if (ind.kind == IndicatorKind::kCount) {
      double count = v.value.value_or(v.numerator);
      if (!std::isfinite(count)) {
        errors.Add("values", "not_finite", fmt::format("{} 在 {} 的值不是有限数", v.code, v.org),
                   fmt::format("the value of {} for {} is not a finite number", v.code, v.org));
        continue;
      }
      base.value = Dhis2Number(count);
      items.push_back(std::move(base));
      continue;
    }
    if (!std::isfinite(v.numerator) || !std::isfinite(v.denominator)) {
      errors.Add("values", "not_finite",
                 fmt::format("{} 在 {} 的分子或分母不是有限数", v.code, v.org),
                 fmt::format("the numerator or denominator of {} for {} is not a finite number",
                             v.code, v.org));
      continue;
    }
    Item num = base, den = std::move(base);
    num.combo = options.numerator_combo;
    num.value = Dhis2Number(v.numerator);
    den.combo = options.denominator_combo;
    den.value = Dhis2Number(v.denominator);
    items.push_back(std::move(num));
    items.push_back(std::move(den));
  }
  if (!errors.empty()) return errors.ToStatus();
  return items;
}

}  // namespace

std::string AdxPeriod(const Period& p) {
  switch (p.type) {
    case Period::Type::kMonth:
      return FormatDate(p.first) + "/P1M";
    case Period::Type::kQuarter:
      return FormatDate(p.first) + "/P3M";
    case Period::Type::kYear:
      break;
  }
  return FormatDate(p.first) + "/P1Y";
}

std::string Dhis2Number(double x) {
  if (x == 0) return "0";  // also -0
  if (std::abs(x) < 1e15 && x == std::trunc(x)) return fmt::format("{:.0f}", x);
  std::string s = fmt::format("{}", x);
  if (s.find_first_of("eE") == std::string::npos) return s;
  // DHIS2 reads plain decimals: no exponent.
  s = fmt::format("{:.15f}", x);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      switch (c) {
        case '&':
          out += "&amp;";
          break;
        case '<':
          out += "&lt;";
          break;
        case '>':
          out += "&gt;";
          break;
        case '"':
          out += "&quot;";
          break;
        case '\'':
          out += "&apos;";
          break;
        case '\t':
          out += "&#9;";
          break;
        case '\n':
          out += "&#10;";
          break;
        case '\r':
          out += "&#13;";
          break;
        default:
          if (c >= 0x20 && c != 0x7F) out += static_cast<char>(c);
          // Other C0 controls cannot appear in XML 1.0 at all; DEL is legal but invisible
          // noise, dropped alike.
          break;
      }
      ++i;
      continue;
    }
    // Multi-byte UTF-8: copy a well-formed sequence of an XML character, drop anything else.
    std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (c >= 0xF5) n = 0;
    if (n == 0 || i + n > text.size()) {
      ++i;
      continue;
    }
    char32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    bool ok = true;
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates, U+FFFE/U+FFFF and beyond U+10FFFF are not characters of XML.
    if (ok && ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
               (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE || cp == 0xFFFF)) {
      ok = false;
    }
    if (!ok) {
      ++i;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

Result<std::string> WriteDataValueSets(const std::vector<IndicatorValue>& values,
                                       const std::vector<Indicator>& indicators,
                                       const Dhis2Options& options) {
  if (!options.data_set.empty() && !IsUid(options.data_set)) {
    return Status::Invalid(
        {{"options", "invalid_data_set", "数据集须为 DHIS2 UID（11个字符）：" + options.data_set,
          "the data set must be a DHIS2 UID (11 characters): " + options.data_set}});
  }
  JD_ASSIGN_OR_RETURN(std::vector<Item> items, Items(values, indicators, options));
  ojson doc = ojson::object();
  if (!options.data_set.empty()) doc["dataSet"] = options.data_set;
  bool one_period = !items.empty(), one_org = !items.empty();
  for (const Item& it : items) {
    one_period = one_period && it.period == items.front().period;
    one_org = one_org && it.org == items.front().org;
  }
  if (one_period) doc["period"] = items.front().period;
  if (one_org) doc["orgUnit"] = items.front().org;
  doc["dataElementIdScheme"] = "UID";
  doc["orgUnitIdScheme"] = "CODE";
  doc["categoryOptionComboIdScheme"] = "CODE";
  ojson list = ojson::array();
  for (const Item& it : items) {
    ojson dv = ojson::object();
    dv["dataElement"] = it.data_element;
    dv["period"] = it.period;
    dv["orgUnit"] = it.org;
    if (!it.combo.empty()) dv["categoryOptionCombo"] = it.combo;
    dv["value"] = it.value;
    list.push_back(std::move(dv));
  }
  doc["dataValues"] = std::move(list);
  return doc.dump(2) + "\n";
}

Result<std::vector<IndicatorValue>> ReadDataValueSets(std::string_view text,
                                                      const std::vector<Indicator>& indicators,
                                                      const Dhis2Options& options) {
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("dataValues") ||
      !doc["dataValues"].is_array()) {
    return Status::Invalid(
        {{"", "invalid_document", "不是 dataValueSets 文档", "not a dataValueSets document"}});
  }
  std::unordered_map<std::string, const Indicator*> by_uid;
  for (const Indicator& ind : indicators) {
    if (!ind.dhis2_uid.empty()) by_uid.emplace(ind.dhis2_uid, &ind);
  }
  struct Parts {
    const Indicator* indicator = nullptr;
    Period period;
    std::optional<double> numerator, denominator;
  };
  std::map<std::tuple<std::string, std::string, std::string>, Parts> found;  // uid, org, period
  std::vector<std::tuple<std::string, std::string, std::string>> order;
  FieldErrors errors;
  const nlohmann::json& list = doc["dataValues"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string field = fmt::format("dataValues[{}]", i);
    const nlohmann::json& dv = list[i];
    if (!dv.is_object()) {
      errors.Add(field, "invalid_value", "数据值应为对象", "a data value must be an object");
      continue;
    }
    auto ind = by_uid.find(dv.value("dataElement", ""));
    if (ind == by_uid.end()) continue;
    const std::string org = dv.value("orgUnit", doc.value("orgUnit", ""));
    const std::string period_code = dv.value("period", doc.value("period", ""));
    auto period = ParsePeriod(period_code, field);
    const std::string value_text = dv.value("value", "");
    char* end = nullptr;
    const double value = std::strtod(value_text.c_str(), &end);
    if (!period.ok() || org.empty() || value_text.empty() || *end != '\0' ||
        !std::isfinite(value)) {
      errors.Add(field, "invalid_value", "数据值的统计期、机构或数值无法读取",
                 "the data value's period, org unit or value cannot be read");
      continue;
    }
    const auto key = std::make_tuple(ind->first, org, period->Code());
    auto [at, inserted] = found.try_emplace(key);
    if (inserted) order.push_back(key);
    Parts& parts = at->second;
    parts.indicator = ind->second;
    parts.period = *period;
    const std::string combo = dv.value("categoryOptionCombo", "");
    std::optional<double>* part = nullptr;
    if (ind->second->kind == IndicatorKind::kCount && combo.empty()) {
      part = &parts.numerator;
    } else if (ind->second->kind != IndicatorKind::kCount && combo == options.numerator_combo) {
      part = &parts.numerator;
    } else if (ind->second->kind != IndicatorKind::kCount && combo == options.denominator_combo) {
      part = &parts.denominator;
    }
    if (part == nullptr) {
      errors.Add(field, "unknown_combo", "未知的类别选项组合：" + combo,
                 "unknown category option combo: " + combo);
    } else if (part->has_value()) {
      errors.Add(field, "duplicate_value", "同一指标、机构与统计期的数值重复",
                 "a second value for the same indicator, org unit and period");
    } else {
      *part = value;
    }
  }
  std::vector<IndicatorValue> out;
  for (const auto& key : order) {
    const Parts& p = found.at(key);
    IndicatorValue v;
    v.code = p.indicator->code;
    v.org = std::get<1>(key);
    v.period = p.period;
    v.target = p.indicator->target;
    if (p.indicator->kind == IndicatorKind::kCount) {
      v.numerator = p.numerator.value_or(0);
      v.value = v.numerator;
    } else {
      if (!p.numerator || !p.denominator) {
        errors.Add("dataValues", "incomplete_rate",
                   "比率缺少分子或分母：" + p.indicator->code + " " + v.org,
                   "a rate lacks its numerator or denominator: " + p.indicator->code + " " + v.org);
        continue;
      }
      v.numerator = *p.numerator;
      v.denominator = *p.denominator;
      if (v.denominator > 0) v.value = v.numerator / v.denominator;
    }
    if (v.value && v.target) v.met = *v.value >= *v.target;
    out.push_back(std::move(v));
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

Result<std::string> WriteAdx(const std::vector<IndicatorValue>& values,
                             const std::vector<Indicator>& indicators, const Dhis2Options& options,
                             std::chrono::system_clock::time_point exported) {
  FieldErrors errors;
  if (options.data_set.empty()) {
    errors.Add("options", "data_set_required", "ADX 报文须指定数据集代码",
               "an ADX message needs the data set's code");
  } else if (!IsCode(options.data_set)) {
    errors.Add("options", "invalid_data_set",
               "数据集代码须为字母、数字或下划线（最多50个字符）：" + options.data_set,
               "the data set code must be 1–50 letters, digits or '_': " + options.data_set);
  }
  if (!IsCategoryName(options.part_category)) {
    errors.Add(
        "options", "invalid_category_code",
        "分子/分母类别代码须为以字母或下划线开头的字母、数字、下划线：" + options.part_category,
        "the numerator/denominator category code must be a letter or '_' followed by "
        "letters, digits or '_': " +
            options.part_category);
  }
  if (!errors.empty()) return errors.ToStatus();
  JD_ASSIGN_OR_RETURN(std::vector<Item> items, Items(values, indicators, options));

  // Groups by org unit and period, in the order first met.
  std::vector<std::pair<std::string, Period>> keys;
  std::map<std::pair<std::string, std::string>, std::vector<const Item*>> groups;
  for (const Item& it : items) {
    auto key = std::make_pair(it.org, it.period);
    auto [pos, added] = groups.try_emplace(key);
    if (added) keys.emplace_back(it.org, it.p);
    pos->second.push_back(&it);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<adx xmlns=\"urn:ihe:qrph:adx:2015\" exported=\"{}\">\n",
                     XmlEscape(FormatTimestamp(exported)));
  for (const auto& [org, period] : keys) {
    out += fmt::format("  <group orgUnit=\"{}\" period=\"{}\" dataSet=\"{}\">\n", XmlEscape(org),
                       XmlEscape(AdxPeriod(period)), XmlEscape(options.data_set));
    for (const Item* it : groups[{org, period.Dhis2Code()}]) {
      out += fmt::format("    <dataValue dataElement=\"{}\"", XmlEscape(it->data_element));
      if (!it->combo.empty()) {
        out += fmt::format(" {}=\"{}\"", options.part_category, XmlEscape(it->combo));
      }
      out += fmt::format(" value=\"{}\"/>\n", XmlEscape(it->value));
    }
    out += "  </group>\n";
  }
  out += "</adx>\n";
  return out;
}

}  // namespace jd::kpi

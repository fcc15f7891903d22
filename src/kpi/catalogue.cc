// The indicator catalogue (kpi/catalogue.h).
#include "kpi/catalogue.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::kpi {

namespace {

using nlohmann::json;

std::string Replace(std::string text, std::string_view key, const std::string& value) {
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    text.replace(at, key.size(), value);
    at += value.size();
  }
  return text;
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

void ReadIndicator(const json& j, const std::string& where, Indicator& out, FieldErrors& errors) {
  if (!j.is_object()) {
    errors.Add(where, "not_an_object", "指标定义应为对象", "an indicator must be an object");
    return;
  }
  out.code = Text(j, "code");
  out.name_zh = Text(j, "name_zh");
  out.name_en = Text(j, "name_en");
  out.module = Text(j, "module");
  out.measure = Text(j, "measure");
  out.numerator_zh = Text(j, "numerator_zh");
  out.numerator_en = Text(j, "numerator_en");
  out.denominator_zh = Text(j, "denominator_zh");
  out.denominator_en = Text(j, "denominator_en");
  out.target_section = Text(j, "target_section");
  out.dhis2_uid = Text(j, "dhis2_uid");
  out.active = j.value("active", true);
  if (out.code.empty() || out.name_zh.empty() || out.name_en.empty()) {
    errors.Add(where + ".code", "required", "指标须有代码和中英文名称",
               "an indicator needs a code and Chinese and English names");
  }
  std::string kind = Text(j, "kind");
  if (kind == "count") {
    out.kind = IndicatorKind::kCount;
  } else if (kind == "rate") {
    out.kind = IndicatorKind::kRate;
  } else if (kind == "mean_days") {
    out.kind = IndicatorKind::kMeanDays;
  } else {
    errors.Add(where + ".kind", "invalid_value", "kind 应为 count、rate 或 mean_days",
               "kind must be count, rate or mean_days");
  }
  if (out.active && out.measure.empty()) {
    errors.Add(where + ".measure", "required", "启用的指标须指定计算方法（measure）",
               "an active indicator names its measure");
  }
  if (auto t = j.find("target"); t != j.end() && !t->is_null()) {
    if (!t->is_number()) {
      errors.Add(where + ".target", "invalid_number", "目标值应为数字", "target must be a number");
    } else {
      out.target = t->get<double>();
    }
  }
  if (std::string d = Text(j, "deadline"); !d.empty()) {
    out.deadline = ParseDate(d);
    if (!out.deadline) {
      errors.Add(where + ".deadline", "invalid_date", "截止日期应为 YYYY-MM-DD",
                 "deadline must be YYYY-MM-DD");
    }
  }
  if (std::string r = Text(j, "restricted_to"); !r.empty()) {
    out.restricted_to = auth::ParsePermission(r);
    if (!out.restricted_to) {
      errors.Add(where + ".restricted_to", "invalid_value", "未知的权限代码：" + r,
                 "unknown permission code: " + r);
    }
  }
  if (auto d = j.find("disaggregations"); d != j.end() && d->is_array()) {
    static const std::set<std::string> kKnown = {"org", "sex", "age_group", "hukou_province",
                                                 "cohort"};
    for (const auto& x : *d) {
      std::string name = x.is_string() ? x.get<std::string>() : "";
      if (!kKnown.count(name)) {
        errors.Add(where + ".disaggregations", "invalid_value", "未知的分组维度：" + name,
                   "unknown disaggregation: " + name);
      } else {
        out.disaggregations.push_back(name);
      }
    }
  }
}

}  // namespace

std::string_view KindCode(IndicatorKind kind) {
  switch (kind) {
    case IndicatorKind::kCount:
      return "count";
    case IndicatorKind::kRate:
      return "rate";
    case IndicatorKind::kMeanDays:
      return "mean_days";
  }
  return "";
}

bool DenominatorCounts(const Indicator& indicator) {
  return indicator.measure != "smd_registered_rate";
}

std::string Dhis2Uid(std::string_view code) {
  // FNV-1a, 64 bits, spread over base-62 characters.
  std::uint64_t h = 1469598103934665603ull;
  for (unsigned char c : code) {
    h ^= c;
    h *= 1099511628211ull;
  }
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string uid;
  uid.push_back(kAlnum[h % 52]);  // DHIS2 UIDs start with a letter
  h /= 52;
  for (int i = 0; i < 10; ++i) {
    uid.push_back(kAlnum[h % 62]);
    h = h / 62 + (static_cast<std::uint64_t>(i + 1) * 0x9E3779B97F4A7C15ull >> 20);
  }
  return uid;
}

Result<Catalogue> Catalogue::Load(std::string_view json_text,
                                  const immunization::Schedule& schedule) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  FieldErrors errors;
  if (doc.is_discarded() || !doc.is_object()) {
    errors.Add("catalogue", "invalid_json", "指标目录不是有效的 JSON 对象",
               "the indicator catalogue is not a JSON object");
    return errors.ToStatus();
  }
  Catalogue c;
  c.id_ = Text(doc, "id");
  const json indicators = doc.value("indicators", json::array());
  for (std::size_t i = 0; i < indicators.size(); ++i) {
    Indicator ind;
    ReadIndicator(indicators[i], "indicators[" + std::to_string(i) + "]", ind, errors);
    c.indicators_.push_back(std::move(ind));
  }

  // The programme doses as the forecast names them, in schedule order, over every version.
  std::vector<std::pair<immunization::VaccineId, int>> doses;
  std::set<std::pair<immunization::VaccineId, int>> seen;
  for (const auto& version : schedule.versions()) {
    for (const auto& series : version.series) {
      std::map<immunization::VaccineId, int> count;
      for (const auto& d : series.doses) {
        auto key = std::make_pair(d.vaccine, ++count[d.vaccine]);
        if (schedule.info(d.vaccine).programme && seen.insert(key).second) doses.push_back(key);
      }
    }
  }
  const json templates = doc.value("per_dose", json::array());
  for (std::size_t i = 0; i < templates.size(); ++i) {
    std::string where = "per_dose[" + std::to_string(i) + "]";
    Indicator tpl;
    ReadIndicator(templates[i], where, tpl, errors);
    if (tpl.code.find("{vaccine}") == std::string::npos ||
        tpl.code.find("{dose}") == std::string::npos) {
      errors.Add(where + ".code", "invalid_value", "剂次指标代码须含 {vaccine} 和 {dose}",
                 "a per-dose code contains {vaccine} and {dose}");
      continue;
    }
    for (const auto& [v, n] : doses) {
      const auto& info = schedule.info(v);
      Indicator ind = tpl;
      const std::string dose = std::to_string(n);  // a lambda may not capture a binding (clang 14)
      auto fill = [&](std::string text) {
        text = Replace(std::move(text), "{vaccine}", info.code);
        text = Replace(std::move(text), "{dose}", dose);
        text = Replace(std::move(text), "{name_zh}", info.name_zh);
        return Replace(std::move(text), "{name_en}", info.name_en);
      };
      ind.code = fill(ind.code);
      ind.name_zh = fill(ind.name_zh);
      ind.name_en = fill(ind.name_en);
      ind.vaccine = info.code;
      ind.dose = n;
      c.indicators_.push_back(std::move(ind));
    }
  }
  for (std::size_t i = 0; i < c.indicators_.size(); ++i) {
    Indicator& ind = c.indicators_[i];
    if (ind.dhis2_uid.empty()) ind.dhis2_uid = Dhis2Uid(ind.code);
    if (!c.by_code_.emplace(ind.code, i).second) {
      errors.Add("indicators", "duplicate_code", "指标代码重复：" + ind.code,
                 "duplicate indicator code: " + ind.code);
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return c;
}

const Catalogue& Catalogue::Default() {
  static const Catalogue kDefault = [] {
    auto c = Load(embedded::kpi_indicators(), immunization::Schedule::Default());
    if (!c.ok()) throw std::logic_error("shipped indicator catalogue: " + c.status().ToString());
    return std::move(*c);
  }();
  return kDefault;
}

const Indicator* Catalogue::Find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  return it == by_code_.end() ? nullptr : &indicators_[it->second];
}

}  // namespace jd::kpi

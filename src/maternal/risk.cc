#include "maternal/risk.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::maternal {

namespace {

using nlohmann::json;

std::optional<Measure> ParseMeasure(std::string_view s) {
  if (s == "age_years") return Measure::kAgeYears;
  if (s == "bmi") return Measure::kBmi;
  if (s == "hb") return Measure::kHaemoglobin;
  if (s == "platelets") return Measure::kPlatelets;
  return std::nullopt;
}

std::optional<Infection> ParseInfection(std::string_view s) {
  if (s == "hiv") return Infection::kHiv;
  if (s == "syphilis") return Infection::kSyphilis;
  if (s == "hbsag") return Infection::kHbsag;
  return std::nullopt;
}

std::optional<double> ValueOf(const RiskFacts& f, Measure m) {
  switch (m) {
    case Measure::kAgeYears:
      return f.age_years ? std::optional<double>(*f.age_years) : std::nullopt;
    case Measure::kBmi:
      return f.bmi;
    case Measure::kHaemoglobin:
      return f.haemoglobin_g_l;
    case Measure::kPlatelets:
      return f.platelets_10e9_l;
  }
  return std::nullopt;
}

bool Positive(const RiskFacts& f, Infection i) {
  switch (i) {
    case Infection::kHiv:
      return f.hiv_positive;
    case Infection::kSyphilis:
      return f.syphilis_positive;
    case Infection::kHbsag:
      return f.hbsag_positive;
  }
  return false;
}

bool Holds(const RiskClause& c, const RiskFacts& f) {
  if (c.test) return Positive(f, *c.test);
  auto v = ValueOf(f, *c.measure);
  if (!v) return false;
  if (c.min && *v < *c.min) return false;
  if (c.max && *v > *c.max) return false;
  if (c.above && *v <= *c.above) return false;
  if (c.below && *v >= *c.below) return false;
  return true;
}

std::optional<double> Bound(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  if (!j[key].is_number())
    throw json::type_error::create(302, std::string(key) + " not a number", &j);
  return j[key].get<double>();
}

}  // namespace

Result<RiskCatalogue> RiskCatalogue::Load(std::string_view text) {
  json doc = json::parse(text, nullptr, false);
  FieldErrors errors;
  if (doc.is_discarded() || !doc.is_object()) {
    errors.Add("catalogue", "invalid_json", "风险目录不是有效的JSON", "the catalogue is not JSON");
    return errors.ToStatus();
  }
  RiskCatalogue out;
  try {
    out.colour_set_ = doc.at("colour_set").get<std::string>();
    for (const auto& c : doc.at("colours")) {
      RiskColour colour;
      colour.code = c.at("code").get<std::string>();
      colour.rank = c.at("rank").get<int>();
      colour.coexisting = c.value("coexisting", false);
      colour.zh = c.at("zh").get<std::string>();
      colour.meaning_zh = c.value("meaning_zh", "");
      colour.meaning_en = c.value("meaning_en", "");
      colour.requires_codes = c.value("requires", std::vector<std::string>{});
      if (out.FindColour(colour.code)) {
        errors.Add("colours", "duplicate_colour", "颜色重复：" + colour.code,
                   "duplicate colour " + colour.code);
      }
      out.colours_.push_back(std::move(colour));
    }
    const json requirements = doc.value("requirements", json::object());
    for (const auto& [code, r] : requirements.items()) {
      out.requirements_.push_back(
          {code, r.at("zh").get<std::string>(), r.at("en").get<std::string>()});
    }
    for (const auto& c : doc.at("conditions")) {
      RiskCondition cond;
      cond.code = c.at("code").get<std::string>();
      cond.colour = c.at("colour").get<std::string>();
      cond.zh = c.at("zh").get<std::string>();
      for (const auto& w : c.value("when", json::array())) {
        RiskClause clause;
        if (w.contains("test")) {
          clause.test = ParseInfection(w["test"].get<std::string>());
          if (!clause.test) {
            errors.Add("conditions", "unknown_test", cond.code + "：未知检测项目",
                       cond.code + ": unknown test");
          }
        } else {
          clause.measure = ParseMeasure(w.value("measure", ""));
          if (!clause.measure) {
            errors.Add("conditions", "unknown_measure", cond.code + "：未知测量项目",
                       cond.code + ": unknown measure");
          }
          clause.min = Bound(w, "min");
          clause.max = Bound(w, "max");
          clause.above = Bound(w, "above");
          clause.below = Bound(w, "below");
          if (!clause.min && !clause.max && !clause.above && !clause.below) {
            errors.Add("conditions", "unbounded_clause", cond.code + "：测量条件缺少界值",
                       cond.code + ": a measure clause without bounds");
          }
        }
        cond.when.push_back(clause);
      }
      if (!out.FindColour(cond.colour)) {
        errors.Add("conditions", "unknown_colour", cond.code + "：颜色不在颜色集中",
                   cond.code + ": colour not in the set");
      }
      if (out.FindCondition(cond.code)) {
        errors.Add("conditions", "duplicate_condition", "条件编码重复：" + cond.code,
                   "duplicate condition " + cond.code);
      }
      out.conditions_.push_back(std::move(cond));
    }
  } catch (const json::exception& e) {
    errors.Add("catalogue", "invalid_catalogue", std::string("风险目录格式错误：") + e.what(),
               std::string("malformed catalogue: ") + e.what());
  }
  int lowest = 0;
  for (const auto& c : out.colours_) {
    if (!c.coexisting && c.rank == 0) ++lowest;
    for (const auto& r : c.requires_codes) {
      if (!out.FindRequirement(r)) {
        errors.Add("colours", "unknown_requirement", c.code + "：未知管理要求 " + r,
                   c.code + ": unknown requirement " + r);
      }
    }
  }
  if (lowest != 1) {
    errors.Add("colours", "no_lowest_colour", "颜色集须有且仅有一个最低等级颜色",
               "the set needs exactly one rank-0 colour");
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

const RiskCatalogue& RiskCatalogue::Builtin() {
  static const RiskCatalogue catalogue = [] {
    auto loaded = Load(embedded::maternal_risk_catalogue());
    if (!loaded.ok()) {
      throw std::logic_error("data/maternal/risk_catalogue.json: " + loaded.status().ToString());
    }
    return std::move(loaded).value();
  }();
  return catalogue;
}

const RiskColour* RiskCatalogue::FindColour(std::string_view code) const {
  for (const auto& c : colours_) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const RiskCondition* RiskCatalogue::FindCondition(std::string_view code) const {
  for (const auto& c : conditions_) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

const RiskRequirement* RiskCatalogue::FindRequirement(std::string_view code) const {
  for (const auto& r : requirements_) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

const RiskColour& RiskCatalogue::lowest() const {
  for (const auto& c : colours_) {
    if (!c.coexisting && c.rank == 0) return c;
  }
  throw std::logic_error("risk catalogue without a rank-0 colour");  // Load refuses that
}

Result<RiskAssessment> Assess(const RiskCatalogue& catalogue, const RiskFacts& facts) {
  FieldErrors errors;
  RiskAssessment out;
  std::set<std::string> seen;
  for (const auto& code : facts.ticked) {
    const RiskCondition* c = catalogue.FindCondition(code);
    if (!c) {
      errors.Add("conditions", "unknown_condition", "风险评估表中没有此条件：" + code,
                 "no such condition in the risk catalogue: " + code);
      continue;
    }
    if (seen.insert(code).second) out.conditions.push_back({c->code, c->colour, false});
  }
  for (const auto& c : catalogue.conditions()) {
    if (seen.count(c.code)) continue;
    bool holds = std::any_of(c.when.begin(), c.when.end(),
                             [&](const RiskClause& w) { return Holds(w, facts); });
    if (holds) {
      seen.insert(c.code);
      out.conditions.push_back({c.code, c.colour, true});
    }
  }
  const RiskColour* ranked = &catalogue.lowest();
  std::vector<const RiskColour*> coexisting;
  for (const auto& m : out.conditions) {
    const RiskColour* colour = catalogue.FindColour(m.colour);
    if (colour->coexisting) {
      if (std::find(coexisting.begin(), coexisting.end(), colour) == coexisting.end()) {
        coexisting.push_back(colour);
      }
    } else if (colour->rank > ranked->rank) {
      ranked = colour;
    }
  }
  if (facts.stated_colour) {
    const RiskColour* stated = catalogue.FindColour(*facts.stated_colour);
    if (!stated) {
      errors.Add("colour", "unknown_colour",
                 "颜色不在本市的风险分级颜色中：" + *facts.stated_colour,
                 "not a colour of this city's risk grading: " + *facts.stated_colour);
    } else if (stated->coexisting) {
      errors.Add("colour", "colour_not_rankable", "紫色等并存颜色由传染病条件得出，不能单独指定",
                 "a coexisting colour follows from its conditions; it cannot be stated alone");
    } else if (stated->rank < ranked->rank) {
      errors.Add("colour", "colour_below_conditions",
                 "指定的颜色低于所选条件对应的颜色（" + ranked->zh + "）",
                 "the stated colour is below the colour of the conditions (" + ranked->code + ")");
    } else {
      ranked = stated;
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  out.colour = ranked->code;
  auto add_requirements = [&](const RiskColour& c) {
    for (const auto& r : c.requires_codes) {
      if (std::find(out.requires_codes.begin(), out.requires_codes.end(), r) ==
          out.requires_codes.end()) {
        out.requires_codes.push_back(r);
      }
    }
  };
  add_requirements(*ranked);
  for (const RiskColour* c : coexisting) {
    out.coexisting.push_back(c->code);
    add_requirements(*c);
  }
  out.high_risk = std::find(ranked->requires_codes.begin(), ranked->requires_codes.end(),
                            "referral_designated_hospital") != ranked->requires_codes.end();
  return out;
}

}  // namespace jd::maternal

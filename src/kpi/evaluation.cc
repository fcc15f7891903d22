// Assessment scores, ranks and the bulletin (kpi/evaluation.h).
#include "kpi/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::kpi {

namespace {

using nlohmann::json;

constexpr std::array<AssessmentLevel, kAssessmentLevels> kLevels = {AssessmentLevel::kDistrict,
                                                                    AssessmentLevel::kStreet};

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::size_t LevelIndex(AssessmentLevel level) { return static_cast<std::size_t>(level); }

double Round2(double x) { return std::round(x * 100.0) / 100.0; }

// "95.0" → "95": targets print as people write them.
std::string TrimZero(std::string s) {
  if (s.size() > 2 && s.ends_with(".0")) s.resize(s.size() - 2);
  return s;
}

void ReadItem(const json& j, const std::string& where, const Catalogue& catalogue,
              AssessmentItem& out, FieldErrors& errors) {
  if (!j.is_object()) {
    errors.Add(where, "not_an_object", "考核项应为对象", "an item must be an object");
    return;
  }
  out.code = Text(j, "code");
  out.source = Text(j, "source");
  out.confirmed = j.value("confirmed", false);
  const Indicator* ind = catalogue.Find(out.code);
  if (ind == nullptr) {
    errors.Add(where + ".code", "unknown_indicator", "指标目录中没有该指标：" + out.code,
               "the catalogue has no indicator " + out.code);
  } else if (!ind->active) {
    // An inactive indicator has no values: every unit would be "not applicable" on it.
    errors.Add(where + ".code", "inactive_indicator", "该指标尚未启用，不能考核：" + out.code,
               "the indicator " + out.code + " is not active and has no values");
  } else {
    out.name_zh = ind->name_zh;
    out.name_en = ind->name_en;
    out.kind = ind->kind;
  }
  std::string rule = Text(j, "rule");
  if (rule == "linear") {
    out.rule = ScoringRule::kLinear;
  } else if (rule == "threshold") {
    out.rule = ScoringRule::kThreshold;
  } else {
    errors.Add(where + ".rule", "invalid_value", "评分规则应为 linear 或 threshold",
               "rule must be linear or threshold");
  }
  std::string direction = j.contains("direction") ? Text(j, "direction") : "higher";
  if (direction == "higher") {
    out.direction = Direction::kHigherIsBetter;
  } else if (direction == "lower") {
    out.direction = Direction::kLowerIsBetter;
  } else {
    errors.Add(where + ".direction", "invalid_value", "方向应为 higher 或 lower",
               "direction must be higher or lower");
  }
  std::optional<double> target;
  if (auto t = j.find("target"); t != j.end() && !t->is_null()) {
    if (t->is_number()) {
      target = t->get<double>();
    } else {
      errors.Add(where + ".target", "invalid_number", "目标值应为数字", "target must be a number");
    }
  } else if (ind != nullptr && ind->target) {
    target = ind->target;
  }
  if (!target) {
    errors.Add(where + ".target", "required", "考核项须有目标值（方案或指标目录中）",
               "an item needs a target, here or in the catalogue");
  } else {
    out.target = *target;
  }
  if (auto f = j.find("floor"); f != j.end() && !f->is_null()) {
    if (f->is_number()) {
      out.floor = f->get<double>();
    } else {
      errors.Add(where + ".floor", "invalid_number", "下限应为数字", "floor must be a number");
    }
  }
  if (out.rule == ScoringRule::kLinear && target) {
    bool higher = out.direction == Direction::kHigherIsBetter;
    if (!out.floor) {
      errors.Add(where + ".floor", "required", "线性评分须有下限 floor",
                 "a linear item needs a floor");
    } else if (higher ? !(*out.floor < out.target) : !(*out.floor > out.target)) {
      errors.Add(where + ".floor", "invalid_floor",
                 higher ? "下限应低于目标值" : "指标越低越好时，下限应高于目标值",
                 higher ? "the floor must be below the target"
                        : "when lower is better the floor must be above the target");
    }
  }
  auto w = j.find("weights");
  if (w == j.end() || !w->is_object() || w->empty()) {
    errors.Add(where + ".weights", "required", "须按层级给出分值，如 {\"district\": 20}",
               "give the points per level, e.g. {\"district\": 20}");
    return;
  }
  for (const auto& [level_code, weight] : w->items()) {
    auto level = ParseAssessmentLevel(level_code);
    if (!level) {
      errors.Add(where + ".weights." + level_code, "invalid_level", "层级应为 district 或 street",
                 "the level must be district or street");
    } else if (!weight.is_number() || !(weight.get<double>() > 0)) {
      errors.Add(where + ".weights." + level_code, "invalid_weight", "分值应为正数",
                 "a weight must be a positive number");
    } else {
      out.weights[LevelIndex(*level)] = weight.get<double>();
    }
  }
}

json ItemToJson(const AssessmentItem& i, std::optional<AssessmentLevel> level) {
  json j = {{"code", i.code},
            {"name_zh", i.name_zh},
            {"name_en", i.name_en},
            {"rule", i.rule == ScoringRule::kLinear ? "linear" : "threshold"},
            {"direction", i.direction == Direction::kHigherIsBetter ? "higher" : "lower"},
            {"target", i.target},
            {"floor", i.floor ? json(*i.floor) : json(nullptr)},
            {"source", i.source},
            {"confirmed", i.confirmed}};
  if (level) {
    j["weight"] = i.weights[LevelIndex(*level)].value_or(0);
  } else {
    json weights = json::object();
    for (AssessmentLevel l : kLevels) {
      if (auto w = i.weights[LevelIndex(l)]) weights[std::string(LevelCode(l))] = *w;
    }
    j["weights"] = weights;
  }
  return j;
}

std::string LevelNameZh(AssessmentLevel level) {
  return level == AssessmentLevel::kDistrict ? "县（区）" : "街道（乡镇）";
}
std::string LevelNameEn(AssessmentLevel level) {
  return level == AssessmentLevel::kDistrict ? "districts" : "streets";
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += sep;
    out += parts[i];
  }
  return out;
}

std::string Score(double total) { return fmt::format("{:.2f}", total); }

BulletinEntry Entry(const UnitScore& u) {
  BulletinEntry e{.code = u.code, .name = u.name, .rank = u.rank, .total = u.total};
  std::vector<std::string> missed_zh, missed_en;
  for (const ItemScore& i : u.items) {
    switch (i.outcome) {
      case Outcome::kMet:
        e.met.push_back(i.code);
        break;
      case Outcome::kMissed:
        e.missed.push_back(i.code);
        missed_zh.push_back(fmt::format("{}{}（目标{}）", i.name_zh,
                                        FormatValue(i.kind, *i.value, true),
                                        FormatValue(i.kind, i.target, true)));
        missed_en.push_back(fmt::format("{} {} (target {})", i.name_en,
                                        FormatValue(i.kind, *i.value, false),
                                        FormatValue(i.kind, i.target, false)));
        break;
      case Outcome::kNotApplicable:
        e.not_applicable.push_back(i.code);
        break;
    }
  }
  if (!u.total) {
    e.text_zh = u.name + "：无可考核指标（各项均无服务对象），不参与排名。";
    e.text_en = u.name + ": no assessed indicator applies (nobody to serve); not ranked.";
    return e;
  }
  e.text_zh =
      fmt::format("{}：第{}名，得分{}；达标{}项", u.name, *u.rank, Score(*u.total), e.met.size());
  e.text_en = fmt::format("{}: rank {}, score {}; {} target{} met", u.name, *u.rank,
                          Score(*u.total), e.met.size(), e.met.size() == 1 ? "" : "s");
  if (e.missed.empty()) {
    e.text_zh += "，无未达标项";
    e.text_en += ", none missed";
  } else {
    e.text_zh += fmt::format("，未达标{}项：{}", e.missed.size(), Join(missed_zh, "；"));
    e.text_en += fmt::format(", {} missed: {}", e.missed.size(), Join(missed_en, "; "));
  }
  if (!e.not_applicable.empty()) {
    e.text_zh += fmt::format("；{}项无服务对象，不计分", e.not_applicable.size());
    e.text_en += fmt::format("; {} not applicable (nobody to serve)", e.not_applicable.size());
  }
  e.text_zh += "。";
  e.text_en += ".";
  return e;
}

}  // namespace

std::string_view LevelCode(AssessmentLevel level) {
  return level == AssessmentLevel::kDistrict ? "district" : "street";
}

std::optional<AssessmentLevel> ParseAssessmentLevel(std::string_view code) {
  if (code == "district") return AssessmentLevel::kDistrict;
  if (code == "street") return AssessmentLevel::kStreet;
  return std::nullopt;
}

std::string_view OutcomeCode(Outcome outcome) {
  switch (outcome) {
    case Outcome::kMet:
      return "met";
    case Outcome::kMissed:
      return "missed";
    case Outcome::kNotApplicable:
      break;
  }
  return "not_applicable";
}

std::vector<const AssessmentItem*> AssessmentScheme::ItemsFor(AssessmentLevel level) const {
  std::vector<const AssessmentItem*> out;
  for (const auto& i : items) {
    if (i.weights[LevelIndex(level)]) out.push_back(&i);
  }
  return out;
}

Result<AssessmentScheme> LoadAssessmentScheme(std::string_view json_text,
                                              const Catalogue& catalogue) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid({{"", "invalid_json", "考核方案不是有效的 JSON 对象",
                             "the assessment scheme is not a JSON object"}});
  }
  AssessmentScheme s;
  s.id = Text(doc, "id");
  s.title_zh = Text(doc, "title_zh");
  s.title_en = Text(doc, "title_en");
  s.source = Text(doc, "source");
  FieldErrors errors;
  if (s.id.empty()) errors.Add("id", "required", "考核方案须有 id", "the scheme needs an id");
  if (s.source.empty()) {
    errors.Add("source", "required", "考核方案须注明依据", "the scheme names its source");
  }
  auto items = doc.find("items");
  if (items == doc.end() || !items->is_array() || items->empty()) {
    errors.Add("items", "required", "考核方案须列出考核项", "the scheme lists its items");
    return errors.ToStatus();
  }
  std::set<std::string> seen;
  for (std::size_t k = 0; k < items->size(); ++k) {
    std::string where = fmt::format("items[{}]", k);
    AssessmentItem item;
    ReadItem((*items)[k], where, catalogue, item, errors);
    if (!item.code.empty() && !seen.insert(item.code).second) {
      errors.Add(where + ".code", "duplicate_code", "考核项重复：" + item.code,
                 "the item " + item.code + " appears twice");
    }
    s.items.push_back(std::move(item));
  }
  if (!errors.empty()) return errors.ToStatus();
  // The points of a level add up to 100, so that a unit's total reads as a mark out of 100
  // whatever the number of items.
  for (AssessmentLevel level : kLevels) {
    double sum = 0;
    bool any = false;
    for (const auto& i : s.items) {
      if (auto w = i.weights[LevelIndex(level)]) {
        sum += *w;
        any = true;
      }
    }
    if (any && std::abs(sum - 100.0) > 1e-9) {
      errors.Add(fmt::format("weights.{}", LevelCode(level)), "weights_not_100",
                 fmt::format("{}层级分值合计应为100，现为{}", LevelCode(level), sum),
                 fmt::format("the {} weights add up to {}, not 100", LevelCode(level), sum));
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return s;
}

const AssessmentScheme& DefaultAssessmentScheme() {
  static const AssessmentScheme kDefault = [] {
    auto s = LoadAssessmentScheme(embedded::kpi_assessment(), Catalogue::Default());
    if (!s.ok()) throw std::logic_error("shipped assessment scheme: " + s.status().ToString());
    return std::move(*s);
  }();
  return kDefault;
}

bool TargetMet(const AssessmentItem& item, double value) {
  return item.direction == Direction::kHigherIsBetter ? value >= item.target : value <= item.target;
}

double ItemPoints(const AssessmentItem& item, double weight, double value) {
  if (TargetMet(item, value)) return weight;
  if (item.rule == ScoringRule::kThreshold || !item.floor) return 0;
  double floor = *item.floor;
  double fraction = item.direction == Direction::kHigherIsBetter
                        ? (value - floor) / (item.target - floor)
                        : (floor - value) / (floor - item.target);
  return weight * std::clamp(fraction, 0.0, 1.0);
}

UnitScore ScoreUnit(const AssessmentScheme& scheme, AssessmentLevel level, const UnitValues& unit) {
  UnitScore u{.code = unit.code, .name = unit.name};
  double points = 0;
  for (const AssessmentItem* item : scheme.ItemsFor(level)) {
    ItemScore s{.code = item->code,
                .name_zh = item->name_zh,
                .name_en = item->name_en,
                .kind = item->kind,
                .direction = item->direction,
                .target = item->target,
                .weight = *item->weights[LevelIndex(level)]};
    for (const IndicatorValue& v : unit.values) {
      if (v.code == item->code) {
        s.value = v.value;
        break;
      }
    }
    if (s.value) {
      s.points = ItemPoints(*item, s.weight, *s.value);
      s.outcome = TargetMet(*item, *s.value) ? Outcome::kMet : Outcome::kMissed;
      points += *s.points;
      u.applicable_weight += s.weight;
    }
    u.items.push_back(std::move(s));
  }
  if (u.applicable_weight > 0) u.total = Round2(100.0 * points / u.applicable_weight);
  return u;
}

void RankUnits(std::vector<UnitScore>& units) {
  // Integer hundredths: two totals that print the same rank the same.
  auto key = [](const UnitScore& u) -> long long {
    return u.total ? std::llround(*u.total * 100.0) : -1;
  };
  std::sort(units.begin(), units.end(), [&](const UnitScore& a, const UnitScore& b) {
    long long ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a.code < b.code;
  });
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (!units[i].total) {
      units[i].rank.reset();
    } else if (i > 0 && units[i - 1].total && key(units[i - 1]) == key(units[i])) {
      units[i].rank = units[i - 1].rank;
    } else {
      units[i].rank = static_cast<int>(i) + 1;
    }
  }
}

Bulletin MakeBulletin(const std::vector<UnitScore>& ranked, AssessmentLevel level,
                      const Period& period) {
  Bulletin b;
  b.title_zh = fmt::format("{}{}流动人口基本公共卫生计生服务均等化工作考核通报", period.LabelZh(),
                           LevelNameZh(level));
  b.title_en =
      fmt::format("Assessment of {} for {}: equal basic public-health services for migrants",
                  LevelNameEn(level), period.Code());
  int first = 0, last = 0, counted = 0;
  double sum = 0;
  for (const UnitScore& u : ranked) {
    b.entries.push_back(Entry(u));
    if (!u.rank) continue;
    ++counted;
    sum += *u.total;
    if (first == 0) first = *u.rank;
    last = *u.rank;
  }
  std::vector<std::string> best_names, worst_names;
  double best_total = 0, worst_total = 0;
  for (const UnitScore& u : ranked) {
    if (!u.rank) continue;
    if (*u.rank == first) {
      b.best.push_back(u.code);
      best_names.push_back(u.name);
      best_total = *u.total;
    }
    if (last != first && *u.rank == last) {
      b.worst.push_back(u.code);
      worst_names.push_back(u.name);
      worst_total = *u.total;
    }
  }
  std::size_t unranked = ranked.size() - static_cast<std::size_t>(counted);
  if (counted == 0) {
    b.summary_zh = fmt::format("{}参加考核的{}个单位均无可考核指标，未排名。", period.LabelZh(),
                               ranked.size());
    b.summary_en = fmt::format(
        "For {}, none of the {} units has an assessed indicator that "
        "applies; nothing was ranked.",
        period.Code(), ranked.size());
    return b;
  }
  double mean = Round2(sum / counted);
  b.summary_zh =
      fmt::format("{}共{}个{}参加排名，平均得分{}；第一名：{}（{}分）", period.LabelZh(), counted,
                  LevelNameZh(level), Score(mean), Join(best_names, "、"), Score(best_total));
  b.summary_en =
      fmt::format("{}: {} {} ranked, mean score {}; best: {} ({})", period.Code(), counted,
                  LevelNameEn(level), Score(mean), Join(best_names, ", "), Score(best_total));
  if (!b.worst.empty()) {
    b.summary_zh += fmt::format("；末位：{}（{}分）", Join(worst_names, "、"), Score(worst_total));
    b.summary_en += fmt::format("; worst: {} ({})", Join(worst_names, ", "), Score(worst_total));
  }
  if (unranked > 0) {
    b.summary_zh += fmt::format("；{}个单位无可考核指标，未排名", unranked);
    b.summary_en += fmt::format("; {} not ranked (no indicator applies)", unranked);
  }
  b.summary_zh += "。";
  b.summary_en += ".";
  return b;
}

Evaluation Evaluate(const AssessmentScheme& scheme, AssessmentLevel level, const Period& period,
                    const std::vector<UnitValues>& units) {
  Evaluation e{.scheme_id = scheme.id, .level = level, .period = period};
  for (const AssessmentItem* i : scheme.ItemsFor(level)) e.items.push_back(*i);
  for (const UnitValues& u : units) e.units.push_back(ScoreUnit(scheme, level, u));
  RankUnits(e.units);
  e.bulletin = MakeBulletin(e.units, level, period);
  return e;
}

std::string FormatValue(IndicatorKind kind, double value, bool zh) {
  switch (kind) {
    case IndicatorKind::kRate:
      return TrimZero(fmt::format("{:.1f}", value * 100.0)) + "%";
    case IndicatorKind::kMeanDays:
      return TrimZero(fmt::format("{:.1f}", value)) + (zh ? "天" : " days");
    case IndicatorKind::kCount:
      break;
  }
  return fmt::format("{:.0f}", value);
}

json EvaluationToJson(const Evaluation& e) {
  json items = json::array();
  for (const auto& i : e.items) items.push_back(ItemToJson(i, e.level));
  json units = json::array();
  for (const UnitScore& u : e.units) {
    json scores = json::array();
    for (const ItemScore& s : u.items) {
      scores.push_back({{"code", s.code},
                        {"value", s.value ? json(*s.value) : json(nullptr)},
                        {"target", s.target},
                        {"weight", s.weight},
                        {"points", s.points ? json(Round2(*s.points)) : json(nullptr)},
                        {"outcome", OutcomeCode(s.outcome)}});
    }
    units.push_back({{"code", u.code},
                     {"name", u.name},
                     {"rank", u.rank ? json(*u.rank) : json(nullptr)},
                     {"total", u.total ? json(*u.total) : json(nullptr)},
                     {"applicable_weight", u.applicable_weight},
                     {"items", scores}});
  }
  json entries = json::array();
  for (const BulletinEntry& b : e.bulletin.entries) {
    entries.push_back({{"code", b.code},
                       {"name", b.name},
                       {"rank", b.rank ? json(*b.rank) : json(nullptr)},
                       {"total", b.total ? json(*b.total) : json(nullptr)},
                       {"met", b.met},
                       {"missed", b.missed},
                       {"not_applicable", b.not_applicable},
                       {"text_zh", b.text_zh},
                       {"text_en", b.text_en}});
  }
  return {{"scheme", e.scheme_id},
          {"level", LevelCode(e.level)},
          {"period", e.period.Code()},
          {"period_label_zh", e.period.LabelZh()},
          {"as_of", FormatDate(e.as_of)},
          {"org", {{"code", e.org}, {"name", e.org_name}}},
          {"items", items},
          {"units", units},
          {"bulletin",
           {{"title_zh", e.bulletin.title_zh},
            {"title_en", e.bulletin.title_en},
            {"summary_zh", e.bulletin.summary_zh},
            {"summary_en", e.bulletin.summary_en},
            {"best", e.bulletin.best},
            {"worst", e.bulletin.worst},
            {"entries", entries}}}};
}

json SchemeToJson(const AssessmentScheme& s) {
  json items = json::array();
  for (const auto& i : s.items) items.push_back(ItemToJson(i, std::nullopt));
  return {{"id", s.id},
          {"title_zh", s.title_zh},
          {"title_en", s.title_en},
          {"source", s.source},
          {"items", items}};
}

}  // namespace jd::kpi

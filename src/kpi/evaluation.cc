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
  if (auto m = j.find("min_denominator"); m != j.end() && !m->is_null()) {
    if (m->is_number() && m->get<double>() >= 1) {
      out.min_denominator = m->get<double>();
    } else {
      errors.Add(where + ".min_denominator", "invalid_number", "最小分母应为不小于1的数",
                 "min_denominator must be a number of at least 1");
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
            {"confirmed", i.confirmed},
            {"min_denominator", i.min_denominator}};
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

std::string Percent(double share) { return TrimZero(fmt::format("{:.1f}", share * 100.0)); }

BulletinEntry Entry(const UnitScore& u) {
  BulletinEntry e{.code = u.code,
                  .name = u.name,
                  .rank = u.rank,
                  .tied = u.tied,
                  .not_ranked = u.not_ranked,
                  .total = u.total};
  std::vector<std::string> missed_zh, missed_en, insufficient_zh, insufficient_en;
  for (const ItemScore& i : u.items) {
    switch (i.outcome) {
      case Outcome::kMet:
        e.met.push_back(i.code);
        break;
      case Outcome::kMissed: {
        e.missed.push_back(i.code);
        if (i.significant) e.significantly_missed.push_back(i.code);
        // "Significantly" only where the Wilson interval says so; a miss within chance is named
        // as one.
        std::string why_zh = i.significant ? "，显著低于目标" : "";
        std::string why_en = i.significant ? ", significantly short" : "";
        if (!i.significant && i.interval) {
          why_zh = "，差异在随机波动范围内";
          why_en = ", within chance";
        }
        missed_zh.push_back(fmt::format("{}{}（目标{}{}）", i.name_zh,
                                        FormatValue(i.kind, *i.value, true),
                                        FormatValue(i.kind, i.target, true), why_zh));
        missed_en.push_back(fmt::format("{} {} (target {}{})", i.name_en,
                                        FormatValue(i.kind, *i.value, false),
                                        FormatValue(i.kind, i.target, false), why_en));
        break;
      }
      case Outcome::kInsufficient:
        e.insufficient.push_back(i.code);
        insufficient_zh.push_back(fmt::format("{}（{:.0f}/{:.0f}，不足{:.0f}）", i.name_zh,
                                              i.numerator, i.denominator, i.min_denominator));
        insufficient_en.push_back(fmt::format("{} ({:.0f}/{:.0f}, under {:.0f})", i.name_en,
                                              i.numerator, i.denominator, i.min_denominator));
        break;
      case Outcome::kNotApplicable:
        e.not_applicable.push_back(i.code);
        break;
    }
  }
  if (u.not_ranked == NotRanked::kNothingApplies) {
    e.text_zh = u.name + "：无可考核指标（各项均无服务对象或数据不足），不参与排名。";
    e.text_en =
        u.name + ": no assessed indicator can be scored (nobody to serve, or too few); not ranked.";
    return e;
  }
  if (u.not_ranked == NotRanked::kMostlyUnscored) {
    e.text_zh = fmt::format("{}：数据不足或无服务对象的指标占权重{}%，不参与排名（得分{}仅供参考）",
                            u.name, Percent(u.unscored_share), Score(*u.total));
    e.text_en = fmt::format(
        "{}: indicators with too few or nobody to serve carry {}% of the weight; not ranked "
        "(score {} for reference only)",
        u.name, Percent(u.unscored_share), Score(*u.total));
  } else {
    e.text_zh =
        fmt::format("{}：{}第{}名，得分{}", u.name, u.tied ? "并列" : "", *u.rank, Score(*u.total));
    e.text_en = fmt::format("{}: rank {}{}, score {}", u.name, *u.rank, u.tied ? " (tied)" : "",
                            Score(*u.total));
  }
  e.text_zh += fmt::format("；达标{}项", e.met.size());
  e.text_en += fmt::format("; {} target{} met", e.met.size(), e.met.size() == 1 ? "" : "s");
  if (e.missed.empty()) {
    e.text_zh += "，无未达标项";
    e.text_en += ", none missed";
  } else {
    e.text_zh += fmt::format("，未达标{}项：{}", e.missed.size(), Join(missed_zh, "；"));
    e.text_en += fmt::format(", {} missed: {}", e.missed.size(), Join(missed_en, "; "));
  }
  if (!e.insufficient.empty()) {
    e.text_zh +=
        fmt::format("；数据不足{}项：{}", e.insufficient.size(), Join(insufficient_zh, "；"));
    e.text_en += fmt::format("; {} with too few to judge: {}", e.insufficient.size(),
                             Join(insufficient_en, "; "));
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
    case Outcome::kInsufficient:
      return "insufficient";
    case Outcome::kNotApplicable:
      break;
  }
  return "not_applicable";
}

std::string_view InsufficientRuleCode(InsufficientRule rule) {
  return rule == InsufficientRule::kShrink ? "shrink" : "exclude";
}

std::string_view NotRankedCode(NotRanked reason) {
  return reason == NotRanked::kNothingApplies ? "nothing_applies" : "mostly_unscored";
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
  if (auto p = doc.find("small_numbers"); p != doc.end()) {
    if (!p->is_object()) {
      errors.Add("small_numbers", "not_an_object", "small_numbers 应为对象",
                 "small_numbers must be an object");
    } else {
      SmallNumberPolicy& policy = s.small_numbers;
      policy.source = Text(*p, "source");
      if (auto m = p->find("min_denominator"); m != p->end()) {
        if (m->is_number() && m->get<double>() >= 1) {
          policy.min_denominator = m->get<double>();
        } else {
          errors.Add("small_numbers.min_denominator", "invalid_number", "最小分母应为不小于1的数",
                     "min_denominator must be a number of at least 1");
        }
      }
      if (auto r = p->find("insufficient"); r != p->end()) {
        if (*r == "shrink") {
          policy.insufficient = InsufficientRule::kShrink;
        } else if (*r == "exclude") {
          policy.insufficient = InsufficientRule::kExclude;
        } else {
          errors.Add("small_numbers.insufficient", "invalid_value",
                     "数据不足的处理应为 shrink 或 exclude",
                     "insufficient must be shrink or exclude");
        }
      }
      if (auto m = p->find("max_unscored_share"); m != p->end()) {
        if (m->is_number() && m->get<double>() >= 0 && m->get<double>() <= 1) {
          policy.max_unscored_share = m->get<double>();
        } else {
          errors.Add("small_numbers.max_unscored_share", "invalid_number", "比例应在0到1之间",
                     "max_unscored_share must be from 0 to 1");
        }
      }
    }
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
    if (item.min_denominator == 0) item.min_denominator = s.small_numbers.min_denominator;
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
  auto find = [](const std::vector<IndicatorValue>& values,
                 const std::string& code) -> const IndicatorValue* {
    for (const IndicatorValue& v : values) {
      if (v.code == code) return &v;
    }
    return nullptr;
  };
  UnitScore u{.code = unit.code, .name = unit.name};
  double points = 0, level_weight = 0, unscored_weight = 0;
  for (const AssessmentItem* item : scheme.ItemsFor(level)) {
    ItemScore s{.code = item->code,
                .name_zh = item->name_zh,
                .name_en = item->name_en,
                .kind = item->kind,
                .direction = item->direction,
                .target = item->target,
                .weight = *item->weights[LevelIndex(level)],
                .min_denominator = item->min_denominator};
    level_weight += s.weight;
    if (const IndicatorValue* v = find(unit.values, item->code)) {
      s.value = v->value;
      s.numerator = v->numerator;
      s.denominator = v->denominator;
    }
    if (s.value && item->kind == IndicatorKind::kRate) {
      s.interval = WilsonInterval(s.numerator, s.denominator);
    }
    const bool insufficient = s.value && s.denominator < item->min_denominator;
    if (!s.value) {
      unscored_weight += s.weight;  // nobody to serve: not applicable
    } else if (insufficient) {
      s.outcome = Outcome::kInsufficient;
      unscored_weight += s.weight;
      const IndicatorValue* parent = find(unit.parent, item->code);
      if (scheme.small_numbers.insufficient == InsufficientRule::kShrink && parent != nullptr &&
          parent->value) {
        s.scored_value =
            ShrunkValue(s.numerator, s.denominator, *parent->value, item->min_denominator);
      }
    } else {
      s.scored_value = s.value;
      s.outcome = TargetMet(*item, *s.value) ? Outcome::kMet : Outcome::kMissed;
      if (s.outcome == Outcome::kMissed && s.interval) {
        s.significant = item->direction == Direction::kHigherIsBetter
                            ? s.interval->high < item->target
                            : s.interval->low > item->target;
      }
    }
    if (s.scored_value) {
      s.points = ItemPoints(*item, s.weight, *s.scored_value);
      points += *s.points;
      u.applicable_weight += s.weight;
    }
    u.items.push_back(std::move(s));
  }
  if (u.applicable_weight > 0) u.total = Round2(100.0 * points / u.applicable_weight);
  u.unscored_share = level_weight > 0 ? unscored_weight / level_weight : 1.0;
  if (!u.total) {
    u.not_ranked = NotRanked::kNothingApplies;
  } else if (u.unscored_share > scheme.small_numbers.max_unscored_share + 1e-12) {
    u.not_ranked = NotRanked::kMostlyUnscored;
  }
  return u;
}

void RankUnits(std::vector<UnitScore>& units) {
  // Integer hundredths: two totals that print the same rank the same.
  auto key = [](const UnitScore& u) -> long long {
    return u.total && !u.not_ranked ? std::llround(*u.total * 100.0) : -1;
  };
  std::sort(units.begin(), units.end(), [&](const UnitScore& a, const UnitScore& b) {
    long long ka = key(a), kb = key(b);
    if (ka != kb) return ka > kb;
    return a.code < b.code;
  });
  for (std::size_t i = 0; i < units.size(); ++i) {
    units[i].tied = false;
    if (key(units[i]) < 0) {
      units[i].rank.reset();
    } else if (i > 0 && key(units[i - 1]) == key(units[i])) {
      units[i].rank = units[i - 1].rank;
      units[i].tied = units[i - 1].tied = true;
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
    b.summary_zh = fmt::format("{}参加考核的{}个单位均数据不足或无服务对象，未排名。",
                               period.LabelZh(), ranked.size());
    b.summary_en = fmt::format(
        "For {}, none of the {} units has enough data on the assessed indicators; nothing was "
        "ranked.",
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
    b.summary_zh += fmt::format("；{}个单位数据不足或无服务对象，未排名", unranked);
    b.summary_en += fmt::format("; {} not ranked (too few or nobody to serve)", unranked);
  }
  b.summary_zh += "。";
  b.summary_en += ".";
  return b;
}

namespace {

// Σ numerators / Σ denominators of an item over the units; null when nobody is counted.
std::optional<IndicatorValue> Pooled(const std::string& code,
                                     const std::vector<UnitValues>& units) {
  IndicatorValue pooled{.code = code};
  for (const UnitValues& u : units) {
    for (const IndicatorValue& v : u.values) {
      if (v.code != code || !v.value) continue;
      pooled.numerator += v.numerator;
      pooled.denominator += v.denominator;
    }
  }
  if (!(pooled.denominator > 0)) return std::nullopt;
  pooled.value = pooled.numerator / pooled.denominator;
  return pooled;
}

// The limits at denominators from 1 to a little past the largest, evenly on a log scale: the
// funnel's curves, for drawing.
Funnel MakeFunnel(const AssessmentItem& item, double overall, double max_n) {
  Funnel f{.code = item.code, .overall = overall, .target = item.target};
  constexpr int kPoints = 48;
  const double top = std::max(2.0, max_n * 1.1);
  for (int k = 0; k < kPoints; ++k) {
    double n = std::pow(top, static_cast<double>(k) / (kPoints - 1));
    f.curve.push_back({.n = n,
                       .limits95 = *FunnelLimits(overall, n, kZ95),
                       .limits998 = *FunnelLimits(overall, n, kZ998)});
  }
  return f;
}

}  // namespace

Evaluation Evaluate(const AssessmentScheme& scheme, AssessmentLevel level, const Period& period,
                    const std::vector<UnitValues>& units) {
  Evaluation e{.scheme_id = scheme.id,
               .level = level,
               .period = period,
               .small_numbers = scheme.small_numbers};
  std::vector<UnitValues> with_parent = units;
  for (const AssessmentItem* i : scheme.ItemsFor(level)) {
    e.items.push_back(*i);
    std::optional<IndicatorValue> pooled = Pooled(i->code, units);
    // Without the parent's own value, an insufficient unit is pulled toward the pooled one.
    for (UnitValues& u : with_parent) {
      bool has = std::any_of(u.parent.begin(), u.parent.end(),
                             [&](const IndicatorValue& v) { return v.code == i->code; });
      if (!has && pooled) u.parent.push_back(*pooled);
    }
  }
  for (const UnitValues& u : with_parent) e.units.push_back(ScoreUnit(scheme, level, u));
  // Funnels of the rates, around the pooled rate of the units assessed together.
  for (const AssessmentItem& i : e.items) {
    if (i.kind != IndicatorKind::kRate) continue;
    std::optional<IndicatorValue> pooled = Pooled(i.code, units);
    if (!pooled) continue;
    double max_n = 0;
    for (UnitScore& u : e.units) {
      for (ItemScore& s : u.items) {
        if (s.code != i.code || !s.value) continue;
        s.funnel95 = FunnelLimits(*pooled->value, s.denominator, kZ95);
        s.funnel998 = FunnelLimits(*pooled->value, s.denominator, kZ998);
        if (s.funnel95) s.position = PositionIn(*s.funnel95, *s.value);
        max_n = std::max(max_n, s.denominator);
      }
    }
    e.funnels.push_back(MakeFunnel(i, *pooled->value, max_n));
  }
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
      auto interval = [](const std::optional<Interval>& i) {
        return i ? json{{"low", i->low}, {"high", i->high}} : json(nullptr);
      };
      scores.push_back(
          {{"code", s.code},
           {"value", s.value ? json(*s.value) : json(nullptr)},
           {"numerator", s.numerator},
           {"denominator", s.denominator},
           {"interval95", interval(s.interval)},
           {"scored_value", s.scored_value ? json(*s.scored_value) : json(nullptr)},
           {"min_denominator", s.min_denominator},
           {"target", s.target},
           {"weight", s.weight},
           {"points", s.points ? json(Round2(*s.points)) : json(nullptr)},
           {"outcome", OutcomeCode(s.outcome)},
           {"significant", s.significant},
           {"funnel95", interval(s.funnel95)},
           {"funnel998", interval(s.funnel998)},
           {"funnel_position",
            s.position ? json(std::string(FunnelPositionCode(*s.position))) : json(nullptr)}});
    }
    units.push_back({{"code", u.code},
                     {"name", u.name},
                     {"rank", u.rank ? json(*u.rank) : json(nullptr)},
                     {"tied", u.tied},
                     {"not_ranked", u.not_ranked ? json(std::string(NotRankedCode(*u.not_ranked)))
                                                 : json(nullptr)},
                     {"total", u.total ? json(*u.total) : json(nullptr)},
                     {"applicable_weight", u.applicable_weight},
                     {"unscored_share", u.unscored_share},
                     {"items", scores}});
  }
  json funnels = json::array();
  for (const Funnel& f : e.funnels) {
    json curve = json::array();
    for (const FunnelCurvePoint& p : f.curve) {
      curve.push_back({{"n", p.n},
                       {"low95", p.limits95.low},
                       {"high95", p.limits95.high},
                       {"low998", p.limits998.low},
                       {"high998", p.limits998.high}});
    }
    funnels.push_back(
        {{"code", f.code}, {"overall", f.overall}, {"target", f.target}, {"curve", curve}});
  }
  json entries = json::array();
  for (const BulletinEntry& b : e.bulletin.entries) {
    entries.push_back({{"code", b.code},
                       {"name", b.name},
                       {"rank", b.rank ? json(*b.rank) : json(nullptr)},
                       {"tied", b.tied},
                       {"not_ranked", b.not_ranked ? json(std::string(NotRankedCode(*b.not_ranked)))
                                                   : json(nullptr)},
                       {"total", b.total ? json(*b.total) : json(nullptr)},
                       {"met", b.met},
                       {"missed", b.missed},
                       {"significantly_missed", b.significantly_missed},
                       {"insufficient", b.insufficient},
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
          {"small_numbers",
           {{"min_denominator", e.small_numbers.min_denominator},
            {"insufficient", InsufficientRuleCode(e.small_numbers.insufficient)},
            {"max_unscored_share", e.small_numbers.max_unscored_share},
            {"source", e.small_numbers.source}}},
          {"funnels", funnels},
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
          {"small_numbers",
           {{"min_denominator", s.small_numbers.min_denominator},
            {"insufficient", InsufficientRuleCode(s.small_numbers.insufficient)},
            {"max_unscored_share", s.small_numbers.max_unscored_share},
            {"source", s.small_numbers.source}}},
          {"items", items}};
}

}  // namespace jd::kpi

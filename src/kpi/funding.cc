// The funding table (kpi/funding.h).
#include "kpi/funding.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::kpi {

namespace {

using nlohmann::json;
using Wide = __int128;  // amount × weight reaches 10^24 for a city of 10^8 at 100 yuan

// Populations beyond this are typing mistakes (China has 1.4·10^9 people).
constexpr std::int64_t kMaxPopulation = 2'000'000'000;

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string_view PerformanceRuleCode(PerformanceRule rule) {
  return rule == PerformanceRule::kScoreTimesPopulation ? "score_times_population" : "score_only";
}

const PerCapitaStandard* FundingConfig::StandardFor(int year) const {
  for (const auto& s : standards) {
    if (s.year == year) return &s;
  }
  return nullptr;
}

Result<FundingConfig> LoadFundingConfig(std::string_view json_text) {
  json doc = json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    return Status::Invalid({{"", "invalid_json", "经费参数不是有效的 JSON 对象",
                             "the funding parameters are not a JSON object"}});
  }
  FundingConfig c;
  FieldErrors errors;
  c.id = Text(doc, "id");
  c.source = Text(doc, "source");
  c.share_source = Text(doc, "performance_share_source");
  if (c.id.empty()) errors.Add("id", "required", "经费参数须有 id", "the parameters need an id");
  if (c.source.empty()) {
    errors.Add("source", "required", "经费参数须注明依据", "the parameters name their source");
  }
  auto standards = doc.find("per_capita_standard");
  if (standards == doc.end() || !standards->is_array() || standards->empty()) {
    errors.Add("per_capita_standard", "required", "须给出人均经费标准",
               "give the per-capita standards");
  } else {
    std::set<int> years;
    for (std::size_t k = 0; k < standards->size(); ++k) {
      const json& s = (*standards)[k];
      std::string where = fmt::format("per_capita_standard[{}]", k);
      PerCapitaStandard p;
      if (!s.is_object() || !s.contains("year") || !s["year"].is_number_integer()) {
        errors.Add(where + ".year", "required", "须给出年份", "give the year");
        continue;
      }
      p.year = s["year"].get<int>();
      p.confirmed = s.value("confirmed", false);
      p.source = Text(s, "source");
      auto yuan = s.find("yuan");
      double cents = yuan != s.end() && yuan->is_number() ? yuan->get<double>() * 100.0 : -1;
      if (cents < 0 || std::abs(cents - std::round(cents)) > 1e-6) {
        errors.Add(where + ".yuan", "invalid_amount", "人均标准应为不小于0、至多两位小数的元数",
                   "yuan must be a non-negative amount with at most two decimals");
      }
      p.fen = std::llround(std::max(cents, 0.0));
      if (p.source.empty()) {
        errors.Add(where + ".source", "required", "须注明该标准的出处", "name the figure's source");
      }
      if (!years.insert(p.year).second) {
        errors.Add(where + ".year", "duplicate_year", fmt::format("{}年的标准重复", p.year),
                   fmt::format("the year {} appears twice", p.year));
      }
      c.standards.push_back(std::move(p));
    }
    std::sort(c.standards.begin(), c.standards.end(),
              [](const auto& a, const auto& b) { return a.year < b.year; });
  }
  auto share = doc.find("performance_share");
  double bp = share != doc.end() && share->is_number() ? share->get<double>() * 10000.0 : -1;
  if (bp < 0 || bp > 10000 || std::abs(bp - std::round(bp)) > 1e-6) {
    errors.Add("performance_share", "invalid_share", "绩效部分比例应在0到1之间，至多四位小数",
               "performance_share must be from 0 to 1 with at most four decimals");
  }
  c.share_basis_points = static_cast<int>(std::lround(std::clamp(bp, 0.0, 10000.0)));
  std::string rule =
      doc.contains("performance_rule") ? Text(doc, "performance_rule") : "score_times_population";
  if (rule == "score_times_population") {
    c.rule = PerformanceRule::kScoreTimesPopulation;
  } else if (rule == "score_only") {
    c.rule = PerformanceRule::kScoreOnly;
  } else {
    errors.Add("performance_rule", "invalid_value",
               "绩效分配规则应为 score_times_population 或 score_only",
               "performance_rule must be score_times_population or score_only");
  }
  auto offset = doc.find("assessment_year_offset");
  if (offset != doc.end()) {
    if (!offset->is_number_integer() || offset->get<int>() > 0 || offset->get<int>() < -1) {
      errors.Add("assessment_year_offset", "invalid_value", "考核年度偏移应为 0 或 -1",
                 "assessment_year_offset must be 0 or -1");
    } else {
      c.assessment_year_offset = offset->get<int>();
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return c;
}

const FundingConfig& DefaultFundingConfig() {
  static const FundingConfig kDefault = [] {
    auto c = LoadFundingConfig(embedded::kpi_funding());
    if (!c.ok()) throw std::logic_error("shipped funding parameters: " + c.status().ToString());
    return std::move(*c);
  }();
  return kDefault;
}

std::vector<std::int64_t> LargestRemainder(std::int64_t amount,
                                           const std::vector<std::int64_t>& weights) {
  Wide total = 0;
  for (std::int64_t w : weights) total += w;
  if (amount < 0 || total <= 0) throw std::logic_error("LargestRemainder: bad amount or weights");
  std::vector<std::int64_t> shares(weights.size());
  std::vector<Wide> remainders(weights.size());
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    Wide quota = static_cast<Wide>(amount) * weights[i];
    shares[i] = static_cast<std::int64_t>(quota / total);
    remainders[i] = quota % total;
    given += shares[i];
  }
  std::vector<std::size_t> order(weights.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (remainders[a] != remainders[b]) return remainders[a] > remainders[b];
    return weights[a] > weights[b];
  });
  // Fewer fen are left than there are entries (each floor lost less than one).
  for (std::int64_t left = amount - given, k = 0; left > 0; --left, ++k) {
    ++shares[order[static_cast<std::size_t>(k)]];
  }
  return shares;
}

Result<FundingTable> ComputeFunding(const FundingConfig& config, int year, int assessment_year,
                                    const std::vector<FundingUnitInput>& units) {
  FieldErrors errors;
  const PerCapitaStandard* standard = config.StandardFor(year);
  if (standard == nullptr) {
    errors.Add("year", "no_standard", fmt::format("经费参数中没有{}年的人均标准", year),
               fmt::format("the funding parameters give no per-capita standard for {}", year));
  }
  if (units.empty()) {
    errors.Add("org", "no_units", "该单位下没有可分配经费的下级单位",
               "the unit has no units under it to fund");
  }
  for (const auto& u : units) {
    if (u.huji_population < 0 || u.huji_population > kMaxPopulation || u.migrants < 0 ||
        u.migrants > kMaxPopulation) {
      errors.Add(u.code, "invalid_population", u.name + "的人口数不在有效范围内",
                 "the population of " + u.code + " is out of range");
    }
    if (u.score && !(*u.score >= 0 && *u.score <= 100)) {
      errors.Add(u.code, "invalid_score", u.name + "的考核得分应在0到100之间",
                 "the score of " + u.code + " must be from 0 to 100");
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  FundingTable t{.year = year,
                 .assessment_year = assessment_year,
                 .standard = *standard,
                 .share_basis_points = config.share_basis_points,
                 .rule = config.rule};
  std::vector<std::int64_t> residents, weights;
  for (const auto& u : units) {
    FundingRow r{.code = u.code,
                 .name = u.name,
                 .huji_population = u.huji_population,
                 .migrants = u.migrants,
                 .resident = u.huji_population + u.migrants,
                 .migrant_source = u.migrant_source,
                 .score = u.score,
                 .no_score_zh = u.no_score_zh,
                 .no_score_en = u.no_score_en};
    r.standard_fen = standard->fen * r.resident;
    r.score_hundredths = u.score ? std::llround(*u.score * 100.0) : 0;
    r.performance_weight = config.rule == PerformanceRule::kScoreTimesPopulation
                               ? r.score_hundredths * r.resident
                               : r.score_hundredths;
    t.resident_total += r.resident;
    residents.push_back(r.resident);
    weights.push_back(r.performance_weight);
    t.rows.push_back(std::move(r));
  }
  t.pool_fen = standard->fen * t.resident_total;
  // Round half up to the fen: pool × share in basis points.
  t.performance_pool_fen = static_cast<std::int64_t>(
      (static_cast<Wide>(t.pool_fen) * t.share_basis_points + 5000) / 10000);
  t.base_pool_fen = t.pool_fen - t.performance_pool_fen;
  if (t.resident_total == 0) return t;  // nothing to divide: every row is 0

  std::vector<std::int64_t> base = LargestRemainder(t.base_pool_fen, residents);
  bool any_weight = std::any_of(weights.begin(), weights.end(), [](auto w) { return w > 0; });
  t.performance_by_population = !any_weight;
  std::vector<std::int64_t> performance =
      LargestRemainder(t.performance_pool_fen, any_weight ? weights : residents);
  for (std::size_t i = 0; i < t.rows.size(); ++i) {
    FundingRow& r = t.rows[i];
    r.base_fen = base[i];
    r.performance_fen = performance[i];
    r.total_fen = r.base_fen + r.performance_fen;
    r.difference_fen = r.total_fen - r.standard_fen;
    t.base_sum_fen += r.base_fen;
    t.performance_sum_fen += r.performance_fen;
    t.total_sum_fen += r.total_fen;
  }
  return t;
}

std::string FormatYuan(std::int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  std::uint64_t abs =
      fen < 0 ? static_cast<std::uint64_t>(-(fen + 1)) + 1 : static_cast<std::uint64_t>(fen);
  return fmt::format("{}{}.{:02}", sign, abs / 100, abs % 100);
}

json FundingToJson(const FundingTable& t) {
  auto money = [](std::int64_t fen) { return json{{"fen", fen}, {"yuan", FormatYuan(fen)}}; };
  json rows = json::array();
  for (const FundingRow& r : t.rows) {
    rows.push_back(
        {{"code", r.code},
         {"name", r.name},
         {"huji_population", r.huji_population},
         {"migrants", r.migrants},
         {"migrant_source", r.migrant_source == MigrantSource::kFigure ? "figure" : "registry"},
         {"resident_population", r.resident},
         {"standard", money(r.standard_fen)},
         {"base", money(r.base_fen)},
         {"score", r.score ? json(*r.score) : json(nullptr)},
         {"no_score_zh", r.no_score_zh},
         {"no_score_en", r.no_score_en},
         {"performance_weight", r.performance_weight},
         {"performance", money(r.performance_fen)},
         {"total", money(r.total_fen)},
         {"difference", money(r.difference_fen)}});
  }
  return {{"year", t.year},
          {"assessment_period", std::to_string(t.assessment_year)},
          {"per_capita_standard",
           {{"year", t.standard.year},
            {"fen", t.standard.fen},
            {"yuan", FormatYuan(t.standard.fen)},
            {"confirmed", t.standard.confirmed},
            {"source", t.standard.source}}},
          {"performance_share", t.share_basis_points / 10000.0},
          {"performance_rule", PerformanceRuleCode(t.rule)},
          {"performance_by_population", t.performance_by_population},
          {"resident_population", t.resident_total},
          {"pool", money(t.pool_fen)},
          {"base_pool", money(t.base_pool_fen)},
          {"performance_pool", money(t.performance_pool_fen)},
          {"rows", rows},
          {"sums",
           {{"base", money(t.base_sum_fen)},
            {"performance", money(t.performance_sum_fen)},
            {"total", money(t.total_sum_fen)}}}};
}

}  // namespace jd::kpi

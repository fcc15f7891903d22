#include "immunization/coverage.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "core/embedded.h"

namespace jd::immunization {

std::string_view TimelyCode(TimelyDefinition d) {
  switch (d) {
    case TimelyDefinition::kBeforeCompletionAge:
      return "before_completion_age";
    case TimelyDefinition::kWithin30Days:
      return "within_30_days";
    case TimelyDefinition::kHepBBirth24h:
      return "hepb_birth_24h";
  }
  return "";
}

std::optional<TimelyDefinition> ParseTimely(std::string_view code) {
  for (auto d : {TimelyDefinition::kBeforeCompletionAge, TimelyDefinition::kWithin30Days,
                 TimelyDefinition::kHepBBirth24h}) {
    if (TimelyCode(d) == code) return d;
  }
  return std::nullopt;
}

bool IsTimely(const DoseForecast& d, Date birth, TimelyDefinition definition) {
  if (d.status != DoseStatus::kDone || !d.given) return false;
  Date given = *d.given;
  switch (definition) {
    case TimelyDefinition::kWithin30Days:
      return DaysBetween(d.recommended, given) <= 30;
    case TimelyDefinition::kHepBBirth24h:
      if (d.vaccine == vaccine::kHepB && d.dose == 1) return given <= AddDays(birth, 1);
      [[fallthrough]];
    case TimelyDefinition::kBeforeCompletionAge:
      return d.timely_by && given < *d.timely_by;
  }
  return false;
}

Result<CoverageTargets> ParseTargets(std::string_view json_text) {
  auto j = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  auto bad = [](const std::string& what) {
    return Status::Invalid({{"targets", "invalid_targets", "覆盖率目标文件有误：" + what,
                             "the coverage targets file is wrong: " + what}});
  };
  if (!j.is_object() || !j.contains("targets") || !j["targets"].is_array()) {
    return bad("no targets array");
  }
  CoverageTargets out;
  out.source = j.value("source", "");
  for (const auto& t : j["targets"]) {
    if (!t.is_object() || !t.contains("rate") || !t["rate"].is_number() || !t.contains("id") ||
        !t["id"].is_string()) {
      return bad("a target needs an id and a rate");
    }
    double rate = t["rate"].get<double>();
    if (!(rate > 0 && rate <= 1)) return bad("a rate is a fraction from 0 to 1");
    out.targets.push_back({t["id"].get<std::string>(), rate, t.value("label_zh", ""),
                           t.value("label_en", ""), t.value("section", "")});
  }
  if (j.contains("card_issuance") && j["card_issuance"].is_object()) {
    const auto& c = j["card_issuance"];
    out.card_issuance_section = c.value("section", "");
    out.card_issuance_note_zh = c.value("note_zh", "");
    out.card_issuance_note_en = c.value("note_en", "");
  }
  return out;
}

const CoverageTargets& DefaultTargets() {
  static const CoverageTargets kTargets = [] {
    auto t = ParseTargets(embedded::immunization_targets());
    // The shipped file is checked by the unit tests; failing here is a build mistake.
    if (!t.ok()) throw std::logic_error("shipped coverage targets: " + t.status().ToString());
    return std::move(t).value();
  }();
  return kTargets;
}

std::optional<double> Rate(int numerator, int denominator) {
  if (denominator <= 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

CoverageTally::CoverageTally(std::vector<CoverageUnit> units, CoverageQuery query)
    : units_(std::move(units)), query_(query) {
  counts_.resize(units_.size());
  totals_.resize(units_.size());
  for (std::size_t u = 0; u < units_.size(); ++u) totals_[u].unit = units_[u];
}

void CoverageTally::Add(const CoverageChild& child, const Forecast& forecast) {
  if (!child.migrant || static_cast<int>(child.birth.year()) != query_.cohort) return;
  if (child.birth > query_.as_of) return;
  std::vector<std::size_t> in;
  for (std::size_t u = 0; u < units_.size(); ++u) {
    if (child.residence_path.starts_with(units_[u].path)) in.push_back(u);
  }
  if (in.empty()) return;
  for (std::size_t u : in) {
    UnitCoverage& t = totals_[u];
    ++t.children;
    if (child.file_entitled) {
      ++t.entitled;
      if (child.has_file) ++t.with_file;
    }
  }
  for (const DoseForecast& d : forecast.doses) {
    if (d.reason == Reason::kReplacedBySeries) continue;
    if (!d.timely_by || *d.timely_by > query_.as_of) continue;
    Key key{d.series, d.vaccine, d.dose};
    auto it = std::lower_bound(keys_.begin(), keys_.end(), key);
    std::size_t k = static_cast<std::size_t>(it - keys_.begin());
    if (it == keys_.end() || *it != key) {
      keys_.insert(it, key);
      for (auto& row : counts_) row.insert(row.begin() + static_cast<std::ptrdiff_t>(k), Counts{});
    }
    bool done = d.status == DoseStatus::kDone && d.given && *d.given <= query_.as_of;
    bool timely = done && IsTimely(d, child.birth, query_.timely);
    for (std::size_t u : in) {
      Counts& c = counts_[u][k];
      ++c.eligible;
      if (done) ++c.vaccinated;
      if (timely) ++c.timely;
    }
  }
}

std::vector<UnitCoverage> CoverageTally::Finish() const {
  std::vector<UnitCoverage> out = totals_;
  for (std::size_t u = 0; u < out.size(); ++u) {
    for (std::size_t k = 0; k < keys_.size(); ++k) {
      const Counts& c = counts_[u][k];
      out[u].doses.push_back(
          {keys_[k].series, keys_[k].vaccine, keys_[k].dose, c.eligible, c.vaccinated, c.timely});
    }
  }
  return out;
}

}  // namespace jd::immunization

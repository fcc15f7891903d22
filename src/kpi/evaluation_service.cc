// Assessment, funding and population figures (kpi/evaluation_service.h).
#include "kpi/evaluation_service.h"

#include <fmt/format.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/access.h"
#include "auth/permissions.h"
#include "core/input.h"
#include "core/text.h"

namespace jd::kpi {

namespace {

using nlohmann::json;
using registry::OrgLevel;
using registry::OrgUnit;

constexpr std::size_t kMaxFigures = 2000;
constexpr std::int64_t kMaxPopulation = 200'000'000;  // a city; more is a typing mistake

// Whether `path` lies within the caller's units (aggregates and settings: auth::OrgScopeOf, as
// KpiService).
bool Within(const auth::Principal& who, const std::string& path) {
  return auth::OrgScopeOf(who).Covers(path);
}

Status UnitNotFound(const std::string& field, const std::string& code) {
  return Status::NotFound("org unit not found", "未找到该机构（或不在您的辖区内）")
      .WithFieldErrors({{field, "unknown_org", "机构代码不存在或不在您的辖区内：" + code,
                         "no org unit " + code + " in your jurisdiction"}});
}

Status RequireAggregateRead(const auth::Principal& who) {
  return auth::Require(who, auth::Permission::kAggregateRead);
}

// The assessed level directly under a unit of `level`, if any.
std::optional<AssessmentLevel> LevelUnder(OrgLevel level) {
  if (level == OrgLevel::kCity) return AssessmentLevel::kDistrict;
  if (level == OrgLevel::kDistrict) return AssessmentLevel::kStreet;
  return std::nullopt;
}

Result<int> ParseYear(const std::string& text, const char* field) {
  bool digits = text.size() == 4 && text.find_first_not_of("0123456789") == std::string::npos;
  int y = digits ? std::stoi(text) : 0;
  if (text.empty()) {
    return Status::Invalid({{field, "required", "请指定年度（YYYY）", "give the year (YYYY)"}});
  }
  if (y < 1900 || y > 2999) {
    return Status::Invalid(
        {{field, "invalid_year", "年度应为四位年份 YYYY", "the year must be YYYY"}});
  }
  return y;
}

// The values of the units under `org`, grouped per unit, each with `org`'s own as its parent.
std::vector<UnitValues> Group(const ValuesResult& r) {
  std::vector<UnitValues> out;
  std::map<std::string, std::size_t> at;
  for (std::size_t i = 1; i < r.units.size(); ++i) {
    at[r.units[i].code] = out.size();
    out.push_back({.code = r.units[i].code, .name = r.units[i].name});
  }
  std::vector<IndicatorValue> parent;
  for (const IndicatorValue& v : r.values) {
    auto it = at.find(v.org);
    if (it != at.end()) {
      out[it->second].values.push_back(v);
    } else if (!r.units.empty() && v.org == r.units[0].code) {
      parent.push_back(v);
    }
  }
  // An insufficient value is pulled toward the unit these are under (kpi/evaluation.h).
  for (UnitValues& u : out) u.parent = parent;
  return out;
}

std::string Codes(const std::vector<const AssessmentItem*>& items) {
  std::string out;
  for (const AssessmentItem* i : items) {
    if (!out.empty()) out += ',';
    out += i->code;
  }
  return out;
}

std::optional<std::int64_t> PopulationField(const json& f, const char* key,
                                            const std::string& where, bool required,
                                            FieldErrors& errors) {
  auto it = f.find(key);
  if (it == f.end() || it->is_null()) {
    if (required) {
      errors.Add(where + "." + key, "required", "请填写户籍人口数",
                 key + std::string(" is required"));
    }
    return std::nullopt;
  }
  if (!it->is_number_integer() || it->get<std::int64_t>() < 0 ||
      it->get<std::int64_t>() > kMaxPopulation) {
    errors.Add(where + "." + key, "invalid_population",
               fmt::format("人口数应为 0 到 {} 之间的整数", kMaxPopulation),
               fmt::format("{} must be a whole number from 0 to {}", key, kMaxPopulation));
    return std::nullopt;
  }
  return it->get<std::int64_t>();
}

// The year of a figure: kFirstFigureYear to next year (a budget is drawn up a year ahead; a figure
// for a later year is a typing mistake).
void CheckFigureYear(int year, int this_year, const std::string& field, FieldErrors& errors) {
  if (year < kFirstFigureYear || year > this_year + 1) {
    errors.Add(field, "implausible_year",
               fmt::format("年度应在 {} 到 {} 年之间", kFirstFigureYear, this_year + 1),
               fmt::format("the year must be from {} to {}", kFirstFigureYear, this_year + 1));
  }
}

// Reading figures or their history: aggregate data, or the figures one sets (the administrator
// may read them back without reading statistics); the year optional (0: every year).
Result<int> FigureReadYear(const auth::Principal& who, const std::string& year) {
  JD_RETURN_IF_ERROR(
      auth::RequireAny(who, {auth::Permission::kPopulationSet, auth::Permission::kAggregateRead}));
  if (year.empty()) return 0;
  return ParseYear(year, "year");
}

std::optional<std::int64_t> OptionalInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return storage::RowInt64(r, i);
}

PopulationFigure FigureOf(const soci::row& r) {
  PopulationFigure f;
  f.org = r.get<std::string>(0);
  f.year = static_cast<int>(storage::RowInt64(r, 1));
  f.huji_population = storage::RowInt64(r, 2);
  if (r.get_indicator(3) != soci::i_null) f.migrant_population = storage::RowInt64(r, 3);
  f.source = r.get_indicator(4) == soci::i_null ? "" : r.get<std::string>(4);
  f.updated_at = r.get<std::string>(5);
  f.updated_by = r.get<std::string>(6);
  return f;
}

constexpr const char* kFigureColumns =
    "SELECT org_code, year, huji_population, migrant_population, source, updated_at, updated_by "
    "FROM population_figures ";

}  // namespace

// ---- Store ----

std::vector<PopulationFigure> PopulationStore::List(soci::session& s, int year) {
  std::vector<PopulationFigure> out;
  std::string sql =
      std::string(kFigureColumns) + "WHERE year = :y OR :all = 1 ORDER BY org_code, year";
  int all = year == 0 ? 1 : 0;
  soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(year, "y"), soci::use(all, "all"));
  for (const auto& r : rows) out.push_back(FigureOf(r));
  return out;
}

std::optional<PopulationFigure> PopulationStore::Find(soci::session& s, const std::string& org,
                                                      int year) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string(kFigureColumns) + "WHERE org_code = :o AND year = :y",
       soci::use(org, "o"), soci::use(year, "y"));
  for (const auto& r : rows) return FigureOf(r);
  return std::nullopt;
}

void PopulationStore::Put(soci::session& s, const PopulationFigure& f) {
  long long huji = f.huji_population;
  long long migrants = f.migrant_population.value_or(0);
  soci::indicator migrants_ind = f.migrant_population ? soci::i_ok : soci::i_null;
  int year = f.year;
  s << "INSERT INTO population_figures (org_code, year, huji_population, migrant_population, "
       "source, updated_at, updated_by) VALUES (:o, :y, :h, :m, :s, :u, :b) "
       "ON CONFLICT (org_code, year) DO UPDATE SET huji_population = excluded.huji_population, "
       "migrant_population = excluded.migrant_population, source = excluded.source, "
       "updated_at = excluded.updated_at, updated_by = excluded.updated_by",
      soci::use(f.org, "o"), soci::use(year, "y"), soci::use(huji, "h"),
      soci::use(migrants, migrants_ind, "m"), soci::use(f.source, "s"),
      soci::use(f.updated_at, "u"), soci::use(f.updated_by, "b");
}

void PopulationStore::AddChange(soci::session& s, const PopulationChange& c) {
  long long old_huji = c.old_huji.value_or(0), old_migrants = c.old_migrants.value_or(0);
  long long new_huji = c.new_huji, new_migrants = c.new_migrants.value_or(0);
  soci::indicator old_huji_ind = c.old_huji ? soci::i_ok : soci::i_null;
  soci::indicator old_migrants_ind = c.old_migrants ? soci::i_ok : soci::i_null;
  soci::indicator new_migrants_ind = c.new_migrants ? soci::i_ok : soci::i_null;
  std::string old_source = c.old_source.value_or("");
  soci::indicator old_source_ind = c.old_source ? soci::i_ok : soci::i_null;
  int year = c.year;
  s << "INSERT INTO population_figure_history (org_code, year, old_huji_population, "
       "old_migrant_population, new_huji_population, new_migrant_population, old_source, "
       "new_source, via, changed_at, changed_by) VALUES (:o, :y, :oh, :om, :nh, :nm, :os, :ns, "
       ":v, :a, :b)",
      soci::use(c.org, "o"), soci::use(year, "y"), soci::use(old_huji, old_huji_ind, "oh"),
      soci::use(old_migrants, old_migrants_ind, "om"), soci::use(new_huji, "nh"),
      soci::use(new_migrants, new_migrants_ind, "nm"), soci::use(old_source, old_source_ind, "os"),
      soci::use(c.new_source, "ns"), soci::use(c.via, "v"), soci::use(c.changed_at, "a"),
      soci::use(c.changed_by, "b");
}

std::vector<PopulationChange> PopulationStore::History(soci::session& s, const std::string& org,
                                                       int year) {
  std::vector<PopulationChange> out;
  int all = year == 0 ? 1 : 0;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT org_code, year, old_huji_population, old_migrant_population, "
                    "new_huji_population, new_migrant_population, old_source, new_source, via, "
                    "changed_at, changed_by FROM population_figure_history WHERE org_code = :o "
                    "AND (year = :y OR :all = 1) ORDER BY id DESC",
       soci::use(org, "o"), soci::use(year, "y"), soci::use(all, "all"));
  for (const auto& r : rows) {
    PopulationChange c{.org = r.get<std::string>(0),
                       .year = static_cast<int>(storage::RowInt64(r, 1)),
                       .old_huji = OptionalInt(r, 2),
                       .old_migrants = OptionalInt(r, 3),
                       .new_huji = storage::RowInt64(r, 4),
                       .new_migrants = OptionalInt(r, 5)};
    if (r.get_indicator(6) != soci::i_null) c.old_source = r.get<std::string>(6);
    c.new_source = r.get_indicator(7) == soci::i_null ? "" : r.get<std::string>(7);
    c.via = r.get<std::string>(8);
    c.changed_at = r.get<std::string>(9);
    c.changed_by = r.get<std::string>(10);
    out.push_back(std::move(c));
  }
  return out;
}

// ---- Service ----

std::string NormalizePeriodText(const std::string& text) {
  if (text.size() == 7 && text[4] == '-' && (text[5] == 'Q' || text[5] == 'q')) {
    return text.substr(0, 4) + "Q" + text.substr(6);
  }
  return text;
}

EvaluationService::EvaluationService(storage::Database& db, auth::AuditLog& audit,
                                     const Clock& clock, const registry::RegistryService& registry,
                                     KpiService& kpi, const AssessmentScheme& scheme,
                                     const FundingConfig& funding)
    : db_(db),
      audit_(audit),
      clock_(clock),
      registry_(registry),
      kpi_(kpi),
      scheme_(scheme),
      funding_(funding) {}

Result<OrgUnit> EvaluationService::UnitInScope(const auth::Principal& who,
                                               const std::string& code) const {
  std::string wanted = code.empty() ? who.org_code : code;
  std::optional<OrgUnit> unit;
  if (wanted.empty() && auth::OrgScopeOf(who).whole_city()) {
    unit = registry_.RootOrg();
  } else {
    unit = registry_.FindOrg(wanted);
  }
  if (!unit || !Within(who, unit->path)) return UnitNotFound("org", wanted);
  return *unit;
}

Result<Evaluation> EvaluationService::EvaluateUnits(const auth::Principal& who, const OrgUnit& org,
                                                    AssessmentLevel level, const Period& period) {
  std::string codes = Codes(scheme_.ItemsFor(level));
  std::vector<UnitValues> units;
  Date as_of{};
  auto values_under = [&](const std::string& parent) -> Status {
    auto r = kpi_.Values(
        who, {.codes = codes, .org = parent, .period = period.Code(), .children = true});
    if (!r.ok()) return r.status();
    as_of = r->as_of;
    auto grouped = Group(*r);
    units.insert(units.end(), grouped.begin(), grouped.end());
    return Status::Ok();
  };
  if (org.level == OrgLevel::kCity && level == AssessmentLevel::kStreet) {
    // Every street of the city: the districts first, then the streets under each.
    auto districts = kpi_.Values(
        who, {.codes = codes, .org = org.code, .period = period.Code(), .children = true});
    if (!districts.ok()) return districts.status();
    for (std::size_t i = 1; i < districts->units.size(); ++i) {
      JD_RETURN_IF_ERROR(values_under(districts->units[i].code));
    }
    as_of = districts->as_of;
  } else {
    JD_RETURN_IF_ERROR(values_under(org.code));
  }
  Evaluation e = kpi::Evaluate(scheme_, level, period, units);
  e.as_of = as_of;
  e.org = org.code;
  e.org_name = org.name;
  return e;
}

Result<Evaluation> EvaluationService::Evaluate(const auth::Principal& who,
                                               const EvaluationQuery& q) {
  JD_RETURN_IF_ERROR(RequireAggregateRead(who));
  FieldErrors errors;
  std::optional<Period> period;
  if (q.period.empty()) {
    errors.Add("period", "required", "请指定考核期（YYYY、YYYY-Qn 或 YYYY-MM）",
               "give the period (YYYY, YYYY-Qn or YYYY-MM)");
  } else if (auto p = ParsePeriod(NormalizePeriodText(q.period), "period"); !p.ok()) {
    errors.Add("period", "invalid_period", "考核期应为 YYYY（年）、YYYY-Qn（季度）或 YYYY-MM（月）",
               "the period must be YYYY (year), YYYY-Qn (quarter) or YYYY-MM (month)");
  } else if (DaysBetween(clock_.Today(), p->first) > 0) {
    errors.Add("period", "period_not_started", "考核期尚未开始：" + q.period,
               "the period has not started yet: " + q.period);
  } else {
    period = *p;
  }
  std::optional<AssessmentLevel> level;
  if (!q.level.empty()) {
    level = ParseAssessmentLevel(q.level);
    if (!level) {
      errors.Add("level", "invalid_level", "考核层级应为 district（县区）或 street（街道乡镇）",
                 "level must be district or street");
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  JD_ASSIGN_OR_RETURN(OrgUnit org, UnitInScope(who, q.org));
  std::optional<AssessmentLevel> under = LevelUnder(org.level);
  if (!level) level = under;
  bool fits = level && (level == under ||
                        (org.level == OrgLevel::kCity && *level == AssessmentLevel::kStreet));
  if (!fits) {
    return Status::Invalid(
        {{"level", "no_units_at_level",
          "该机构下没有可考核的单位：县（区）在市下考核，街道（乡镇）在市或县（区）下考核",
          "no units to assess under this org unit: districts are assessed under the city, streets "
          "under the city or a district"}});
  }
  return EvaluateUnits(who, org, *level, *period);
}

Result<FundingReport> EvaluationService::Funding(const auth::Principal& who,
                                                 const FundingQuery& q) {
  JD_RETURN_IF_ERROR(RequireAggregateRead(who));
  JD_ASSIGN_OR_RETURN(int year, ParseYear(q.year, "year"));
  int assessment_year = year + funding_.assessment_year_offset;
  int this_year = static_cast<int>(clock_.Today().year());
  if (assessment_year > this_year) {
    return Status::Invalid(
        {{"year", "assessment_not_available",
          fmt::format("{}年的考核尚未开始，不能据以分配{}年的绩效经费", assessment_year, year),
          fmt::format("the assessment of {} has not started: the performance share of {} "
                      "cannot be divided yet",
                      assessment_year, year)}});
  }
  if (funding_.StandardFor(year) == nullptr) {
    return Status::Invalid(
        {{"year", "no_standard", fmt::format("经费参数中没有{}年的人均标准", year),
          fmt::format("the funding parameters give no per-capita standard for {}", year)}});
  }
  JD_ASSIGN_OR_RETURN(OrgUnit org, UnitInScope(who, q.org));
  std::optional<AssessmentLevel> level = LevelUnder(org.level);
  if (!level) {
    return Status::Invalid(
        {{"org", "no_units_to_fund", "经费按市下的县（区）或县（区）下的街道（乡镇）测算",
          "funding is divided among a city's districts or a district's streets"}});
  }
  // Scores: the assessment of the configured year; migrants: the registry's floating persons of
  // the funding year (on its last day, or today while it runs).
  Period assessment_period = Period{};
  {
    auto p = ParsePeriod(std::to_string(assessment_year), "year");
    if (!p.ok()) return p.status();
    assessment_period = *p;
  }
  JD_ASSIGN_OR_RETURN(Evaluation evaluation, EvaluateUnits(who, org, *level, assessment_period));
  auto migrants = kpi_.Values(
      who,
      {.codes = "REG_FLOATING", .org = org.code, .period = std::to_string(year), .children = true});
  if (!migrants.ok()) return migrants.status();

  std::vector<PopulationFigure> figures;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    figures = PopulationStore::List(s, year);
    return Status::Ok();
  }));
  std::map<std::string, const PopulationFigure*> figure_of;
  for (const auto& f : figures) figure_of[f.org] = &f;
  std::map<std::string, double> score_of;
  // Only a ranked unit's score weighs in the performance pool: one not ranked (too little data)
  // gets its base share alone (kpi/funding.h).
  std::map<std::string, const UnitScore*> unranked;
  for (const UnitScore& u : evaluation.units) {
    if (u.total && u.rank) {
      score_of[u.code] = *u.total;
    } else {
      unranked[u.code] = &u;
    }
  }
  std::map<std::string, std::int64_t> registry_migrants;
  for (const IndicatorValue& v : migrants->values) {
    registry_migrants[v.org] = static_cast<std::int64_t>(v.numerator);
  }

  std::vector<FundingUnitInput> inputs;
  std::vector<FieldError> missing;
  for (std::size_t i = 1; i < migrants->units.size(); ++i) {
    const OrgUnit& u = migrants->units[i];
    FundingUnitInput in{.code = u.code, .name = u.name};
    auto f = figure_of.find(u.code);
    if (f == figure_of.end()) {
      missing.push_back(
          {"population_figures." + u.code, "missing_population",
           fmt::format("{}（{}）缺少{}年户籍人口数", u.name, u.code, year),
           fmt::format("{} ({}) has no 户籍 population figure for {}", u.name, u.code, year)});
      continue;
    }
    in.huji_population = f->second->huji_population;
    if (f->second->migrant_population) {
      in.migrants = *f->second->migrant_population;
      in.migrant_source = MigrantSource::kFigure;
    } else {
      in.migrants = registry_migrants[u.code];
      in.migrant_source = MigrantSource::kRegistry;
    }
    if (auto s = score_of.find(u.code); s != score_of.end()) {
      in.score = s->second;
    } else if (auto n = unranked.find(u.code); n != unranked.end()) {
      const bool mostly = n->second->not_ranked == NotRanked::kMostlyUnscored;
      in.no_score_zh = mostly ? "考核数据不足，未排名" : "无可考核指标，未排名";
      in.no_score_en = mostly ? "too little data to rank" : "no indicator to assess";
      // With no unit ranked the performance pool is split like the base (kpi/funding.h).
      in.no_score_zh += score_of.empty() ? "；各单位均未排名，绩效经费按常住人口分配"
                                         : "：只得基础经费，无绩效经费";
      in.no_score_en += score_of.empty()
                            ? "; no unit is ranked, so the performance pool follows population"
                            : ": base share only, no performance share";
    }
    inputs.push_back(std::move(in));
  }
  if (!missing.empty()) {
    return Status::FailedPrecondition(
               "population figures are missing for the year: enter them first",
               "缺少该年度的人口数，请先录入")
        .WithFieldErrors(std::move(missing));
  }
  auto table = ComputeFunding(funding_, year, assessment_year, inputs);
  if (!table.ok()) return table.status();
  return FundingReport{.org = org.code,
                       .org_name = org.name,
                       .scheme_id = scheme_.id,
                       .as_of = migrants->as_of,
                       .table = std::move(table).value()};
}

Result<std::vector<PopulationFigure>> EvaluationService::PopulationFigures(
    const auth::Principal& who, const PopulationQuery& q) {
  JD_ASSIGN_OR_RETURN(int year, FigureReadYear(who, q.year));
  JD_ASSIGN_OR_RETURN(OrgUnit scope, UnitInScope(who, q.org));
  std::vector<PopulationFigure> all;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    all = PopulationStore::List(s, year);
    return Status::Ok();
  }));
  std::vector<PopulationFigure> out;
  for (auto& f : all) {
    auto unit = registry_.FindOrg(f.org);
    if (!unit || !unit->path.starts_with(scope.path)) continue;
    f.org_name = unit->name;
    out.push_back(std::move(f));
  }
  return out;
}

Status EvaluationService::RequirePopulationSet(const auth::Principal& who,
                                               const std::string& action) {
  if (auth::Holds(who, auth::Permission::kPopulationSet)) return Status::Ok();
  JD_RETURN_IF_ERROR(audit_.Record(
      who, {.action = action, .object_type = "population_figure", .result = "denied"}));
  return Status::PermissionDenied("entering population figures needs kPopulationSet",
                                  "您的角色无权录入人口数");
}

std::optional<OrgUnit> EvaluationService::FigureUnit(const auth::Principal& who,
                                                     const std::string& code,
                                                     const std::string& field,
                                                     FieldErrors& errors) const {
  auto unit = registry_.FindOrg(code);
  if (!unit || !Within(who, unit->path)) {
    errors.Add(field, "unknown_org", "机构代码不存在或不在您的辖区内：" + code,
               "no org unit " + code + " in your jurisdiction");
    return std::nullopt;
  }
  if (unit->level != OrgLevel::kDistrict && unit->level != OrgLevel::kStreet) {
    errors.Add(field, "invalid_level", "人口数按县（区）或街道（乡镇）录入",
               "figures are kept for districts and streets");
    return std::nullopt;
  }
  return unit;
}

Status EvaluationService::WriteFigures(soci::session& s, const auth::Principal& who,
                                       const std::vector<PopulationFigure>& figures,
                                       const std::string& via) {
  auto number = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
  for (const auto& f : figures) {
    auto before = PopulationStore::Find(s, f.org, f.year);
    PopulationStore::Put(s, f);
    PopulationChange change{.org = f.org,
                            .year = f.year,
                            .new_huji = f.huji_population,
                            .new_migrants = f.migrant_population,
                            .new_source = f.source,
                            .via = via,
                            .changed_at = f.updated_at,
                            .changed_by = f.updated_by};
    json detail = {{"huji_population", f.huji_population},
                   {"migrant_population", number(f.migrant_population)},
                   {"via", via}};
    if (before) {
      change.old_huji = before->huji_population;
      change.old_migrants = before->migrant_population;
      change.old_source = before->source;
      detail["previous"] = {{"huji_population", before->huji_population},
                            {"migrant_population", number(before->migrant_population)}};
    }
    PopulationStore::AddChange(s, change);
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "population_figures.set",
                                      .object_type = "population_figure",
                                      .object_id = fmt::format("{}/{}", f.org, f.year),
                                      .detail = detail.dump()}));
  }
  return Status::Ok();
}

Result<std::vector<PopulationFigure>> EvaluationService::SetPopulationFigures(
    const auth::Principal& who, const json& body, const std::string& via) {
  JD_RETURN_IF_ERROR(RequirePopulationSet(who, "population_figures.set"));
  if (!body.is_object()) {
    return Status::Invalid(
        {{"", "not_an_object", "请求体应为 JSON 对象", "the body must be a JSON object"}});
  }
  FieldErrors errors;
  int year = 0;
  auto y = body.find("year");
  if (y == body.end() || !y->is_number_integer() || y->get<int>() < 1900 || y->get<int>() > 2999) {
    errors.Add("year", y == body.end() ? "required" : "invalid_year", "请填写年度（四位整数）",
               "year must be a four-digit whole number");
  } else {
    year = y->get<int>();
    CheckFigureYear(year, static_cast<int>(clock_.Today().year()), "year", errors);
  }
  auto list = body.find("figures");
  if (list == body.end() || !list->is_array() || list->empty()) {
    errors.Add("figures", "required", "请至少填写一个单位的人口数",
               "figures must list at least one unit");
    return errors.ToStatus();
  }
  if (list->size() > kMaxFigures) {
    errors.Add("figures", "too_many", fmt::format("一次最多录入 {} 个单位", kMaxFigures),
               fmt::format("at most {} figures at a time", kMaxFigures));
    return errors.ToStatus();
  }
  std::vector<PopulationFigure> figures;
  std::set<std::string> seen;
  std::string now = FormatTimestamp(clock_.Now());
  for (std::size_t k = 0; k < list->size(); ++k) {
    const json& f = (*list)[k];
    std::string where = fmt::format("figures[{}]", k);
    if (!f.is_object()) {
      errors.Add(where, "not_an_object", "每一项应为对象", "each figure must be an object");
      continue;
    }
    PopulationFigure p{.year = year, .updated_at = now, .updated_by = who.username};
    // Text through the common input checks, its errors named "figures[k].<member>".
    auto text = [&](const char* key, FieldKind kind) {
      FieldErrors text_errors;
      std::string v = TextMember(f, key, kind, text_errors);
      for (FieldError e : text_errors.errors()) {
        e.field = where + "." + e.field;
        errors.Add(std::move(e));
      }
      return v;
    };
    p.org = text("org", FieldKind::kCode);
    if (p.org.empty()) {
      if (!errors.Has(where + ".org")) {
        errors.Add(where + ".org", "required", "请填写机构代码", "org is required");
      }
    } else if (auto unit = FigureUnit(who, p.org, where + ".org", errors)) {
      if (!seen.insert(p.org).second) {
        errors.Add(where + ".org", "duplicate_org", "同一单位重复：" + p.org,
                   "the unit " + p.org + " appears twice");
      } else {
        p.org_name = unit->name;
      }
    }
    if (auto h = PopulationField(f, "huji_population", where, true, errors)) p.huji_population = *h;
    p.migrant_population = PopulationField(f, "migrant_population", where, false, errors);
    p.source = text("source", FieldKind::kShortText);
    figures.push_back(std::move(p));
  }
  if (!errors.empty()) return errors.ToStatus();
  JD_RETURN_IF_ERROR(
      db_.Write([&](soci::session& s) -> Status { return WriteFigures(s, who, figures, via); }));
  return figures;
}

namespace {

// The columns of an import sheet, by any of their header names.
struct ImportColumn {
  const char* key;
  std::vector<std::string> names;
  bool required;
};

const std::vector<ImportColumn>& ImportColumns() {
  static const std::vector<ImportColumn> kColumns = {
      {"org", {"单位代码", "机构代码", "行政区划代码", "org", "org_code", "unit code"}, true},
      {"year", {"年度", "年份", "year"}, true},
      {"huji_population",
       {"户籍人口", "户籍人口数", "huji_population", "registered population"},
       true},
      {"migrant_population",
       {"流动人口", "流动人口数", "migrant_population", "migrant population"},
       false},
      {"source", {"来源", "数据来源", "source"}, false},
  };
  return kColumns;
}

// A whole number written in a cell: digits, or digits followed by ".0…" as a spreadsheet may
// store them; nullopt otherwise.
std::optional<std::int64_t> CellNumber(const std::string& text) {
  std::string digits = text.substr(0, text.find('.'));
  if (digits.empty() || digits.size() > 12 ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  if (digits.size() < text.size() &&
      text.find_first_not_of('0', digits.size() + 1) != std::string::npos) {
    return std::nullopt;
  }
  return std::stoll(digits);
}

}  // namespace

Result<PopulationImportReport> EvaluationService::ImportPopulationFigures(
    const auth::Principal& who, const std::vector<std::vector<std::string>>& rows) {
  JD_RETURN_IF_ERROR(RequirePopulationSet(who, "population_figures.import"));
  // The header: the first row that is not blank.
  std::size_t header = 0;
  auto blank = [](const std::vector<std::string>& r) {
    for (const auto& c : r) {
      if (!Trim(c).empty()) return false;
    }
    return true;
  };
  while (header < rows.size() && blank(rows[header])) ++header;
  std::map<std::string, std::size_t> column;
  if (header < rows.size()) {
    for (std::size_t i = 0; i < rows[header].size(); ++i) {
      std::string name = Trim(rows[header][i]);
      for (const auto& c : ImportColumns()) {
        for (const auto& n : c.names) {
          if (name == n) column.emplace(c.key, i);
        }
      }
    }
  }
  FieldErrors file_errors;
  for (const auto& c : ImportColumns()) {
    if (c.required && !column.contains(c.key)) {
      file_errors.Add(
          "file", "missing_columns", "表头缺少必填列：" + c.names[0] + "（请使用下载的模板）",
          std::string("the header lacks the column ") + c.key + " (use the downloadable template)");
    }
  }
  if (!file_errors.empty()) return file_errors.ToStatus();
  if (rows.size() - header - 1 > kMaxFigures) {
    return Status::Invalid({{"file", "too_many", fmt::format("一次最多导入 {} 行", kMaxFigures),
                             fmt::format("at most {} rows at a time", kMaxFigures)}});
  }
  auto cell = [&](const std::vector<std::string>& r, const char* key) -> std::string {
    auto it = column.find(key);
    if (it == column.end() || it->second >= r.size()) return "";
    return Trim(r[it->second]);
  };
  PopulationImportReport report;
  const int this_year = static_cast<int>(clock_.Today().year());
  const std::string now = FormatTimestamp(clock_.Now());
  std::map<std::pair<std::string, int>, int> row_of;  // (org, year) → the row that set it
  for (std::size_t i = header + 1; i < rows.size(); ++i) {
    if (blank(rows[i])) continue;
    ++report.rows;
    const int row = static_cast<int>(i) + 1;
    FieldErrors errors;
    PopulationFigure f{.updated_at = now, .updated_by = who.username};
    f.org = cell(rows[i], "org");
    if (f.org.empty()) {
      errors.Add("org", "required", "请填写单位代码", "the unit code is required");
    } else if (auto unit = FigureUnit(who, f.org, "org", errors)) {
      f.org_name = unit->name;
    }
    std::string year = cell(rows[i], "year");
    auto y = CellNumber(year);
    if (!y || year.empty()) {
      errors.Add("year", year.empty() ? "required" : "invalid_year", "请填写年度（四位整数）",
                 "the year must be a four-digit whole number");
    } else {
      f.year = static_cast<int>(*y);
      CheckFigureYear(f.year, this_year, "year", errors);
    }
    auto population = [&](const char* key, bool required) -> std::optional<std::int64_t> {
      std::string text = cell(rows[i], key);
      if (text.empty()) {
        if (required) {
          errors.Add(key, "required", "请填写户籍人口数", std::string(key) + " is required");
        }
        return std::nullopt;
      }
      auto n = CellNumber(text);
      if (!n || *n > kMaxPopulation) {
        errors.Add(
            key, "invalid_population",
            fmt::format("人口数应为 0 到 {} 之间的整数：{}", kMaxPopulation, text),
            fmt::format("{} must be a whole number from 0 to {}: {}", key, kMaxPopulation, text));
        return std::nullopt;
      }
      return n;
    };
    if (auto h = population("huji_population", true)) f.huji_population = *h;
    f.migrant_population = population("migrant_population", false);
    f.source = cell(rows[i], "source");
    if (f.source.size() > 200) {
      errors.Add("source", "too_long", "来源过长（最多 200 字节）",
                 "the source is too long (200 bytes at most)");
    }
    if (errors.empty()) {
      auto [it, fresh] = row_of.emplace(std::make_pair(f.org, f.year), row);
      if (!fresh) {
        errors.Add(
            "org", "duplicate_org", fmt::format("第 {} 行已有该单位该年度的人口数", it->second),
            fmt::format("row {} already gives this unit's figure for that year", it->second));
      }
    }
    for (const auto& e : errors.errors()) report.errors.push_back({.row = row, .error = e});
    if (errors.empty()) report.stored.push_back(std::move(f));
  }
  if (!report.stored.empty()) {
    JD_RETURN_IF_ERROR(db_.Write(
        [&](soci::session& s) -> Status { return WriteFigures(s, who, report.stored, "import"); }));
  }
  return report;
}

Result<std::vector<PopulationChange>> EvaluationService::PopulationHistory(
    const auth::Principal& who, const PopulationHistoryQuery& q) {
  JD_ASSIGN_OR_RETURN(int year, FigureReadYear(who, q.year));
  if (q.org.empty()) {
    return Status::Invalid({{"org", "required", "请指定单位", "give the unit (org)"}});
  }
  JD_ASSIGN_OR_RETURN(OrgUnit unit, UnitInScope(who, q.org));
  std::vector<PopulationChange> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    out = PopulationStore::History(s, unit.code, year);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<std::vector<std::string>>> EvaluationService::PopulationTemplate(
    const auth::Principal& who, const std::string& year_text) {
  JD_RETURN_IF_ERROR(RequirePopulationSet(who, "population_figures.template"));
  int year = static_cast<int>(clock_.Today().year());
  if (!year_text.empty()) {
    JD_ASSIGN_OR_RETURN(year, ParseYear(year_text, "year"));
  }
  JD_ASSIGN_OR_RETURN(std::vector<OrgUnit> units, registry_.ListOrgUnits(who));
  std::vector<PopulationFigure> figures;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    figures = PopulationStore::List(s, year);
    return Status::Ok();
  }));
  std::map<std::string, const PopulationFigure*> figure_of;
  for (const auto& f : figures) figure_of[f.org] = &f;
  std::vector<std::vector<std::string>> out = {
      {"单位代码", "单位名称", "年度", "户籍人口", "流动人口", "来源"}};
  for (const auto& u : units) {
    if (!Within(who, u.path)) continue;
    if (u.level != OrgLevel::kDistrict && u.level != OrgLevel::kStreet) continue;
    std::vector<std::string> row = {u.code, u.name, std::to_string(year), "", "", ""};
    if (auto f = figure_of.find(u.code); f != figure_of.end()) {
      row[3] = std::to_string(f->second->huji_population);
      if (f->second->migrant_population) row[4] = std::to_string(*f->second->migrant_population);
      row[5] = f->second->source;
    }
    out.push_back(std::move(row));
  }
  return out;
}

// ---- JSON ----

json PopulationChangeToJson(const PopulationChange& c) {
  auto number = [](const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); };
  return {{"org", c.org},
          {"year", c.year},
          {"old", c.old_huji ? json{{"huji_population", *c.old_huji},
                                    {"migrant_population", number(c.old_migrants)},
                                    {"source", c.old_source.value_or("")}}
                             : json(nullptr)},
          {"new",
           {{"huji_population", c.new_huji},
            {"migrant_population", number(c.new_migrants)},
            {"source", c.new_source}}},
          {"via", c.via},
          {"changed_at", c.changed_at},
          {"changed_by", c.changed_by}};
}

json PopulationImportReportToJson(const PopulationImportReport& r) {
  json stored = json::array();
  for (const auto& f : r.stored) stored.push_back(PopulationFigureToJson(f));
  json errors = json::array();
  for (const auto& e : r.errors) {
    errors.push_back({{"row", e.row},
                      {"field", e.error.field},
                      {"code", e.error.code},
                      {"message_zh", e.error.message_zh},
                      {"message_en", e.error.message_en}});
  }
  return {{"rows", r.rows},
          {"accepted", r.stored.size()},
          {"rejected", r.rows - static_cast<int>(r.stored.size())},
          {"items", stored},
          {"errors", errors}};
}

json PopulationFigureToJson(const PopulationFigure& f) {
  return {
      {"org", f.org},
      {"name", f.org_name},
      {"year", f.year},
      {"huji_population", f.huji_population},
      {"migrant_population", f.migrant_population ? json(*f.migrant_population) : json(nullptr)},
      {"source", f.source},
      {"updated_at", f.updated_at},
      {"updated_by", f.updated_by}};
}

json FundingReportToJson(const FundingReport& r) {
  json j = FundingToJson(r.table);
  j["org"] = {{"code", r.org}, {"name", r.org_name}};
  j["assessment_scheme"] = r.scheme_id;
  j["as_of"] = FormatDate(r.as_of);
  return j;
}

}  // namespace jd::kpi

// Statistics use cases (kpi/service.h).
#include "kpi/service.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "auth/access.h"
#include "auth/permissions.h"
#include "kpi/dhis2.h"
#include "kpi/report.h"
#include "kpi/small_numbers.h"
#include "kpi/suppression.h"

namespace jd::kpi {

namespace {

using nlohmann::json;

Status UnitNotFound() {
  return Status::NotFound("org unit not found", "未找到该机构（或不在您的辖区内）");
}

// The provinces of GB/T 2260 (the first two digits of a division code): the categories of the
// hukou_province breakdown.
constexpr const char* kProvinces[] = {"11", "12", "13", "14", "15", "21", "22", "23", "31",
                                      "32", "33", "34", "35", "36", "37", "41", "42", "43",
                                      "44", "45", "46", "50", "51", "52", "53", "54", "61",
                                      "62", "63", "64", "65", "71", "81", "82"};

// The columns of the table a breakdown is one column of: every category of its first filtered
// dimension (the other filters kept), and the total over that dimension. Cohorts are open-ended:
// the chosen year stands alone, the others are in the table's remainder column.
struct Columns {
  std::vector<Breakdown> categories;
  std::size_t selected = 0;  // which category the caller asked for
  Breakdown total;           // the dimension unfiltered
};

Columns ColumnsOf(const Breakdown& b) {
  Columns out;
  out.total = b;
  auto expand = [&](std::string Breakdown::*field, const std::vector<std::string>& values) {
    out.total.*field = "";
    for (const auto& v : values) {
      Breakdown c = b;
      c.*field = v;
      if (v == b.*field) out.selected = out.categories.size();
      out.categories.push_back(std::move(c));
    }
  };
  if (!b.sex.empty()) {
    expand(&Breakdown::sex, {"M", "F"});
  } else if (!b.age_group.empty()) {
    expand(&Breakdown::age_group, {"0-6", "7-17", "18-59", "60+"});
  } else if (!b.hukou_province.empty()) {
    expand(&Breakdown::hukou_province, {std::begin(kProvinces), std::end(kProvinces)});
  } else if (b.cohort) {
    out.total.cohort.reset();
    out.categories.push_back(b);
  } else {
    out.categories.push_back(b);  // one column, its own total
  }
  return out;
}

bool SameBreakdown(const Breakdown& a, const Breakdown& b) {
  return a.sex == b.sex && a.age_group == b.age_group && a.hukou_province == b.hukou_province &&
         a.cohort == b.cohort;
}

// Hides small cells of `values` (the unit first, then its children when `children`, computed for
// `breakdown`) as KpiService::Values says: builds, per indicator and part, the table of the
// children (plus the remainder of the unit not under any child) by the categories of the
// breakdown's dimension (plus the remainder outside the categories), suppresses it with its
// margins, and marks the cells the answer shows. The figures of `breakdown` itself are taken from
// `values`, not computed again (without a breakdown, nothing is).
void SuppressValues(const LiveView& view, const std::vector<const Indicator*>& indicators,
                    const std::vector<std::string>& codes, bool children, const Period& period,
                    const Breakdown& breakdown, std::vector<IndicatorValue>& values) {
  const Columns cols = ColumnsOf(breakdown);
  using Key = std::pair<std::string, std::string>;  // (org, indicator)
  auto index = [](const std::vector<IndicatorValue>& vs) {
    std::map<Key, const IndicatorValue*> m;
    for (const auto& v : vs) m[{v.org, v.code}] = &v;
    return m;
  };
  // Each category's figures, then the dimension's totals.
  const std::vector<IndicatorValue> asked = values;
  auto figures = [&](const Breakdown& b) {
    return SameBreakdown(b, breakdown) ? asked : view.Compute(indicators, codes, period, b);
  };
  std::vector<std::vector<IndicatorValue>> computed;
  for (const auto& c : cols.categories) computed.push_back(figures(c));
  computed.push_back(figures(cols.total));
  std::vector<std::map<Key, const IndicatorValue*>> at;
  for (const auto& c : computed) at.push_back(index(c));

  const std::size_t ncat = cols.categories.size();
  // With a breakdown, the figures outside its categories (other cohorts) form one more column.
  const bool rest_col = !breakdown.sex.empty() || !breakdown.age_group.empty() ||
                        !breakdown.hukou_province.empty() || breakdown.cohort.has_value();
  // Rows: the children, and the rest of the unit; or the unit alone.
  std::vector<std::string> rows;
  if (children) {
    rows.assign(codes.begin() + 1, codes.end());
  } else {
    rows.push_back(codes[0]);
  }
  const std::string& unit = codes[0];

  for (const Indicator* ind : indicators) {
    for (bool numerator : {true, false}) {
      if (numerator && ind->kind == IndicatorKind::kMeanDays) continue;  // days, not people
      if (!numerator && !DenominatorCounts(*ind)) continue;  // an expected number, not people
      auto count = [&](std::size_t col, const std::string& org) -> std::int64_t {
        auto it = at[col].find({org, ind->code});
        if (it == at[col].end()) return 0;
        return std::llround(numerator ? it->second->numerator : it->second->denominator);
      };
      // Interior: rows × categories, plus the remainder column and row.
      const std::size_t nrows = rows.size() + (children ? 1 : 0);
      const std::size_t ncols = ncat + (rest_col ? 1 : 0);
      std::vector<std::vector<std::int64_t>> cells(nrows, std::vector<std::int64_t>(ncols, 0));
      for (std::size_t r = 0; r < nrows; ++r) {
        const bool rest_row = children && r == rows.size();
        for (std::size_t c = 0; c < ncols; ++c) {
          const bool rest_c = rest_col && c == ncat;
          auto cell = [&](const std::string& org) {
            if (!rest_c) return count(c, org);
            std::int64_t v = count(ncat, org);
            for (std::size_t k = 0; k < ncat; ++k) v -= count(k, org);
            return v;
          };
          std::int64_t v = cell(rest_row ? unit : rows[r]);
          if (rest_row) {
            for (const auto& child : rows) v -= cell(child);
          }
          cells[r][c] = std::max<std::int64_t>(v, 0);
        }
      }
      const auto hidden = SuppressSmallCells(cells);
      // The shown cells: the unit (the margin row when children are shown) and the children,
      // in the selected category.
      for (auto& v : values) {
        if (v.code != ind->code) continue;
        std::size_t r = 0;
        if (children) {
          if (v.org == unit) {
            r = nrows;  // the margin row
          } else {
            auto it = std::find(rows.begin(), rows.end(), v.org);
            if (it == rows.end()) continue;
            r = static_cast<std::size_t>(it - rows.begin());
          }
        } else if (v.org != unit) {
          continue;
        }
        const std::size_t c = cols.selected;
        if (!hidden[r][c]) continue;
        const double shown = numerator ? v.numerator : v.denominator;
        const auto how = shown >= 1 && shown < kSmallCellThreshold
                             ? IndicatorValue::Hidden::kSmall
                             : IndicatorValue::Hidden::kComplementary;
        (numerator ? v.numerator_hidden : v.denominator_hidden) = how;
      }
    }
  }
  // Days are hidden with the items they are counted over.
  for (auto& v : values) {
    const Indicator* ind = nullptr;
    for (const Indicator* i : indicators) {
      if (i->code == v.code) ind = i;
    }
    if (ind && ind->kind == IndicatorKind::kMeanDays &&
        v.denominator_hidden != IndicatorValue::Hidden::kShown) {
      v.numerator_hidden = IndicatorValue::Hidden::kComplementary;
    }
  }
}

// The indicators of `indicators` whose small cells `who` may not see (auth::SeesExactAggregates).
std::vector<const Indicator*> SuppressedFor(const auth::Principal& who,
                                            const std::vector<const Indicator*>& indicators) {
  std::vector<const Indicator*> out;
  for (const Indicator* i : indicators) {
    if (!auth::SeesExactAggregates(who, i->restricted_to)) out.push_back(i);
  }
  return out;
}

// Whether `who` may have `ind` in a file that is not suppressed (reports, the exchange): figures
// of restricted data only for those who see them exact (auth/access.h).
bool MayExport(const auth::Principal& who, const Indicator& ind) {
  return !ind.restricted_to || auth::SeesExactAggregates(who, ind.restricted_to);
}

}  // namespace

KpiService::KpiService(storage::Database& db, const Clock& clock, const Catalogue& catalogue,
                       const immunization::Schedule& schedule)
    : db_(db), clock_(clock), catalogue_(catalogue), schedule_(schedule) {}

KpiService::~KpiService() = default;

Status KpiService::Warm() { return View().status(); }

Result<LiveView*> KpiService::View() {
  std::lock_guard lock(load_mu_);
  if (!view_) {
    auto view = LiveView::Load(db_, catalogue_, schedule_, clock_.Today());
    if (!view.ok()) return view.status();
    view_ = std::move(view).value();
    LiveView* v = view_.get();
    // After every commit of this process: the persons it changed are reloaded before the writer
    // answers, so a figure read after a write includes it. A failed refresh is retried by the next.
    db_.AddCommitHook([this, v] { (void)v->Refresh(db_, clock_.Today()); });
    return v;
  }
  // Writes of other processes (the command line) since the last look.
  auto refreshed = view_->Refresh(db_, clock_.Today());
  if (!refreshed.ok()) return refreshed.status();
  return view_.get();
}

Result<std::uint32_t> KpiService::UnitInScope(const auth::Principal& who, const LiveView& view,
                                              const std::string& code, const char* field) const {
  // Statistics are aggregates: the caller's unit, whatever the role (auth::OrgScopeOf).
  const auth::Scope scope = auth::OrgScopeOf(who);
  std::string wanted = code.empty() ? who.org_code : code;
  if (wanted.empty() && scope.whole_city()) {
    // The command line without --org: the root of the tree (the city).
    if (view.orgs().units.empty()) return UnitNotFound();
    return std::uint32_t{0};
  }
  auto i = view.orgs().Find(wanted);
  if (!i || !scope.Covers(view.orgs().units[*i].path)) {
    return UnitNotFound().WithFieldErrors(
        {{field, "unknown_org", "机构代码不存在或不在您的辖区内：" + wanted,
          "no org unit " + wanted + " in your jurisdiction"}});
  }
  return *i;
}

Result<Period> KpiService::PeriodOrCurrent(const std::string& text) const {
  if (text.empty()) return MonthOf(clock_.Today());
  return ParsePeriod(text, "period");
}

Result<std::vector<const Indicator*>> KpiService::Indicators(const auth::Principal& who,
                                                             const std::string& module) const {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  std::vector<const Indicator*> out;
  for (const auto& i : catalogue_.indicators()) {
    if (module.empty() || i.module == module) out.push_back(&i);
  }
  return out;
}

Result<ValuesResult> KpiService::Values(const auth::Principal& who, const ValuesQuery& q) {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  FieldErrors errors;
  ValuesResult r;
  // Codes.
  if (q.codes.empty()) {
    for (const auto& i : catalogue_.indicators()) {
      if (i.active) r.indicators.push_back(&i);
    }
  } else {
    std::set<std::string> seen;
    std::string_view rest = q.codes;
    while (!rest.empty()) {
      std::size_t comma = rest.find(',');
      std::string code(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      if (code.empty() || !seen.insert(code).second) continue;
      if (const Indicator* i = catalogue_.Find(code)) {
        r.indicators.push_back(i);
      } else {
        errors.Add("codes", "unknown_indicator", "指标代码不存在：" + code,
                   "no indicator has the code " + code);
      }
    }
    if (r.indicators.empty() && errors.empty()) {
      errors.Add("codes", "required", "请指定指标代码", "give at least one indicator code");
    }
  }
  auto period = PeriodOrCurrent(q.period);
  if (!period.ok()) errors.Append(period.status().field_errors());
  Breakdown b;
  if (!q.sex.empty()) {
    if (q.sex != "M" && q.sex != "F") {
      errors.Add("sex", "invalid_value", "性别应为 M 或 F", "sex must be M or F");
    }
    b.sex = q.sex;
  }
  if (!q.age_group.empty()) {
    static const std::set<std::string> kGroups = {"0-6", "7-17", "18-59", "60+"};
    if (!kGroups.count(q.age_group)) {
      errors.Add("age_group", "invalid_value", "年龄组应为 0-6、7-17、18-59 或 60+",
                 "age_group must be 0-6, 7-17, 18-59 or 60+");
    }
    b.age_group = q.age_group;
  }
  if (!q.hukou_province.empty()) {
    bool ok = q.hukou_province.size() == 2 && std::isdigit(q.hukou_province[0]) &&
              std::isdigit(q.hukou_province[1]);
    if (!ok) {
      errors.Add("hukou_province", "invalid_value", "户籍省份应为两位省级行政区划代码",
                 "hukou_province must be a two-digit province code");
    }
    b.hukou_province = q.hukou_province;
  }
  if (!q.cohort.empty()) {
    bool ok = q.cohort.size() == 4 && q.cohort.find_first_not_of("0123456789") == std::string::npos;
    if (!ok) {
      errors.Add("cohort", "invalid_value", "出生队列应为四位年份", "cohort must be a year YYYY");
    } else {
      b.cohort = std::stoi(q.cohort);
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  auto view = View();
  if (!view.ok()) return view.status();
  auto unit = UnitInScope(who, **view, q.org, "org");
  if (!unit.ok()) return unit.status();
  const OrgTree& tree = (*view)->orgs();
  r.units.push_back(tree.units[*unit]);
  if (q.children) {
    for (std::uint32_t c : tree.Children(*unit)) r.units.push_back(tree.units[c]);
  }
  std::vector<std::string> codes;
  for (const auto& u : r.units) codes.push_back(u.code);
  r.period = *period;
  r.as_of = std::min(period->last, (*view)->day());
  r.values = (*view)->Compute(r.indicators, codes, *period, b);
  if (const auto hidden = SuppressedFor(who, r.indicators); !hidden.empty()) {
    SuppressValues(**view, hidden, codes, q.children, *period, b, r.values);
    r.suppressed = true;
  }
  return r;
}

Result<ValuesResult> KpiService::Trend(const auth::Principal& who, const std::string& code,
                                       const std::string& org, const std::string& period,
                                       int count) {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  FieldErrors errors;
  const Indicator* ind = catalogue_.Find(code);
  if (ind == nullptr) {
    errors.Add("code", "unknown_indicator", "指标代码不存在：" + code,
               "no indicator has the code " + code);
  }
  auto last = PeriodOrCurrent(period);
  if (!last.ok()) errors.Append(last.status().field_errors());
  if (count < 1 || count > 60) {
    errors.Add("count", "out_of_range", "期数应在 1 到 60 之间", "count must be 1 to 60");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto view = View();
  if (!view.ok()) return view.status();
  auto unit = UnitInScope(who, **view, org, "org");
  if (!unit.ok()) return unit.status();
  ValuesResult r;
  r.indicators = {ind};
  r.units = {(*view)->orgs().units[*unit]};
  r.period = *last;
  r.as_of = std::min(last->last, (*view)->day());
  r.suppressed = !SuppressedFor(who, r.indicators).empty();
  for (int k = count - 1; k >= 0; --k) {
    Period p = Previous(*last, k);
    auto v = (*view)->Compute(r.indicators, {r.units[0].code}, p);
    if (r.suppressed) {
      SuppressValues(**view, r.indicators, {r.units[0].code}, false, p, {}, v);
    }
    r.values.insert(r.values.end(), v.begin(), v.end());
  }
  return r;
}

Result<QualityReport> KpiService::Quality(const auth::Principal& who, const std::string& org) {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  auto view = View();
  if (!view.ok()) return view.status();
  auto unit = UnitInScope(who, **view, org, "org");
  if (!unit.ok()) return unit.status();
  const OrgTree& tree = (*view)->orgs();
  std::vector<registry::OrgUnit> children;
  for (std::uint32_t c : tree.Children(*unit)) children.push_back(tree.units[c]);
  // Counted within the caller's unit; the examples name persons, so only for those who may read
  // them (for them auth::ScopeOf is the same unit).
  auto report = DataQuality(db_, schedule_, auth::OrgScopeOf(who), tree.units[*unit], children,
                            clock_.Today());
  if (!report.ok()) return report.status();
  if (!auth::Holds(who, auth::Permission::kPersonRead)) {
    report->examples.clear();  // aggregates only
  }
  return report;
}

json IndicatorToJson(const Indicator& i) {
  json j = {{"code", i.code},
            {"name_zh", i.name_zh},
            {"name_en", i.name_en},
            {"module", i.module},
            {"active", i.active},
            {"kind", KindCode(i.kind)},
            {"numerator_zh", i.numerator_zh},
            {"numerator_en", i.numerator_en},
            {"denominator_zh", i.denominator_zh},
            {"denominator_en", i.denominator_en},
            {"target", i.target ? json(*i.target) : json(nullptr)},
            {"deadline", i.deadline ? json(FormatDate(*i.deadline)) : json(nullptr)},
            {"target_section", i.target_section},
            {"disaggregations", i.disaggregations},
            {"dhis2_uid", i.dhis2_uid},
            {"restricted_to",
             i.restricted_to ? json(auth::PermissionCode(*i.restricted_to)) : json(nullptr)}};
  if (!i.vaccine.empty()) {
    j["vaccine"] = i.vaccine;
    j["dose"] = i.dose;
  }
  return j;
}

// Counts print as integers; sums of days too (they are whole).
json Number(double x) {
  auto whole = static_cast<long long>(x);
  return static_cast<double>(whole) == x ? json(whole) : json(x);
}

// A count as a reader may see it: "<5" for a small cell, null for a complementary one.
json Part(double x, IndicatorValue::Hidden hidden) {
  switch (hidden) {
    case IndicatorValue::Hidden::kSmall:
      return "<" + std::to_string(kSmallCellThreshold);
    case IndicatorValue::Hidden::kComplementary:
      return nullptr;
    case IndicatorValue::Hidden::kShown:
      break;
  }
  return Number(x);
}

json ValueToJson(const IndicatorValue& v) {
  const bool hidden = v.numerator_hidden != IndicatorValue::Hidden::kShown ||
                      v.denominator_hidden != IndicatorValue::Hidden::kShown;
  json j = {{"code", v.code},
            {"org", v.org},
            {"period", v.period.Code()},
            {"numerator", Part(v.numerator, v.numerator_hidden)},
            {"denominator", Part(v.denominator, v.denominator_hidden)},
            {"value", v.value && !hidden ? json(*v.value) : json(nullptr)},
            {"target", v.target ? json(*v.target) : json(nullptr)},
            {"met", v.met && !hidden ? json(*v.met) : json(nullptr)}};
  if (hidden) j["suppressed"] = true;
  return j;
}

json ValuesToJson(const ValuesResult& r) {
  std::map<std::string, const Indicator*> of;
  for (const Indicator* i : r.indicators) of[i->code] = i;
  json items = json::array();
  for (const auto& v : r.values) {
    json j = ValueToJson(v);
    // A rate's Wilson 95% interval (kpi/small_numbers.h); none where a part is suppressed, which
    // the interval's width would give away, nor for a ratio that is not a share of counted
    // persons (SMD_REGISTERED_RATE divides by an expected number).
    auto ind = of.find(v.code);
    if (ind != of.end() && ind->second->kind == IndicatorKind::kRate &&
        DenominatorCounts(*ind->second) && !j["value"].is_null()) {
      if (auto ci = WilsonInterval(v.numerator, v.denominator)) {
        j["interval95"] = {{"low", ci->low}, {"high", ci->high}};
      }
    }
    items.push_back(std::move(j));
  }
  json units = json::array();
  for (const auto& u : r.units) {
    units.push_back({{"code", u.code}, {"name", u.name}, {"parent", u.parent_code}});
  }
  return {
      {"period", r.period.Code()},
      {"as_of", FormatDate(r.as_of)},
      {"units", units},
      {"items", items},
      {"small_cell_suppression", {{"applied", r.suppressed}, {"threshold", kSmallCellThreshold}}}};
}

json QualityToJson(const QualityReport& r) {
  json units = json::array();
  for (const auto& u : r.units) {
    units.push_back({{"org", u.unit.code},
                     {"name", u.unit.name},
                     {"persons", u.persons},
                     {"missing_phone", u.missing_phone},
                     {"missing_address", u.missing_address},
                     {"impossible_dates", u.impossible_dates},
                     {"impossible_doses", u.impossible_doses},
                     {"duplicate_suspects", u.duplicate_suspects},
                     {"reviews_overdue", u.reviews_overdue},
                     {"certificates_missing", u.certificates_missing},
                     {"doses_overdue", u.doses_overdue}});
  }
  json examples = json::array();
  for (const auto& e : r.examples) {
    examples.push_back({{"check", e.check}, {"person_id", e.person_id}, {"org", e.org}});
  }
  return {{"as_of", FormatDate(r.as_of)}, {"units", units}, {"examples", examples}};
}

}  // namespace jd::kpi

namespace jd::kpi {

Result<std::string> KpiService::ExportCodes(const auth::Principal& who,
                                            const std::string& codes) const {
  JD_RETURN_IF_ERROR(auth::Require(who, auth::Permission::kAggregateRead));
  std::string out;
  if (codes.empty()) {
    // Every active indicator the caller may have in a file.
    for (const auto& i : catalogue_.indicators()) {
      if (i.active && MayExport(who, i)) out += (out.empty() ? "" : ",") + i.code;
    }
    return out;
  }
  FieldErrors refused;
  std::string_view rest = codes;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string code(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (const Indicator* i = catalogue_.Find(code); i && !MayExport(who, *i)) {
      refused.Add("codes", "restricted",
                  "该指标涉及敏感个人信息，仅可在统计页面查看（小数已隐藏）：" + code,
                  "the figures of " + code +
                      " are sensitive: the statistics view shows them with small counts hidden");
    }
  }
  if (!refused.empty()) {
    return Status::PermissionDenied("these figures are not exported to your role",
                                    "您的角色不能导出这些指标")
        .WithFieldErrors(refused.errors());
  }
  return codes;
}

Result<ExportFile> KpiService::Report(const auth::Principal& who, const ExportQuery& q) {
  std::string format = q.format.empty() ? "xlsx" : q.format;
  if (format != "xlsx" && format != "csv") {
    return Status::Invalid(
        {{"format", "invalid_value", "格式应为 xlsx 或 csv", "format must be xlsx or csv"}});
  }
  auto codes = ExportCodes(who, q.codes);
  if (!codes.ok()) return codes.status();
  auto values = Values(who, {.codes = *codes, .org = q.org, .period = q.period, .children = true});
  if (!values.ok()) return values.status();
  ReportInput in{.period = values->period,
                 .issuer = values->units.front().name,
                 .units = values->units,
                 .values = values->values};
  for (const Indicator* i : values->indicators) in.indicators.push_back(*i);
  if (values->as_of < values->period.last) in.as_of = values->as_of;
  auto table = BuildReport(in);
  if (!table.ok()) return table.status();
  ExportFile f;
  f.file_name =
      "jundeng-report-" + values->units.front().code + "-" + values->period.Code() + "." + format;
  if (format == "csv") {
    f.content_type = "text/csv; charset=utf-8";
    f.bytes = WriteReportCsv(*table);
  } else {
    f.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    auto bytes = WriteReportXlsx(*table);
    if (!bytes.ok()) return bytes.status();
    f.bytes = std::move(*bytes);
  }
  return f;
}

Result<ExportFile> KpiService::Exchange(const auth::Principal& who, const ExportQuery& q) {
  FieldErrors errors;
  std::string format = q.format.empty() ? "json" : q.format;
  if (format != "json" && format != "adx") {
    errors.Add("format", "invalid_value", "格式应为 json 或 adx", "format must be json or adx");
  }
  std::string level = q.level.empty() ? "leaves" : q.level;
  if (level != "leaves" && level != "children" && level != "unit") {
    errors.Add("level", "invalid_value", "level 应为 leaves、children 或 unit",
               "level must be leaves, children or unit");
  }
  if (format == "adx" && q.data_set.empty()) {
    errors.Add("data_set", "required", "ADX 报文须指定数据集代码 data_set",
               "an ADX message needs the data set's code (data_set)");
  }
  if (!errors.empty()) return errors.ToStatus();
  // Checks the caller, the codes, the period and the unit.
  auto wanted = ExportCodes(who, q.codes);
  if (!wanted.ok()) return wanted.status();
  auto values = Values(who, {.codes = *wanted, .org = q.org, .period = q.period});
  if (!values.ok()) return values.status();
  auto view = View();
  if (!view.ok()) return view.status();
  const OrgTree& tree = (*view)->orgs();
  std::vector<std::string> codes;
  if (level == "unit") {
    codes.push_back(values->units.front().code);
  } else {
    std::uint32_t unit = 0;
    while (unit < tree.units.size() && tree.units[unit].code != values->units.front().code) ++unit;
    if (level == "children") {
      for (std::uint32_t c : tree.Children(unit)) codes.push_back(tree.units[c].code);
    } else {
      for (std::uint32_t i = unit; i < tree.end[unit]; ++i) {
        if (tree.end[i] == i + 1) codes.push_back(tree.units[i].code);
      }
    }
  }
  std::vector<IndicatorValue> sent =
      (*view)->Compute(values->indicators, codes, values->period, {});
  std::vector<Indicator> indicators;
  for (const Indicator* i : values->indicators) indicators.push_back(*i);
  Dhis2Options options{.data_set = q.data_set};
  ExportFile f;
  std::string stem =
      "jundeng-" + values->units.front().code + "-" + values->period.Dhis2Code() + "-" + level;
  if (format == "adx") {
    auto text = WriteAdx(sent, indicators, options, clock_.Now());
    if (!text.ok()) return text.status();
    f = {stem + ".adx.xml", "application/adx+xml", std::move(*text)};
  } else {
    auto text = WriteDataValueSets(sent, indicators, options);
    if (!text.ok()) return text.status();
    f = {stem + ".json", "application/json", std::move(*text)};
  }
  return f;
}

}  // namespace jd::kpi

// Statistics use cases (kpi/service.h).
#include "kpi/service.h"

#include <nlohmann/json.hpp>
#include <set>

#include "auth/access.h"
#include "auth/permissions.h"
#include "kpi/dhis2.h"
#include "kpi/report.h"

namespace jd::kpi {

namespace {

using nlohmann::json;

Status UnitNotFound() {
  return Status::NotFound("org unit not found", "未找到该机构（或不在您的辖区内）");
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
  for (int k = count - 1; k >= 0; --k) {
    Period p = Previous(*last, k);
    auto v = (*view)->Compute(r.indicators, {r.units[0].code}, p);
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
            {"dhis2_uid", i.dhis2_uid}};
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

json ValueToJson(const IndicatorValue& v) {
  return {{"code", v.code},
          {"org", v.org},
          {"period", v.period.Code()},
          {"numerator", Number(v.numerator)},
          {"denominator", Number(v.denominator)},
          {"value", v.value ? json(*v.value) : json(nullptr)},
          {"target", v.target ? json(*v.target) : json(nullptr)},
          {"met", v.met ? json(*v.met) : json(nullptr)}};
}

json ValuesToJson(const ValuesResult& r) {
  json items = json::array();
  for (const auto& v : r.values) items.push_back(ValueToJson(v));
  json units = json::array();
  for (const auto& u : r.units) {
    units.push_back({{"code", u.code}, {"name", u.name}, {"parent", u.parent_code}});
  }
  return {{"period", r.period.Code()},
          {"as_of", FormatDate(r.as_of)},
          {"units", units},
          {"items", items}};
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

Result<ExportFile> KpiService::Report(const auth::Principal& who, const ExportQuery& q) {
  std::string format = q.format.empty() ? "xlsx" : q.format;
  if (format != "xlsx" && format != "csv") {
    return Status::Invalid(
        {{"format", "invalid_value", "格式应为 xlsx 或 csv", "format must be xlsx or csv"}});
  }
  auto values = Values(who, {.codes = q.codes, .org = q.org, .period = q.period, .children = true});
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
  auto values = Values(who, {.codes = q.codes, .org = q.org, .period = q.period});
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

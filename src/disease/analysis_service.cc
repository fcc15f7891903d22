#include "disease/analysis_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "auth/access.h"
#include "disease/analysis_store.h"
#include "disease/analysis_xlsx.h"

namespace jd::disease {

namespace {

using auth::Permission;
using auth::Principal;

constexpr const char* kAction = "disease.analysis";
constexpr const char* kObject = "disease_analysis";

bool InCatalogue(const std::string& code) {
  const auto& entries = DiseaseCatalogue::Builtin().entries();
  return std::any_of(entries.begin(), entries.end(),
                     [&](const DiseaseEntry& e) { return e.code == code; });
}

// The diseases a caller without kHivTbCare gets counted without detail.
std::vector<std::string> Withheld(const Principal& who) {
  std::vector<std::string> out;
  if (auth::Holds(who, Permission::kHivTbCare)) return out;
  for (const DiseaseEntry& e : DiseaseCatalogue::Builtin().entries()) {
    if (NeedsHivTbCare(e.code)) out.push_back(e.code);
  }
  return out;
}

}  // namespace

AnalysisService::AnalysisService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                                 const registry::RegistryService& registry, MigrantCounter counter)
    : db_(db), audit_(audit), clock_(clock), registry_(registry), counter_(std::move(counter)) {}

Result<Analysis> AnalysisService::Analyse(const Principal& who, const AnalysisRequest& request,
                                          const std::string& format) {
  if (Status st = auth::Require(who, Permission::kDiseaseRead); !st.ok()) {
    JD_RETURN_IF_ERROR(audit_.Record(
        who, {.action = kAction, .object_type = kObject, .result = "denied", .detail = format}));
    return st;
  }
  const Date today = clock_.Today();
  FieldErrors errors;
  if (request.date > today) {
    errors.Add("date", "in_future", "日期不能晚于今天（" + FormatDate(today) + "）",
               "the date may not be after today (" + FormatDate(today) + ")");
  }
  if (!request.disease.empty() && !InCatalogue(request.disease)) {
    errors.Add("disease", "unknown_disease", "未知的疾病编码：" + request.disease,
               "unknown disease code: " + request.disease);
  }
  if (!errors.empty()) return errors.ToStatus();

  // The area: the caller's unit, or the city for the whole-city scope.
  const auth::Scope scope = auth::ScopeOf(who);
  std::optional<registry::OrgUnit> area;
  if (scope.whole_city()) {
    area = registry_.RootOrg();
  } else if (!scope.empty()) {
    std::string path = scope.path();
    path.pop_back();
    area = registry_.FindOrg(path.substr(path.rfind('/') + 1));
  }
  if (!area) return auth::ObjectNotFound();
  auto units = registry_.ListOrgUnits(who);
  if (!units.ok()) return units.status();

  AnalysisInput in{.windows = WindowsFor(PeriodContaining(request.period, request.date), today),
                   .area = *area,
                   .withheld = Withheld(who),
                   .disease_filter = request.disease};
  for (const registry::OrgUnit& u : *units) {
    if (u.parent_code == area->code) in.sub_units.push_back(u);
  }
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    in.counts = AnalysisStore::Counts(
        s, scope,
        {.windows = in.windows, .disease = request.disease, .detail_hidden = in.withheld});
    return Status::Ok();
  }));
  if (counter_) {
    auto migrants = counter_(who, area->code, in.windows.through);
    if (migrants.ok()) {
      in.migrants = std::move(*migrants);
      in.migrants_on = in.windows.through;
    } else {
      spdlog::warn("disease analysis: no migrant counts for {}: {}", area->code,
                   migrants.status().ToString());
    }
  }
  Analysis a = disease::Analyse(in, DiseaseCatalogue::Builtin());
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = kAction,
                          .object_type = kObject,
                          .object_id = area->code,
                          .detail = fmt::format("period={} area={} disease={} format={} cases={}",
                                                in.windows.period.Code(), area->code,
                                                request.disease, format, a.cases)}));
  return a;
}

Result<AnalysisFile> AnalysisService::Workbook(const Principal& who,
                                               const AnalysisRequest& request) {
  JD_ASSIGN_OR_RETURN(Analysis a, Analyse(who, request, "xlsx"));
  JD_ASSIGN_OR_RETURN(std::string bytes, WriteAnalysisXlsx(a, DiseaseCatalogue::Builtin()));
  const std::string period = a.windows.period.Code();
  const std::string disease = a.disease_filter.empty() ? "" : "-" + a.disease_filter;
  return AnalysisFile{
      .file_name = fmt::format(
          "传染病疫情分析-{}-{}{}.xlsx", a.area_name, period,
          a.disease_filter.empty()
              ? std::string()
              : "-" + DiseaseNames(DiseaseCatalogue::Builtin(), a.disease_filter).first),
      .ascii_name = fmt::format("disease-analysis-{}-{}{}.xlsx", a.area_code, period, disease),
      .content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      .bytes = std::move(bytes)};
}

}  // namespace jd::disease

// The infectious-disease API (传染病信息报告管理规范 2015): case cards (传染病报告卡) — report,
// read with history, list, correct (订正), delete, duplicates and merge — the catalogue of the
// diseases notifiable on a date, and the periodic analysis (疫情分析) as JSON or XLSX.
// disease/card_service.h and disease/analysis_service.h hold the rules and the access decisions;
// this file reads bodies and queries into their typed inputs (every problem as a field error) and
// shapes their views as JSON (disease/card_json.h, disease/analysis_json.h).
#include <fmt/format.h>

#include <cctype>

#include "core/input.h"
#include "disease/analysis_json.h"
#include "disease/analysis_service.h"
#include "disease/card_json.h"
#include "disease/card_service.h"
#include "http/module_routes.h"
#include "http/preconditions.h"

namespace jd::http {

namespace {

using nlohmann::json;

json CardViewJson(const disease::CardView& v) {
  json j = disease::CardToJson(v.card);
  j["disease_name_zh"] = v.disease_name_zh;
  j["disease_name_en"] = v.disease_name_en;
  j["report_limit_hours"] = v.report_limit_hours;
  json revisions = json::array();
  for (const auto& r : v.revisions) {
    revisions.push_back({{"version", r.version},
                         {"kind", r.kind},
                         {"reason", r.reason},
                         {"changed_at", r.changed_at},
                         {"changed_by", r.changed_by},
                         {"before", r.before ? disease::CardToJson(*r.before) : json()}});
  }
  j["revisions"] = std::move(revisions);
  return j;
}

json CardListJson(const std::vector<disease::Card>& cards) {
  json items = json::array();
  for (const auto& c : cards) items.push_back(disease::CardToJson(c));
  return items;
}

Reply CardReply(const disease::CardView& v, int status = 200) {
  Reply r = Json(CardViewJson(v), status);
  r.headers.push_back({"ETag", "\"" + std::to_string(v.card.version) + "\""});
  return r;
}

std::string Reason(const Ctx& c, FieldErrors& errors) {
  return TextMember(c.body, "reason", FieldKind::kNote, errors, "原因");
}

Result<Reply> CreateCard(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  disease::CardFields f = disease::FieldsFromJson(c.body, app.clock->Now(), errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.disease_cards->Create(*c.who, std::move(f));
  if (!r.ok()) return r.status();
  return CardReply(*r, 201);
}

Result<Reply> GetCard(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.disease_cards->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return CardReply(*r);
}

Result<Reply> ListCards(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  disease::CardListQuery q;
  q.disease_code = Param(c.req, "disease");
  q.district_code = Param(c.req, "district");
  q.unit = Param(c.req, "unit");
  using Member = std::pair<const char*, const std::string*>;
  for (const Member& m : {Member{"disease", &q.disease_code}, Member{"district", &q.district_code},
                          Member{"unit", &q.unit}}) {
    if (auto e = CheckText(*m.second, FieldKind::kCode, m.first)) errors.Add(*e);
  }
  q.from =
      DateParam(Param(c.req, "from"), "from", DateKind::kAsOf, today, Presence::kOptional, errors);
  q.to = DateParam(Param(c.req, "to"), "to", DateKind::kAsOf, today, Presence::kOptional, errors);
  if (std::string status = Param(c.req, "status"); !status.empty()) {
    q.status = disease::ParseCardStatus(status);
    if (!q.status) {
      errors.Add("status", "invalid_value", "status 应为 active、deleted 或 merged",
                 "status must be active, deleted or merged");
    }
  }
  if (std::string late = Param(c.req, "late"); !late.empty()) {
    if (late == "true" || late == "false") {
      q.late = late == "true";
    } else {
      errors.Add("late", "invalid_value", "late 应为 true 或 false", "late must be true or false");
    }
  }
  auto page = IntParam(c.req, "page", 1, 1, 100000);
  if (!page.ok()) errors.Append(page.status().field_errors());
  auto size = IntParam(c.req, "page_size", 50, 1, 200);
  if (!size.ok()) errors.Append(size.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.page = *page;
  q.page_size = *size;
  auto r = app.disease_cards->List(*c.who, q);
  if (!r.ok()) return r.status();
  return Json({{"items", CardListJson(r->items)},
               {"total", r->total},
               {"page", r->page},
               {"page_size", r->page_size}});
}

// 订正: the members given replace the card's, the others stay as they were.
Result<Reply> CorrectCard(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  std::string reason = Reason(c, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto current = app.disease_cards->Get(*c.who, c.params[0]);
  if (!current.ok()) return current.status();
  json merged = disease::FieldsToJson(current->card.fields);
  for (const auto& [key, value] : c.body.items()) {
    if (key != "reason" && merged.contains(key)) merged[key] = value;
  }
  disease::CardFields f = disease::FieldsFromJson(merged, app.clock->Now(), errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.disease_cards->Correct(*c.who, c.params[0], version, std::move(f), reason);
  if (!r.ok()) return r.status();
  return CardReply(*r);
}

Result<Reply> DeleteCard(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  std::string reason = Reason(c, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.disease_cards->Delete(*c.who, c.params[0], reason);
  if (!r.ok()) return r.status();
  return CardReply(*r);
}

Result<Reply> CardDuplicates(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.disease_cards->Duplicates(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json({{"items", CardListJson(*r)}, {"window_days", disease::kDuplicateWindowDays}});
}

// {"into": the card to keep, "reason": …}; "keep" is read as "into".
Result<Reply> MergeCard(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  std::string reason = Reason(c, errors);
  std::string into = TextMember(c.body, "into", FieldKind::kCode, errors, "保留的报告卡");
  if (into.empty() && !errors.Has("into")) {
    into = TextMember(c.body, "keep", FieldKind::kCode, errors, "保留的报告卡");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.disease_cards->Merge(*c.who, c.params[0], into, reason);
  if (!r.ok()) return r.status();
  return CardReply(*r);
}

Result<Reply> CatalogueOnDate(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  const Date today = app.clock->Today();
  auto on =
      DateParam(Param(c.req, "date"), "date", DateKind::kAsOf, today, Presence::kOptional, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.disease_cards->Catalogue(*c.who, on.value_or(today));
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& d : *r) {
    items.push_back({{"code", d.entry->code},
                     {"name_zh", d.entry->name_zh},
                     {"name_en", d.entry->name_en},
                     {"class", disease::DiseaseClassName(d.disease_class)},
                     {"managed_as_a", d.managed_as_a},
                     {"report_limit_hours", d.report_limit_hours},
                     {"hiv_tb", disease::NeedsHivTbCare(d.entry->code)}});
  }
  return Json({{"date", FormatDate(on.value_or(today))}, {"items", std::move(items)}});
}

// ?period=week|month (default week) &date=YYYY-MM-DD (default today) &disease=CODE (default all).
Result<disease::AnalysisRequest> AnalysisParams(App& app, const Ctx& c) {
  FieldErrors errors;
  disease::AnalysisRequest q;
  if (std::string period = Param(c.req, "period"); !period.empty()) {
    auto kind = disease::ParsePeriodKind(period);
    if (kind) {
      q.period = *kind;
    } else {
      errors.Add("period", "invalid_value", "period 应为 week（周）或 month（月）",
                 "period must be week or month");
    }
  }
  const Date today = app.clock->Today();
  q.date = DateParam(Param(c.req, "date"), "date", DateKind::kPastEvent, today, Presence::kOptional,
                     errors)
               .value_or(today);
  q.disease = Param(c.req, "disease");
  if (auto e = CheckText(q.disease, FieldKind::kCode, "disease")) errors.Add(*e);
  if (!errors.empty()) return errors.ToStatus();
  return q;
}

Result<Reply> AnalysisJson(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(disease::AnalysisRequest q, AnalysisParams(app, c));
  auto r = app.disease_analysis->Analyse(*c.who, q);
  if (!r.ok()) return r.status();
  return Json(disease::AnalysisToJson(*r, disease::DiseaseCatalogue::Builtin()));
}

// RFC 5987 percent-encoding of a UTF-8 file name (attr-char kept as is).
std::string PercentEncoded(const std::string& s) {
  std::string out;
  for (unsigned char ch : s) {
    if (std::isalnum(ch) ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(ch)) != std::string_view::npos) {
      out += static_cast<char>(ch);
    } else {
      out += fmt::format("%{:02X}", ch);
    }
  }
  return out;
}

// The workbook, named in Chinese (RFC 6266 filename*) with an ASCII name for older clients.
Result<Reply> AnalysisWorkbook(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(disease::AnalysisRequest q, AnalysisParams(app, c));
  auto f = app.disease_analysis->Workbook(*c.who, q);
  if (!f.ok()) return f.status();
  Reply r;
  r.raw = std::move(f->bytes);
  r.content_type = f->content_type;
  r.headers.emplace_back("Content-Disposition",
                         fmt::format("attachment; filename=\"{}\"; filename*=UTF-8''{}",
                                     f->ascii_name, PercentEncoded(f->file_name)));
  return r;
}

}  // namespace

std::vector<Route> DiseaseRoutes() {
  return {
      {{"POST", "/api/v1/disease/cards", true}, true, CreateCard},
      {{"GET", "/api/v1/disease/cards", true}, false, ListCards},
      {{"GET", "/api/v1/disease/cards/{id}", true}, false, GetCard},
      {{"PATCH", "/api/v1/disease/cards/{id}", true}, true, CorrectCard},
      {{"POST", "/api/v1/disease/cards/{id}/delete", true}, true, DeleteCard},
      {{"GET", "/api/v1/disease/cards/{id}/duplicates", true}, false, CardDuplicates},
      {{"POST", "/api/v1/disease/cards/{id}/merge", true}, true, MergeCard},
      {{"GET", "/api/v1/disease/catalogue", true}, false, CatalogueOnDate},
      {{"GET", "/api/v1/disease/analysis", true}, false, AnalysisJson},
      {{"GET", "/api/v1/disease/analysis.xlsx", true}, false, AnalysisWorkbook},
  };
}

}  // namespace jd::http

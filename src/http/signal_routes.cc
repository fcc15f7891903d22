// The early-warning API (disease/signal_service.h): the signals of the caller's district (or city),
// one signal with its cards (ids and masked names), verifying a signal (exclude, confirm, open an
// event), the events with their investigation, measures, closure and the timeliness of each step,
// and the counts for the home worklist card. This file reads queries and bodies into the service's
// typed inputs (every problem as a field error) and shapes its views as JSON.
#include "core/input.h"
#include "disease/catalogue.h"
#include "disease/signal_service.h"
#include "http/code_member.h"
#include "http/module_routes.h"
#include "http/preconditions.h"

namespace jd::http {

namespace {

using nlohmann::json;

json TextOrNull(const std::string& s) { return s.empty() ? json() : json(s); }
json HoursOrNull(const std::optional<double>& h) { return h ? json(*h) : json(); }

std::string DiseaseName(const std::string& code) {
  for (const auto& e : disease::DiseaseCatalogue::Builtin().entries()) {
    if (e.code == code) return e.name_zh;
  }
  return code;
}

json SignalJson(App& app, const disease::SignalView& v) {
  const disease::Signal& s = v.signal;
  json cards = json::array();
  for (const auto& c : v.cards) {
    cards.push_back({{"id", c.id},
                     {"name", c.masked_name},
                     {"onset_date", c.onset_date},
                     {"status", c.status}});
  }
  auto org = app.registry->FindOrg(s.district_code);
  return {{"id", s.id},
          {"kind", disease::SignalKindCode(s.kind)},
          {"disease", s.disease_code},
          {"disease_name", DiseaseName(s.disease_code)},
          {"district", s.district_code},
          {"district_name", org ? org->name : s.district_code},
          {"period_start", FormatDate(s.period_start)},
          {"period_end", FormatDate(s.period_end)},
          {"observed", s.observed},
          {"threshold", s.threshold ? json(*s.threshold) : json()},
          {"card_ids", s.card_ids},
          {"cards", std::move(cards)},
          {"work_site", s.work_site_key},
          {"work_site_kind", s.work_site_kind},
          {"raised_at", s.raised_at},
          {"status", disease::SignalStatusCode(s.status)},
          {"verify_due_at", s.verify_due_at},
          {"overdue", v.overdue},
          {"verified_at", TextOrNull(s.verified_at)},
          {"verified_by", TextOrNull(s.verified_by)},
          {"note", s.note},
          {"event_id", TextOrNull(s.event_id)},
          {"version", s.version}};
}

json EventJson(const disease::EventView& v) {
  const disease::DiseaseEvent& e = v.event;
  const disease::EventSteps& st = v.steps;
  return {{"id", e.id},
          {"signal_id", e.signal_id},
          {"signal_ids", v.signal_ids},
          {"kind", disease::EventKindCode(e.kind)},
          {"disease", e.disease_code},
          {"disease_name", DiseaseName(e.disease_code)},
          {"district", e.district_code},
          {"opened_at", e.opened_at},
          {"opened_by", e.opened_by},
          {"investigation", e.investigation},
          {"investigated_at", TextOrNull(e.investigated_at)},
          {"measures", e.measures},
          {"measures_at", TextOrNull(e.measures_at)},
          {"closed_at", TextOrNull(e.closed_at)},
          {"closed_by", TextOrNull(e.closed_by)},
          {"closure_note", e.closure_note},
          {"handled_to_standard", e.handled_to_standard ? json(*e.handled_to_standard) : json()},
          {"steps",
           {{"verify_hours", HoursOrNull(st.verify_hours)},
            {"verified_on_time", st.verified_on_time},
            {"investigate_hours", HoursOrNull(st.investigate_hours)},
            {"investigated_on_time", st.investigated_on_time},
            {"measures_hours", HoursOrNull(st.measures_hours)},
            {"measures_on_time", st.measures_on_time},
            {"close_hours", HoursOrNull(st.close_hours)},
            {"closed", st.closed}}},
          {"version", e.version}};
}

Result<Reply> ListSignals(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  disease::SignalQuery q;
  if (std::string status = Param(c.req, "status"); !status.empty()) {
    q.status = disease::ParseSignalStatus(status);
    if (!q.status) {
      errors.Add("status", "invalid_value", "status 应为 open、verified、excluded 或 event_opened",
                 "status must be open, verified, excluded or event_opened");
    }
  }
  q.district_code = Param(c.req, "district");
  if (!q.district_code.empty() && !app.registry->FindOrg(q.district_code)) {
    errors.Add("district", "unknown_org", "区县代码不存在：" + q.district_code,
               "no org unit has the code " + q.district_code);
  }
  q.disease_code = Param(c.req, "disease");
  if (!q.disease_code.empty() &&
      !disease::DiseaseCatalogue::Builtin().Find(q.disease_code, app.clock->Today()).ok()) {
    errors.Add("disease", "unknown_disease", "病种代码不存在：" + q.disease_code,
               "no notifiable disease has the code " + q.disease_code);
  }
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.limit = *limit;
  auto r = app.signals->List(*c.who, q);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(SignalJson(app, v));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

Result<Reply> Summary(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.signals->Summary(*c.who);
  if (!r.ok()) return r.status();
  return Json(
      {{"open", r->open},
       {"overdue", r->overdue},
       {"events_open", r->events_open},
       {"events", r->events},
       {"events_handled", r->events_handled},
       {"handled_rate",
        r->events > 0 ? json(static_cast<double>(r->events_handled) / r->events) : json()}});
}

Result<Reply> GetSignal(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.signals->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(SignalJson(app, *r));
}

Result<Reply> Verify(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  disease::VerifyInput in;
  auto outcome =
      CodeMember<disease::VerifyOutcome>(c.body, "outcome", "核实结果", "excluded, verified, event",
                                         disease::ParseVerifyOutcome, errors);
  if (outcome) {
    in.outcome = *outcome;
  } else if (!errors.Has("outcome")) {
    errors.Add("outcome", "required", "核实结果为必填项", "outcome is required");
  }
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "核实说明");
  if (auto kind = CodeMember<disease::EventKind>(
          c.body, "event_kind", "事件类型", "cluster, outbreak", disease::ParseEventKind, errors)) {
    in.event_kind = *kind;
  }
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.signals->Verify(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(SignalJson(app, *r));
}

Result<Reply> ListEvents(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  disease::EventQuery q;
  const std::string state = Param(c.req, "state");
  if (state == "open") {
    q.open_only = true;
  } else if (!state.empty() && state != "all") {
    errors.Add("state", "invalid_value", "state 应为 open 或 all", "state must be open or all");
  }
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.limit = *limit;
  auto r = app.signals->ListEvents(*c.who, q);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(EventJson(v));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

Result<Reply> OpenEvent(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  disease::OpenEventInput in;
  auto ids = c.body.find("signal_ids");
  if (ids == c.body.end() || ids->is_null()) {
    errors.Add("signal_ids", "required", "请选择至少一个预警信号", "name at least one signal");
  } else if (!ids->is_array() || ids->empty() || ids->size() > 100) {
    errors.Add("signal_ids", "wrong_type", "signal_ids 应为1至100个信号编号的数组",
               "signal_ids must be an array of 1 to 100 signal ids");
  } else {
    for (const auto& id : *ids) {
      if (!id.is_string()) {
        errors.Add("signal_ids", "wrong_type", "信号编号应为文本", "signal ids are strings");
        break;
      }
      in.signal_ids.push_back(id.get<std::string>());
    }
  }
  if (auto kind = CodeMember<disease::EventKind>(c.body, "kind", "事件类型", "cluster, outbreak",
                                                 disease::ParseEventKind, errors)) {
    in.kind = *kind;
  }
  in.note = TextMember(c.body, "note", FieldKind::kNote, errors, "说明");
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.signals->OpenEvent(*c.who, in);
  if (!r.ok()) return r.status();
  return Json(EventJson(*r), 201);
}

Result<Reply> GetEvent(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.signals->GetEvent(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(EventJson(*r));
}

Result<Reply> UpdateEvent(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  disease::EventChange change;
  change.investigation = OptionalTextMember(c.body, "investigation", FieldKind::kNote, errors);
  change.measures = OptionalTextMember(c.body, "measures", FieldKind::kNote, errors);
  change.kind = CodeMember<disease::EventKind>(c.body, "kind", "事件类型", "cluster, outbreak",
                                               disease::ParseEventKind, errors);
  if (errors.empty() && !change.investigation && !change.measures && !change.kind) {
    errors.Add("investigation", "required", "请填写流行病学调查、处置措施或事件类型",
               "give the investigation, the measures or the kind");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.signals->UpdateEvent(*c.who, c.params[0], change, version);
  if (!r.ok()) return r.status();
  return Json(EventJson(*r));
}

Result<Reply> CloseEvent(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  std::string note = TextMember(c.body, "closure_note", FieldKind::kNote, errors, "结案说明");
  if (note.empty() && !errors.Has("closure_note")) {
    errors.Add("closure_note", "required", "结案说明为必填项", "closure_note is required");
  }
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.signals->CloseEvent(*c.who, c.params[0], note, version);
  if (!r.ok()) return r.status();
  return Json(EventJson(*r));
}

}  // namespace

std::vector<Route> SignalRoutes() {
  return {
      {{"GET", "/api/v1/disease/signals", true}, false, ListSignals},
      {{"GET", "/api/v1/disease/signals/summary", true}, false, Summary},
      {{"GET", "/api/v1/disease/signals/{id}", true}, false, GetSignal},
      {{"POST", "/api/v1/disease/signals/{id}/verify", true}, true, Verify},
      {{"GET", "/api/v1/disease/events", true}, false, ListEvents},
      {{"POST", "/api/v1/disease/events", true}, true, OpenEvent},
      {{"GET", "/api/v1/disease/events/{id}", true}, false, GetEvent},
      {{"PATCH", "/api/v1/disease/events/{id}", true}, true, UpdateEvent},
      {{"POST", "/api/v1/disease/events/{id}/close", true}, true, CloseEvent},
  };
}

}  // namespace jd::http

// The child immunisation API: a child's page with the forecast, the vaccination certificate,
// dose records and their corrections, a clinic's due list, appointments and session capacity
// (immunization/service.h holds the rules; this file reads requests and shapes answers).
#include "auth/access.h"
#include "auth/permissions.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "immunization/service.h"
#include "registry/person_rules.h"

namespace jd::http {

namespace {

using immunization::AppointmentStatus;
using nlohmann::json;

json ChangeJson(App& app, const immunization::RecordChange& ch) {
  const auto& schedule = app.immunization->schedule();
  return {{"record", immunization::RecordToJson(schedule, ch.record, app.registry.get())},
          {"forecast", immunization::ForecastToJson(schedule, ch.view.forecast, ch.view.as_of)}};
}

Result<Reply> ImmunizationGet(App& app, Ctx& c, const ServerOptions&) {
  auto v = app.immunization->Get(*c.who, c.params[0], Param(c.req, "as_of"));
  if (!v.ok()) return v.status();
  return Json(immunization::ViewToJson(app.immunization->schedule(), *v, app.registry.get()));
}

Result<Reply> FileIssue(App& app, Ctx& c, const ServerOptions&) {
  auto f = app.immunization->IssueFile(*c.who, c.params[0], c.body);
  if (!f.ok()) return f.status();
  return Json(immunization::FileToJson(*f, app.registry.get()), 201);
}

Result<Reply> FileUpdate(App& app, Ctx& c, const ServerOptions&) {
  auto expected = RequiredVersion(c);
  if (!expected.ok()) return expected.status();
  auto f = app.immunization->UpdateFile(*c.who, c.params[0], c.body, *expected);
  if (!f.ok()) return f.status();
  return Json(immunization::FileToJson(*f, app.registry.get()));
}

Result<Reply> WardList(App& app, Ctx& c, const ServerOptions&) {
  auto wards = app.immunization->WardsOf(*c.who, c.params[0]);
  if (!wards.ok()) return wards.status();
  json items = json::array();
  Date today = app.clock->Today();
  for (const auto& w : *wards) items.push_back(immunization::WardToJson(w, today));
  return Json({{"items", items}});
}

Result<Reply> DoseRecord(App& app, Ctx& c, const ServerOptions&) {
  auto ch = app.immunization->RecordDose(*c.who, c.params[0], c.body);
  if (!ch.ok()) return ch.status();
  Reply r = Json(ChangeJson(app, *ch), 201);
  r.headers.emplace_back("Location", "/api/v1/vaccinations/" + ch->record.id);
  return r;
}

Result<Reply> DoseCorrect(App& app, Ctx& c, const ServerOptions&) {
  auto expected = RequiredVersion(c);
  if (!expected.ok()) return expected.status();
  auto ch = app.immunization->CorrectDose(*c.who, c.params[0], c.body, *expected);
  if (!ch.ok()) return ch.status();
  return Json(ChangeJson(app, *ch));
}

Result<Reply> DoseVoid(App& app, Ctx& c, const ServerOptions&) {
  auto ch = app.immunization->VoidDose(*c.who, c.params[0], c.body);
  if (!ch.ok()) return ch.status();
  return Json(ChangeJson(app, *ch));
}

Result<Reply> DoseHistory(App& app, Ctx& c, const ServerOptions&) {
  auto h = app.immunization->DoseHistory(*c.who, c.params[0]);
  if (!h.ok()) return h.status();
  json items = json::array();
  for (const auto& v : *h) {
    items.push_back({{"version", v.version},
                     {"change", v.change},
                     {"reason", v.reason.empty() ? json(nullptr) : json(v.reason)},
                     {"changed_at", v.changed_at},
                     {"changed_by", v.changed_by},
                     {"data", json::parse(v.data, nullptr, false)}});
  }
  return Json({{"items", items}});
}

Result<Reply> DueList(App& app, Ctx& c, const ServerOptions&) {
  auto page = IntParam(c.req, "page", 1, 1, 100000);
  if (!page.ok()) return page.status();
  auto size = IntParam(c.req, "page_size", 50, 1, 200);
  if (!size.ok()) return size.status();
  immunization::DueRequest q{.clinic = Param(c.req, "clinic"),
                             .from = Param(c.req, "from"),
                             .to = Param(c.req, "to"),
                             .status = Param(c.req, "status"),
                             .limit = *size,
                             .offset = (*page - 1) * *size,
                             .count_only = Param(c.req, "count_only") == "true"};
  auto r = app.immunization->DueList(*c.who, q);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& item : r->items) {
    items.push_back(immunization::DueItemToJson(app.immunization->schedule(), item));
  }
  return Json({{"clinic", {{"code", r->clinic.code}, {"name", r->clinic.name}}},
               {"from", FormatDate(r->from)},
               {"to", FormatDate(r->to)},
               {"items", items},
               {"total", r->total},
               {"page", *page},
               {"page_size", *size}});
}

json AppointmentChangeJson(App& app, const immunization::AppointmentChange& ch) {
  json j = immunization::AppointmentToJson(ch.appointment, app.registry.get());
  if (ch.previous) {
    j["previous"] = immunization::AppointmentToJson(*ch.previous, app.registry.get());
  }
  return j;
}

Result<Reply> AppointmentBook(App& app, Ctx& c, const ServerOptions&) {
  auto ch = app.immunization->Book(*c.who, c.body);
  if (!ch.ok()) return ch.status();
  return Json(AppointmentChangeJson(app, *ch), 201);
}

Handler SetStatus(AppointmentStatus status) {
  return [status](App& app, Ctx& c, const ServerOptions&) -> Result<Reply> {
    auto ch = app.immunization->SetAppointmentStatus(*c.who, c.params[0], status);
    if (!ch.ok()) return ch.status();
    return Json(AppointmentChangeJson(app, *ch));
  };
}

Result<Reply> AppointmentReschedule(App& app, Ctx& c, const ServerOptions&) {
  auto ch = app.immunization->Reschedule(*c.who, c.params[0], c.body);
  if (!ch.ok()) return ch.status();
  return Json(AppointmentChangeJson(app, *ch), 201);
}

Result<Reply> AppointmentList(App& app, Ctx& c, const ServerOptions&) {
  const bool count_only = Param(c.req, "count_only") == "true";
  auto rows =
      app.immunization->ListAppointments(*c.who, Param(c.req, "clinic"), Param(c.req, "from"),
                                         Param(c.req, "to"), Param(c.req, "status"), count_only);
  if (!rows.ok()) return rows.status();
  if (count_only) return Json({{"items", json::array()}, {"total", rows->size()}});
  json items = json::array();
  for (const auto& row : *rows) {
    json j = immunization::AppointmentToJson(row.appointment, app.registry.get());
    // A list: the ID number and the phone are masked.
    j["child"] = {{"name", row.name},
                  {"sex", row.sex},
                  {"birth_date", FormatDate(row.birth_date)},
                  {"age_months", immunization::AgeInMonths(row.birth_date, row.appointment.date)},
                  {"id_number_masked", registry::MaskIdNumber(row.id_number)},
                  {"guardian_name", row.guardian_name},
                  {"guardian_phone_masked", registry::MaskPhone(row.guardian_phone)}};
    items.push_back(std::move(j));
  }
  return Json({{"items", items}, {"total", rows->size()}});
}

// A session day's settable state (its bookings change without it): the version a change of an
// explicitly set day must name. A day still at the default capacity has none and is created.
std::string SessionVersion(const immunization::SessionDay& d) {
  return ContentTag({FormatDate(d.date), d.capacity.value_or(-1)});
}

json SessionDayJson(const immunization::SessionDay& d) {
  int capacity = d.capacity.value_or(immunization::kDefaultSessionCapacity);
  return {{"date", FormatDate(d.date)},
          {"version", d.capacity ? json(SessionVersion(d)) : json(nullptr)},
          {"capacity", capacity},
          {"default_capacity", !d.capacity.has_value()},
          {"booked", d.booked},
          {"available", std::max(0, capacity - d.booked)}};
}

Result<Reply> SessionSet(App& app, Ctx& c, const ServerOptions&) {
  // Replacing a day someone already set needs the version read; a new day does not.
  if (ParseDate(c.params[1]) && auth::Holds(*c.who, auth::Permission::kVaccinationWrite)) {
    auto current = app.immunization->ListSessions(*c.who, c.params[0], c.params[1], c.params[1]);
    // A date out of range is SetSession's to report, under its own field name.
    if (!current.ok() && current.status().code() != StatusCode::kInvalidArgument) {
      return current.status();
    }
    for (const auto& d : current.ok() ? current->days : std::vector<immunization::SessionDay>{}) {
      if (FormatDate(d.date) == c.params[1] && d.capacity) {
        JD_RETURN_IF_ERROR(MatchContentTag(c, SessionVersion(d)));
      }
    }
  }
  auto day = app.immunization->SetSession(*c.who, c.params[0], c.params[1], c.body);
  if (!day.ok()) return day.status();
  json j = SessionDayJson(*day);
  j["clinic"] = c.params[0];
  return Json(j);
}

Result<Reply> SessionList(App& app, Ctx& c, const ServerOptions&) {
  auto list =
      app.immunization->ListSessions(*c.who, c.params[0], Param(c.req, "from"), Param(c.req, "to"));
  if (!list.ok()) return list.status();
  json days = json::array();
  for (const auto& d : list->days) days.push_back(SessionDayJson(d));
  return Json({{"clinic", {{"code", list->clinic.code}, {"name", list->clinic.name}}},
               {"default_capacity", immunization::kDefaultSessionCapacity},
               {"days", days}});
}

}  // namespace

std::vector<Route> ImmunizationRoutes() {
  return {
      {{"GET", "/api/v1/persons/{id}/immunization", true}, false, ImmunizationGet},
      {{"POST", "/api/v1/persons/{id}/vaccination-file", true}, true, FileIssue},
      {{"PATCH", "/api/v1/persons/{id}/vaccination-file", true}, true, FileUpdate},
      {{"GET", "/api/v1/persons/{id}/wards", true}, false, WardList},
      {{"POST", "/api/v1/persons/{id}/vaccinations", true}, true, DoseRecord},
      {{"PATCH", "/api/v1/vaccinations/{id}", true}, true, DoseCorrect},
      {{"POST", "/api/v1/vaccinations/{id}/void", true}, true, DoseVoid},
      {{"GET", "/api/v1/vaccinations/{id}/history", true}, false, DoseHistory},
      {{"GET", "/api/v1/immunization/due", true}, false, DueList},
      {{"GET", "/api/v1/appointments", true}, false, AppointmentList},
      {{"POST", "/api/v1/appointments", true}, true, AppointmentBook},
      {{"POST", "/api/v1/appointments/{id}/attend", true},
       false,
       SetStatus(AppointmentStatus::kAttended)},
      {{"POST", "/api/v1/appointments/{id}/miss", true},
       false,
       SetStatus(AppointmentStatus::kMissed)},
      {{"POST", "/api/v1/appointments/{id}/cancel", true},
       false,
       SetStatus(AppointmentStatus::kCancelled)},
      {{"POST", "/api/v1/appointments/{id}/reschedule", true}, true, AppointmentReschedule},
      {{"GET", "/api/v1/clinics/{code}/sessions", true}, false, SessionList},
      {{"PUT", "/api/v1/clinics/{code}/sessions/{date}", true}, true, SessionSet},
  };
}

}  // namespace jd::http

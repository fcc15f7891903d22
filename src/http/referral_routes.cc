// The referral and green-channel API (maternal/referral_service.h): refer a woman or a newborn,
// record the transfer's steps, the outcome and a red woman's continuation decision, and read a
// person's referrals and the centre's list with elapsed times. This file reads bodies and queries
// into the service's typed inputs (every problem as a field error) and shapes its views as JSON;
// times are read and written in Beijing time (maternal::ParseLocalTime, FormatLocalTime).
#include "core/input.h"
#include "http/code_member.h"
#include "http/module_routes.h"
#include "http/preconditions.h"
#include "maternal/referral_service.h"

namespace jd::http {

namespace {

using nlohmann::json;

json TimeOrNull(const std::optional<maternal::Instant>& t) {
  return t ? json(maternal::FormatLocalTime(*t)) : json();
}
json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }
json MinutesOrNull(const std::optional<int>& m) { return m ? json(*m) : json(); }

json ReferralJson(const maternal::ReferralView& v) {
  const maternal::Referral& r = v.referral;
  json j = {
      {"id", r.id},
      {"person_id", r.person_id},
      {"pregnancy_id", r.pregnancy_id.empty() ? json() : json(r.pregnancy_id)},
      {"subject", maternal::ReferralSubjectCode(r.subject)},
      {"kind", maternal::ReferralKindCode(r.kind)},
      {"reason", r.reason},
      {"risk_colour", r.risk_colour.empty() ? json() : json(r.risk_colour)},
      {"from_clinic", r.from_clinic},
      {"to_facility", r.to_facility},
      {"called_at", maternal::FormatLocalTime(r.called_at)},
      {"transferred_at", TimeOrNull(r.transferred_at)},
      {"admitted_at", TimeOrNull(r.admitted_at)},
      {"outcome", r.outcome ? json(maternal::ReferralOutcomeCode(*r.outcome)) : json()},
      {"outcome_on", DateOrNull(r.outcome_on)},
      {"outcome_note", r.outcome_note},
      {"continuation", r.continuation ? json(maternal::ContinuationCode(*r.continuation)) : json()},
      {"continuation_on", DateOrNull(r.continuation_on)},
      {"continuation_pending", v.continuation_pending},
      {"stage", maternal::ReferralStageCode(v.stage)},
      {"elapsed",
       {{"call_to_transfer_min", MinutesOrNull(v.times.call_to_transfer_min)},
        {"transfer_to_admission_min", MinutesOrNull(v.times.transfer_to_admission_min)},
        {"call_to_admission_min", MinutesOrNull(v.times.call_to_admission_min)},
        {"open_minutes", v.times.open_minutes}}},
      {"version", r.version},
      {"created_by", r.created_by},
      {"updated_at", r.updated_at}};
  if (!v.person_name.empty()) j["name"] = v.person_name;
  if (!v.residence_org.empty()) j["residence_org"] = v.residence_org;
  return j;
}

// A time member in Beijing time ("2026-12-06T14:05", optionally with seconds and +08:00 or Z).
std::optional<maternal::Instant> TimeMember(const json& body, const char* key, const char* label_zh,
                                            FieldErrors& errors) {
  std::string text = TextMember(body, key, FieldKind::kCode, errors, label_zh);
  if (text.empty()) return std::nullopt;
  auto t = maternal::ParseLocalTime(text);
  if (!t) {
    errors.Add(key, "invalid_time", std::string(label_zh) + "应为北京时间，格式如 2026-12-06T14:05",
               std::string(key) + " must be a Beijing time such as 2026-12-06T14:05");
  }
  return t;
}

Result<Reply> Create(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  maternal::ReferralInput in;
  auto kind = CodeMember<maternal::ReferralKind>(
      c.body, "kind", "转诊类型", "high_risk, green_channel", maternal::ParseReferralKind, errors);
  if (kind) {
    in.kind = *kind;
  } else if (!errors.Has("kind")) {
    errors.Add("kind", "required", "转诊类型为必填项", "kind is required");
  }
  in.reason = TextMember(c.body, "reason", FieldKind::kNote, errors, "转诊原因");
  in.to_facility = TextMember(c.body, "to_facility", FieldKind::kAddress, errors, "接收医院");
  in.clinic = TextMember(c.body, "clinic", FieldKind::kCode, errors, "转出机构");
  in.called_at = TimeMember(c.body, "called_at", "呼叫转诊时间", errors);
  in.transferred_at = TimeMember(c.body, "transferred_at", "转运出发时间", errors);
  in.admitted_at = TimeMember(c.body, "admitted_at", "入院时间", errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.referrals->Create(*c.who, c.params[0], in);
  if (!r.ok()) return r.status();
  return Json(ReferralJson(*r), 201);
}

Result<Reply> Update(App& app, Ctx& c, const ServerOptions&) {
  JD_ASSIGN_OR_RETURN(int version, RequiredVersion(c));
  FieldErrors errors;
  const Date today = app.clock->Today();
  maternal::ReferralChange change;
  change.called_at = TimeMember(c.body, "called_at", "呼叫转诊时间", errors);
  change.transferred_at = TimeMember(c.body, "transferred_at", "转运出发时间", errors);
  change.admitted_at = TimeMember(c.body, "admitted_at", "入院时间", errors);
  change.outcome = CodeMember<maternal::ReferralOutcome>(c.body, "outcome", "转诊结局",
                                                         "managed, returned, declined, lost, died",
                                                         maternal::ParseReferralOutcome, errors);
  change.outcome_on =
      DateMember(c.body, "outcome_on", DateKind::kAsOf, today, Presence::kOptional, errors);
  change.outcome_note = OptionalTextMember(c.body, "outcome_note", FieldKind::kNote, errors);
  change.continuation = CodeMember<maternal::Continuation>(c.body, "continuation", "是否继续妊娠",
                                                           "continue, termination_advised",
                                                           maternal::ParseContinuation, errors);
  change.continuation_on =
      DateMember(c.body, "continuation_on", DateKind::kAsOf, today, Presence::kOptional, errors);
  if (!errors.empty()) return errors.ToStatus();
  auto r = app.referrals->Update(*c.who, c.params[0], change, version);
  if (!r.ok()) return r.status();
  return Json(ReferralJson(*r));
}

Result<Reply> GetOne(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.referrals->Get(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  return Json(ReferralJson(*r));
}

Result<Reply> ForPerson(App& app, Ctx& c, const ServerOptions&) {
  auto r = app.referrals->ForPerson(*c.who, c.params[0]);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(ReferralJson(v));
  return Json({{"items", std::move(items)}});
}

Result<Reply> List(App& app, Ctx& c, const ServerOptions&) {
  FieldErrors errors;
  maternal::ReferralQuery q;
  const std::string state = Param(c.req, "state");
  if (state == "all") {
    q.open_only = false;
  } else if (!state.empty() && state != "open") {
    errors.Add("state", "invalid_value", "state 应为 open 或 all", "state must be open or all");
  }
  const std::string kind = Param(c.req, "kind");
  if (!kind.empty()) {
    q.kind = maternal::ParseReferralKind(kind);
    if (!q.kind) {
      errors.Add("kind", "invalid_value", "kind 应为 high_risk 或 green_channel",
                 "kind must be high_risk or green_channel");
    }
  }
  auto limit = IntParam(c.req, "limit", 200, 1, 1000);
  if (!limit.ok()) errors.Append(limit.status().field_errors());
  if (!errors.empty()) return errors.ToStatus();
  q.limit = *limit;
  if (Param(c.req, "count_only") == "true") {
    auto n = app.referrals->Count(*c.who, q);
    if (!n.ok()) return n.status();
    return Json({{"items", json::array()}, {"total", *n}});
  }
  auto r = app.referrals->List(*c.who, q);
  if (!r.ok()) return r.status();
  json items = json::array();
  for (const auto& v : *r) items.push_back(ReferralJson(v));
  const std::size_t total = items.size();
  return Json({{"items", std::move(items)}, {"total", total}});
}

}  // namespace

std::vector<Route> ReferralRoutes() {
  return {
      {{"GET", "/api/v1/persons/{id}/referrals", true}, false, ForPerson},
      {{"POST", "/api/v1/persons/{id}/referrals", true}, true, Create},
      {{"GET", "/api/v1/referrals", true}, false, List},
      {{"GET", "/api/v1/referrals/{id}", true}, false, GetOne},
      {{"PATCH", "/api/v1/referrals/{id}", true}, true, Update},
  };
}

}  // namespace jd::http

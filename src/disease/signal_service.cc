// Early-warning signals and the response to them (disease/signal_service.h).
#include "disease/signal_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <map>
#include <set>

#include "auth/access.h"
#include "auth/auth_service.h"
#include "core/ids.h"
#include "core/input.h"
#include "disease/catalogue.h"
#include "registry/person_rules.h"

namespace jd::disease {

namespace {

using auth::Permission;
using auth::Principal;

// The diseases whose cards, signals and events need kHivTbCare (auth/permissions.h HT).
const std::vector<std::string>& HivTbDiseases() {
  static const std::vector<std::string> kCodes = {"hiv_aids", "tuberculosis"};
  return kCodes;
}

Status SignalNotFound() {
  return Status::NotFound("no such signal in your jurisdiction", "您的辖区内没有此预警信号");
}
Status EventNotFound() {
  return Status::NotFound("no such event in your jurisdiction", "您的辖区内没有此疫情事件");
}

// The Asia/Shanghai civil day of an instant (UTC+8, no daylight saving since 1991).
Date ShanghaiDay(Instant t) {
  return Date{std::chrono::floor<std::chrono::days>(t + std::chrono::hours(8))};
}

std::optional<Instant> TimeOf(const std::string& ts) {
  if (ts.empty()) return std::nullopt;
  return ParseTimestamp(ts);
}

std::string SignalDetail(const Signal& s) {
  return fmt::format("kind={} disease={} district={} key={} status={}", SignalKindCode(s.kind),
                     s.disease_code, s.district_code, s.period_key, SignalStatusCode(s.status));
}
std::string EventDetail(const DiseaseEvent& e) {
  return fmt::format("kind={} disease={} district={} closed={}", EventKindCode(e.kind),
                     e.disease_code, e.district_code, e.closed_at.empty() ? 0 : 1);
}

// A new event opened on `sig` (its first signal) by `who` at `now`.
DiseaseEvent NewEvent(const Signal& sig, EventKind kind, const std::string& now,
                      const Principal& who) {
  DiseaseEvent e;
  e.id = NewId();
  e.signal_id = sig.id;
  e.kind = kind;
  e.disease_code = sig.disease_code;
  e.district_code = sig.district_code;
  e.district_path = sig.district_path;
  e.opened_at = now;
  e.opened_by = auth::ActorRef(who);
  return e;
}

// The on-save principal: the rules run as the system, after the card's own audited save.
const Principal& EarlyWarning() {
  static const Principal kWho = [] {
    Principal p = auth::AuthService::SystemPrincipal("early-warning");
    p.username = "system:early-warning";
    return p;
  }();
  return kWho;
}

}  // namespace

std::optional<VerifyOutcome> ParseVerifyOutcome(std::string_view code) {
  if (code == "excluded") return VerifyOutcome::kExcluded;
  if (code == "verified") return VerifyOutcome::kVerified;
  if (code == "event") return VerifyOutcome::kEvent;
  return std::nullopt;
}

SignalService::SignalService(storage::Database& db, auth::AuditLog& audit, const Clock& clock,
                             const registry::RegistryService& registry, SignalPolicy policy)
    : db_(db), audit_(audit), clock_(clock), registry_(registry), policy_(policy) {}

CardListener SignalService::Listener() {
  return [this](const CardSaved& card) { OnCardSaved(card); };
}

std::vector<std::string> SignalService::HiddenFor(const Principal& who) const {
  return auth::Holds(who, Permission::kHivTbCare) ? std::vector<std::string>{} : HivTbDiseases();
}

bool SignalService::Hidden(const Principal& who, const std::string& disease_code) const {
  const auto hidden = HiddenFor(who);
  return std::find(hidden.begin(), hidden.end(), disease_code) != hidden.end();
}

Status SignalService::GrowCluster(soci::session& s, const Principal& who, const Signal& earlier,
                                  const SignalDraft& d) {
  std::vector<std::string> ids = earlier.card_ids;
  for (const std::string& id : d.card_ids) {
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
  }
  if (ids.size() == earlier.card_ids.size()) return Status::Ok();
  const Date end = std::max(earlier.period_end, d.period_end);
  SignalStore::GrowSignal(s, earlier.id, ids, end);
  return audit_.Append(s, who,
                       {.action = "signal.grow",
                        .object_type = "signal",
                        .object_id = earlier.id,
                        .detail = fmt::format("{} observed={} was={}", SignalDetail(earlier),
                                              ids.size(), earlier.card_ids.size())});
}

Result<bool> SignalService::Raise(const Principal& who, const SignalDraft& d) {
  auto org = registry_.FindOrg(d.district_code);
  if (!org) {
    return Status::NotFound("no org unit has the code " + d.district_code,
                            "机构代码不存在：" + d.district_code);
  }
  const Instant now = clock_.Now();
  Signal sig;
  sig.id = NewId();
  sig.kind = d.kind;
  sig.disease_code = d.disease_code;
  sig.district_code = d.district_code;
  sig.district_path = org->path;
  sig.period_key = d.period_key;
  sig.period_start = d.period_start;
  sig.period_end = d.period_end;
  sig.observed = d.observed;
  sig.threshold = d.threshold;
  sig.card_ids = d.card_ids;
  sig.work_site_key = d.work_site_key;
  sig.work_site_kind = d.work_site_kind;
  sig.raised_at = FormatTimestamp(now);
  sig.raised_by = auth::ActorRef(who);
  sig.verify_due_at = FormatTimestamp(VerifyDue(now, policy_));
  bool inserted = false;
  JD_RETURN_IF_ERROR(db_.Write([&](soci::session& s) -> Status {
    if (d.kind == SignalKind::kWorkSiteCluster) {
      if (auto earlier =
              SignalStore::ClusterSignalSince(s, d.disease_code, d.work_site_key, d.period_start)) {
        return GrowCluster(s, who, *earlier, d);
      }
    }
    inserted = SignalStore::InsertSignal(s, sig);
    if (!inserted) return Status::Ok();
    return audit_.Append(s, who,
                         {.action = "signal.raise",
                          .object_type = "signal",
                          .object_id = sig.id,
                          .detail = SignalDetail(sig)});
  }));
  return inserted;
}

Status SignalService::RunCardRules(const Principal& who, const CardFact& card, Date report_day,
                                   int& raised) {
  auto count = [&](Result<bool> r) -> Status {
    if (!r.ok()) return r.status();
    raised += *r ? 1 : 0;
    return Status::Ok();
  };
  if (auto entry = DiseaseCatalogue::Builtin().Find(card.disease_code, report_day); entry.ok()) {
    if (auto d = FixedThresholdSignal(card, entry->entry->detection, report_day)) {
      JD_RETURN_IF_ERROR(count(Raise(who, *d)));
    }
  }
  if (card.work_site_key.empty()) return Status::Ok();
  // The windows of cluster_days that hold this card, earliest first.
  const int span = policy_.cluster_days - 1;
  std::vector<CardFact> near;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    near = SignalStore::CardsAtSite(s, card.disease_code, card.work_site_key,
                                    AddDays(card.onset, -span), AddDays(card.onset, span));
    return Status::Ok();
  }));
  std::set<Date> ends;
  for (const CardFact& c : near) {
    if (c.onset >= card.onset) ends.insert(c.onset);
  }
  for (const Date& end : ends) {
    std::vector<CardFact> window;
    for (const CardFact& c : near) {
      if (c.onset <= end && c.onset >= AddDays(end, -span)) window.push_back(c);
    }
    if (auto d = FindWorkSiteCluster(window, policy_)) {
      return count(Raise(who, *d));
    }
  }
  return Status::Ok();
}

void SignalService::OnCardSaved(const CardSaved& card) {
  if (!card.active || card.change == CardChange::kDeleted || card.change == CardChange::kMerged) {
    return;
  }
  try {
    auto reported = ParseTimestamp(card.reported_at);
    CardFact fact{card.card_id,       card.disease_code,   card.district_code,
                  card.work_site_key, card.work_site_kind, card.onset_date};
    int raised = 0;
    Status st =
        RunCardRules(EarlyWarning(), fact, ShanghaiDay(reported.value_or(clock_.Now())), raised);
    if (!st.ok()) {
      spdlog::error("early warning for card {} not evaluated: {}", card.card_id, st.message_en());
    }
  } catch (const std::exception& e) {
    spdlog::error("early warning for card {} failed: {}", card.card_id, e.what());
  }
}

Result<DailyRunReport> SignalService::RunDaily(const Principal& who, Date as_of) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kSignalRespond));
  auto listed = DiseaseCatalogue::Builtin().ListedOn(as_of);
  if (!listed.ok()) return listed.status();
  std::map<std::string, int> percentile;
  std::vector<std::string> codes;
  for (const NotifiableDisease& d : *listed) {
    codes.push_back(d.entry->code);
    if (d.entry->detection == DetectionMethod::kMovingPercentile) {
      percentile[d.entry->code] = d.entry->percentile;
    }
  }
  const std::size_t length = DailySeriesLength();
  const Date from = AddDays(as_of, -static_cast<int>(length - 1));
  std::map<std::pair<std::string, std::string>, std::map<int, std::int64_t>> counts;
  std::vector<std::pair<CardFact, Date>> recent;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    counts = SignalStore::DailyCounts(s, from, as_of);
    recent = SignalStore::CardsReported(s, codes, AddDays(as_of, -6), as_of);
    return Status::Ok();
  }));
  DailyRunReport report;
  report.as_of = as_of;
  auto tally = [&](Result<bool> r) -> Status {
    if (!r.ok()) return r.status();
    (*r ? report.raised : report.already) += 1;
    return Status::Ok();
  };
  std::vector<std::int64_t> series(length);
  for (const auto& [key, days] : counts) {
    auto p = percentile.find(key.first);
    if (p == percentile.end()) continue;
    std::fill(series.begin(), series.end(), 0);
    for (const auto& [day, n] : days) {
      if (day >= 0 && static_cast<std::size_t>(day) < length) series[day] = n;
    }
    ++report.series;
    for (const SignalDraft& d : DailySignals(series, as_of, key.first, key.second, p->second)) {
      JD_RETURN_IF_ERROR(tally(Raise(who, d)));
    }
  }
  // The on-save rules again over the week's cards: a listener that failed is caught up here.
  for (const auto& [card, day] : recent) {
    int raised = 0;
    JD_RETURN_IF_ERROR(RunCardRules(who, card, day, raised));
    report.raised += raised;
  }
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "signal.run",
                          .object_type = "signal",
                          .detail = fmt::format("as_of={} series={} raised={}", FormatDate(as_of),
                                                report.series, report.raised)}));
  return report;
}

Result<std::vector<SignalView>> SignalService::List(const Principal& who, SignalQuery q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDiseaseRead));
  const auth::Scope scope = auth::ScopeOf(who);
  q.hidden_diseases = HiddenFor(who);
  const std::string now = FormatTimestamp(clock_.Now());
  std::vector<SignalView> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (Signal& sig : SignalStore::ListSignals(s, scope, q)) {
      SignalView v;
      v.overdue = sig.status == SignalStatus::kOpen && sig.verify_due_at < now;
      v.signal = std::move(sig);
      out.push_back(std::move(v));
    }
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "signal.list",
                          .object_type = "signal",
                          .detail = fmt::format("status={} district={} disease={} rows={}",
                                                q.status ? SignalStatusCode(*q.status) : "",
                                                q.district_code, q.disease_code, out.size())}));
  return out;
}

Result<SignalView> SignalService::Get(const Principal& who, const std::string& id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDiseaseRead));
  if (!IsUuid(id)) return SignalNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<Signal> row;
  std::vector<CardBrief> cards;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    row = SignalStore::GetSignal(s, scope, id);
    if (row && !Hidden(who, row->disease_code)) cards = SignalStore::CardBriefs(s, row->card_ids);
    return Status::Ok();
  }));
  const auth::AuditEvent what{.action = "signal.read", .object_type = "signal", .object_id = id};
  if (row.outside_scope()) return auth::RefuseOutsideScope(audit_, who, what, SignalNotFound());
  if (!row) return SignalNotFound();
  if (Hidden(who, row->disease_code)) {
    auth::AuditEvent denied = what;
    denied.detail = "hiv_tb_care required";
    return auth::RefuseOutsideScope(audit_, who, denied, SignalNotFound());
  }
  SignalView v;
  for (const CardBrief& c : cards) {
    v.cards.push_back({c.id, registry::MaskName(c.patient_name), c.onset_date, c.status});
  }
  v.overdue =
      row->status == SignalStatus::kOpen && row->verify_due_at < FormatTimestamp(clock_.Now());
  v.signal = *std::move(row).release();
  auth::AuditEvent ok = what;
  ok.detail = SignalDetail(v.signal);
  JD_RETURN_IF_ERROR(audit_.Record(who, ok));
  return v;
}

Result<SignalSummary> SignalService::Summary(const Principal& who) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDiseaseRead));
  const auth::Scope scope = auth::ScopeOf(who);
  const std::vector<std::string> hidden = HiddenFor(who);
  const Date today = clock_.Today();
  const Date year_start{today.year(), std::chrono::January, std::chrono::day{1}};
  SignalSummary out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    SignalCounts c = SignalStore::CountOpen(s, scope, hidden, FormatTimestamp(clock_.Now()));
    out.open = c.open;
    out.overdue = c.overdue;
    EventQuery q;
    q.open_only = true;
    q.hidden_diseases = hidden;
    q.limit = 100000;
    out.events_open = static_cast<int>(SignalStore::ListEvents(s, scope, q).size());
    EventTally t = SignalStore::TallyEvents(s, scope, year_start, today);
    out.events = t.events;
    out.events_handled = t.handled;
    return Status::Ok();
  }));
  return out;
}

EventView SignalService::ViewOf(soci::session& s, DiseaseEvent e) const {
  EventView v;
  EventTimes t;
  for (const Signal& sig : SignalStore::SignalsOfEvent(s, e.id)) {
    v.signal_ids.push_back(sig.id);
    if (sig.id == e.signal_id) {
      t.signal_raised = TimeOf(sig.raised_at).value_or(Instant{});
      t.signal_verified = TimeOf(sig.verified_at);
    }
  }
  t.opened = TimeOf(e.opened_at).value_or(Instant{});
  t.investigated = TimeOf(e.investigated_at);
  t.measures = TimeOf(e.measures_at);
  t.closed = TimeOf(e.closed_at);
  t.closure_note = !e.closure_note.empty();
  v.steps = StepsOf(t, policy_);
  v.event = std::move(e);
  return v;
}

Result<std::vector<EventView>> SignalService::ListEvents(const Principal& who, EventQuery q) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDiseaseRead));
  const auth::Scope scope = auth::ScopeOf(who);
  q.hidden_diseases = HiddenFor(who);
  std::vector<EventView> out;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    for (DiseaseEvent& e : SignalStore::ListEvents(s, scope, q)) {
      out.push_back(ViewOf(s, std::move(e)));
    }
    return Status::Ok();
  }));
  JD_RETURN_IF_ERROR(
      audit_.Record(who, {.action = "event.list",
                          .object_type = "disease_event",
                          .detail = fmt::format("open_only={} rows={}", q.open_only, out.size())}));
  return out;
}

Result<EventView> SignalService::GetEvent(const Principal& who, const std::string& id) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kDiseaseRead));
  if (!IsUuid(id)) return EventNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  auth::ScopedRow<DiseaseEvent> row;
  std::optional<EventView> view;
  JD_RETURN_IF_ERROR(db_.Read([&](soci::session& s) {
    row = SignalStore::GetEvent(s, scope, id);
    if (row) view = ViewOf(s, *row);
    return Status::Ok();
  }));
  auth::AuditEvent what{.action = "event.read", .object_type = "disease_event", .object_id = id};
  if (row.outside_scope()) return auth::RefuseOutsideScope(audit_, who, what, EventNotFound());
  if (!row) return EventNotFound();
  if (Hidden(who, row->disease_code)) {
    what.detail = "hiv_tb_care required";
    return auth::RefuseOutsideScope(audit_, who, what, EventNotFound());
  }
  what.detail = EventDetail(*row);
  JD_RETURN_IF_ERROR(audit_.Record(who, what));
  return *std::move(view);
}

Result<SignalView> SignalService::Verify(const Principal& who, const std::string& id,
                                         const VerifyInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kSignalRespond));
  if (!IsUuid(id)) return SignalNotFound();
  if (in.outcome == VerifyOutcome::kExcluded && in.note.empty()) {
    return Status::Invalid({{"note", "required", "排除信号须说明理由",
                             "a signal is excluded with a note saying why"}});
  }
  const auth::Scope scope = auth::ScopeOf(who);
  const std::string now = FormatTimestamp(clock_.Now());
  bool outside = false;
  std::optional<SignalView> out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = SignalStore::GetSignal(s, scope, id);
    outside = row.outside_scope() || (row && Hidden(who, row->disease_code));
    if (!row || outside) return SignalNotFound();
    Signal sig = *row;
    if (sig.status != SignalStatus::kOpen) {
      return Status::FailedPrecondition(
          "the signal was already verified (" + std::string(SignalStatusCode(sig.status)) + ")",
          "该信号已核实，不能再次核实");
    }
    sig.verified_at = now;
    sig.verified_by = auth::ActorRef(who);
    sig.note = in.note;
    sig.version = row->version + 1;
    sig.status = in.outcome == VerifyOutcome::kExcluded   ? SignalStatus::kExcluded
                 : in.outcome == VerifyOutcome::kVerified ? SignalStatus::kVerified
                                                          : SignalStatus::kEventOpened;
    if (in.outcome == VerifyOutcome::kEvent) {
      DiseaseEvent e = NewEvent(sig, in.event_kind, now, who);
      SignalStore::InsertEvent(s, e);
      sig.event_id = e.id;
      JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                       {.action = "event.open",
                                        .object_type = "disease_event",
                                        .object_id = e.id,
                                        .detail = EventDetail(e)}));
    }
    if (!SignalStore::UpdateSignal(s, scope, sig, row->version)) return StaleVersion();
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "signal.verify",
                                      .object_type = "signal",
                                      .object_id = sig.id,
                                      .detail = SignalDetail(sig)}));
    SignalView v;
    for (const CardBrief& c : SignalStore::CardBriefs(s, sig.card_ids)) {
      v.cards.push_back({c.id, registry::MaskName(c.patient_name), c.onset_date, c.status});
    }
    v.signal = std::move(sig);
    out = std::move(v);
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = "signal.verify", .object_type = "signal", .object_id = id},
        SignalNotFound());
  }
  if (!st.ok()) return st;
  return *std::move(out);
}

Result<EventView> SignalService::OpenEvent(const Principal& who, const OpenEventInput& in) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kSignalRespond));
  auto bad = [](std::string zh, std::string en) {
    return Status::Invalid({{"signal_ids", "invalid_value", std::move(zh), std::move(en)}});
  };
  if (in.signal_ids.empty()) {
    return Status::Invalid(
        {{"signal_ids", "required", "请选择至少一个预警信号", "name at least one signal"}});
  }
  const auth::Scope scope = auth::ScopeOf(who);
  const std::string now = FormatTimestamp(clock_.Now());
  std::optional<EventView> out;
  bool outside = false;
  Status st = db_.Write([&](soci::session& s) -> Status {
    std::vector<Signal> signals;
    for (const std::string& id : in.signal_ids) {
      auto row = IsUuid(id) ? SignalStore::GetSignal(s, scope, id) : auth::ScopedRow<Signal>();
      if (row.outside_scope() || (row && Hidden(who, row->disease_code))) outside = true;
      if (!row || outside) return SignalNotFound();
      if (row->status != SignalStatus::kOpen && row->status != SignalStatus::kVerified) {
        return bad("信号已排除或已立为事件：" + id,
                   "the signal is excluded or has an event: " + id);
      }
      if (!signals.empty() && (row->disease_code != signals[0].disease_code ||
                               row->district_code != signals[0].district_code)) {
        return bad("一个事件的信号须为同一病种、同一区县",
                   "the signals of one event are of one disease and one district");
      }
      signals.push_back(*std::move(row).release());
    }
    DiseaseEvent e = NewEvent(signals[0], in.kind, now, who);
    SignalStore::InsertEvent(s, e);
    for (Signal& sig : signals) {
      const int version = sig.version;
      if (sig.verified_at.empty()) {
        sig.verified_at = now;
        sig.verified_by = auth::ActorRef(who);
      }
      if (!in.note.empty()) sig.note = in.note;
      sig.status = SignalStatus::kEventOpened;
      sig.event_id = e.id;
      sig.version = version + 1;
      if (!SignalStore::UpdateSignal(s, scope, sig, version)) return StaleVersion();
    }
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = "event.open",
                                      .object_type = "disease_event",
                                      .object_id = e.id,
                                      .detail = EventDetail(e)}));
    out = ViewOf(s, std::move(e));
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(audit_, who, {.action = "event.open", .object_type = "signal"},
                                    SignalNotFound());
  }
  if (!st.ok()) return st;
  return *std::move(out);
}

Result<EventView> SignalService::ChangeEvent(const Principal& who, const std::string& id,
                                             int expected_version, const char* action,
                                             const std::function<Status(DiseaseEvent&)>& apply) {
  JD_RETURN_IF_ERROR(auth::Require(who, Permission::kSignalRespond));
  if (!IsUuid(id)) return EventNotFound();
  const auth::Scope scope = auth::ScopeOf(who);
  bool outside = false;
  std::optional<EventView> out;
  Status st = db_.Write([&](soci::session& s) -> Status {
    auto row = SignalStore::GetEvent(s, scope, id);
    outside = row.outside_scope() || (row && Hidden(who, row->disease_code));
    if (!row || outside) return EventNotFound();
    if (row->version != expected_version) return StaleVersion();
    if (!row->closed_at.empty()) {
      return Status::FailedPrecondition("the event is closed", "该事件已结案，不能再修改");
    }
    DiseaseEvent e = *row;
    JD_RETURN_IF_ERROR(apply(e));
    if (!e.closed_at.empty()) e.handled_to_standard = HandledToStandard(ViewOf(s, e).steps);
    e.version = expected_version + 1;
    if (!SignalStore::UpdateEvent(s, scope, e, expected_version)) return StaleVersion();
    JD_RETURN_IF_ERROR(audit_.Append(s, who,
                                     {.action = action,
                                      .object_type = "disease_event",
                                      .object_id = id,
                                      .detail = EventDetail(e)}));
    out = ViewOf(s, std::move(e));
    return Status::Ok();
  });
  if (outside) {
    return auth::RefuseOutsideScope(
        audit_, who, {.action = action, .object_type = "disease_event", .object_id = id},
        EventNotFound());
  }
  if (!st.ok()) return st;
  return *std::move(out);
}

Result<EventView> SignalService::UpdateEvent(const Principal& who, const std::string& id,
                                             const EventChange& change, int expected_version) {
  const std::string now = FormatTimestamp(clock_.Now());
  return ChangeEvent(who, id, expected_version, "event.update", [&](DiseaseEvent& e) {
    // A step is timed when it is first recorded; later edits keep that time.
    if (change.investigation) {
      e.investigation = *change.investigation;
      if (e.investigated_at.empty() && !e.investigation.empty()) e.investigated_at = now;
    }
    if (change.measures) {
      e.measures = *change.measures;
      if (e.measures_at.empty() && !e.measures.empty()) e.measures_at = now;
    }
    if (change.kind) e.kind = *change.kind;
    return Status::Ok();
  });
}

Result<EventView> SignalService::CloseEvent(const Principal& who, const std::string& id,
                                            const std::string& closure_note, int expected_version) {
  if (closure_note.empty()) {
    return Status::Invalid({{"closure_note", "required", "结案须填写结案说明",
                             "an event is closed with a closure note"}});
  }
  const Instant now = clock_.Now();
  return ChangeEvent(who, id, expected_version, "event.close", [&](DiseaseEvent& e) {
    e.closed_at = FormatTimestamp(now);
    e.closed_by = auth::ActorRef(who);
    e.closure_note = closure_note;
    return Status::Ok();
  });
}

}  // namespace jd::disease

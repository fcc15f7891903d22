#include "maternal/store.h"

#include <algorithm>

#include "core/code_list.h"

namespace jd::maternal {

namespace {

using storage::RowInt64;

constexpr const char* kColumns =
    "g.id, g.person_id, g.clinic_code, g.lmp, g.edd, g.dating_method, g.ultrasound_date, "
    "g.ultrasound_ga_days, g.registered_on, g.gravidity, g.parity, g.risk_colour, "
    "g.risk_coexisting, g.risk_assessed_on, g.high_risk, g.delivered_on, g.discharged_on, "
    "g.delivery_mode, g.delivery_place, g.live_births, g.ended_on, g.end_reason, g.closed_on, "
    "g.next_due_on, g.antenatal_visits, g.version, g.created_at, g.created_by, g.updated_at, "
    "g.updated_by, p.residence_path, p.name, p.residence_org";
constexpr std::size_t kPathColumn = 30;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}
std::optional<Date> OptDate(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseDate(r.get<std::string>(i));
}
std::optional<long long> OptInt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return RowInt64(r, i);
}
std::optional<double> OptDouble(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  if (r.get_properties(i).get_data_type() == soci::dt_double) return r.get<double>(i);
  return static_cast<double>(RowInt64(r, i));
}

Pregnancy ReadPregnancy(const soci::row& r) {
  Pregnancy g;
  g.id = r.get<std::string>(0);
  g.person_id = r.get<std::string>(1);
  g.clinic_code = r.get<std::string>(2);
  g.dating.lmp = ParseDate(r.get<std::string>(3)).value_or(Date{});
  g.dating.edd = ParseDate(r.get<std::string>(4)).value_or(Date{});
  g.dating.method = ParseDatingMethod(r.get<std::string>(5)).value_or(DatingMethod::kLmp);
  g.ultrasound_date = OptDate(r, 6);
  if (auto ga = OptInt(r, 7)) g.ultrasound_ga = GestationalAge{static_cast<int>(*ga)};
  g.registered_on = ParseDate(r.get<std::string>(8)).value_or(Date{});
  g.gravidity = static_cast<int>(RowInt64(r, 9));
  g.parity = static_cast<int>(RowInt64(r, 10));
  g.risk_colour = r.get<std::string>(11);
  g.risk_coexisting = SplitCodes(Text(r, 12));
  g.risk_assessed_on = OptDate(r, 13);
  g.high_risk = RowInt64(r, 14) != 0;
  g.delivered_on = OptDate(r, 15);
  g.discharged_on = OptDate(r, 16);
  g.delivery_mode = ParseDeliveryMode(Text(r, 17));
  g.delivery_place = Text(r, 18);
  if (auto n = OptInt(r, 19)) g.live_births = static_cast<int>(*n);
  g.ended_on = OptDate(r, 20);
  g.end_reason = ParseEndReason(Text(r, 21));
  g.closed_on = OptDate(r, 22);
  g.next_due_on = OptDate(r, 23);
  g.antenatal_visits = static_cast<int>(RowInt64(r, 24));
  g.version = static_cast<int>(RowInt64(r, 25));
  g.created_at = r.get<std::string>(26);
  g.created_by = r.get<std::string>(27);
  g.updated_at = r.get<std::string>(28);
  g.updated_by = r.get<std::string>(29);
  return g;
}

// A pregnancy as bindable values, NULL where a value is absent.
struct Bound {
  std::string id, person_id, clinic, lmp, edd, method, us_date, registered, colour, coexisting,
      assessed, delivered, discharged, mode, place, ended, reason, closed, next_due, created_at,
      created_by, updated_at, updated_by;
  int us_ga = 0, gravidity = 1, parity = 0, high_risk = 0, births = 0, visits = 0, version = 1;
  soci::indicator i_us_date = soci::i_null, i_us_ga = soci::i_null, i_assessed = soci::i_null,
                  i_delivered = soci::i_null, i_discharged = soci::i_null, i_mode = soci::i_null,
                  i_place = soci::i_null, i_births = soci::i_null, i_ended = soci::i_null,
                  i_reason = soci::i_null, i_closed = soci::i_null, i_next = soci::i_null;

  explicit Bound(const Pregnancy& g) {
    auto date = [](const std::optional<Date>& d, std::string& out, soci::indicator& ind) {
      out = d ? FormatDate(*d) : std::string();
      ind = d ? soci::i_ok : soci::i_null;
    };
    id = g.id;
    person_id = g.person_id;
    clinic = g.clinic_code;
    lmp = FormatDate(g.dating.lmp);
    edd = FormatDate(g.dating.edd);
    method = std::string(DatingMethodCode(g.dating.method));
    date(g.ultrasound_date, us_date, i_us_date);
    if (g.ultrasound_ga) {
      us_ga = g.ultrasound_ga->total_days;
      i_us_ga = soci::i_ok;
    }
    registered = FormatDate(g.registered_on);
    gravidity = g.gravidity;
    parity = g.parity;
    colour = g.risk_colour;
    coexisting = JoinCodes(g.risk_coexisting);
    date(g.risk_assessed_on, assessed, i_assessed);
    high_risk = g.high_risk ? 1 : 0;
    date(g.delivered_on, delivered, i_delivered);
    date(g.discharged_on, discharged, i_discharged);
    if (g.delivery_mode) {
      mode = std::string(DeliveryModeCode(*g.delivery_mode));
      i_mode = soci::i_ok;
    }
    place = g.delivery_place;
    i_place = storage::NullIfEmpty(place);
    if (g.live_births) {
      births = *g.live_births;
      i_births = soci::i_ok;
    }
    date(g.ended_on, ended, i_ended);
    if (g.end_reason) {
      reason = std::string(EndReasonCode(*g.end_reason));
      i_reason = soci::i_ok;
    }
    date(g.closed_on, closed, i_closed);
    date(g.next_due_on, next_due, i_next);
    visits = g.antenatal_visits;
    version = g.version;
    created_at = g.created_at;
    created_by = g.created_by;
    updated_at = g.updated_at;
    updated_by = g.updated_by;
  }
};

}  // namespace

std::string JoinCodes(const std::vector<std::string>& codes) { return jd::JoinCodes(codes); }

std::vector<std::string> SplitCodes(const std::string& text) { return jd::SplitCodes(text); }

auth::ScopedRow<Pregnancy> PregnancyStore::Get(soci::session& s, const auth::Scope& scope,
                                               const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM pregnancies g JOIN persons p ON p.id = g.person_id WHERE g.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kPathColumn))) {
      return auth::ScopedRow<Pregnancy>::Outside();
    }
    return auth::ScopedRow<Pregnancy>::Found(ReadPregnancy(r));
  }
  return {};
}

std::vector<Pregnancy> PregnancyStore::ListForPerson(soci::session& s, const auth::Scope& scope,
                                                     const std::string& person_id) {
  const auth::PathRange range = scope.Range();
  std::vector<Pregnancy> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM pregnancies g JOIN persons p ON p.id = g.person_id "
                        "WHERE g.person_id = :p AND p.residence_path >= :lo AND "
                        "p.residence_path < :hi ORDER BY g.registered_on DESC, g.id",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadPregnancy(r));
  return out;
}

bool PregnancyStore::HasOpen(soci::session& s, const std::string& person_id) {
  int n = 0;
  s << "SELECT COUNT(*) FROM pregnancies WHERE person_id = :p AND closed_on IS NULL",
      soci::use(person_id), soci::into(n);
  return n > 0;
}

void PregnancyStore::Insert(soci::session& s, const Pregnancy& g) {
  Bound b(g);
  s << "INSERT INTO pregnancies(id, person_id, clinic_code, lmp, edd, dating_method, "
       "ultrasound_date, ultrasound_ga_days, registered_on, gravidity, parity, risk_colour, "
       "risk_coexisting, risk_assessed_on, high_risk, delivered_on, discharged_on, delivery_mode, "
       "delivery_place, live_births, ended_on, end_reason, closed_on, next_due_on, "
       "antenatal_visits, version, created_at, created_by, updated_at, updated_by) VALUES (:id, "
       ":person, :clinic, :lmp, :edd, :method, :usd, :usga, :reg, :grav, :par, :colour, :coex, "
       ":assessed, :high, :delivered, :discharged, :mode, :place, :births, :ended, :reason, "
       ":closed, :next, :visits, :version, :ca, :cb, :ua, :ub)",
      soci::use(b.id), soci::use(b.person_id), soci::use(b.clinic), soci::use(b.lmp),
      soci::use(b.edd), soci::use(b.method), soci::use(b.us_date, b.i_us_date),
      soci::use(b.us_ga, b.i_us_ga), soci::use(b.registered), soci::use(b.gravidity),
      soci::use(b.parity), soci::use(b.colour), soci::use(b.coexisting),
      soci::use(b.assessed, b.i_assessed), soci::use(b.high_risk),
      soci::use(b.delivered, b.i_delivered), soci::use(b.discharged, b.i_discharged),
      soci::use(b.mode, b.i_mode), soci::use(b.place, b.i_place), soci::use(b.births, b.i_births),
      soci::use(b.ended, b.i_ended), soci::use(b.reason, b.i_reason),
      soci::use(b.closed, b.i_closed), soci::use(b.next_due, b.i_next), soci::use(b.visits),
      soci::use(b.version), soci::use(b.created_at), soci::use(b.created_by),
      soci::use(b.updated_at), soci::use(b.updated_by);
}

bool PregnancyStore::Update(soci::session& s, const auth::Scope& scope, const Pregnancy& g,
                            int expected_version) {
  Bound b(g);
  const auth::PathRange range = scope.Range();
  soci::statement st =
      (s.prepare << "UPDATE pregnancies SET clinic_code = :clinic, lmp = :lmp, edd = :edd, "
                    "dating_method = :method, ultrasound_date = :usd, ultrasound_ga_days = :usga, "
                    "registered_on = :reg, gravidity = :grav, parity = :par, risk_colour = "
                    ":colour, risk_coexisting = :coex, risk_assessed_on = :assessed, high_risk = "
                    ":high, delivered_on = :delivered, discharged_on = :discharged, "
                    "delivery_mode = :mode, delivery_place = :place, live_births = :births, "
                    "ended_on = :ended, end_reason = :reason, closed_on = :closed, next_due_on = "
                    ":next, antenatal_visits = :visits, version = :version, updated_at = :ua, "
                    "updated_by = :ub WHERE id = :id AND version = :ev AND person_id IN (SELECT id "
                    "FROM persons WHERE residence_path >= :lo AND residence_path < :hi)",
       soci::use(b.clinic), soci::use(b.lmp), soci::use(b.edd), soci::use(b.method),
       soci::use(b.us_date, b.i_us_date), soci::use(b.us_ga, b.i_us_ga), soci::use(b.registered),
       soci::use(b.gravidity), soci::use(b.parity), soci::use(b.colour), soci::use(b.coexisting),
       soci::use(b.assessed, b.i_assessed), soci::use(b.high_risk),
       soci::use(b.delivered, b.i_delivered), soci::use(b.discharged, b.i_discharged),
       soci::use(b.mode, b.i_mode), soci::use(b.place, b.i_place), soci::use(b.births, b.i_births),
       soci::use(b.ended, b.i_ended), soci::use(b.reason, b.i_reason),
       soci::use(b.closed, b.i_closed), soci::use(b.next_due, b.i_next), soci::use(b.visits),
       soci::use(b.version), soci::use(b.updated_at), soci::use(b.updated_by), soci::use(b.id),
       soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

void PregnancyStore::InsertVisit(soci::session& s, const PregnancyVisit& v) {
  const VisitMeasures& m = v.measures;
  std::string kind(VisitKindCode(v.kind)), date = FormatDate(v.date);
  int ga = v.ga ? v.ga->total_days : 0, sys = m.systolic.value_or(0), dia = m.diastolic.value_or(0),
      fhr = m.fetal_heart_rate.value_or(0);
  double weight = m.weight_kg.value_or(0), fundal = m.fundal_height_cm.value_or(0),
         hb = m.haemoglobin_g_l.value_or(0);
  auto ind = [](bool present) { return present ? soci::i_ok : soci::i_null; };
  soci::indicator i_ga = ind(v.ga.has_value()), i_sys = ind(m.systolic.has_value()),
                  i_dia = ind(m.diastolic.has_value()), i_fhr = ind(m.fetal_heart_rate.has_value()),
                  i_weight = ind(m.weight_kg.has_value()),
                  i_fundal = ind(m.fundal_height_cm.has_value()),
                  i_hb = ind(m.haemoglobin_g_l.has_value()),
                  i_urine = storage::NullIfEmpty(m.urine_protein);
  s << "INSERT INTO pregnancy_visits(id, pregnancy_id, kind, visit_date, ga_days, clinic_code, "
       "systolic, diastolic, weight_kg, fundal_height_cm, fetal_heart_rate, haemoglobin_g_l, "
       "urine_protein, advice, recorded_at, recorded_by) VALUES (:id, :g, :kind, :date, :ga, "
       ":clinic, :sys, :dia, :w, :f, :fhr, :hb, :urine, :advice, :at, :by)",
      soci::use(v.id), soci::use(v.pregnancy_id), soci::use(kind), soci::use(date),
      soci::use(ga, i_ga), soci::use(v.clinic_code), soci::use(sys, i_sys), soci::use(dia, i_dia),
      soci::use(weight, i_weight), soci::use(fundal, i_fundal), soci::use(fhr, i_fhr),
      soci::use(hb, i_hb), soci::use(m.urine_protein, i_urine), soci::use(m.advice),
      soci::use(v.recorded_at), soci::use(v.recorded_by);
}

std::vector<PregnancyVisit> PregnancyStore::Visits(soci::session& s,
                                                   const std::string& pregnancy_id) {
  std::vector<PregnancyVisit> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, pregnancy_id, kind, visit_date, ga_days, clinic_code, systolic, "
                    "diastolic, weight_kg, fundal_height_cm, fetal_heart_rate, haemoglobin_g_l, "
                    "urine_protein, advice, recorded_at, recorded_by FROM pregnancy_visits "
                    "WHERE pregnancy_id = :g ORDER BY visit_date, recorded_at, id",
       soci::use(pregnancy_id));
  for (const auto& r : rows) {
    PregnancyVisit v;
    v.id = r.get<std::string>(0);
    v.pregnancy_id = r.get<std::string>(1);
    v.kind = ParseVisitKind(r.get<std::string>(2)).value_or(VisitKind::kAntenatal);
    v.date = ParseDate(r.get<std::string>(3)).value_or(Date{});
    if (auto ga = OptInt(r, 4)) v.ga = GestationalAge{static_cast<int>(*ga)};
    v.clinic_code = r.get<std::string>(5);
    auto as_int = [](std::optional<long long> x) {
      return x ? std::optional<int>(static_cast<int>(*x)) : std::nullopt;
    };
    v.measures.systolic = as_int(OptInt(r, 6));
    v.measures.diastolic = as_int(OptInt(r, 7));
    v.measures.weight_kg = OptDouble(r, 8);
    v.measures.fundal_height_cm = OptDouble(r, 9);
    v.measures.fetal_heart_rate = as_int(OptInt(r, 10));
    v.measures.haemoglobin_g_l = OptDouble(r, 11);
    v.measures.urine_protein = Text(r, 12);
    v.measures.advice = Text(r, 13);
    v.recorded_at = r.get<std::string>(14);
    v.recorded_by = r.get<std::string>(15);
    out.push_back(std::move(v));
  }
  return out;
}

void PregnancyStore::InsertNewborn(soci::session& s, const std::string& pregnancy_id,
                                   const Newborn& n) {
  int weight = n.birth_weight_g.value_or(0);
  double length = n.birth_length_cm.value_or(0);
  soci::indicator i_weight = n.birth_weight_g ? soci::i_ok : soci::i_null,
                  i_length = n.birth_length_cm ? soci::i_ok : soci::i_null;
  s << "INSERT INTO pregnancy_newborns(pregnancy_id, seq, person_id, birth_weight_g, "
       "birth_length_cm) VALUES (:g, :seq, :p, :w, :l)",
      soci::use(pregnancy_id), soci::use(n.seq), soci::use(n.person_id),
      soci::use(weight, i_weight), soci::use(length, i_length);
}

std::vector<Newborn> PregnancyStore::Newborns(soci::session& s, const auth::Scope& scope,
                                              const std::string& pregnancy_id) {
  std::vector<Newborn> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT n.seq, n.person_id, n.birth_weight_g, n.birth_length_cm, p.name, "
                    "p.sex, p.residence_path FROM pregnancy_newborns n JOIN persons p ON p.id = "
                    "n.person_id WHERE n.pregnancy_id = :g ORDER BY n.seq",
       soci::use(pregnancy_id));
  for (const auto& r : rows) {
    Newborn n;
    n.seq = static_cast<int>(RowInt64(r, 0));
    n.person_id = r.get<std::string>(1);
    if (auto w = OptInt(r, 2)) n.birth_weight_g = static_cast<int>(*w);
    n.birth_length_cm = OptDouble(r, 3);
    // A child who now lives elsewhere is listed by id only.
    if (scope.Covers(r.get<std::string>(6))) n.name = r.get<std::string>(4);
    n.sex = r.get<std::string>(5) == "M" ? registry::Sex::kMale : registry::Sex::kFemale;
    out.push_back(std::move(n));
  }
  return out;
}

void PregnancyStore::InsertAssessment(soci::session& s, const StoredAssessment& a) {
  std::string date = FormatDate(a.assessed_on), coexisting = JoinCodes(a.coexisting),
              conditions = JoinCodes(a.conditions), derived = JoinCodes(a.derived),
              stated = a.stated_colour.value_or("");
  soci::indicator i_stated = storage::NullIfEmpty(stated);
  s << "INSERT INTO risk_assessments(id, pregnancy_id, assessed_on, colour, coexisting, "
       "conditions, derived, stated_colour, colour_set, recorded_at, recorded_by) VALUES (:id, "
       ":g, :d, :colour, :coex, :cond, :der, :stated, :set, :at, :by)",
      soci::use(a.id), soci::use(a.pregnancy_id), soci::use(date), soci::use(a.colour),
      soci::use(coexisting), soci::use(conditions), soci::use(derived), soci::use(stated, i_stated),
      soci::use(a.colour_set), soci::use(a.recorded_at), soci::use(a.recorded_by);
}

std::vector<StoredAssessment> PregnancyStore::Assessments(soci::session& s,
                                                          const std::string& pregnancy_id) {
  std::vector<StoredAssessment> out;
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT id, pregnancy_id, assessed_on, colour, coexisting, conditions, "
              "derived, stated_colour, colour_set, recorded_at, recorded_by FROM "
              "risk_assessments WHERE pregnancy_id = :g ORDER BY assessed_on, recorded_at, id",
       soci::use(pregnancy_id));
  for (const auto& r : rows) {
    StoredAssessment a;
    a.id = r.get<std::string>(0);
    a.pregnancy_id = r.get<std::string>(1);
    a.assessed_on = ParseDate(r.get<std::string>(2)).value_or(Date{});
    a.colour = r.get<std::string>(3);
    a.coexisting = SplitCodes(Text(r, 4));
    a.conditions = SplitCodes(Text(r, 5));
    a.derived = SplitCodes(Text(r, 6));
    if (std::string stated = Text(r, 7); !stated.empty()) a.stated_colour = stated;
    a.colour_set = r.get<std::string>(8);
    a.recorded_at = r.get<std::string>(9);
    a.recorded_by = r.get<std::string>(10);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<PregnancyListRow> PregnancyStore::Worklist(soci::session& s, const auth::Scope& scope,
                                                       const WorklistQuery& q) {
  const auth::PathRange range = scope.Range();
  int high_only = q.high_risk_only ? 1 : 0;
  int limit = std::clamp(q.limit, 1, 1000000);
  // The open pregnancies are walked in next_due_on order on their partial index (a city's open
  // pregnancies are few beside its persons) and each woman is looked up by id for the scope: CROSS
  // JOIN keeps SQLite from starting at the persons of the area instead, which reads every person
  // of a district to find its pregnant women (10x slower on a district of a 1,000,000-person city,
  // bench/RESULTS.md). The day is bound only when given, so that the index range is used.
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM pregnancies g CROSS JOIN persons p ON p.id = g.person_id "
                    "WHERE g.closed_on IS NULL AND p.residence_path >= :lo AND "
                    "p.residence_path < :hi AND (:high = 0 OR g.high_risk = 1 OR "
                    "g.risk_coexisting <> '')";
  std::string due_by = q.due_by ? FormatDate(*q.due_by) : std::string();
  if (q.due_by) sql += " AND g.next_due_on <= :due";
  sql += " ORDER BY g.next_due_on, g.id LIMIT :limit";
  std::vector<PregnancyListRow> out;
  auto read = [&](soci::rowset<soci::row>& rows) {
    for (const auto& r : rows) {
      // The range filter is the scope; Covers also checks whole path segments.
      if (!scope.Covers(r.get<std::string>(kPathColumn))) continue;
      out.push_back({ReadPregnancy(r), r.get<std::string>(31), r.get<std::string>(32)});
    }
  };
  if (q.due_by) {
    soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(range.lo), soci::use(range.hi),
                                    soci::use(high_only), soci::use(due_by), soci::use(limit));
    read(rows);
  } else {
    soci::rowset<soci::row> rows = (s.prepare << sql, soci::use(range.lo), soci::use(range.hi),
                                    soci::use(high_only), soci::use(limit));
    read(rows);
  }
  return out;
}

}  // namespace jd::maternal

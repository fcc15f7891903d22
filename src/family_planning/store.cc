// The SQL of the family-planning records (family_planning/store.h).
#include "family_planning/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace jd::family_planning {

namespace {

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

long long Int(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? 0 : storage::RowInt64(r, i);
}

// How one kind is kept: its table and the columns read into Entry's common members.
struct Spec {
  RecordKind kind;
  const char* code;
  const char* table;
  const char* code_column;
  const char* date_column;
  const char* point;     // "x.point_id" or "NULL"
  const char* ended;     // "x.ended_on" or "NULL"
  const char* quantity;  // "x.quantity" or "0"
  const char* result;    // "x.result" or "''"
  const char* note;      // "x.note" or "''"
};

constexpr std::array<Spec, 5> kSpecs = {{
    {RecordKind::kMethod, "method", "fp_methods", "method", "started_on", "NULL", "x.ended_on", "0",
     "''", "x.note"},
    {RecordKind::kDistribution, "distribution", "fp_distributions", "item", "dispensed_on",
     "x.point_id", "NULL", "x.quantity", "''", "''"},
    {RecordKind::kProcedure, "procedure", "fp_procedures", "procedure", "done_on", "x.point_id",
     "NULL", "0", "''", "x.note"},
    {RecordKind::kCheck, "check", "fp_checks", "kind", "checked_on", "NULL", "NULL", "0",
     "x.result", "x.note"},
    {RecordKind::kGuidance, "guidance", "fp_guidance", "topic", "given_on", "NULL", "NULL", "0",
     "''", "''"},
}};

const Spec& SpecOf(RecordKind k) { return kSpecs[static_cast<std::size_t>(k)]; }

// The SELECT of a kind: Entry's members, then the person's residence path (16) and the point's
// org path (17) for the scope decision.
std::string Select(const Spec& sp) {
  return fmt::format(
      "SELECT x.id, x.person_id, {0}, pt.name, x.{1}, x.{2}, {3}, {4}, {5}, {6}, x.voided_at, "
      "x.voided_by, x.void_reason, x.recorded_at, x.recorded_by, x.org_path, p.residence_path, "
      "pt.org_path FROM {7} x LEFT JOIN persons p ON p.id = x.person_id LEFT JOIN service_points "
      "pt ON pt.id = {0} ",
      sp.point, sp.code_column, sp.date_column, sp.ended, sp.quantity, sp.result, sp.note,
      sp.table);
}

Entry ReadEntry(const Spec& sp, const soci::row& r) {
  Entry e;
  e.kind = sp.kind;
  e.id = r.get<std::string>(0);
  e.person_id = Text(r, 1);
  e.point_id = Text(r, 2);
  e.point_name = Text(r, 3);
  e.code = Text(r, 4);
  e.on = ParseDate(Text(r, 5)).value_or(Date{});
  if (auto d = Text(r, 6); !d.empty()) e.ended_on = ParseDate(d);
  e.quantity = static_cast<int>(Int(r, 7));
  e.result = Text(r, 8);
  e.note = Text(r, 9);
  e.voided_at = Text(r, 10);
  e.voided_by = Text(r, 11);
  e.void_reason = Text(r, 12);
  e.recorded_at = Text(r, 13);
  e.recorded_by = Text(r, 14);
  e.org_path = Text(r, 15);
  return e;
}

// Whether a row read by Select lies within `scope`: a person's by the person's residence, an
// anonymous distribution by its point.
bool Covered(const auth::Scope& scope, const soci::row& r) {
  if (r.get_indicator(1) != soci::i_null) return scope.Covers(Text(r, 16));
  return r.get_indicator(17) != soci::i_null && scope.Covers(Text(r, 17));
}

soci::indicator NullIf(bool empty) { return empty ? soci::i_null : soci::i_ok; }

}  // namespace

std::string_view RecordKindCode(RecordKind k) { return SpecOf(k).code; }

std::optional<RecordKind> ParseRecordKind(std::string_view code) {
  for (const auto& sp : kSpecs) {
    if (code == sp.code) return sp.kind;
  }
  return std::nullopt;
}

void FpStore::Insert(soci::session& s, const Entry& e) {
  const std::string on = FormatDate(e.on);
  soci::indicator person_ind = NullIf(e.person_id.empty());
  soci::indicator point_ind = NullIf(e.point_id.empty());
  switch (e.kind) {
    case RecordKind::kMethod: {
      const std::string ended = e.ended_on ? FormatDate(*e.ended_on) : std::string();
      soci::indicator ended_ind = NullIf(ended.empty());
      s << "INSERT INTO fp_methods(id, person_id, method, started_on, ended_on, note, "
           "recorded_at, recorded_by, org_path) VALUES (:id, :p, :m, :on, :end, :note, :at, :by, "
           ":path)",
          soci::use(e.id), soci::use(e.person_id), soci::use(e.code), soci::use(on),
          soci::use(ended, ended_ind), soci::use(e.note), soci::use(e.recorded_at),
          soci::use(e.recorded_by), soci::use(e.org_path);
      break;
    }
    case RecordKind::kDistribution:
      s << "INSERT INTO fp_distributions(id, point_id, person_id, item, quantity, dispensed_on, "
           "recorded_at, recorded_by, org_path) VALUES (:id, :pt, :p, :i, :q, :on, :at, :by, "
           ":path)",
          soci::use(e.id), soci::use(e.point_id, point_ind), soci::use(e.person_id, person_ind),
          soci::use(e.code), soci::use(e.quantity), soci::use(on), soci::use(e.recorded_at),
          soci::use(e.recorded_by), soci::use(e.org_path);
      break;
    case RecordKind::kProcedure:
      s << "INSERT INTO fp_procedures(id, person_id, procedure, done_on, point_id, note, "
           "recorded_at, recorded_by, org_path) VALUES (:id, :p, :c, :on, :pt, :note, :at, :by, "
           ":path)",
          soci::use(e.id), soci::use(e.person_id), soci::use(e.code), soci::use(on),
          soci::use(e.point_id, point_ind), soci::use(e.note), soci::use(e.recorded_at),
          soci::use(e.recorded_by), soci::use(e.org_path);
      break;
    case RecordKind::kCheck:
      s << "INSERT INTO fp_checks(id, person_id, kind, checked_on, result, note, recorded_at, "
           "recorded_by, org_path) VALUES (:id, :p, :k, :on, :r, :note, :at, :by, :path)",
          soci::use(e.id), soci::use(e.person_id), soci::use(e.code), soci::use(on),
          soci::use(e.result), soci::use(e.note), soci::use(e.recorded_at),
          soci::use(e.recorded_by), soci::use(e.org_path);
      break;
    case RecordKind::kGuidance:
      s << "INSERT INTO fp_guidance(id, person_id, given_on, topic, recorded_at, recorded_by, "
           "org_path) VALUES (:id, :p, :on, :t, :at, :by, :path)",
          soci::use(e.id), soci::use(e.person_id), soci::use(on), soci::use(e.code),
          soci::use(e.recorded_at), soci::use(e.recorded_by), soci::use(e.org_path);
      break;
  }
}

std::vector<Entry> FpStore::RecordOf(soci::session& s, const auth::Scope& scope,
                                     const std::string& person_id) {
  std::vector<Entry> out;
  if (scope.empty()) return out;
  for (const auto& sp : kSpecs) {
    soci::rowset<soci::row> rows =
        (s.prepare << Select(sp) +
                          fmt::format("WHERE x.person_id = :p ORDER BY x.{}, x.id", sp.date_column),
         soci::use(person_id));
    for (const auto& r : rows) {
      if (Covered(scope, r)) out.push_back(ReadEntry(sp, r));
    }
  }
  return out;
}

auth::ScopedRow<Entry> FpStore::Get(soci::session& s, const auth::Scope& scope, RecordKind kind,
                                    const std::string& id) {
  const Spec& sp = SpecOf(kind);
  soci::rowset<soci::row> rows = (s.prepare << Select(sp) + "WHERE x.id = :id", soci::use(id));
  for (const auto& r : rows) {
    if (!Covered(scope, r)) return auth::ScopedRow<Entry>::Outside();
    return auth::ScopedRow<Entry>::Found(ReadEntry(sp, r));
  }
  return {};
}

bool FpStore::Void(soci::session& s, RecordKind kind, const std::string& id, const std::string& at,
                   const std::string& by, const std::string& reason) {
  soci::statement st =
      (s.prepare << fmt::format("UPDATE {} SET voided_at = :at, voided_by = :by, void_reason = "
                                ":r WHERE id = :id AND voided_at IS NULL",
                                SpecOf(kind).table),
       soci::use(at), soci::use(by), soci::use(reason), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

int FpStore::QuantityInYear(soci::session& s, const std::string& person_id, const std::string& item,
                            int year) {
  const std::string from = fmt::format("{:04}-01-01", year), to = fmt::format("{:04}-12-31", year);
  long long total = 0;
  soci::indicator ind = soci::i_ok;
  s << "SELECT COALESCE(SUM(quantity), 0) FROM fp_distributions WHERE person_id = :p AND item = "
       ":i AND voided_at IS NULL AND dispensed_on >= :f AND dispensed_on <= :t",
      soci::into(total, ind), soci::use(person_id), soci::use(item), soci::use(from), soci::use(to);
  return static_cast<int>(total);
}

std::vector<Entry> FpStore::DistributionsAtPoints(soci::session& s, const auth::Scope& scope,
                                                  Date from, Date to, int limit) {
  std::vector<Entry> out;
  const auth::PathRange range = scope.Range();
  const Spec& sp = SpecOf(RecordKind::kDistribution);
  const std::string f = FormatDate(from), t = FormatDate(to);
  soci::rowset<soci::row> rows =
      (s.prepare << Select(sp) +
                        "WHERE pt.org_path >= :lo AND pt.org_path < :hi AND x.voided_at IS NULL "
                        "AND x.dispensed_on >= :f AND x.dispensed_on <= :t ORDER BY "
                        "x.dispensed_on DESC, x.id LIMIT :n",
       soci::use(range.lo), soci::use(range.hi), soci::use(f), soci::use(t), soci::use(limit));
  for (const auto& r : rows) {
    Entry e = ReadEntry(sp, r);
    if (!e.person_id.empty() && !scope.Covers(Text(r, 16))) e.person_id.clear();
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<RegisterRow> FpStore::Register(soci::session& s, const auth::Scope& scope,
                                           Date born_from, Date born_to, Date from, Date to) {
  std::vector<RegisterRow> out;
  if (scope.empty()) return out;
  const auth::PathRange range = scope.Range();
  const std::string bf = FormatDate(born_from), bt = FormatDate(born_to);
  const std::string f = FormatDate(from), t = FormatDate(to);
  std::map<std::string, std::size_t> index;
  {
    soci::rowset<soci::row> rows =
        (s.prepare << "SELECT id, name, residence_org, residence_path, marital_status, birth_date "
                      "FROM persons WHERE residence_path >= :lo AND residence_path < :hi AND "
                      "status = 'active' AND sex = 'F' AND birth_date >= :bf AND birth_date <= "
                      ":bt ORDER BY residence_path, name, id",
         soci::use(range.lo), soci::use(range.hi), soci::use(bf), soci::use(bt));
    for (const auto& r : rows) {
      RegisterRow w;
      w.person_id = r.get<std::string>(0);
      w.name = Text(r, 1);
      w.residence_org = Text(r, 2);
      w.residence_path = Text(r, 3);
      w.marital_status = Text(r, 4);
      w.birth = ParseDate(Text(r, 5)).value_or(Date{});
      index[w.person_id] = out.size();
      out.push_back(std::move(w));
    }
  }
  // The women's rows of one kind, in force; `all_days` reads every day, else those in [f, t].
  auto each = [&](RecordKind kind, bool all_days, const auto& take) {
    const Spec& sp = SpecOf(kind);
    std::string sql = Select(sp) +
                      "WHERE p.residence_path >= :lo AND p.residence_path < :hi AND p.sex = 'F' "
                      "AND x.voided_at IS NULL";
    std::string lo = all_days ? std::string("0000-01-01") : f, hi = all_days ? "9999-12-31" : t;
    sql += fmt::format(" AND x.{0} >= :f AND x.{0} <= :t ORDER BY x.{0}, x.id", sp.date_column);
    soci::rowset<soci::row> rows =
        (s.prepare << sql, soci::use(range.lo), soci::use(range.hi), soci::use(lo), soci::use(hi));
    for (const auto& r : rows) {
      auto it = index.find(Text(r, 1));
      if (it != index.end()) take(out[it->second], ReadEntry(sp, r));
    }
  };
  each(RecordKind::kMethod, true, [](RegisterRow& w, Entry e) {
    if (!e.ended_on) w.method = std::move(e);
  });
  each(RecordKind::kGuidance, false,
       [](RegisterRow& w, Entry e) { w.guidance_on.push_back(e.on); });
  each(RecordKind::kDistribution, false,
       [](RegisterRow& w, Entry e) { w.free_service_on.push_back(e.on); });
  each(RecordKind::kCheck, true, [](RegisterRow& w, Entry e) { w.checked_on.push_back(e.on); });
  each(RecordKind::kProcedure, true, [&](RegisterRow& w, Entry e) {
    if (!(e.on < from) && !(to < e.on)) w.free_service_on.push_back(e.on);
    w.procedures.push_back(std::move(e));
  });
  for (auto& w : out) std::sort(w.free_service_on.begin(), w.free_service_on.end());
  return out;
}

namespace {

constexpr const char* kFactColumns =
    "f.person_id, f.year, f.floating, f.practises_family_planning, f.hardship, "
    "f.only_child_certificate, f.children_born, f.living_children, f.child_disabled_grade_3, "
    "f.woman_age, f.recorded_at, f.recorded_by, f.org_path, p.name, p.id_number, p.residence_org, "
    "p.residence_path";

RewardFactsRow ReadFacts(const soci::row& r) {
  RewardFactsRow f;
  f.person_id = r.get<std::string>(0);
  f.year = static_cast<int>(Int(r, 1));
  f.floating = Int(r, 2) == 1;
  f.practises_family_planning = Int(r, 3) == 1;
  f.hardship = Int(r, 4) == 1;
  f.only_child_certificate = Int(r, 5) == 1;
  f.children_born = static_cast<int>(Int(r, 6));
  f.living_children = static_cast<int>(Int(r, 7));
  f.child_disabled_grade_3 = Int(r, 8) == 1;
  f.woman_age = static_cast<int>(Int(r, 9));
  f.recorded_at = Text(r, 10);
  f.recorded_by = Text(r, 11);
  f.org_path = Text(r, 12);
  f.name = Text(r, 13);
  f.id_number = Text(r, 14);
  f.residence_org = Text(r, 15);
  return f;
}

}  // namespace

void FpStore::PutRewardFacts(soci::session& s, const RewardFactsRow& f) {
  const int floating = f.floating, fp = f.practises_family_planning, hardship = f.hardship,
            only = f.only_child_certificate, disabled = f.child_disabled_grade_3;
  s << "INSERT INTO fp_reward_facts(person_id, year, floating, practises_family_planning, "
       "hardship, only_child_certificate, children_born, living_children, child_disabled_grade_3, "
       "woman_age, recorded_at, recorded_by, org_path) VALUES (:p, :y, :fl, :fp, :h, :o, :cb, "
       ":lc, :d, :wa, :at, :by, :path) ON CONFLICT(person_id, year) DO UPDATE SET floating = "
       "excluded.floating, practises_family_planning = excluded.practises_family_planning, "
       "hardship = excluded.hardship, only_child_certificate = excluded.only_child_certificate, "
       "children_born = excluded.children_born, living_children = excluded.living_children, "
       "child_disabled_grade_3 = excluded.child_disabled_grade_3, woman_age = "
       "excluded.woman_age, recorded_at = excluded.recorded_at, recorded_by = "
       "excluded.recorded_by, org_path = excluded.org_path",
      soci::use(f.person_id), soci::use(f.year), soci::use(floating), soci::use(fp),
      soci::use(hardship), soci::use(only), soci::use(f.children_born),
      soci::use(f.living_children), soci::use(disabled), soci::use(f.woman_age),
      soci::use(f.recorded_at), soci::use(f.recorded_by), soci::use(f.org_path);
}

std::vector<RewardFactsRow> FpStore::RewardFactsOf(soci::session& s, const auth::Scope& scope,
                                                   const std::string& person_id) {
  std::vector<RewardFactsRow> out;
  soci::rowset<soci::row> rows =
      (s.prepare << fmt::format("SELECT {} FROM fp_reward_facts f JOIN persons p ON p.id = "
                                "f.person_id WHERE f.person_id = :p ORDER BY f.year DESC",
                                kFactColumns),
       soci::use(person_id));
  for (const auto& r : rows) {
    if (scope.Covers(Text(r, 16))) out.push_back(ReadFacts(r));
  }
  return out;
}

std::vector<RewardFactsRow> FpStore::RewardFactsOfYear(soci::session& s, const auth::Scope& scope,
                                                       int year) {
  std::vector<RewardFactsRow> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << fmt::format("SELECT {} FROM fp_reward_facts f JOIN persons p ON p.id = "
                                "f.person_id WHERE f.year = :y AND p.residence_path >= :lo AND "
                                "p.residence_path < :hi ORDER BY p.residence_path, p.name, p.id",
                                kFactColumns),
       soci::use(year), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadFacts(r));
  return out;
}

std::vector<PaymentRow> FpStore::Payments(soci::session& s, const auth::Scope& scope, int year) {
  std::vector<PaymentRow> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT f.person_id, f.year, f.rule_id, f.paid_on, f.paid_by FROM "
                    "fp_reward_payments f JOIN persons p ON p.id = f.person_id WHERE f.year = :y "
                    "AND p.residence_path >= :lo AND p.residence_path < :hi",
       soci::use(year), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    out.push_back({Text(r, 0), Text(r, 2), Text(r, 3), Text(r, 4), static_cast<int>(Int(r, 1))});
  }
  return out;
}

bool FpStore::MarkPaid(soci::session& s, const PaymentRow& p, const std::string& paid_at) {
  soci::statement st =
      (s.prepare << "INSERT INTO fp_reward_payments(person_id, year, rule_id, paid_on, paid_at, "
                    "paid_by) VALUES (:p, :y, :r, :on, :at, :by) ON CONFLICT DO NOTHING",
       soci::use(p.person_id), soci::use(p.year), soci::use(p.rule_id), soci::use(p.paid_on),
       soci::use(paid_at), soci::use(p.paid_by));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

}  // namespace jd::family_planning

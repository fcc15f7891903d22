#include "maternal/referral_store.h"

namespace jd::maternal {

namespace {

constexpr const char* kColumns =
    "r.id, r.person_id, r.pregnancy_id, r.subject, r.kind, r.reason, r.risk_colour, "
    "r.from_clinic, r.to_facility, r.called_at, r.transferred_at, r.admitted_at, r.outcome, "
    "r.outcome_on, r.outcome_note, r.continuation, r.continuation_on, r.version, r.created_at, "
    "r.created_by, r.updated_at, r.updated_by, p.name, p.residence_org, p.residence_path";
constexpr std::size_t kPathColumn = 24;

std::string Text(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}
std::optional<Instant> OptTime(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseTimestamp(r.get<std::string>(i));
}
std::optional<Date> OptDate(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseDate(r.get<std::string>(i));
}

ReferralRow ReadRow(const soci::row& r) {
  ReferralRow row;
  Referral& x = row.referral;
  x.id = r.get<std::string>(0);
  x.person_id = r.get<std::string>(1);
  x.pregnancy_id = Text(r, 2);
  x.subject = ParseReferralSubject(r.get<std::string>(3)).value_or(ReferralSubject::kMother);
  x.kind = ParseReferralKind(r.get<std::string>(4)).value_or(ReferralKind::kHighRisk);
  x.reason = Text(r, 5);
  x.risk_colour = Text(r, 6);
  x.from_clinic = r.get<std::string>(7);
  x.to_facility = r.get<std::string>(8);
  x.called_at = ParseTimestamp(r.get<std::string>(9)).value_or(Instant{});
  x.transferred_at = OptTime(r, 10);
  x.admitted_at = OptTime(r, 11);
  x.outcome = ParseReferralOutcome(Text(r, 12));
  x.outcome_on = OptDate(r, 13);
  x.outcome_note = Text(r, 14);
  x.continuation = ParseContinuation(Text(r, 15));
  x.continuation_on = OptDate(r, 16);
  x.version = static_cast<int>(storage::RowInt64(r, 17));
  x.created_at = r.get<std::string>(18);
  x.created_by = r.get<std::string>(19);
  x.updated_at = r.get<std::string>(20);
  x.updated_by = r.get<std::string>(21);
  row.person_name = Text(r, 22);
  row.residence_org = Text(r, 23);
  return row;
}

// The changeable columns as bindable values, NULL where a value is absent.
struct Bound {
  std::string called, transferred, admitted, outcome, outcome_on, continuation, continuation_on;
  soci::indicator i_transferred, i_admitted, i_outcome, i_outcome_on, i_continuation,
      i_continuation_on;

  explicit Bound(const Referral& r) {
    called = FormatTimestamp(r.called_at);
    i_transferred = Set(r.transferred_at ? FormatTimestamp(*r.transferred_at) : "", transferred);
    i_admitted = Set(r.admitted_at ? FormatTimestamp(*r.admitted_at) : "", admitted);
    i_outcome = Set(r.outcome ? std::string(ReferralOutcomeCode(*r.outcome)) : "", outcome);
    i_outcome_on = Set(r.outcome_on ? FormatDate(*r.outcome_on) : "", outcome_on);
    i_continuation =
        Set(r.continuation ? std::string(ContinuationCode(*r.continuation)) : "", continuation);
    i_continuation_on =
        Set(r.continuation_on ? FormatDate(*r.continuation_on) : "", continuation_on);
  }

 private:
  static soci::indicator Set(std::string value, std::string& out) {
    out = std::move(value);
    return storage::NullIfEmpty(out);
  }
};

std::string ListWhere(const ReferralQuery& q) {
  std::string where = " WHERE p.residence_path >= :lo AND p.residence_path < :hi";
  if (q.open_only) where += " AND r.outcome IS NULL";
  if (q.kind) where += " AND r.kind = :kind";
  return where;
}

}  // namespace

void ReferralStore::Insert(soci::session& s, const Referral& r) {
  Bound b(r);
  std::string subject(ReferralSubjectCode(r.subject)), kind(ReferralKindCode(r.kind));
  soci::indicator i_pregnancy = storage::NullIfEmpty(r.pregnancy_id);
  s << "INSERT INTO referrals(id, person_id, pregnancy_id, subject, kind, reason, risk_colour, "
       "from_clinic, to_facility, called_at, transferred_at, admitted_at, outcome, outcome_on, "
       "outcome_note, continuation, continuation_on, version, created_at, created_by, updated_at, "
       "updated_by) VALUES (:id, :person, :pregnancy, :subject, :kind, :reason, :colour, :from, "
       ":to, :called, :transferred, :admitted, :outcome, :outcome_on, :note, :cont, :cont_on, "
       ":version, :ca, :cb, :ua, :ub)",
      soci::use(r.id), soci::use(r.person_id), soci::use(r.pregnancy_id, i_pregnancy),
      soci::use(subject), soci::use(kind), soci::use(r.reason), soci::use(r.risk_colour),
      soci::use(r.from_clinic), soci::use(r.to_facility), soci::use(b.called),
      soci::use(b.transferred, b.i_transferred), soci::use(b.admitted, b.i_admitted),
      soci::use(b.outcome, b.i_outcome), soci::use(b.outcome_on, b.i_outcome_on),
      soci::use(r.outcome_note), soci::use(b.continuation, b.i_continuation),
      soci::use(b.continuation_on, b.i_continuation_on), soci::use(r.version),
      soci::use(r.created_at), soci::use(r.created_by), soci::use(r.updated_at),
      soci::use(r.updated_by);
}

bool ReferralStore::Update(soci::session& s, const auth::Scope& scope, const Referral& r,
                           int expected_version) {
  Bound b(r);
  const auth::PathRange range = scope.Range();
  soci::statement st =
      (s.prepare << "UPDATE referrals SET called_at = :called, transferred_at = :transferred, "
                    "admitted_at = :admitted, outcome = :outcome, outcome_on = :outcome_on, "
                    "outcome_note = :note, continuation = :cont, continuation_on = :cont_on, "
                    "version = :version, updated_at = :ua, updated_by = :ub WHERE id = :id AND "
                    "version = :ev AND " +
                        auth::PersonInRange("person_id", ":lo", ":hi"),
       soci::use(b.called), soci::use(b.transferred, b.i_transferred),
       soci::use(b.admitted, b.i_admitted), soci::use(b.outcome, b.i_outcome),
       soci::use(b.outcome_on, b.i_outcome_on), soci::use(r.outcome_note),
       soci::use(b.continuation, b.i_continuation),
       soci::use(b.continuation_on, b.i_continuation_on), soci::use(r.version),
       soci::use(r.updated_at), soci::use(r.updated_by), soci::use(r.id),
       soci::use(expected_version), soci::use(range.lo), soci::use(range.hi));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

auth::ScopedRow<ReferralRow> ReferralStore::Get(soci::session& s, const auth::Scope& scope,
                                                const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM referrals r JOIN persons p ON p.id = r.person_id WHERE r.id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    if (!scope.Covers(r.get<std::string>(kPathColumn))) {
      return auth::ScopedRow<ReferralRow>::Outside();
    }
    return auth::ScopedRow<ReferralRow>::Found(ReadRow(r));
  }
  return {};
}

std::vector<Referral> ReferralStore::ForPerson(soci::session& s, const auth::Scope& scope,
                                               const std::string& person_id) {
  const auth::PathRange range = scope.Range();
  std::vector<Referral> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kColumns +
                        " FROM referrals r JOIN persons p ON p.id = r.person_id WHERE "
                        "r.person_id = :p AND p.residence_path >= :lo AND p.residence_path < :hi "
                        "ORDER BY r.called_at DESC, r.id",
       soci::use(person_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadRow(r).referral);
  return out;
}

std::vector<ReferralRow> ReferralStore::List(soci::session& s, const auth::Scope& scope,
                                             const ReferralQuery& q) {
  const auth::PathRange range = scope.Range();
  std::string kind = q.kind ? std::string(ReferralKindCode(*q.kind)) : std::string();
  const std::string sql = std::string("SELECT ") + kColumns +
                          " FROM referrals r JOIN persons p ON p.id = r.person_id" + ListWhere(q) +
                          " ORDER BY r.outcome IS NOT NULL, CASE WHEN r.outcome IS NULL THEN "
                          "r.called_at END, r.called_at DESC, r.id LIMIT :limit";
  std::vector<ReferralRow> out;
  auto read = [&](soci::rowset<soci::row> rows) {
    for (const auto& r : rows) out.push_back(ReadRow(r));
  };
  if (q.kind) {
    read((s.prepare << sql, soci::use(range.lo), soci::use(range.hi), soci::use(kind),
          soci::use(q.limit)));
  } else {
    read((s.prepare << sql, soci::use(range.lo), soci::use(range.hi), soci::use(q.limit)));
  }
  return out;
}

int ReferralStore::Count(soci::session& s, const auth::Scope& scope, const ReferralQuery& q) {
  const auth::PathRange range = scope.Range();
  std::string kind = q.kind ? std::string(ReferralKindCode(*q.kind)) : std::string();
  const std::string sql =
      "SELECT COUNT(*) FROM referrals r JOIN persons p ON p.id = r.person_id" + ListWhere(q);
  int n = 0;
  if (q.kind) {
    s << sql, soci::use(range.lo), soci::use(range.hi), soci::use(kind), soci::into(n);
  } else {
    s << sql, soci::use(range.lo), soci::use(range.hi), soci::into(n);
  }
  return n;
}

std::optional<std::string> ReferralStore::BirthPregnancyOf(soci::session& s,
                                                           const std::string& child_person_id) {
  std::string id;
  soci::indicator ind = soci::i_null;
  s << "SELECT pregnancy_id FROM pregnancy_newborns WHERE person_id = :p",
      soci::use(child_person_id), soci::into(id, ind);
  if (!s.got_data() || ind == soci::i_null) return std::nullopt;
  return id;
}

}  // namespace jd::maternal

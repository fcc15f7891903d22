#include "immunization/programme_store.h"

#include "immunization/store.h"
#include "registry/codes.h"

namespace jd::immunization {

namespace {

using storage::NullIfEmpty;
using storage::RowInt64;

std::string TextOrEmpty(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? std::string() : r.get<std::string>(i);
}

Date DateAt(const soci::row& r, std::size_t i) {
  return ParseDate(r.get<std::string>(i)).value_or(Date{});
}

std::optional<Date> OptDateAt(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) == soci::i_null) return std::nullopt;
  return ParseDate(r.get<std::string>(i));
}

int IntAt(const soci::row& r, std::size_t i) {
  return r.get_indicator(i) == soci::i_null ? 0 : static_cast<int>(RowInt64(r, i));
}

// The child columns of a list: p = persons, v = vaccination_files (LEFT JOIN).
// The guardian is read through the certificate's link (g, kGuardianJoin) where it has one.
const std::string kChildColumns =
    std::string(
        "p.id, p.name, p.sex, p.birth_date, p.id_number, p.residence_org, "
        "p.residence_path, ") +
    kGuardianName + ", " + kGuardianPhone + ", v.person_id";
constexpr std::size_t kChildColumnCount = 10;

ListedChild ReadChild(const soci::row& r) {
  ListedChild c;
  c.person_id = r.get<std::string>(0);
  c.name = r.get<std::string>(1);
  c.sex = r.get<std::string>(2);
  c.birth = DateAt(r, 3);
  c.id_number = r.get<std::string>(4);
  c.residence_org = r.get<std::string>(5);
  c.residence_path = r.get<std::string>(6);
  c.guardian_name = TextOrEmpty(r, 7);
  c.guardian_phone = TextOrEmpty(r, 8);
  c.has_file = r.get_indicator(9) != soci::i_null;
  return c;
}

constexpr const char* kRoundColumns =
    "id, area_code, area_path, as_of, children, doses, note, created_at, created_by";

CatchUpRound ReadRound(const soci::row& r) {
  CatchUpRound c;
  c.id = r.get<std::string>(0);
  c.area_code = r.get<std::string>(1);
  c.area_path = r.get<std::string>(2);
  c.as_of = DateAt(r, 3);
  c.children = IntAt(r, 4);
  c.doses = IntAt(r, 5);
  c.note = TextOrEmpty(r, 6);
  c.created_at = r.get<std::string>(7);
  c.created_by = r.get<std::string>(8);
  return c;
}

constexpr const char* kCampaignColumns =
    "id, name, kind, vaccine, age_from_months, age_to_months, area_code, area_path, start_date, "
    "end_date, note, created_at, created_by";

Campaign ReadCampaign(const soci::row& r) {
  Campaign c;
  c.id = r.get<std::string>(0);
  c.name = r.get<std::string>(1);
  c.kind = ParseCampaignKind(r.get<std::string>(2)).value_or(CampaignKind::kSupplementary);
  c.vaccine = r.get<std::string>(3);
  c.age_from_months = IntAt(r, 4);
  c.age_to_months = IntAt(r, 5);
  c.area_code = r.get<std::string>(6);
  c.area_path = r.get<std::string>(7);
  c.start = DateAt(r, 8);
  c.end = DateAt(r, 9);
  c.note = TextOrEmpty(r, 10);
  c.created_at = r.get<std::string>(11);
  c.created_by = r.get<std::string>(12);
  return c;
}

constexpr const char* kCheckColumns =
    "id, school, check_date, org_code, org_path, file_name, rows_total, rows_invalid, complete, "
    "needs_catch_up, not_found, created_at, created_by";

EntryCheck ReadCheck(const soci::row& r) {
  EntryCheck c;
  c.id = r.get<std::string>(0);
  c.school = r.get<std::string>(1);
  c.check_date = DateAt(r, 2);
  c.org_code = r.get<std::string>(3);
  c.org_path = r.get<std::string>(4);
  c.file_name = TextOrEmpty(r, 5);
  c.rows_total = IntAt(r, 6);
  c.rows_invalid = IntAt(r, 7);
  c.complete = IntAt(r, 8);
  c.needs_catch_up = IntAt(r, 9);
  c.not_found = IntAt(r, 10);
  c.created_at = r.get<std::string>(11);
  c.created_by = r.get<std::string>(12);
  return c;
}

// The rows of a round or a check (by their id column `column`) whose area lies within the scope
// bound to :slo/:shi.
std::string RoundWithin(const char* column) {
  return std::string(column) +
         " IN (SELECT id FROM catch_up_rounds WHERE area_path >= :slo AND area_path < :shi)";
}
std::string CheckWithin(const char* column) {
  return std::string(column) +
         " IN (SELECT id FROM entry_checks WHERE org_path >= :slo AND org_path < :shi)";
}

std::optional<CheckResult> ParseCheckResult(const std::string& code) {
  for (auto r : {CheckResult::kComplete, CheckResult::kNeedsCatchUp, CheckResult::kNotFound}) {
    if (CheckResultCode(r) == code) return r;
  }
  return std::nullopt;
}

}  // namespace

// ---- Catch-up rounds ----

void ProgrammeStore::InsertRound(soci::session& s, const CatchUpRound& r) {
  std::string as_of = FormatDate(r.as_of);
  soci::indicator i_note = NullIfEmpty(r.note);
  s << "INSERT INTO catch_up_rounds(id, area_code, area_path, as_of, children, doses, note, "
       "created_at, created_by) VALUES (:id, :ac, :ap, :a, :c, :d, :n, :ca, :cb)",
      soci::use(r.id), soci::use(r.area_code), soci::use(r.area_path), soci::use(as_of),
      soci::use(r.children), soci::use(r.doses), soci::use(r.note, i_note), soci::use(r.created_at),
      soci::use(r.created_by);
}

void ProgrammeStore::InsertItems(soci::session& s, const std::string& round_id,
                                 const std::vector<CatchUpItem>& items) {
  // One statement prepared once and executed per item: a city's round holds thousands.
  std::string person, series, vaccine, status, earliest, timely, planned;
  int position = 0, dose = 0;
  soci::indicator i_timely = soci::i_ok;
  soci::statement st =
      (s.prepare << "INSERT INTO catch_up_items(round_id, person_id, position, series, vaccine, "
                    "dose, status, earliest, timely_by, planned_on) VALUES (:r, :p, :pos, :s, "
                    ":v, :d, :st, :e, :t, :pl)",
       soci::use(round_id), soci::use(person), soci::use(position), soci::use(series),
       soci::use(vaccine), soci::use(dose), soci::use(status), soci::use(earliest),
       soci::use(timely, i_timely), soci::use(planned));
  for (const CatchUpItem& it : items) {
    person = it.person_id;
    position = it.position;
    series = it.series;
    vaccine = it.vaccine;
    dose = it.dose;
    status = it.status;
    earliest = FormatDate(it.earliest);
    timely = it.timely_by ? FormatDate(*it.timely_by) : std::string();
    i_timely = it.timely_by ? soci::i_ok : soci::i_null;
    planned = FormatDate(it.planned_on);
    st.execute(true);
  }
}

auth::ScopedRow<CatchUpRound> ProgrammeStore::GetRound(soci::session& s, const auth::Scope& scope,
                                                       const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kRoundColumns + " FROM catch_up_rounds WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    CatchUpRound round = ReadRound(r);
    if (!scope.Covers(round.area_path)) return auth::ScopedRow<CatchUpRound>::Outside();
    return auth::ScopedRow<CatchUpRound>::Found(std::move(round));
  }
  return {};
}

std::vector<CatchUpRound> ProgrammeStore::ListRounds(soci::session& s, const auth::Scope& scope,
                                                     int limit) {
  const auth::PathRange range = scope.Range();
  std::vector<CatchUpRound> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kRoundColumns +
                        " FROM catch_up_rounds WHERE area_path >= :lo AND area_path < :hi "
                        "ORDER BY created_at DESC, id DESC LIMIT :n",
       soci::use(range.lo), soci::use(range.hi), soci::use(limit));
  for (const auto& r : rows) out.push_back(ReadRound(r));
  return out;
}

std::vector<CatchUpItem> ProgrammeStore::ListItems(soci::session& s, const auth::Scope& scope,
                                                   const std::string& round_id) {
  std::vector<CatchUpItem> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT person_id, position, series, vaccine, dose, status, earliest, "
                    "timely_by, planned_on FROM catch_up_items WHERE round_id = :r AND " +
                        RoundWithin("round_id") + " ORDER BY person_id, position",
       soci::use(round_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    CatchUpItem it;
    it.person_id = r.get<std::string>(0);
    it.position = IntAt(r, 1);
    it.series = r.get<std::string>(2);
    it.vaccine = r.get<std::string>(3);
    it.dose = IntAt(r, 4);
    it.status = r.get<std::string>(5);
    it.earliest = DateAt(r, 6);
    it.timely_by = OptDateAt(r, 7);
    it.planned_on = DateAt(r, 8);
    out.push_back(std::move(it));
  }
  return out;
}

std::vector<ListedChild> ProgrammeStore::RoundChildren(soci::session& s, const auth::Scope& scope,
                                                       const std::string& round_id) {
  std::vector<ListedChild> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kChildColumns +
                        " FROM persons p LEFT JOIN vaccination_files v ON v.person_id = p.id" +
                        kGuardianJoin +
                        "WHERE p.id IN (SELECT DISTINCT person_id FROM catch_up_items WHERE "
                        "round_id = :r) AND p.residence_path >= :lo AND p.residence_path < :hi "
                        "ORDER BY p.name, p.id",
       soci::use(round_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back(ReadChild(r));
  return out;
}

std::vector<GivenDose> ProgrammeStore::RoundDoses(soci::session& s, const auth::Scope& scope,
                                                  const std::string& round_id, Date from) {
  std::string f = FormatDate(from);
  const auth::PathRange range = scope.Range();
  std::vector<GivenDose> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT r.person_id, r.vaccine, r.given_on FROM vaccination_records r WHERE "
                    "r.status = 'active' AND r.given_on >= :f AND r.person_id IN (SELECT "
                    "DISTINCT person_id FROM catch_up_items WHERE round_id = :r AND " +
                        RoundWithin("round_id") + ") ORDER BY r.person_id, r.given_on",
       soci::use(f), soci::use(round_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), DateAt(r, 2)});
  }
  return out;
}

// ---- Campaigns ----

void ProgrammeStore::InsertCampaign(soci::session& s, const Campaign& c) {
  std::string kind(CampaignKindCode(c.kind)), start = FormatDate(c.start), end = FormatDate(c.end);
  soci::indicator i_note = NullIfEmpty(c.note);
  s << "INSERT INTO campaigns(id, name, kind, vaccine, age_from_months, age_to_months, "
       "area_code, area_path, start_date, end_date, note, created_at, created_by) VALUES (:id, "
       ":n, :k, :v, :af, :at, :ac, :ap, :s, :e, :note, :ca, :cb)",
      soci::use(c.id), soci::use(c.name), soci::use(kind), soci::use(c.vaccine),
      soci::use(c.age_from_months), soci::use(c.age_to_months), soci::use(c.area_code),
      soci::use(c.area_path), soci::use(start), soci::use(end), soci::use(c.note, i_note),
      soci::use(c.created_at), soci::use(c.created_by);
}

std::optional<Campaign> ProgrammeStore::GetCampaign(soci::session& s, const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCampaignColumns + " FROM campaigns WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) return ReadCampaign(r);
  return std::nullopt;
}

std::vector<Campaign> ProgrammeStore::ListCampaigns(soci::session& s, int limit) {
  std::vector<Campaign> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCampaignColumns +
                        " FROM campaigns ORDER BY start_date DESC, id DESC LIMIT :n",
       soci::use(limit));
  for (const auto& r : rows) out.push_back(ReadCampaign(r));
  return out;
}

std::vector<CampaignTarget> ProgrammeStore::CampaignCandidates(soci::session& s,
                                                               const auth::Scope& area,
                                                               const std::string& campaign_id,
                                                               Date born_after,
                                                               Date born_on_or_before) {
  const auth::PathRange range = area.Range();
  std::string after = FormatDate(born_after), until = FormatDate(born_on_or_before);
  std::vector<CampaignTarget> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kChildColumns +
                        ", (SELECT MIN(r.given_on) FROM vaccination_records r WHERE r.person_id "
                        "= p.id AND r.campaign_id = :c AND r.status = 'active') FROM persons p "
                        "LEFT JOIN vaccination_files v ON v.person_id = p.id" +
                        kGuardianJoin +
                        "WHERE p.residence_path >= :lo AND p.residence_path < :hi AND p.status = "
                        "'active' AND p.birth_date > :a AND p.birth_date <= :u ORDER BY p.name, "
                        "p.id",
       soci::use(campaign_id), soci::use(range.lo), soci::use(range.hi), soci::use(after),
       soci::use(until));
  for (const auto& r : rows) {
    CampaignTarget t;
    t.child = ReadChild(r);
    t.campaign_dose = OptDateAt(r, kChildColumnCount);
    out.push_back(std::move(t));
  }
  return out;
}

// ---- Entry checks ----

std::vector<MatchCandidate> ProgrammeStore::FindById(soci::session& s, const auth::Scope& scope,
                                                     const std::string& id_number) {
  const auth::PathRange range = scope.Range();
  std::vector<MatchCandidate> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT p.id, COALESCE(NULLIF(g.phone, ''), v.guardian_phone) FROM persons p "
                    "LEFT JOIN vaccination_files v "
                    "ON v.person_id = p.id" +
                        std::string(kGuardianJoin) +
                        "WHERE p.id_number = :n AND p.residence_path >= :lo "
                        "AND p.residence_path < :hi AND p.status = 'active' ORDER BY p.id",
       soci::use(id_number), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) out.push_back({r.get<std::string>(0), TextOrEmpty(r, 1)});
  return out;
}

std::vector<MatchCandidate> ProgrammeStore::FindByNameBirth(soci::session& s,
                                                            const auth::Scope& scope,
                                                            const std::string& name, Date birth) {
  const auth::PathRange range = scope.Range();
  std::string b = FormatDate(birth);
  std::vector<MatchCandidate> out;
  soci::rowset<soci::row> rows =
      (s.prepare
           << "SELECT p.id, COALESCE(NULLIF(g.phone, ''), v.guardian_phone) FROM persons p LEFT "
              "JOIN vaccination_files v "
              "ON v.person_id = p.id" +
                  std::string(kGuardianJoin) +
                  "WHERE p.name = :n AND p.residence_path >= :lo AND "
                  "p.residence_path < :hi AND p.birth_date = :b AND p.status = 'active' ORDER "
                  "BY p.id",
       soci::use(name), soci::use(range.lo), soci::use(range.hi), soci::use(b));
  for (const auto& r : rows) out.push_back({r.get<std::string>(0), TextOrEmpty(r, 1)});
  return out;
}

void ProgrammeStore::InsertCheck(soci::session& s, const EntryCheck& c) {
  std::string date = FormatDate(c.check_date);
  soci::indicator i_file = NullIfEmpty(c.file_name);
  s << "INSERT INTO entry_checks(id, school, check_date, org_code, org_path, file_name, "
       "rows_total, rows_invalid, complete, needs_catch_up, not_found, created_at, created_by) "
       "VALUES (:id, :s, :d, :oc, :op, :f, :rt, :ri, :c, :n, :nf, :ca, :cb)",
      soci::use(c.id), soci::use(c.school), soci::use(date), soci::use(c.org_code),
      soci::use(c.org_path), soci::use(c.file_name, i_file), soci::use(c.rows_total),
      soci::use(c.rows_invalid), soci::use(c.complete), soci::use(c.needs_catch_up),
      soci::use(c.not_found), soci::use(c.created_at), soci::use(c.created_by);
}

void ProgrammeStore::InsertCheckRow(soci::session& s, const std::string& check_id,
                                    const EntryCheckRow& r) {
  const RosterRow& x = r.roster;
  std::string birth = FormatDate(x.birth), result(CheckResultCode(r.result)),
              method(MatchMethodCode(r.method));
  int has_file = r.has_file ? 1 : 0;
  soci::indicator i_sex = NullIfEmpty(x.sex), i_id = NullIfEmpty(x.id_number),
                  i_gn = NullIfEmpty(x.guardian_name), i_gp = NullIfEmpty(x.guardian_phone),
                  i_school = NullIfEmpty(x.school), i_class = NullIfEmpty(x.class_name),
                  i_method = NullIfEmpty(method), i_reason = NullIfEmpty(r.not_found_reason),
                  i_person = NullIfEmpty(r.person_id);
  s << "INSERT INTO entry_check_rows(check_id, row_no, child_name, sex, birth_date, id_number, "
       "guardian_name, guardian_phone, school, class_name, result, match_method, "
       "not_found_reason, person_id, has_file, doses) VALUES (:c, :r, :n, :sex, :b, :id, :gn, "
       ":gp, :s, :cl, :res, :m, :nf, :p, :hf, :d)",
      soci::use(check_id), soci::use(x.row), soci::use(x.name), soci::use(x.sex, i_sex),
      soci::use(birth), soci::use(x.id_number, i_id), soci::use(x.guardian_name, i_gn),
      soci::use(x.guardian_phone, i_gp), soci::use(x.school, i_school),
      soci::use(x.class_name, i_class), soci::use(result), soci::use(method, i_method),
      soci::use(r.not_found_reason, i_reason), soci::use(r.person_id, i_person),
      soci::use(has_file), soci::use(r.doses_json);
}

void ProgrammeStore::InsertCheckError(soci::session& s, const std::string& check_id, int seq,
                                      const RosterError& e) {
  s << "INSERT INTO entry_check_errors(check_id, seq, row_no, column_name, code, message_zh, "
       "message_en) VALUES (:c, :s, :r, :col, :code, :zh, :en)",
      soci::use(check_id), soci::use(seq), soci::use(e.row), soci::use(e.column), soci::use(e.code),
      soci::use(e.message_zh), soci::use(e.message_en);
}

auth::ScopedRow<EntryCheck> ProgrammeStore::GetCheck(soci::session& s, const auth::Scope& scope,
                                                     const std::string& id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCheckColumns + " FROM entry_checks WHERE id = :id",
       soci::use(id));
  for (const auto& r : rows) {
    EntryCheck check = ReadCheck(r);
    if (!scope.Covers(check.org_path)) return auth::ScopedRow<EntryCheck>::Outside();
    return auth::ScopedRow<EntryCheck>::Found(std::move(check));
  }
  return {};
}

std::vector<EntryCheck> ProgrammeStore::ListChecks(soci::session& s, const auth::Scope& scope,
                                                   int limit) {
  const auth::PathRange range = scope.Range();
  std::vector<EntryCheck> out;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCheckColumns +
                        " FROM entry_checks WHERE org_path >= :lo AND org_path < :hi ORDER BY "
                        "created_at DESC, id DESC LIMIT :n",
       soci::use(range.lo), soci::use(range.hi), soci::use(limit));
  for (const auto& r : rows) out.push_back(ReadCheck(r));
  return out;
}

std::vector<EntryCheckRow> ProgrammeStore::ListCheckRows(soci::session& s, const auth::Scope& scope,
                                                         const std::string& check_id) {
  std::vector<EntryCheckRow> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT row_no, child_name, sex, birth_date, id_number, guardian_name, "
                    "guardian_phone, school, class_name, result, match_method, "
                    "not_found_reason, person_id, has_file, doses FROM entry_check_rows WHERE "
                    "check_id = :c AND " +
                        CheckWithin("check_id") + " ORDER BY row_no",
       soci::use(check_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    EntryCheckRow x;
    x.roster.row = IntAt(r, 0);
    x.roster.name = r.get<std::string>(1);
    x.roster.sex = TextOrEmpty(r, 2);
    x.roster.birth = DateAt(r, 3);
    x.roster.id_number = TextOrEmpty(r, 4);
    x.roster.guardian_name = TextOrEmpty(r, 5);
    x.roster.guardian_phone = TextOrEmpty(r, 6);
    x.roster.school = TextOrEmpty(r, 7);
    x.roster.class_name = TextOrEmpty(r, 8);
    x.result = ParseCheckResult(r.get<std::string>(9)).value_or(CheckResult::kNotFound);
    std::string method = TextOrEmpty(r, 10);
    x.method = method == "id_number"          ? MatchMethod::kIdNumber
               : method == "name_birth_phone" ? MatchMethod::kNameBirthPhone
                                              : MatchMethod::kNone;
    x.not_found_reason = TextOrEmpty(r, 11);
    x.person_id = TextOrEmpty(r, 12);
    x.has_file = IntAt(r, 13) != 0;
    x.doses_json = r.get<std::string>(14);
    out.push_back(std::move(x));
  }
  return out;
}

std::vector<RosterError> ProgrammeStore::ListCheckErrors(soci::session& s, const auth::Scope& scope,
                                                         const std::string& check_id) {
  std::vector<RosterError> out;
  const auth::PathRange range = scope.Range();
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT row_no, column_name, code, message_zh, message_en FROM "
                    "entry_check_errors WHERE check_id = :c AND " +
                        CheckWithin("check_id") + " ORDER BY seq",
       soci::use(check_id), soci::use(range.lo), soci::use(range.hi));
  for (const auto& r : rows) {
    out.push_back({IntAt(r, 0), r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3),
                   r.get<std::string>(4)});
  }
  return out;
}

// ---- Coverage ----

std::vector<CoveragePerson> ProgrammeStore::CoveragePersons(soci::session& s,
                                                            const auth::Scope& area, Date born_from,
                                                            Date born_to) {
  const auth::PathRange range = area.Range();
  std::string from = FormatDate(born_from), to = FormatDate(born_to);
  std::vector<CoveragePerson> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT p.id, p.birth_date, p.hukou_division, p.residence_org, "
                    "p.residence_path, p.left_hukou_on, p.arrived_on, p.move_reason, "
                    "v.person_id FROM persons p LEFT JOIN vaccination_files v ON v.person_id = "
                    "p.id WHERE p.residence_path >= :lo AND p.residence_path < :hi AND p.status "
                    "= 'active' AND p.birth_date >= :f AND p.birth_date <= :t ORDER BY p.id",
       soci::use(range.lo), soci::use(range.hi), soci::use(from), soci::use(to));
  for (const auto& r : rows) {
    CoveragePerson c;
    c.person_id = r.get<std::string>(0);
    registry::Person& p = c.person;
    p.id = c.person_id;
    p.birth_date = DateAt(r, 1);
    p.hukou_division = r.get<std::string>(2);
    p.residence_org = r.get<std::string>(3);
    p.residence_path = r.get<std::string>(4);
    p.left_hukou_on = OptDateAt(r, 5);
    p.arrived_on = DateAt(r, 6);
    p.move_reason =
        registry::ParseMoveReason(r.get<std::string>(7)).value_or(registry::MoveReason::kOther);
    c.has_file = r.get_indicator(8) != soci::i_null;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<GivenDose> ProgrammeStore::CoverageDoses(soci::session& s, const auth::Scope& area,
                                                     Date born_from, Date born_to) {
  const auth::PathRange range = area.Range();
  std::string from = FormatDate(born_from), to = FormatDate(born_to);
  std::vector<GivenDose> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT r.person_id, r.vaccine, r.given_on FROM persons p JOIN "
                    "vaccination_records r ON r.person_id = p.id WHERE p.residence_path >= :lo "
                    "AND p.residence_path < :hi AND p.status = 'active' AND p.birth_date >= :f "
                    "AND p.birth_date <= :t AND r.status = 'active' ORDER BY r.person_id, "
                    "r.given_on",
       soci::use(range.lo), soci::use(range.hi), soci::use(from), soci::use(to));
  for (const auto& r : rows) {
    out.push_back({r.get<std::string>(0), r.get<std::string>(1), DateAt(r, 2)});
  }
  return out;
}

}  // namespace jd::immunization

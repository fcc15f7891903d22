#include "maternal/pmtct_store.h"

#include <array>

namespace jd::maternal {

namespace {

using storage::RowInt64;

constexpr const char* kCaseColumns =
    "c.id, c.pregnancy_id, c.person_id, c.infection, c.diagnosed_on, c.hiv_high_exposure_risk, "
    "c.hiv_12m_antibody_negative, c.syphilis_prophylaxis_indicated, c.opened_at, c.opened_by, "
    "c.closed_on";

PmtctCase ReadCase(const soci::row& r) {
  PmtctCase c;
  c.id = r.get<std::string>(0);
  c.pregnancy_id = r.get<std::string>(1);
  c.person_id = r.get<std::string>(2);
  c.infection = ParsePmtctInfection(r.get<std::string>(3)).value_or(PmtctInfection::kHiv);
  c.diagnosed_on = ParseDate(r.get<std::string>(4)).value_or(Date{});
  c.hiv_high_exposure_risk = RowInt64(r, 5) != 0;
  c.hiv_12m_antibody_negative = RowInt64(r, 6) != 0;
  c.syphilis_prophylaxis_indicated = RowInt64(r, 7) != 0;
  c.opened_at = r.get<std::string>(8);
  c.opened_by = r.get<std::string>(9);
  if (r.get_indicator(10) != soci::i_null) c.closed_on = ParseDate(r.get<std::string>(10));
  return c;
}

std::vector<PmtctCase> ReadCases(soci::rowset<soci::row>& rows) {
  std::vector<PmtctCase> out;
  for (const auto& r : rows) out.push_back(ReadCase(r));
  return out;
}

}  // namespace

std::string_view InfectionResultCode(InfectionResult r) {
  static constexpr std::array<std::string_view, 3> kCodes{"negative", "positive", "indeterminate"};
  return kCodes[static_cast<std::size_t>(r)];
}

std::optional<InfectionResult> ParseInfectionResult(std::string_view code) {
  for (InfectionResult r :
       {InfectionResult::kNegative, InfectionResult::kPositive, InfectionResult::kIndeterminate}) {
    if (InfectionResultCode(r) == code) return r;
  }
  return std::nullopt;
}

void PmtctStore::InsertTest(soci::session& s, const InfectionTest& t) {
  std::string infection(PmtctInfectionCode(t.infection)), result(InfectionResultCode(t.result)),
      date = FormatDate(t.tested_on);
  s << "INSERT INTO pregnancy_infection_tests(id, pregnancy_id, infection, tested_on, result, "
       "recorded_at, recorded_by) VALUES (:id, :g, :i, :d, :r, :at, :by)",
      soci::use(t.id), soci::use(t.pregnancy_id), soci::use(infection), soci::use(date),
      soci::use(result), soci::use(t.recorded_at), soci::use(t.recorded_by);
}

std::vector<InfectionTest> PmtctStore::Tests(soci::session& s, const std::string& pregnancy_id) {
  std::vector<InfectionTest> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, pregnancy_id, infection, tested_on, result, recorded_at, "
                    "recorded_by FROM pregnancy_infection_tests WHERE pregnancy_id = :g ORDER BY "
                    "tested_on, recorded_at, id",
       soci::use(pregnancy_id));
  for (const auto& r : rows) {
    InfectionTest t;
    t.id = r.get<std::string>(0);
    t.pregnancy_id = r.get<std::string>(1);
    t.infection = ParsePmtctInfection(r.get<std::string>(2)).value_or(PmtctInfection::kHiv);
    t.tested_on = ParseDate(r.get<std::string>(3)).value_or(Date{});
    t.result = ParseInfectionResult(r.get<std::string>(4)).value_or(InfectionResult::kNegative);
    t.recorded_at = r.get<std::string>(5);
    t.recorded_by = r.get<std::string>(6);
    out.push_back(std::move(t));
  }
  return out;
}

bool PmtctStore::InsertCase(soci::session& s, const PmtctCase& c) {
  std::string infection(PmtctInfectionCode(c.infection)), diagnosed = FormatDate(c.diagnosed_on);
  int high = c.hiv_high_exposure_risk ? 1 : 0, negative = c.hiv_12m_antibody_negative ? 1 : 0,
      prophylaxis = c.syphilis_prophylaxis_indicated ? 1 : 0;
  s << "INSERT INTO pmtct_cases(id, pregnancy_id, person_id, infection, diagnosed_on, "
       "hiv_high_exposure_risk, hiv_12m_antibody_negative, syphilis_prophylaxis_indicated, "
       "opened_at, opened_by) VALUES (:id, :g, :p, :i, :d, :h, :n, :s, :at, :by) "
       "ON CONFLICT(pregnancy_id, infection) DO NOTHING",
      soci::use(c.id), soci::use(c.pregnancy_id), soci::use(c.person_id), soci::use(infection),
      soci::use(diagnosed), soci::use(high), soci::use(negative), soci::use(prophylaxis),
      soci::use(c.opened_at), soci::use(c.opened_by);
  int changed = 0;
  s << "SELECT changes()", soci::into(changed);
  return changed == 1;
}

std::optional<PmtctCase> PmtctStore::GetCase(soci::session& s, const std::string& case_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCaseColumns + " FROM pmtct_cases c WHERE c.id = :id",
       soci::use(case_id));
  for (const auto& r : rows) return ReadCase(r);
  return std::nullopt;
}

std::vector<PmtctCase> PmtctStore::CasesOfPregnancy(soci::session& s,
                                                    const std::string& pregnancy_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCaseColumns +
                        " FROM pmtct_cases c WHERE c.pregnancy_id = :g ORDER BY c.opened_at, c.id",
       soci::use(pregnancy_id));
  return ReadCases(rows);
}

std::vector<PmtctCase> PmtctStore::CasesOfPerson(soci::session& s, const std::string& person_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kCaseColumns +
                        " FROM pmtct_cases c WHERE c.person_id = :m OR c.pregnancy_id IN (SELECT "
                        "pregnancy_id FROM pregnancy_newborns WHERE person_id = :n) ORDER BY "
                        "c.opened_at, c.id",
       soci::use(person_id), soci::use(person_id));
  return ReadCases(rows);
}

std::optional<PmtctPregnancyDates> PmtctStore::PregnancyDates(soci::session& s,
                                                              const std::string& pregnancy_id) {
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT edd, delivered_on FROM pregnancies WHERE id = :g",
       soci::use(pregnancy_id));
  for (const auto& r : rows) {
    PmtctPregnancyDates d;
    d.edd = ParseDate(r.get<std::string>(0)).value_or(Date{});
    if (r.get_indicator(1) != soci::i_null) d.delivered_on = ParseDate(r.get<std::string>(1));
    return d;
  }
  return std::nullopt;
}

void PmtctStore::InsertRecord(soci::session& s, const PmtctCaseRecord& r) {
  std::string subject(PmtctSubjectCode(r.subject)), date = FormatDate(r.done_on),
                                                    infant = r.infant_person_id;
  soci::indicator i_infant = storage::NullIfEmpty(infant);
  s << "INSERT INTO pmtct_records(id, case_id, item, subject, infant_person_id, done_on, "
       "recorded_at, recorded_by) VALUES (:id, :c, :i, :s, :p, :d, :at, :by)",
      soci::use(r.id), soci::use(r.case_id), soci::use(r.item), soci::use(subject),
      soci::use(infant, i_infant), soci::use(date), soci::use(r.recorded_at),
      soci::use(r.recorded_by);
}

std::vector<PmtctCaseRecord> PmtctStore::Records(soci::session& s, const std::string& case_id) {
  std::vector<PmtctCaseRecord> out;
  soci::rowset<soci::row> rows =
      (s.prepare << "SELECT id, case_id, item, subject, infant_person_id, done_on, recorded_at, "
                    "recorded_by FROM pmtct_records WHERE case_id = :c ORDER BY done_on, "
                    "recorded_at, id",
       soci::use(case_id));
  for (const auto& r : rows) {
    PmtctCaseRecord x;
    x.id = r.get<std::string>(0);
    x.case_id = r.get<std::string>(1);
    x.item = r.get<std::string>(2);
    x.subject = r.get<std::string>(3) == "infant" ? PmtctSubject::kInfant : PmtctSubject::kMother;
    if (r.get_indicator(4) != soci::i_null) x.infant_person_id = r.get<std::string>(4);
    x.done_on = ParseDate(r.get<std::string>(5)).value_or(Date{});
    x.recorded_at = r.get<std::string>(6);
    x.recorded_by = r.get<std::string>(7);
    out.push_back(std::move(x));
  }
  return out;
}

}  // namespace jd::maternal

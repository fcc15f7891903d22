// File: maternal/pmtct_store.h
// What the PMTCT follow-up keeps (migration 0012) and its SQL: the HIV, syphilis and hepatitis B
// tests of a pregnancy, the case a positive result opens (预防艾滋病、梅毒和乙肝母婴传播工作规范
// （2020年版）, one per infection and pregnancy) and the items done for the mother and each baby.
// The schedule itself is not stored: maternal/pmtct.h computes it from these rows and the day.
//
// Bound parameters only; every function runs on the session it is given, inside the caller's
// transaction, and the migration's triggers leave a change event (entity "pmtct", the mother) on
// every insert. These functions take no scope: REQUIRES the caller has read the pregnancy, the
// case's pregnancy or the person in its scope (maternal/store.h) before it calls them, and hands
// out nothing it read here for anyone else. Stateless; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"
#include "maternal/pmtct.h"
#include "storage/database.h"

namespace jd::maternal {

enum class InfectionResult { kNegative, kPositive, kIndeterminate };

// One test of the pregnancy (规范2020 二、工作内容: HIV, syphilis and HBsAg tests at the first
// antenatal contact, and at delivery for a woman not tested before).
struct InfectionTest {
  std::string id;
  std::string pregnancy_id;
  PmtctInfection infection = PmtctInfection::kHiv;
  Date tested_on{};
  InfectionResult result = InfectionResult::kNegative;
  std::string recorded_at, recorded_by;
};

// The follow-up of one infection of one pregnancy, opened by its first positive test.
struct PmtctCase {
  std::string id;
  std::string pregnancy_id;
  std::string person_id;  // the mother
  PmtctInfection infection = PmtctInfection::kHiv;
  Date diagnosed_on{};
  bool hiv_high_exposure_risk = false;
  bool hiv_12m_antibody_negative = false;
  bool syphilis_prophylaxis_indicated = false;
  std::string opened_at, opened_by;
  std::optional<Date> closed_on;
};

// An item of the schedule (PmtctItemSpec::code) done on a day, for the mother or for one baby.
struct PmtctCaseRecord {
  std::string id;
  std::string case_id;
  std::string item;
  PmtctSubject subject = PmtctSubject::kMother;
  std::string infant_person_id;  // empty for the mother
  Date done_on{};
  std::string recorded_at, recorded_by;
};

// What a case's plan needs of its pregnancy.
struct PmtctPregnancyDates {
  Date edd{};
  std::optional<Date> delivered_on;
};

std::string_view InfectionResultCode(InfectionResult r);  // "negative", "positive", …
std::optional<InfectionResult> ParseInfectionResult(std::string_view code);

class PmtctStore {
 public:
  static void InsertTest(soci::session& s, const InfectionTest& t);
  // Oldest first.
  static std::vector<InfectionTest> Tests(soci::session& s, const std::string& pregnancy_id);
  // False when the pregnancy already has a case of that infection (nothing written).
  static bool InsertCase(soci::session& s, const PmtctCase& c);
  static std::optional<PmtctCase> GetCase(soci::session& s, const std::string& case_id);
  static std::vector<PmtctCase> CasesOfPregnancy(soci::session& s, const std::string& pregnancy_id);
  // The cases where `person_id` is the mother or a newborn of the case's pregnancy, oldest first.
  static std::vector<PmtctCase> CasesOfPerson(soci::session& s, const std::string& person_id);
  static std::optional<PmtctPregnancyDates> PregnancyDates(soci::session& s,
                                                           const std::string& pregnancy_id);
  static void InsertRecord(soci::session& s, const PmtctCaseRecord& r);
  // By day done, then as recorded.
  static std::vector<PmtctCaseRecord> Records(soci::session& s, const std::string& case_id);
};

}  // namespace jd::maternal

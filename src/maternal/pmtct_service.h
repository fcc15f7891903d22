// File: maternal/pmtct_service.h
// The inputs and views of the PMTCT use cases of MaternalService (maternal/service.h, implemented
// in maternal/pmtct_service.cc): HIV, syphilis and hepatitis B tests in pregnancy, the follow-up
// a positive result opens for the mother and her baby (预防艾滋病、梅毒和乙肝母婴传播工作规范
// （2020年版）, "规范2020"), the items done, and a person's cases with their plans on a day.
//
// Rules (规范2020 二、工作内容):
// - Every pregnant woman is tested for HIV, syphilis and HBsAg; a test is dated on or after the
//   registration of the pregnancy (our policy: a test before it belongs to no pregnancy here) and
//   not after today, nor after the pregnancy's care was closed.
// - A positive result opens the case of its infection for the pregnancy, once (a later positive
//   test of the same infection adds a test, not a case); the diagnosis date is the test's. It is
//   also a risk fact: the pregnancy is re-assessed with the flag (HIV, syphilis: purple P3/P2;
//   HBsAg: Y2.3) beside the conditions of its latest assessment, so the high-risk register shows
//   the colour.
// - An item of the case is recorded on a day not after today, for the mother or for one newborn of
//   the pregnancy (infant items only after the delivery, and not before the birth), and only when
//   maternal::PlanPmtct says it applies to the case.
// - A person's cases are those where she is the mother or the person is one of the pregnancy's
//   newborns. The mother sees her items and each baby's; a baby's view has that baby's items only.
//   Before the delivery only the mother's items are planned.
//
// Access: writes need kMaternalCare and kInfectionRead, reads kPersonRead and kInfectionRead, and
// the woman (the person read) within the caller's jurisdiction; every read and write is audited
// ("pregnancy.infection_test", "pmtct.record", "pmtct.read"), refusals too. A reader without
// kInfectionRead is answered with no case and infection_hidden set, for every person alike, so the
// answer says nothing of whether she has one; the read is audited as denied.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"
#include "maternal/pmtct.h"
#include "maternal/pmtct_store.h"

namespace jd::maternal {

struct InfectionTestInput {
  PmtctInfection infection = PmtctInfection::kHiv;
  Date tested_on{};
  InfectionResult result = InfectionResult::kNegative;
};

struct PmtctItemInput {
  std::string item;  // a PmtctItemSpec code
  Date done_on{};
  // The baby, for an infant item: one of the pregnancy's newborns; may be left empty when the
  // delivery registered exactly one.
  std::string infant_person_id;
};

// The plan of one subject of a case: the mother's items, or one baby's.
struct PmtctSubjectPlan {
  PmtctSubject subject = PmtctSubject::kMother;
  std::string person_id;
  std::string name;  // a baby's name when the baby lives within the reader's scope
  PmtctPlan plan;    // that subject's entries only
};

struct PmtctCaseView {
  PmtctCase pmtct_case;
  std::optional<Date> delivered_on;
  std::vector<PmtctCaseRecord> records;
  std::vector<PmtctSubjectPlan> plans;  // the mother's first (when shown), then each baby's
};

struct PmtctPersonView {
  std::vector<PmtctCaseView> cases;
  // The tests of the person's pregnancies, when she is a mother; oldest first.
  std::vector<InfectionTest> tests;
  Date as_of{};
  bool infection_hidden = false;
};

struct InfectionTestOutcome {
  InfectionTest test;
  std::optional<PmtctCase> opened;   // the case this test opened, if any
  std::vector<InfectionTest> tests;  // of the pregnancy, the new one included
  std::vector<PmtctCase> cases;      // of the pregnancy
  std::string risk_colour;           // after the re-assessment
  std::vector<std::string> risk_coexisting;
};

}  // namespace jd::maternal
